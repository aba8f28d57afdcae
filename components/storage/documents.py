"""The S3 copy's documents: the bucket policies and the key policy that let the log-delivery
service write flow logs, and nothing else in."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from components.aws_context import AwsContext, PolicyDocument, account_administration_statement
from components.statements import LOG_DELIVERY_SERVICE, source_conditions

S3_LOGGING_SERVICE = "logging.s3.amazonaws.com"
"""The service principal that writes S3 server access logs."""


def log_delivery_conditions(
    context: AwsContext, regions: Sequence[str] | None = None
) -> dict[str, Any]:
    """Confused-deputy protection for the log-delivery service: this account's deliveries only,
    from each of ``regions`` (default: the context's region), named one by one."""
    arns = [
        f"arn:{context.partition}:logs:{region}:{context.account_id}:*"
        for region in (regions or [context.region])
    ]
    return source_conditions(context.account_id, arns)


def s3_delivery_key_statement(
    context: AwsContext, regions: Sequence[str] | None = None
) -> dict[str, Any]:
    """The key-policy statement that lets flow-log delivery to S3 encrypt with a key.

    S3 delivery with SSE-KMS needs a customer-managed key whose policy admits
    ``delivery.logs.amazonaws.com``, for this account's deliveries only.
    """
    return {
        "Sid": "AllowFlowLogDeliveryToS3",
        "Effect": "Allow",
        "Principal": {"Service": LOG_DELIVERY_SERVICE},
        "Action": [
            "kms:Encrypt",
            "kms:Decrypt",
            "kms:ReEncrypt*",
            "kms:GenerateDataKey*",
            "kms:DescribeKey",
        ],
        "Resource": "*",
        "Condition": log_delivery_conditions(context, regions),
    }


def s3_delivery_key_policy(
    context: AwsContext, regions: Sequence[str] | None = None
) -> PolicyDocument:
    """A key policy for a flow-log bucket's key: account administration, plus S3 delivery."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            account_administration_statement(context),
            s3_delivery_key_statement(context, regions),
        ],
    }


def bucket_arn(partition: str, bucket: str) -> str:
    """An S3 bucket's ARN (global: no region, no account)."""
    return f"arn:{partition}:s3:::{bucket}"


def deny_insecure_transport_statement(partition: str, bucket: str) -> dict[str, Any]:
    """Refuse every request to the bucket or its objects that is not made over TLS."""
    arn = bucket_arn(partition, bucket)
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [arn, f"{arn}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def flow_log_delivery_statements(
    context: AwsContext,
    bucket: str,
    prefix: str,
    hive_partitions: bool,
    regions: Sequence[str] | None = None,
    transit_gateway_prefix: str | None = None,
) -> list[dict[str, Any]]:
    """What ``delivery.logs.amazonaws.com`` needs to write this account's flow logs to a bucket.

    ``s3:PutObject`` only under the folder AWS writes this account's logs to (its form depends on
    Hive-compatible partitions), only with the bucket owner in full control; with
    ``transit_gateway_prefix``, the same under that folder too, where transit-gateway flow logs
    go; ``s3:GetBucketAcl`` and ``s3:ListBucket`` on the bucket. All under ``aws:SourceAccount``
    and ``aws:SourceArn``.
    """
    conditions = log_delivery_conditions(context, regions)
    writes = [("AWSLogDeliveryWrite", prefix)]
    if transit_gateway_prefix is not None:
        writes.append(("AWSLogDeliveryWriteTransitGateways", transit_gateway_prefix))
    return [
        *(
            {
                "Sid": sid,
                "Effect": "Allow",
                "Principal": {"Service": LOG_DELIVERY_SERVICE},
                "Action": "s3:PutObject",
                "Resource": flow_log_objects_arn(context, bucket, folder, hive_partitions),
                "Condition": {
                    "StringEquals": {
                        "s3:x-amz-acl": "bucket-owner-full-control",
                        **conditions["StringEquals"],
                    },
                    "ArnLike": conditions["ArnLike"],
                },
            }
            for sid, folder in writes
        ),
        {
            "Sid": "AWSLogDeliveryAclCheck",
            "Effect": "Allow",
            "Principal": {"Service": LOG_DELIVERY_SERVICE},
            "Action": ["s3:GetBucketAcl", "s3:ListBucket"],
            "Resource": bucket_arn(context.partition, bucket),
            "Condition": conditions,
        },
    ]


def flow_log_objects_arn(
    context: AwsContext, bucket: str, prefix: str, hive_partitions: bool
) -> str:
    """The objects AWS writes this account's flow logs to under ``prefix``:
    ``[prefix/]AWSLogs/<account>/*``, or ``.../AWSLogs/aws-account-id=<account>/*`` (Hive)."""
    folder = f"{prefix}/" if prefix else ""
    account = f"aws-account-id={context.account_id}" if hive_partitions else context.account_id
    return f"{bucket_arn(context.partition, bucket)}/{folder}AWSLogs/{account}/*"


def flow_log_bucket_policy(
    context: AwsContext,
    bucket: str,
    prefix: str,
    hive_partitions: bool,
    regions: Sequence[str] | None = None,
    transit_gateway_prefix: str | None = None,
) -> PolicyDocument:
    """The policy of a bucket the stack creates for flow logs: delivery, and TLS only.

    Written in the stack because, without it, AWS attaches a policy of its own to the bucket on
    the first delivery, and the stack would no longer describe what is there.
    """
    return {
        "Version": "2012-10-17",
        "Statement": [
            *flow_log_delivery_statements(
                context, bucket, prefix, hive_partitions, regions, transit_gateway_prefix
            ),
            deny_insecure_transport_statement(context.partition, bucket),
        ],
    }


def access_log_bucket_policy(
    context: AwsContext, bucket: str, source_bucket: str, prefix: str
) -> PolicyDocument:
    """The policy of the bucket that receives ``source_bucket``'s server access logs under
    ``prefix``: S3's logging service may write there for that bucket of this account only (AWS's
    documented form for a bucket with ACLs disabled), and TLS only."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "S3ServerAccessLogsPolicy",
                "Effect": "Allow",
                "Principal": {"Service": S3_LOGGING_SERVICE},
                "Action": "s3:PutObject",
                "Resource": f"{bucket_arn(context.partition, bucket)}/{prefix}*",
                "Condition": {
                    "ArnLike": {"aws:SourceArn": bucket_arn(context.partition, source_bucket)},
                    "StringEquals": {"aws:SourceAccount": context.account_id},
                },
            },
            deny_insecure_transport_statement(context.partition, bucket),
        ],
    }


def tls_only_bucket_policy(partition: str, bucket: str) -> PolicyDocument:
    """The policy of a bucket no service writes to (Athena's results): TLS only."""
    return {
        "Version": "2012-10-17",
        "Statement": [deny_insecure_transport_statement(partition, bucket)],
    }
