"""Flow logs to CloudWatch Logs: the ``VpcFlowLogs`` component, its options, targets, VPC lookup
and log format, and the delivery role's and log group's key documents. Every stack loads it."""
