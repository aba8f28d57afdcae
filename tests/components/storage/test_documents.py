"""The S3 copy's bucket and key policies: exact content for every path form and partition, and
parliament's offline lint."""

from __future__ import annotations

import pytest

from components.aws_context import AwsContext
from components.storage.documents import (
    access_log_bucket_policy,
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


@pytest.mark.parametrize(
    ("context", "prefix", "hive", "objects"),
    [
        (
            CONTEXT,
            "transit-gateways",
            False,
            "arn:aws:s3:::logs/transit-gateways/AWSLogs/123456789012/*",
        ),
        (
            CONTEXT,
            "fl/transit-gateways",
            True,
            "arn:aws:s3:::logs/fl/transit-gateways/AWSLogs/aws-account-id=123456789012/*",
        ),
        (
            CHINA,
            "fl/transit-gateways",
            False,
            "arn:aws-cn:s3:::logs/fl/transit-gateways/AWSLogs/210987654321/*",
        ),
    ],
)
def test_transit_gateway_folder_is_admitted_as_the_vpc_folder_is(
    context: AwsContext, prefix: str, hive: bool, objects: str
) -> None:
    vpc_prefix = prefix.removesuffix("transit-gateways").rstrip("/")
    without = flow_log_bucket_policy(context, "logs", vpc_prefix, hive)["Statement"]
    write, gateways, acl_check, deny = flow_log_bucket_policy(
        context, "logs", vpc_prefix, hive, transit_gateway_prefix=prefix
    )["Statement"]

    # The VPC folder's statements are unchanged; one more admits the transit gateways' folder,
    # under the same conditions.
    assert [write, acl_check, deny] == without
    assert gateways == {**write, "Sid": "AWSLogDeliveryWriteTransitGateways", "Resource": objects}


@pytest.mark.parametrize("context", [CONTEXT, CHINA], ids=["aws", "aws-cn"])
def test_access_log_bucket_admits_s3_logging_for_the_flow_log_bucket_only(
    context: AwsContext,
) -> None:
    partition, account = context.partition, context.account_id

    assert access_log_bucket_policy(context, "audit", "logs", "logs/") == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "S3ServerAccessLogsPolicy",
                "Effect": "Allow",
                "Principal": {"Service": "logging.s3.amazonaws.com"},
                "Action": "s3:PutObject",
                "Resource": f"arn:{partition}:s3:::audit/logs/*",
                "Condition": {
                    "ArnLike": {"aws:SourceArn": f"arn:{partition}:s3:::logs"},
                    "StringEquals": {"aws:SourceAccount": account},
                },
            },
            tls_only_bucket_policy(partition, "audit")["Statement"][0],
        ],
    }


def test_parliament_finds_nothing_in_the_transit_gateway_or_access_log_policies() -> None:
    policy = flow_log_bucket_policy(
        CONTEXT, "logs", "fl", True, transit_gateway_prefix="fl/transit-gateways"
    )
    assert lint(policy) == []
    assert lint(access_log_bucket_policy(CONTEXT, "audit", "logs", "logs/")) == []
