"""Alarms and their topic: existence and state against moto's server; subscription states
through botocore's Stubber, since moto confirms every email subscription at once."""

from __future__ import annotations

from typing import Any

import boto3
from botocore.client import BaseClient
from botocore.stub import Stubber

from tests.support.verify_accounts import client
from verify.alarms import check_alarms, check_topic
from verify.aws import Aws
from verify.results import Severity

TOPIC = "arn:aws:sns:us-east-1:123456789012:vpc-flow-logs-alarms"


def put_alarm(name: str, state: str) -> None:
    cloudwatch = client("cloudwatch")
    cloudwatch.put_metric_alarm(
        AlarmName=name,
        MetricName="IncomingLogEvents",
        Namespace="AWS/Logs",
        Statistic="Sum",
        Period=60,
        EvaluationPeriods=1,
        Threshold=1,
        ComparisonOperator="LessThanThreshold",
    )
    cloudwatch.set_alarm_state(AlarmName=name, StateValue=state, StateReason="because")


def test_alarms_are_found_and_alarm_is_a_warning(endpoint: str, session: boto3.Session) -> None:
    put_alarm("vpc-flow-logs-ok", "OK")
    put_alarm("vpc-flow-logs-firing", "ALARM")
    names = ["vpc-flow-logs-ok", "vpc-flow-logs-firing", "vpc-flow-logs-gone"]

    rows = check_alarms(Aws(session), "us-east-1", names)

    assert [(r.resource, r.ok, r.severity) for r in rows] == [
        ("vpc-flow-logs-ok", True, Severity.ERROR),
        ("vpc-flow-logs-firing", False, Severity.WARNING),
        ("vpc-flow-logs-gone", False, Severity.ERROR),
    ]
    assert rows[0].detail == "state OK"
    assert rows[1].detail.startswith("in ALARM: because")
    assert rows[2].detail.startswith("does not exist: it was deleted outside the stack")


def test_a_topic_with_a_confirmed_email_passes(endpoint: str, session: boto3.Session) -> None:
    topic = client("sns").create_topic(Name="vpc-flow-logs-alarms")["TopicArn"]
    client("sns").subscribe(TopicArn=topic, Protocol="email", Endpoint="secops@example.com")

    (row,) = check_topic(Aws(session), "us-east-1", topic, stack_subscribes=True)

    assert (row.ok, row.detail) == (True, "notifies email:secops@example.com")


def test_a_missing_topic_fails(endpoint: str, session: boto3.Session) -> None:
    (row,) = check_topic(Aws(session), "us-east-1", TOPIC + "-gone", stack_subscribes=True)

    assert (row.ok, row.severity) == (False, Severity.ERROR)
    assert row.detail.startswith("does not exist, so the alarms notify nobody")


def stubbed_sns(subscriptions: list[dict[str, Any]]) -> Aws:
    """An Aws whose SNS answers ListSubscriptionsByTopic with ``subscriptions``."""
    sns = boto3.client("sns", region_name="us-east-1", aws_access_key_id="x",
                       aws_secret_access_key="x")  # fmt: skip
    stubber = Stubber(sns)
    stubber.add_response(
        "list_subscriptions_by_topic", {"Subscriptions": subscriptions}, {"TopicArn": TOPIC}
    )
    stubber.activate()

    def only_sns(service: str, _: BaseClient) -> BaseClient:
        assert service == "sns"
        return sns

    return Aws(boto3.Session(region_name="us-east-1"), on_client=only_sns)


def email(arn: str) -> dict[str, str]:
    return {"SubscriptionArn": arn, "Protocol": "email", "Endpoint": "secops@example.com",
            "TopicArn": TOPIC, "Owner": "123456789012"}  # fmt: skip


def test_pending_subscriptions_only_are_a_warning_to_confirm_the_email() -> None:
    (row,) = check_topic(stubbed_sns([email("PendingConfirmation")]), "us-east-1", TOPIC, True)

    assert (row.ok, row.severity) == (False, Severity.WARNING)
    assert row.detail.startswith(
        "only pending subscriptions (secops@example.com): open the email from AWS Notifications"
    )


def test_no_subscription_is_an_error_when_the_stack_subscribes_emails() -> None:
    (row,) = check_topic(stubbed_sns([]), "us-east-1", TOPIC, stack_subscribes=True)

    assert (row.ok, row.severity) == (False, Severity.ERROR)
    assert row.detail.endswith("the stack's alarmEmails subscriptions were removed: run ./up.sh.")


def test_no_subscription_is_a_warning_when_the_stack_subscribes_nobody() -> None:
    (row,) = check_topic(stubbed_sns([]), "us-east-1", TOPIC, stack_subscribes=False)

    assert (row.ok, row.severity) == (False, Severity.WARNING)
