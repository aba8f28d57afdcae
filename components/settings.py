"""The stack's whole configuration: every config key, decoded and validated at once.

Every key this program reads is declared in ``components.capabilities`` with its decoder, so a
key no capability reads is known without loading any capability. Every key's value is checked in
every stack, whether its capability is on or not, with the same messages: a capability that is
on validates its keys by building its settings; one that is off by its validators, which are
imported only when one of its keys differs from its default, so a stack pays for no capability
it leaves alone. A stack with several bad values hears of all of them in one ``pulumi preview``,
before the program registers anything.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, cast

import pulumi
import pulumi.runtime.config as runtime_config

from components import regions
from components.capabilities import (
    ARCHIVE,
    CAPABILITIES,
    CENTRALIZATION,
    CONFIG_KEYS,
    FIREHOSE,
    MONITORING,
    STORAGE,
)
from components.config import (
    CONFIG_NAMESPACE,
    SettingsError,
    TypeProblem,
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
    from components.centralization.settings import CentralizationSettings
    from components.firehose.settings import FirehoseSettings
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
    firehose: FirehoseSettings | None = None
    """Flow logs to Firehose streams, and the role for other accounts' flow logs; None when no
    Firehose key is set."""
    centralization: CentralizationSettings | None = None
    """The organisation's flow logs copied into one group here (``centralizeLogs``), or None."""
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
        """How many flow logs the stack gives each target: one per destination, counting
        Firehose for the targets of regions that have a stream."""
        to_firehose = self.firehose is not None and bool(self.firehose.stream_arns)
        return int(self.to_cloudwatch) + int(self.to_s3) + int(to_firehose)

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
    # A stack that serves the organisation (its telemetry rule, its central group, its archive)
    # logs no VPC of its own, not even the default one, unless a target key says so.
    serves = bool(
        given(decoded, "organizationWide")
        or CENTRALIZATION.turned_on(decoded)
        or any(given(decoded, k) for k in ("archiveAccounts", "archiveOrganization"))
    )
    selection, selection_problems = vpc_lookup.selection_from_config(
        decoded, other_targets=bool(other_targets), serves_organization=serves
    )
    covered, region_problems = regions.regions_from_config(decoded)
    options, options_problems = flow_log_settings.options_from_config(decoded)
    monitoring, monitoring_problems = _monitoring_from_config(decoded)
    storage, storage_problems = _storage_from_config(decoded)
    firehose, firehose_problems = _firehose_from_config(decoded)
    centralization: CentralizationSettings | None = None
    centralization_problems: list[str] = []
    if CENTRALIZATION.turned_on(decoded):
        from components.centralization.settings import centralization_from_config

        centralization, centralization_problems = centralization_from_config(decoded, options)
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
        + firehose_problems
        + centralization_problems
        + archive_problems
        + unused_problems
        + _cross_problems(covered, monitoring, storage)
        + vpc_lookup.repair_problems(selection, other_targets, repair_drift=repair_drift)
        + vpc_lookup.s3_delivery_problems(
            selection,
            other_targets,
            given(decoded, "destination"),
            archive=ARCHIVE.turned_on(decoded),
        )
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
        firehose=firehose,
        centralization=centralization,
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


def _firehose_from_config(
    decoded: Mapping[str, object],
) -> tuple[FirehoseSettings | None, list[str]]:
    """Firehose's settings when any of its keys is set; otherwise nothing is created."""
    if not FIREHOSE.turned_on(decoded):
        return None, []
    from components.firehose.settings import firehose_from_config

    return firehose_from_config(decoded)


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
