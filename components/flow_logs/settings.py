"""How flow logs are recorded and kept: ``FlowLogOptions``, its validators and its config keys.

Everything here is pure: no ``Output``, no invoke, no resource. The stack's config and the
``VpcFlowLogs`` component's arguments both go through ``FlowLogOptions``, so one rule lives in
one place and every message names the key, the value given and what is allowed.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

import pulumi

from components.config import (
    Decoder,
    SettingsError,
    as_bool,
    as_int,
    as_string,
    as_string_list,
    as_string_map,
    choices,
    field_values,
    given,
    raise_if,
)
from components.flow_logs.log_format import FIELD_VERSIONS

RETENTION_DAYS: tuple[int, ...] = (
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731,
    1096, 1827, 2192, 2557, 2922, 3288, 3653,
)  # fmt: skip
"""The retention periods CloudWatch Logs accepts, in days."""

AGGREGATION_INTERVALS: tuple[int, ...] = (60, 600)
"""The maximum aggregation intervals AWS accepts for a VPC flow log, in seconds."""

AggregationInterval = Literal[60, 600]

DEFAULT_LOG_GROUP_NAME = "/aws/vpc/flowlogs"
DEFAULT_RETENTION_DAYS = 365
DEFAULT_FLOW_LOG_NAME = "ASG-VPC-FlowLogs"

_LOG_GROUP_CHARS = re.compile(r"[.\-_/#A-Za-z0-9]+")
_KMS_KEY_ARN = re.compile(
    r"arn:aws(?:-[a-z]+)*:kms:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:"
    r"key/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})"
)
_MAX_LOG_GROUP_NAME = 512
TRANSIT_GATEWAY_LOG_GROUP_SUFFIX = "/transit-gateways"
"""Appended to ``logGroupName`` for the group that receives transit-gateway flow logs."""
_MAX_TAG_KEY = 128
_MAX_TAG_VALUE = 256


class TrafficType(StrEnum):
    """Which traffic a flow log records."""

    ALL = "ALL"
    """Accepted and rejected traffic."""
    ACCEPT = "ACCEPT"
    """Only traffic that security groups and network ACLs accepted."""
    REJECT = "REJECT"
    """Only rejected traffic: the least a compliance control accepts."""


@dataclass(frozen=True)
class FlowLogOptions:
    """How flow logs are recorded and kept: everything but which VPCs.

    Validated on construction, so a bad value can never reach a resource.
    """

    traffic_type: TrafficType = TrafficType.ALL
    """Which traffic to record. Defaults to ALL, which CIS and Security Hub EC2.6 accept."""
    max_aggregation_interval: AggregationInterval = 60
    """Seconds over which a flow is aggregated into one record: 60 or 600. Defaults to 60, so
    alarms see traffic within about a minute (AWS's own default is 600)."""
    log_group_name: str = DEFAULT_LOG_GROUP_NAME
    """The CloudWatch Logs group that receives the records. Defaults to ``/aws/vpc/flowlogs``."""
    retention_in_days: int = DEFAULT_RETENTION_DAYS
    """How long CloudWatch keeps records. Defaults to 365 days (CIS); never-expire is refused."""
    log_format: tuple[str, ...] = ()
    """Record fields in order. Defaults to empty, meaning AWS's default version 2 format."""
    kms_key_arn: pulumi.Input[str] | None = None
    """An existing KMS key to encrypt the log group with. Defaults to none. Only a literal ARN
    is checked here; the component checks an output once it is known."""
    encrypt_logs: bool = False
    """Create a customer-managed KMS key, with rotation, for the log group. Defaults to false."""
    flow_log_name: str = DEFAULT_FLOW_LOG_NAME
    """The Name tag on each flow log. Defaults to ``ASG-VPC-FlowLogs``."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags for every resource created. Defaults to none."""
    protect_logs: bool = False
    """Protect the log group and key from ``pulumi destroy``. Defaults to false."""

    def __post_init__(self) -> None:
        raise_if(validate_options(self))
        # Normalise what callers may pass loosely (a plain string, a list), so the rest of the
        # program sees one type per field.
        object.__setattr__(self, "traffic_type", TrafficType(self.traffic_type))
        object.__setattr__(self, "log_format", tuple(self.log_format))
        object.__setattr__(self, "tags", dict(self.tags))

    @classmethod
    def from_args(cls, args: Mapping[str, object]) -> FlowLogOptions:
        """The options among a component's arguments (a ``VpcFlowLogsArgs`` or any args that
        share its keys), validated; absent keys take their defaults."""
        return cls(**field_values(cls, args))  # type: ignore[arg-type]


def validate_options(options: FlowLogOptions) -> list[str]:
    """Every problem with ``options``, one message each; empty when they are valid."""
    problems: list[str] = []
    problems += traffic_type_problems(options.traffic_type)
    problems += aggregation_interval_problems(options.max_aggregation_interval)
    problems += _retention_problems(options.retention_in_days)
    problems += log_group_name_problems(options.log_group_name)
    problems += log_format_problems(options.log_format)
    if isinstance(options.kms_key_arn, str):
        problems += kms_key_arn_problems(options.kms_key_arn)
    if options.kms_key_arn is not None and options.encrypt_logs:
        problems.append(
            "kmsKeyArn and encryptLogs are mutually exclusive: use an existing key "
            "(kmsKeyArn) or let the stack create one (encryptLogs: true), not both."
        )
    problems += flow_log_name_problems(options.flow_log_name)
    problems += tag_problems(options.tags)
    return problems


def traffic_type_problems(traffic_type: object) -> list[str]:
    """Problems with a ``trafficType``: anything but ALL, ACCEPT or REJECT."""
    if traffic_type in tuple(TrafficType):
        return []
    return [
        f"trafficType: {traffic_type!r} is not a flow-log traffic type; "
        f"use one of {choices(list(TrafficType))}."
    ]


def aggregation_interval_problems(interval: object) -> list[str]:
    """Problems with a ``maxAggregationInterval``: anything but 60 or 600."""
    if interval in AGGREGATION_INTERVALS:
        return []
    return [f"maxAggregationInterval: {interval!r} is not allowed; use 60 or 600 (seconds)."]


def flow_log_name_problems(name: str) -> list[str]:
    """Problems with a ``flowLogName``, the Name tag on each flow log."""
    if name and len(name) <= _MAX_TAG_VALUE:
        return []
    return [f"flowLogName: {name!r} is not a valid Name tag; use 1 to {_MAX_TAG_VALUE} characters."]


def kms_key_arn_problems(arn: str) -> list[str]:
    """Problems with a KMS key ARN given as ``kmsKeyArn``."""
    if _KMS_KEY_ARN.fullmatch(arn):
        return []
    return [
        f"kmsKeyArn: {arn!r} is not a KMS key ARN; expected "
        "arn:<partition>:kms:<region>:<account>:key/<key-id> (an alias is not accepted)."
    ]


def _retention_problems(days: int) -> list[str]:
    if days in RETENTION_DAYS:
        return []
    allowed = f"use one of {choices(RETENTION_DAYS)}."
    if days == 0:
        return [f"retentionInDays: 0 means never expire, which this project refuses; {allowed}"]
    return [f"retentionInDays: {days!r} is not a CloudWatch Logs retention; {allowed}"]


def log_group_name_problems(name: str, key: str = "logGroupName") -> list[str]:
    """Problems with a log group name given as ``key``."""
    rule = "1 to 512 characters from A-Z a-z 0-9 . - _ / #"
    if not name:
        return [f"{key}: '' is empty; a log group name is {rule}."]
    problems = []
    if len(name) > _MAX_LOG_GROUP_NAME:
        problems.append(f"{key}: {name!r} is {len(name)} characters; the limit is 512.")
    bad = sorted({c for c in name if not _LOG_GROUP_CHARS.fullmatch(c)})
    if bad:
        problems.append(
            f"{key}: {name!r} has characters CloudWatch Logs refuses "
            f"({' '.join(repr(c) for c in bad)}); a log group name is {rule}."
        )
    if name.startswith("aws/"):
        problems.append(
            f"{key}: {name!r} starts with 'aws/', which AWS reserves; "
            f"use a name such as {DEFAULT_LOG_GROUP_NAME!r}."
        )
    return problems


def transit_gateway_log_group_name(log_group_name: str) -> str:
    """The group that receives transit-gateway and attachment flow logs, beside the VPCs' own.

    Transit gateways write AWS's transit-gateway format, which the VPC-format metric filters,
    queries and tables would miscount or misparse, so their records are kept apart."""
    return f"{log_group_name}{TRANSIT_GATEWAY_LOG_GROUP_SUFFIX}"


def transit_gateway_log_group_problems(log_group_name: str) -> list[str]:
    """Problems with ``logGroupName`` that only logging transit gateways shows: the name of
    their group must fit the same limit."""
    longest = _MAX_LOG_GROUP_NAME - len(TRANSIT_GATEWAY_LOG_GROUP_SUFFIX)
    if len(log_group_name) <= longest:
        return []
    return [
        f"logGroupName: {log_group_name!r} is {len(log_group_name)} characters; with transit "
        f"gateways to log it can be at most {longest}, since their records go to "
        f"'<logGroupName>{TRANSIT_GATEWAY_LOG_GROUP_SUFFIX}', which is limited to 512."
    ]


def log_format_problems(fields: Sequence[str]) -> list[str]:
    """Problems with a ``logFormat`` field list: empty, unknown or repeated fields."""
    problems = []
    seen: set[str] = set()
    for position, name in enumerate(fields, start=1):
        if not name.strip():
            problems.append(f"logFormat: field {position} is empty; name a flow-log field.")
        elif name not in FIELD_VERSIONS:
            close = difflib.get_close_matches(name, FIELD_VERSIONS, n=1)
            hint = (
                f"did you mean {close[0]!r}?"
                if close
                else "see docs/configuration.md#log-format-fields for the fields."
            )
            problems.append(f"logFormat: {name!r} is not a VPC flow-log field; {hint}")
        elif name in seen:
            problems.append(f"logFormat: {name!r} appears more than once; list each field once.")
        seen.add(name)
    return problems


def tag_problems(tags: Mapping[str, str]) -> list[str]:
    """Problems with the ``tags`` map: reserved or over-long keys, over-long values."""
    problems = []
    for key, value in tags.items():
        if not key or len(key) > _MAX_TAG_KEY or key.lower().startswith("aws:"):
            problems.append(
                f"tags: key {key!r} is not allowed; a tag key is 1 to {_MAX_TAG_KEY} "
                "characters and must not start with 'aws:'."
            )
        if len(value) > _MAX_TAG_VALUE:
            problems.append(
                f"tags: the value of {key!r} is {len(value)} characters; "
                f"the limit is {_MAX_TAG_VALUE}."
            )
    return problems


CONFIG_KEYS: Mapping[str, Decoder] = {
    "trafficType": as_string,
    "maxAggregationInterval": as_int,
    "logGroupName": as_string,
    "retentionInDays": as_int,
    "logFormat": as_string_list,
    "kmsKeyArn": as_string,
    "encryptLogs": as_bool,
    "flowLogName": as_string,
    "tags": as_string_map,
    "protectLogs": as_bool,
}
"""The config keys of ``FlowLogOptions``, with their decoders."""


def options_from_config(decoded: Mapping[str, object]) -> tuple[FlowLogOptions | None, list[str]]:
    """``FlowLogOptions`` from decoded config values, or the problems with them."""
    values: dict[str, object | None] = {
        "traffic_type": given(decoded, "trafficType"),
        "max_aggregation_interval": decoded.get("maxAggregationInterval"),
        "log_group_name": decoded.get("logGroupName"),
        "retention_in_days": decoded.get("retentionInDays"),
        "log_format": given(decoded, "logFormat"),
        "kms_key_arn": given(decoded, "kmsKeyArn"),
        "encrypt_logs": given(decoded, "encryptLogs"),
        "flow_log_name": decoded.get("flowLogName"),
        "tags": given(decoded, "tags"),
        "protect_logs": given(decoded, "protectLogs"),
    }
    try:
        return FlowLogOptions(**{k: v for k, v in values.items() if v is not None}), []  # type: ignore[arg-type]
    except SettingsError as error:
        return None, str(error).split("\n")
