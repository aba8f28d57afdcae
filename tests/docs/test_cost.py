"""The README's cost table counts what each committed stack creates, per region: keys, alarms,
metric filters, request metrics and Config rules. A stack that creates more or less of them
makes this fail, and the table must be brought up to date."""

from __future__ import annotations

from collections import Counter

import pytest

from tests.support.program import run_stack_file

PRICED = {
    "aws:kms/key:Key": "keys",
    "aws:cloudwatch/metricAlarm:MetricAlarm": "alarms",
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": "metric filters",
    "aws:s3/bucketMetric:BucketMetric": "request metrics",
    "aws:cfg/rule:Rule": "config rules",
    "aws:ec2/flowLog:FlowLog": "flow logs",
}
# What the README's cost table prices, per region ("home" is aws:region, us-east-1). Flow logs:
# one per VPC and destination in the fake account (the table assumes 10 VPCs a region).
COUNTED = {
    "dev": {("home", "flow logs"): 1},
    "prod": {
        ("home", "keys"): 3,  # the log group's, the topic's, the bucket's
        ("us-west-2", "keys"): 2,
        ("home", "alarms"): 5,  # 4 standard (one the S3 delivery watch), 1 anomaly detection
        ("us-west-2", "alarms"): 4,  # 3 standard, 1 anomaly detection
        ("home", "metric filters"): 4,
        ("us-west-2", "metric filters"): 4,
        ("home", "request metrics"): 1,
        ("home", "config rules"): 1,
        ("us-west-2", "config rules"): 1,
        ("home", "flow logs"): 6,  # 3 VPCs, to CloudWatch and to S3
        ("us-west-2", "flow logs"): 2,
    },
}


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_the_cost_table_counts_what_the_stack_creates(stack: str) -> None:
    counted: Counter[tuple[str, str]] = Counter(
        (str(r.inputs.get("region") or "home"), PRICED[r.type])
        for r in run_stack_file(stack).resources
        if r.type in PRICED
    )
    assert dict(counted) == COUNTED[stack]


def test_one_alarm_a_region_is_an_anomaly_detection_alarm() -> None:
    alarms = run_stack_file("prod").of_type("aws:cloudwatch/metricAlarm:MetricAlarm")
    bands = Counter(
        str(a.inputs.get("region") or "home") for a in alarms if "thresholdMetricId" in a.inputs
    )
    assert bands == {"home": 1, "us-west-2": 1}
