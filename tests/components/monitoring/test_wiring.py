"""What each stack's monitoring watches: every region's log group, and at home the bucket the
stack created; never a bucket it does not own."""

from __future__ import annotations

import pulumi
import pytest

from components import MONITORING_TYPE
from offline.mocks import RecordedResource
from tests.support.monitoring import (
    ALARM,
    BUCKET,
    BUCKET_METRIC,
    FILTER,
    LOG_GROUP,
    TOPIC,
)
from tests.support.program import run_stack, run_stack_file

RECEIVER = {"alarms": True, "alarmEmails": ["soc@security.internal"]}


def region(resource: RecordedResource) -> str:
    return str(resource.inputs.get("region", "us-east-1"))


def test_prod_under_mocks_wires_every_alarm_to_the_topic_and_exports_them() -> None:
    run = run_stack_file("prod")

    def region(resource: RecordedResource) -> str:
        return str(resource.inputs.get("region", "us-east-1"))

    topics = {region(t): t.outputs["arn"] for t in run.of_type(TOPIC)}
    groups = {region(g): g.inputs["name"] for g in run.of_type(LOG_GROUP)}
    assert sorted(topics) == sorted(groups) == ["us-east-1", "us-west-2"]
    alarms = run.of_type(ALARM)
    names = [
        "admin-port-probes",
        "delivery-stopped",
        "rejected-connections",
        "unusual-egress",
    ]
    # The bucket is at home: its delivery is watched there, once.
    assert sorted(a.name for a in alarms) == sorted(
        [f"vpc-flow-logs-monitoring-{n}" for n in [*names, "s3-delivery-stopped"]]
        + [f"vpc-flow-logs-monitoring-us-west-2-{n}" for n in names]
    )
    for alarm in alarms:
        # An alarm can only notify a topic in its own region.
        own_topic = topics[region(alarm)]
        assert alarm.inputs["alarmActions"] == alarm.inputs["okActions"] == [own_topic]
        assert own_topic.split(":")[3] == region(alarm)
    for metric_filter in run.of_type(FILTER):
        assert metric_filter.inputs["logGroupName"] == groups[region(metric_filter)]
    assert run.stack_outputs["alarmTopicArn"] == topics["us-east-1"]
    assert sorted(run.stack_outputs["alarmNames"]) == sorted(a.outputs["name"] for a in alarms)
    assert run.stack_outputs["dashboardName"] == "vpc-flow-logs-monitoring-prod"
    west = run.stack_outputs["regions"]["us-west-2"]
    assert west["alarmTopicArn"] == topics["us-west-2"]
    assert west["dashboardName"] == "vpc-flow-logs-monitoring-us-west-2-prod"
    assert {f.inputs["metricTransformation"]["namespace"] for f in run.of_type(FILTER)} == {
        "VPCFlowLogs/prod/vpc-flow-logs-monitoring",
        "VPCFlowLogs/prod/vpc-flow-logs-monitoring-us-west-2",
    }


def test_dev_keeps_alarms_off_and_exports_none_of_them() -> None:
    run = run_stack_file("dev")
    assert run.of_type(MONITORING_TYPE) == []
    assert not {"alarmTopicArn", "alarmNames", "dashboardName"} & set(run.stack_outputs)


def test_prod_names_a_placeholder_receiver_to_replace() -> None:
    run = run_stack_file("prod")
    subscriptions = run.of_type("aws:sns/topicSubscription:TopicSubscription")
    assert {s.inputs["endpoint"] for s in subscriptions} == {"network-security@example.com"}
    assert len(subscriptions) == 2  # one per region's topic


def test_prod_watches_its_buckets_flow_log_folder_at_home() -> None:
    run = run_stack_file("prod")
    (metric,) = run.of_type(BUCKET_METRIC)
    (alarm,) = (a for a in run.of_type(ALARM) if a.name.endswith("s3-delivery-stopped"))
    # Prod's buckets: the flow logs' and their access logs'; only the first is watched.
    flow_log_bucket = run.stack_outputs["bucketName"]
    assert flow_log_bucket in {b.outputs["bucket"] for b in run.of_type(BUCKET)}

    assert region(metric) == region(alarm) == "us-east-1"
    assert metric.inputs["bucket"] == flow_log_bucket
    assert metric.inputs["filter"] == {"prefix": "AWSLogs/"}
    assert alarm.inputs["dimensions"] == {
        "BucketName": flow_log_bucket,
        "FilterId": "vpc-flow-logs-monitoring",
    }
    assert alarm.inputs["evaluationPeriods"] == 30
    topic = next(t for t in run.of_type(TOPIC) if region(t) == "us-east-1")
    assert alarm.inputs["alarmActions"] == [topic.outputs["arn"]]


@pytest.mark.parametrize("regions", [["us-east-1"], ["us-east-1", "us-west-2"]])
def test_an_s3_only_stack_with_alarms_watches_its_bucket_and_warns_once(
    regions: list[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(
        pulumi.log, "warn", lambda message, resource=None, **_: warnings.append(message)
    )
    run = run_stack(
        {
            **RECEIVER,
            "allVpcs": True,
            "destination": "s3",
            "s3Prefix": "flows",
            "regions": regions,
        }
    )

    (monitoring,) = run.of_type(MONITORING_TYPE)
    assert monitoring.name == "vpc-flow-logs-monitoring"
    assert run.of_type(FILTER) == run.of_type(LOG_GROUP) == []
    assert [a.name for a in run.of_type(ALARM)] == ["vpc-flow-logs-monitoring-s3-delivery-stopped"]
    (metric,) = run.of_type(BUCKET_METRIC)
    assert metric.inputs["bucket"] == run.stack_outputs["bucketName"]
    assert metric.inputs["filter"] == {"prefix": "flows/AWSLogs/"}
    assert len(warnings) == 1 and "destination" in warnings[0]
    assert warnings[0].startswith("The rejected-connections, admin-port, unusual-egress alarms")
    assert run.stack_outputs["alarmNames"] == [run.one(ALARM).outputs["name"]]


def test_an_existing_bucket_is_not_configured_and_a_warning_says_its_delivery_is_unwatched(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(
        pulumi.log, "warn", lambda message, resource=None, **_: warnings.append(message)
    )
    run = run_stack(
        {
            **RECEIVER,
            "vpcName": "ASG-VPC",
            "destination": "both",
            "bucketArn": "arn:aws:s3:::org-flow-logs",
            "s3Prefix": "flows",
        }
    )

    assert run.of_type(BUCKET_METRIC) == []
    assert not any(a.name.endswith("s3-delivery-stopped") for a in run.of_type(ALARM))
    assert [w for w in warnings if w.startswith("bucketArn")] == [
        "bucketArn: delivery to the existing bucket 'org-flow-logs' is not watched: the stack "
        "does not configure a bucket it does not own. To be told when delivery there stops, add "
        "a request-metrics configuration on 'flows/AWSLogs/' to that bucket and an alarm on its "
        "AWS/S3 PutRequests."
    ]
    # The log group is still watched.
    assert any(a.name == "vpc-flow-logs-monitoring-delivery-stopped" for a in run.of_type(ALARM))
