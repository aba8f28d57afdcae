"""``vpc-flow-log-retention``: a log group that receives flow logs keeps them for a set time.

Retention 0 (or absent) means never expire: logs and the bill grow for ever. CIS suggests keeping
flow logs for at least 365 days, which is the default minimum; ``policy/config/dev.json`` lowers it
for short-lived stacks. Log groups are linked to flow logs through the ``logDestination`` property
dependency first, then by literal ARN (or ``logGroupName`` for aws-native).
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

from .graph import (
    UNKNOWN,
    Finding,
    Findings,
    cloudwatch_log_groups,
    read,
    stack_validation,
)

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
            "description": "Fewest days a flow-log log group may keep records. Defaults to 365.",
        },
        "maximumRetentionDays": {
            "type": "integer",
            "minimum": 1,
            "maximum": MAX_RETENTION_DAYS,
            "default": DEFAULTS["maximumRetentionDays"],
            "description": "Most days a flow-log log group may keep records. Defaults to 3653.",
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
                Finding(
                    f"Log group '{group.name}' has a retentionInDays that is unknown during this "
                    f"preview; {NAME} checks it when it is known.",
                    group.urn,
                )
            )
            continue
        days = int(days) if isinstance(days, int | float) else 0
        if days <= 0:
            message = (
                f"Log group '{group.name}' receives flow logs and never expires them "
                f"(retentionInDays is not set). Set retention_in_days between {minimum} and "
                f"{maximum}."
            )
        elif days < minimum or days > maximum:
            message = (
                f"Log group '{group.name}' keeps flow logs for {days} days; this policy requires "
                f"between {minimum} and {maximum}. Set retention_in_days within that range."
            )
        else:
            continue
        findings.violations.append(Finding(message, group.urn))
    return findings


policy: Final = StackValidationPolicy(
    name=NAME,
    description="CloudWatch log groups that receive flow logs expire them within a set range.",
    validate=stack_validation(check, DEFAULTS),
    enforcement_level=EnforcementLevel.MANDATORY,
    config_schema=CONFIG_SCHEMA,
    severity=Severity.MEDIUM,
    tags=["logging", "cost"],
    remediation_steps=(
        "Set retention_in_days on the log group (the VpcFlowLogs component's retention setting) "
        "to one of CloudWatch's values (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, "
        "731, 1096, 1827, 2192, 2557, 2922, 3288, 3653) within minimumRetentionDays and "
        "maximumRetentionDays. CIS suggests at least 365 days."
    ),
)
"""The policy object ``__main__.py`` puts in the pack."""
