"""Flow logs to Amazon Data Firehose, in the stack's account or another: the
``FirehoseFlowLogs`` and ``FirehoseDestinationRole`` components, their settings and validators,
and the cross-account roles' documents. Loaded when ``firehoseArns`` or
``firehoseSourceAccounts`` is set."""
