"""``vpc-flow-log-retention`` through the Analyzer protocol."""

from __future__ import annotations

import pytest

from offline.analyzer import UNKNOWN, Diagnostic, PolicyPackProcess, Resource, engine_urn
from tests.support.policy_fixtures import (
    FLOW_LOG_URN,
    LOG_GROUP_ARN,
    LOG_GROUP_URN,
    STACK_URN,
    added,
    changed,
    compliant_stack,
    resources,
    rewired,
)

POLICY = "vpc-flow-log-retention"
DESCRIPTION = "CloudWatch log groups that receive flow logs expire them within a set range."
NEVER = (
    f"{DESCRIPTION}\nLog group 'flow-logs-log-group' receives flow logs and never expires them "
    "(retentionInDays is not set). Set retention_in_days between 365 and 3653."
)


def verdicts(diagnostics: list[Diagnostic]) -> list[tuple[str, str, str]]:
    return [(d.urn, d.enforcement_level, d.message) for d in diagnostics if d.policy_name == POLICY]


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_compliant_log_group_passes(pack: PolicyPackProcess, preview: bool) -> None:
    assert verdicts(pack.analyze_stack(resources(compliant_stack(preview=preview)))) == []


@pytest.mark.parametrize("days", [None, 0], ids=["absent", "zero"])
@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_never_expiring_log_group_is_blocked(
    pack: PolicyPackProcess, days: int | None, preview: bool
) -> None:
    stack = compliant_stack(preview=preview)
    stack = changed(stack, "log_group", retentionInDays=days)
    if days is None:
        assert "retentionInDays" not in stack["log_group"].properties
    assert verdicts(pack.analyze_stack(resources(stack))) == [(LOG_GROUP_URN, "mandatory", NEVER)]


def test_retention_below_the_minimum(pack: PolicyPackProcess) -> None:
    stack = changed(compliant_stack(), "log_group", retentionInDays=30)
    assert verdicts(pack.analyze_stack(resources(stack))) == [
        (
            LOG_GROUP_URN,
            "mandatory",
            f"{DESCRIPTION}\nLog group 'flow-logs-log-group' keeps flow logs for 30 days; this "
            "policy requires between 365 and 3653. Set retention_in_days within that range.",
        )
    ]


def test_retention_above_a_configured_maximum(pack: PolicyPackProcess) -> None:
    pack.configure({POLICY: {"minimumRetentionDays": 1, "maximumRetentionDays": 90}})
    stack = changed(compliant_stack(), "log_group", retentionInDays=365)
    assert verdicts(pack.analyze_stack(resources(stack))) == [
        (
            LOG_GROUP_URN,
            "mandatory",
            f"{DESCRIPTION}\nLog group 'flow-logs-log-group' keeps flow logs for 365 days; this "
            "policy requires between 1 and 90. Set retention_in_days within that range.",
        )
    ]


def test_short_retention_passes_with_a_lower_minimum(pack: PolicyPackProcess) -> None:
    pack.configure({POLICY: {"minimumRetentionDays": 1}})
    stack = changed(compliant_stack(), "log_group", retentionInDays=1)
    assert verdicts(pack.analyze_stack(resources(stack))) == []


def test_log_group_linked_by_literal_arn_with_stream_suffix(pack: PolicyPackProcess) -> None:
    stack = rewired(
        changed(compliant_stack(), "flow_log", logDestination=f"{LOG_GROUP_ARN}:*"),
        "flow_log",
        property_dependencies={},
    )
    stack = changed(stack, "log_group", retentionInDays=None)
    assert verdicts(pack.analyze_stack(resources(stack))) == [(LOG_GROUP_URN, "mandatory", NEVER)]


def test_log_group_without_flow_logs_is_not_this_policys_business(
    pack: PolicyPackProcess,
) -> None:
    urn = engine_urn("aws:cloudwatch/logGroup:LogGroup", "app-logs")
    stack = added(
        compliant_stack(),
        app=Resource(
            "aws:cloudwatch/logGroup:LogGroup",
            "app-logs",
            urn,
            {"name": "app", "arn": "arn:aws:logs:us-east-1:123456789012:log-group:app"},
            parent=STACK_URN,
        ),
    )
    assert verdicts(pack.analyze_stack(resources(stack))) == []


def test_s3_flow_log_does_not_make_a_log_group_receive(pack: PolicyPackProcess) -> None:
    stack = changed(
        compliant_stack(),
        "flow_log",
        logDestinationType="s3",
        logDestination="arn:aws:s3:::flow-logs",
    )
    stack = rewired(stack, "flow_log", property_dependencies={})
    stack = changed(stack, "log_group", retentionInDays=None)
    assert verdicts(pack.analyze_stack(resources(stack))) == []


def test_unknown_destination_without_dependency_is_an_advisory(pack: PolicyPackProcess) -> None:
    stack = rewired(
        compliant_stack(preview=True),
        "flow_log",
        property_dependencies={
            "vpcId": compliant_stack()["flow_log"].property_dependencies["vpcId"]
        },
    )
    stack = changed(stack, "log_group", retentionInDays=None)
    diagnostics = pack.analyze_stack(resources(stack))
    assert verdicts(diagnostics) == []
    assert [
        (d.urn, d.enforcement_level, d.detail)
        for d in diagnostics
        if d.policy_name == "vpc-flow-log-checks-resolvable"
    ] == [
        (
            FLOW_LOG_URN,
            "advisory",
            "Flow log 'flow-logs-main' delivers to a destination that is unknown during this "
            "preview and depends on no log group of this stack, so its log group's retention and "
            "encryption are checked only when it is known.",
        ),
        # The role is unknown too once its dependency is gone.
        (
            FLOW_LOG_URN,
            "advisory",
            "Flow log 'flow-logs-main' uses a role that is unknown during this preview and "
            "depends on no role of this stack; vpc-flow-log-role-least-privilege checks only "
            "roles it can identify.",
        ),
    ]


def test_unknown_retention_is_an_advisory_not_a_pass(pack: PolicyPackProcess) -> None:
    stack = changed(compliant_stack(preview=True), "log_group", retentionInDays=UNKNOWN)
    diagnostics = pack.analyze_stack(resources(stack))
    assert verdicts(diagnostics) == []
    assert (
        LOG_GROUP_URN,
        "Log group 'flow-logs-log-group' has a retentionInDays that is unknown during this "
        "preview; vpc-flow-log-retention checks it when it is known.",
    ) in [
        (d.urn, d.detail) for d in diagnostics if d.policy_name == "vpc-flow-log-checks-resolvable"
    ]
