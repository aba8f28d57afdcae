"""``vpc-flow-log-monitored`` through the Analyzer protocol, in an update and in a preview."""

from __future__ import annotations

from dataclasses import replace

import pytest

from offline.analyzer import UNKNOWN, Diagnostic, PolicyPackProcess, Resource
from tests.support.policy_fixtures import (
    LOG_GROUP_URN,
    METRIC_FILTER_URN,
    METRIC_NAMESPACE,
    TOPIC_ARN,
    changed,
    compliant_stack,
    resources,
    rewired,
    without,
)

POLICY = "vpc-flow-log-monitored"
MESSAGE = (
    "CloudWatch log groups that receive flow logs have a metric filter whose metric has an alarm "
    "with an action.\n"
    "Log group 'flow-logs-log-group' receives flow logs, but no metric filter on it feeds a "
    "CloudWatch alarm with an action, so nobody hears of what it records. Add the "
    "FlowLogMonitoring component (stack config alarms: true), or a metric filter on the group "
    "and an alarm on its metric with alarmActions."
)
NAMESPACE = METRIC_NAMESPACE
TGW_FLOW_LOG_URN = (
    "urn:pulumi:test::vpc-flow-logs::vpc-flow-logs:index:VpcFlowLogs$aws:ec2/flowLog:FlowLog"
    "::flow-logs-tgw-0a1b2c3d"
)


def monitored_stack(*, preview: bool = False) -> dict[str, Resource]:
    """The compliant stack: flow logs, and what FlowLogMonitoring makes to watch them."""
    return compliant_stack(preview=preview)


def unwatched_stack(*, preview: bool = False) -> dict[str, Resource]:
    """The flow logs alone."""
    return without(
        compliant_stack(preview=preview), "monitoring", "topic", "metric_filter", "alarm"
    )


def verdicts(diagnostics: list[Diagnostic]) -> list[tuple[str, str, str, str]]:
    return [
        (d.urn, d.enforcement_level, d.severity, d.message)
        for d in diagnostics
        if d.policy_name == POLICY
    ]


def flagged(pack: PolicyPackProcess, stack: dict[str, Resource]) -> list[tuple[str, str, str, str]]:
    return verdicts(pack.analyze_stack(resources(stack)))


ADVISORY = [(LOG_GROUP_URN, "advisory", "medium", MESSAGE)]


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_a_watched_log_group_passes(pack: PolicyPackProcess, preview: bool) -> None:
    # In the preview the alarm's action is the unknown topic ARN: a value is coming.
    stack = monitored_stack(preview=preview)
    assert (stack["alarm"].properties["alarmActions"] == [UNKNOWN]) is preview
    assert flagged(pack, stack) == []


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_an_unwatched_log_group_is_an_advisory_by_default(
    pack: PolicyPackProcess, preview: bool
) -> None:
    assert flagged(pack, unwatched_stack(preview=preview)) == ADVISORY


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_it_can_be_made_mandatory(pack: PolicyPackProcess, preview: bool) -> None:
    pack.configure({POLICY: "mandatory"})
    assert flagged(pack, unwatched_stack(preview=preview)) == [
        (LOG_GROUP_URN, "mandatory", "medium", MESSAGE)
    ]


@pytest.mark.parametrize("actions", [None, [], [""]], ids=["absent", "empty", "blank"])
def test_an_alarm_without_an_action_does_not_count(
    pack: PolicyPackProcess, actions: list[str] | None
) -> None:
    stack = changed(monitored_stack(), "alarm", alarmActions=actions)
    assert flagged(pack, stack) == ADVISORY


def test_ok_actions_alone_do_not_count(pack: PolicyPackProcess) -> None:
    stack = changed(monitored_stack(), "alarm", alarmActions=[], okActions=[TOPIC_ARN])
    assert flagged(pack, stack) == ADVISORY


@pytest.mark.parametrize(
    "change",
    [{"metricName": "AcceptedRecords"}, {"namespace": "Other"}],
    ids=["other-metric", "other-namespace"],
)
def test_an_alarm_on_another_metric_does_not_count(
    pack: PolicyPackProcess, change: dict[str, str]
) -> None:
    assert flagged(pack, changed(monitored_stack(), "alarm", **change)) == ADVISORY


def test_a_filter_on_another_log_group_does_not_count(pack: PolicyPackProcess) -> None:
    stack = rewired(
        changed(monitored_stack(), "metric_filter", logGroupName="/other/group"),
        "metric_filter",
        dependencies=[],
        property_dependencies={},
    )
    assert flagged(pack, stack) == ADVISORY


def test_a_filter_linked_by_literal_name_counts(pack: PolicyPackProcess) -> None:
    stack = rewired(monitored_stack(), "metric_filter", dependencies=[], property_dependencies={})
    assert flagged(pack, stack) == []


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_a_filter_linked_only_by_its_dependency_counts(
    pack: PolicyPackProcess, preview: bool
) -> None:
    stack = changed(monitored_stack(preview=preview), "metric_filter", logGroupName=UNKNOWN)
    assert flagged(pack, stack) == []


def test_an_unknown_filter_target_fails_closed_and_is_noted(pack: PolicyPackProcess) -> None:
    stack = rewired(
        changed(monitored_stack(preview=True), "metric_filter", logGroupName=UNKNOWN),
        "metric_filter",
        dependencies=[],
        property_dependencies={},
    )
    diagnostics = pack.analyze_stack(resources(stack))
    assert verdicts(diagnostics) == ADVISORY
    notes = [
        (d.urn, d.message) for d in diagnostics if d.policy_name == "vpc-flow-log-checks-resolvable"
    ]
    assert (
        METRIC_FILTER_URN,
        "Flow logs, their log groups, buckets and IAM documents can be identified, so the other "
        "flow-log policies can check them.\n"
        "Metric filter 'watch-rejected' has a logGroupName that is unknown during this preview "
        "and depends on no log group of this stack, so it counts for no log group in "
        "vpc-flow-log-monitored.",
    ) in notes


def test_an_unknown_metric_name_fails_closed(pack: PolicyPackProcess) -> None:
    stack = changed(
        monitored_stack(preview=True),
        "metric_filter",
        metricTransformation={"name": UNKNOWN, "namespace": NAMESPACE, "value": "1"},
    )
    assert flagged(pack, stack) == ADVISORY


def test_a_wholly_unknown_action_list_counts_as_set(pack: PolicyPackProcess) -> None:
    stack = changed(monitored_stack(preview=True), "alarm", alarmActions=UNKNOWN)
    assert flagged(pack, stack) == []


def test_an_anomaly_alarm_on_the_filters_metric_counts(pack: PolicyPackProcess) -> None:
    stack = changed(
        monitored_stack(),
        "alarm",
        namespace=None,
        metricName=None,
        statistic=None,
        period=None,
        threshold=None,
        thresholdMetricId="ad1",
        comparisonOperator="GreaterThanUpperThreshold",
        metricQueries=[
            {
                "id": "m1",
                "returnData": True,
                "metric": {
                    "namespace": NAMESPACE,
                    "metricName": "RejectedRecords",
                    "period": 300,
                    "stat": "Sum",
                },
            },
            {"id": "ad1", "expression": "ANOMALY_DETECTION_BAND(m1, 3)", "returnData": True},
        ],
    )
    assert flagged(pack, stack) == []


def test_a_flow_log_to_s3_needs_no_filter(pack: PolicyPackProcess) -> None:
    stack = changed(
        unwatched_stack(),
        "flow_log",
        logDestinationType="s3",
        logDestination="arn:aws:s3:::flow-logs-bucket",
    )
    stack = rewired(
        stack,
        "flow_log",
        property_dependencies={"vpcId": stack["flow_log"].property_dependencies["vpcId"]},
    )
    assert flagged(pack, stack) == []


def transit_gateway_flow_log(stack: dict[str, Resource], label: str) -> dict[str, Resource]:
    """``stack`` with one flow log on a transit gateway instead of the VPC."""
    stack = changed(stack, label, vpcId=None, trafficType=None, transitGatewayId="tgw-0a1b2c3d")
    deps = {k: v for k, v in stack[label].property_dependencies.items() if k != "vpcId"}
    return rewired(stack, label, property_dependencies=deps)


def test_a_group_of_transit_gateway_flow_logs_alone_needs_no_vpc_format_filter(
    pack: PolicyPackProcess,
) -> None:
    assert flagged(pack, transit_gateway_flow_log(unwatched_stack(), "flow_log")) == []


def test_a_group_that_also_receives_a_vpcs_flow_log_is_still_held_to_it(
    pack: PolicyPackProcess,
) -> None:
    stack = unwatched_stack()
    stack = {**stack, "tgw_flow_log": replace(stack["flow_log"], urn=TGW_FLOW_LOG_URN)}
    assert flagged(pack, transit_gateway_flow_log(stack, "tgw_flow_log")) == ADVISORY


@pytest.mark.parametrize(
    ("label", "change"),
    [
        ("metric_filter", {"metricTransformation": UNKNOWN}),
        ("alarm", {"namespace": UNKNOWN}),
        ("alarm", {"metricName": UNKNOWN}),
        ("alarm", {"namespace": None, "metricName": None, "metricQueries": UNKNOWN}),
    ],
    ids=["transformation", "alarm-namespace", "alarm-metric", "alarm-queries"],
)
def test_an_unknown_metric_fails_closed_without_escaping(
    pack: PolicyPackProcess, label: str, change: dict[str, object]
) -> None:
    pack.configure({POLICY: "mandatory"})
    stack = changed(monitored_stack(preview=True), label, **change)
    # The policy's own finding, not the SDK's "can't run policy during preview" advisory.
    assert flagged(pack, stack) == [(LOG_GROUP_URN, "mandatory", "medium", MESSAGE)]
