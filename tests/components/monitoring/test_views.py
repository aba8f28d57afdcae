"""Saved Logs Insights queries and the dashboard's body, as plain data."""

from __future__ import annotations

import re
from collections.abc import Sequence

import pytest

from components.flow_logs.log_format import DEFAULT_FIELDS
from components.internet_egress import private_address_regex
from components.monitoring.views import (
    SAVED_QUERIES,
    dashboard_body,
    insights_name,
    parse_clause,
    saved_queries,
)
from tests.support.flow_records import PROD_FORMAT, address_sweep, not_the_internet
from tests.support.monitoring import GROUP, QUERY, build


@pytest.mark.parametrize(
    ("field", "name"),
    [
        ("srcaddr", "srcAddr"),
        ("dstport", "dstPort"),
        ("log-status", "logStatus"),
        ("account-id", "accountId"),
        ("flow-direction", "flowDirection"),
        ("pkt-srcaddr", "pktSrcaddr"),
        ("bytes", "bytes"),
    ],
)
def test_fields_take_the_names_logs_insights_uses(field: str, name: str) -> None:
    assert insights_name(field) == name


AWS_DISCOVERED_FLOW_LOG_FIELDS = (
    "version accountId interfaceId srcAddr dstAddr srcPort dstPort protocol packets bytes "
    "startTime endTime action logStatus"
).split()
"""The fields Logs Insights discovers in flow-log records, as AWS lists them."""


def test_the_default_formats_fields_take_exactly_the_names_logs_insights_discovers() -> None:
    assert [insights_name(f) for f in DEFAULT_FIELDS] == AWS_DISCOVERED_FLOW_LOG_FIELDS


def test_a_custom_format_parses_start_and_end_into_the_discovered_names() -> None:
    assert parse_clause(["start", "end", "srcaddr"]) == (
        'parse @message "* * *" as startTime, endTime, srcAddr | '
    )


def test_the_default_format_needs_no_parse_and_a_custom_one_is_parsed_by_position() -> None:
    assert parse_clause(DEFAULT_FIELDS) == ""
    assert parse_clause(["dstaddr", "srcaddr", "tcp-flags"]) == (
        'parse @message "* * *" as dstAddr, srcAddr, tcpFlags | '
    )


WITHOUT_PATH = tuple(f for f in PROD_FORMAT if f != "traffic-path")


@pytest.mark.parametrize("fields", [PROD_FORMAT, WITHOUT_PATH], ids=["prod", "prod-less-path"])
def test_every_query_reads_only_fields_it_declares(fields: Sequence[str]) -> None:
    names = {insights_name(f) for f in fields}
    for query in SAVED_QUERIES:
        used = {n for n in names if re.search(rf"\b{n}\b", query.body_for(fields))}
        declared = {insights_name(f) for f in query.fields}
        egress = {"trafficPath", "flowDirection", "srcAddr", "action"}
        optional = egress if query.key == "internet-egress-by-destination" else set()
        assert used <= declared | optional, query.key


def test_queries_need_their_fields() -> None:
    assert [q.key for q in saved_queries(DEFAULT_FIELDS)] == [
        "top-talkers",
        "top-rejected-sources",
        "rejections-by-port",
        "internet-egress-by-destination",
        "address-traffic",
    ]
    # Neither flow-direction nor a source: egress cannot be told.
    assert "internet-egress-by-destination" not in [
        q.key for q in saved_queries(["dstaddr", "bytes", "action"])
    ]
    assert [q.key for q in saved_queries(["srcaddr", "dstaddr"])] == ["address-traffic"]
    assert [q.key for q in saved_queries(WITHOUT_PATH)] == [
        "top-talkers",
        "top-rejected-sources",
        "rejections-by-port",
        "internet-egress-by-destination",
        "address-traffic",
    ]


def test_the_egress_query_filters_as_the_egress_metric_counts() -> None:
    (query,) = (q for q in SAVED_QUERIES if q.key == "internet-egress-by-destination")
    assert query.title == "Egress to the internet by destination"
    stats = "| stats sum(bytes) as egressBytes by dstAddr | sort egressBytes desc | limit 20"
    private = re.escape(f"/{private_address_regex()}/")
    assert re.fullmatch(
        f'filter flowDirection = "egress" and action = "ACCEPT" and dstAddr not like {private} '
        f"and trafficPath != 7 {re.escape(stats)}",
        query.body_for(PROD_FORMAT),
    )
    assert re.fullmatch(
        f'filter srcAddr like {private} and action = "ACCEPT" and dstAddr not like {private} '
        f"{re.escape(stats)}",
        query.body_for(DEFAULT_FIELDS),
    )
    assert query.query_string(PROD_FORMAT).startswith("parse @message ")


def test_the_queries_address_expression_matches_exactly_the_private_blocks() -> None:
    # Logs Insights and Athena take it as a regular expression, as Python does.
    expression = re.compile(private_address_regex())
    sweep = [*address_sweep(), "fd00:ec2::254", "fe80::1", "2600:1f18::1"]
    wrong = [a for a in sweep if bool(expression.match(a)) is not not_the_internet(a)]
    assert wrong == []


def body(**changes: object) -> dict[str, object]:
    values: dict[str, object] = {
        "region": "eu-west-1",
        "namespace": "NS",
        "metrics": ["AcceptedRecords", "RejectedRecords", "EgressBytes"],
        "egress_band": 2,
        "alarm_arns": ["arn:a", "arn:b"],
        "log_group_name": "/g",
        "fields": DEFAULT_FIELDS,
    }
    values.update(changes)
    return dashboard_body(**values)  # type: ignore[arg-type]


def test_the_dashboard_lays_widgets_out_on_the_24_column_grid() -> None:
    widgets = body()["widgets"]
    assert [(w["type"], w["x"], w["y"], w["width"]) for w in widgets] == [  # type: ignore[attr-defined]
        ("metric", 0, 0, 12),
        ("metric", 12, 0, 12),
        ("alarm", 0, 6, 24),
        ("log", 0, 10, 24),
    ]


def test_widgets_without_their_metrics_or_fields_are_left_out() -> None:
    widgets = body(metrics=[], alarm_arns=[], fields=["srcaddr"])["widgets"]
    assert widgets == []


def test_the_band_and_the_region_are_the_ones_given() -> None:
    widgets = body()["widgets"]
    egress = widgets[1]["properties"]  # type: ignore[index]
    assert egress["region"] == "eu-west-1"
    assert egress["metrics"][1][0]["expression"] == "ANOMALY_DETECTION_BAND(m1, 2)"


# As the component registers them.


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
