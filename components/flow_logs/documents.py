"""The flow logs' own IAM and KMS documents: the delivery role's trust and permissions, and the
log group's key policy."""

from __future__ import annotations

from components.aws_context import AwsContext, PolicyDocument, account_administration_statement
from components.statements import (
    policy_document,
    service_principal,
    source_conditions,
    trust_statement,
)

FLOW_LOGS_SERVICE = "vpc-flow-logs.amazonaws.com"

DELIVERY_ACTIONS: tuple[str, ...] = (
    "logs:CreateLogStream",
    "logs:PutLogEvents",
    "logs:DescribeLogStreams",
)
"""What the flow-logs service does in the log group it delivers to."""


def log_group_arn(context: AwsContext, log_group_name: str) -> str:
    """A log group's ARN, as ``LogGroup.arn`` reports it (without ``:*``).

    Known before the group exists, so documents naming it are plain text even in a preview, where
    a policy pack can read them.
    """
    return (
        f"arn:{context.partition}:logs:{context.region}:{context.account_id}"
        f":log-group:{log_group_name}"
    )


def flow_logs_trust_policy(context: AwsContext) -> PolicyDocument:
    """The role's trust policy: only the flow-logs service, only for this account's flow logs.

    The ``aws:SourceAccount`` and ``aws:SourceArn`` conditions stop the service from being used
    as a confused deputy on behalf of another account's flow logs.
    """
    flow_logs = f"arn:{context.partition}:ec2:{context.region}:{context.account_id}:vpc-flow-log/*"
    return policy_document(
        trust_statement(
            "AllowVpcFlowLogsDelivery",
            service_principal(FLOW_LOGS_SERVICE),
            source_conditions(context.account_id, flow_logs),
        )
    )


def flow_logs_delivery_policy(group_arn: str, *more_group_arns: str) -> PolicyDocument:
    """The role's permissions: write records into one log group, and nothing else.

    ``LogGroup.arn`` has no ``:*`` suffix, but log streams are addressed below it, so both forms
    are granted. ``logs:DescribeLogGroups`` is left out: it cannot be scoped to one group, and
    delivery into a group that already exists does not need it.
    """
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DeliverFlowLogRecords",
                "Effect": "Allow",
                "Action": list(DELIVERY_ACTIONS),
                "Resource": [
                    form for arn in (group_arn, *more_group_arns) for form in (arn, f"{arn}:*")
                ],
            }
        ],
    }


def log_group_key_policy(
    context: AwsContext, log_group_name: str, *more_log_group_names: str
) -> PolicyDocument:
    """A key policy letting CloudWatch Logs use the key for the named log groups only.

    The first statement is AWS's default key policy: it delegates the key's administration to
    the account's IAM policies, without which a key can become unmanageable. The second lets the
    regional CloudWatch Logs service use the key, conditioned on the encryption context that
    names one of these log groups' ARNs. ``kms:DescribeKey`` is not granted: it carries no
    encryption context, so under this condition it could never be allowed anyway.
    """
    arns = [log_group_arn(context, name) for name in (log_group_name, *more_log_group_names)]
    # One group's ARN stays a string, as in every stack deployed before there could be two.
    group_arns: str | list[str] = arns[0] if len(arns) == 1 else arns
    return {
        "Version": "2012-10-17",
        "Statement": [
            account_administration_statement(context),
            {
                "Sid": "AllowCloudWatchLogsForFlowLogGroup",
                "Effect": "Allow",
                "Principal": {"Service": f"logs.{context.region}.{context.dns_suffix}"},
                "Action": [
                    "kms:Encrypt",
                    "kms:Decrypt",
                    "kms:ReEncryptFrom",
                    "kms:ReEncryptTo",
                    "kms:GenerateDataKey",
                    "kms:GenerateDataKeyWithoutPlaintext",
                ],
                "Resource": "*",
                "Condition": {"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": group_arns}},
            },
        ],
    }
