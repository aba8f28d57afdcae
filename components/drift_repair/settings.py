"""Repairing VPCs made outside the stack: ``DriftRepairSettings``, its validators and config keys.

Everything here is pure: no ``Output``, no invoke, no resource. The stack's ``repairDrift`` key
says whether to repair at all; ``DriftRepairSettings`` is what the ``DriftRepair`` component
builds from, validated on construction so that a bad value can never reach a resource, with
every message naming the key, the value given and what is allowed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pulumi

from components.config import choices, field_values, raise_if
from components.flow_logs.log_format import render_log_format
from components.flow_logs.settings import (
    DEFAULT_FLOW_LOG_NAME,
    TrafficType,
    aggregation_interval_problems,
    flow_log_name_problems,
    log_format_problems,
    tag_problems,
    traffic_type_problems,
)
from components.regions import region_problems
from components.storage.settings import FileFormat

CONFIG_RULE = "VPC_FLOW_LOGS_ENABLED"
"""The AWS Config managed rule (``vpc-flow-logs-enabled``) that finds VPCs without flow logs."""

DEFAULT_MAXIMUM_ATTEMPTS = 5
"""AWS's own default number of automatic attempts per non-compliant VPC."""
DEFAULT_RETRY_SECONDS = 60
"""AWS's own default window, in seconds, over which those attempts are counted."""
MAXIMUM_ATTEMPTS_RANGE = (1, 25)
"""What ``PutRemediationConfigurations`` accepts for ``MaximumAutomaticAttempts``."""
RETRY_SECONDS_RANGE = (1, 2_678_000)
"""What ``PutRemediationConfigurations`` accepts for ``RetryAttemptSeconds`` (31 days)."""

_LOG_GROUP_ARN = re.compile(
    r"arn:aws(?:-[a-z]+)*:logs:[a-z]{2}(?:-[a-z]+)+-\d{1,2}:\d{12}:log-group:[.\-_/#A-Za-z0-9]+"
)
_ROLE_ARN = re.compile(r"arn:aws(?:-[a-z]+)*:iam::\d{12}:role/[\w+=,.@/-]+")
_BUCKET_ARN = re.compile(r"arn:aws(?:-[a-z]+)*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9](?:/.+)?")


@dataclass(frozen=True)
class DriftRepairSettings:
    """Where repaired flow logs deliver, what they record, and how often a repair is retried.

    A CloudWatch log group with its delivery role, an S3 bucket, or both: a repaired VPC gets a
    flow log to each, as the stack's own VPCs do.
    """

    region: str | None = None
    """The region of the rule and its remediation. Defaults to the provider's region."""
    log_group_arn: pulumi.Input[str] | None = None
    """The log group repaired flow logs deliver to, in ``region``. Needs ``delivery_role_arn``."""
    delivery_role_arn: pulumi.Input[str] | None = None
    """The role the flow-logs service assumes to write into ``log_group_arn``."""
    log_bucket_arn: pulumi.Input[str] | None = None
    """The S3 bucket (ARN, optionally with ``/prefix``) repaired flow logs deliver to, instead of
    or beside the log group."""
    traffic_type: TrafficType = TrafficType.ALL
    """What the Config rule demands and the repaired flow logs record. Defaults to ALL."""
    max_aggregation_interval: int = 60
    """Seconds aggregated into one record of a repaired flow log: 60 or 600. Defaults to 60."""
    log_format: tuple[str, ...] = ()
    """Record fields of repaired flow logs. Defaults to empty, AWS's default format."""
    flow_log_name: str = DEFAULT_FLOW_LOG_NAME
    """The Name tag on each repaired flow log. Defaults to ``ASG-VPC-FlowLogs``."""
    file_format: FileFormat = FileFormat.PARQUET
    """With ``log_bucket_arn``: ``parquet`` or ``plain-text``. Defaults to ``parquet``."""
    hive_partitions: bool = True
    """With ``log_bucket_arn``: Hive-compatible (``key=value``) prefixes. Defaults to true."""
    per_hour_partition: bool = False
    """With ``log_bucket_arn``: an hour level in the prefixes. Defaults to false."""
    maximum_automatic_attempts: int = DEFAULT_MAXIMUM_ATTEMPTS
    """Attempts per non-compliant VPC within ``retry_attempt_seconds``. Defaults to 5."""
    retry_attempt_seconds: int = DEFAULT_RETRY_SECONDS
    """The window over which attempts are counted. Defaults to 60 seconds."""
    tags: Mapping[str, str] = field(default_factory=dict)
    """Tags for every resource created. Defaults to none."""

    def __post_init__(self) -> None:
        raise_if(validate_drift_repair(self))
        object.__setattr__(self, "traffic_type", TrafficType(self.traffic_type))
        object.__setattr__(self, "log_format", tuple(self.log_format))
        object.__setattr__(self, "file_format", FileFormat(self.file_format))
        object.__setattr__(self, "tags", dict(self.tags))

    @property
    def to_cloudwatch(self) -> bool:
        """Whether repaired flow logs deliver to a log group (given with its role, or either)."""
        return self.log_group_arn is not None or self.delivery_role_arn is not None

    @classmethod
    def from_args(cls, args: Mapping[str, object]) -> DriftRepairSettings:
        """The settings among a ``DriftRepairArgs``, validated; absent keys take defaults."""
        return cls(**field_values(cls, args))  # type: ignore[arg-type]


def validate_drift_repair(settings: DriftRepairSettings) -> list[str]:
    """Every problem with ``settings``, one message each; empty when they are valid."""
    problems: list[str] = []
    if settings.region is not None:
        problems += region_problems([settings.region], "region")
    problems += _destination_problems(settings)
    problems += traffic_type_problems(settings.traffic_type)
    problems += aggregation_interval_problems(settings.max_aggregation_interval)
    problems += log_format_problems(settings.log_format)
    problems += flow_log_name_problems(settings.flow_log_name)
    if settings.file_format not in tuple(FileFormat):
        problems.append(
            f"fileFormat: {settings.file_format!r} is not a flow-log file format; "
            f"use one of {choices(list(FileFormat))}."
        )
    problems += _range_problems(
        "maximumAutomaticAttempts", settings.maximum_automatic_attempts, MAXIMUM_ATTEMPTS_RANGE
    )
    problems += _range_problems(
        "retryAttemptSeconds", settings.retry_attempt_seconds, RETRY_SECONDS_RANGE
    )
    problems += tag_problems(settings.tags)
    return problems


def _destination_problems(settings: DriftRepairSettings) -> list[str]:
    if settings.log_bucket_arn is None and not settings.to_cloudwatch:
        return [
            "DriftRepair needs a destination: logGroupArn with deliveryRoleArn, logBucketArn, "
            "or both."
        ]
    problems = []
    if settings.log_bucket_arn is not None:
        problems += _arn_problems(
            "logBucketArn", settings.log_bucket_arn, _BUCKET_ARN, "an S3 bucket"
        )
    if not settings.to_cloudwatch:
        return problems
    if settings.log_group_arn is None:
        problems.append("logGroupArn: missing; deliveryRoleArn needs the log group it writes to.")
    else:
        problems += _arn_problems(
            "logGroupArn", settings.log_group_arn, _LOG_GROUP_ARN, "a CloudWatch log group"
        )
    if settings.delivery_role_arn is None:
        problems.append(
            "deliveryRoleArn: missing; CloudWatch delivery needs the role the flow-logs "
            "service assumes."
        )
    else:
        problems += _arn_problems(
            "deliveryRoleArn", settings.delivery_role_arn, _ROLE_ARN, "an IAM role"
        )
    if (
        isinstance(settings.log_group_arn, str)
        and settings.region is not None
        and not region_problems([settings.region], "region")
        and _LOG_GROUP_ARN.fullmatch(settings.log_group_arn)
        and settings.log_group_arn.split(":")[3] != settings.region
    ):
        problems.append(
            f"logGroupArn: {settings.log_group_arn!r} is not in region {settings.region!r}; "
            "a flow log delivers only to a log group in its own region."
        )
    return problems


def _arn_problems(
    key: str, arn: pulumi.Input[str], pattern: re.Pattern[str], noun: str
) -> list[str]:
    # An output is checked by AWS once it is known; only a literal can be checked here.
    if not isinstance(arn, str) or pattern.fullmatch(arn):
        return []
    return [f"{key}: {arn!r} is not the ARN of {noun}."]


def _range_problems(key: str, value: int, bounds: tuple[int, int]) -> list[str]:
    low, high = bounds
    if isinstance(value, int) and not isinstance(value, bool) and low <= value <= high:
        return []
    return [f"{key}: {value!r} is out of range; use a whole number from {low} to {high}."]


def log_format_for_repair(fields: Sequence[str]) -> str | None:
    """The ``LogFormat`` of repaired flow logs, or None for AWS's default format."""
    return render_log_format(fields) if fields else None
