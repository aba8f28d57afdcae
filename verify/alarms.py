"""Check 5: the stack's alarms exist (and their state), and their topic notifies someone
(CloudWatch ``DescribeAlarms``, SNS ``ListSubscriptionsByTopic``)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from verify.aws import Aws
from verify.results import Check, Severity

ALARM_CHECK = "alarm"
TOPIC_CHECK = "alarm-topic"
NAMES_PER_CALL = 100
"""DescribeAlarms takes at most 100 names."""
PENDING = "PendingConfirmation"


def check_alarms(aws: Aws, region: str, names: Sequence[str]) -> list[Check]:
    """Each alarm exists; ALARM is a warning, not a failure."""
    cloudwatch = aws.client("cloudwatch", region)
    found: dict[str, dict[str, Any]] = {}
    for start in range(0, len(names), NAMES_PER_CALL):
        page = cloudwatch.describe_alarms(
            AlarmNames=list(names[start : start + NAMES_PER_CALL]),
            AlarmTypes=["MetricAlarm", "CompositeAlarm"],
        )
        for alarm in (*page.get("MetricAlarms", []), *page.get("CompositeAlarms", [])):
            found[alarm["AlarmName"]] = alarm
    return [_alarm_row(region, name, found.get(name)) for name in names]


def _alarm_row(region: str, name: str, alarm: dict[str, Any] | None) -> Check:
    if alarm is None:
        return Check(
            ALARM_CHECK,
            region,
            name,
            False,
            "does not exist: it was deleted outside the stack. Run `pulumi refresh` and then "
            "./up.sh to create it again.",
        )
    state = alarm.get("StateValue")
    if state == "ALARM":
        return Check(
            ALARM_CHECK,
            region,
            name,
            False,
            f"in ALARM: {alarm.get('StateReason', '')} Look at the dashboard and the saved "
            "queries; see docs/monitoring.md.",
            Severity.WARNING,
        )
    if state == "INSUFFICIENT_DATA":
        return Check(
            ALARM_CHECK,
            region,
            name,
            True,
            "INSUFFICIENT_DATA: no data yet, usual "
            "in the first minutes and for alarms that only count matching records",
        )
    return Check(ALARM_CHECK, region, name, True, f"state {state}")


def check_topic(aws: Aws, region: str, topic_arn: str, stack_subscribes: bool) -> list[Check]:
    """The topic has a confirmed subscription. Only pending ones is a warning (confirm the
    email); none at all is an error when the stack subscribes addresses (``alarmEmails``)."""
    sns = aws.client("sns", region)
    try:
        subscriptions = [
            s
            for page in sns.get_paginator("list_subscriptions_by_topic").paginate(
                TopicArn=topic_arn
            )
            for s in page.get("Subscriptions", [])
        ]
    except sns.exceptions.NotFoundException:
        return [
            Check(
                TOPIC_CHECK,
                region,
                topic_arn,
                False,
                "does not exist, so the alarms notify nobody; run `pulumi refresh` and then "
                "./up.sh.",
            )
        ]
    confirmed = [s for s in subscriptions if s.get("SubscriptionArn", PENDING) != PENDING]
    pending = [s["Endpoint"] for s in subscriptions if s.get("SubscriptionArn") == PENDING]
    if confirmed:
        who = ", ".join(f"{s.get('Protocol')}:{s.get('Endpoint')}" for s in confirmed)
        extra = f"; pending: {', '.join(pending)}" if pending else ""
        return [Check(TOPIC_CHECK, region, topic_arn, True, f"notifies {who}{extra}")]
    if pending:
        return [
            Check(
                TOPIC_CHECK,
                region,
                topic_arn,
                False,
                f"only pending subscriptions ({', '.join(pending)}): open the email from AWS "
                "Notifications and click 'Confirm subscription', or nobody hears the alarms.",
                Severity.WARNING,
            )
        ]
    return [
        Check(
            TOPIC_CHECK,
            region,
            topic_arn,
            False,
            "has no subscription, so the alarms notify nobody; "
            + (
                "the stack's alarmEmails subscriptions were removed: run ./up.sh."
                if stack_subscribes
                else "set alarmEmails, or subscribe your on-call tool to the topic."
            ),
            Severity.ERROR if stack_subscribes else Severity.WARNING,
        )
    ]
