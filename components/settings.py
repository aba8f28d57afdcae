"""The stack's whole configuration: every config key, decoded and validated at once.

Every key this program reads is declared here with its decoder, so a key no capability reads is
known without loading any capability. The flow logs' own settings are always validated; a
capability's settings module is imported, and validates its keys, only when the stack turns
the capability on. A stack with several bad values hears of all of them in one
``pulumi preview``, before the program registers anything.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

import pulumi
import pulumi.runtime.config as runtime_config

from components import regions
from components.config import (
    CONFIG_NAMESPACE,
    Decoder,
    SettingsError,
    TypeProblem,
    as_bool,
    as_int,
    as_int_map,
    as_string,
    as_string_list,
    as_string_or_string_map,
    choices,
    given,
    raise_if,
)
from components.flow_logs import settings as flow_log_settings
from components.flow_logs import targets, vpc_lookup
from components.flow_logs.settings import FlowLogOptions
from components.flow_logs.targets import FlowLogTargets
from components.flow_logs.vpc_lookup import VpcSelection

if TYPE_CHECKING:
    # Loaded only when the stack turns the capability on.
    from components.monitoring.settings import MonitoringSettings
    from components.storage.settings import StorageSettings


@dataclass(frozen=True)
class Settings:
    """A stack's whole configuration: what to log, and how the flow logs are recorded."""

    selection: VpcSelection
    """Which VPCs: resolved to ids by ``vpc_lookup.resolve_vpc_ids``."""
    options: FlowLogOptions
    targets: FlowLogTargets = field(default_factory=FlowLogTargets)
    """Subnets, network interfaces and transit gateways to log; VPCs come from ``selection``."""
    regions: tuple[str, ...] = ()
    """The regions to cover; empty means only the stack's own."""
    monitoring: MonitoringSettings | None = None
    """Alarms, queries and dashboard on the log group; None when ``alarms`` is off."""
    repair_drift: bool = False
    """Repair VPCs without flow logs with AWS Config and Systems Manager (``repairDrift``)."""
    organization_wide: bool = False
    """Create the organisation's telemetry rule for VPC flow logs (``organizationWide``)."""
    storage: StorageSettings | None = None
    """How the S3 copy is kept and queried; None when ``destination`` is CloudWatch only."""

    @property
    def to_cloudwatch(self) -> bool:
        """Whether flow logs are delivered to CloudWatch Logs."""
        return self.storage is None or self.storage.to_cloudwatch

    @property
    def to_s3(self) -> bool:
        """Whether flow logs are delivered to S3."""
        return self.storage is not None and self.storage.to_s3

    @property
    def flow_logs_per_target(self) -> int:
        """How many flow logs the stack gives each target: one per destination."""
        return int(self.to_cloudwatch) + int(self.to_s3)

    @property
    def delete_before_replace(self) -> bool:
        """Whether a flow log is replaced delete-first. AWS allows at most two flow logs per
        VPC, subnet or network interface, and Pulumi replaces create-first: with both
        destinations a replacement would need a third, so it must delete the old one first,
        leaving a short gap in that destination's records."""
        return self.flow_logs_per_target >= FLOW_LOGS_PER_TARGET_LIMIT


FLOW_LOGS_PER_TARGET_LIMIT = 2
"""AWS allows at most two flow logs per VPC, subnet or network interface in a region (Amazon VPC
quotas), and the limit cannot be raised."""


MONITORING_KEYS: Mapping[str, Decoder] = {
    "alarms": as_bool,
    "alarmEmails": as_string_list,
    "alarmTopicArn": as_string_or_string_map,
    "rejectedThreshold": as_int,
    "adminPortThreshold": as_int,
    "egressAnomalyBand": as_int,
    "knownBadAddresses": as_string_list,
    "deliveryStoppedMinutes": as_int,
}
"""The keys of ``monitoring.settings.MonitoringSettings``; ``alarms`` turns it on. It reads the
flow logs' ``logFormat`` and ``tags`` too."""
STORAGE_KEYS: Mapping[str, Decoder] = {
    "destination": as_string,
    "bucketArn": as_string,
    "s3Prefix": as_string,
    "s3FileFormat": as_string,
    "s3HivePartitions": as_bool,
    "s3PerHourPartition": as_bool,
    "s3Transitions": as_int_map,
    "s3ExpirationDays": as_int,
    "athena": as_bool,
    "athenaScanLimitGb": as_int,
}
"""The keys of ``storage.settings.StorageSettings``; a ``destination`` naming S3 turns it on."""

CONFIG_KEYS: Mapping[str, Decoder] = {
    **vpc_lookup.CONFIG_KEYS,
    **targets.CONFIG_KEYS,
    **regions.CONFIG_KEYS,
    **flow_log_settings.CONFIG_KEYS,
    **MONITORING_KEYS,
    "repairDrift": as_bool,
    "organizationWide": as_bool,
    **STORAGE_KEYS,
}
"""Every config key this program reads, with its decoder."""


def parse_settings(raw: Mapping[str, object]) -> Settings:
    """Decode and validate config values by key, reporting every problem at once.

    ``raw`` maps config keys (without namespace) to what the CLI passes (strings, JSON for
    lists and maps) or to already-decoded values. A missing key, or an empty string, list or
    map, or ``false``, means "not set" and takes the default.
    """
    problems: list[str] = []
    decoded: dict[str, object] = {}
    for key, value in raw.items():
        decoder = CONFIG_KEYS.get(key)
        if decoder is None:
            problems.append(_unknown_key_problem(key))
            continue
        try:
            decoded[key] = decoder(key, value)
        except TypeProblem as problem:
            problems.append(str(problem))
    raise_if(problems)

    other_targets, target_problems = targets.targets_from_config(decoded)
    selection, selection_problems = vpc_lookup.selection_from_config(
        decoded, other_targets=bool(other_targets)
    )
    covered, region_problems = regions.regions_from_config(decoded)
    options, options_problems = flow_log_settings.options_from_config(decoded)
    monitoring, monitoring_problems = _monitoring_from_config(decoded)
    storage, storage_problems = _storage_from_config(decoded)
    repair_drift = bool(given(decoded, "repairDrift"))
    organization_wide = bool(given(decoded, "organizationWide"))
    organization_problems = (
        _organization_problems(options) if organization_wide and options is not None else []
    )
    raise_if(
        selection_problems
        + target_problems
        + region_problems
        + options_problems
        + monitoring_problems
        + organization_problems
        + storage_problems
        + _cross_problems(covered, monitoring, storage)
    )
    return Settings(
        selection=cast(VpcSelection, selection),
        options=cast(FlowLogOptions, options),
        targets=other_targets,
        regions=covered,
        monitoring=monitoring,
        repair_drift=repair_drift,
        organization_wide=organization_wide,
        storage=storage,
    )


def _unknown_key_problem(key: str) -> str:
    """The message for a key this program does not declare: the closest declared key, compared
    without regard to case, or every key when none is close."""
    by_folded = {declared.lower(): declared for declared in CONFIG_KEYS}
    close = difflib.get_close_matches(key.lower(), by_folded, n=1)
    if close:
        return f"{key}: is not a setting of this program; did you mean {by_folded[close[0]]}?"
    return (
        f"{key}: is not a setting of this program; the settings are {choices(sorted(CONFIG_KEYS))}."
    )


def _monitoring_from_config(
    decoded: Mapping[str, object],
) -> tuple[MonitoringSettings | None, list[str]]:
    """Monitoring's settings when ``alarms`` is on; otherwise nothing is created or checked."""
    if not given(decoded, "alarms"):
        return None, []
    from components.monitoring.settings import monitoring_from_config

    return monitoring_from_config(decoded)


def _storage_from_config(
    decoded: Mapping[str, object],
) -> tuple[StorageSettings | None, list[str]]:
    """S3's settings when ``destination`` is anything but CloudWatch, or when a key that only S3
    reads is set anyway (refused by the storage settings); otherwise None."""
    destination = given(decoded, "destination")
    if destination in (None, "cloudwatch") and not (
        given(decoded, "bucketArn") or given(decoded, "s3Prefix")
    ):
        return None, []
    from components.storage.settings import storage_from_config

    return storage_from_config(decoded)


def _cross_problems(
    covered: tuple[str, ...],
    monitoring: MonitoringSettings | None,
    storage: StorageSettings | None,
) -> list[str]:
    """Problems that only settings of two capabilities together show."""
    problems = []
    if monitoring is not None and storage is not None:
        from components.monitoring.wiring import delivery_watch_problems

        problems += delivery_watch_problems(monitoring, storage)
    if monitoring is not None and monitoring.alarm_topic_arn:
        from components.monitoring.receivers import topic_coverage_problems

        problems += topic_coverage_problems(monitoring.alarm_topic_arn, covered)
    return problems


def _organization_problems(options: FlowLogOptions) -> list[str]:
    """What the telemetry rule refuses among otherwise valid options, checked before the
    program registers anything."""
    from components.organization.settings import OrganizationSettings

    try:
        OrganizationSettings.from_options(options)
    except SettingsError as error:
        return str(error).split("\n")
    return []


def stack_keys(namespace: str = CONFIG_NAMESPACE) -> list[str]:
    """Every key the stack sets in ``namespace``, declared or not, without the namespace.

    The CLI does not refuse a key that ``Pulumi.yaml`` does not declare, and ``pulumi.Config``
    reads only the keys asked for, so a misspelt key would be silently ignored. The whole config
    is in the runtime's: the language host hands it over in ``PULUMI_CONFIG``; an inline
    program's runtime, and the mocks, set it with ``set_all_config``.
    """
    prefix = f"{namespace}:"
    every = {**runtime_config.get_config_env(), **runtime_config.CONFIG.get()}
    return sorted(key.removeprefix(prefix) for key in every if key.startswith(prefix))


def load_settings(config: pulumi.Config | None = None) -> Settings:
    """Read and validate this program's settings from the stack's config, refusing any key of
    its namespace that it does not declare."""
    config = config or pulumi.Config(CONFIG_NAMESPACE)
    keys = dict.fromkeys([*CONFIG_KEYS, *stack_keys(config.name)])
    raw = {key: value for key in keys if (value := config.get(key)) is not None}
    return parse_settings(raw)
