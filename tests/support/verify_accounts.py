"""AWS accounts as a deployed stack leaves them, built in moto through boto3, with the outputs
``pulumi stack output --json`` would print for them.

The dev account is the workshop's: one VPC in us-east-1 logged to ``/aws/vpc/flowlogs``, kept
14 days. The prod account follows ``Pulumi.prod.yaml``: two regions, encrypted groups kept a
year, the custom format, S3 delivery beside CloudWatch, alarms and drift repair.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import yaml

from tests.support.program import PROJECT_DIR

ACCOUNT = "123456789012"
"""moto's account."""
HOME = "us-east-1"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/vpc-flow-logs-role-1234567"


def prod_format() -> str:
    """The format ``Pulumi.prod.yaml`` asks for, as AWS reports it."""
    config = yaml.safe_load((PROJECT_DIR / "Pulumi.prod.yaml").read_text())["config"]
    return " ".join(f"${{{f}}}" for f in config["vpc-flow-logs:logFormat"])


@dataclass
class Deployment:
    """What a stack created, and its outputs."""

    outputs: dict[str, Any] = field(default_factory=dict)

    def write(self, directory: Path) -> Path:
        """The outputs as ``pulumi stack output --json`` prints them, in a file."""
        directory.mkdir(parents=True, exist_ok=True)
        path = directory / "outputs.json"
        path.write_text(json.dumps(self.outputs, indent=2))
        return path

    def region(self, name: str) -> dict[str, Any]:
        """The outputs under ``regions.<name>``."""
        regions: dict[str, dict[str, Any]] = self.outputs["regions"]
        return regions[name]


def client(service: str, region: str = HOME) -> Any:
    """A plain boto3 client, which the environment points at moto."""
    return boto3.client(service, region_name=region)


def put_records(group: str, region: str = HOME, age: timedelta = timedelta(minutes=2)) -> None:
    """One flow-log record in ``group``, ``age`` old."""
    logs = client("logs", region)
    stream = "eni-0123456789abcdef0-all"
    logs.create_log_stream(logGroupName=group, logStreamName=stream)
    when = int((datetime.now(UTC) - age).timestamp() * 1000)
    logs.put_log_events(
        logGroupName=group,
        logStreamName=stream,
        logEvents=[
            {"timestamp": when, "message": f"2 {ACCOUNT} eni-0123 - - - - - - - 1 2 - NODATA"}
        ],
    )


def cloudwatch_flow_log(
    vpc_id: str,
    group: str,
    region: str = HOME,
    *,
    log_format: str | None = None,
    failed_delivery: bool = False,
) -> str:
    """A flow log of ``vpc_id`` into ``group``.

    moto marks it FAILED ("Access error") when it is given the group's ARN alone rather than its
    name: a convenient way to reach the failure path, which the verifier does not depend on.
    """
    ec2 = client("ec2", region)
    target: dict[str, str] = (
        {
            "LogDestinationType": "cloud-watch-logs",
            "LogDestination": f"arn:aws:logs:{region}:{ACCOUNT}:log-group:{group}",
        }
        if failed_delivery
        else {"LogGroupName": group}
    )
    created = ec2.create_flow_logs(
        ResourceIds=[vpc_id],
        ResourceType="VPC",
        TrafficType="ALL",
        DeliverLogsPermissionArn=ROLE_ARN,
        MaxAggregationInterval=60,
        **({"LogFormat": log_format} if log_format else {}),
        **target,
    )
    return str(created["FlowLogIds"][0])


def fresh_log_group(group: str, region: str = HOME, **args: Any) -> None:
    """Create ``group``, replacing one a test before made."""
    logs = client("logs", region)
    with contextlib.suppress(logs.exceptions.ResourceNotFoundException):
        logs.delete_log_group(logGroupName=group)
    logs.create_log_group(logGroupName=group, **args)


def dev_account(
    *, records_age: timedelta | None = timedelta(minutes=2), failed_delivery: bool = False
) -> Deployment:
    """The dev stack deployed: the ASG VPC's flow log, its group, and a recent record."""
    group = "/aws/vpc/flowlogs"
    vpc_id = client("ec2").create_vpc(CidrBlock="10.0.0.0/16")["Vpc"]["VpcId"]
    fresh_log_group(group)
    client("logs").put_retention_policy(logGroupName=group, retentionInDays=14)
    flow_log = cloudwatch_flow_log(vpc_id, group, failed_delivery=failed_delivery)
    if records_age is not None:
        put_records(group, age=records_age)
    home = {
        "vpcIds": [vpc_id],
        "flowLogIds": [flow_log],
        "logGroupName": group,
        "logGroupArn": f"arn:aws:logs:{HOME}:{ACCOUNT}:log-group:{group}",
        "roleArn": ROLE_ARN,
        "kmsKeyArn": None,
    }
    return Deployment(
        {**home, "targetFlowLogIds": {vpc_id: flow_log}, "regions": {HOME: dict(home)}}
    )


PROD_GROUP = "/aws/vpc/flowlogs-prod"
PROD_REGIONS = ("us-east-1", "us-west-2")
PROD_BUCKET = f"vpc-flow-logs-s3-prod-{ACCOUNT}-us-east-1"


def prod_account() -> Deployment:
    """The prod stack deployed, healthy, in both regions: CloudWatch and S3 flow logs, records
    in both, alarms in OK with a confirmed subscriber, and a drift-repair rule (which moto cannot
    evaluate; the tests stub AWS Config)."""
    s3 = client("s3")
    s3.create_bucket(Bucket=PROD_BUCKET)
    outputs: dict[str, Any] = {
        "vpcIds": [],
        "flowLogIds": [],
        "targetFlowLogIds": {},
        "s3FlowLogIds": [],
        "s3TargetFlowLogIds": {},
        "bucketName": PROD_BUCKET,
        "alarmNames": [],
        "regions": {},
    }
    now = datetime.now(UTC)
    for region in PROD_REGIONS:
        vpc_id = client("ec2", region).create_vpc(CidrBlock="10.1.0.0/16")["Vpc"]["VpcId"]
        key = client("kms", region).create_key()["KeyMetadata"]["Arn"]
        fresh_log_group(PROD_GROUP, region, kmsKeyId=key)
        client("logs", region).put_retention_policy(logGroupName=PROD_GROUP, retentionInDays=365)
        flow_log = cloudwatch_flow_log(vpc_id, PROD_GROUP, region, log_format=prod_format())
        put_records(PROD_GROUP, region)
        s3_flow_log = client("ec2", region).create_flow_logs(
            ResourceIds=[vpc_id],
            ResourceType="VPC",
            TrafficType="ALL",
            LogDestinationType="s3",
            LogDestination=f"arn:aws:s3:::{PROD_BUCKET}",
            LogFormat=prod_format(),
            MaxAggregationInterval=60,
        )["FlowLogIds"][0]
        folder = (
            f"AWSLogs/aws-account-id={ACCOUNT}/aws-service=vpcflowlogs/aws-region={region}/"
            f"year={now.year}/month={now.month:02}/day={now.day:02}/"
        )
        s3.put_object(
            Bucket=PROD_BUCKET,
            Key=f"{folder}{ACCOUNT}_vpcflowlogs_{region}_{s3_flow_log}_x.log.parquet",
            Body=b"PAR1",
        )
        topic = client("sns", region).create_topic(Name="vpc-flow-logs-alarms")["TopicArn"]
        client("sns", region).subscribe(
            TopicArn=topic, Protocol="email", Endpoint="secops@example.com"
        )
        alarms = [f"vpc-flow-logs-{region}-rejected", f"vpc-flow-logs-{region}-stopped"]
        for name in alarms:
            client("cloudwatch", region).put_metric_alarm(
                AlarmName=name,
                MetricName="IncomingLogEvents",
                Namespace="AWS/Logs",
                Statistic="Sum",
                Period=60,
                EvaluationPeriods=1,
                Threshold=1,
                ComparisonOperator="LessThanThreshold",
            )
            client("cloudwatch", region).set_alarm_state(
                AlarmName=name, StateValue="OK", StateReason="records arriving"
            )
        outputs["vpcIds"].append(vpc_id)
        outputs["flowLogIds"].append(flow_log)
        outputs["targetFlowLogIds"][vpc_id] = flow_log
        outputs["s3FlowLogIds"].append(s3_flow_log)
        outputs["s3TargetFlowLogIds"][vpc_id] = s3_flow_log
        outputs["alarmNames"] += alarms
        outputs["regions"][region] = {
            "vpcIds": [vpc_id],
            "flowLogIds": [flow_log],
            "logGroupName": PROD_GROUP,
            "logGroupArn": f"arn:aws:logs:{region}:{ACCOUNT}:log-group:{PROD_GROUP}",
            "roleArn": ROLE_ARN,
            "kmsKeyArn": key,
            "alarmTopicArn": topic,
            "alarmNames": alarms,
            "dashboardName": f"vpc-flow-logs-monitoring-{region}",
            "driftRepairRuleName": f"vpc-flow-logs-repair-rule-{region}",
        }
    home = outputs["regions"][HOME]
    for key in ("logGroupName", "logGroupArn", "roleArn", "kmsKeyArn", "alarmTopicArn"):
        outputs[key] = home[key]
    outputs["driftRepairRuleName"] = home["driftRepairRuleName"]
    return Deployment(outputs)
