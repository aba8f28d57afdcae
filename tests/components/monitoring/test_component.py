"""The FlowLogMonitoring component under mocks: what it creates and how every piece is wired."""

from __future__ import annotations

import json
import re
from typing import Any

import pulumi
import pytest

from components import MONITORING_TYPE, FlowLogMonitoring, FlowLogMonitoringArgs, SettingsError
from components.flow_logs.log_format import DEFAULT_FIELDS
from offline.mocks import UNKNOWN, RecordedResource, run_pulumi
from tests.support.cloudwatch_patterns import Pattern, metric_values
from tests.support.flow_records import PROD_FORMAT, flow, no_data, render, varied_records
from tests.support.monitoring import (
    ALARM,
    DASHBOARD,
    EXISTING_TOPIC,
    FILTER,
    GROUP,
    KEY,
    LOG_GROUP,
    NAMESPACE,
    QUERY,
    SUBSCRIPTION,
    TOPIC,
    TOPIC_POLICY,
    build,
    names,
    published,
)
from tests.support.program import fake_account


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
            # Without flow-direction, egress is told by a private source: two filters.
            (FILTER, "watch-egress-bytes"),
            (FILTER, "watch-egress-bytes-2"),
            (FILTER, "watch-known-bad-srcaddr-1"),
            (FILTER, "watch-known-bad-dstaddr-1"),
            (ALARM, "watch-rejected-connections"),
            (ALARM, "watch-admin-port-probes"),
            (ALARM, "watch-known-bad-addresses"),
            (ALARM, "watch-unusual-egress"),
            (ALARM, "watch-delivery-stopped"),
            (QUERY, "watch-top-talkers"),
            (QUERY, "watch-top-rejected-sources"),
            (QUERY, "watch-rejections-by-port"),
            (QUERY, "watch-internet-egress-by-destination"),
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


def test_the_egress_filters_publish_bytes_to_one_metric() -> None:
    run = build()
    egress = [f for f in run.of_type(FILTER) if f.name.startswith("watch-egress-bytes")]
    # The patterns name the slots a, b, ...: bytes is the default format's tenth field.
    assert [f.inputs["metricTransformation"] for f in egress] == [
        {"name": "EgressBytes", "namespace": NAMESPACE, "value": "$j"}
    ] * 2


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
        # Accepted, outbound, to 8.8.8.8 (the only public address; 198.51.100.0/24 is
        # documentation space, not private), whatever the path but a gateway endpoint's.
        "EgressBytes": sum(
            int(r["bytes"])
            for r in records
            if r.get("flow-direction") == "egress"
            and r.get("action") == "ACCEPT"
            and r.get("dstaddr") != "10.0.1.25"
            and r.get("traffic-path") != "7"
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


# Queries and dashboard.


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
    namespaces = {
        a.inputs["namespace"]
        if "namespace" in a.inputs
        else a.inputs["metricQueries"][0]["metric"]["namespace"]
        for a in run.of_type(ALARM)
    }
    assert namespaces == {"Security/Flows", "AWS/Logs"}
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
    build(
        log_format=["dstaddr", "bytes", "action", "dstport", "protocol"],
        alarm_emails=["soc@security.internal"],
    )
    assert len(warnings) == 1
    assert warnings[0].startswith(
        "The unusual-egress alarm is skipped: the flow-log format has no 'flow-direction' field."
    )
    warnings.clear()
    build(egress_anomaly_band=0, alarm_emails=["soc@security.internal"])
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


def test_a_record_helper_sanity_check() -> None:
    # NODATA renders as AWS writes it: dashes from srcaddr to bytes and for action, with times.
    line = render(no_data("NODATA"), DEFAULT_FIELDS).split(" ")
    assert line[3:10] == ["-"] * 7
    assert line[10:] == ["1700000000", "1700000060", "-", "NODATA"]
    assert render(flow("1.2.3.4", "5.6.7.8"), DEFAULT_FIELDS).split(" ")[3:5] == [
        "1.2.3.4",
        "5.6.7.8",
    ]
