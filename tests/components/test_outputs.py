"""The stack's exports: what each capability adds, for the stack's own region and per region."""

from __future__ import annotations

from tests.support.program import APP_VPC, WEST_VPC, run_stack

TGW = "tgw-0a1b2c3d"


def test_a_stack_logging_transit_gateways_names_their_log_group() -> None:
    run = run_stack({"vpcIds": [APP_VPC.id], "transitGatewayIds": [TGW]})

    assert run.stack_outputs["transitGatewayLogGroupName"] == "/aws/vpc/flowlogs/transit-gateways"
    home = run.stack_outputs["regions"]["us-east-1"]
    assert home["transitGatewayLogGroupName"] == "/aws/vpc/flowlogs/transit-gateways"
    assert TGW in run.stack_outputs["targetFlowLogIds"]


def test_without_transit_gateways_no_such_output() -> None:
    run = run_stack({"vpcIds": [APP_VPC.id]})

    assert "transitGatewayLogGroupName" not in run.stack_outputs
    assert "transitGatewayLogGroupName" not in run.stack_outputs["regions"]["us-east-1"]


def test_several_regions_concatenate_their_lists_and_merge_their_maps() -> None:
    run = run_stack({"allVpcs": True, "regions": ["us-east-1", "us-west-2"]})

    by_region = run.stack_outputs["regions"]
    assert run.stack_outputs["vpcIds"] == by_region["us-east-1"]["vpcIds"] + [WEST_VPC.id]
    assert run.stack_outputs["flowLogIds"] == (
        by_region["us-east-1"]["flowLogIds"] + by_region["us-west-2"]["flowLogIds"]
    )
    assert len(run.stack_outputs["targetFlowLogIds"]) == len(run.stack_outputs["flowLogIds"])
