"""The central log group's key policy: CloudWatch Logs of the key's region may use the key for
the central group only."""

from __future__ import annotations

from components.aws_context import AwsContext, PolicyDocument, account_administration_statement
from components.flow_logs.documents import log_group_arn
from components.statements import policy_document, service_principal, statement

LOGS_KEY_ACTIONS: tuple[str, ...] = (
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncryptFrom",
    "kms:ReEncryptTo",
    "kms:GenerateDataKey",
    "kms:GenerateDataKeyWithoutPlaintext",
)
"""What CloudWatch Logs does with a log group's key."""


def central_key_policy(context: AwsContext, log_group_name: str) -> PolicyDocument:
    """The key of the central group in ``context.region``: administered through the account's
    IAM policies, and used by that region's CloudWatch Logs only under the encryption context
    that names the central group. Centralization writes into the group as CloudWatch Logs, so
    no other principal is admitted. ``kms:DescribeKey`` carries no encryption context, so it
    is not granted (it could never be allowed under the condition)."""
    return policy_document(
        account_administration_statement(context),
        statement(
            "AllowCloudWatchLogsForCentralGroup",
            list(LOGS_KEY_ACTIONS),
            "*",
            principal=service_principal(f"logs.{context.region}.{context.dns_suffix}"),
            conditions={
                "ArnEquals": {
                    "kms:EncryptionContext:aws:logs:arn": log_group_arn(context, log_group_name)
                }
            },
        ),
    )
