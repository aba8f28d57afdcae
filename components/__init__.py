"""Components that turn on VPC Flow Logs the way a careful security team would."""

from components.config import SettingsError
from components.flow_log_settings import FlowLogOptions, TrafficType
from components.flow_logs import COMPONENT_TYPE, VpcFlowLogs, VpcFlowLogsArgs
from components.settings import Settings

__all__ = [
    "COMPONENT_TYPE",
    "FlowLogOptions",
    "Settings",
    "SettingsError",
    "TrafficType",
    "VpcFlowLogs",
    "VpcFlowLogsArgs",
]
