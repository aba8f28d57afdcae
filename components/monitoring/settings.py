"""How flow logs are watched: ``MonitoringSettings``, its validators and its config keys.

Everything here is pure: no ``Output``, no invoke, no resource. The stack's config and the
``FlowLogMonitoring`` component's arguments both go through ``MonitoringSettings``, so one rule
lives in one place and every message names the key, the value given and what is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from typing import Any

from components.config import (
    SettingsError,
    as_int,
    given,
    raise_if,
)
from components.flow_logs.log_format import DEFAULT_FIELDS
from components.flow_logs.settings import log_format_problems, tag_problems
from components.monitoring.egress import EGRESS_BYTES
from components.monitoring.metric_filters import (
    ACCEPTED,
    ADMIN_PORT_PROBES,
    KNOWN_BAD_FIELDS,
    MAX_FILTERS_PER_LOG_GROUP,
    REJECTED,
    Detection,
    pack_known_bad,
    parse_entry,
)
from components.monitoring.receivers import (
    NO_RECEIVER,
    TOPIC_OR_EMAILS,
    email_problems,
    receiver_problems,
    topic_problems,
)
from components.storage.settings import prefix_problems

DEFAULT_REJECTED_THRESHOLD = 1000
DEFAULT_ADMIN_PORT_THRESHOLD = 10
DEFAULT_EGRESS_ANOMALY_BAND = 3
DEFAULT_DELIVERY_STOPPED_MINUTES = 30
MAX_DELIVERY_STOPPED_MINUTES = 1440
"""CloudWatch evaluates one-minute periods over at most a day."""
MIN_S3_DELIVERY_MINUTES = 15
"""The shortest ``deliveryStoppedMinutes`` with an S3 watch (the CloudWatch one takes 1)."""


def s3_minutes_problems(minutes: int) -> list[str]:
    """The problem when ``minutes`` is too short a window for the S3 delivery watch."""
    if not 0 < minutes < MIN_S3_DELIVERY_MINUTES:
        return []
    return [
        f"deliveryStoppedMinutes: {minutes} is too short to watch delivery to S3: flow logs write "
        "a file to S3 about every 5 minutes, and S3's request metrics are best-effort, so the "
        f"alarm would flap. Use {MIN_S3_DELIVERY_MINUTES} or more, or 0 to turn the "
        "delivery-stopped alarms off."
    ]


_NAMESPACE = re.compile(r"(?!AWS/)[^:*$]{1,255}")
_DASHBOARD = re.compile(r"[A-Za-z0-9_-]{1,255}")


@dataclass(frozen=True)
class MonitoringSettings:
    """How a flow-log group is watched. Validated on construction.

    Each threshold, the band and the minutes take 0 to turn that alarm off.
    """

    log_format: Sequence[str] = ()
    """The flow log's record fields, in order. Defaults to empty: AWS's default format."""
    alarm_emails: Sequence[str] = ()
    """Email addresses subscribed to the alarm topic. Defaults to none."""
    alarm_topic_arn: str | Mapping[str, str] | None = None
    """An existing SNS topic the alarms notify, or a map of region to topic for a stack of
    several regions; no topic is created. Defaults to none."""
    rejected_threshold: int = DEFAULT_REJECTED_THRESHOLD
    """REJECT records in 5 minutes that raise the rejected-connections alarm. Defaults to 1000."""
    admin_port_threshold: int = DEFAULT_ADMIN_PORT_THRESHOLD
    """Rejected TCP connections to port 22 or 3389 in an hour that raise the admin-port alarm.
    Defaults to 10 (AWS's own example)."""
    egress_anomaly_band: int = DEFAULT_EGRESS_ANOMALY_BAND
    """Width, in standard deviations, of the anomaly band on outbound bytes. Defaults to 3."""
    known_bad_addresses: Sequence[str] = ()
    """IPv4 addresses and CIDR blocks; any record from or to one raises an alarm. Defaults to
    none."""
    delivery_stopped_minutes: int = DEFAULT_DELIVERY_STOPPED_MINUTES
    """Minutes without records that raise the delivery-stopped alarm. Defaults to 30."""
    metric_namespace: str | None = None
    """The namespace of the filters' metrics. Defaults to none: the component uses
    ``VPCFlowLogs/<stack>/<component name>``."""
    dashboard_name: str | None = None
    """The dashboard's name, unique in the account. Defaults to none: the component uses
    ``<component name>-<stack>``."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags for every resource created. Defaults to none."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "log_format", tuple(self.log_format))
        object.__setattr__(self, "alarm_emails", tuple(self.alarm_emails))
        object.__setattr__(self, "known_bad_addresses", tuple(self.known_bad_addresses))
        object.__setattr__(self, "tags", dict(self.tags))
        raise_if(validate_monitoring(self))

    @property
    def fields(self) -> tuple[str, ...]:
        """The record fields in order, the default format's when none are given."""
        return tuple(self.log_format) or DEFAULT_FIELDS

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> MonitoringSettings:
        """Settings from a ``FlowLogMonitoringArgs``; raises ``SettingsError`` listing every
        problem. Values that are not known yet (``Output``) are left to the component."""
        values, problems = _from_args(args)
        raise_if(problems)
        return cls(**values)


def validate_monitoring(settings: MonitoringSettings) -> list[str]:
    """Every problem with ``settings``, one message each; empty when they are valid."""
    problems: list[str] = []
    for key, value in (
        ("rejectedThreshold", settings.rejected_threshold),
        ("adminPortThreshold", settings.admin_port_threshold),
        ("egressAnomalyBand", settings.egress_anomaly_band),
        ("deliveryStoppedMinutes", settings.delivery_stopped_minutes),
    ):
        if value < 0:
            problems.append(f"{key}: {value} is negative; use a positive number, or 0 to turn off.")
    if settings.delivery_stopped_minutes > MAX_DELIVERY_STOPPED_MINUTES:
        problems.append(
            f"deliveryStoppedMinutes: {settings.delivery_stopped_minutes} is more than a day; "
            f"CloudWatch evaluates at most {MAX_DELIVERY_STOPPED_MINUTES} one-minute periods. "
            "Use 1 to 1440, or 0 to turn off."
        )
    problems += log_format_problems(settings.log_format)
    problems += email_problems(settings.alarm_emails)
    if settings.alarm_topic_arn is not None:
        problems += topic_problems(settings.alarm_topic_arn)
        if settings.alarm_emails:
            problems.append(TOPIC_OR_EMAILS)
    address_problems = known_bad_problems(settings.known_bad_addresses)
    problems += address_problems
    if not address_problems and not log_format_problems(settings.log_format):
        problems += capacity_problems(settings)
    if settings.metric_namespace is not None and not _NAMESPACE.fullmatch(
        settings.metric_namespace
    ):
        problems.append(
            f"metricNamespace: {settings.metric_namespace!r} is not a CloudWatch namespace; use "
            "1 to 255 characters without : * or $, not starting with 'AWS/'."
        )
    if settings.dashboard_name is not None and not _DASHBOARD.fullmatch(settings.dashboard_name):
        problems.append(
            f"dashboardName: {settings.dashboard_name!r} is not a dashboard name; use 1 to 255 "
            "letters, digits, - and _."
        )
    problems += tag_problems(settings.tags)
    return problems


def known_bad_problems(entries: Sequence[str]) -> list[str]:
    """Problems with the ``knownBadAddresses`` entries: not IPv4, or a CIDR with host bits set."""
    problems = []
    for entry in entries:
        try:
            parse_entry(entry)
        except ValueError as error:
            if "has host bits set" in str(error):
                network = parse_entry(entry.split("/")[0] + "/32").supernet(
                    new_prefix=int(entry.split("/")[1])
                )
                problems.append(
                    f"knownBadAddresses: {entry!r} has host bits set; "
                    f"did you mean {str(network)!r}?"
                )
            else:
                problems.append(
                    f"knownBadAddresses: {entry!r} is not an IPv4 address or CIDR block; "
                    "use a.b.c.d or a.b.c.d/n (IPv6 is not supported)."
                )
    return problems


def active_detections(settings: MonitoringSettings) -> list[Detection]:
    """The metric filters other than the known-bad ones, for this format and these settings.

    Accepted and rejected records are counted whenever the format has ``action`` (the dashboard
    shows both); the admin-port and egress filters only when their alarm is on.
    """
    wanted = [
        (ACCEPTED, True),
        (REJECTED, True),
        (ADMIN_PORT_PROBES, settings.admin_port_threshold > 0),
        (EGRESS_BYTES, settings.egress_anomaly_band > 0),
    ]
    return [d for d, on in wanted if on and not d.missing(settings.fields)]


def skipped_alarms(settings: MonitoringSettings) -> list[str]:
    """A warning for each alarm that is on but whose fields the format lacks.

    Each names the missing fields and a ``logFormat`` that would enable the alarm. An alarm
    turned off with 0 (or an empty known-bad list) is not skipped: it gives no warning.
    """
    fields = settings.fields
    alarms = [
        ("rejected-connections", REJECTED.missing(fields), settings.rejected_threshold > 0),
        ("admin-port", ADMIN_PORT_PROBES.missing(fields), settings.admin_port_threshold > 0),
        ("unusual-egress", EGRESS_BYTES.missing(fields), settings.egress_anomaly_band > 0),
        (
            "known-bad-address",
            [f for f in KNOWN_BAD_FIELDS if f not in fields],
            bool(settings.known_bad_addresses),
        ),
    ]
    warnings = []
    for title, missing, on in alarms:
        if on and missing:
            enabling = [*settings.fields, *missing]
            warnings.append(
                f"The {title} alarm is skipped: the flow-log format has no "
                f"{' or '.join(repr(f) for f in missing)} field. A logFormat that enables it: "
                f"[{', '.join(enabling)}] (changing the format replaces the flow logs)."
            )
    return warnings


def record_alarms_skipped(settings: MonitoringSettings) -> str | None:
    """The one warning when there is no log group: every alarm on the records that is on is
    skipped, and only S3 delivery is watched. None when all of them are off."""
    alarms = [
        ("rejected-connections", settings.rejected_threshold > 0),
        ("admin-port", settings.admin_port_threshold > 0),
        ("unusual-egress", settings.egress_anomaly_band > 0),
        ("known-bad-address", bool(settings.known_bad_addresses)),
    ]
    skipped = [title for title, on in alarms if on]
    if not skipped:
        return None
    return (
        f"The {', '.join(skipped)} alarms are skipped: they count flow-log records in "
        "CloudWatch Logs, and these flow logs deliver only to S3 (destination: s3). Only S3 "
        "delivery is watched; set destination to 'both' for the others."
    )


def known_bad_budget(settings: MonitoringSettings) -> int:
    """Metric filters left for known-bad addresses beside the others on the log group."""
    fields = settings.fields
    return MAX_FILTERS_PER_LOG_GROUP - sum(
        len(d.patterns(fields)) for d in active_detections(settings)
    )


def capacity_problems(settings: MonitoringSettings) -> list[str]:
    """A problem when the known-bad list does not fit in CloudWatch's limits."""
    entries = settings.known_bad_addresses
    if not entries or any(f not in settings.fields for f in KNOWN_BAD_FIELDS):
        return []
    budget = known_bad_budget(settings)
    packing = pack_known_bad(entries, settings.fields, budget)
    if packing.entries_fitting == len(entries):
        return []
    return [
        f"knownBadAddresses: {len(entries)} entries need {packing.filters_needed} metric filters "
        f"of at most 1,024 characters, but only {budget} are left beside the "
        f"{MAX_FILTERS_PER_LOG_GROUP - budget} other filters (CloudWatch allows "
        f"{MAX_FILTERS_PER_LOG_GROUP} per log group); the first {packing.entries_fitting} "
        "entries fit. Shorten the list, merge addresses into CIDR blocks, or use GuardDuty for "
        "threat intelligence."
    ]


_CONFIG_FIELDS: Mapping[str, str] = {
    "logFormat": "log_format",
    "alarmEmails": "alarm_emails",
    "alarmTopicArn": "alarm_topic_arn",
    "rejectedThreshold": "rejected_threshold",
    "adminPortThreshold": "admin_port_threshold",
    "egressAnomalyBand": "egress_anomaly_band",
    "knownBadAddresses": "known_bad_addresses",
    "deliveryStoppedMinutes": "delivery_stopped_minutes",
    "tags": "tags",
}


def monitoring_from_config(
    decoded: Mapping[str, object],
) -> tuple[MonitoringSettings | None, list[str]]:
    """``MonitoringSettings`` from decoded config values, or the problems with them.

    None without problems when ``alarms`` is off: then nothing is created, and nothing checked.
    """
    if not given(decoded, "alarms"):
        return None, []
    values: dict[str, Any] = {}
    for key, name in _CONFIG_FIELDS.items():
        # An empty alarmTopicArn is Pulumi.yaml's default, meaning unset.
        value = given(decoded, key) if key == "alarmTopicArn" else decoded.get(key)
        if value is not None:
            values[name] = value
    receiver = receiver_problems(
        values.get("alarm_emails") or (), values.get("alarm_topic_arn") is not None
    )
    try:
        settings = MonitoringSettings(**values)
    except SettingsError as error:
        return None, str(error).split("\n") + receiver
    return (None, receiver) if receiver else (settings, [])


def monitoring_key_problems(decoded: Mapping[str, object]) -> list[str]:
    """Every problem with the monitoring keys' values, whether ``alarms`` is on or not, in the
    messages ``monitoring_from_config`` gives; a missing receiver matters only when it is on."""
    _, problems = monitoring_from_config({**decoded, "alarms": True})
    return [problem for problem in problems if problem != NO_RECEIVER]


# The component's args use the settings' own field names; integers may arrive as floats when
# the component is constructed over Pulumi's provider protocol.
_INT_FIELDS = (
    "rejected_threshold",
    "admin_port_threshold",
    "egress_anomaly_band",
    "delivery_stopped_minutes",
)
_CAMEL = {name: key for key, name in _CONFIG_FIELDS.items()}


def _from_args(args: Mapping[str, Any]) -> tuple[dict[str, Any], list[str]]:
    names = {f.name for f in fields(MonitoringSettings)}
    values: dict[str, Any] = {}
    problems: list[str] = []
    group, bucket = args.get("log_group_name"), args.get("s3_bucket_name")
    if group in (None, "") and bucket in (None, ""):
        problems.append(
            "logGroupName and s3BucketName are both empty; give the flow-log group to watch, "
            "the bucket the flow logs deliver to, or both."
        )
    prefix = args.get("s3_prefix")
    if prefix and bucket in (None, ""):
        problems.append(
            f"s3Prefix: {prefix!r} is given without s3BucketName; give the bucket it is in."
        )
    problems += prefix_problems(prefix or "")
    minutes = args.get("delivery_stopped_minutes")
    if bucket not in (None, "") and isinstance(minutes, int | float):
        problems += s3_minutes_problems(int(minutes))
    topic = args.get("alarm_topic_arn")
    problems += receiver_problems(args.get("alarm_emails") or (), topic not in (None, ""))
    for name in names:
        if args.get(name) is None or (name == "alarm_topic_arn" and args[name] == ""):
            continue
        value = args[name]
        if name in _INT_FIELDS:
            try:
                value = as_int(_CAMEL[name], value)
            except Exception as problem:
                problems.append(str(problem))
                continue
        if name == "alarm_topic_arn" and not isinstance(value, str):
            # An Output: the topic comes from another resource, and AWS checks its ARN.
            if args.get("alarm_emails"):
                problems.append(TOPIC_OR_EMAILS)
            continue
        values[name] = value
    return values, problems
