"""The repair's Automation document: exact content, its API calls checked against EC2's own
request shapes (botocore's service model) and run against moto, its name, and the automation
role allowed exactly what it calls."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import boto3
import botocore.session
import pytest
from botocore.validate import ParamValidator
from moto import mock_aws

from components.aws_context import AwsContext
from components.drift_repair.automation import (
    cloudwatch_destination,
    document_name,
    repair_document,
    s3_destination,
)
from components.drift_repair.documents import repair_policy
from components.storage.settings import FileFormat

CONTEXT = AwsContext("123456789012", "us-east-1", "aws", "amazonaws.com")
LOG_GROUP_ARN = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc/flowlogs"
DELIVERY_ROLE_ARN = "arn:aws:iam::123456789012:role/vpc-flow-logs-role-1a2b3c4"
BUCKET = "flow-logs-bucket"
FOLDER = f"arn:aws:s3:::{BUCKET}/flows"
# What the Automation step adds to the API's own parameters.
STEP_KEYS = {"Service", "Api", "PropertySelector", "DesiredValues"}
CLOUDWATCH = cloudwatch_destination(LOG_GROUP_ARN, DELIVERY_ROLE_ARN)
S3 = s3_destination(FOLDER, FileFormat.PARQUET, True, False)


def document(*destinations: dict[str, Any], **changes: Any) -> dict[str, Any]:
    args: dict[str, Any] = {
        "traffic_type": "ALL",
        "max_aggregation_interval": 60,
        "log_format": "${version} ${srcaddr} ${action}",
        "destinations": list(destinations) or [CLOUDWATCH],
        "flow_log_name": "ASG-VPC-FlowLogs",
        "tags": {"env": "prod"},
    }
    return repair_document(**{**args, **changes})


def api_steps(content: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for step in content["mainSteps"] if "Api" in step["inputs"]]


def creates(content: dict[str, Any]) -> list[dict[str, Any]]:
    return [s["inputs"] for s in content["mainSteps"] if s["action"] == "aws:executeAwsApi"]


def test_the_document_creates_the_stacks_flow_log_then_waits_for_it() -> None:
    assert document() == {
        "schemaVersion": "0.3",
        "description": "Creates this stack's VPC flow logs, one per destination, on one VPC "
        "that AWS Config found without one, and waits until the VPC lists each as active.",
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
                "name": "CreateCloudWatchFlowLog",
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
                "name": "WaitForTheCloudWatchFlowLog",
                "action": "aws:waitForAwsResourceProperty",
                "timeoutSeconds": 300,
                "onFailure": "Abort",
                "inputs": {
                    "Service": "ec2",
                    "Api": "DescribeFlowLogs",
                    "Filter": [
                        {"Name": "resource-id", "Values": ["{{ VpcId }}"]},
                        {"Name": "log-destination-type", "Values": ["cloud-watch-logs"]},
                        {"Name": "traffic-type", "Values": ["ALL"]},
                        {"Name": "tag:Name", "Values": ["ASG-VPC-FlowLogs"]},
                    ],
                    "PropertySelector": "$.FlowLogs[0].FlowLogStatus",
                    "DesiredValues": ["ACTIVE"],
                },
                "isEnd": True,
            },
        ],
        "outputs": ["CreateCloudWatchFlowLog.FlowLogIds"],
    }


def test_with_both_destinations_it_creates_both_then_waits_for_each_until_active() -> None:
    content = document(CLOUDWATCH, S3)
    steps = content["mainSteps"]

    assert [(s["name"], s["action"]) for s in steps] == [
        ("CreateCloudWatchFlowLog", "aws:executeAwsApi"),
        ("CreateS3FlowLog", "aws:executeAwsApi"),
        ("WaitForTheCloudWatchFlowLog", "aws:waitForAwsResourceProperty"),
        ("WaitForTheS3FlowLog", "aws:waitForAwsResourceProperty"),
    ]
    assert [s.get("isEnd", False) for s in steps] == [False, False, False, True]
    assert all(s["onFailure"] == "Abort" for s in steps)
    cloudwatch, s3 = creates(content)
    # Everything but the destination is the same, as on the stack's own two flow logs.
    destination_keys = {"LogDestinationType", "LogDestination", "DeliverLogsPermissionArn"}
    assert {k: v for k, v in cloudwatch.items() if k not in destination_keys} == {
        k: v for k, v in s3.items() if k not in {*destination_keys, "DestinationOptions"}
    }
    assert [f["Values"] for s in steps[2:] for f in s["inputs"]["Filter"]][1::4] == [
        ["cloud-watch-logs"],
        ["s3"],
    ]
    assert content["outputs"] == [
        "CreateCloudWatchFlowLog.FlowLogIds",
        "CreateS3FlowLog.FlowLogIds",
    ]


@pytest.mark.parametrize(
    ("file_format", "hive", "per_hour"),
    [(FileFormat.PARQUET, True, False), (FileFormat.PLAIN_TEXT, False, True)],
)
def test_an_s3_repair_writes_into_the_folder_in_the_stacks_layout_and_passes_no_role(
    file_format: FileFormat, hive: bool, per_hour: bool
) -> None:
    (create,) = creates(document(s3_destination(FOLDER, file_format, hive, per_hour)))

    assert {k: v for k, v in create.items() if k.startswith(("Log", "Deliver", "Destination"))} == {
        "LogFormat": "${version} ${srcaddr} ${action}",
        "LogDestinationType": "s3",
        "LogDestination": FOLDER,
        "DestinationOptions": {
            "FileFormat": file_format.value,
            "HiveCompatiblePartitions": hive,
            "PerHourPartition": per_hour,
        },
    }


def test_aws_default_format_sends_no_log_format() -> None:
    assert all("LogFormat" not in c for c in creates(document(CLOUDWATCH, S3, log_format=None)))


def test_the_name_tag_wins_over_a_stack_tag_named_name_as_on_the_stacks_flow_logs() -> None:
    (create,) = creates(document(tags={"Name": "x", "team": "net"}))

    assert create["TagSpecifications"][0]["Tags"] == [
        {"Key": "Name", "Value": "ASG-VPC-FlowLogs"},
        {"Key": "team", "Value": "net"},
    ]


@pytest.mark.parametrize(
    "content",
    [document(CLOUDWATCH), document(S3), document(CLOUDWATCH, S3)],
    ids=["cw", "s3", "both"],
)
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
    content = document()
    content["mainSteps"][0]["inputs"]["LogGroupArn"] = LOG_GROUP_ARN

    with pytest.raises(AssertionError, match='Unknown parameter in input: "LogGroupArn"'):
        test_every_api_call_is_a_valid_ec2_request(content)


def test_every_template_names_a_declared_parameter() -> None:
    content = document(CLOUDWATCH, S3)
    text = repr(content["mainSteps"]) + content["assumeRole"]
    used = set(re.findall(r"\{\{ (\w+) \}\}", text))

    assert used == set(content["parameters"]) == {"VpcId", "AutomationAssumeRole"}


# Running the steps. moto's EC2 stands in for the account: it creates flow logs with their tags
# and filters DescribeFlowLogs by resource, destination type, traffic type and tag, as EC2 does.


@pytest.fixture
def account() -> Iterator[tuple[Any, str]]:
    with mock_aws():
        ec2 = boto3.client("ec2", region_name="us-east-1")
        boto3.client("s3", region_name="us-east-1").create_bucket(Bucket=BUCKET)
        boto3.client("logs", region_name="us-east-1").create_log_group(
            logGroupName="/aws/vpc/flowlogs"
        )
        vpc_id = ec2.create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
        yield ec2, vpc_id


def run_steps(content: dict[str, Any], ec2: Any, vpc_id: str) -> dict[str, Any]:
    """Each step as Automation runs it, ``{{ VpcId }}`` filled in: an API call's response, or a
    wait's selected property (one read: moto's flow logs are active at once)."""

    def fill(value: Any) -> Any:
        if isinstance(value, str):
            return value.replace("{{ VpcId }}", vpc_id)
        if isinstance(value, list):
            return [fill(v) for v in value]
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        return value

    results: dict[str, Any] = {}
    for step in content["mainSteps"]:
        inputs = fill(step["inputs"])
        call = getattr(ec2, re.sub(r"(?<!^)(?=[A-Z])", "_", inputs["Api"]).lower())
        response = call(**{k: v for k, v in inputs.items() if k not in STEP_KEYS})
        if step["action"] == "aws:waitForAwsResourceProperty":
            assert inputs["PropertySelector"] == "$.FlowLogs[0].FlowLogStatus"
            flow_logs = response["FlowLogs"]
            results[step["name"]] = flow_logs[0]["FlowLogStatus"] if flow_logs else None
        else:
            results[step["name"]] = response
    return results


# moto looks the whole path after ``arn:aws:s3:::`` up as a bucket name, so the runs deliver to
# the bucket's root; AWS takes a folder too.
BUCKET_ROOT = s3_destination(f"arn:aws:s3:::{BUCKET}", FileFormat.PARQUET, True, False)


def test_run_with_both_destinations_the_vpc_gets_both_flow_logs_and_each_wait_sees_its_own(
    account: tuple[Any, str],
) -> None:
    ec2, vpc_id = account
    results = run_steps(document(CLOUDWATCH, BUCKET_ROOT), ec2, vpc_id)

    assert results["WaitForTheCloudWatchFlowLog"] == results["WaitForTheS3FlowLog"] == "ACTIVE"
    flow_logs = ec2.describe_flow_logs(Filters=[{"Name": "resource-id", "Values": [vpc_id]}])
    by_type = {f["LogDestinationType"]: f for f in flow_logs["FlowLogs"]}
    assert sorted(by_type) == ["cloud-watch-logs", "s3"]
    assert by_type["s3"]["LogDestination"] == f"arn:aws:s3:::{BUCKET}"
    assert by_type["cloud-watch-logs"]["LogDestination"] == LOG_GROUP_ARN
    for destination_type, step in (("cloud-watch-logs", "CloudWatch"), ("s3", "S3")):
        assert results[f"Create{step}FlowLog"]["FlowLogIds"] == [
            by_type[destination_type]["FlowLogId"]
        ]


def test_a_refused_s3_flow_log_is_not_taken_for_done_by_its_wait_nor_the_cloudwatch_one(
    account: tuple[Any, str],
) -> None:
    # CreateFlowLogs succeeds, reporting the VPC in Unsuccessful (no such bucket); only the
    # CloudWatch flow log exists, and the S3 wait, which would abort the run, must not see it.
    ec2, vpc_id = account
    missing = s3_destination("arn:aws:s3:::no-such-bucket", FileFormat.PARQUET, True, False)

    results = run_steps(document(CLOUDWATCH, missing), ec2, vpc_id)

    assert [u["ResourceId"] for u in results["CreateS3FlowLog"]["Unsuccessful"]] == [vpc_id]
    assert results["CreateS3FlowLog"]["FlowLogIds"] == []
    assert results["WaitForTheCloudWatchFlowLog"] == "ACTIVE"
    assert results["WaitForTheS3FlowLog"] is None


# The role against the document: exactly the actions its steps call.


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
        (document(CLOUDWATCH), repair_policy(CONTEXT, delivery_role_arn=DELIVERY_ROLE_ARN)),
        (document(S3), repair_policy(CONTEXT, to_s3=True)),
        (
            document(CLOUDWATCH, S3),
            repair_policy(CONTEXT, delivery_role_arn=DELIVERY_ROLE_ARN, to_s3=True),
        ),
    ],
    ids=["cloudwatch", "s3", "both"],
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
    content = document(CLOUDWATCH, S3)

    assert actions_the_document_needs(content) - allowed_actions(
        repair_policy(CONTEXT, delivery_role_arn=DELIVERY_ROLE_ARN)
    ) == {"logs:CreateLogDelivery", "logs:DeleteLogDelivery"}


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
