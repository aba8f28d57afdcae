"""Several regions in one stack: the setting, naming, and every resource in its VPCs' region."""

from __future__ import annotations

import json
from typing import Any

import pytest

from components.config import SettingsError
from components.regions import CoveredRegion, region_problems
from components.settings import parse_settings
from offline.mocks import FakeAws, FakeVpc, ProgramRun
from tests.support.program import ASG_VPC, DEFAULT_VPC, document, run_stack

FLOW_LOG = "aws:ec2/flowLog:FlowLog"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
KEY = "aws:kms/key:Key"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"

EU_APP = FakeVpc("vpc-0e0e0e0e0e0e0e0e0", name="ASG-VPC", region="eu-west-1")
EU_DEFAULT = FakeVpc("vpc-0d0d0d0d", name="default", is_default=True, region="eu-west-1")
AP_APP = FakeVpc("vpc-0a0a0a0a", name="app", region="ap-southeast-2")


def two_region_account(*extra: FakeVpc) -> FakeAws:
    return FakeAws(vpcs=[ASG_VPC, DEFAULT_VPC, EU_APP, EU_DEFAULT, *extra])


def run_regions(config: dict[str, Any], aws: FakeAws | None = None, **kw: Any) -> ProgramRun:
    return run_stack(
        {"regions": ["us-east-1", "eu-west-1"], **config}, aws=aws or two_region_account(), **kw
    )


def region_of(inputs: dict[str, Any]) -> str:
    """A resource's region as AWS sees it: its region input, or the provider's (us-east-1)."""
    return inputs.get("region", "us-east-1")


@pytest.mark.parametrize(
    ("regions", "problems"),
    [
        (["us-east-1", "us-gov-west-1", "cn-northwest-1", "ap-southeast-2"], []),
        (
            ["useast1"],
            ["regions: 'useast1' is not an AWS region name; use names such as 'us-east-1' or "
             "'eu-west-2'."],
        ),
        (
            ["eu-west-1", "eu-west-1"],
            ["regions: 'eu-west-1' appears more than once; list each region once."],
        ),
    ],
)  # fmt: skip
def test_region_names_are_checked(regions: list[str], problems: list[str]) -> None:
    assert region_problems(regions) == problems


@pytest.mark.parametrize(
    "region",
    [
        "us-east-1",
        "eu-central-2",
        "ap-southeast-5",
        "us-gov-west-1",
        "cn-north-1",
        "us-isob-east-1",
    ],
)
def test_region_names_are_accepted(region: str) -> None:
    assert region_problems([region], "region") == []


@pytest.mark.parametrize("region", ["", "us-east", "US-EAST-1", "useast1", "us-east-1a"])
def test_what_is_not_a_region_name_is_refused_by_the_key_given(region: str) -> None:
    assert region_problems([region], "region") == [
        f"region: {region!r} is not an AWS region name; use names such as 'us-east-1' or "
        "'eu-west-2'."
    ]


@pytest.mark.parametrize("key", ["vpcIds", "subnetIds", "transitGatewayIds"])
def test_regions_cannot_be_combined_with_ids(key: str) -> None:
    ids = {
        "vpcIds": "vpc-0a1b2c3d",
        "subnetIds": "subnet-0a1b2c3d",
        "transitGatewayIds": "tgw-0a1b2c3d",
    }

    with pytest.raises(SettingsError) as error:
        parse_settings({"regions": '["us-east-1", "eu-west-1"]', key: json.dumps([ids[key]])})

    assert str(error.value) == (
        f"regions and {key} cannot be combined: ids are regional, so a list of them cannot "
        "apply in several regions; select VPCs with vpcName or allVpcs (or the default VPC), "
        "or cover one region."
    )


def test_the_home_region_keeps_its_names_and_others_carry_theirs() -> None:
    home, away = CoveredRegion("us-east-1", is_home=True), CoveredRegion("eu-west-1", is_home=False)

    assert (home.resource_name("vpc-flow-logs"), home.override) == ("vpc-flow-logs", None)
    assert (away.resource_name("vpc-flow-logs"), away.override) == (
        "vpc-flow-logs-eu-west-1",
        "eu-west-1",
    )


def test_every_resource_sits_in_its_vpcs_region() -> None:
    run = run_regions({"vpcName": "ASG-VPC", "encryptLogs": True})

    flow_logs = {f.inputs["vpcId"]: f for f in run.of_type(FLOW_LOG)}
    assert sorted(flow_logs) == sorted([ASG_VPC.id, EU_APP.id])
    assert region_of(flow_logs[ASG_VPC.id].inputs) == "us-east-1"
    assert "region" not in flow_logs[ASG_VPC.id].inputs  # unchanged for an existing stack
    assert region_of(flow_logs[EU_APP.id].inputs) == "eu-west-1"
    for flow_log in flow_logs.values():
        # AWS refuses a log group in another region than the flow log's.
        destination_region = flow_log.inputs["logDestination"].split(":")[3]
        assert destination_region == region_of(flow_log.inputs)

    assert sorted(region_of(g.inputs) for g in run.of_type(LOG_GROUP)) == ["eu-west-1", "us-east-1"]
    keys = {region_of(k.inputs): document(k.inputs["policy"]) for k in run.of_type(KEY)}
    assert sorted(keys) == ["eu-west-1", "us-east-1"]
    for region, policy in keys.items():
        assert policy["Statement"][1]["Principal"] == {"Service": f"logs.{region}.amazonaws.com"}
        context = policy["Statement"][1]["Condition"]["ArnEquals"]
        assert context["kms:EncryptionContext:aws:logs:arn"].split(":")[3] == region


def test_each_region_has_its_own_role_naming_exactly_that_region() -> None:
    run = run_regions({"allVpcs": True})

    trusts = {r.name: document(r.inputs["assumeRolePolicy"]) for r in run.of_type(ROLE)}
    assert sorted(trusts) == ["vpc-flow-logs-eu-west-1-role", "vpc-flow-logs-role"]
    for name, region in (
        ("vpc-flow-logs-role", "us-east-1"),
        ("vpc-flow-logs-eu-west-1-role", "eu-west-1"),
    ):
        condition = trusts[name]["Statement"][0]["Condition"]
        assert (
            condition["ArnLike"]["aws:SourceArn"]
            == f"arn:aws:ec2:{region}:123456789012:vpc-flow-log/*"
        )
    policies = {p.name: document(p.inputs["policy"]) for p in run.of_type(ROLE_POLICY)}
    eu = policies["vpc-flow-logs-eu-west-1-delivery-policy"]["Statement"][0]["Resource"]
    assert eu == [
        "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vpc/flowlogs",
        "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vpc/flowlogs:*",
    ]
    assert "*" not in json.dumps(trusts).replace("vpc-flow-log/*", "")


def test_the_home_region_keeps_its_resource_names() -> None:
    single = {r.name for r in run_stack({"allVpcs": True}, aws=two_region_account()).resources}
    multi = {r.name for r in run_regions({"allVpcs": True}).resources}

    assert single < multi
    assert {n for n in multi - single} == {
        "vpc-flow-logs-eu-west-1",
        "vpc-flow-logs-eu-west-1-log-group",
        "vpc-flow-logs-eu-west-1-role",
        "vpc-flow-logs-eu-west-1-delivery-policy",
        f"vpc-flow-logs-eu-west-1-{EU_APP.id}",
        f"vpc-flow-logs-eu-west-1-{EU_DEFAULT.id}",
    }


def test_outputs_span_the_regions_and_group_by_region() -> None:
    run = run_regions({"vpcName": "ASG-VPC"})
    outputs = run.stack_outputs
    by_vpc = {f.inputs["vpcId"]: f.id for f in run.of_type(FLOW_LOG)}

    assert outputs["vpcIds"] == [ASG_VPC.id, EU_APP.id]
    assert outputs["flowLogIds"] == [by_vpc[ASG_VPC.id], by_vpc[EU_APP.id]]
    assert outputs["targetFlowLogIds"] == by_vpc
    assert (
        outputs["logGroupArn"] == "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc/flowlogs"
    )
    assert sorted(outputs["regions"]) == ["eu-west-1", "us-east-1"]
    eu = outputs["regions"]["eu-west-1"]
    assert eu["vpcIds"] == [EU_APP.id]
    assert eu["logGroupArn"] == "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vpc/flowlogs"


@pytest.mark.parametrize(
    ("config", "account", "message"),
    [
        (
            {"vpcName": "app"},
            two_region_account(),
            "vpcName: no VPC in us-east-1 has the Name tag 'app'; check the name, or the "
            "stack's aws:region and regions.",
        ),
        (
            {"vpcName": "ASG-VPC"},
            two_region_account(FakeVpc("vpc-0c0c0c0c", name="ASG-VPC", region="eu-west-1")),
            "vpcName: 'ASG-VPC' matches 2 VPCs in eu-west-1 (vpc-0e0e0e0e0e0e0e0e0, vpc-0c0c0c0c); "
            "name exactly one VPC in each region, or list them in vpcIds.",
        ),
        (
            {},
            FakeAws(vpcs=[ASG_VPC, DEFAULT_VPC, EU_APP]),
            "eu-west-1 has no default VPC, and no VPC selection is set; set one of vpcIds, "
            "vpcName or allVpcs.",
        ),
        (
            {"regions": ["eu-west-1", "ap-southeast-2"]},
            two_region_account(AP_APP),
            "regions: ['eu-west-1', 'ap-southeast-2'] leaves out the stack's own region "
            "'us-east-1' (aws:region); list it too, or set aws:region to one of these regions.",
        ),
    ],
)  # fmt: skip
def test_a_region_that_fails_registers_nothing_anywhere(
    config: dict[str, Any], account: FakeAws, message: str
) -> None:
    run = run_regions(config, account, raise_errors=False)

    assert isinstance(run.error, SettingsError)
    assert str(run.error) == message
    assert [r for r in run.resources if r.custom] == []
