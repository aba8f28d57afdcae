"""Components that turn on VPC Flow Logs the way a careful security team would.

The public names below resolve lazily, on first use: ``from components import VpcFlowLogs`` loads
the flow logs' package and no other, so a stack pays at start-up only for the capabilities it
turns on.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

_PUBLIC: dict[str, str] = {
    "ATHENA_TYPE": "components.storage.athena",
    "CentralFlowLogs": "components.centralization.component",
    "CentralFlowLogsArgs": "components.centralization.component",
    "FlowLogAthena": "components.storage.athena",
    "FlowLogAthenaArgs": "components.storage.athena",
    "COMPONENT_TYPE": "components.flow_logs.component",
    "VpcFlowLogs": "components.flow_logs.component",
    "VpcFlowLogsArgs": "components.flow_logs.component",
    "DriftRepair": "components.drift_repair.component",
    "DriftRepairArgs": "components.drift_repair.component",
    "FIREHOSE_FLOW_LOGS_TYPE": "components.firehose.component",
    "FirehoseFlowLogs": "components.firehose.component",
    "FirehoseFlowLogsArgs": "components.firehose.component",
    "FIREHOSE_DESTINATION_ROLE_TYPE": "components.firehose.destination",
    "FirehoseDestinationRole": "components.firehose.destination",
    "FirehoseDestinationRoleArgs": "components.firehose.destination",
    "FlowLogOptions": "components.flow_logs.settings",
    "TrafficType": "components.flow_logs.settings",
    "MONITORING_TYPE": "components.monitoring.component",
    "FlowLogMonitoring": "components.monitoring.component",
    "FlowLogMonitoringArgs": "components.monitoring.component",
    "MonitoringSettings": "components.monitoring.settings",
    "OrganizationFlowLogs": "components.organization.component",
    "OrganizationFlowLogsArgs": "components.organization.component",
    "S3_FLOW_LOGS_TYPE": "components.storage.s3_delivery",
    "S3FlowLogs": "components.storage.s3_delivery",
    "S3FlowLogsArgs": "components.storage.s3_delivery",
    "Settings": "components.settings",
    "SettingsError": "components.config",
    "Destination": "components.storage.settings",
    "FileFormat": "components.storage.settings",
    "StorageSettings": "components.storage.settings",
}
"""Each public name, and the module that defines it."""

__all__ = sorted(_PUBLIC)


def __getattr__(name: str) -> Any:
    module = _PUBLIC.get(name)
    if module is None:
        raise AttributeError(f"module 'components' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value  # Later look-ups skip this function.
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_PUBLIC})


if TYPE_CHECKING:
    from components.centralization.component import CentralFlowLogs, CentralFlowLogsArgs
    from components.config import SettingsError
    from components.drift_repair.component import DriftRepair, DriftRepairArgs
    from components.firehose.component import (
        FIREHOSE_FLOW_LOGS_TYPE,
        FirehoseFlowLogs,
        FirehoseFlowLogsArgs,
    )
    from components.firehose.destination import (
        FIREHOSE_DESTINATION_ROLE_TYPE,
        FirehoseDestinationRole,
        FirehoseDestinationRoleArgs,
    )
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
