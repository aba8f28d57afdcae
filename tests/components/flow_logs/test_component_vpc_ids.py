"""``VpcFlowLogs.vpc_ids`` reports the VPCs in the order given, whether their ids are known when
the program runs (one output of the whole list) or come from resources of the same program."""

from __future__ import annotations

import pulumi_aws as aws
import pytest

from components import VpcFlowLogs, VpcFlowLogsArgs
from components.flow_logs.component import COMPONENT_TYPE
from offline.mocks import UNKNOWN, run_pulumi
from tests.support.program import fake_account

VPC_A = "vpc-0a1b2c3d4e5f60718"
VPC_B = "vpc-1f2e3d4c"


@pytest.mark.parametrize("preview", [False, True])
def test_known_ids_are_reported_in_the_order_given(preview: bool) -> None:
    def program() -> None:
        VpcFlowLogs("flows", VpcFlowLogsArgs(vpc_ids={"b": VPC_B, "a": VPC_A}))

    run = run_pulumi(program, {}, fake_account(), project="p", stack="test", preview=preview)

    outputs = run.component_outputs[run.one(COMPONENT_TYPE).urn]
    assert outputs["vpcIds"] == [VPC_B, VPC_A]


@pytest.mark.parametrize("preview", [False, True])
def test_an_id_from_the_same_program_is_reported_once_known(preview: bool) -> None:
    def program() -> None:
        vpc = aws.ec2.Vpc("app", cidr_block="10.0.0.0/16")
        VpcFlowLogs("flows", VpcFlowLogsArgs(vpc_ids={"a": VPC_A, "app": vpc.id}))

    run = run_pulumi(program, {}, fake_account(), project="p", stack="test", preview=preview)

    outputs = run.component_outputs[run.one(COMPONENT_TYPE).urn]
    vpc_id = run.one("aws:ec2/vpc:Vpc").id
    # In a preview the new VPC's id is unknown, and so is the list that holds it.
    assert outputs["vpcIds"] == (UNKNOWN if preview else [VPC_A, vpc_id])
