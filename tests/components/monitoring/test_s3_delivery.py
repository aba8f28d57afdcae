"""Watching S3 delivery: a request-metrics configuration on the flow-log folder and an alarm on
its PutRequests, made by FlowLogMonitoring beside a log group's alarms or alone."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pytest

from components import MONITORING_TYPE
from components.monitoring.s3_delivery import configuration_id
from offline.mocks import UNKNOWN, RecordedResource
from tests.support.monitoring import (
    ALARM,
    BUCKET,
    BUCKET_METRIC,
    BUCKET_NAME,
    DASHBOARD,
    FILTER,
    KEY,
    LOG_GROUP,
    QUERY,
    SUBSCRIPTION,
    TOPIC,
    TOPIC_POLICY,
    build,
    names,
)


def s3_alarm(alarms: list[RecordedResource]) -> RecordedResource:
    (alarm,) = (a for a in alarms if a.name == "watch-s3-delivery-stopped")
    return alarm


def test_the_metrics_configuration_covers_exactly_the_flow_log_folder() -> None:
    run = build(bucket=True, s3_prefix="network/flow-logs")
    metric = run.one(BUCKET_METRIC)

    assert metric.name == "watch-s3-request-metrics"
    assert metric.parent == run.one(MONITORING_TYPE).urn
    assert metric.inputs["bucket"] == BUCKET_NAME
    assert metric.property_dependencies["bucket"] == [run.one(BUCKET).urn]
    assert metric.inputs["name"] == "watch"
    assert metric.inputs["filter"] == {"prefix": "network/flow-logs/AWSLogs/"}
    assert build(bucket=True).one(BUCKET_METRIC).inputs["filter"] == {"prefix": "AWSLogs/"}


def test_the_alarm_fires_below_one_put_a_minute_for_the_minutes_missing_data_breaching() -> None:
    run = build(bucket=True, delivery_stopped_minutes=45)
    alarm, metric = s3_alarm(run.of_type(ALARM)), run.one(BUCKET_METRIC)
    topic_arn = run.one(TOPIC).outputs["arn"]

    assert {k: v for k, v in alarm.inputs.items() if k not in ("alarmDescription", "tags")} == {
        "namespace": "AWS/S3",
        "metricName": "PutRequests",
        "dimensions": {"BucketName": BUCKET_NAME, "FilterId": "watch"},
        "statistic": "Sum",
        "period": 60,
        "evaluationPeriods": 45,
        "datapointsToAlarm": 45,
        "threshold": 1,
        "comparisonOperator": "LessThanThreshold",
        "treatMissingData": "breaching",
        "alarmActions": [topic_arn],
        "okActions": [topic_arn],
    }
    # The dimensions come from the configuration itself: the alarm watches what it publishes.
    assert alarm.property_dependencies["dimensions"] == [metric.urn]
    assert alarm.inputs["alarmDescription"].startswith(
        "No flow-log object written to the bucket for 45 minutes: usually a bucket or key "
        "policy that rejects the writes"
    )


def test_beside_a_log_group_both_deliveries_are_watched() -> None:
    run = build(bucket=True)
    assert names(run, ALARM) == [
        "watch-admin-port-probes",
        "watch-delivery-stopped",
        "watch-rejected-connections",
        "watch-s3-delivery-stopped",
        "watch-unusual-egress",
    ]
    dashboard = json.loads(run.one(DASHBOARD).inputs["dashboardBody"])
    (alarms,) = (w for w in dashboard["widgets"] if w["type"] == "alarm")
    assert s3_alarm(run.of_type(ALARM)).outputs["arn"] in alarms["properties"]["alarms"]


def test_zero_minutes_turns_both_delivery_alarms_and_the_configuration_off() -> None:
    run = build(bucket=True, delivery_stopped_minutes=0)
    assert run.of_type(BUCKET_METRIC) == []
    assert not {"watch-delivery-stopped", "watch-s3-delivery-stopped"} & set(names(run, ALARM))


def test_without_a_bucket_nothing_is_configured_on_s3() -> None:
    assert build().of_type(BUCKET_METRIC) == []


def test_a_bucket_alone_gets_the_topic_the_delivery_alarm_and_a_dashboard_only(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(
        pulumi.log, "warn", lambda message, resource=None, **_: warnings.append(message)
    )
    run = build(log_group=False, bucket=True, known_bad_addresses=["203.0.113.7"])

    assert sorted((r.type, r.name) for r in run.resources if r.type != BUCKET) == sorted(
        [
            (MONITORING_TYPE, "watch"),
            (KEY, "watch-topic-key"),
            (TOPIC, "watch-alarms"),
            (TOPIC_POLICY, "watch-alarms-policy"),
            (SUBSCRIPTION, "watch-email-soc@example.com"),
            (BUCKET_METRIC, "watch-s3-request-metrics"),
            (ALARM, "watch-s3-delivery-stopped"),
            (DASHBOARD, "watch-dashboard"),
        ]
    )
    assert run.of_type(FILTER) == run.of_type(QUERY) == run.of_type(LOG_GROUP) == []
    # One warning for every alarm on records; none for the format's missing fields.
    assert [w for w in warnings if not w.startswith("alarmEmails")] == [
        "The rejected-connections, admin-port, unusual-egress, known-bad-address alarms are "
        "skipped: they count flow-log records in CloudWatch Logs, and these flow logs deliver "
        "only to S3 (destination: s3). Only S3 delivery is watched; set destination to 'both' "
        "for the others."
    ]
    dashboard = json.loads(run.one(DASHBOARD).inputs["dashboardBody"])
    assert [w["type"] for w in dashboard["widgets"]] == ["alarm"]


def test_in_a_preview_the_configurations_name_is_known_and_the_bucket_is_linked() -> None:
    run = build(preview=True, log_group=False, bucket=True)
    alarm: dict[str, Any] = s3_alarm(run.of_type(ALARM)).inputs
    assert alarm["dimensions"]["FilterId"] == "watch"
    assert alarm["alarmActions"] == [UNKNOWN]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("vpc-flow-logs-monitoring", "vpc-flow-logs-monitoring"),
        ("edge monitoring/eu", "edge-monitoring-eu"),
        ("x" * 70, "x" * 64),
    ],
)
def test_the_configurations_id_is_what_s3_allows(name: str, expected: str) -> None:
    assert configuration_id(name) == expected
