"""The organisation's centralization, on the stack that centralizes (``centralizeLogs``):

- ``centralization-rule``: the rule exists and AWS reports it healthy; otherwise the row quotes
  AWS's failure reason (Observability Admin ``GetCentralizationRuleForOrganization``);
- ``central-records``: the newest event in the central group is at most ``--fresh`` minutes old,
  and how many accounts sent events in the last hour (a Logs Insights query, waited for a
  bounded time);
- ``central-format``: a warning naming the accounts (``@aws.account``) whose recent events have
  another number of fields than ``logFormat``: metric filters read records by position.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from functools import partial
from typing import Any

from verify.aws import Aws
from verify.expected import Expected
from verify.log_groups import Clock
from verify.outputs import StackOutputs
from verify.results import Check, Probe, Severity

RULE_CHECK = "centralization-rule"
RECORDS_CHECK = "central-records"
FORMAT_CHECK = "central-format"
QUERY_POLLS = 15
QUERY_POLL_SECONDS = 2.0
"""A Logs Insights query is waited for at most 15 polls, 2 s apart."""
SAMPLE = 200
"""Recent events whose number of fields is compared with the format."""
ACCOUNTS_QUERY = "stats count_distinct(`@aws.account`) as accounts"
SAMPLE_QUERY = f"fields `@aws.account` as account, @message | sort @timestamp desc | limit {SAMPLE}"
FAILURE_HINTS = {
    "TRUSTED_ACCESS_NOT_ENABLED": "enable trusted access for observabilityadmin.amazonaws.com "
    "in the organisation's management account (docs/organization.md)",
    "DESTINATION_ACCOUNT_NOT_IN_ORGANIZATION": "this account is not in the organisation the "
    "rule copies from; run the stack in the management account or the delegated administrator",
    "INTERNAL_SERVER_ERROR": "a fault on AWS's side; check again later",
}
Sleep = Callable[[float], None]


def centralization_probes(
    aws: Aws, outputs: StackOutputs, expected: Expected, fresh_minutes: int, now: Clock
) -> list[Probe]:
    """The rule's and the central group's probes, when the outputs name them."""
    rule_arn = outputs.raw.get("centralizationRuleArn")
    group = outputs.raw.get("centralLogGroupName")
    if not isinstance(rule_arn, str) or not isinstance(group, str):
        return []
    region = expected.home_region
    fields = expected.log_format.count("${")
    return [
        Probe(
            RULE_CHECK,
            region,
            rule_arn.rsplit("/", 1)[-1],
            partial(check_centralization_rule, aws, region, rule_arn),
        ),
        Probe(
            RECORDS_CHECK,
            region,
            group,
            partial(check_central_records, aws, region, group, fields, fresh_minutes, now),
        ),
    ]


def check_centralization_rule(aws: Aws, region: str, rule_arn: str) -> list[Check]:
    """Healthy, or a failing row quoting AWS's failure reason."""
    client = aws.client("observabilityadmin", region)
    name = rule_arn.rsplit("/", 1)[-1]
    try:
        rule = client.get_centralization_rule_for_organization(RuleIdentifier=rule_arn)
    except client.exceptions.ResourceNotFoundException:
        return [
            Check(
                RULE_CHECK,
                region,
                name,
                False,
                "the centralization rule does not exist; run `pulumi refresh` and then ./up.sh.",
            )
        ]
    health = rule.get("RuleHealth", "")
    if health == "Healthy":
        return [Check(RULE_CHECK, region, name, True, "healthy")]
    if health == "Provisioning":
        return [
            Check(RULE_CHECK, region, name, False, "still provisioning; try again with --wait 15")
        ]
    reason = rule.get("FailureReason") or "no failure reason given"
    hint = FAILURE_HINTS.get(reason)
    return [
        Check(
            RULE_CHECK,
            region,
            name,
            False,
            f"the rule is {health or 'of unknown health'}: {reason}"
            + (f"; {hint}." if hint else "."),
        )
    ]


def check_central_records(
    aws: Aws,
    region: str,
    group: str,
    fields: int,
    fresh_minutes: int,
    now: Clock,
    sleep: Sleep = time.sleep,
) -> list[Check]:
    """The newest event is fresh; how many accounts sent events in the last hour; and the
    accounts whose events have another number of fields than the format."""
    logs = aws.client("logs", region)
    current = now()
    try:
        streams = logs.describe_log_streams(
            logGroupName=group, orderBy="LastEventTime", descending=True, limit=1
        )["logStreams"]
    except logs.exceptions.ResourceNotFoundException:
        return [Check(RECORDS_CHECK, region, group, False, "no such log group, so no records")]
    newest = max((s.get("lastEventTimestamp") or 0 for s in streams), default=0)
    end = int(current.timestamp())
    accounts = _query(logs, group, ACCOUNTS_QUERY, end - 3600, end, sleep)
    counted = (
        f"{int(float(accounts[0]['accounts']))} accounts sent events in the last hour"
        if accounts and "accounts" in accounts[0]
        else "0 accounts sent events in the last hour"
        if accounts is not None
        else f"the account count did not finish within {QUERY_POLLS * QUERY_POLL_SECONDS:.0f} s"
    )
    age = round((current.timestamp() * 1000 - newest) / 60_000) if newest else None
    fresh = age is not None and age <= fresh_minutes
    found = "no events at all" if age is None else f"newest event {age} min old"
    rows = [
        Check(
            RECORDS_CHECK,
            region,
            group,
            fresh,
            f"{found} (at most {fresh_minutes}); {counted}"
            + (
                ""
                if fresh
                else ". Centralization copies only events that arrive after the rule exists; "
                "look at the centralization-rule row, and whether member accounts log at all."
            ),
        )
    ]
    sample = _query(logs, group, SAMPLE_QUERY, end - 3600, end, sleep) if fields else None
    if sample:
        rows.append(_format_row(region, group, fields, sample))
    return rows


def _format_row(region: str, group: str, fields: int, sample: list[dict[str, str]]) -> Check:
    other = Counter(
        event.get("account", "unknown")
        for event in sample
        if len(event.get("@message", "").split()) != fields
    )
    if not other:
        return Check(
            FORMAT_CHECK,
            region,
            group,
            True,
            f"{len(sample)} recent events all have the {fields} fields of logFormat",
        )
    named = ", ".join(f"{account} ({count})" for account, count in sorted(other.items()))
    return Check(
        FORMAT_CHECK,
        region,
        group,
        False,
        f"of {len(sample)} recent events, some have another number of fields than logFormat's "
        f"{fields}, from accounts {named}: the metric filters read records by position, so "
        "give those accounts' flow logs the central stack's logFormat.",
        Severity.WARNING,
    )


def _query(
    logs: Any, group: str, query: str, start: int, end: int, sleep: Sleep
) -> list[dict[str, str]] | None:
    """A Logs Insights query's rows as field maps, or None when it did not finish in time."""
    query_id = logs.start_query(
        logGroupName=group, startTime=start, endTime=end, queryString=query
    )["queryId"]
    for poll in range(QUERY_POLLS):
        answer = logs.get_query_results(queryId=query_id)
        if answer["status"] == "Complete":
            return [{f["field"]: f.get("value", "") for f in row} for row in answer["results"]]
        if answer["status"] in ("Failed", "Cancelled", "Timeout"):
            return None
        if poll + 1 < QUERY_POLLS:
            sleep(QUERY_POLL_SECONDS)
    logs.stop_query(queryId=query_id)
    return None
