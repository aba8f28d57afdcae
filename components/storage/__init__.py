"""Long-term storage: S3 delivery (``S3FlowLogs``) and Athena over it (``FlowLogAthena``), their
settings, the bucket layout, the table schema, and the bucket and key documents. Loaded when
``destination`` names S3."""
