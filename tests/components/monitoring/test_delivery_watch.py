"""What the delivery watch covers and what it refuses: the transit gateways' own S3 folder, a
window too short for S3's five-minute files, and alarms that would watch nothing."""

from __future__ import annotations

from typing import Any

import pytest

from components import SettingsError
from tests.support.monitoring import ALARM, BUCKET_METRIC, BUCKET_NAME, build
from tests.support.program import APP_VPC, run_stack

RECEIVER = {"alarms": True, "alarmEmails": ["soc@security.internal"]}
TGW = "tgw-0a1b2c3d"
TOO_SHORT = (
    "deliveryStoppedMinutes: {} is too short to watch delivery to S3: flow logs write a file to "
    "S3 about every 5 minutes, and S3's request metrics are best-effort, so the alarm would "
    "flap. Use 15 or more, or 0 to turn the delivery-stopped alarms off."
)
NOTHING_WATCHED = (
    "alarms: true watches nothing here: with destination: s3 there is no log group, and the "
    "existing bucket 'org-flow-logs' (bucketArn) is not configured by this stack. Set "
    "destination: both to watch the records in CloudWatch Logs, or watch delivery from the "
    "stack that owns the bucket (a request-metrics configuration on 'flows/AWSLogs/' and an "
    "alarm on its AWS/S3 PutRequests), and set alarms to false here."
)


def test_the_transit_gateways_folder_gets_its_own_configuration_and_alarm() -> None:
    run = build(bucket=True, s3_prefix="network", s3_transit_gateways=True)
    metrics = {m.name: m.inputs for m in run.of_type(BUCKET_METRIC)}
    assert {name: (m["name"], m["filter"]) for name, m in metrics.items()} == {
        "watch-s3-request-metrics": ("watch", {"prefix": "network/AWSLogs/"}),
        "watch-transit-gateways-s3-request-metrics": (
            "watch-transit-gateways",
            {"prefix": "network/transit-gateways/AWSLogs/"},
        ),
    }
    (alarm,) = (a for a in run.of_type(ALARM) if a.name == "watch-s3-tgw-delivery-stopped")
    assert alarm.inputs["dimensions"] == {
        "BucketName": BUCKET_NAME,
        "FilterId": "watch-transit-gateways",
    }
    assert alarm.inputs["metricName"] == "PutRequests"
    assert alarm.inputs["treatMissingData"] == "breaching"
    assert alarm.inputs["alarmDescription"].startswith(
        "No transit-gateway flow-log object written to the bucket for 30 minutes"
    )


def test_without_transit_gateways_only_the_vpcs_folder_is_watched() -> None:
    run = build(bucket=True)
    assert [m.name for m in run.of_type(BUCKET_METRIC)] == ["watch-s3-request-metrics"]


@pytest.mark.parametrize("destination", ["s3", "both"])
def test_a_stack_logging_a_transit_gateway_to_its_bucket_watches_that_folder(
    destination: str,
) -> None:
    config = {**RECEIVER, "vpcIds": [APP_VPC.id], "destination": destination, "s3Prefix": "f"}
    with_gateway = run_stack({**config, "transitGatewayIds": [TGW]})
    filters = sorted(m.inputs["filter"]["prefix"] for m in with_gateway.of_type(BUCKET_METRIC))
    assert filters == ["f/AWSLogs/", "f/transit-gateways/AWSLogs/"]
    assert any(a.name.endswith("-s3-tgw-delivery-stopped") for a in with_gateway.of_type(ALARM))
    without = run_stack(config)
    assert [m.inputs["filter"]["prefix"] for m in without.of_type(BUCKET_METRIC)] == ["f/AWSLogs/"]


# A window too short for S3.


@pytest.mark.parametrize("minutes", [1, 5, 14])
def test_the_component_refuses_a_short_window_on_a_bucket(minutes: int) -> None:
    run = build(raise_errors=False, bucket=True, delivery_stopped_minutes=minutes)
    assert isinstance(run.error, SettingsError)
    assert str(run.error) == TOO_SHORT.format(minutes)


@pytest.mark.parametrize("minutes", [0, 15])
def test_fifteen_minutes_or_off_is_accepted_on_a_bucket(minutes: int) -> None:
    run = build(bucket=True, delivery_stopped_minutes=minutes)
    assert len(run.of_type(BUCKET_METRIC)) == (1 if minutes else 0)


def test_the_log_groups_alarm_keeps_its_own_minimum() -> None:
    run = build(delivery_stopped_minutes=5)
    (alarm,) = (a for a in run.of_type(ALARM) if a.name == "watch-delivery-stopped")
    assert alarm.inputs["evaluationPeriods"] == 5


def refusal(config: dict[str, Any]) -> str:
    run = run_stack({**RECEIVER, "vpcName": "ASG-VPC", **config}, raise_errors=False)
    assert isinstance(run.error, SettingsError)
    assert run.resources == [] or all(r.type == "pulumi:pulumi:Stack" for r in run.resources)
    return str(run.error)


@pytest.mark.parametrize("destination", ["s3", "both"])
def test_the_stack_refuses_a_short_window_when_it_watches_its_bucket(destination: str) -> None:
    config = {"destination": destination, "deliveryStoppedMinutes": 10}
    assert refusal(config) == TOO_SHORT.format(10)


def test_a_short_window_is_accepted_without_a_bucket_to_watch() -> None:
    run = run_stack({**RECEIVER, "vpcName": "ASG-VPC", "deliveryStoppedMinutes": 10})
    assert run.of_type(BUCKET_METRIC) == []


# Alarms that would watch nothing.


def test_alarms_on_an_existing_bucket_alone_are_refused_pointing_to_both_or_the_owner() -> None:
    config = {"destination": "s3", "bucketArn": "arn:aws:s3:::org-flow-logs", "s3Prefix": "flows"}
    assert refusal(config) == NOTHING_WATCHED


def test_an_existing_bucket_beside_a_log_group_is_accepted() -> None:
    config = {"destination": "both", "bucketArn": "arn:aws:s3:::org-flow-logs"}
    run = run_stack({**RECEIVER, "vpcName": "ASG-VPC", **config})
    assert run.of_type(BUCKET_METRIC) == []
    assert any(a.name.endswith("-delivery-stopped") for a in run.of_type(ALARM))
