"""``vpc-flow-log-group-encrypted`` through the Analyzer protocol."""

from __future__ import annotations

import pytest

from offline.analyzer import Diagnostic, PolicyPackProcess
from tests.support.policy_fixtures import LOG_GROUP_URN, changed, compliant_stack, resources

POLICY = "vpc-flow-log-group-encrypted"
MESSAGE = (
    "CloudWatch log groups that receive flow logs are encrypted with a KMS key.\n"
    "Log group 'flow-logs-log-group' receives flow logs without a KMS key. Set kmsKeyId to a "
    "KMS key whose policy lets logs.<region>.amazonaws.com use it (the VpcFlowLogs component's "
    "KMS setting creates one)."
)


def verdicts(diagnostics: list[Diagnostic]) -> list[tuple[str, str, str, str]]:
    return [
        (d.urn, d.enforcement_level, d.severity, d.message)
        for d in diagnostics
        if d.policy_name == POLICY
    ]


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_encrypted_log_group_passes(pack: PolicyPackProcess, preview: bool) -> None:
    # In the preview the new key's ARN is unknown: a value is coming, so it counts as set.
    assert verdicts(pack.analyze_stack(resources(compliant_stack(preview=preview)))) == []


@pytest.mark.parametrize("key", [None, ""], ids=["absent", "empty"])
def test_unencrypted_log_group_is_an_advisory_by_default(
    pack: PolicyPackProcess, key: str | None
) -> None:
    stack = changed(compliant_stack(), "log_group", kmsKeyId=key)
    assert verdicts(pack.analyze_stack(resources(stack))) == [
        (LOG_GROUP_URN, "advisory", "low", MESSAGE)
    ]


def test_unencrypted_log_group_can_be_made_mandatory(pack: PolicyPackProcess) -> None:
    pack.configure({POLICY: "mandatory"})
    stack = changed(compliant_stack(), "log_group", kmsKeyId=None)
    assert verdicts(pack.analyze_stack(resources(stack))) == [
        (LOG_GROUP_URN, "mandatory", "low", MESSAGE)
    ]
