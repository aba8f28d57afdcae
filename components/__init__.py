"""Components that turn on VPC Flow Logs the way a careful security team would."""

from components.config import SettingsError
from components.drift_repair import DriftRepair, DriftRepairArgs
from components.flow_log_settings import FlowLogOptions, TrafficType
from components.flow_logs import COMPONENT_TYPE, VpcFlowLogs, VpcFlowLogsArgs
from components.monitoring import MONITORING_TYPE, FlowLogMonitoring, FlowLogMonitoringArgs
from components.monitoring_settings import MonitoringSettings
from components.organization import OrganizationFlowLogs, OrganizationFlowLogsArgs
from components.settings import Settings

__all__ = [
    "COMPONENT_TYPE",
    "MONITORING_TYPE",
    "DriftRepair",
    "DriftRepairArgs",
    "FlowLogMonitoring",
    "FlowLogMonitoringArgs",
    "FlowLogOptions",
    "MonitoringSettings",
    "OrganizationFlowLogs",
    "OrganizationFlowLogsArgs",
    "Settings",
    "SettingsError",
    "TrafficType",
    "VpcFlowLogs",
    "VpcFlowLogsArgs",
]
