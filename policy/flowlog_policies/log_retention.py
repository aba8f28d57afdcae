"""``vpc-flow-log-retention``: a log group or bucket that receives flow logs keeps them for a set
time.

Retention 0 (or absent) means never expire: logs and the bill grow for ever. CIS suggests keeping
flow logs for at least 365 days, which is the default minimum; ``policy/config/dev.json`` lowers it
for short-lived stacks. Log groups are linked to flow logs through the ``logDestination`` property
dependency first, then by literal ARN (or ``logGroupName`` for aws-native).

A bucket of the stack that receives flow logs needs an enabled lifecycle rule
(``aws.s3.BucketLifecycleConfiguration``) that covers the objects' key prefix
(``[prefix/]AWSLogs/``) and expires them within the same range. Buckets are linked to flow logs
through the ``logDestination`` property dependency, then by the bucket name in the destination ARN;
lifecycle configurations to buckets through their ``bucket`` property dependency, then by name. A
flow log to a bucket outside the stack is listed by ``vpc-flow-log-checks-resolvable``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    PolicyResource,
    Severity,
    StackValidationPolicy,
)

from .destinations import (
    ReceivingBucket,
    cloudwatch_log_groups,
    firehose_notes,
    lifecycle_configurations,
    s3_buckets,
)
from .graph import UNKNOWN, as_list, read
from .scaffolding import Finding, Findings, checked_when_known, stack_validation

NAME: Final = "vpc-flow-log-retention"
MAX_RETENTION_DAYS: Final = 3653
DEFAULTS: Final[Mapping[str, Any]] = {
    "minimumRetentionDays": 365,
    "maximumRetentionDays": MAX_RETENTION_DAYS,
}

CONFIG_SCHEMA: Final = PolicyConfigSchema(
    properties={
        "minimumRetentionDays": {
            "type": "integer",
            "minimum": 1,
            "maximum": MAX_RETENTION_DAYS,
            "default": DEFAULTS["minimumRetentionDays"],
            "description": "Fewest days a flow-log log group or bucket may keep records. "
            "Defaults to 365.",
        },
        "maximumRetentionDays": {
            "type": "integer",
            "minimum": 1,
            "maximum": MAX_RETENTION_DAYS,
            "default": DEFAULTS["maximumRetentionDays"],
            "description": "Most days a flow-log log group or bucket may keep records. "
            "Defaults to 3653.",
        },
    }
)


def check(resources: Sequence[PolicyResource], config: Mapping[str, Any]) -> Findings:
    """Report each flow-log log group whose retention is unset or outside the configured range."""
    minimum = int(config["minimumRetentionDays"])
    maximum = int(config["maximumRetentionDays"])
    groups, unresolved = cloudwatch_log_groups(resources)
    findings = Findings(unresolved=unresolved)
    for group, _ in groups:
        days = read(group.props, "retentionInDays")
        if days is UNKNOWN:
            findings.unresolved.append(
                checked_when_known(
                    f"Log group '{group.name}' has a retentionInDays that", NAME, group.urn
                )
            )
            continue
        days = int(days) if isinstance(days, int | float) else 0
        if days <= 0:
            message = (
                f"Log group '{group.name}' receives flow logs and never expires them "
                f"(retentionInDays is not set). Set retentionInDays between {minimum} and "
                f"{maximum}."
            )
        elif days < minimum or days > maximum:
            message = (
                f"Log group '{group.name}' keeps flow logs for {days} days; this policy requires "
                f"between {minimum} and {maximum}. Set retentionInDays within that range."
            )
        else:
            continue
        findings.violations.append(Finding(message, group.urn))
    buckets, unresolved = s3_buckets(resources)
    findings.unresolved.extend(unresolved)
    findings.unresolved.extend(firehose_notes(resources))
    for receiving in buckets:
        _check_bucket(resources, receiving, minimum, maximum, findings)
    return findings


class _Unsure(Exception):
    """A lifecycle value is unknown during the preview."""


def _known(value: Any) -> Any:
    if value is UNKNOWN:
        raise _Unsure
    return value


def _rule_prefix(rule: Any) -> str | None:
    """The key prefix an enabled rule applies to ("" for the whole bucket), or None when the
    rule is disabled or narrowed by tags or object sizes (it may then miss log objects)."""
    if _known(read(rule, "status")) != "Enabled":
        return None
    prefix = _known(read(rule, "prefix")) or ""
    rule_filter = _known(read(rule, "filter"))
    if isinstance(rule_filter, Mapping):
        both = _known(read(rule_filter, "and"))
        narrowing = ["tag", "objectSizeGreaterThan", "objectSizeLessThan"]
        if any(_known(read(rule_filter, key)) for key in narrowing):
            return None
        if isinstance(both, Mapping):
            if any(_known(read(both, key)) for key in ["tags", *narrowing[1:]]):
                return None
            prefix = _known(read(both, "prefix")) or prefix
        prefix = _known(read(rule_filter, "prefix")) or prefix
    return str(prefix)


def _expiration_days(rule: Any) -> int | None:
    expiration = _known(read(rule, "expiration"))
    if not isinstance(expiration, Mapping):
        return None
    days = _known(read(expiration, "days"))
    return int(days) if isinstance(days, int | float) and days > 0 else None


def _check_bucket(
    resources: Sequence[PolicyResource],
    receiving: ReceivingBucket,
    minimum: int,
    maximum: int,
    findings: Findings,
) -> None:
    """Judge the lifecycle of one bucket that receives flow logs, once per key prefix."""
    bucket = receiving.bucket
    rules: list[Any] = []
    unsure = False
    for configuration in lifecycle_configurations(resources, bucket):
        value = read(configuration.props, "rules")
        unsure = unsure or value is UNKNOWN
        rules.extend(as_list(value))
    prefixes: list[Any] = []
    for prefix in receiving.key_prefixes:
        if prefix not in prefixes:
            prefixes.append(prefix)
    for prefix in prefixes:
        days: list[int] = []
        prefix_unsure = unsure
        for rule in rules:
            try:
                rule_prefix = _rule_prefix(_known(rule))
                covers = rule_prefix is not None and (
                    rule_prefix == "" or (prefix is not UNKNOWN and prefix.startswith(rule_prefix))
                )
                if covers and (rule_days := _expiration_days(rule)) is not None:
                    days.append(rule_days)
            except _Unsure:
                prefix_unsure = True
        where = "its flow-log objects" if prefix is UNKNOWN else f"flow logs under '{prefix}'"
        if days:
            # S3 applies the earliest of the expirations that match an object.
            kept = min(days)
            if minimum <= kept <= maximum:
                continue
            message = (
                f"Bucket '{bucket.name}' expires {where} after {kept} days; this policy requires "
                f"between {minimum} and {maximum}. Set the lifecycle rule's expiration days "
                "within that range."
            )
        elif prefix_unsure or prefix is UNKNOWN:
            findings.unresolved.append(
                Finding(
                    f"Bucket '{bucket.name}' has lifecycle rules or a flow-log prefix that are "
                    f"unknown during this preview; {NAME} checks its expiration when they are "
                    "known.",
                    bucket.urn,
                )
            )
            continue
        else:
            message = (
                f"Bucket '{bucket.name}' receives {where} and no enabled lifecycle rule expires "
                "them, so they are kept for ever. Add a lifecycle rule on that prefix with "
                f"expiration days between {minimum} and {maximum}."
            )
        findings.violations.append(Finding(message, bucket.urn))


policy: Final = StackValidationPolicy(
    name=NAME,
    description=(
        "CloudWatch log groups and S3 buckets that receive flow logs expire them within a set "
        "range."
    ),
    validate=stack_validation(check, DEFAULTS),
    enforcement_level=EnforcementLevel.MANDATORY,
    config_schema=CONFIG_SCHEMA,
    severity=Severity.MEDIUM,
    tags=["logging", "cost"],
    remediation_steps=(
        "Set retentionInDays on the log group (the VpcFlowLogs component's retention setting) "
        "to one of CloudWatch's values (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, "
        "731, 1096, 1827, 2192, 2557, 2922, 3288, 3653) within minimumRetentionDays and "
        "maximumRetentionDays. CIS suggests at least 365 days. For a bucket, add an "
        "aws.s3.BucketLifecycleConfiguration rule on the flow logs' prefix ([prefix/]AWSLogs/) "
        "with expiration days in the same range (the S3FlowLogs component's expirationDays)."
    ),
)
"""The policy object ``__main__.py`` puts in the pack."""
