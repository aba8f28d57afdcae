"""``vpc-flow-log-group-encrypted``: a log group that receives flow logs is KMS-encrypted.

CloudWatch Logs always encrypts at rest; a customer-managed KMS key adds control over who can read
the data and an audit trail of its use. That costs a key and its requests, so the policy is
advisory by default and ``policy/config/prod.json`` makes it mandatory. An unknown ``kmsKeyId``
(a key created in the same preview) counts as set.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final

from pulumi_policy import (
    EnforcementLevel,
    PolicyResource,
    Severity,
    StackValidationPolicy,
)

from .destinations import cloudwatch_log_groups
from .graph import UNKNOWN, known_str, read
from .scaffolding import NO_SETTINGS, Finding, Findings, stack_validation

NAME: Final = "vpc-flow-log-group-encrypted"
DEFAULTS: Final = NO_SETTINGS


def check(resources: Sequence[PolicyResource], config: Mapping[str, Any]) -> Findings:
    """Report each flow-log log group without a KMS key."""
    groups, unresolved = cloudwatch_log_groups(resources)
    findings = Findings(unresolved=unresolved)
    for group, _ in groups:
        key = read(group.props, "kmsKeyId")
        if key is UNKNOWN or known_str(key):
            continue
        findings.violations.append(
            Finding(
                f"Log group '{group.name}' receives flow logs without a KMS key. Set kmsKeyId "
                "to a KMS key whose policy lets logs.<region>.amazonaws.com use it (the "
                "VpcFlowLogs component's KMS setting creates one).",
                group.urn,
            )
        )
    return findings


policy: Final = StackValidationPolicy(
    name=NAME,
    description="CloudWatch log groups that receive flow logs are encrypted with a KMS key.",
    validate=stack_validation(check, DEFAULTS),
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.LOW,
    tags=["logging", "encryption"],
    remediation_steps=(
        "Set kmsKeyId on the log group to a customer-managed KMS key ARN. The key policy must "
        "allow the logs.<region>.amazonaws.com service principal to use it, conditioned on "
        "kms:EncryptionContext:aws:logs:arn."
    ),
)
"""The policy object ``__main__.py`` puts in the pack."""
