"""The organisation's log archive: the archive stack's settings and the documents that admit its
member accounts (``archiveAccounts``), and a member's reading of the archive (``archiveStack``).
The archive's bucket is the stack's S3 bucket (``storage``). Loaded when an archive key is set."""
