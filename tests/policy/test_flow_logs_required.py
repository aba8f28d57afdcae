"""``vpc-flow-logs-required`` through the Analyzer protocol, plus its plain function."""

from __future__ import annotations

import pytest

from offline.analyzer import UNKNOWN, Diagnostic, PolicyPackProcess, Resource, engine_urn
from tests.support.policy_fixtures import (
    FLOW_LOG_URN,
    STACK_URN,
    VPC_ID,
    VPC_URN,
    added,
    changed,
    compliant_stack,
    policy_resources,
    resources,
    rewired,
    with_s3,
    without,
)

POLICY = "vpc-flow-logs-required"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
DESCRIPTION = (
    "Every VPC the stack manages has a VPC-level flow log in the same stack "
    "(AWS Security Hub EC2.6, CIS AWS Foundations Benchmark 3.9)."
)


def no_flow_log(name: str = "main") -> str:
    return (
        f"{DESCRIPTION}\nVPC '{name}' has no VPC-level flow log in this stack. Add the VpcFlowLogs "
        "component from the vpc-flow-logs project for it, or an aws.ec2.FlowLog with vpcId set "
        'to this VPC\'s id and trafficType "ALL".'
    )


def verdicts(diagnostics: list[Diagnostic]) -> list[tuple[str, str, str]]:
    """This policy's diagnostics as (urn, level, message)."""
    return [(d.urn, d.enforcement_level, d.message) for d in diagnostics if d.policy_name == POLICY]


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_covered_vpc_passes(pack: PolicyPackProcess, preview: bool) -> None:
    # In the preview the VPC's id and the flow log's vpcId are unknown: only the property
    # dependency links them.
    stack = compliant_stack(preview=preview)
    assert stack["flow_log"].properties["vpcId"] == (UNKNOWN if preview else VPC_ID)
    assert verdicts(pack.analyze_stack(resources(stack))) == []


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_uncovered_vpc_is_blocked_with_exact_message(
    pack: PolicyPackProcess, preview: bool
) -> None:
    stack = without(compliant_stack(preview=preview), "flow_log")
    diagnostics = pack.analyze_stack(resources(stack))
    assert verdicts(diagnostics) == [(VPC_URN, "mandatory", no_flow_log())]
    assert [d.severity for d in diagnostics if d.policy_name == POLICY] == ["high"]


def test_two_vpcs_only_the_uncovered_one_is_reported(pack: PolicyPackProcess) -> None:
    other_urn = engine_urn("aws:ec2/vpc:Vpc", "other")
    stack = added(
        compliant_stack(),
        other=Resource(
            "aws:ec2/vpc:Vpc", "other", other_urn, {"id": "vpc-0other"}, parent=STACK_URN
        ),
    )
    assert verdicts(pack.analyze_stack(resources(stack))) == [
        (other_urn, "mandatory", no_flow_log("other"))
    ]


def test_literal_id_links_a_flow_log_without_property_dependencies(
    pack: PolicyPackProcess,
) -> None:
    stack = rewired(compliant_stack(), "flow_log", property_dependencies={}, dependencies=[])
    assert verdicts(pack.analyze_stack(resources(stack))) == []


def test_flow_log_for_a_vpc_outside_the_stack_does_not_cover(pack: PolicyPackProcess) -> None:
    stack = rewired(
        changed(compliant_stack(), "flow_log", vpcId="vpc-0elsewhere"),
        "flow_log",
        property_dependencies={},
        dependencies=[],
    )
    assert verdicts(pack.analyze_stack(resources(stack))) == [(VPC_URN, "mandatory", no_flow_log())]


def test_reject_only_flow_log_is_blocked_by_default(pack: PolicyPackProcess) -> None:
    stack = changed(compliant_stack(), "flow_log", trafficType="REJECT")
    assert verdicts(pack.analyze_stack(resources(stack))) == [
        (
            VPC_URN,
            "mandatory",
            f"{DESCRIPTION}\nVPC 'main' has flow logs only with traffic type REJECT, and this "
            'policy accepts ALL. Set trafficType to "ALL" on its flow log.',
        )
    ]


def test_reject_only_flow_log_passes_when_config_allows_it(pack: PolicyPackProcess) -> None:
    pack.configure({POLICY: {"allowedTrafficTypes": ["ALL", "REJECT"]}})
    stack = changed(compliant_stack(), "flow_log", trafficType="REJECT")
    assert verdicts(pack.analyze_stack(resources(stack))) == []


def test_accept_only_flow_log_when_only_reject_is_allowed(pack: PolicyPackProcess) -> None:
    pack.configure({POLICY: {"allowedTrafficTypes": ["REJECT"]}})
    stack = changed(compliant_stack(), "flow_log", trafficType="ACCEPT")
    assert verdicts(pack.analyze_stack(resources(stack))) == [
        (
            VPC_URN,
            "mandatory",
            f"{DESCRIPTION}\nVPC 'main' has flow logs only with traffic type ACCEPT, and this "
            'policy accepts REJECT. Set trafficType to "REJECT" on its flow log.',
        )
    ]


@pytest.mark.parametrize("key", ["subnetId", "eniId"])
def test_subnet_or_eni_flow_log_does_not_cover_the_vpc(pack: PolicyPackProcess, key: str) -> None:
    stack = rewired(
        changed(compliant_stack(), "flow_log", vpcId=None, **{key: "subnet-0123"}),
        "flow_log",
        property_dependencies={key: [VPC_URN]},
    )
    assert verdicts(pack.analyze_stack(resources(stack))) == [(VPC_URN, "mandatory", no_flow_log())]


def test_empty_vpc_id_means_not_a_vpc_flow_log(pack: PolicyPackProcess) -> None:
    # The provider reports unset arguments as "": a subnet flow log has vpcId "".
    stack = changed(compliant_stack(), "flow_log", vpcId="", subnetId="subnet-0123")
    stack = rewired(stack, "flow_log", property_dependencies={})
    assert verdicts(pack.analyze_stack(resources(stack))) == [(VPC_URN, "mandatory", no_flow_log())]


@pytest.mark.parametrize("covered", [True, False])
def test_default_vpc(pack: PolicyPackProcess, covered: bool) -> None:
    urn = engine_urn("aws:ec2/defaultVpc:DefaultVpc", "default")
    stack = added(
        without(compliant_stack(), "vpc"),
        vpc=Resource(
            "aws:ec2/defaultVpc:DefaultVpc", "default", urn, {"id": VPC_ID}, parent=STACK_URN
        ),
    )
    stack = rewired(stack, "flow_log", property_dependencies={"vpcId": [urn]})
    if not covered:
        stack = without(stack, "flow_log")
    expected = [] if covered else [(urn, "mandatory", no_flow_log("default"))]
    assert verdicts(pack.analyze_stack(resources(stack))) == expected


@pytest.mark.parametrize(
    ("resource_type", "covered"), [("VPC", True), ("Subnet", False)], ids=["vpc", "subnet"]
)
def test_aws_native_vpc_and_flow_log(
    pack: PolicyPackProcess, resource_type: str, covered: bool
) -> None:
    vpc_urn = engine_urn("aws-native:ec2:Vpc", "native")
    log_urn = engine_urn("aws-native:ec2:FlowLog", "native-flow-log")
    stack = {
        "vpc": Resource(
            "aws-native:ec2:Vpc",
            "native",
            vpc_urn,
            {"id": UNKNOWN, "vpcId": UNKNOWN, "cidrBlock": "10.1.0.0/16"},
            parent=STACK_URN,
        ),
        "flow_log": Resource(
            "aws-native:ec2:FlowLog",
            "native-flow-log",
            log_urn,
            {
                "resourceType": resource_type,
                "resourceId": UNKNOWN,
                "trafficType": "ALL",
                "logDestinationType": "s3",
                "logDestination": "arn:aws:s3:::flow-logs-bucket",
            },
            parent=STACK_URN,
            dependencies=[vpc_urn],
            property_dependencies={"resourceId": [vpc_urn]},
        ),
    }
    expected = [] if covered else [(vpc_urn, "mandatory", no_flow_log("native"))]
    assert verdicts(pack.analyze_stack(resources(stack))) == expected


@pytest.mark.parametrize("covered", [True, False])
def test_vpc_inside_a_component(pack: PolicyPackProcess, covered: bool) -> None:
    awsx_urn = engine_urn("awsx:ec2:Vpc", "main")
    child_urn = engine_urn("aws:ec2/vpc:Vpc", "main", parent_type="awsx:ec2:Vpc")
    assert child_urn == "urn:pulumi:dev::proj::awsx:ec2:Vpc$aws:ec2/vpc:Vpc::main"
    stack = added(
        without(compliant_stack(preview=True), "vpc"),
        awsx=Resource("awsx:ec2:Vpc", "main", awsx_urn, parent=STACK_URN),
        vpc=Resource("aws:ec2/vpc:Vpc", "main", child_urn, {"id": UNKNOWN}, parent=awsx_urn),
    )
    stack = rewired(stack, "flow_log", property_dependencies={"vpcId": [child_urn]})
    if not covered:
        stack = without(stack, "flow_log")
    expected = [] if covered else [(child_urn, "mandatory", no_flow_log())]
    assert verdicts(pack.analyze_stack(resources(stack))) == expected


def test_unknown_vpc_id_without_dependency_covers_nothing_and_says_so(
    pack: PolicyPackProcess,
) -> None:
    stack = rewired(
        compliant_stack(preview=True),
        "flow_log",
        property_dependencies={"logDestination": [], "iamRoleArn": []},
        dependencies=[],
    )
    diagnostics = pack.analyze_stack(resources(stack))
    assert verdicts(diagnostics) == [(VPC_URN, "mandatory", no_flow_log())]
    advisories = [
        (d.urn, d.enforcement_level, d.detail)
        for d in diagnostics
        if d.policy_name == "vpc-flow-log-checks-resolvable"
    ]
    assert (
        FLOW_LOG_URN,
        "advisory",
        "Flow log 'flow-logs-main' has a vpcId that is unknown during this preview and depends "
        "on no VPC of this stack, so it covers none of this stack's VPCs; vpc-flow-logs-required "
        "still checks every VPC.",
    ) in advisories


def test_unknown_traffic_type_does_not_count(pack: PolicyPackProcess) -> None:
    stack = changed(compliant_stack(preview=True), "flow_log", trafficType=UNKNOWN)
    assert verdicts(pack.analyze_stack(resources(stack))) == [
        (
            VPC_URN,
            "mandatory",
            f"{DESCRIPTION}\nVPC 'main' has flow logs only with traffic type unknown, and this "
            'policy accepts ALL. Set trafficType to "ALL" on its flow log.',
        )
    ]


def test_no_preview_fallback_advisory_ever_replaces_the_verdict(pack: PolicyPackProcess) -> None:
    # If UnknownValueError escaped, the SDK would answer "can't run policy ... during preview".
    stack = changed(
        without(compliant_stack(preview=True), "flow_log"),
        "vpc",
        tags=UNKNOWN,
        cidrBlock=UNKNOWN,
    )
    diagnostics = pack.analyze_stack(resources(stack))
    assert not [d for d in diagnostics if "can't run policy" in d.message]
    assert verdicts(diagnostics) == [(VPC_URN, "mandatory", no_flow_log())]


def test_check_is_a_plain_function() -> None:
    from flowlog_policies import flow_logs_required

    stack = policy_resources(resources(without(compliant_stack(preview=True), "flow_log")))
    findings = flow_logs_required.check(stack, flow_logs_required.DEFAULTS)
    assert [(f.urn, f.message) for f in findings.violations] == [
        (VPC_URN, no_flow_log().split("\n", 1)[1])
    ]
    assert findings.unresolved == []


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_a_flow_log_to_s3_covers_its_vpc_as_one_to_cloudwatch_does(
    pack: PolicyPackProcess, preview: bool
) -> None:
    stack = without(with_s3(compliant_stack(preview=preview), preview=preview), "flow_log")
    assert [r.properties["logDestinationType"] for r in resources(stack) if r.type == FLOW_LOG] == [
        "s3"
    ]

    assert verdicts(pack.analyze_stack(resources(stack))) == []


def test_a_flow_log_to_a_bucket_outside_the_stack_covers_its_vpc(pack: PolicyPackProcess) -> None:
    stack = without(with_s3(compliant_stack()), "flow_log", "bucket", "lifecycle")
    stack = changed(stack, "s3_flow_log", logDestination="arn:aws:s3:::org-archive")
    stack = rewired(stack, "s3_flow_log", property_dependencies={"vpcId": [VPC_URN]})

    assert verdicts(pack.analyze_stack(resources(stack))) == []


def test_a_flow_log_to_s3_of_another_traffic_type_is_judged_the_same(
    pack: PolicyPackProcess,
) -> None:
    stack = without(with_s3(compliant_stack()), "flow_log")
    stack = changed(stack, "s3_flow_log", trafficType="REJECT")

    assert verdicts(pack.analyze_stack(resources(stack))) == [
        (
            VPC_URN,
            "mandatory",
            f"{DESCRIPTION}\nVPC 'main' has flow logs only with traffic type REJECT, and this "
            'policy accepts ALL. Set trafficType to "ALL" on its flow log.',
        )
    ]
