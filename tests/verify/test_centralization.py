"""The centralization checks, through botocore's Stubber: moto does not emulate Observability
Admin at all, and its Logs Insights neither adds centralization's ``@aws.account`` field nor
evaluates ``count_distinct``, so both services answer from stubs here."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import boto3
import pytest
from botocore.client import BaseClient
from botocore.stub import Stubber

from verify.aws import Aws
from verify.centralization import (
    ACCOUNTS_QUERY,
    QUERY_POLLS,
    SAMPLE_QUERY,
    centralization_probes,
    check_central_records,
    check_centralization_rule,
)
from verify.expected import Expected
from verify.outputs import parse_outputs
from verify.plan import plan
from verify.results import Check, Severity
from verify.wait import run_probe

REGION = "us-east-1"
RULE_ARN = (
    "arn:aws:observabilityadmin:us-east-1:123456789012:"
    "organization-centralization-rule/vpc-flow-logs-central"
)
GROUP = "/security/vpc-flow-logs"
NOW = datetime(2026, 12, 7, 12, 0, tzinfo=UTC)
NOW_MS = int(NOW.timestamp() * 1000)
FIELDS = 5

Response = tuple[str, dict[str, Any] | str, dict[str, Any]]
EXPECTED = Expected(
    home_region=REGION,
    traffic_type="ALL",
    aggregation_interval=60,
    log_format="${version} ${srcaddr} ${dstaddr} ${action} ${log-status}",
    log_group_name="/aws/vpc/flowlogs",
    retention_in_days=365,
    to_cloudwatch=True,
    to_s3=False,
)


def stubbed(service: str, *responses: Response) -> tuple[Aws, Stubber]:
    """An Aws whose ``service`` answers ``responses`` in turn (a string: that error code)."""
    client = boto3.client(service, region_name=REGION, aws_access_key_id="x",
                          aws_secret_access_key="x")  # fmt: skip
    stubber = Stubber(client)
    for operation, response, params in responses:
        if isinstance(response, str):
            stubber.add_client_error(operation, response, expected_params=params)
        else:
            stubber.add_response(operation, response, params)
    stubber.activate()

    def only(asked: str, _: BaseClient) -> BaseClient:
        assert asked == service
        return client

    return Aws(boto3.Session(region_name=REGION), on_client=only), stubber


def rule(health: str, reason: str | None = None) -> Response:
    answer: dict[str, Any] = {"RuleName": "vpc-flow-logs-central", "RuleHealth": health}
    if reason:
        answer["FailureReason"] = reason
    return ("get_centralization_rule_for_organization", answer, {"RuleIdentifier": RULE_ARN})


@pytest.mark.parametrize(
    ("answer", "ok", "detail"),
    [
        (rule("Healthy"), True, "healthy"),
        (rule("Provisioning"), False, "still provisioning; try again with --wait 15"),
        (
            rule("Unhealthy", "TRUSTED_ACCESS_NOT_ENABLED"),
            False,
            "the rule is Unhealthy: TRUSTED_ACCESS_NOT_ENABLED; enable trusted access for "
            "observabilityadmin.amazonaws.com in the organisation's management account "
            "(docs/organization.md).",
        ),
        (
            rule("Unhealthy", "DESTINATION_ACCOUNT_NOT_IN_ORGANIZATION"),
            False,
            "the rule is Unhealthy: DESTINATION_ACCOUNT_NOT_IN_ORGANIZATION; this account is not "
            "in the organisation the rule copies from; run the stack in the management account "
            "or the delegated administrator.",
        ),
        (
            (
                "get_centralization_rule_for_organization",
                "ResourceNotFoundException",
                {"RuleIdentifier": RULE_ARN},
            ),
            False,
            "the centralization rule does not exist; run `pulumi refresh` and then ./up.sh.",
        ),
    ],
    ids=["healthy", "provisioning", "no trusted access", "not in organisation", "missing"],
)
def test_the_rule_row(answer: Response, ok: bool, detail: str) -> None:
    aws, stubber = stubbed("observabilityadmin", answer)

    assert check_centralization_rule(aws, REGION, RULE_ARN) == [
        Check("centralization-rule", REGION, "vpc-flow-logs-central", ok, detail)
    ]
    stubber.assert_no_pending_responses()


def streams(minutes_old: int | None) -> Response:
    found = [] if minutes_old is None else [
        {"logStreamName": "s", "lastEventTimestamp": NOW_MS - minutes_old * 60_000}
    ]  # fmt: skip
    return (
        "describe_log_streams",
        {"logStreams": found},
        {"logGroupName": GROUP, "orderBy": "LastEventTime", "descending": True, "limit": 1},
    )


def query(query_id: str, text: str) -> Response:
    end = int(NOW.timestamp())
    return (
        "start_query",
        {"queryId": query_id},
        {"logGroupName": GROUP, "startTime": end - 3600, "endTime": end, "queryString": text},
    )


def results(query_id: str, rows: list[dict[str, str]], status: str = "Complete") -> Response:
    fields = [[{"field": k, "value": v} for k, v in row.items()] for row in rows]
    return (
        "get_query_results",
        {"status": status, "results": fields},
        {"queryId": query_id},
    )


def event(account: str, fields: int = FIELDS) -> dict[str, str]:
    return {"account": account, "@message": " ".join(["x"] * fields)}


def records(*responses: Response, fields: int = FIELDS) -> tuple[list[Check], list[float]]:
    aws, stubber = stubbed("logs", *responses)
    slept: list[float] = []
    rows = check_central_records(aws, REGION, GROUP, fields, 10, lambda: NOW, slept.append)
    stubber.assert_no_pending_responses()
    return rows, slept


def test_fresh_records_from_every_account_in_the_format() -> None:
    rows, slept = records(
        streams(3),
        query("a", ACCOUNTS_QUERY),
        results("a", [], status="Running"),
        results("a", [{"accounts": "42"}]),
        query("s", SAMPLE_QUERY),
        results("s", [event("111122223333"), event("444455556666")]),
    )

    assert rows == [
        Check(
            "central-records",
            REGION,
            GROUP,
            True,
            "newest event 3 min old (at most 10); 42 accounts sent events in the last hour",
        ),
        Check(
            "central-format",
            REGION,
            GROUP,
            True,
            "2 recent events all have the 5 fields of logFormat",
        ),
    ]
    assert slept == [2.0]


def test_stale_records_fail_and_another_format_warns_naming_the_account() -> None:
    rows, _ = records(
        streams(90),
        query("a", ACCOUNTS_QUERY),
        results("a", [{"accounts": "2"}]),
        query("s", SAMPLE_QUERY),
        results("s", [event("111122223333"), event("444455556666", 14), event("444455556666", 3)]),
    )

    assert rows[0].ok is False and rows[0].fails
    assert rows[0].detail.startswith(
        "newest event 90 min old (at most 10); 2 accounts sent events in the last hour. "
        "Centralization copies only events that arrive after the rule exists;"
    )
    assert rows[1] == Check(
        "central-format",
        REGION,
        GROUP,
        False,
        "of 3 recent events, some have another number of fields than logFormat's 5, from "
        "accounts 444455556666 (2): the metric filters read records by position, so give those "
        "accounts' flow logs the central stack's logFormat.",
        Severity.WARNING,
    )


def test_the_account_query_is_waited_for_a_bounded_time_then_stopped() -> None:
    pending = [results("a", [], status="Running") for _ in range(QUERY_POLLS)]
    rows, slept = records(
        streams(1),
        query("a", ACCOUNTS_QUERY),
        *pending,
        ("stop_query", {"success": True}, {"queryId": "a"}),
        query("s", SAMPLE_QUERY),
        results("s", []),
    )

    assert rows == [
        Check(
            "central-records",
            REGION,
            GROUP,
            True,
            "newest event 1 min old (at most 10); the account count did not finish within 30 s",
        )
    ]
    assert len(slept) == QUERY_POLLS - 1


def test_a_missing_group_fails_without_querying() -> None:
    operation, _, params = streams(None)
    rows, _ = records((operation, "ResourceNotFoundException", params))

    assert rows == [
        Check("central-records", REGION, GROUP, False, "no such log group, so no records")
    ]


def test_the_security_stack_s_outputs_plan_both_probes_and_no_missing_group() -> None:
    outputs = parse_outputs(
        json.dumps(
            {
                "centralLogGroupName": GROUP,
                "centralizationRuleArn": RULE_ARN,
                "organizationRuleArn": "arn:aws:observabilityadmin:us-east-1:123456789012:x",
                "regions": {REGION: {"vpcIds": []}},
            }
        ),
        "outputs.json",
        REGION,
    )

    probes = plan(Aws(boto3.Session(region_name=REGION)), outputs, EXPECTED, "1", 10, lambda: NOW)

    names = [(p.check, p.resource) for p in probes]
    assert outputs.regions[REGION].log_groups == ()
    assert names[-2:] == [
        ("centralization-rule", RULE_ARN.rsplit("/", 1)[-1]),
        ("central-records", GROUP),
    ]
    assert "log-group" not in [check for check, _ in names]


@pytest.mark.parametrize(
    ("service", "failing", "api", "check", "resource"),
    [
        (
            "observabilityadmin",
            rule("Healthy"),
            "GetCentralizationRuleForOrganization",
            "centralization-rule",
            "vpc-flow-logs-central",
        ),
        ("logs", streams(1), "DescribeLogStreams", "central-records", GROUP),
    ],
    ids=["rule", "records"],
)
def test_a_failing_call_is_one_unknown_row_of_its_probe(
    service: str, failing: Response, api: str, check: str, resource: str
) -> None:
    # The Stubber answers without botocore's retries; test_failures.py shows them against moto.
    operation, _, params = failing
    aws, stubber = stubbed(service, (operation, "AccessDeniedException", params))
    outputs = parse_outputs(
        json.dumps(
            {
                "centralLogGroupName": GROUP,
                "centralizationRuleArn": RULE_ARN,
                "regions": {REGION: {"vpcIds": []}},
            }
        ),
        "outputs.json",
        REGION,
    )
    probes = centralization_probes(aws, outputs, EXPECTED, 10, lambda: NOW)
    (probe,) = [p for p in probes if p.check == check]

    (row,) = run_probe(probe)

    assert (row.check, row.region, row.resource, row.ok, row.severity) == (
        check,
        REGION,
        resource,
        False,
        Severity.UNKNOWN,
    )
    assert row.detail.startswith(f"could not tell: the credentials may not call {api} ")
    stubber.assert_no_pending_responses()
