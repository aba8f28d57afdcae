"""The stack's whole configuration: every capability's config keys, decoded and validated at once.

Each capability declares its keys, decoders and validation in its own module; this one composes
them, so a stack with several bad values hears of all of them in one ``pulumi preview``, before
the program registers anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import cast

import pulumi

from components import regions
from components.config import (
    CONFIG_NAMESPACE,
    Decoder,
    SettingsError,
    TypeProblem,
    choices,
    raise_if,
)
from components.drift_repair import settings as drift_repair_settings
from components.flow_logs import settings as flow_log_settings
from components.flow_logs import targets, vpc_lookup
from components.flow_logs.settings import FlowLogOptions
from components.flow_logs.targets import FlowLogTargets
from components.flow_logs.vpc_lookup import VpcSelection
from components.monitoring import settings as monitoring_settings
from components.monitoring.settings import MonitoringSettings
from components.organization import settings as organization_settings
from components.organization.settings import OrganizationSettings
from components.storage import settings as storage_settings
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
    storage: StorageSettings = field(default_factory=StorageSettings)
    """Where flow logs go, and how the S3 copy is kept and queried."""


CONFIG_KEYS: Mapping[str, Decoder] = {
    **vpc_lookup.CONFIG_KEYS,
    **targets.CONFIG_KEYS,
    **regions.CONFIG_KEYS,
    **flow_log_settings.CONFIG_KEYS,
    **monitoring_settings.CONFIG_KEYS,
    **drift_repair_settings.CONFIG_KEYS,
    **organization_settings.CONFIG_KEYS,
    **storage_settings.CONFIG_KEYS,
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
            problems.append(
                f"{key}: is not a setting of this program; the settings are "
                f"{choices(sorted(CONFIG_KEYS))}."
            )
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
    monitoring, monitoring_problems = monitoring_settings.monitoring_from_config(decoded)
    storage, storage_problems = storage_settings.storage_from_config(decoded)
    repair_drift, repair_problems = drift_repair_settings.repair_drift_from_config(decoded)
    organization_wide, organization_problems = organization_settings.organization_wide_from_config(
        decoded
    )
    if organization_wide and options is not None:
        organization_problems += _organization_problems(options)
    raise_if(
        selection_problems
        + target_problems
        + region_problems
        + options_problems
        + monitoring_problems
        + repair_problems
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
        storage=cast(StorageSettings, storage),
    )


def _cross_problems(
    covered: tuple[str, ...],
    monitoring: MonitoringSettings | None,
    storage: StorageSettings | None,
) -> list[str]:
    """Problems that only settings of two capabilities together show."""
    problems = []
    # With destination s3 alone, monitoring watches S3 delivery only (and warns of the rest).
    if monitoring is not None and monitoring.alarm_topic_arn and len(covered) > 1:
        problems.append(
            f"alarmTopicArn: {monitoring.alarm_topic_arn!r} is one topic in one region, but "
            f"regions covers {len(covered)}; an alarm can only notify a topic in its own region, "
            "so leave alarmTopicArn empty and let the stack create a topic in each region "
            "(alarmEmails subscribes to every one)."
        )
    return problems


def _organization_problems(options: FlowLogOptions) -> list[str]:
    """What the telemetry rule refuses among otherwise valid options, checked before the
    program registers anything."""
    try:
        OrganizationSettings.from_options(options)
    except SettingsError as error:
        return str(error).split("\n")
    return []


def load_settings(config: pulumi.Config | None = None) -> Settings:
    """Read and validate this program's settings from the stack's config."""
    config = config or pulumi.Config(CONFIG_NAMESPACE)
    raw = {key: value for key in CONFIG_KEYS if (value := config.get(key)) is not None}
    return parse_settings(raw)
