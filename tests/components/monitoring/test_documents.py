"""The alarm topic's key policy and topic policy: exact content, and parliament's offline lint."""

from __future__ import annotations

import pytest

from components.aws_context import AwsContext
from components.monitoring.documents import (
    alarm_source_arn,
    alarm_topic_key_policy,
    alarm_topic_policy,
)
from tests.support.iam_lint import lint

CONTEXT = AwsContext("123456789012", "us-east-1", "aws", "amazonaws.com")
CHINA = AwsContext("210987654321", "cn-north-1", "aws-cn", "amazonaws.com.cn")
TOPIC = "arn:aws:sns:us-east-1:123456789012:alarms"


@pytest.mark.parametrize("context", [CONTEXT, CHINA])
def test_alarm_sources_follow_the_partition_region_and_account(context: AwsContext) -> None:
    assert alarm_source_arn(context) == (
        f"arn:{context.partition}:cloudwatch:{context.region}:{context.account_id}:alarm:*"
    )


def test_the_key_admits_cloudwatch_only_for_this_accounts_alarms() -> None:
    statements = alarm_topic_key_policy(CONTEXT)["Statement"]
    assert statements == [
        {
            "Sid": "EnableAccountAdministration",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
            "Action": "kms:*",
            "Resource": "*",
        },
        {
            "Sid": "AllowCloudWatchAlarmsToPublish",
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": ["kms:GenerateDataKey*", "kms:Decrypt"],
            "Resource": "*",
            "Condition": {
                "StringEquals": {"aws:SourceAccount": "123456789012"},
                "ArnLike": {"aws:SourceArn": "arn:aws:cloudwatch:us-east-1:123456789012:alarm:*"},
            },
        },
    ]


def test_key_policy_lint_finds_only_what_a_key_policy_means_by_design() -> None:
    # In a key policy, Resource "*" means "this key", and the account-root statement is AWS's
    # default key policy. GenerateDataKey* is AWS's documented grant for CloudWatch publishing
    # to an encrypted topic; parliament expands it to the data-key-pair actions as well.
    findings = lint(alarm_topic_key_policy(CONTEXT))
    assert sorted(issue for issue, _ in findings) == [
        "PERMISSIONS_MANAGEMENT_ACTIONS",
        "RESOURCE_STAR",
        "RESOURCE_STAR",
    ]
    assert (
        "RESOURCE_STAR",
        [
            "kms:Decrypt",
            "kms:GenerateDataKey",
            "kms:GenerateDataKeyPair",
            "kms:GenerateDataKeyPairWithoutPlaintext",
            "kms:GenerateDataKeyWithoutPlaintext",
        ],
    ) in findings


def test_the_topic_policy_lets_this_accounts_alarms_publish_and_denies_plain_http() -> None:
    allow, deny = alarm_topic_policy(CONTEXT, TOPIC)["Statement"]
    assert allow["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert (allow["Effect"], allow["Action"], allow["Resource"]) == ("Allow", "sns:Publish", TOPIC)
    assert allow["Condition"]["StringEquals"] == {"aws:SourceAccount": "123456789012"}
    assert (deny["Effect"], deny["Principal"], deny["Action"]) == ("Deny", "*", "sns:Publish")
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_the_topic_policy_is_lint_clean() -> None:
    assert lint(alarm_topic_policy(CONTEXT, TOPIC)) == []
