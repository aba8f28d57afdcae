"""What the verifier policy adds for the centralization checks: exactly the calls
verify/centralization.py makes, on the central group and the rule by their names."""

from __future__ import annotations

import json
from typing import Any

import pytest
from botocore.stub import Stubber

from tests.support.iam_eval import Arn, Decision, Request, decide
from tests.support.iam_lint import parliament_findings
from tests.verify.test_centralization import (
    GROUP,
    NOW,
    REGION,
    query,
    results,
    rule,
    streams,
    stubbed,
)
from tests.verify.test_verifier_policy import CENTRALIZATION_ACTIONS, POLICY, statements
from verify.centralization import (
    ACCOUNTS_QUERY,
    QUERY_POLLS,
    SAMPLE_QUERY,
    check_central_records,
    check_centralization_rule,
)

VERIFIER = Arn("arn:aws:iam::123456789012:role/verifier")
CENTRAL = "arn:aws:logs:us-east-1:123456789012:log-group:/security/vpc-flow-logs"
RULE = (
    "arn:aws:observabilityadmin:us-east-1:123456789012:"
    "organization-centralization-rule/vpc-flow-logs-central"
)


@pytest.mark.parametrize(
    ("action", "resource", "decision"),
    [
        ("observabilityadmin:GetCentralizationRuleForOrganization", RULE, Decision.ALLOW),
        ("logs:DescribeLogStreams", CENTRAL, Decision.ALLOW),
        ("logs:StartQuery", CENTRAL, Decision.ALLOW),
        ("logs:GetQueryResults", CENTRAL, Decision.ALLOW),
        ("logs:StopQuery", "*", Decision.ALLOW),
        ("logs:StartQuery", CENTRAL.replace("/security/", "/app/"), Decision.IMPLICIT_DENY),
        (
            "observabilityadmin:GetCentralizationRuleForOrganization",
            RULE.replace("vpc-flow-logs-central", "others"),
            Decision.IMPLICIT_DENY,
        ),
        (
            "observabilityadmin:UpdateCentralizationRuleForOrganization",
            RULE,
            Decision.IMPLICIT_DENY,
        ),
    ],
)
def test_the_verifier_may_make_the_centralization_calls_and_no_more(
    action: str, resource: str, decision: Decision
) -> None:
    document = json.loads(POLICY.read_text())

    assert decide(Request(action, resource, VERIFIER), document) is decision


def _recording(stubber: Stubber, called: set[str]) -> None:
    def record(model: Any, **_: Any) -> None:
        called.add(f"{model.service_model.signing_name}:{model.name}")

    stubber.client.meta.events.register("before-parameter-build.*.*", record)


def test_a_run_that_takes_every_branch_calls_exactly_the_policy_s_actions() -> None:
    called: set[str] = set()
    aws, stubber = stubbed("observabilityadmin", rule("Healthy"))
    _recording(stubber, called)
    check_centralization_rule(aws, REGION, RULE)
    pending = [results("a", [], status="Running") for _ in range(QUERY_POLLS)]
    aws, stubber = stubbed(
        "logs",
        streams(1),
        query("a", ACCOUNTS_QUERY),
        *pending,
        ("stop_query", {"success": True}, {"queryId": "a"}),
        query("s", SAMPLE_QUERY),
        results("s", []),
    )
    _recording(stubber, called)
    check_central_records(aws, REGION, GROUP, 5, 10, lambda: NOW, lambda _: None)

    # logs:DescribeLogStreams is every stack's (the records checks call it too).
    assert called - {"logs:DescribeLogStreams"} == CENTRALIZATION_ACTIONS
    assert "logs:DescribeLogStreams" in called


def test_the_rule_statement_is_unknown_to_parliament_and_nothing_else() -> None:
    statement = statements()["ReadTheCentralizationRule"]
    findings = parliament_findings({"Version": "2012-10-17", "Statement": [statement]})

    assert [(f.issue, f.detail) for f in findings] == [
        (
            "UNKNOWN_ACTION",
            "Unknown action observabilityadmin:GetCentralizationRuleForOrganization",
        )
    ]
