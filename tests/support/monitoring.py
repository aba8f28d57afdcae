"""FlowLogMonitoring under mocks, declared once for the monitoring package's tests."""

from __future__ import annotations

from typing import Any, cast

import pulumi_aws as aws

from components import FlowLogMonitoring, FlowLogMonitoringArgs
from offline.mocks import ProgramRun, run_pulumi
from tests.support.program import fake_account

FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
QUERY = "aws:cloudwatch/queryDefinition:QueryDefinition"
DASHBOARD = "aws:cloudwatch/dashboard:Dashboard"
TOPIC = "aws:sns/topic:Topic"
TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
KEY = "aws:kms/key:Key"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
BUCKET = "aws:s3/bucket:Bucket"
BUCKET_METRIC = "aws:s3/bucketMetric:BucketMetric"

GROUP = "/aws/vpc/flowlogs"
BUCKET_NAME = "vpc-flow-logs-test-bucket"
NAMESPACE = "VPCFlowLogs/test/watch"  # stack "test", component "watch"
ACCOUNT = "123456789012"
EXISTING_TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:soc-alarms"
RECEIVER = "soc@example.com"


def build(
    preview: bool = False,
    raise_errors: bool = True,
    *,
    log_group: bool = True,
    bucket: bool = False,
    **args: Any,
) -> ProgramRun:
    """Declare one FlowLogMonitoring ``watch`` on a log group (and with ``bucket`` a bucket) of
    the same program, notifying ``RECEIVER`` unless ``args`` name emails or a topic."""
    if "alarm_emails" not in args and "alarm_topic_arn" not in args:
        args["alarm_emails"] = [RECEIVER]

    def program() -> None:
        watched: dict[str, Any] = {}
        if log_group:
            group = aws.cloudwatch.LogGroup("group", name=GROUP, retention_in_days=365)
            watched["log_group_name"] = group.name
        if bucket:
            watched["s3_bucket_name"] = aws.s3.Bucket("bucket", bucket=BUCKET_NAME).bucket
        FlowLogMonitoring("watch", cast(FlowLogMonitoringArgs, {**watched, **args}))

    return run_pulumi(
        program,
        {},
        fake_account(),
        project="vpc-flow-logs",
        stack="test",
        preview=preview,
        raise_errors=raise_errors,
    )


def names(run: ProgramRun, type_: str) -> list[str]:
    return sorted(r.name for r in run.of_type(type_))


def published(run: ProgramRun) -> set[tuple[str, str]]:
    return {
        (f.inputs["metricTransformation"]["namespace"], f.inputs["metricTransformation"]["name"])
        for f in run.of_type(FILTER)
    }
