"""The stack's settings: config keys of the ``vpc-flow-logs`` namespace, decoded and validated.

Everything here is pure: no ``Output``, no invoke, no resource. Every check runs before the
program registers anything, and every message names the key, the value given and what is
allowed, so ``pulumi preview`` fails fast and says how to fix the stack file.
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal, cast

import pulumi

from components.log_format import FIELD_VERSIONS

CONFIG_NAMESPACE = "vpc-flow-logs"

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

_VPC_ID = re.compile(r"vpc-(?:[0-9a-f]{8}|[0-9a-f]{17})")
_LOG_GROUP_CHARS = re.compile(r"[.\-_/#A-Za-z0-9]+")
_KMS_KEY_ARN = re.compile(
    r"arn:aws(?:-[a-z]+)*:kms:[a-z]{2}(?:-[a-z]+)+-\d:\d{12}:"
    r"key/(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})"
)
_MAX_LOG_GROUP_NAME = 512
_MAX_TAG_KEY = 128
_MAX_TAG_VALUE = 256


class SettingsError(pulumi.RunError):
    """Invalid settings. ``RunError`` makes Pulumi print the message without a stack trace."""


class TrafficType(StrEnum):
    """Which traffic a flow log records."""

    ALL = "ALL"
    ACCEPT = "ACCEPT"
    REJECT = "REJECT"


@dataclass(frozen=True)
class VpcIds:
    """Log exactly these VPCs."""

    ids: tuple[str, ...]


@dataclass(frozen=True)
class VpcName:
    """Log the one VPC in the region whose Name tag is ``name``."""

    name: str


@dataclass(frozen=True)
class AllVpcs:
    """Log every VPC in the stack's region."""


@dataclass(frozen=True)
class DefaultVpc:
    """Log the region's default VPC; the selection when no other is set."""


VpcSelection = VpcIds | VpcName | AllVpcs | DefaultVpc


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
    kms_key_arn: str | None = None
    """An existing KMS key to encrypt the log group with. Defaults to none."""
    encrypt_logs: bool = False
    """Create a customer-managed KMS key, with rotation, for the log group. Defaults to false."""
    flow_log_name: str = DEFAULT_FLOW_LOG_NAME
    """The Name tag on each flow log. Defaults to ``ASG-VPC-FlowLogs``."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags for every resource created. Defaults to none."""
    protect_logs: bool = False
    """Protect the log group and key from ``pulumi destroy``. Defaults to false."""

    def __post_init__(self) -> None:
        _raise_if(validate_options(self))
        # Normalise what callers may pass loosely (a plain string, a list), so the rest of the
        # program sees one type per field.
        object.__setattr__(self, "traffic_type", TrafficType(self.traffic_type))
        object.__setattr__(self, "log_format", tuple(self.log_format))
        object.__setattr__(self, "tags", dict(self.tags))


@dataclass(frozen=True)
class Settings:
    """A stack's whole configuration: which VPCs, and how their flow logs are recorded."""

    selection: VpcSelection
    options: FlowLogOptions


def _raise_if(problems: Sequence[str]) -> None:
    if problems:
        raise SettingsError("\n".join(problems))


def _choices(values: Sequence[object]) -> str:
    return ", ".join(str(v) for v in values)


def validate_options(options: FlowLogOptions) -> list[str]:
    """Every problem with ``options``, one message each; empty when they are valid."""
    problems: list[str] = []
    if options.traffic_type not in tuple(TrafficType):
        problems.append(
            f"trafficType: {options.traffic_type!r} is not a flow-log traffic type; "
            f"use one of {_choices(list(TrafficType))}."
        )
    if options.max_aggregation_interval not in AGGREGATION_INTERVALS:
        problems.append(
            f"maxAggregationInterval: {options.max_aggregation_interval!r} is not allowed; "
            "use 60 or 600 (seconds)."
        )
    problems += _retention_problems(options.retention_in_days)
    problems += _log_group_name_problems(options.log_group_name)
    problems += _log_format_problems(options.log_format)
    if options.kms_key_arn is not None and not _KMS_KEY_ARN.fullmatch(options.kms_key_arn):
        problems.append(
            f"kmsKeyArn: {options.kms_key_arn!r} is not a KMS key ARN; expected "
            "arn:<partition>:kms:<region>:<account>:key/<key-id> (an alias is not accepted)."
        )
    if options.kms_key_arn is not None and options.encrypt_logs:
        problems.append(
            "kmsKeyArn and encryptLogs are mutually exclusive: use an existing key "
            "(kmsKeyArn) or let the stack create one (encryptLogs: true), not both."
        )
    if not options.flow_log_name or len(options.flow_log_name) > _MAX_TAG_VALUE:
        problems.append(
            f"flowLogName: {options.flow_log_name!r} is not a valid Name tag; "
            f"use 1 to {_MAX_TAG_VALUE} characters."
        )
    problems += _tag_problems(options.tags)
    return problems


def _retention_problems(days: int) -> list[str]:
    if days in RETENTION_DAYS:
        return []
    allowed = f"use one of {_choices(RETENTION_DAYS)}."
    if days == 0:
        return [f"retentionInDays: 0 means never expire, which this project refuses; {allowed}"]
    return [f"retentionInDays: {days!r} is not a CloudWatch Logs retention; {allowed}"]


def _log_group_name_problems(name: str) -> list[str]:
    rule = "1 to 512 characters from A-Z a-z 0-9 . - _ / #"
    if not name:
        return [f"logGroupName: '' is empty; a log group name is {rule}."]
    problems = []
    if len(name) > _MAX_LOG_GROUP_NAME:
        problems.append(f"logGroupName: {name!r} is {len(name)} characters; the limit is 512.")
    bad = sorted({c for c in name if not _LOG_GROUP_CHARS.fullmatch(c)})
    if bad:
        problems.append(
            f"logGroupName: {name!r} has characters CloudWatch Logs refuses "
            f"({' '.join(repr(c) for c in bad)}); a log group name is {rule}."
        )
    if name.startswith("aws/"):
        problems.append(
            f"logGroupName: {name!r} starts with 'aws/', which AWS reserves; "
            f"use a name such as {DEFAULT_LOG_GROUP_NAME!r}."
        )
    return problems


def _log_format_problems(fields: Sequence[str]) -> list[str]:
    problems = []
    seen: set[str] = set()
    for position, name in enumerate(fields, start=1):
        if not name.strip():
            problems.append(f"logFormat: field {position} is empty; name a flow-log field.")
        elif name not in FIELD_VERSIONS:
            close = difflib.get_close_matches(name, FIELD_VERSIONS, n=1)
            hint = f"did you mean {close[0]!r}?" if close else "see the README for the fields."
            problems.append(f"logFormat: {name!r} is not a VPC flow-log field; {hint}")
        elif name in seen:
            problems.append(f"logFormat: {name!r} appears more than once; list each field once.")
        seen.add(name)
    return problems


def _tag_problems(tags: Mapping[str, str]) -> list[str]:
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


def validate_vpc_ids(ids: Sequence[str]) -> list[str]:
    """Problems with a list of literal VPC ids: malformed or repeated ones."""
    problems = []
    seen: set[str] = set()
    for vpc_id in ids:
        if not _VPC_ID.fullmatch(vpc_id):
            problems.append(
                f"vpcIds: {vpc_id!r} is not a VPC id; "
                "expected 'vpc-' followed by 8 or 17 lowercase hex digits."
            )
        elif vpc_id in seen:
            problems.append(f"vpcIds: {vpc_id!r} appears more than once; list each VPC once.")
        seen.add(vpc_id)
    return problems


# Config decoding. The CLI hands every value to the program as a string (JSON for arrays and
# objects) and has already type-checked stack values against Pulumi.yaml; the checks below
# still run, because programs are also run by tests and by other tools with raw config.


def _as_string(key: str, value: object) -> str:
    if not isinstance(value, str):
        raise _TypeProblem(f"{key}: {value!r} is not a string.")
    return value


def _as_bool(key: str, value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.lower() in ("true", "false"):
        return value.lower() == "true"
    raise _TypeProblem(f"{key}: {value!r} is not a boolean; use true or false.")


def _as_int(key: str, value: object) -> int:
    if isinstance(value, bool):
        raise _TypeProblem(f"{key}: {value!r} is not a whole number.")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
        return int(value)
    raise _TypeProblem(f"{key}: {value!r} is not a whole number.")


def _as_json(key: str, value: object, kind: type, noun: str) -> object:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError:
            raise _TypeProblem(f"{key}: {value!r} is not {noun} (it is not valid JSON).") from None
    if not isinstance(value, kind):
        raise _TypeProblem(f"{key}: {value!r} is not {noun}.")
    return value


def _as_string_list(key: str, value: object) -> tuple[str, ...]:
    items = cast(list[object], _as_json(key, value, list, "a list of strings"))
    if not all(isinstance(item, str) for item in items):
        raise _TypeProblem(f"{key}: {items!r} is not a list of strings.")
    return tuple(cast(list[str], items))


def _as_string_map(key: str, value: object) -> dict[str, str]:
    items = cast(dict[object, object], _as_json(key, value, dict, "a map of strings"))
    if not all(isinstance(v, str) for v in items.values()):
        raise _TypeProblem(f"{key}: {items!r} is not a map of strings.")
    return cast(dict[str, str], items)


class _TypeProblem(Exception):
    pass


CONFIG_KEYS: Mapping[str, Callable[[str, object], object]] = {
    "vpcIds": _as_string_list,
    "vpcName": _as_string,
    "allVpcs": _as_bool,
    "trafficType": _as_string,
    "maxAggregationInterval": _as_int,
    "logGroupName": _as_string,
    "retentionInDays": _as_int,
    "logFormat": _as_string_list,
    "kmsKeyArn": _as_string,
    "encryptLogs": _as_bool,
    "flowLogName": _as_string,
    "tags": _as_string_map,
    "protectLogs": _as_bool,
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
                f"{_choices(sorted(CONFIG_KEYS))}."
            )
            continue
        try:
            decoded[key] = decoder(key, value)
        except _TypeProblem as problem:
            problems.append(str(problem))
    _raise_if(problems)

    def given(key: str) -> object | None:
        value = decoded.get(key)
        return value if value not in (None, "", (), {}, False) else None

    selection, selection_problems = _selection(
        cast(tuple[str, ...] | None, given("vpcIds")),
        cast(str | None, given("vpcName")),
        given("allVpcs") is True,
    )
    problems += selection_problems

    options_args: dict[str, object] = {
        "traffic_type": given("trafficType"),
        "max_aggregation_interval": decoded.get("maxAggregationInterval"),
        "log_group_name": decoded.get("logGroupName"),
        "retention_in_days": decoded.get("retentionInDays"),
        "log_format": given("logFormat"),
        "kms_key_arn": given("kmsKeyArn"),
        "encrypt_logs": given("encryptLogs"),
        "flow_log_name": decoded.get("flowLogName"),
        "tags": given("tags"),
        "protect_logs": given("protectLogs"),
    }
    try:
        options = FlowLogOptions(**{k: v for k, v in options_args.items() if v is not None})  # type: ignore[arg-type]
    except SettingsError as error:
        problems += str(error).split("\n")
    _raise_if(problems)
    return Settings(selection=cast(VpcSelection, selection), options=options)


def _selection(
    vpc_ids: tuple[str, ...] | None, vpc_name: str | None, all_vpcs: bool
) -> tuple[VpcSelection | None, list[str]]:
    chosen = [
        key
        for key, is_set in (("vpcIds", vpc_ids), ("vpcName", vpc_name), ("allVpcs", all_vpcs))
        if is_set
    ]
    if len(chosen) > 1:
        return None, [
            f"vpcIds, vpcName and allVpcs are mutually exclusive, but {' and '.join(chosen)} "
            "are all set; set at most one (none means the region's default VPC)."
            if len(chosen) == 3
            else f"vpcIds, vpcName and allVpcs are mutually exclusive, but {chosen[0]} and "
            f"{chosen[1]} are both set; set at most one (none means the region's default VPC)."
        ]
    if vpc_ids:
        return VpcIds(vpc_ids), validate_vpc_ids(vpc_ids)
    if vpc_name:
        return VpcName(vpc_name), []
    if all_vpcs:
        return AllVpcs(), []
    return DefaultVpc(), []


def load_settings(config: pulumi.Config | None = None) -> Settings:
    """Read and validate this program's settings from the stack's config."""
    config = config or pulumi.Config(CONFIG_NAMESPACE)
    raw = {key: value for key in CONFIG_KEYS if (value := config.get(key)) is not None}
    return parse_settings(raw)
