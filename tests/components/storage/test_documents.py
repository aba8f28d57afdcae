"""The S3 copy's bucket and key policies: exact content for every path form and partition, and
parliament's offline lint."""

from __future__ import annotations

import pytest

from components.aws_context import AwsContext
from components.storage.documents import (
    flow_log_bucket_policy,
    s3_delivery_key_policy,
    tls_only_bucket_policy,
)
from tests.support.iam_lint import lint

CONTEXT = AwsContext("123456789012", "us-east-1", "aws", "amazonaws.com")
CHINA = AwsContext("210987654321", "cn-north-1", "aws-cn", "amazonaws.com.cn")
LOG_GROUP_ARN = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc/flowlogs"


@pytest.mark.parametrize(
    ("context", "prefix", "hive", "objects"),
    [
        (CONTEXT, "", False, "arn:aws:s3:::logs/AWSLogs/123456789012/*"),
        (CONTEXT, "", True, "arn:aws:s3:::logs/AWSLogs/aws-account-id=123456789012/*"),
        (CONTEXT, "net/fl", False, "arn:aws:s3:::logs/net/fl/AWSLogs/123456789012/*"),
        (
            CONTEXT,
            "net/fl",
            True,
            "arn:aws:s3:::logs/net/fl/AWSLogs/aws-account-id=123456789012/*",
        ),
        (CHINA, "fl", True, "arn:aws-cn:s3:::logs/fl/AWSLogs/aws-account-id=210987654321/*"),
    ],
)
def test_bucket_policy_grants_delivery_exactly_what_aws_documents(
    context: AwsContext, prefix: str, hive: bool, objects: str
) -> None:
    write, acl_check, deny = flow_log_bucket_policy(context, "logs", prefix, hive)["Statement"]
    account, partition, region = context.account_id, context.partition, context.region
    source = {
        "StringEquals": {"aws:SourceAccount": account},
        "ArnLike": {"aws:SourceArn": f"arn:{partition}:logs:{region}:{account}:*"},
    }

    assert write == {
        "Sid": "AWSLogDeliveryWrite",
        "Effect": "Allow",
        "Principal": {"Service": "delivery.logs.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": objects,
        "Condition": {
            "StringEquals": {
                "s3:x-amz-acl": "bucket-owner-full-control",
                "aws:SourceAccount": account,
            },
            "ArnLike": source["ArnLike"],
        },
    }
    assert acl_check == {
        "Sid": "AWSLogDeliveryAclCheck",
        "Effect": "Allow",
        "Principal": {"Service": "delivery.logs.amazonaws.com"},
        "Action": ["s3:GetBucketAcl", "s3:ListBucket"],
        "Resource": f"arn:{partition}:s3:::logs",
        "Condition": source,
    }
    assert deny == tls_only_bucket_policy(partition, "logs")["Statement"][0]


def test_every_request_without_tls_is_denied() -> None:
    assert tls_only_bucket_policy("aws-us-gov", "results") == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DenyInsecureTransport",
                "Effect": "Deny",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": ["arn:aws-us-gov:s3:::results", "arn:aws-us-gov:s3:::results/*"],
                "Condition": {"Bool": {"aws:SecureTransport": "false"}},
            }
        ],
    }


@pytest.mark.parametrize("context", [CONTEXT, CHINA], ids=["aws", "aws-cn"])
def test_bucket_key_admits_log_delivery_for_this_account_only(context: AwsContext) -> None:
    admin, delivery = s3_delivery_key_policy(context)["Statement"]
    account, partition = context.account_id, context.partition

    assert admin["Principal"] == {"AWS": f"arn:{partition}:iam::{account}:root"}
    assert delivery == {
        "Sid": "AllowFlowLogDeliveryToS3",
        "Effect": "Allow",
        "Principal": {"Service": "delivery.logs.amazonaws.com"},
        "Action": [
            "kms:Encrypt",
            "kms:Decrypt",
            "kms:ReEncrypt*",
            "kms:GenerateDataKey*",
            "kms:DescribeKey",
        ],
        "Resource": "*",
        "Condition": {
            "StringEquals": {"aws:SourceAccount": account},
            "ArnLike": {"aws:SourceArn": f"arn:{partition}:logs:{context.region}:{account}:*"},
        },
    }


def test_parliament_finds_nothing_in_the_bucket_policy() -> None:
    assert lint(flow_log_bucket_policy(CONTEXT, "logs", "fl", True)) == []
