"""Components that turn on VPC Flow Logs the way a careful security team would."""

from components.flow_logs import COMPONENT_TYPE, VpcFlowLogs, VpcFlowLogsArgs
from components.settings import FlowLogOptions, Settings, SettingsError, TrafficType

__all__ = [
    "COMPONENT_TYPE",
    "FlowLogOptions",
    "Settings",
    "SettingsError",
    "TrafficType",
    "VpcFlowLogs",
    "VpcFlowLogsArgs",
]
