"""Components that turn on VPC Flow Logs the way a careful security team would."""

from components.athena import ATHENA_TYPE, FlowLogAthena, FlowLogAthenaArgs
from components.config import SettingsError
from components.flow_log_settings import FlowLogOptions, TrafficType
from components.flow_logs import COMPONENT_TYPE, VpcFlowLogs, VpcFlowLogsArgs
from components.s3_delivery import S3_FLOW_LOGS_TYPE, S3FlowLogs, S3FlowLogsArgs
from components.settings import Settings
from components.storage_settings import Destination, FileFormat, StorageSettings

__all__ = [
    "ATHENA_TYPE",
    "COMPONENT_TYPE",
    "S3_FLOW_LOGS_TYPE",
    "Destination",
    "FileFormat",
    "FlowLogAthena",
    "FlowLogAthenaArgs",
    "FlowLogOptions",
    "S3FlowLogs",
    "S3FlowLogsArgs",
    "Settings",
    "SettingsError",
    "StorageSettings",
    "TrafficType",
    "VpcFlowLogs",
    "VpcFlowLogsArgs",
]
