"""The cross-account roles' documents, as AWS's VPC guide gives them ("IAM roles for cross
account delivery"), narrowed where AWS allows.

The source role, in the flow logs' account, is what the flow log names as its delivery role: the
log-delivery service assumes it, and it assumes the destination role in the stream's account.
The destination role lets the log-delivery service tag the stream and create its
service-linked role there.
"""

from __future__ import annotations

from collections.abc import Sequence

from components.aws_context import AwsContext, PolicyDocument
from components.firehose.settings import DESTINATION_ROLE_NAME, SOURCE_ROLE_PATH
from components.statements import (
    LOG_DELIVERY_SERVICE,
    account_principals,
    policy_document,
    service_principal,
    source_conditions,
    statement,
    trust_statement,
)

LOG_DELIVERY_ACTIONS: tuple[str, ...] = (
    "logs:CreateLogDelivery",
    "logs:DeleteLogDelivery",
    "logs:ListLogDeliveries",
    "logs:GetLogDelivery",
)
"""What the source role does to set up delivery. AWS authorises these on ``*`` only."""
DESTINATION_ACTIONS: tuple[str, ...] = ("iam:CreateServiceLinkedRole", "firehose:TagDeliveryStream")


def log_delivery_service_role_arn(partition: str, account_id: str) -> str:
    """The ARN of the log-delivery service-linked role, ``AWSServiceRoleForLogDelivery``."""
    return (
        f"arn:{partition}:iam::{account_id}:role/aws-service-role/{LOG_DELIVERY_SERVICE}/"
        "AWSServiceRoleForLogDelivery"
    )


def source_role_trust_policy(context: AwsContext, regions: Sequence[str]) -> PolicyDocument:
    """Only the log-delivery service may assume the source role, and only for this account's
    deliveries in ``regions`` (the confused deputy)."""
    return policy_document(
        trust_statement(
            "AllowLogDeliveryService",
            service_principal(LOG_DELIVERY_SERVICE),
            source_conditions(
                context.account_id,
                [
                    f"arn:{context.partition}:logs:{region}:{context.account_id}:*"
                    for region in sorted(regions)
                ],
            ),
        )
    )


def source_role_policy(
    context: AwsContext, source_role_arn: str, destination_role_arn: str, regions: Sequence[str]
) -> PolicyDocument:
    """The source role's permissions: pass itself to the log-delivery service for this account's
    resources in ``regions``, manage log deliveries, and assume the destination role only."""
    return policy_document(
        statement(
            "PassOnlyItselfToLogDelivery",
            "iam:PassRole",
            source_role_arn,
            conditions={
                "StringEquals": {"iam:PassedToService": LOG_DELIVERY_SERVICE},
                # AWS's guide writes StringLike; the key is an ARN, which ArnLike compares.
                "ArnLike": {
                    "iam:AssociatedResourceARN": [
                        f"arn:{context.partition}:ec2:{region}:{context.account_id}:*"
                        for region in sorted(regions)
                    ]
                },
            },
        ),
        statement("ManageLogDeliveries", list(LOG_DELIVERY_ACTIONS), "*"),
        statement("AssumeDestinationRole", "sts:AssumeRole", destination_role_arn),
    )


def source_role_pattern(partition: str, account_id: str) -> str:
    """Every source role this project creates in ``account_id``: its path, any name."""
    return f"arn:{partition}:iam::{account_id}:role{SOURCE_ROLE_PATH}*"


def destination_role_trust_policy(context: AwsContext, accounts: Sequence[str]) -> PolicyDocument:
    """Only the listed accounts' source roles may assume the destination role: the accounts are
    the principals, and ``aws:PrincipalArn`` narrows each to the roles under the source roles'
    fixed path. A condition, unlike a role ARN as principal, does not need the source roles to
    exist when this policy is written, so either account's stack may be deployed first."""
    return policy_document(
        trust_statement(
            "AllowListedSourceRoles",
            account_principals(context.partition, accounts),
            {
                "ArnLike": {
                    "aws:PrincipalArn": [
                        source_role_pattern(context.partition, account)
                        for account in sorted(accounts)
                    ]
                }
            },
        )
    )


def destination_role_policy(context: AwsContext) -> PolicyDocument:
    """The destination role's permissions: create the log-delivery service-linked role, and tag
    this account's delivery streams so that it may write to them."""
    return policy_document(
        statement(
            "CreateLogDeliveryServiceLinkedRole",
            "iam:CreateServiceLinkedRole",
            log_delivery_service_role_arn(context.partition, context.account_id),
            conditions={"StringEquals": {"iam:AWSServiceName": LOG_DELIVERY_SERVICE}},
        ),
        statement(
            "TagDeliveryStreams",
            "firehose:TagDeliveryStream",
            f"arn:{context.partition}:firehose:*:{context.account_id}:deliverystream/*",
        ),
    )


def destination_role_arn(partition: str, account_id: str) -> str:
    """The ARN of the destination role a stack with ``firehoseSourceAccounts`` creates."""
    return f"arn:{partition}:iam::{account_id}:role/{DESTINATION_ROLE_NAME}"
