"""KMS and SNS policy documents for the alarm topic, built as plain Python data.

CloudWatch can publish only to a topic encrypted with a customer-managed key whose policy lets
``cloudwatch.amazonaws.com`` use it; with the AWS-managed ``alias/aws/sns`` key the alarm's
action fails and the notification is silently lost.
"""

from __future__ import annotations

from components.aws_context import AwsContext, PolicyDocument, account_administration_statement
from components.statements import source_conditions

CLOUDWATCH_SERVICE = "cloudwatch.amazonaws.com"


def alarm_source_arn(context: AwsContext) -> str:
    """Every CloudWatch alarm of this account and region, as ``aws:SourceArn`` names them."""
    return f"arn:{context.partition}:cloudwatch:{context.region}:{context.account_id}:alarm:*"


def _from_this_accounts_alarms(context: AwsContext) -> dict[str, dict[str, str]]:
    # The confused-deputy guard: CloudWatch acts only for this account's alarms.
    return source_conditions(context.account_id, alarm_source_arn(context))


def alarm_topic_key_policy(context: AwsContext) -> PolicyDocument:
    """The topic key's policy: the account administers it, CloudWatch alarms of this account use it.

    The first statement is AWS's default key policy, without which a key can become
    unmanageable. The second gives ``cloudwatch.amazonaws.com`` the two actions publishing to an
    encrypted topic needs, only on behalf of this account's alarms.
    """
    return {
        "Version": "2012-10-17",
        "Statement": [
            account_administration_statement(context),
            {
                "Sid": "AllowCloudWatchAlarmsToPublish",
                "Effect": "Allow",
                "Principal": {"Service": CLOUDWATCH_SERVICE},
                "Action": ["kms:GenerateDataKey*", "kms:Decrypt"],
                "Resource": "*",
                "Condition": _from_this_accounts_alarms(context),
            },
        ],
    }


def alarm_topic_policy(context: AwsContext, topic_arn: str) -> PolicyDocument:
    """The topic's policy: only this account's CloudWatch alarms publish, and only over TLS."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AllowThisAccountsAlarmsToPublish",
                "Effect": "Allow",
                "Principal": {"Service": CLOUDWATCH_SERVICE},
                "Action": "sns:Publish",
                "Resource": topic_arn,
                "Condition": _from_this_accounts_alarms(context),
            },
            {
                "Sid": "DenyPublishingWithoutTls",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "sns:Publish",
                "Resource": topic_arn,
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            },
        ],
    }
