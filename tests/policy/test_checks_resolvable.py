"""``vpc-flow-log-checks-resolvable``: the advisory of what could not be checked in a preview."""

from __future__ import annotations

from offline.analyzer import UNKNOWN, PolicyPackProcess
from tests.support.policy_fixtures import (
    FLOW_LOG_URN,
    S3_FLOW_LOG_URN,
    VPC_URN,
    changed,
    compliant_stack,
    policy_resources,
    resources,
    rewired,
    with_s3,
    without,
)

POLICY = "vpc-flow-log-checks-resolvable"
DESCRIPTION = (
    "Flow logs, their log groups, buckets and IAM documents can be identified, so the other "
    "flow-log policies can check them."
)


def test_nothing_to_say_about_a_known_stack(pack: PolicyPackProcess) -> None:
    diagnostics = pack.analyze_stack(resources(compliant_stack()))
    assert [d for d in diagnostics if d.policy_name == POLICY] == []


def test_unknown_flow_log_target_is_advised_once(pack: PolicyPackProcess) -> None:
    stack = rewired(
        compliant_stack(preview=True),
        "flow_log",
        property_dependencies={"logDestination": [], "iamRoleArn": []},
    )
    diagnostics = [d for d in pack.analyze_stack(resources(stack)) if d.policy_name == POLICY]
    expected = (
        f"{DESCRIPTION}\nFlow log 'flow-logs-main' has a vpcId that is unknown during this "
        "preview and depends on no VPC of this stack, so it covers none of this stack's VPCs; "
        "vpc-flow-logs-required still checks every VPC."
    )
    assert [(d.urn, d.enforcement_level, d.message) for d in diagnostics].count(
        (FLOW_LOG_URN, "advisory", expected)
    ) == 1


def test_unknown_native_resource_type(pack: PolicyPackProcess) -> None:
    stack = changed(compliant_stack(preview=True), "flow_log", resourceType=UNKNOWN)
    stack = rewired(stack, "flow_log", type="aws-native:ec2:FlowLog")
    diagnostics = pack.analyze_stack(resources(stack))
    assert (
        FLOW_LOG_URN,
        "Flow log 'flow-logs-main' has a resourceType that is unknown during this preview, so it "
        "counts as covering no VPC.",
    ) in [(d.urn, d.detail) for d in diagnostics if d.policy_name == POLICY]
    assert [d.urn for d in diagnostics if d.policy_name == "vpc-flow-logs-required"] == [VPC_URN]


def test_check_is_a_plain_function() -> None:
    from flowlog_policies import checks_resolvable

    findings = checks_resolvable.check(
        policy_resources(resources(compliant_stack(preview=True))), checks_resolvable.DEFAULTS
    )
    assert [f.message for f in findings.violations] == [
        "Role policy 'flow-logs-role-policy' of role 'flow-logs-role' is unknown during this "
        "preview; vpc-flow-log-role-least-privilege checks it when it is known."
    ]


def test_a_flow_log_to_a_bucket_outside_the_stack_is_listed(pack: PolicyPackProcess) -> None:
    stack = without(with_s3(compliant_stack()), "bucket", "lifecycle")
    stack = changed(stack, "s3_flow_log", logDestination="arn:aws-cn:s3:::org-archive/net")
    stack = rewired(stack, "s3_flow_log", property_dependencies={"vpcId": [VPC_URN]})

    diagnostics = [d for d in pack.analyze_stack(resources(stack)) if d.policy_name == POLICY]

    assert [(d.urn, d.enforcement_level, d.message) for d in diagnostics] == [
        (
            S3_FLOW_LOG_URN,
            "advisory",
            f"{DESCRIPTION}\nFlow log 's3-main' delivers to bucket 'org-archive', which is not "
            "in this stack; its lifecycle is its owner's, and vpc-flow-log-retention checks only "
            "buckets the stack creates.",
        )
    ]


def test_a_bucket_of_the_stack_is_not_listed(pack: PolicyPackProcess) -> None:
    diagnostics = pack.analyze_stack(resources(with_s3(compliant_stack())))

    assert [d for d in diagnostics if d.policy_name == POLICY] == []
