"""Security monitoring on the flow logs: the ``FlowLogMonitoring`` component, its settings, metric
filters, saved queries and dashboard, and the alarm topic's documents. Loaded when ``alarms`` is
on."""
