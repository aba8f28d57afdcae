"""The VpcFlowLogs component: what it creates, how the pieces are wired, and what it refuses."""

from __future__ import annotations

import json

import pulumi_aws as aws
import pytest

from components import (
    COMPONENT_TYPE,
    FlowLogOptions,
    SettingsError,
    TrafficType,
    VpcFlowLogs,
    VpcFlowLogsArgs,
)
from components.flow_logs.component import flow_log_args
from components.flow_logs.targets import FlowLogTargets
from offline.mocks import UNKNOWN, FakeAws, run_pulumi
from tests.support.flow_logs import (
    FLOW_LOG,
    KEY,
    LOG_GROUP,
    ROLE,
    ROLE_POLICY,
    VPC,
    VPC_A,
    VPC_B,
    build,
    component,
)
from tests.support.program import document, fake_account


def test_creates_one_log_group_role_policy_and_a_flow_log_per_vpc() -> None:
    run = build(vpc_ids={VPC_A: VPC_A, VPC_B: VPC_B})

    # Registration order between independent resources is not fixed; the set is.
    assert sorted((r.type, r.name) for r in run.resources) == sorted(
        [
            (COMPONENT_TYPE, "flows"),
            (ROLE, "flows-role"),
            (LOG_GROUP, "flows-log-group"),
            (ROLE_POLICY, "flows-delivery-policy"),
            (FLOW_LOG, f"flows-{VPC_A}"),
            (FLOW_LOG, f"flows-{VPC_B}"),
        ]
    )


def test_every_child_is_parented_to_the_component() -> None:
    run = build(FlowLogOptions(encrypt_logs=True))
    parent = component(run).urn

    children = [r for r in run.resources if r.type != COMPONENT_TYPE]
    assert {r.type for r in children} == {LOG_GROUP, ROLE, ROLE_POLICY, KEY, FLOW_LOG}
    assert all(r.parent == parent for r in children)


def test_log_group_has_the_name_retention_and_tags() -> None:
    run = build(FlowLogOptions(retention_in_days=731, tags={"team": "netsec"}))

    assert run.one(LOG_GROUP).inputs == {
        "name": "/aws/vpc/flowlogs",
        "retentionInDays": 731,
        "tags": {"team": "netsec"},
    }


def test_role_trusts_only_the_flow_logs_service_for_the_mocked_account_and_region() -> None:
    role = build().one(ROLE)

    assert document(role.inputs["assumeRolePolicy"])["Statement"] == [
        {
            "Sid": "AllowVpcFlowLogsDelivery",
            "Effect": "Allow",
            "Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
            "Action": "sts:AssumeRole",
            "Condition": {
                "StringEquals": {"aws:SourceAccount": "123456789012"},
                "ArnLike": {"aws:SourceArn": "arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/*"},
            },
        }
    ]
    assert "managedPolicyArns" not in role.inputs
    assert "inlinePolicies" not in role.inputs


def test_delivery_policy_is_on_the_role_and_scoped_to_the_log_group() -> None:
    run = build()
    role, log_group, policy = run.one(ROLE), run.one(LOG_GROUP), run.one(ROLE_POLICY)
    arn = log_group.outputs["arn"]

    assert arn == "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc/flowlogs"
    assert policy.inputs["role"] == role.id
    assert document(policy.inputs["policy"])["Statement"] == [
        {
            "Sid": "DeliverFlowLogRecords",
            "Effect": "Allow",
            "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
            "Resource": [arn, f"{arn}:*"],
        }
    ]


def test_flow_log_delivers_all_traffic_every_minute_to_the_log_group_through_the_role() -> None:
    run = build()
    flow_log = run.one(FLOW_LOG)

    assert flow_log.inputs == {
        "vpcId": VPC_A,
        "trafficType": "ALL",
        "maxAggregationInterval": 60,
        "logDestinationType": "cloud-watch-logs",
        "logDestination": run.one(LOG_GROUP).outputs["arn"],
        "iamRoleArn": run.one(ROLE).outputs["arn"],
        "tags": {"Name": "ASG-VPC-FlowLogs"},
    }


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_flow_log_waits_for_the_delivery_policy_through_its_role_arn(preview: bool) -> None:
    # IAM must hold the role's permissions when AWS creates the flow log: the role ARN it is
    # given depends on the policy, so the engine creates the policy first, in a preview too.
    run = build(preview=preview)
    flow_log, policy, role = run.one(FLOW_LOG), run.one(ROLE_POLICY), run.one(ROLE)

    assert sorted(flow_log.property_dependencies["iamRoleArn"]) == sorted([role.urn, policy.urn])
    assert policy.urn in flow_log.dependencies
    assert (flow_log.inputs["iamRoleArn"] == UNKNOWN) is preview


def test_options_reach_the_flow_log() -> None:
    options = FlowLogOptions(
        traffic_type="REJECT",  # type: ignore[arg-type]
        max_aggregation_interval=600,
        log_format=("version", "srcaddr", "dstaddr", "action", "reject-reason"),
        flow_log_name="edge-flows",
        tags={"team": "netsec", "Name": "overridden"},
    )

    inputs = build(options).one(FLOW_LOG).inputs

    assert inputs["trafficType"] == "REJECT"
    assert inputs["maxAggregationInterval"] == 600
    assert inputs["logFormat"] == "${version} ${srcaddr} ${dstaddr} ${action} ${reject-reason}"
    assert inputs["tags"] == {"team": "netsec", "Name": "edge-flows"}


def test_every_extra_vpc_adds_exactly_one_resource() -> None:
    counts = [
        len(build(vpc_ids={f"vpc-{i:08x}": f"vpc-{i:08x}" for i in range(n)}).resources)
        for n in (1, 2, 10)
    ]

    assert counts == [5, 6, 14]


def test_encrypt_logs_creates_a_rotating_key_for_this_log_group_only() -> None:
    run = build(FlowLogOptions(encrypt_logs=True))
    key, log_group = run.one(KEY), run.one(LOG_GROUP)

    assert key.inputs["enableKeyRotation"] is True
    assert key.inputs["deletionWindowInDays"] == 30
    assert key.inputs["tags"] == {"managed-by": "vpc-flow-logs"}
    statements = document(key.inputs["policy"])["Statement"]
    assert [s["Sid"] for s in statements] == [
        "EnableAccountAdministration",
        "AllowCloudWatchLogsForFlowLogGroup",
    ]
    assert statements[1]["Principal"] == {"Service": "logs.us-east-1.amazonaws.com"}
    assert statements[1]["Condition"] == {
        "ArnEquals": {
            "kms:EncryptionContext:aws:logs:arn": log_group.outputs["arn"],
        }
    }
    assert log_group.inputs["kmsKeyId"] == key.outputs["arn"]
    assert key.urn in log_group.dependencies


def test_an_existing_key_is_used_as_given_and_none_is_created() -> None:
    arn = "arn:aws:kms:us-east-1:123456789012:key/0b1c2d3e-4f50-6172-8394-a5b6c7d8e9f0"

    run = build(FlowLogOptions(kms_key_arn=arn))

    assert run.of_type(KEY) == []
    assert run.one(LOG_GROUP).inputs["kmsKeyId"] == arn


def test_logs_are_not_encrypted_or_protected_unless_asked() -> None:
    run = build()

    assert run.of_type(KEY) == []
    assert "kmsKeyId" not in run.one(LOG_GROUP).inputs
    assert not any(r.protect for r in run.resources)


def test_protect_logs_protects_the_log_group_and_key_and_nothing_else() -> None:
    run = build(FlowLogOptions(encrypt_logs=True, protect_logs=True))

    assert sorted(r.type for r in run.resources if r.protect) == [LOG_GROUP, KEY]


def test_nothing_names_the_default_account_region_or_partition_in_another() -> None:
    china = FakeAws(
        account_id="210987654321",
        region="cn-north-1",
        partition="aws-cn",
        dns_suffix="amazonaws.com.cn",
    )
    run = build(FlowLogOptions(encrypt_logs=True), aws_account=china)

    role = document(run.one(ROLE).inputs["assumeRolePolicy"])
    assert role["Statement"][0]["Condition"] == {
        "StringEquals": {"aws:SourceAccount": "210987654321"},
        "ArnLike": {"aws:SourceArn": "arn:aws-cn:ec2:cn-north-1:210987654321:vpc-flow-log/*"},
    }
    key = document(run.one(KEY).inputs["policy"])
    assert key["Statement"][1]["Principal"] == {"Service": "logs.cn-north-1.amazonaws.com.cn"}
    everything = json.dumps([r.inputs for r in run.resources])
    for default in ("123456789012", "us-east-1", "arn:aws:", 'amazonaws.com"'):
        assert default not in everything


def test_vpcs_created_in_the_same_program_are_linked_through_their_ids() -> None:
    def program() -> None:
        vpc = aws.ec2.Vpc("app", cidr_block="10.0.0.0/16")
        VpcFlowLogs("flows", VpcFlowLogsArgs(vpc_ids={"app": vpc.id}))

    for preview in (False, True):
        run = run_pulumi(program, {}, fake_account(), project="p", stack="test", preview=preview)
        vpc, flow_log = run.one(VPC), run.one(FLOW_LOG)

        assert flow_log.name == "flows-app"
        assert flow_log.property_dependencies["vpcId"] == [vpc.urn]
        # In a preview the new VPC's id is unknown, exactly as the engine reports it.
        assert flow_log.inputs["vpcId"] == (UNKNOWN if preview else vpc.id)


def test_preview_leaves_computed_arns_unknown_but_policies_readable() -> None:
    run = build(preview=True)

    flow_log = run.one(FLOW_LOG)
    assert flow_log.inputs["logDestination"] == UNKNOWN
    assert flow_log.property_dependencies["logDestination"] == [run.one(LOG_GROUP).urn]
    # Both role documents are plain text even in a preview, so a policy pack can read them.
    assert document(run.one(ROLE).inputs["assumeRolePolicy"])["Statement"][0]["Principal"] == {
        "Service": "vpc-flow-logs.amazonaws.com"
    }
    arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc/flowlogs"
    policy = document(run.one(ROLE_POLICY).inputs["policy"])
    assert policy["Statement"][0]["Resource"] == [arn, f"{arn}:*"]


def test_component_outputs_are_registered() -> None:
    run = build()
    outputs = run.component_outputs[component(run).urn]

    assert outputs == {
        "vpcIds": [VPC_A],
        "flowLogIds": [run.one(FLOW_LOG).id],
        "targetFlowLogIds": {VPC_A: run.one(FLOW_LOG).id},
        "logGroupName": "/aws/vpc/flowlogs",
        "logGroupArn": run.one(LOG_GROUP).outputs["arn"],
        "roleArn": run.one(ROLE).outputs["arn"],
    }


def test_subnets_network_interfaces_and_transit_gateways_get_flow_logs_of_their_own() -> None:
    options = FlowLogOptions(
        traffic_type=TrafficType.REJECT,
        max_aggregation_interval=600,
        log_format=("version", "srcaddr", "dstaddr", "action"),
    )
    targets = FlowLogTargets(
        vpc_ids=(VPC_A,),
        subnet_ids=("subnet-0a1b2c3d",),
        eni_ids=("eni-0a1b2c3d",),
        transit_gateway_ids=("tgw-0a1b2c3d",),
        transit_gateway_attachment_ids=("tgw-attach-0a1b2c3d",),
    )
    run = run_pulumi(
        lambda: VpcFlowLogs("flows", flow_log_args(targets, options)),
        {},
        fake_account(),
        project="p",
        stack="test",
    )
    by_name = {f.name: f.inputs for f in run.of_type(FLOW_LOG)}
    fmt = "${version} ${srcaddr} ${dstaddr} ${action}"

    ids = (VPC_A, "subnet-0a1b2c3d", "eni-0a1b2c3d", "tgw-0a1b2c3d", "tgw-attach-0a1b2c3d")
    assert sorted(by_name) == sorted(f"flows-{i}" for i in ids)
    for name, target in (("flows-subnet-0a1b2c3d", "subnetId"), ("flows-eni-0a1b2c3d", "eniId")):
        assert by_name[name][target] == name.removeprefix("flows-")
        assert by_name[name]["trafficType"] == "REJECT"
        assert by_name[name]["maxAggregationInterval"] == 600
        assert by_name[name]["logFormat"] == fmt
    for name, target in (
        ("flows-tgw-0a1b2c3d", "transitGatewayId"),
        ("flows-tgw-attach-0a1b2c3d", "transitGatewayAttachmentId"),
    ):
        inputs = by_name[name]
        assert inputs[target] == name.removeprefix("flows-")
        # AWS refuses a traffic type on a transit gateway, and any interval but 60 s; its own
        # default format carries the transit-gateway (version 6) fields.
        assert "trafficType" not in inputs
        assert inputs["maxAggregationInterval"] == 60
        assert "logFormat" not in inputs
    for inputs in by_name.values():
        assert inputs["logDestinationType"] == "cloud-watch-logs"
        assert inputs["iamRoleArn"] == run.one(ROLE).outputs["arn"]

    outputs = run.component_outputs[component(run).urn]
    assert outputs["vpcIds"] == [VPC_A]
    assert outputs["flowLogIds"] == [
        next(f.id for f in run.of_type(FLOW_LOG) if f.name == f"flows-{VPC_A}")
    ]
    assert outputs["targetFlowLogIds"] == {
        f.name.removeprefix("flows-"): f.id for f in run.of_type(FLOW_LOG)
    }


def test_a_key_used_for_two_targets_is_refused() -> None:
    def program() -> None:
        VpcFlowLogs(
            "flows",
            VpcFlowLogsArgs(vpc_ids={"main": VPC_A}, subnet_ids={"main": "subnet-0a1b2c3d"}),
        )

    run = run_pulumi(program, {}, fake_account(), project="p", stack="test", raise_errors=False)

    assert isinstance(run.error, SettingsError)
    assert str(run.error) == (
        "'main' names two targets; a key names one flow log, so give each target its own."
    )
    assert run.resources == []


@pytest.mark.parametrize("delete_first", [True, False])
def test_flow_logs_are_replaced_delete_first_only_when_asked(delete_first: bool) -> None:
    def program() -> None:
        args = flow_log_args(
            FlowLogTargets(vpc_ids=(VPC_A, VPC_B), subnet_ids=("subnet-0a1b2c3d",)),
            FlowLogOptions(),
            delete_before_replace=delete_first,
        )
        VpcFlowLogs("flows", args)

    run = run_pulumi(program, {}, fake_account(), project="p", stack="test")

    assert [f.delete_before_replace for f in run.of_type(FLOW_LOG)] == [delete_first] * 3
    assert not any(r.delete_before_replace for r in run.resources if r.type != FLOW_LOG)


def test_a_vpc_given_under_two_keys_is_refused() -> None:
    def program() -> None:
        VpcFlowLogs("flows", VpcFlowLogsArgs(vpc_ids={"a": VPC_A, "b": VPC_A}))

    run = run_pulumi(program, {}, fake_account(), project="p", stack="test", raise_errors=False)

    assert isinstance(run.error, SettingsError)
    assert str(run.error) == f"vpcIds: {VPC_A!r} appears more than once; list each VPC once."
    assert run.resources == []
