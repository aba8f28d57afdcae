"""The FlowLogMonitoring component under mocks: what it creates and how every piece is wired."""

from __future__ import annotations

import json
import re
from typing import Any, cast

import pulumi
import pulumi_aws as aws
import pytest

from components import MONITORING_TYPE, FlowLogMonitoring, FlowLogMonitoringArgs, SettingsError
from components.flow_logs.log_format import DEFAULT_FIELDS
from offline.mocks import UNKNOWN, ProgramRun, RecordedResource, run_pulumi
from tests.support.cloudwatch_patterns import Pattern, metric_values
from tests.support.flow_records import PROD_FORMAT, flow, no_data, render, varied_records
from tests.support.program import document, fake_account, run_stack_file

FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
QUERY = "aws:cloudwatch/queryDefinition:QueryDefinition"
DASHBOARD = "aws:cloudwatch/dashboard:Dashboard"
TOPIC = "aws:sns/topic:Topic"
TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
KEY = "aws:kms/key:Key"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"

GROUP = "/aws/vpc/flowlogs"
NAMESPACE = "VPCFlowLogs/test/watch"  # stack "test", component "watch"
ACCOUNT = "123456789012"
EXISTING_TOPIC = f"arn:aws:sns:us-east-1:{ACCOUNT}:soc-alarms"
RECEIVER = "soc@example.com"


def build(preview: bool = False, raise_errors: bool = True, **args: Any) -> ProgramRun:
    """Declare one FlowLogMonitoring on a log group of the same program, notifying ``RECEIVER``
    unless ``args`` name emails or a topic."""

    if "alarm_emails" not in args and "alarm_topic_arn" not in args:
        args["alarm_emails"] = [RECEIVER]

    def program() -> None:
        log_group = aws.cloudwatch.LogGroup("group", name=GROUP, retention_in_days=365)
        FlowLogMonitoring(
            "watch", cast(FlowLogMonitoringArgs, {"log_group_name": log_group.name, **args})
        )

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


def test_default_format_with_emails_and_a_list_creates_exactly_this() -> None:
    run = build(alarm_emails=["soc@example.com"], known_bad_addresses=["203.0.113.0/24"])

    assert sorted((r.type, r.name) for r in run.resources if r.type != LOG_GROUP) == sorted(
        [
            (MONITORING_TYPE, "watch"),
            (KEY, "watch-topic-key"),
            (TOPIC, "watch-alarms"),
            (TOPIC_POLICY, "watch-alarms-policy"),
            (SUBSCRIPTION, "watch-email-soc@example.com"),
            (FILTER, "watch-accepted-records"),
            (FILTER, "watch-rejected-records"),
            (FILTER, "watch-admin-port-probes"),
            (FILTER, "watch-known-bad-srcaddr-1"),
            (FILTER, "watch-known-bad-dstaddr-1"),
            (ALARM, "watch-rejected-connections"),
            (ALARM, "watch-admin-port-probes"),
            (ALARM, "watch-known-bad-addresses"),
            (ALARM, "watch-delivery-stopped"),
            (QUERY, "watch-top-talkers"),
            (QUERY, "watch-top-rejected-sources"),
            (QUERY, "watch-rejections-by-port"),
            (QUERY, "watch-address-traffic"),
            (DASHBOARD, "watch-dashboard"),
        ]
    )


def test_every_child_is_parented_to_the_component() -> None:
    run = build(alarm_emails=["soc@example.com"], log_format=list(PROD_FORMAT))
    parent = run.one(MONITORING_TYPE).urn
    children = [r for r in run.resources if r.type not in (MONITORING_TYPE, LOG_GROUP)]
    assert children and all(r.parent == parent for r in children)


def test_prod_format_adds_the_egress_filter_and_anomaly_alarm() -> None:
    run = build(log_format=list(PROD_FORMAT))
    assert "watch-egress-bytes" in names(run, FILTER)
    assert "watch-unusual-egress" in names(run, ALARM)


@pytest.mark.parametrize(
    ("off", "filter_gone", "alarm_gone"),
    [
        ({"rejected_threshold": 0}, None, "watch-rejected-connections"),
        ({"admin_port_threshold": 0}, "watch-admin-port-probes", "watch-admin-port-probes"),
        ({"egress_anomaly_band": 0}, "watch-egress-bytes", "watch-unusual-egress"),
        ({"delivery_stopped_minutes": 0}, None, "watch-delivery-stopped"),
    ],
)
def test_zero_turns_one_alarm_off(
    off: dict[str, Any], filter_gone: str | None, alarm_gone: str
) -> None:
    on = build(log_format=list(PROD_FORMAT))
    run = build(log_format=list(PROD_FORMAT), **off)
    assert set(names(on, ALARM)) - set(names(run, ALARM)) == {alarm_gone}
    expected_filters = {filter_gone} if filter_gone else set()
    assert set(names(on, FILTER)) - set(names(run, FILTER)) == expected_filters


# Wiring.


def test_every_alarm_notifies_the_topic_on_alarm_and_on_ok() -> None:
    run = build(log_format=list(PROD_FORMAT), known_bad_addresses=["198.51.100.7"])
    topic_arn = run.one(TOPIC).outputs["arn"]
    alarms = run.of_type(ALARM)
    assert len(alarms) == 5
    for alarm in alarms:
        assert alarm.inputs["alarmActions"] == [topic_arn], alarm.name
        assert alarm.inputs["okActions"] == [topic_arn], alarm.name


def alarm_metrics(alarm: RecordedResource) -> list[tuple[str, str]]:
    if "metricQueries" in alarm.inputs:
        return [
            (q["metric"]["namespace"], q["metric"]["metricName"])
            for q in alarm.inputs["metricQueries"]
            if "metric" in q
        ]
    return [(alarm.inputs["namespace"], alarm.inputs["metricName"])]


def test_every_alarms_metric_is_published_by_a_filter_or_is_this_groups_delivery_metric() -> None:
    run = build(log_format=list(PROD_FORMAT), known_bad_addresses=["198.51.100.7"])
    filters = published(run)
    assert {ns for ns, _ in filters} == {NAMESPACE}
    for alarm in run.of_type(ALARM):
        for metric in alarm_metrics(alarm):
            if metric == ("AWS/Logs", "IncomingLogEvents"):
                assert alarm.inputs["dimensions"] == {"LogGroupName": GROUP}
            else:
                assert metric in filters, (alarm.name, metric)


def test_every_filter_watches_the_given_log_group() -> None:
    run = build(log_format=list(PROD_FORMAT), known_bad_addresses=["198.51.100.7"])
    group = run.one(LOG_GROUP)
    for metric_filter in run.of_type(FILTER):
        assert metric_filter.inputs["logGroupName"] == GROUP
        assert metric_filter.property_dependencies["logGroupName"] == [group.urn]


def test_the_anomaly_alarm_is_well_formed() -> None:
    run = build(log_format=list(PROD_FORMAT), egress_anomaly_band=4)
    (alarm,) = (a for a in run.of_type(ALARM) if a.name == "watch-unusual-egress")

    assert alarm.inputs["comparisonOperator"] == "GreaterThanUpperThreshold"
    assert alarm.inputs["thresholdMetricId"] == "ad1"
    assert "threshold" not in alarm.inputs
    assert "metricName" not in alarm.inputs
    queries = {q["id"]: q for q in alarm.inputs["metricQueries"]}
    assert queries["ad1"]["expression"] == "ANOMALY_DETECTION_BAND(m1, 4)"
    assert queries["m1"]["metric"] == {
        "namespace": NAMESPACE,
        "metricName": "EgressBytes",
        "period": 300.0,
        "stat": "Sum",
    }
    assert queries["m1"]["returnData"] is True and queries["ad1"]["returnData"] is True


def test_the_egress_filter_publishes_bytes() -> None:
    run = build(log_format=list(PROD_FORMAT))
    (egress,) = (f for f in run.of_type(FILTER) if f.name == "watch-egress-bytes")
    assert egress.inputs["metricTransformation"]["value"] == "$bytes"


@pytest.mark.parametrize(
    ("alarm_name", "metric", "period", "threshold"),
    [
        ("watch-rejected-connections", "RejectedRecords", 300, 1000),
        ("watch-admin-port-probes", "AdminPortProbes", 3600, 10),
        ("watch-known-bad-addresses", "KnownBadAddressRecords", 300, 1),
    ],
)
def test_count_alarms_sum_their_metric_over_their_period(
    alarm_name: str, metric: str, period: int, threshold: int
) -> None:
    run = build(known_bad_addresses=["198.51.100.7"])
    (alarm,) = (a for a in run.of_type(ALARM) if a.name == alarm_name)
    assert {k: alarm.inputs[k] for k in ("namespace", "metricName", "statistic")} == {
        "namespace": NAMESPACE,
        "metricName": metric,
        "statistic": "Sum",
    }
    assert alarm.inputs["period"] == period
    assert alarm.inputs["threshold"] == threshold
    assert alarm.inputs["comparisonOperator"] == "GreaterThanOrEqualToThreshold"


def test_the_delivery_alarm_treats_no_records_for_the_minutes_as_breaching() -> None:
    run = build(delivery_stopped_minutes=45)
    (alarm,) = (a for a in run.of_type(ALARM) if a.name == "watch-delivery-stopped")
    assert alarm.inputs["namespace"] == "AWS/Logs"
    assert alarm.inputs["metricName"] == "IncomingLogEvents"
    assert alarm.inputs["dimensions"] == {"LogGroupName": GROUP}
    assert alarm.inputs["statistic"] == "Sum"
    assert alarm.inputs["period"] == 60
    assert alarm.inputs["evaluationPeriods"] == 45
    assert alarm.inputs["datapointsToAlarm"] == 45
    assert alarm.inputs["comparisonOperator"] == "LessThanThreshold"
    assert alarm.inputs["threshold"] == 1
    assert alarm.inputs["treatMissingData"] == "breaching"


def test_registered_patterns_count_exactly_the_right_records() -> None:
    bad = ["198.51.100.0/30"]
    run = build(log_format=list(PROD_FORMAT), known_bad_addresses=bad)
    records = varied_records(["198.51.100.2", "198.51.100.4", "8.8.8.8"])
    lines = [render(r, PROD_FORMAT) for r in records]
    by_metric: dict[str, float] = {}
    for metric_filter in run.of_type(FILTER):
        transformation = metric_filter.inputs["metricTransformation"]
        values = metric_values(metric_filter.inputs["pattern"], transformation["value"], lines)
        by_metric[transformation["name"]] = by_metric.get(transformation["name"], 0) + sum(values)

    def count(predicate: Any) -> int:
        return sum(1 for r in records if predicate(r))

    assert by_metric == {
        "AcceptedRecords": count(lambda r: r.get("action") == "ACCEPT"),
        "RejectedRecords": count(lambda r: r.get("action") == "REJECT"),
        "AdminPortProbes": count(
            lambda r: (
                r.get("action") == "REJECT"
                and r.get("protocol") == "6"
                and r.get("dstport") in ("22", "3389")
            )
        ),
        # Prod's format has traffic-path: 2 and 8 are the internet gateway's.
        "EgressBytes": sum(
            int(r["bytes"])
            for r in records
            if r.get("flow-direction") == "egress" and r.get("traffic-path") in ("2", "8")
        ),
        "KnownBadAddressRecords": count(lambda r: r.get("srcaddr") == "198.51.100.2")
        + count(lambda r: r.get("dstaddr") == "198.51.100.2"),
    }


def test_patterns_are_plain_text_in_a_preview() -> None:
    run = build(preview=True, known_bad_addresses=["198.51.100.7"])
    for metric_filter in run.of_type(FILTER):
        Pattern.parse(metric_filter.inputs["pattern"])
    (alarm,) = (a for a in run.of_type(ALARM) if a.name == "watch-rejected-connections")
    assert alarm.inputs["alarmActions"] == [UNKNOWN]


# The topic.


def test_the_topic_is_encrypted_with_its_own_rotating_key_that_cloudwatch_may_use() -> None:
    run = build()
    key, topic = run.one(KEY), run.one(TOPIC)

    assert topic.inputs["kmsMasterKeyId"] == key.outputs["arn"]
    assert "alias/aws/sns" not in json.dumps(topic.inputs)
    assert key.inputs["enableKeyRotation"] is True
    assert key.inputs["tags"] == {"managed-by": "vpc-flow-logs"}
    statements = {s["Sid"]: s for s in document(key.inputs["policy"])["Statement"]}
    cloudwatch = statements["AllowCloudWatchAlarmsToPublish"]
    assert cloudwatch["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert cloudwatch["Action"] == ["kms:GenerateDataKey*", "kms:Decrypt"]
    assert cloudwatch["Condition"] == {
        "StringEquals": {"aws:SourceAccount": ACCOUNT},
        "ArnLike": {"aws:SourceArn": f"arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:*"},
    }


def test_only_this_accounts_alarms_publish_and_only_over_tls() -> None:
    run = build()
    topic, policy = run.one(TOPIC), run.one(TOPIC_POLICY)
    arn = topic.outputs["arn"]

    assert policy.inputs["arn"] == arn
    assert document(policy.inputs["policy"])["Statement"] == [
        {
            "Sid": "AllowThisAccountsAlarmsToPublish",
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": "sns:Publish",
            "Resource": arn,
            "Condition": {
                "StringEquals": {"aws:SourceAccount": ACCOUNT},
                "ArnLike": {"aws:SourceArn": f"arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:*"},
            },
        },
        {
            "Sid": "DenyPublishingWithoutTls",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "sns:Publish",
            "Resource": arn,
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
    ]


def test_each_email_is_subscribed_to_the_topic() -> None:
    run = build(alarm_emails=["soc@example.com", "oncall@example.org"])
    arn = run.one(TOPIC).outputs["arn"]
    assert sorted(
        (s.inputs["topic"], s.inputs["protocol"], s.inputs["endpoint"])
        for s in run.of_type(SUBSCRIPTION)
    ) == [(arn, "email", "oncall@example.org"), (arn, "email", "soc@example.com")]


def test_an_existing_topic_is_notified_and_no_topic_is_created() -> None:
    run = build(alarm_topic_arn=EXISTING_TOPIC)
    for type_ in (KEY, TOPIC, TOPIC_POLICY, SUBSCRIPTION):
        assert run.of_type(type_) == []
    for alarm in run.of_type(ALARM):
        assert alarm.inputs["alarmActions"] == [EXISTING_TOPIC]
        assert alarm.inputs["okActions"] == [EXISTING_TOPIC]


# Queries and dashboard.


def test_queries_on_the_default_format_use_the_discovered_fields() -> None:
    run = build()
    queries = {q.name: q.inputs for q in run.of_type(QUERY)}
    assert queries["watch-top-talkers"] == {
        "name": "watch-test/Top talkers by bytes",
        "logGroupNames": [GROUP],
        "queryString": "stats sum(bytes) as bytesTransferred by srcAddr, dstAddr "
        "| sort bytesTransferred desc | limit 20",
    }
    assert queries["watch-rejections-by-port"]["queryString"] == (
        'filter action = "REJECT" | stats count(*) as rejectedRecords by dstPort '
        "| sort rejectedRecords desc | limit 20"
    )


def test_queries_on_a_custom_format_parse_every_field_by_position() -> None:
    fields = ["srcaddr", "dstaddr", "dstport", "action", "flow-direction"]
    run = build(log_format=fields)
    queries = {q.name: q.inputs["queryString"] for q in run.of_type(QUERY)}
    parse = 'parse @message "* * * * *" as srcAddr, dstAddr, dstPort, action, flowDirection | '
    # No bytes field: no top-talkers query.
    assert queries == {
        "watch-top-rejected-sources": parse + 'filter action = "REJECT" | stats count(*) as '
        "rejectedRecords by srcAddr | sort rejectedRecords desc | limit 20",
        "watch-rejections-by-port": parse + 'filter action = "REJECT" | stats count(*) as '
        "rejectedRecords by dstPort | sort rejectedRecords desc | limit 20",
        "watch-address-traffic": parse + 'filter srcAddr = "192.0.2.10" or dstAddr = '
        '"192.0.2.10" | sort @timestamp desc | limit 200',
    }


def test_the_dashboard_shows_records_egress_band_every_alarm_and_top_talkers() -> None:
    run = build(log_format=list(PROD_FORMAT), known_bad_addresses=["198.51.100.7"])
    dashboard = run.one(DASHBOARD)
    body = json.loads(dashboard.inputs["dashboardBody"])
    widgets = {w["properties"].get("title"): w for w in body["widgets"]}

    assert dashboard.inputs["dashboardName"] == "watch-test"
    records = widgets["Flow-log records: accepted and rejected"]["properties"]
    assert [m[:2] for m in records["metrics"]] == [
        [NAMESPACE, "AcceptedRecords"],
        [NAMESPACE, "RejectedRecords"],
    ]
    egress = widgets["Egress bytes to the internet, with the expected band"]["properties"][
        "metrics"
    ]
    assert egress[0][:2] == [NAMESPACE, "EgressBytes"]
    assert egress[1][0]["expression"] == "ANOMALY_DETECTION_BAND(m1, 3)"
    assert sorted(widgets["Alarms"]["properties"]["alarms"]) == sorted(
        a.outputs["arn"] for a in run.of_type(ALARM)
    )
    talkers = widgets["Top talkers by bytes"]
    assert talkers["type"] == "log"
    assert talkers["properties"]["query"].startswith(f"SOURCE '{GROUP}' | parse @message ")
    assert all(w["x"] + w["width"] <= 24 for w in body["widgets"])


def test_a_given_namespace_and_dashboard_name_are_used_everywhere() -> None:
    run = build(metric_namespace="Security/Flows", dashboard_name="soc-flows")
    assert {ns for ns, _ in published(run)} == {"Security/Flows"}
    assert {a.inputs["namespace"] for a in run.of_type(ALARM)} == {"Security/Flows", "AWS/Logs"}
    assert run.one(DASHBOARD).inputs["dashboardName"] == "soc-flows"
    assert {q.inputs["name"].split("/")[0] for q in run.of_type(QUERY)} == {"soc-flows"}


def test_outputs_are_registered() -> None:
    run = build(alarm_topic_arn=EXISTING_TOPIC, dashboard_name="soc-flows")
    outputs = run.component_outputs[run.one(MONITORING_TYPE).urn]
    assert outputs["alarmTopicArn"] == EXISTING_TOPIC
    assert outputs["dashboardName"] == "soc-flows"
    assert sorted(outputs["alarmNames"]) == sorted(a.outputs["name"] for a in run.of_type(ALARM))


# Warnings and refusals.


def test_a_skipped_alarm_is_warned_about_on_the_component(monkeypatch: pytest.MonkeyPatch) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(
        pulumi.log, "warn", lambda message, resource=None, **_: warnings.append(message)
    )
    build()
    assert len(warnings) == 1
    assert warnings[0].startswith(
        "The unusual-egress alarm is skipped: the flow-log format has no 'flow-direction' field."
    )
    warnings.clear()
    build(egress_anomaly_band=0)
    assert warnings == []


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"rejected_threshold": -1}, "rejectedThreshold: -1 is negative"),
        (
            {"known_bad_addresses": ["10.0.0.1/8"]},
            "knownBadAddresses: '10.0.0.1/8' has host bits set",
        ),
        ({"alarm_emails": ["nobody"]}, "alarmEmails: 'nobody' is not an email address"),
        (
            {"alarm_topic_arn": "arn:aws:sqs:us-east-1:123456789012:q"},
            "alarmTopicArn: 'arn:aws:sqs",
        ),
        (
            {"known_bad_addresses": [f"203.0.{n // 256}.{n % 256}" for n in range(6000)]},
            "knownBadAddresses: 6000 entries need",
        ),
        (
            {"alarm_emails": [], "alarm_topic_arn": ""},
            "alarmEmails and alarmTopicArn are both empty: an alarm that notifies nobody is not "
            "monitoring.",
        ),
    ],
)
def test_bad_args_are_refused_before_any_child_is_registered(
    args: dict[str, Any], message: str
) -> None:
    run = build(raise_errors=False, **args)
    assert isinstance(run.error, SettingsError)
    assert re.match(re.escape(message), str(run.error))
    assert [r.type for r in run.resources] == [LOG_GROUP]


def test_the_readmes_example_on_a_group_named_by_a_plain_string() -> None:
    def program() -> None:
        FlowLogMonitoring(
            "edge-monitoring",
            FlowLogMonitoringArgs(
                log_group_name="/aws/vpc/edge-flowlogs",
                log_format=[
                    "version",
                    "srcaddr",
                    "dstaddr",
                    "dstport",
                    "protocol",
                    "bytes",
                    "action",
                    "log-status",
                    "flow-direction",
                ],
                alarm_emails=["soc@example.com"],
                known_bad_addresses=["203.0.113.0/24"],
            ),
        )

    run = run_pulumi(program, {}, fake_account(), project="vpc-flow-logs", stack="test")
    assert {f.inputs["logGroupName"] for f in run.of_type(FILTER)} == {"/aws/vpc/edge-flowlogs"}
    assert len(run.of_type(ALARM)) == 5
    assert len(run.of_type(FILTER)) == 6


# The project's stacks.


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
    assert sorted(a.name for a in alarms) == sorted(
        [f"vpc-flow-logs-monitoring-{n}" for n in names]
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


def test_a_record_helper_sanity_check() -> None:
    # NODATA renders as AWS writes it: dashes from srcaddr to bytes and for action, with times.
    line = render(no_data("NODATA"), DEFAULT_FIELDS).split(" ")
    assert line[3:10] == ["-"] * 7
    assert line[10:] == ["1700000000", "1700000060", "-", "NODATA"]
    assert render(flow("1.2.3.4", "5.6.7.8"), DEFAULT_FIELDS).split(" ")[3:5] == [
        "1.2.3.4",
        "5.6.7.8",
    ]
