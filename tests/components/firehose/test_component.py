"""``FirehoseFlowLogs`` and ``FirehoseDestinationRole`` under mocks: one more flow log per target,
recorded as the stack's others are; both role ARNs on every cross-account flow log, or neither;
and every refusal before anything is registered."""

from __future__ import annotations

from typing import Any

import pytest

from components import FirehoseDestinationRole, FirehoseFlowLogs, FirehoseFlowLogsArgs
from components.config import SettingsError
from offline.mocks import ProgramRun, run_pulumi
from tests.support.iam_eval import Arn, Request, allows
from tests.support.program import ASG_VPC, WEST_VPC, document, fake_account, run_stack

FLOW_LOG = "aws:ec2/flowLog:FlowLog"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
HOME = "123456789012"
STREAM = f"arn:aws:firehose:us-east-1:{HOME}:deliverystream/siem"
OTHER_STREAM = "arn:aws:firehose:us-east-1:222222222222:deliverystream/siem"
DESTINATION_ROLE = (
    "arn:aws:iam::222222222222:role/AWSLogDeliveryFirehoseCrossAccountRole-vpc-flow-logs"
)
TGW = "tgw-0a1b2c3d"
FORMAT = ["version", "srcaddr", "dstaddr", "action"]


def firehose_logs(run: ProgramRun) -> list[Any]:
    return [
        f for f in run.of_type(FLOW_LOG) if f.inputs["logDestinationType"] != "cloud-watch-logs"
    ]


def test_each_target_gets_one_more_flow_log_recorded_as_the_stacks_others() -> None:
    run = run_stack(
        {
            "vpcIds": [ASG_VPC.id],
            "transitGatewayIds": [TGW],
            "trafficType": "REJECT",
            "maxAggregationInterval": 600,
            "logFormat": FORMAT,
            "flowLogName": "siem-logs",
            "tags": {"team": "soc"},
            "firehoseArns": {"us-east-1": STREAM},
        }
    )
    cloudwatch = {f.name: f for f in run.of_type(FLOW_LOG) if f not in firehose_logs(run)}
    # Registration order follows when inputs resolve, so the two are told apart by name.
    by_name = {f.name: f for f in firehose_logs(run)}
    assert sorted(by_name) == [
        f"vpc-flow-logs-firehose-{TGW}",
        f"vpc-flow-logs-firehose-{ASG_VPC.id}",
    ]
    vpc, tgw = (
        by_name[f"vpc-flow-logs-firehose-{ASG_VPC.id}"],
        by_name[f"vpc-flow-logs-firehose-{TGW}"],
    )
    for flow_log in (vpc, tgw):
        assert flow_log.inputs["logDestinationType"] == "kinesis-data-firehose"
        assert flow_log.inputs["logDestination"] == STREAM
        assert flow_log.inputs["tags"] == {"team": "soc", "Name": "siem-logs"}
        # The same account: AWS's service-linked role delivers; no role of the stack's.
        assert "iamRoleArn" not in flow_log.inputs
        assert "deliverCrossAccountRole" not in flow_log.inputs
        # Two flow logs per target: a replacement deletes first.
        assert flow_log.delete_before_replace
    same = ("trafficType", "maxAggregationInterval", "logFormat")
    cloudwatch_vpc = cloudwatch[f"vpc-flow-logs-{ASG_VPC.id}"]
    assert {k: vpc.inputs.get(k) for k in same} == {k: cloudwatch_vpc.inputs.get(k) for k in same}
    assert vpc.inputs["trafficType"] == "REJECT"
    # Transit gateways: 60 s, no traffic type, AWS's own format.
    assert tgw.inputs["maxAggregationInterval"] == 60
    assert "trafficType" not in tgw.inputs and "logFormat" not in tgw.inputs
    assert not run.of_type(ROLE)[1:]  # only the CloudWatch delivery role
    assert run.stack_outputs["firehoseTargetFlowLogIds"] == {ASG_VPC.id: vpc.id, TGW: tgw.id}
    assert run.stack_outputs["firehoseFlowLogIds"] == [vpc.id]


def test_a_stream_in_another_account_gets_both_roles_on_every_flow_log() -> None:
    run = run_stack(
        {
            "vpcIds": [ASG_VPC.id],
            "transitGatewayIds": [TGW],
            "firehoseArns": {"us-east-1": OTHER_STREAM},
            "firehoseCrossAccountRoleArn": DESTINATION_ROLE,
        }
    )
    (source,) = [r for r in run.of_type(ROLE) if r.name == "vpc-flow-logs-firehose-source-role"]
    (policy,) = [
        p for p in run.of_type(ROLE_POLICY) if p.name == "vpc-flow-logs-firehose-source-policy"
    ]
    source_arn = source.outputs["arn"]

    assert source.inputs["path"] == "/vpc-flow-logs-firehose/"
    for flow_log in firehose_logs(run):
        assert flow_log.inputs["iamRoleArn"] == source_arn
        assert flow_log.inputs["deliverCrossAccountRole"] == DESTINATION_ROLE
        assert flow_log.inputs["logDestination"] == OTHER_STREAM
        # The role's ARN reaches the flow log once its policy exists.
        assert policy.urn in flow_log.dependencies
    permissions = document(policy.inputs["policy"])
    assert allows(Request("sts:AssumeRole", DESTINATION_ROLE, Arn(source_arn)), permissions)
    assert run.stack_outputs["firehoseSourceRoleArn"] == source_arn


def test_only_the_keyed_regions_targets_deliver_to_firehose() -> None:
    west_stream = STREAM.replace("us-east-1", "us-west-2")
    run = run_stack(
        {
            "regions": ["us-east-1", "us-west-2"],
            "allVpcs": True,
            "firehoseArns": {"us-west-2": west_stream},
        }
    )
    (west,) = firehose_logs(run)

    assert (west.inputs["vpcId"], west.inputs["region"]) == (WEST_VPC.id, "us-west-2")
    assert west.inputs["logDestination"] == west_stream
    regions = run.stack_outputs["regions"]
    assert regions["us-west-2"]["firehoseFlowLogIds"] == [west.id]
    assert "firehoseFlowLogIds" not in regions["us-east-1"]


@pytest.mark.parametrize(
    ("config", "message"),
    [
        (
            {"firehoseArns": {"us-east-1": OTHER_STREAM}},
            "firehoseCrossAccountRoleArn: is empty, but firehoseArns 'us-east-1' names a stream "
            f"in account 222222222222, not this stack's account {HOME}; set "
            "firehoseCrossAccountRoleArn to the role AWSLogDeliveryFirehoseCrossAccountRole-"
            f"vpc-flow-logs that a stack with firehoseSourceAccounts: [{HOME}] creates in account "
            "222222222222.",
        ),
        (
            {"firehoseArns": {"us-west-2": STREAM.replace("us-east-1", "us-west-2")}},
            "firehoseArns: 'us-west-2' is not a region this stack covers (us-east-1); add it to "
            "regions, or remove its stream.",
        ),
    ],
)
def test_a_refusal_comes_before_anything_is_registered(
    config: dict[str, Any], message: str
) -> None:
    run = run_stack(config, raise_errors=False)

    assert isinstance(run.error, SettingsError)
    assert str(run.error) == message
    assert run.resources == []


def build(**args: Any) -> ProgramRun:
    def program() -> None:
        FirehoseFlowLogs("siem", FirehoseFlowLogsArgs(**args))  # type: ignore[typeddict-item]

    return run_pulumi(program, {}, fake_account(), project="p", stack="test", raise_errors=False)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            {"stream_arns": {"us-east-1": STREAM}},
            "vpcIds, subnetIds, eniIds, transitGatewayIds and transitGatewayAttachmentIds are "
            "all empty; give at least one target to log.",
        ),
        (
            {"vpc_ids": {"a": ASG_VPC.id}},
            "streamArns: is empty; give a delivery stream's ARN for each region.\n"
            "firehoseArns: has no stream for us-east-1, where targets are logged; add one, or log "
            "only targets in regions that have a stream.",
        ),
        (
            {
                "vpc_ids": {"a": ASG_VPC.id, "b": WEST_VPC.id},
                "target_regions": {"b": "us-west-2"},
                "stream_arns": {"us-east-1": STREAM},
            },
            "firehoseArns: has no stream for us-west-2, where targets are logged; add one, or log "
            "only targets in regions that have a stream.",
        ),
    ],
)
def test_the_component_refuses_what_the_stack_would(args: dict[str, Any], message: str) -> None:
    run = build(**args)

    assert str(run.error) == message
    assert run.resources == []


def test_the_destination_role_has_its_fixed_name_and_trusts_the_listed_accounts_only() -> None:
    def program() -> None:
        FirehoseDestinationRole("dest", {"source_accounts": ["111111111111"]})

    run = run_pulumi(program, {}, fake_account(), project="p", stack="test")
    role = run.one(ROLE)
    trust = document(role.inputs["assumeRolePolicy"])
    source = "arn:aws:iam::111111111111:role/vpc-flow-logs-firehose/vpc-flow-logs-firehose-src"

    assert role.inputs["name"] == "AWSLogDeliveryFirehoseCrossAccountRole-vpc-flow-logs"
    assert allows(Request("sts:AssumeRole", role.outputs["arn"], Arn(source)), trust)
    assert not allows(
        Request("sts:AssumeRole", role.outputs["arn"], Arn(source.replace("1111", "9999"))), trust
    )
    assert run.one(ROLE_POLICY).inputs["role"] == role.outputs["name"]
