"""Which metric filters a format gets, and which alarms are skipped, with what warning: for a
format that lacks their fields, and for flow logs that deliver only to S3."""

from __future__ import annotations

from components.monitoring.settings import (
    MonitoringSettings,
    active_detections,
    known_bad_budget,
    record_alarms_skipped,
    skipped_alarms,
)
from tests.support.flow_records import PROD_FORMAT


def test_the_default_format_and_prod_have_four_detections_and_the_default_one_more_filter() -> None:
    default = MonitoringSettings()
    prod = MonitoringSettings(log_format=PROD_FORMAT)
    every = ["accepted-records", "rejected-records", "admin-port-probes", "egress-bytes"]
    assert [d.key for d in active_detections(default)] == every
    assert [d.key for d in active_detections(prod)] == every
    # Without flow-direction, egress is told by a private source too: two filters.
    assert (known_bad_budget(default), known_bad_budget(prod)) == (95, 96)


def test_the_default_format_counts_egress_by_its_private_source_without_a_warning() -> None:
    assert skipped_alarms(MonitoringSettings()) == []


def test_a_format_without_direction_or_source_skips_the_egress_alarm_naming_the_fix() -> None:
    assert skipped_alarms(MonitoringSettings(log_format=["dstaddr", "bytes", "action"])) == [
        "The admin-port alarm is skipped: the flow-log format has no 'dstport' or 'protocol' "
        "field. A logFormat that enables it: [dstaddr, bytes, action, dstport, protocol] "
        "(changing the format replaces the flow logs).",
        "The unusual-egress alarm is skipped: the flow-log format has no 'flow-direction' "
        "field. A logFormat that enables it: [dstaddr, bytes, action, flow-direction] "
        "(changing the format replaces the flow logs).",
    ]


def test_an_alarm_turned_off_gives_no_warning() -> None:
    assert skipped_alarms(MonitoringSettings(egress_anomaly_band=0)) == []
    assert skipped_alarms(MonitoringSettings(log_format=PROD_FORMAT)) == []


def test_a_sparse_format_warns_for_each_alarm_it_cannot_support() -> None:
    settings = MonitoringSettings(
        log_format=["srcaddr", "bytes"], known_bad_addresses=["203.0.113.7"]
    )
    assert skipped_alarms(settings) == [
        "The rejected-connections alarm is skipped: the flow-log format has no 'action' field. "
        "A logFormat that enables it: [srcaddr, bytes, action] (changing the format replaces "
        "the flow logs).",
        "The admin-port alarm is skipped: the flow-log format has no 'dstport' or 'protocol' or "
        "'action' field. A logFormat that enables it: [srcaddr, bytes, dstport, protocol, "
        "action] (changing the format replaces the flow logs).",
        "The unusual-egress alarm is skipped: the flow-log format has no 'action' or 'dstaddr' "
        "field. A logFormat that enables it: [srcaddr, bytes, action, dstaddr] (changing the "
        "format replaces the flow logs).",
        "The known-bad-address alarm is skipped: the flow-log format has no 'dstaddr' field. A "
        "logFormat that enables it: [srcaddr, bytes, dstaddr] (changing the format replaces "
        "the flow logs).",
    ]
    assert active_detections(settings) == []


def test_without_a_log_group_the_alarms_on_records_are_skipped_with_one_warning() -> None:
    settings = MonitoringSettings(log_format=PROD_FORMAT, known_bad_addresses=["203.0.113.7"])
    assert record_alarms_skipped(settings) == (
        "The rejected-connections, admin-port, unusual-egress, known-bad-address alarms are "
        "skipped: they count flow-log records in CloudWatch Logs, and these flow logs deliver "
        "only to S3 (destination: s3). Only S3 delivery is watched; set destination to 'both' "
        "for the others."
    )
    assert record_alarms_skipped(MonitoringSettings(rejected_threshold=0)) == (
        "The admin-port, unusual-egress alarms are skipped: they count flow-log records in "
        "CloudWatch Logs, and these flow logs deliver only to S3 (destination: s3). Only S3 "
        "delivery is watched; set destination to 'both' for the others."
    )
    off = MonitoringSettings(rejected_threshold=0, admin_port_threshold=0, egress_anomaly_band=0)
    assert record_alarms_skipped(off) is None
