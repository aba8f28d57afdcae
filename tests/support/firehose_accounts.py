"""An account as the ``siem`` stack leaves it, built in moto through boto3: dev's VPC logged to
CloudWatch Logs and to an Amazon Data Firehose stream in the same account, with the outputs
``pulumi stack output --json`` would print.

moto emulates Firehose, but not as AWS behaves around flow logs: it does not tag the stream
``LogDeliveryEnabled=true`` when the flow log is created (AWS does), it reports delivery
``SUCCESS`` whatever the stream's tags (AWS's log-delivery role may write only to tagged
streams), and a new stream is ``ACTIVE`` at once (AWS's is ``CREATING`` first). So the account
tags the stream itself, as AWS would, unless told not to.
"""

from __future__ import annotations

import contextlib
from typing import Any

import yaml

from tests.support.program import PROJECT_DIR
from tests.support.verify_accounts import (
    HOME,
    Deployment,
    account_id,
    client,
    cloudwatch_flow_log,
    fresh_log_group,
    put_records,
    role_arn,
)

SIEM_CONFIG = yaml.safe_load((PROJECT_DIR / "Pulumi.siem.yaml").read_text())["config"]
SIEM_GROUP: str = SIEM_CONFIG["vpc-flow-logs:logGroupName"]
SIEM_STREAM: str = SIEM_CONFIG["vpc-flow-logs:firehoseArns"][HOME]
"""The stream as Pulumi.siem.yaml names it, in the offline check's account."""
STREAM_NAME = SIEM_STREAM.rsplit("/", 1)[-1]


def siem_stream() -> str:
    """The siem stack's stream in the account moto answers for now: each test has its own."""
    account = SIEM_STREAM.split(":")[4]
    return SIEM_STREAM.replace(f":{account}:", f":{account_id()}:")


def fresh_stream(*, tagged: bool = True) -> str:
    """The siem stack's stream, replacing one a test before made; its ARN."""
    firehose = client("firehose")
    with contextlib.suppress(firehose.exceptions.ResourceNotFoundException):
        firehose.delete_delivery_stream(DeliveryStreamName=STREAM_NAME)
    arn = str(
        firehose.create_delivery_stream(
            DeliveryStreamName=STREAM_NAME,
            DeliveryStreamType="DirectPut",
            ExtendedS3DestinationConfiguration={
                "RoleARN": f"arn:aws:iam::{account_id()}:role/siem-firehose",
                "BucketARN": "arn:aws:s3:::siem-archive",
            },
        )["DeliveryStreamARN"]
    )
    if tagged:
        firehose.tag_delivery_stream(
            DeliveryStreamName=STREAM_NAME,
            Tags=[{"Key": "LogDeliveryEnabled", "Value": "true"}, {"Key": "team", "Value": "soc"}],
        )
    return arn


def siem_account(*, tagged: bool = True, stream: str | None = None) -> Deployment:
    """The siem stack deployed: the VPC's CloudWatch flow log, group and a recent record, and its
    Firehose flow log to the stream (``stream``, else the stack's, created ``tagged`` or not)."""
    vpc_id = client("ec2").create_vpc(CidrBlock="10.2.0.0/16")["Vpc"]["VpcId"]
    fresh_log_group(SIEM_GROUP)
    client("logs").put_retention_policy(logGroupName=SIEM_GROUP, retentionInDays=365)
    flow_log = cloudwatch_flow_log(vpc_id, SIEM_GROUP)
    put_records(SIEM_GROUP)
    destination = stream or fresh_stream(tagged=tagged)
    firehose_log = client("ec2").create_flow_logs(
        ResourceIds=[vpc_id],
        ResourceType="VPC",
        TrafficType="ALL",
        LogDestinationType="kinesis-data-firehose",
        LogDestination=destination,
        MaxAggregationInterval=60,
    )["FlowLogIds"][0]
    home: dict[str, Any] = {
        "vpcIds": [vpc_id],
        "flowLogIds": [flow_log],
        "logGroupName": SIEM_GROUP,
        "logGroupArn": f"arn:aws:logs:{HOME}:{account_id()}:log-group:{SIEM_GROUP}",
        "roleArn": role_arn(),
        "firehoseFlowLogIds": [firehose_log],
    }
    return Deployment(
        {
            **home,
            "targetFlowLogIds": {vpc_id: flow_log},
            "firehoseTargetFlowLogIds": {vpc_id: firehose_log},
            "firehoseStreamArns": {HOME: siem_stream()},
            "regions": {HOME: dict(home)},
        }
    )
