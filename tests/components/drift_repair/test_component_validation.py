"""What the DriftRepair component refuses: every bad argument by name, before anything is
registered, and every problem at once."""

from __future__ import annotations

import pytest

from components import SettingsError
from components.drift_repair.component import DriftRepairArgs
from tests.support.drift_repair import (
    BUCKET_ARN,
    DELIVERY_ROLE_ARN,
    LOG_GROUP_ARN,
    build,
    cloudwatch,
)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            DriftRepairArgs(),
            "DriftRepair needs a destination: logGroupArn with deliveryRoleArn, logBucketArn, or "
            "both.",
        ),
        (
            DriftRepairArgs(log_group_arn=LOG_GROUP_ARN),
            "deliveryRoleArn: missing; CloudWatch delivery needs the role the flow-logs service "
            "assumes.",
        ),
        (
            DriftRepairArgs(delivery_role_arn=DELIVERY_ROLE_ARN),
            "logGroupArn: missing; deliveryRoleArn needs the log group it writes to.",
        ),
        (
            cloudwatch(log_bucket_arn="flow-logs-bucket"),
            "logBucketArn: 'flow-logs-bucket' is not the ARN of an S3 bucket.",
        ),
        (
            cloudwatch(log_group_arn="/aws/vpc/flowlogs"),
            "logGroupArn: '/aws/vpc/flowlogs' is not the ARN of a CloudWatch log group.",
        ),
        (
            cloudwatch(delivery_role_arn="vpc-flow-logs-role"),
            "deliveryRoleArn: 'vpc-flow-logs-role' is not the ARN of an IAM role.",
        ),
        (
            DriftRepairArgs(log_bucket_arn="flow-logs-bucket"),
            "logBucketArn: 'flow-logs-bucket' is not the ARN of an S3 bucket.",
        ),
        (
            cloudwatch(region="Europe"),
            "region: 'Europe' is not an AWS region name; use names such as 'us-east-1' or "
            "'eu-west-2'.",
        ),
        (
            cloudwatch(region="eu-west-1"),
            f"logGroupArn: '{LOG_GROUP_ARN}' is not in region 'eu-west-1'; a flow log delivers "
            "only to a log group in its own region.",
        ),
        (
            cloudwatch(traffic_type="SOME"),
            "trafficType: 'SOME' is not a flow-log traffic type; use one of ALL, ACCEPT, REJECT.",
        ),
        (
            cloudwatch(log_format=["version", "tgw-id"]),
            "logFormat: 'tgw-id' is not a VPC flow-log field; "
            "see docs/configuration.md#log-format-fields for the fields.",
        ),
        (
            cloudwatch(max_aggregation_interval=300),
            "maxAggregationInterval: 300 is not allowed; use 60 or 600 (seconds).",
        ),
        (
            cloudwatch(flow_log_name=""),
            "flowLogName: '' is not a valid Name tag; use 1 to 256 characters.",
        ),
        (
            DriftRepairArgs(log_bucket_arn=BUCKET_ARN, file_format="csv"),  # type: ignore[typeddict-item]
            "fileFormat: 'csv' is not a flow-log file format; use one of parquet, plain-text.",
        ),
        (
            cloudwatch(maximum_automatic_attempts=0),
            "maximumAutomaticAttempts: 0 is out of range; use a whole number from 1 to 25.",
        ),
        (
            cloudwatch(maximum_automatic_attempts=26),
            "maximumAutomaticAttempts: 26 is out of range; use a whole number from 1 to 25.",
        ),
        (
            cloudwatch(retry_attempt_seconds=0),
            "retryAttemptSeconds: 0 is out of range; use a whole number from 1 to 2678000.",
        ),
        (
            cloudwatch(tags={"aws:owner": "me"}),
            "tags: key 'aws:owner' is not allowed; a tag key is 1 to 128 characters and must not "
            "start with 'aws:'.",
        ),
    ],
)
def test_bad_args_are_refused_by_name_and_register_nothing(
    args: DriftRepairArgs, message: str
) -> None:
    run = build(args, raise_errors=False)

    assert isinstance(run.error, SettingsError)
    assert str(run.error) == message
    assert run.resources == []


def test_every_problem_is_reported_at_once() -> None:
    run = build(
        cloudwatch(region="nowhere", maximum_automatic_attempts=99, traffic_type="X"),
        raise_errors=False,
    )

    assert isinstance(run.error, SettingsError)
    assert str(run.error).split("\n") == [
        "region: 'nowhere' is not an AWS region name; use names such as 'us-east-1' or "
        "'eu-west-2'.",
        "trafficType: 'X' is not a flow-log traffic type; use one of ALL, ACCEPT, REJECT.",
        "maximumAutomaticAttempts: 99 is out of range; use a whole number from 1 to 25.",
    ]
