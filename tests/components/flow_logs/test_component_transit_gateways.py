"""Transit-gateway records kept apart: their flow logs deliver to a log group of their own.

Transit gateways and attachments write AWS's transit-gateway format, not the VPC format that
the metric filters and queries read, so they go to ``<logGroupName>/transit-gateways``, kept as
the VPCs' group is kept.
"""

from __future__ import annotations

from typing import Any

import pytest

from components import FlowLogOptions, SettingsError, VpcFlowLogs
from components.flow_logs.component import flow_log_args
from components.flow_logs.targets import FlowLogTargets
from offline.mocks import ProgramRun, run_pulumi
from tests.support.program import document, fake_account

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
KEY = "aws:kms/key:Key"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
COMPONENT = "vpc-flow-logs:index:VpcFlowLogs"
VPC_A = "vpc-0a1b2c3d4e5f60718"
TGW = "tgw-0a1b2c3d"
ATTACHMENT = "tgw-attach-0a1b2c3d"
ARN = "arn:aws:logs:us-east-1:123456789012:log-group:"


def build(options: FlowLogOptions, **targets: Any) -> ProgramRun:
    logged = FlowLogTargets(**{"vpc_ids": (VPC_A,), **targets})
    return run_pulumi(
        lambda: VpcFlowLogs("flows", flow_log_args(logged, options)),
        {},
        fake_account(),
        project="p",
        stack="test",
        raise_errors=False,
    )


@pytest.fixture(scope="module")
def run() -> ProgramRun:
    options = FlowLogOptions(
        log_group_name="/net/flows", retention_in_days=90, encrypt_logs=True, protect_logs=True
    )
    return build(options, transit_gateway_ids=(TGW,), transit_gateway_attachment_ids=(ATTACHMENT,))


def test_transit_gateways_get_a_group_of_their_own_kept_as_the_vpcs_group(run: ProgramRun) -> None:
    groups = {g.name: g for g in run.of_type(LOG_GROUP)}

    assert sorted(groups) == ["flows-log-group", "flows-transit-gateway-log-group"]
    vpcs, tgws = groups["flows-log-group"], groups["flows-transit-gateway-log-group"]
    assert vpcs.inputs["name"] == "/net/flows"
    assert tgws.inputs["name"] == "/net/flows/transit-gateways"
    for key in ("retentionInDays", "kmsKeyId", "tags"):
        assert tgws.inputs[key] == vpcs.inputs[key], key
    assert tgws.inputs["kmsKeyId"] == run.one(KEY).outputs["arn"]
    assert tgws.protect and vpcs.protect


def test_each_flow_log_delivers_to_the_group_of_its_format(run: ProgramRun) -> None:
    groups = {g.inputs["name"]: g.outputs["arn"] for g in run.of_type(LOG_GROUP)}
    destination = {f.name: f.inputs["logDestination"] for f in run.of_type(FLOW_LOG)}

    assert destination == {
        f"flows-{VPC_A}": groups["/net/flows"],
        f"flows-{TGW}": groups["/net/flows/transit-gateways"],
        f"flows-{ATTACHMENT}": groups["/net/flows/transit-gateways"],
    }


def test_the_role_and_the_key_admit_both_groups_and_no_other(run: ProgramRun) -> None:
    (statement,) = document(run.one(ROLE_POLICY).inputs["policy"])["Statement"]
    assert statement["Resource"] == [
        f"{ARN}/net/flows",
        f"{ARN}/net/flows:*",
        f"{ARN}/net/flows/transit-gateways",
        f"{ARN}/net/flows/transit-gateways:*",
    ]
    key_statement = document(run.one(KEY).inputs["policy"])["Statement"][1]
    assert key_statement["Condition"] == {
        "ArnEquals": {
            "kms:EncryptionContext:aws:logs:arn": [
                f"{ARN}/net/flows",
                f"{ARN}/net/flows/transit-gateways",
            ]
        }
    }


def test_the_component_names_the_group_in_its_outputs(run: ProgramRun) -> None:
    outputs = run.component_outputs[run.one(COMPONENT).urn]
    assert outputs["transitGatewayLogGroupName"] == "/net/flows/transit-gateways"


def test_without_transit_gateways_there_is_one_group_and_no_name() -> None:
    run = build(FlowLogOptions())

    assert [g.inputs["name"] for g in run.of_type(LOG_GROUP)] == ["/aws/vpc/flowlogs"]
    outputs = run.component_outputs[run.one(COMPONENT).urn]
    assert outputs.get("transitGatewayLogGroupName") is None


def test_a_name_too_long_for_the_transit_gateway_group_is_refused_before_registration() -> None:
    name = "/" + "a" * 499  # 500 characters: valid alone, 517 with the suffix.
    run = build(FlowLogOptions(log_group_name=name), transit_gateway_ids=(TGW,))

    assert isinstance(run.error, SettingsError)
    assert str(run.error) == (
        f"logGroupName: {name!r} is 500 characters; with transit gateways to log it can be at "
        "most 495, since their records go to '<logGroupName>/transit-gateways', which is "
        "limited to 512."
    )
    assert run.resources == []
    # Without transit gateways the same name is fine.
    assert build(FlowLogOptions(log_group_name=name)).error is None
