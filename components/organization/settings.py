"""Flow logs for a whole organisation: ``OrganizationSettings``, its validators and config keys.

Everything here is pure: no ``Output``, no invoke, no resource. The stack's ``organizationWide``
key says whether to create the organisation's telemetry rule; ``OrganizationSettings`` is what
the ``OrganizationFlowLogs`` component builds from. The traffic type, interval, log group name,
retention and format follow ``FlowLogOptions``' rules, so they are checked by the same code; what
a telemetry rule adds (its name, and the narrower characters of a destination pattern) is
checked here.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from components.config import SettingsError, field_values, raise_if
from components.flow_logs.log_format import render_log_format
from components.flow_logs.settings import (
    DEFAULT_LOG_GROUP_NAME,
    DEFAULT_RETENTION_DAYS,
    AggregationInterval,
    FlowLogOptions,
    TrafficType,
)
from components.regions import region_problems

DEFAULT_RULE_NAME = "vpc-flow-logs"
"""The organisation telemetry rule's default name."""
ACCOUNT_MACRO = "<accountId>"
RESOURCE_MACRO = "<resourceId>"
_RULE_NAME = re.compile(r"[0-9A-Za-z-]{1,100}")
_PATTERN_CHARS = re.compile(r"[A-Za-z0-9_/-]")
# The longest suffix the macros expand to: "/" + a 12-digit account + "/" + a 21-character VPC id.
_MACRO_EXPANSION = 1 + 12 + 1 + len("vpc-") + 17
_MAX_LOG_GROUP_NAME = 512


@dataclass(frozen=True)
class OrganizationSettings:
    """What the organisation's telemetry rule makes in every account and region."""

    traffic_type: TrafficType = TrafficType.ALL
    """Which traffic to record. Defaults to ALL."""
    max_aggregation_interval: AggregationInterval = 60
    """Seconds aggregated into one record, 60 or 600. Defaults to 60."""
    log_group_name: str = DEFAULT_LOG_GROUP_NAME
    """The prefix of every account's log groups: ``<prefix>/<accountId>/<resourceId>``.
    Defaults to ``/aws/vpc/flowlogs``."""
    retention_in_days: int = DEFAULT_RETENTION_DAYS
    """How long those log groups keep records. Defaults to 365 days."""
    log_format: tuple[str, ...] = ()
    """Record fields in order. Defaults to empty, AWS's default format."""
    rule_name: str = DEFAULT_RULE_NAME
    """The telemetry rule's name. Defaults to ``vpc-flow-logs``."""
    region: str | None = None
    """The home region of the rule and the evaluation. Defaults to the provider's region."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags for every resource created. Defaults to none."""

    def __post_init__(self) -> None:
        raise_if(validate_organization(self))
        object.__setattr__(self, "traffic_type", TrafficType(self.traffic_type))
        object.__setattr__(self, "log_format", tuple(self.log_format))
        object.__setattr__(self, "tags", dict(self.tags))

    @property
    def destination_pattern(self) -> str:
        """One log group per account and VPC, named from ``log_group_name``."""
        return f"{self.log_group_name}/{ACCOUNT_MACRO}/{RESOURCE_MACRO}"

    @property
    def rendered_log_format(self) -> str | None:
        """The format string, or None for AWS's default format."""
        return render_log_format(self.log_format) if self.log_format else None

    @classmethod
    def from_options(cls, options: FlowLogOptions) -> OrganizationSettings:
        """The settings that carry a stack's own flow-log options to the whole organisation."""
        return cls(
            traffic_type=options.traffic_type,
            max_aggregation_interval=options.max_aggregation_interval,
            log_group_name=options.log_group_name,
            retention_in_days=options.retention_in_days,
            log_format=options.log_format,
            tags=options.tags,
        )

    @classmethod
    def from_args(cls, args: Mapping[str, object]) -> OrganizationSettings:
        """The settings among an ``OrganizationFlowLogsArgs``, validated; absent keys take
        defaults."""
        return cls(**field_values(cls, args))  # type: ignore[arg-type]


def validate_organization(settings: OrganizationSettings) -> list[str]:
    """Every problem with ``settings``, one message each; empty when they are valid."""
    problems: list[str] = []
    try:
        FlowLogOptions(
            traffic_type=settings.traffic_type,
            max_aggregation_interval=settings.max_aggregation_interval,
            log_group_name=settings.log_group_name,
            retention_in_days=settings.retention_in_days,
            log_format=tuple(settings.log_format),
            tags=dict(settings.tags),
        )
    except SettingsError as error:
        problems += str(error).split("\n")
    name = settings.log_group_name
    bad = sorted({c for c in name if not _PATTERN_CHARS.fullmatch(c)})
    if bad and not problems:
        problems.append(
            f"logGroupName: {name!r} has characters an organisation telemetry rule's "
            f"destination pattern refuses ({' '.join(repr(c) for c in bad)}); with "
            "organizationWide, use only A-Z a-z 0-9 _ / -."
        )
    if len(name) + _MACRO_EXPANSION > _MAX_LOG_GROUP_NAME:
        problems.append(
            f"logGroupName: {name!r} is {len(name)} characters; with organizationWide each "
            f"account's log group adds up to {_MACRO_EXPANSION} more, so the limit is "
            f"{_MAX_LOG_GROUP_NAME - _MACRO_EXPANSION}."
        )
    if not _RULE_NAME.fullmatch(settings.rule_name):
        problems.append(
            f"ruleName: {settings.rule_name!r} is not a telemetry rule name; use 1 to 100 "
            "characters from A-Z a-z 0-9 -."
        )
    if settings.region is not None:
        problems += region_problems([settings.region], "region")
    return problems
