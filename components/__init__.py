"""Components that turn on VPC Flow Logs the way a careful security team would."""

from components.config import SettingsError
from components.drift_repair.component import DriftRepair, DriftRepairArgs
from components.flow_logs.component import COMPONENT_TYPE, VpcFlowLogs, VpcFlowLogsArgs
from components.flow_logs.settings import FlowLogOptions, TrafficType
from components.monitoring.component import (
    MONITORING_TYPE,
    FlowLogMonitoring,
    FlowLogMonitoringArgs,
)
from components.monitoring.settings import MonitoringSettings
from components.organization.component import OrganizationFlowLogs, OrganizationFlowLogsArgs
from components.settings import Settings
from components.storage.athena import ATHENA_TYPE, FlowLogAthena, FlowLogAthenaArgs
from components.storage.s3_delivery import S3_FLOW_LOGS_TYPE, S3FlowLogs, S3FlowLogsArgs
from components.storage.settings import Destination, FileFormat, StorageSettings

__all__ = [
    "ATHENA_TYPE",
    "COMPONENT_TYPE",
    "MONITORING_TYPE",
    "S3_FLOW_LOGS_TYPE",
    "Destination",
    "DriftRepair",
    "DriftRepairArgs",
    "FileFormat",
    "FlowLogAthena",
    "FlowLogAthenaArgs",
    "FlowLogMonitoring",
    "FlowLogMonitoringArgs",
    "FlowLogOptions",
    "MonitoringSettings",
    "OrganizationFlowLogs",
    "OrganizationFlowLogsArgs",
    "S3FlowLogs",
    "S3FlowLogsArgs",
    "Settings",
    "SettingsError",
    "StorageSettings",
    "TrafficType",
    "VpcFlowLogs",
    "VpcFlowLogsArgs",
]
