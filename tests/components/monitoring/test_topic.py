"""The alarm topic: its own customer-managed key, a policy admitting only this account's
alarms over TLS, its subscribers, or an existing topic instead."""

from __future__ import annotations

import json

from tests.support.monitoring import (
    ACCOUNT,
    ALARM,
    EXISTING_TOPIC,
    KEY,
    SUBSCRIPTION,
    TOPIC,
    TOPIC_POLICY,
    build,
)
from tests.support.program import document


def test_the_topic_is_encrypted_with_its_own_rotating_key_that_cloudwatch_may_use() -> None:
    run = build()
    key, topic = run.one(KEY), run.one(TOPIC)

    assert topic.inputs["kmsMasterKeyId"] == key.outputs["arn"]
    assert "alias/aws/sns" not in json.dumps(topic.inputs)
    assert key.inputs["enableKeyRotation"] is True
    assert key.inputs["tags"] == {"managed-by": "vpc-flow-logs"}
    statements = {s["Sid"]: s for s in document(key.inputs["policy"])["Statement"]}
    cloudwatch = statements["AllowCloudWatchAlarmsToPublish"]
    assert cloudwatch["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert cloudwatch["Action"] == ["kms:GenerateDataKey*", "kms:Decrypt"]
    assert cloudwatch["Condition"] == {
        "StringEquals": {"aws:SourceAccount": ACCOUNT},
        "ArnLike": {"aws:SourceArn": f"arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:*"},
    }


def test_only_this_accounts_alarms_publish_and_only_over_tls() -> None:
    run = build()
    topic, policy = run.one(TOPIC), run.one(TOPIC_POLICY)
    arn = topic.outputs["arn"]

    assert policy.inputs["arn"] == arn
    assert document(policy.inputs["policy"])["Statement"] == [
        {
            "Sid": "AllowThisAccountsAlarmsToPublish",
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": "sns:Publish",
            "Resource": arn,
            "Condition": {
                "StringEquals": {"aws:SourceAccount": ACCOUNT},
                "ArnLike": {"aws:SourceArn": f"arn:aws:cloudwatch:us-east-1:{ACCOUNT}:alarm:*"},
            },
        },
        {
            "Sid": "DenyPublishingWithoutTls",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "sns:Publish",
            "Resource": arn,
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
    ]


def test_each_email_is_subscribed_to_the_topic() -> None:
    run = build(alarm_emails=["soc@example.com", "oncall@example.org"])
    arn = run.one(TOPIC).outputs["arn"]
    assert sorted(
        (s.inputs["topic"], s.inputs["protocol"], s.inputs["endpoint"])
        for s in run.of_type(SUBSCRIPTION)
    ) == [(arn, "email", "oncall@example.org"), (arn, "email", "soc@example.com")]


def test_an_existing_topic_is_notified_and_no_topic_is_created() -> None:
    run = build(alarm_topic_arn=EXISTING_TOPIC)
    for type_ in (KEY, TOPIC, TOPIC_POLICY, SUBSCRIPTION):
        assert run.of_type(type_) == []
    for alarm in run.of_type(ALARM):
        assert alarm.inputs["alarmActions"] == [EXISTING_TOPIC]
        assert alarm.inputs["okActions"] == [EXISTING_TOPIC]
