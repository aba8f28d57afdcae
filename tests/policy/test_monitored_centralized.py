"""``vpc-flow-log-monitored`` with centralization, through the Analyzer protocol: a stack's own
group counts as watched when a centralization rule of the stack copies it into a watched group;
and the security stack passes the pack's prod config."""

from __future__ import annotations

import copy

import pytest

from offline.analyzer import PolicyPackProcess, load_policy_pack_config
from offline.mocks import ProgramRun
from policy.flowlog_policies.centralization import selects
from tests.policy.conftest import CONFIG_DIR
from tests.policy.test_programs import analyze_program
from tests.support.program import PROJECT, run_stack, run_stack_file

POLICY = "vpc-flow-log-monitored"
RULE = "aws:observabilityadmin/centralizationRuleForOrganization:CentralizationRuleForOrganization"
UNWATCHED = (
    "CloudWatch log groups that receive flow logs have a metric filter whose metric has an alarm "
    "with an action.\n"
    "Log group 'vpc-flow-logs-log-group' receives flow logs, but no metric filter on it feeds a "
    "CloudWatch alarm with an action, so nobody hears of what it records. Add the "
    "FlowLogMonitoring component (stack config alarms: true), or a metric filter on the group "
    "and an alarm on its metric with alarmActions."
)


def centralizing_member(*, preview: bool = False) -> ProgramRun:
    """A stack that logs its own VPC and centralizes: monitoring is on the central group only."""
    return run_stack(
        {
            "vpcName": "ASG-VPC",
            "centralizeLogs": True,
            "alarms": True,
            "alarmEmails": ["soc@example.com"],
        },
        preview=preview,
    )


def monitored_messages(pack: PolicyPackProcess, run: ProgramRun) -> list[str]:
    pack.configure(load_policy_pack_config(CONFIG_DIR / "prod.json"))
    return [
        d.message
        for d in analyze_program(pack, run, project=PROJECT, stack="test")
        if d.policy_name == POLICY
    ]


def with_selection(run: ProgramRun, selection: str) -> ProgramRun:
    changed = copy.deepcopy(run)
    rule = changed.one(RULE)
    # The pack reads inputs per resource and outputs for the stack: change both.
    for properties in (rule.inputs, rule.outputs):
        source = properties["rule"]["source"]["sourceLogsConfiguration"]
        source["logGroupSelectionCriteria"] = selection
    return changed


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_a_group_copied_into_the_watched_central_group_is_watched(
    pack: PolicyPackProcess, preview: bool
) -> None:
    run = centralizing_member(preview=preview)
    filters = run.of_type("aws:cloudwatch/logMetricFilter:LogMetricFilter")
    # Nothing watches the stack's own group directly: only the rule can make it count.
    assert {f.inputs["logGroupName"] for f in filters} == {"/security/vpc-flow-logs"}

    assert monitored_messages(pack, run) == []


def test_without_the_rule_the_group_is_unwatched(pack: PolicyPackProcess) -> None:
    run = centralizing_member()
    run.resources = [r for r in run.resources if r.type != RULE]

    assert monitored_messages(pack, run) == [UNWATCHED]


@pytest.mark.parametrize(
    "selection",
    [
        "LogGroupName = '/aws/vpc/other'",
        "LogGroupName LIKE '/aws/vpc/flowlogs%' AND LogGroupName != '/aws/vpc/flowlogs'",
        "LogGroupName ~ 'unreadable'",
    ],
    ids=["other group", "excluded", "unreadable"],
)
def test_a_rule_that_does_not_copy_the_group_does_not_count(
    pack: PolicyPackProcess, selection: str
) -> None:
    assert monitored_messages(pack, with_selection(centralizing_member(), selection)) == [UNWATCHED]


def test_a_rule_into_an_unwatched_group_does_not_count(pack: PolicyPackProcess) -> None:
    run = centralizing_member()
    run.resources = [r for r in run.resources if r.type != "aws:cloudwatch/metricAlarm:MetricAlarm"]

    assert UNWATCHED in monitored_messages(pack, run)


@pytest.mark.parametrize(
    ("selection", "name", "selected"),
    [
        ("*", "/anything", True),
        ("LogGroupName IN ('/a', '/b') OR LogGroupName = '/c'", "/b", True),
        ("LogGroupName NOT LIKE '%/transit-gateways'", "/x/transit-gateways", False),
        ("LogGroupName LIKE", "/x", None),
        ("AccountId = '1'", "/x", None),
    ],
)
def test_the_pack_reads_the_link_filter_format(selection: str, name: str, selected: bool) -> None:
    assert selects(selection, name) is selected


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_the_security_stack_passes_the_prod_config(pack: PolicyPackProcess, preview: bool) -> None:
    run = run_stack_file("security", preview=preview)
    assert run.of_type(RULE), "the stack made no centralization rule"
    pack.configure(load_policy_pack_config(CONFIG_DIR / "prod.json"))
    diagnostics = analyze_program(pack, run, project=PROJECT, stack="security")

    assert [d for d in diagnostics if d.enforcement_level == "mandatory"] == []
