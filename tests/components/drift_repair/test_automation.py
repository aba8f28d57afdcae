"""The repair's Automation document: exact content, its API calls checked against EC2's own
request shapes (botocore's service model), its name, and the automation role allowed exactly
what it calls."""

from __future__ import annotations

import json
import re
from typing import Any

import botocore.session
import pulumi_aws as aws
import pytest
from botocore.validate import ParamValidator

from components import FileFormat, TrafficType
from components.aws_context import AwsContext
from components.drift_repair.automation import (
    cloudwatch_destination,
    document_name,
    repair_document,
    s3_destination,
)
from components.drift_repair.component import DriftRepair, DriftRepairArgs
from components.drift_repair.documents import cloudwatch_repair_policy, s3_repair_policy
from offline.mocks import UNKNOWN, ProgramRun, run_pulumi
from tests.support.program import document as document_of
from tests.support.program import fake_account, run_stack, run_stack_file

CONTEXT = AwsContext("123456789012", "us-east-1", "aws", "amazonaws.com")
LOG_GROUP_ARN = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc/flowlogs"
DELIVERY_ROLE_ARN = "arn:aws:iam::123456789012:role/vpc-flow-logs-role-1a2b3c4"
FOLDER = "arn:aws:s3:::flow-logs-bucket/flows"
# What the Automation step adds to the API's own parameters.
STEP_KEYS = {"Service", "Api", "PropertySelector", "DesiredValues"}


def cloudwatch_document(**changes: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "traffic_type": "ALL",
        "max_aggregation_interval": 60,
        "log_format": "${version} ${srcaddr} ${action}",
        "destination": cloudwatch_destination(LOG_GROUP_ARN, DELIVERY_ROLE_ARN),
        "flow_log_name": "ASG-VPC-FlowLogs",
        "tags": {"env": "prod"},
    }
    return repair_document(**{**args, **changes})


def s3_document() -> dict[str, Any]:
    return cloudwatch_document(destination=s3_destination(FOLDER, "parquet", True, False))


def api_steps(content: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for step in content["mainSteps"] if "Api" in step["inputs"]]


def test_the_document_creates_the_stacks_flow_log_then_waits_for_it() -> None:
    assert cloudwatch_document() == {
        "schemaVersion": "0.3",
        "description": "Creates this stack's VPC flow log on one VPC that AWS Config found "
        "without one, and waits until the VPC lists it.",
        "assumeRole": "{{ AutomationAssumeRole }}",
        "parameters": {
            "VpcId": {
                "type": "String",
                "description": "The VPC to give a flow log (AWS Config's RESOURCE_ID).",
                "allowedPattern": "^vpc-[0-9a-f]{8,17}$",
            },
            "AutomationAssumeRole": {
                "type": "String",
                "description": "The ARN of the role the automation runs as.",
            },
        },
        "mainSteps": [
            {
                "name": "CreateFlowLog",
                "action": "aws:executeAwsApi",
                "onFailure": "Abort",
                "inputs": {
                    "Service": "ec2",
                    "Api": "CreateFlowLogs",
                    "ResourceType": "VPC",
                    "ResourceIds": ["{{ VpcId }}"],
                    "TrafficType": "ALL",
                    "MaxAggregationInterval": 60,
                    "LogFormat": "${version} ${srcaddr} ${action}",
                    "LogDestinationType": "cloud-watch-logs",
                    "LogDestination": LOG_GROUP_ARN,
                    "DeliverLogsPermissionArn": DELIVERY_ROLE_ARN,
                    "TagSpecifications": [
                        {
                            "ResourceType": "vpc-flow-log",
                            "Tags": [
                                {"Key": "env", "Value": "prod"},
                                {"Key": "Name", "Value": "ASG-VPC-FlowLogs"},
                            ],
                        }
                    ],
                },
                "outputs": [
                    {"Name": "FlowLogIds", "Selector": "$.FlowLogIds", "Type": "StringList"}
                ],
            },
            {
                "name": "WaitForTheFlowLog",
                "action": "aws:waitForAwsResourceProperty",
                "timeoutSeconds": 300,
                "onFailure": "Abort",
                "inputs": {
                    "Service": "ec2",
                    "Api": "DescribeFlowLogs",
                    "Filter": [
                        {"Name": "resource-id", "Values": ["{{ VpcId }}"]},
                        {"Name": "traffic-type", "Values": ["ALL"]},
                        {"Name": "tag:Name", "Values": ["ASG-VPC-FlowLogs"]},
                    ],
                    "PropertySelector": "$.FlowLogs[0].FlowLogStatus",
                    "DesiredValues": ["ACTIVE"],
                },
                "isEnd": True,
            },
        ],
        "outputs": ["CreateFlowLog.FlowLogIds"],
    }


def test_an_s3_repair_writes_into_the_folder_in_the_stacks_layout_and_passes_no_role() -> None:
    create = s3_document()["mainSteps"][0]["inputs"]

    assert {k: v for k, v in create.items() if k.startswith(("Log", "Deliver", "Destination"))} == {
        "LogFormat": "${version} ${srcaddr} ${action}",
        "LogDestinationType": "s3",
        "LogDestination": FOLDER,
        "DestinationOptions": {
            "FileFormat": "parquet",
            "HiveCompatiblePartitions": True,
            "PerHourPartition": False,
        },
    }


def test_aws_default_format_sends_no_log_format() -> None:
    create = cloudwatch_document(log_format=None)["mainSteps"][0]["inputs"]

    assert "LogFormat" not in create


def test_the_name_tag_wins_over_a_stack_tag_named_name_as_on_the_stacks_flow_logs() -> None:
    create = cloudwatch_document(tags={"Name": "x", "team": "net"})["mainSteps"][0]["inputs"]

    assert create["TagSpecifications"][0]["Tags"] == [
        {"Key": "Name", "Value": "ASG-VPC-FlowLogs"},
        {"Key": "team", "Value": "net"},
    ]


@pytest.mark.parametrize("content", [cloudwatch_document(), s3_document()], ids=["cw", "s3"])
def test_every_api_call_is_a_valid_ec2_request(content: dict[str, Any]) -> None:
    """The parameter names, nesting and types EC2 takes, from botocore's model of the API."""
    ec2 = botocore.session.get_session().get_service_model("ec2")
    for step in api_steps(content):
        inputs = step["inputs"]
        assert inputs["Service"] == "ec2"
        request = {k: v for k, v in inputs.items() if k not in STEP_KEYS}
        report = ParamValidator().validate(request, ec2.operation_model(inputs["Api"]).input_shape)
        assert not report.has_errors(), report.generate_report()


def test_the_validation_above_can_fail() -> None:
    content = cloudwatch_document()
    content["mainSteps"][0]["inputs"]["LogGroupArn"] = LOG_GROUP_ARN

    with pytest.raises(AssertionError, match='Unknown parameter in input: "LogGroupArn"'):
        test_every_api_call_is_a_valid_ec2_request(content)


def test_every_template_names_a_declared_parameter() -> None:
    content = s3_document()
    text = repr(content["mainSteps"]) + content["assumeRole"]
    used = set(re.findall(r"\{\{ (\w+) \}\}", text))

    assert used == set(content["parameters"]) == {"VpcId", "AutomationAssumeRole"}


def actions_the_document_needs(content: dict[str, Any]) -> set[str]:
    """Derived from the document alone: each API a step calls, and what IAM demands besides for
    what its parameters ask (tags on create, a role handed over, a log delivery to S3)."""
    needed: set[str] = set()
    for step in api_steps(content):
        inputs = step["inputs"]
        needed.add(f"{inputs['Service']}:{inputs['Api']}")
        if "TagSpecifications" in inputs:
            needed.add("ec2:CreateTags")
        if "DeliverLogsPermissionArn" in inputs:
            needed.add("iam:PassRole")
        if inputs.get("LogDestinationType") == "s3":
            needed |= {"logs:CreateLogDelivery", "logs:DeleteLogDelivery"}
    return needed


def allowed_actions(policy: dict[str, Any]) -> set[str]:
    actions: set[str] = set()
    for statement in policy["Statement"]:
        assert statement["Effect"] == "Allow"
        listed = statement["Action"]
        actions |= {listed} if isinstance(listed, str) else set(listed)
    return actions


@pytest.mark.parametrize(
    ("content", "policy"),
    [
        (cloudwatch_document(), cloudwatch_repair_policy(CONTEXT, DELIVERY_ROLE_ARN)),
        (s3_document(), s3_repair_policy(CONTEXT)),
    ],
    ids=["cloudwatch", "s3"],
)
def test_the_role_may_do_exactly_what_the_document_does(
    content: dict[str, Any], policy: dict[str, Any]
) -> None:
    assert allowed_actions(policy) == actions_the_document_needs(content)
    by_action = {s["Action"]: s for s in policy["Statement"] if isinstance(s["Action"], str)}
    create = api_steps(content)[0]["inputs"]
    assert by_action["ec2:CreateTags"]["Condition"] == {
        "StringEquals": {"ec2:CreateAction": create["Api"]}
    }
    if "iam:PassRole" in by_action:
        assert by_action["iam:PassRole"]["Resource"] == create["DeliverLogsPermissionArn"]


def test_the_comparison_above_sees_a_step_the_role_may_not_take() -> None:
    content = cloudwatch_document()
    content["mainSteps"].append(
        {"name": "Delete", "action": "aws:executeAwsApi", "inputs": {
            "Service": "ec2", "Api": "DeleteFlowLogs", "FlowLogIds": ["fl-1"]}}
    )  # fmt: skip

    assert actions_the_document_needs(content) - allowed_actions(
        cloudwatch_repair_policy(CONTEXT, DELIVERY_ROLE_ARN)
    ) == {"ec2:DeleteFlowLogs"}


@pytest.mark.parametrize(
    ("name", "stack", "expected"),
    [
        ("vpc-flow-logs-repair", "prod", "vpc-flow-logs-repair-prod"),
        ("vpc-flow-logs-repair-us-west-2", "prod", "vpc-flow-logs-repair-us-west-2-prod"),
        ("repair in/Ireland", "dev", "repair-in-Ireland-dev"),
    ],
)
def test_the_document_is_named_for_the_component_and_the_stack(
    name: str, stack: str, expected: str
) -> None:
    assert document_name(name, stack) == expected


def test_a_long_name_is_shortened_to_ssms_limit_and_kept_unique() -> None:
    first, second = document_name("r" * 200, "a"), document_name("r" * 200, "b")

    assert len(first) == len(second) == 128
    assert first != second
    assert re.fullmatch(r"[A-Za-z0-9_.-]{3,128}", first)


# As the component registers it, and as the stack wires it.

DOCUMENT = "aws:ssm/document:Document"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
REMEDIATION = "aws:cfg/remediationConfiguration:RemediationConfiguration"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"


def registered(args: DriftRepairArgs, *, preview: bool = False) -> ProgramRun:
    return run_pulumi(
        lambda: DriftRepair("repair", args),
        {},
        fake_account(),
        project="vpc-flow-logs",
        stack="test",
        preview=preview,
    )


def content_of(run: ProgramRun) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(run.one(DOCUMENT).inputs["content"])
    return parsed


def test_the_component_registers_its_document_with_the_repairs_settings() -> None:
    run = registered(
        DriftRepairArgs(
            log_group_arn=LOG_GROUP_ARN,
            delivery_role_arn=DELIVERY_ROLE_ARN,
            traffic_type=TrafficType.REJECT,
            max_aggregation_interval=600,
            log_format=["version", "action"],
            flow_log_name="flows",
            tags={"env": "prod"},
        )
    )
    registered_document = run.one(DOCUMENT).inputs

    assert {k: v for k, v in registered_document.items() if k != "content"} == {
        "name": "repair-test",
        "documentType": "Automation",
        "documentFormat": "JSON",
        "tags": {"env": "prod", "managed-by": "vpc-flow-logs"},
    }
    assert content_of(run) == repair_document(
        traffic_type="REJECT",
        max_aggregation_interval=600,
        log_format="${version} ${action}",
        destination=cloudwatch_destination(LOG_GROUP_ARN, DELIVERY_ROLE_ARN),
        flow_log_name="flows",
        tags={"env": "prod"},
    )
    assert content_of(run)["mainSteps"][0]["inputs"]["MaxAggregationInterval"] == 600


def test_an_s3_repair_document_carries_the_folder_and_layout() -> None:
    run = registered(
        DriftRepairArgs(
            log_bucket_arn=FOLDER, file_format=FileFormat.PLAIN_TEXT, per_hour_partition=True
        )
    )

    assert content_of(run)["mainSteps"][0]["inputs"]["DestinationOptions"] == {
        "FileFormat": "plain-text",
        "HiveCompatiblePartitions": True,
        "PerHourPartition": True,
    }
    assert content_of(run)["mainSteps"][0]["inputs"]["LogDestination"] == FOLDER


def test_preview_registers_the_document_by_name_before_its_destination_is_known() -> None:
    def program() -> None:
        delivery = aws.iam.Role("delivery", assume_role_policy="{}")
        DriftRepair(
            "repair", DriftRepairArgs(log_group_arn=LOG_GROUP_ARN, delivery_role_arn=delivery.arn)
        )

    run = run_pulumi(program, {}, fake_account(), project="p", stack="test", preview=True)
    document = run.one(DOCUMENT)

    assert document.inputs["name"] == "repair-test"
    assert document.inputs["content"] == UNKNOWN
    assert document.property_dependencies["content"] == [run.of_type("aws:iam/role:Role")[0].urn]
    assert run.one(REMEDIATION).inputs["targetId"] == "repair-test"


def repair_of(run: ProgramRun, region: str = "us-east-1") -> dict[str, Any]:
    """The repair's CreateFlowLogs request in ``region``."""
    (document,) = [
        r for r in run.of_type(DOCUMENT) if r.inputs.get("region", "us-east-1") == region
    ]
    create: dict[str, Any] = json.loads(document.inputs["content"])["mainSteps"][0]["inputs"]
    return create


def test_an_s3_only_stack_repairs_into_the_folder_and_layout_its_own_flow_logs_use() -> None:
    run = run_stack(
        {
            "repairDrift": True,
            "destination": "s3",
            "s3Prefix": "flows",
            "s3HivePartitions": False,
            "s3PerHourPartition": True,
            "maxAggregationInterval": 600,
            "trafficType": "REJECT",
            "flowLogName": "flows",
            "tags": {"env": "test"},
        }
    )
    own = run.of_type(FLOW_LOG)[0].inputs
    create = repair_of(run)

    assert own["logDestination"].endswith("/flows")
    assert (create["LogDestinationType"], create["LogDestination"]) == ("s3", own["logDestination"])
    assert create["DestinationOptions"] == {
        "FileFormat": own["destinationOptions"]["fileFormat"],
        "HiveCompatiblePartitions": own["destinationOptions"]["hiveCompatiblePartitions"],
        "PerHourPartition": own["destinationOptions"]["perHourPartition"],
    }
    assert (create["TrafficType"], create["MaxAggregationInterval"]) == (
        own["trafficType"],
        own["maxAggregationInterval"],
    )
    tags = {t["Key"]: t["Value"] for t in create["TagSpecifications"][0]["Tags"]}
    assert tags == own["tags"] == {"env": "test", "Name": "flows"}
    statements = document_of(run.one(ROLE_POLICY).inputs["policy"])["Statement"]
    assert "iam:PassRole" not in json.dumps(statements)


def test_prod_repairs_each_region_with_what_that_regions_own_flow_logs_are_created_with() -> None:
    run = run_stack_file("prod")
    for region in ("us-east-1", "us-west-2"):
        (own, *_) = [
            f.inputs
            for f in run.of_type(FLOW_LOG)
            if f.inputs.get("region", "us-east-1") == region
            and f.inputs["logDestinationType"] == "cloud-watch-logs"
        ]
        create = repair_of(run, region)

        assert create["LogDestination"] == own["logDestination"]
        assert create["DeliverLogsPermissionArn"] == own["iamRoleArn"]
        assert create["TrafficType"] == own["trafficType"]
        assert create["MaxAggregationInterval"] == own["maxAggregationInterval"] == 60
        assert create["LogFormat"] == own["logFormat"]
        tags = {t["Key"]: t["Value"] for t in create["TagSpecifications"][0]["Tags"]}
        assert tags == own["tags"]
