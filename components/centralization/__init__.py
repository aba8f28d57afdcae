"""CloudWatch Logs centralization: the organisation's flow logs copied into one log group of
this account, with its key and settings. Loaded when ``centralizeLogs`` is on."""
