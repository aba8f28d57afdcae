"""The organisation-wide rollout: the ``OrganizationFlowLogs`` telemetry rule and its settings.
Loaded when ``organizationWide`` is on."""
