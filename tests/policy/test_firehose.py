"""Flow logs to Amazon Data Firehose through the pack: the program's own Firehose stacks, same
account and cross-account, in a preview and an update, sent as the engine sends them."""

from __future__ import annotations

from typing import Any

import pytest

from offline.analyzer import PolicyPackProcess, Resource
from tests.policy.test_programs import analyze_program
from tests.support.policy_fixtures import (
    FLOW_LOG_URN,
    VPC_URN,
    changed,
    compliant_stack,
    resources,
    rewired,
    without,
)
from tests.support.program import ASG_VPC, PROJECT, run_stack, run_stack_file

STREAM = "arn:aws:firehose:us-east-1:123456789012:deliverystream/vpc-flow-logs-siem"
CROSS_ACCOUNT: dict[str, Any] = {
    "vpcIds": [ASG_VPC.id],
    "firehoseArns": {"us-east-1": "arn:aws:firehose:us-east-1:222222222222:deliverystream/siem"},
    "firehoseCrossAccountRoleArn": (
        "arn:aws:iam::222222222222:role/AWSLogDeliveryFirehoseCrossAccountRole-vpc-flow-logs"
    ),
}
REQUIRED = "vpc-flow-logs-required"
RESOLVABLE = "vpc-flow-log-checks-resolvable"


def firehose_note(name: str, stream: str) -> str:
    return (
        f"Flow log '{name}' delivers to Firehose stream {stream!r}, outside the stack's view: "
        "a stream has no retention the pack can see, so where it delivers, and for how long it "
        "is kept there, must be checked by hand."
    )


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_the_siem_stack_passes_and_lists_its_firehose_flow_log(
    pack: PolicyPackProcess, preview: bool
) -> None:
    run = run_stack_file("siem", preview=preview)
    diagnostics = analyze_program(pack, run, project=PROJECT, stack="siem")
    (firehose,) = [f for f in run.of_type("aws:ec2/flowLog:FlowLog") if "firehose" in f.name]

    assert [d for d in diagnostics if d.enforcement_level == "mandatory"] == []
    assert [(d.urn, d.detail) for d in diagnostics if d.policy_name == RESOLVABLE] == [
        (firehose.urn, firehose_note(firehose.name, STREAM))
    ]


def firehose_only(*, preview: bool = False) -> dict[str, Resource]:
    """The compliant stack with its one flow log delivering to Firehose instead, in this account:
    no log group, no role."""
    stack = without(compliant_stack(preview=preview), "log_group", "role", "role_policy", "key")
    stack = changed(
        stack,
        "flow_log",
        logDestinationType="kinesis-data-firehose",
        logDestination=STREAM,
        iamRoleArn=None,
    )
    return rewired(
        stack,
        "flow_log",
        dependencies=[VPC_URN],
        property_dependencies={"vpcId": [VPC_URN]},
    )


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_a_vpc_logged_only_to_firehose_counts_as_logged(
    pack: PolicyPackProcess, preview: bool
) -> None:
    diagnostics = pack.analyze_stack(resources(firehose_only(preview=preview)))

    assert [d for d in diagnostics if d.policy_name == REQUIRED] == []
    assert [(d.urn, d.detail) for d in diagnostics if d.policy_name == RESOLVABLE] == [
        (FLOW_LOG_URN, firehose_note("flow-logs-main", STREAM))
    ]


def test_without_its_firehose_flow_log_the_vpc_is_not_logged(pack: PolicyPackProcess) -> None:
    diagnostics = pack.analyze_stack(resources(without(firehose_only(), "flow_log")))

    assert [d.urn for d in diagnostics if d.policy_name == REQUIRED] == [VPC_URN]


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_the_cross_account_source_role_is_not_judged_as_a_cloudwatch_delivery_role(
    pack: PolicyPackProcess, preview: bool
) -> None:
    run = run_stack(CROSS_ACCOUNT, preview=preview)
    diagnostics = analyze_program(pack, run, project=PROJECT, stack="test")

    assert [
        (d.policy_name, d.detail) for d in diagnostics if d.enforcement_level == "mandatory"
    ] == []
