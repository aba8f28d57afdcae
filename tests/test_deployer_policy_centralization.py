"""What the deployer policy adds for centralizeLogs: the organisation read, the central group by
its default name, the rule by its name, and the keys by this project's tag."""

from __future__ import annotations

import pytest

from tests.support.iam_eval import Arn, Decision, Request, decide
from tests.support.iam_lint import parliament_findings
from tests.support.program import run_stack_file
from tests.test_deployer_policy import POLICY, statements

DEPLOYER = Arn("arn:aws:iam::123456789012:role/deployer")
CENTRAL = "arn:aws:logs:us-east-1:123456789012:log-group:/security/vpc-flow-logs"
RULE = "arn:aws:observabilityadmin:us-east-1:123456789012:organization-centralization-rule/"
CENTRALIZATION_ACTIONS = [
    "observabilityadmin:CreateCentralizationRuleForOrganization",
    "observabilityadmin:UpdateCentralizationRuleForOrganization",
    "observabilityadmin:DeleteCentralizationRuleForOrganization",
    "observabilityadmin:GetCentralizationRuleForOrganization",
    "observabilityadmin:ListTagsForResource",
    "observabilityadmin:TagResource",
    "observabilityadmin:UntagResource",
]


def document() -> dict[str, object]:
    import json

    parsed: dict[str, object] = json.loads(POLICY.read_text())
    return parsed


@pytest.mark.parametrize(
    ("request_", "decision"),
    [
        (Request("organizations:DescribeOrganization", "*", DEPLOYER), Decision.ALLOW),
        (Request("logs:CreateLogGroup", CENTRAL, DEPLOYER), Decision.ALLOW),
        (Request("logs:PutMetricFilter", CENTRAL, DEPLOYER), Decision.ALLOW),
        (Request("logs:AssociateKmsKey", CENTRAL, DEPLOYER), Decision.ALLOW),
        (
            Request("logs:DeleteLogGroup", CENTRAL.replace("/security/", "/app/"), DEPLOYER),
            Decision.IMPLICIT_DENY,
        ),
        (
            Request(
                "observabilityadmin:CreateCentralizationRuleForOrganization",
                RULE + "vpc-flow-logs-central",
                DEPLOYER,
            ),
            Decision.ALLOW,
        ),
        (
            Request(
                "observabilityadmin:DeleteCentralizationRuleForOrganization",
                RULE + "someone-elses",
                DEPLOYER,
            ),
            Decision.IMPLICIT_DENY,
        ),
        # ListAccounts is the archive's (archiveOrganization); the organisation is never changed.
        (Request("organizations:CreateAccount", "*", DEPLOYER), Decision.IMPLICIT_DENY),
    ],
    ids=[
        "describe org",
        "create group",
        "metric filter",
        "key",
        "other group",
        "create rule",
        "other rule",
        "create account",
    ],
)
def test_the_deployer_may_do_what_centralization_needs_and_no_more(
    request_: Request, decision: Decision
) -> None:
    assert decide(request_, document()) is decision


def test_the_security_stack_names_its_group_and_rule_within_the_policy() -> None:
    run = run_stack_file("security")
    rule = run.one(
        "aws:observabilityadmin/centralizationRuleForOrganization:CentralizationRuleForOrganization"
    )

    assert rule.inputs["ruleName"].startswith("vpc-flow-logs")
    assert rule.inputs["tags"]["managed-by"] == "vpc-flow-logs"
    assert run.stack_outputs["centralLogGroupName"].startswith("/security/vpc-flow-logs")


def test_the_centralization_rule_statement_is_unknown_to_parliament_and_nothing_else() -> None:
    statement = statements()["ManageTheOrganizationCentralizationRule"]
    findings = parliament_findings({"Version": "2012-10-17", "Statement": [statement]})

    assert statement["Action"] == CENTRALIZATION_ACTIONS
    assert [(f.issue, f.detail) for f in findings] == [
        ("UNKNOWN_ACTION", f"Unknown action {action}") for action in CENTRALIZATION_ACTIONS
    ]
