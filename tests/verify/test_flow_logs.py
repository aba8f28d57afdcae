"""What makes a flow log differ from the stack: settings, destination, and transit gateways'
own fixed settings."""

from __future__ import annotations

from typing import Any

import pytest

from verify.expected import DEFAULT_LOG_FORMAT, Expected
from verify.flow_logs import Destinations, flow_log_problems
from verify.outputs import FlowLogRef

EXPECTED = Expected(
    home_region="us-east-1",
    traffic_type="ALL",
    aggregation_interval=60,
    log_format=DEFAULT_LOG_FORMAT,
    log_group_name="/aws/vpc/flowlogs",
    retention_in_days=14,
    to_cloudwatch=True,
    to_s3=True,
    s3_prefix="network",
)
DESTINATIONS = Destinations({"us-east-1": ["/aws/vpc/flowlogs"]}, "bucket")
GOOD: dict[str, Any] = {
    "FlowLogId": "fl-1",
    "ResourceId": "vpc-1",
    "FlowLogStatus": "ACTIVE",
    "DeliverLogsStatus": "SUCCESS",
    "TrafficType": "ALL",
    "MaxAggregationInterval": 60,
    "LogFormat": DEFAULT_LOG_FORMAT,
    "LogDestinationType": "cloud-watch-logs",
    "LogDestination": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc/flowlogs",
}
S3: dict[str, Any] = {
    **GOOD,
    "LogDestinationType": "s3",
    "LogDestination": "arn:aws:s3:::bucket/network",
    "DestinationOptions": {
        "FileFormat": "parquet",
        "HiveCompatiblePartitions": True,
        "PerHourPartition": False,
    },
}


def problems(flow_log: dict[str, Any], to_s3: bool = False) -> list[str]:
    ref = FlowLogRef(flow_log["FlowLogId"], ("flowLogIds",), to_s3=to_s3)
    return flow_log_problems(flow_log, ref, EXPECTED, DESTINATIONS, "us-east-1")


def test_a_flow_log_as_the_stack_says_has_no_problem() -> None:
    assert problems(GOOD) == []
    assert problems(S3, to_s3=True) == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"TrafficType": "REJECT"}, "TrafficType is 'REJECT', but the stack says 'ALL'"),
        ({"MaxAggregationInterval": 600}, "MaxAggregationInterval is 600, but the stack says 60"),
        ({"LogFormat": "${version}"}, f"LogFormat is '${{version}}', but the stack says "
         f"{DEFAULT_LOG_FORMAT!r}"),
        ({"LogDestination": "arn:aws:logs:us-east-1:1:log-group:other:*"}, "it delivers to log "
         "group 'other', but the stack says '/aws/vpc/flowlogs'"),
        ({"FlowLogStatus": "DELETING"}, "status is DELETING, not ACTIVE"),
    ],
)  # fmt: skip
def test_each_difference_is_named_with_both_values(change: dict[str, Any], message: str) -> None:
    assert problems({**GOOD, **change}) == [message]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"LogDestination": "arn:aws:s3:::other/network"}, "it delivers to bucket 'other', but "
         "the stack says 'bucket'"),
        ({"LogDestination": "arn:aws:s3:::bucket"}, "it delivers under '' in the bucket, but the "
         "stack says 'network'"),
        ({"DestinationOptions": {**S3["DestinationOptions"], "FileFormat": "plain-text"}},
         "FileFormat is 'plain-text', but the stack says 'parquet'"),
    ],
)  # fmt: skip
def test_s3_destinations_are_compared_too(change: dict[str, Any], message: str) -> None:
    assert problems({**S3, **change}, to_s3=True) == [message]


def test_a_cloudwatch_flow_log_named_as_an_s3_one_is_a_mismatch() -> None:
    assert problems(GOOD, to_s3=True) == ["it delivers to cloud-watch-logs, but the stack says s3"]


@pytest.mark.parametrize("resource", ["tgw-0123", "tgw-attach-0123"])
def test_transit_gateways_take_60_s_no_traffic_type_and_their_own_format(resource: str) -> None:
    transit_gateway = {**GOOD, "ResourceId": resource, "LogFormat": "${version} ${tgw-id}"}
    del transit_gateway["TrafficType"]

    assert problems(transit_gateway) == []
    assert problems({**transit_gateway, "MaxAggregationInterval": 600}) == [
        "MaxAggregationInterval is 600, but the stack says 60"
    ]


def test_a_failed_delivery_to_s3_names_the_bucket_policy() -> None:
    (problem,) = problems(
        {**S3, "DeliverLogsStatus": "FAILED", "DeliverLogsErrorMessage": "Access error"},
        to_s3=True,
    )
    assert problem.startswith("delivery FAILED: AWS says 'Access error'; this usually means the "
                              "bucket policy")  # fmt: skip
