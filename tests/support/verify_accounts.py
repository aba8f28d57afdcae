"""AWS accounts as a deployed stack leaves them, built in moto through boto3, with the outputs
``pulumi stack output --json`` would print for them.

The dev account is the workshop's: the VPC named ``ASG-VPC`` in us-east-1 logged to
``/aws/vpc/flowlogs``, kept 14 days. The prod account follows ``Pulumi.prod.yaml``: every VPC
(moto's default VPC too) of two regions, encrypted groups kept a year, the custom format, S3
delivery beside CloudWatch, alarms and drift repair.

The account is moto's for the current ``MOTO_ACCOUNT_ID`` (the tests give each test its own), so
the VPCs one test leaves behind are not in another's coverage.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import boto3
import yaml

from tests.support.program import PROJECT_DIR

MOTO_ACCOUNT = "123456789012"
"""moto's account when ``MOTO_ACCOUNT_ID`` is not set."""
HOME = "us-east-1"


def account_id() -> str:
    """The account moto answers for now."""
    return os.environ.get("MOTO_ACCOUNT_ID", MOTO_ACCOUNT)


def role_arn() -> str:
    """The delivery role the flow logs name (moto does not check that it exists)."""
    return f"arn:aws:iam::{account_id()}:role/vpc-flow-logs-role-1234567"


def stack_project(directory: Path, stack: str, base: str, **config: object) -> Path:
    """A project directory holding ``Pulumi.yaml`` and ``Pulumi.<stack>.yaml``: the committed
    ``Pulumi.<base>.yaml`` with ``config`` (keys without namespace) set over it; None removes
    a key."""
    directory.mkdir(parents=True, exist_ok=True)
    shutil.copy(PROJECT_DIR / "Pulumi.yaml", directory / "Pulumi.yaml")
    document = yaml.safe_load((PROJECT_DIR / f"Pulumi.{base}.yaml").read_text())
    for key, value in config.items():
        document["config"].pop(f"vpc-flow-logs:{key}", None)
        if value is not None:
            document["config"][f"vpc-flow-logs:{key}"] = value
    (directory / f"Pulumi.{stack}.yaml").write_text(yaml.safe_dump(document))
    return directory


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
            {"timestamp": when, "message": f"2 {account_id()} eni-0123 - - - - - - - 1 2 - NODATA"}
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
            "LogDestination": f"arn:aws:logs:{region}:{account_id()}:log-group:{group}",
        }
        if failed_delivery
        else {"LogGroupName": group}
    )
    created = ec2.create_flow_logs(
        ResourceIds=[vpc_id],
        ResourceType="VPC",
        TrafficType="ALL",
        DeliverLogsPermissionArn=role_arn(),
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


def create_vpc(name: str | None = None, region: str = HOME, cidr: str = "10.0.0.0/16") -> str:
    """A new VPC, with a Name tag if ``name`` is given."""
    tags = [{"ResourceType": "vpc", "Tags": [{"Key": "Name", "Value": name}]}] if name else []
    vpc = client("ec2", region).create_vpc(CidrBlock=cidr, TagSpecifications=tags)["Vpc"]
    return str(vpc["VpcId"])


def every_vpc(region: str = HOME) -> list[str]:
    """Every VPC of the region, moto's default VPC included: what ``allVpcs`` resolves to."""
    return [v["VpcId"] for v in client("ec2", region).describe_vpcs()["Vpcs"]]


def dev_account(
    *, records_age: timedelta | None = timedelta(minutes=2), failed_delivery: bool = False
) -> Deployment:
    """The dev stack deployed: the ASG VPC's flow log, its group, and a recent record."""
    return cloudwatch_account(
        [create_vpc("ASG-VPC")], records_age=records_age, failed_delivery=failed_delivery
    )


def cloudwatch_account(
    vpc_ids: list[str],
    *,
    records_age: timedelta | None = timedelta(minutes=2),
    failed_delivery: bool = False,
) -> Deployment:
    """A stack like dev deployed over ``vpc_ids``: a flow log each into ``/aws/vpc/flowlogs``,
    kept 14 days, and a recent record."""
    group = "/aws/vpc/flowlogs"
    fresh_log_group(group)
    client("logs").put_retention_policy(logGroupName=group, retentionInDays=14)
    flow_logs = {
        vpc_id: cloudwatch_flow_log(vpc_id, group, failed_delivery=failed_delivery)
        for vpc_id in vpc_ids
    }
    if records_age is not None:
        put_records(group, age=records_age)
    home = {
        "vpcIds": vpc_ids,
        "flowLogIds": list(flow_logs.values()),
        "logGroupName": group,
        "logGroupArn": f"arn:aws:logs:{HOME}:{account_id()}:log-group:{group}",
        "roleArn": role_arn(),
        "kmsKeyArn": None,
    }
    return Deployment({**home, "targetFlowLogIds": flow_logs, "regions": {HOME: dict(home)}})


PROD_GROUP = "/aws/vpc/flowlogs-prod"
PROD_REGIONS = ("us-east-1", "us-west-2")
ORGANIZATION_RULE = "vpc-flow-logs"


def prod_bucket() -> str:
    """The bucket the prod stack makes in this account."""
    return f"vpc-flow-logs-s3-prod-{account_id()}-us-east-1"


def organization_rule_arn() -> str:
    """The organisation telemetry rule's ARN (moto has no observability admin: tests stub it)."""
    return (
        f"arn:aws:observabilityadmin:{HOME}:{account_id()}:"
        f"organization-telemetry-rule/{ORGANIZATION_RULE}"
    )


def prod_account(*, organization: bool = False) -> Deployment:
    """The prod stack deployed, healthy, in both regions: CloudWatch and S3 flow logs on every
    VPC, records in both, alarms in OK with a confirmed subscriber, and a drift-repair rule
    (which moto cannot evaluate; the tests stub AWS Config). With ``organization``, the outputs
    name the organisation telemetry rule too."""
    client("s3").create_bucket(Bucket=prod_bucket())
    outputs: dict[str, Any] = {
        "vpcIds": [],
        "flowLogIds": [],
        "targetFlowLogIds": {},
        "s3FlowLogIds": [],
        "s3TargetFlowLogIds": {},
        "bucketName": prod_bucket(),
        "alarmNames": [],
        "regions": {},
    }
    for region in PROD_REGIONS:
        create_vpc("prod-app", region, "10.1.0.0/16")
        vpc_ids = every_vpc(region)
        flow_logs, s3_flow_logs, key = _prod_flow_logs(region, vpc_ids)
        topic, alarms = _prod_alarms(region)
        outputs["vpcIds"] += vpc_ids
        outputs["flowLogIds"] += flow_logs.values()
        outputs["targetFlowLogIds"] |= flow_logs
        outputs["s3FlowLogIds"] += s3_flow_logs.values()
        outputs["s3TargetFlowLogIds"] |= s3_flow_logs
        outputs["alarmNames"] += alarms
        outputs["regions"][region] = {
            "vpcIds": vpc_ids,
            "flowLogIds": list(flow_logs.values()),
            "logGroupName": PROD_GROUP,
            "logGroupArn": f"arn:aws:logs:{region}:{account_id()}:log-group:{PROD_GROUP}",
            "roleArn": role_arn(),
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
    if organization:
        outputs["organizationRuleArn"] = organization_rule_arn()
    return Deployment(outputs)


def _prod_flow_logs(region: str, vpc_ids: list[str]) -> tuple[dict[str, str], dict[str, str], str]:
    """The region's encrypted group with a record, each VPC's flow logs to it and to the
    bucket, with an object there: the flow logs by VPC, to CloudWatch and to S3, and the key."""
    key = client("kms", region).create_key()["KeyMetadata"]["Arn"]
    fresh_log_group(PROD_GROUP, region, kmsKeyId=key)
    client("logs", region).put_retention_policy(logGroupName=PROD_GROUP, retentionInDays=365)
    put_records(PROD_GROUP, region)
    flow_logs, s3_flow_logs = {}, {}
    for vpc_id in vpc_ids:
        flow_logs[vpc_id] = cloudwatch_flow_log(
            vpc_id, PROD_GROUP, region, log_format=prod_format()
        )
        s3_flow_logs[vpc_id] = client("ec2", region).create_flow_logs(
            ResourceIds=[vpc_id],
            ResourceType="VPC",
            TrafficType="ALL",
            LogDestinationType="s3",
            LogDestination=f"arn:aws:s3:::{prod_bucket()}",
            LogFormat=prod_format(),
            MaxAggregationInterval=60,
        )["FlowLogIds"][0]
    now, account = datetime.now(UTC), account_id()
    folder = (
        f"AWSLogs/aws-account-id={account}/aws-service=vpcflowlogs/aws-region={region}/"
        f"year={now.year}/month={now.month:02}/day={now.day:02}/"
    )
    client("s3").put_object(
        Bucket=prod_bucket(),
        Key=f"{folder}{account}_vpcflowlogs_{region}_{s3_flow_logs[vpc_ids[0]]}_x.log.parquet",
        Body=b"PAR1",
    )
    return flow_logs, s3_flow_logs, key


def _prod_alarms(region: str) -> tuple[str, list[str]]:
    """The region's topic, with a confirmed subscriber, and its two alarms in OK."""
    sns, cloudwatch = client("sns", region), client("cloudwatch", region)
    topic = sns.create_topic(Name="vpc-flow-logs-alarms")["TopicArn"]
    sns.subscribe(TopicArn=topic, Protocol="email", Endpoint="secops@example.com")
    alarms = [f"vpc-flow-logs-{region}-rejected", f"vpc-flow-logs-{region}-stopped"]
    for name in alarms:
        cloudwatch.put_metric_alarm(
            AlarmName=name,
            MetricName="IncomingLogEvents",
            Namespace="AWS/Logs",
            Statistic="Sum",
            Period=60,
            EvaluationPeriods=1,
            Threshold=1,
            ComparisonOperator="LessThanThreshold",
        )
        cloudwatch.set_alarm_state(AlarmName=name, StateValue="OK", StateReason="records arriving")
    return topic, alarms
