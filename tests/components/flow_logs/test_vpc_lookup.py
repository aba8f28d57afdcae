"""VPC selection: which VPCs each mode finds, and the errors when it finds the wrong number."""

from __future__ import annotations

from typing import Any

import pytest

from components.config import SettingsError
from offline.mocks import FakeAws, FakeVpc
from tests.support.program import APP_VPC, ASG_VPC, DEFAULT_VPC, fake_account, run_stack

FLOW_LOG = "aws:ec2/flowLog:FlowLog"


def logged_vpcs(config: dict[str, Any], aws: FakeAws | None = None) -> list[str]:
    run = run_stack(config, aws=aws)
    return [f.inputs["vpcId"] for f in run.of_type(FLOW_LOG)]


@pytest.mark.parametrize(
    ("config", "expected"),
    [
        ({}, [DEFAULT_VPC.id]),
        ({"vpcName": "ASG-VPC"}, [ASG_VPC.id]),
        ({"vpcIds": [APP_VPC.id, ASG_VPC.id]}, [APP_VPC.id, ASG_VPC.id]),
        ({"allVpcs": True}, [ASG_VPC.id, DEFAULT_VPC.id, APP_VPC.id]),
    ],
)
def test_selection_modes(config: dict[str, Any], expected: list[str]) -> None:
    assert sorted(logged_vpcs(config)) == sorted(expected)


def test_other_targets_alone_log_no_vpc_and_look_none_up() -> None:
    run = run_stack({"transitGatewayIds": ["tgw-0a1b2c3d4e5f60718"]})

    assert "aws:ec2/getVpcs:getVpcs" not in [i.token for i in run.invokes]
    (flow_log,) = run.of_type(FLOW_LOG)
    assert flow_log.inputs["transitGatewayId"] == "tgw-0a1b2c3d4e5f60718"
    assert "vpcId" not in flow_log.inputs


def test_listed_ids_are_not_looked_up() -> None:
    run = run_stack({"vpcIds": ["vpc-0a1b2c3d"]})

    assert "aws:ec2/getVpcs:getVpcs" not in [i.token for i in run.invokes]
    assert [f.inputs["vpcId"] for f in run.of_type(FLOW_LOG)] == ["vpc-0a1b2c3d"]


TWIN = FakeVpc("vpc-0b1b2c3d4e5f60718", name="ASG-VPC")


@pytest.mark.parametrize(
    ("config", "aws", "message"),
    [
        (
            {"vpcName": "ASG VPC"},
            fake_account(),
            "vpcName: no VPC in us-east-1 has the Name tag 'ASG VPC'; check the name, "
            "or the stack's aws:region and regions.",
        ),
        (
            {"vpcName": "ASG-VPC"},
            FakeAws(region="eu-west-1", vpcs=[ASG_VPC, TWIN]),
            f"vpcName: 'ASG-VPC' matches 2 VPCs in eu-west-1 ({ASG_VPC.id}, {TWIN.id}); "
            "name exactly one VPC in each region, or list them in vpcIds.",
        ),
        (
            {},
            FakeAws(vpcs=[ASG_VPC]),
            "us-east-1 has no default VPC, and no VPC selection is set; "
            "set one of vpcIds, vpcName or allVpcs.",
        ),
        (
            {"allVpcs": True},
            FakeAws(region="ap-south-1"),
            "allVpcs: true, but ap-south-1 has no VPCs to log.",
        ),
    ],
)
def test_a_selection_that_matches_the_wrong_number_registers_nothing(
    config: dict[str, Any], aws: FakeAws, message: str
) -> None:
    run = run_stack(config, aws=aws, raise_errors=False)

    assert isinstance(run.error, SettingsError)
    assert str(run.error) == message
    assert run.resources == []


@pytest.mark.parametrize(
    "config",
    [
        {"trafficType": "BOGUS"},
        {"retentionInDays": 0},
        {"vpcIds": ["vpc-12"]},
        {"vpcName": "ASG-VPC", "allVpcs": True},
    ],
)
def test_bad_settings_fail_before_any_lookup_or_resource(config: dict[str, Any]) -> None:
    run = run_stack(config, raise_errors=False)

    assert isinstance(run.error, SettingsError)
    assert run.resources == []
    assert run.invokes == []
