"""``transit-gateway-flow-logs-required`` through the Analyzer protocol, plus its plain function.

The fixture is the compliant VPC stack plus one transit gateway and its flow log, wired as the
engine sends them: in a preview the gateway's id and the flow log's ``transitGatewayId`` are
unknown, and only the property dependency links them.
"""

from __future__ import annotations

from typing import Any

import pytest

from offline.analyzer import UNKNOWN, Diagnostic, PolicyPackProcess, Resource, engine_urn
from tests.policy.conftest import CONFIG_DIR
from tests.support.policy_fixtures import (
    COMPONENT_URN,
    LOG_GROUP_ARN,
    LOG_GROUP_URN,
    ROLE_ARN,
    ROLE_URN,
    STACK_URN,
    added,
    changed,
    compliant_stack,
    policy_resources,
    resources,
    rewired,
    without,
)

POLICY = "transit-gateway-flow-logs-required"
DESCRIPTION = "Every transit gateway the stack manages has a flow log in the same stack."
TGW_TYPE = "aws:ec2transitgateway/transitGateway:TransitGateway"
TGW_ID = "tgw-0123456789abcdef0"
TGW_URN = engine_urn(TGW_TYPE, "core")
TGW_LOG_URN = engine_urn("aws:ec2/flowLog:FlowLog", "core-flow-log")


def no_flow_log(name: str = "core") -> str:
    return (
        f"{DESCRIPTION}\nTransit gateway '{name}' has no flow log in this stack. Add an "
        "aws.ec2.FlowLog with transitGatewayId set to this gateway's id and "
        "maxAggregationInterval 60 (no trafficType), or list its id in the vpc-flow-logs "
        "project's transitGatewayIds."
    )


def with_gateway(*, preview: bool = False) -> dict[str, Resource]:
    """The compliant stack plus a transit gateway and its flow log."""

    def known(value: Any) -> Any:
        return UNKNOWN if preview else value

    return added(
        compliant_stack(preview=preview),
        tgw=Resource(
            TGW_TYPE,
            "core",
            TGW_URN,
            {
                "id": known(TGW_ID),
                "arn": known(f"arn:aws:ec2:us-east-1:1:transit-gateway/{TGW_ID}"),
            },
            parent=STACK_URN,
        ),
        tgw_log=Resource(
            "aws:ec2/flowLog:FlowLog",
            "core-flow-log",
            TGW_LOG_URN,
            {
                "id": known("fl-0fedcba9876543210"),
                "transitGatewayId": known(TGW_ID),
                "maxAggregationInterval": 60,
                "logDestination": known(LOG_GROUP_ARN),
                "logDestinationType": "cloud-watch-logs",
                "iamRoleArn": known(ROLE_ARN),
            },
            parent=COMPONENT_URN,
            dependencies=[TGW_URN, LOG_GROUP_URN, ROLE_URN],
            property_dependencies={
                "transitGatewayId": [TGW_URN],
                "logDestination": [LOG_GROUP_URN],
                "iamRoleArn": [ROLE_URN],
            },
        ),
    )


def verdicts(diagnostics: list[Diagnostic]) -> list[tuple[str, str, str]]:
    """This policy's diagnostics as (urn, level, message)."""
    return [(d.urn, d.enforcement_level, d.message) for d in diagnostics if d.policy_name == POLICY]


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_covered_transit_gateway_passes(pack: PolicyPackProcess, preview: bool) -> None:
    stack = with_gateway(preview=preview)
    assert stack["tgw_log"].properties["transitGatewayId"] == (UNKNOWN if preview else TGW_ID)
    assert verdicts(pack.analyze_stack(resources(stack))) == []


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_uncovered_transit_gateway_is_reported_advisory_by_default(
    pack: PolicyPackProcess, preview: bool
) -> None:
    stack = without(with_gateway(preview=preview), "tgw_log")
    diagnostics = pack.analyze_stack(resources(stack))
    assert verdicts(diagnostics) == [(TGW_URN, "advisory", no_flow_log())]
    assert [d.severity for d in diagnostics if d.policy_name == POLICY] == ["medium"]


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_prod_config_makes_it_mandatory_and_dev_keeps_it_advisory(
    pack: PolicyPackProcess, preview: bool
) -> None:
    from offline.analyzer import load_policy_pack_config

    stack = without(with_gateway(preview=preview), "tgw_log")
    pack.configure(load_policy_pack_config(CONFIG_DIR / "prod.json"))
    assert verdicts(pack.analyze_stack(resources(stack))) == [(TGW_URN, "mandatory", no_flow_log())]
    pack.configure(load_policy_pack_config(CONFIG_DIR / "dev.json"))
    assert verdicts(pack.analyze_stack(resources(stack))) == [(TGW_URN, "advisory", no_flow_log())]


def test_a_stack_without_transit_gateways_has_nothing_to_report(pack: PolicyPackProcess) -> None:
    assert verdicts(pack.analyze_stack(resources(compliant_stack(preview=True)))) == []


def test_literal_id_links_a_flow_log_without_property_dependencies(
    pack: PolicyPackProcess,
) -> None:
    stack = rewired(with_gateway(), "tgw_log", property_dependencies={}, dependencies=[])
    assert verdicts(pack.analyze_stack(resources(stack))) == []


def test_flow_log_for_a_gateway_outside_the_stack_does_not_cover(pack: PolicyPackProcess) -> None:
    stack = rewired(
        changed(with_gateway(), "tgw_log", transitGatewayId="tgw-0elsewhere000000"),
        "tgw_log",
        property_dependencies={},
        dependencies=[],
    )
    assert verdicts(pack.analyze_stack(resources(stack))) == [(TGW_URN, "advisory", no_flow_log())]


def test_an_unknown_id_without_a_dependency_never_counts_as_coverage(
    pack: PolicyPackProcess,
) -> None:
    # The value is unknown and nothing links it to the gateway: the gateway stays uncovered,
    # rather than the policy being switched off by what it cannot see yet.
    stack = rewired(
        with_gateway(preview=True), "tgw_log", property_dependencies={}, dependencies=[]
    )
    diagnostics = pack.analyze_stack(resources(stack))
    assert verdicts(diagnostics) == [(TGW_URN, "advisory", no_flow_log())]
    assert not [d for d in diagnostics if "can't run policy" in d.message]
    # What could not be linked is listed by the advisory that gathers such notes.
    notes = [
        (d.urn, d.message.split("\n")[-1])
        for d in diagnostics
        if d.policy_name == "vpc-flow-log-checks-resolvable"
    ]
    assert (
        TGW_LOG_URN,
        "Flow log 'core-flow-log' has a transitGatewayId that is unknown during this preview and "
        "depends on no single transit gateway of this stack, so it covers none; "
        "transit-gateway-flow-logs-required still checks every transit gateway.",
    ) in notes


def test_an_attachment_flow_log_does_not_cover_the_gateway(pack: PolicyPackProcess) -> None:
    stack = rewired(
        changed(
            with_gateway(),
            "tgw_log",
            transitGatewayId=None,
            transitGatewayAttachmentId="tgw-attach-0123456789abcdef0",
        ),
        "tgw_log",
        property_dependencies={"transitGatewayAttachmentId": [TGW_URN]},
    )
    assert verdicts(pack.analyze_stack(resources(stack))) == [(TGW_URN, "advisory", no_flow_log())]


def test_a_vpc_flow_log_depending_on_the_gateway_does_not_cover_it(
    pack: PolicyPackProcess,
) -> None:
    stack = rewired(without(with_gateway(), "tgw_log"), "flow_log", dependencies=[TGW_URN])
    assert verdicts(pack.analyze_stack(resources(stack))) == [(TGW_URN, "advisory", no_flow_log())]


def test_two_gateways_only_the_uncovered_one_is_reported(pack: PolicyPackProcess) -> None:
    other_urn = engine_urn(TGW_TYPE, "edge")
    stack = added(
        with_gateway(),
        edge=Resource(
            TGW_TYPE, "edge", other_urn, {"id": "tgw-0edge0000000000000"}, parent=STACK_URN
        ),
    )
    assert verdicts(pack.analyze_stack(resources(stack))) == [
        (other_urn, "advisory", no_flow_log("edge"))
    ]


@pytest.mark.parametrize(
    ("resource_type", "covered"),
    [("TransitGateway", True), ("TransitGatewayAttachment", False)],
    ids=["gateway", "attachment"],
)
@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_aws_native_gateway_and_flow_log(
    pack: PolicyPackProcess, resource_type: str, covered: bool, preview: bool
) -> None:
    gateway_urn = engine_urn("aws-native:ec2:TransitGateway", "native")
    log_urn = engine_urn("aws-native:ec2:FlowLog", "native-flow-log")
    gateway_id = UNKNOWN if preview else TGW_ID
    stack = {
        "tgw": Resource(
            "aws-native:ec2:TransitGateway",
            "native",
            gateway_urn,
            {"id": gateway_id, "awsId": gateway_id},
            parent=STACK_URN,
        ),
        "tgw_log": Resource(
            "aws-native:ec2:FlowLog",
            "native-flow-log",
            log_urn,
            {
                "resourceType": resource_type,
                "resourceId": gateway_id,
                "logDestinationType": "s3",
                "logDestination": "arn:aws:s3:::flow-logs-bucket",
            },
            parent=STACK_URN,
            dependencies=[gateway_urn],
            property_dependencies={"resourceId": [gateway_urn]},
        ),
    }
    expected = [] if covered else [(gateway_urn, "advisory", no_flow_log("native"))]
    assert verdicts(pack.analyze_stack(resources(stack))) == expected


def test_check_is_a_plain_function_and_notes_what_it_could_not_link() -> None:
    from flowlog_policies import transit_gateway_flow_logs_required as tgw

    stack = rewired(with_gateway(preview=True), "tgw_log", property_dependencies={})
    findings = tgw.check(policy_resources(resources(stack)), tgw.DEFAULTS)

    assert [(f.urn, f.message) for f in findings.violations] == [
        (TGW_URN, no_flow_log().split("\n", 1)[1])
    ]
    assert [(f.urn, f.message) for f in findings.unresolved] == [
        (
            TGW_LOG_URN,
            "Flow log 'core-flow-log' has a transitGatewayId that is unknown during this "
            "preview and depends on no single transit gateway of this stack, so it covers none; "
            "transit-gateway-flow-logs-required still checks every transit gateway.",
        )
    ]
