"""The stack's whole configuration: every config key, decoded and validated at once.

Every key this program reads is declared here with its decoder, so a key no capability reads is
known without loading any capability. Each capability declares its keys as a ``Capability``:
their decoders, their ``Pulumi.yaml`` defaults, when the stack turns it on, and where its
validators live. Every key's value is checked in every stack, whether its capability is on or
not, with the same messages: a capability that is on validates its keys by building its
settings; one that is off by its validators, which are imported only when one of its keys
differs from its default, so a stack pays for no capability it leaves alone. A stack with
several bad values hears of all of them in one ``pulumi preview``, before the program registers
anything.
"""

from __future__ import annotations

import difflib
import importlib
from collections.abc import Callable, Mapping
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
    from components.archive.settings import ArchiveRole
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
    archive: ArchiveRole | None = None
    """The organisation's archive (``archiveAccounts``) or a member (``archiveStack``), or None."""

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
        """Whether a flow log is replaced delete-first: when each target gets a flow log per
        destination (``FLOW_LOGS_PER_TARGET_LIMIT``). Pulumi replaces create-first, so with
        both destinations a replacement would briefly put a third flow log on the target;
        delete-first always succeeds, at the cost of a short gap in both destinations'
        records."""
        return self.flow_logs_per_target >= FLOW_LOGS_PER_TARGET_LIMIT


FLOW_LOGS_PER_TARGET_LIMIT = 2
"""From this many flow logs per target, the stack replaces them delete-first.

What AWS documents: a second flow log on a resource with the same configuration and destination
is refused (``FlowLogAlreadyExists``), so a create-first replacement that changes only the role
would fail. Until 2019 the Amazon VPC quotas page also listed at most two flow logs per network
interface, subnet or VPC; the current page lists no such quota, and whether AWS still enforces
one is not known. Delete-first replacement never needs a third flow log on the target and
never meets either refusal, but leaves a short gap in every destination it replaces."""


@dataclass(frozen=True)
class Capability:
    """One capability's config keys, and how they are checked whether it is on or not.

    A new capability plugs in by declaring one of these in ``CAPABILITIES``; nothing else here
    changes.
    """

    keys: Mapping[str, Decoder]
    """Its keys, each with its decoder; the decoders run in every stack."""
    defaults: Mapping[str, object]
    """Each key's ``Pulumi.yaml`` default, decoded. A key at its default needs no check."""
    validators: str | None = None
    """``module:function``: a pure function (no ``Output``, no pulumi-aws service imported) from
    the decoded values of ``keys`` to every problem with them, in the messages the capability
    gives when it is on. None when the decoders are all the checking the keys need."""
    turned_on: Callable[[Mapping[str, object]], bool] = lambda decoded: False
    """Whether the stack turns the capability on; then building its settings checks its keys."""

    def changed(self, decoded: Mapping[str, object]) -> list[str]:
        """The keys set to something other than their default."""
        return [k for k in self.keys if k in decoded and decoded[k] != self.defaults[k]]

    def problems(self, decoded: Mapping[str, object]) -> list[str]:
        """Problems with the values of this capability's keys while it is off. Its validators
        are imported only when a key differs from its default."""
        if self.validators is None or self.turned_on(decoded) or not self.changed(decoded):
            return []
        module, function = self.validators.split(":")
        validate = getattr(importlib.import_module(module), function)
        own = {k: decoded[k] for k in self.keys if k in decoded}
        return cast(list[str], validate(own))


MONITORING_KEYS: Mapping[str, Decoder] = {
    "alarms": as_bool,
    "alarmEmails": as_string_list,
    "alarmTopicArn": as_string,
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
ARCHIVE_KEYS: Mapping[str, Decoder] = {
    "archiveAccounts": as_string_list,
    "archiveOrganization": as_bool,
    "archiveMemberRead": as_bool,
    "archiveRegions": as_string_list,
    "archiveStack": as_string,
}
"""The archive's keys (``archiveAccounts``: the archive; ``archiveStack``: a member)."""

MONITORING = Capability(
    keys=MONITORING_KEYS,
    defaults={
        "alarms": False,
        "alarmEmails": (),
        "alarmTopicArn": "",
        "rejectedThreshold": 1000,
        "adminPortThreshold": 10,
        "egressAnomalyBand": 3,
        "knownBadAddresses": (),
        "deliveryStoppedMinutes": 30,
    },
    validators="components.monitoring.settings:monitoring_key_problems",
    turned_on=lambda decoded: bool(given(decoded, "alarms")),
)
STORAGE = Capability(
    keys=STORAGE_KEYS,
    defaults={
        "destination": "cloudwatch",
        "bucketArn": "",
        "s3Prefix": "",
        "s3FileFormat": "parquet",
        "s3HivePartitions": True,
        "s3PerHourPartition": False,
        "s3Transitions": {"STANDARD_IA": 30, "GLACIER_IR": 90},
        "s3ExpirationDays": 365,
        "athena": True,
        "athenaScanLimitGb": 10,
    },
    validators="components.storage.settings:storage_key_problems",
    turned_on=lambda decoded: given(decoded, "destination") not in (None, "cloudwatch"),
)
DRIFT_REPAIR = Capability(keys={"repairDrift": as_bool}, defaults={"repairDrift": False})
ORGANIZATION = Capability(keys={"organizationWide": as_bool}, defaults={"organizationWide": False})
ARCHIVE_DEFAULTS: Mapping[str, object] = dict.fromkeys(ARCHIVE_KEYS, ()) | {
    "archiveOrganization": False, "archiveMemberRead": True, "archiveStack": ""
}  # fmt: skip
# Any key off its default makes the stack an archive or a member, whose settings check every key.
ARCHIVE = Capability(
    keys=ARCHIVE_KEYS,
    defaults=ARCHIVE_DEFAULTS,
    turned_on=lambda d: any(k in d and d[k] != v for k, v in ARCHIVE_DEFAULTS.items()),
)

CAPABILITIES: Mapping[str, Capability] = {
    "monitoring": MONITORING,
    "drift_repair": DRIFT_REPAIR,
    "organization": ORGANIZATION,
    "storage": STORAGE,
    "archive": ARCHIVE,
}
"""Every capability a stack can turn on, by package name, with its keys."""

CONFIG_KEYS: Mapping[str, Decoder] = {
    **vpc_lookup.CONFIG_KEYS,
    **targets.CONFIG_KEYS,
    **regions.CONFIG_KEYS,
    **flow_log_settings.CONFIG_KEYS,
    **{key: decoder for c in CAPABILITIES.values() for key, decoder in c.keys.items()},
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
    # An archive logs no VPC of its own, not even the default one, unless a target key says so.
    archive_only = any(given(decoded, k) for k in ("archiveAccounts", "archiveOrganization"))
    selection, selection_problems = vpc_lookup.selection_from_config(
        decoded, other_targets=bool(other_targets) or archive_only
    )
    covered, region_problems = regions.regions_from_config(decoded)
    options, options_problems = flow_log_settings.options_from_config(decoded)
    monitoring, monitoring_problems = _monitoring_from_config(decoded)
    storage, storage_problems = _storage_from_config(decoded)
    archive, archive_problems = _archive_from_config(decoded)
    repair_drift = bool(given(decoded, "repairDrift"))
    organization_wide = bool(given(decoded, "organizationWide"))
    organization_problems = (
        _organization_problems(options) if organization_wide and options is not None else []
    )
    # The keys of capabilities that are off: checked all the same.
    unused_problems = [p for c in CAPABILITIES.values() for p in c.problems(decoded)]
    raise_if(
        selection_problems
        + target_problems
        + region_problems
        + options_problems
        + monitoring_problems
        + organization_problems
        + storage_problems
        + archive_problems
        + unused_problems
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
        archive=archive,
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
    """Monitoring's settings when ``alarms`` is on; otherwise nothing is created (its keys are
    checked by ``MONITORING.problems``)."""
    if not MONITORING.turned_on(decoded):
        return None, []
    from components.monitoring.settings import monitoring_from_config

    return monitoring_from_config(decoded)


def _storage_from_config(
    decoded: Mapping[str, object],
) -> tuple[StorageSettings | None, list[str]]:
    """S3's settings when ``destination`` is anything but CloudWatch; otherwise None (its keys
    are checked by ``STORAGE.problems``, which refuses one that only S3 reads)."""
    if not STORAGE.turned_on(decoded):
        return None, []
    from components.storage.settings import storage_from_config

    return storage_from_config(decoded)


def _archive_from_config(decoded: Mapping[str, object]) -> tuple[ArchiveRole | None, list[str]]:
    """The archive's settings, or a member's, when one of its keys is set; otherwise None."""
    if not ARCHIVE.turned_on(decoded):
        return None, []
    from components.archive.settings import archive_from_config

    return archive_from_config(decoded)


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
