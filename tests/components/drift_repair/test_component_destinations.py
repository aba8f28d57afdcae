"""Where the DriftRepair component's document delivers: the component's own destinations, and
in the stacks, every destination the stack's own flow logs deliver to, in the same layout."""

from __future__ import annotations

import json
from typing import Any

import pulumi_aws as aws

from components import FileFormat, TrafficType
from components.drift_repair.automation import (
    cloudwatch_destination,
    repair_document,
    s3_destination,
)
from components.drift_repair.component import DriftRepair, DriftRepairArgs
from offline.mocks import UNKNOWN, ProgramRun, run_pulumi
from tests.support.program import document as document_of
from tests.support.program import fake_account, run_stack, run_stack_file

LOG_GROUP_ARN = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc/flowlogs"
DELIVERY_ROLE_ARN = "arn:aws:iam::123456789012:role/vpc-flow-logs-role-1a2b3c4"
FOLDER = "arn:aws:s3:::flow-logs-bucket/flows"

BUCKET = "aws:s3/bucket:Bucket"
DOCUMENT = "aws:ssm/document:Document"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
REMEDIATION = "aws:cfg/remediationConfiguration:RemediationConfiguration"
ROLE = "aws:iam/role:Role"
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


def content_of(run: ProgramRun, region: str = "us-east-1") -> dict[str, Any]:
    (document,) = [
        r for r in run.of_type(DOCUMENT) if r.inputs.get("region", "us-east-1") == region
    ]
    parsed: dict[str, Any] = json.loads(document.inputs["content"])
    return parsed


def creates_of(run: ProgramRun, region: str = "us-east-1") -> dict[str, dict[str, Any]]:
    """The repair's CreateFlowLogs requests in ``region``, by destination type."""
    steps = content_of(run, region)["mainSteps"]
    return {
        s["inputs"]["LogDestinationType"]: s["inputs"]
        for s in steps
        if s["action"] == "aws:executeAwsApi"
    }


def sids(run: ProgramRun) -> set[str]:
    return {s["Sid"] for s in document_of(run.one(ROLE_POLICY).inputs["policy"])["Statement"]}


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
        destinations=[cloudwatch_destination(LOG_GROUP_ARN, DELIVERY_ROLE_ARN)],
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

    assert list(creates_of(run)) == ["s3"]
    assert creates_of(run)["s3"]["DestinationOptions"] == {
        "FileFormat": "plain-text",
        "HiveCompatiblePartitions": True,
        "PerHourPartition": True,
    }
    assert creates_of(run)["s3"]["LogDestination"] == FOLDER
    assert "PassTheDeliveryRoleToFlowLogsOnly" not in sids(run)


def test_with_a_log_group_and_a_bucket_the_document_creates_both_and_the_role_may() -> None:
    run = registered(
        DriftRepairArgs(
            log_group_arn=LOG_GROUP_ARN,
            delivery_role_arn=DELIVERY_ROLE_ARN,
            log_bucket_arn=FOLDER,
            hive_partitions=False,
        )
    )

    assert content_of(run) == repair_document(
        traffic_type="ALL",
        max_aggregation_interval=60,
        log_format=None,
        destinations=[
            cloudwatch_destination(LOG_GROUP_ARN, DELIVERY_ROLE_ARN),
            s3_destination(FOLDER, FileFormat.PARQUET, False, False),
        ],
        flow_log_name="ASG-VPC-FlowLogs",
        tags={},
    )
    assert {"PassTheDeliveryRoleToFlowLogsOnly", "DeliverFlowLogsToS3"} <= sids(run)


def test_preview_registers_the_document_by_name_before_its_destinations_are_known() -> None:
    def program() -> None:
        delivery = aws.iam.Role("delivery", assume_role_policy="{}")
        bucket = aws.s3.Bucket("bucket")
        DriftRepair(
            "repair",
            DriftRepairArgs(
                log_group_arn=LOG_GROUP_ARN,
                delivery_role_arn=delivery.arn,
                log_bucket_arn=bucket.arn,
            ),
        )

    run = run_pulumi(program, {}, fake_account(), project="p", stack="test", preview=True)
    document = run.one(DOCUMENT)

    assert document.inputs["name"] == "repair-test"
    assert document.inputs["content"] == UNKNOWN
    assert sorted(document.property_dependencies["content"]) == sorted(
        [run.one(BUCKET).urn, next(r.urn for r in run.of_type(ROLE) if r.name == "delivery")]
    )
    assert run.one(REMEDIATION).inputs["targetId"] == "repair-test"


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
    (create,) = creates_of(run).values()

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
    assert "PassTheDeliveryRoleToFlowLogsOnly" not in sids(run)


def test_prod_repairs_each_region_into_every_destination_its_own_flow_logs_deliver_to() -> None:
    run = run_stack_file("prod")
    for region in ("us-east-1", "us-west-2"):
        own = {
            f.inputs["logDestinationType"]: f.inputs
            for f in run.of_type(FLOW_LOG)
            if f.inputs.get("region", "us-east-1") == region
        }
        creates = creates_of(run, region)

        assert sorted(creates) == sorted(own) == ["cloud-watch-logs", "s3"]
        cloudwatch, s3 = creates["cloud-watch-logs"], creates["s3"]
        assert cloudwatch["LogDestination"] == own["cloud-watch-logs"]["logDestination"]
        assert cloudwatch["DeliverLogsPermissionArn"] == own["cloud-watch-logs"]["iamRoleArn"]
        # One bucket serves every region; the repair writes where the region's S3 flow logs do.
        assert s3["LogDestination"] == own["s3"]["logDestination"]
        assert s3["DestinationOptions"] == {
            "FileFormat": own["s3"]["destinationOptions"]["fileFormat"],
            "HiveCompatiblePartitions": own["s3"]["destinationOptions"]["hiveCompatiblePartitions"],
            "PerHourPartition": own["s3"]["destinationOptions"]["perHourPartition"],
        }
        for create, flow_log in ((cloudwatch, own["cloud-watch-logs"]), (s3, own["s3"])):
            assert create["TrafficType"] == flow_log["trafficType"]
            assert create["MaxAggregationInterval"] == flow_log["maxAggregationInterval"] == 60
            assert create["LogFormat"] == flow_log["logFormat"]
            tags = {t["Key"]: t["Value"] for t in create["TagSpecifications"][0]["Tags"]}
            assert tags == flow_log["tags"]
