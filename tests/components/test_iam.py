"""IAM and KMS documents: exact content, and parliament's offline lint."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import parliament
import pytest

from components.iam import (
    AwsContext,
    flow_log_bucket_policy,
    flow_logs_delivery_policy,
    flow_logs_trust_policy,
    log_group_key_policy,
    s3_delivery_key_policy,
    tls_only_bucket_policy,
)

CONTEXT = AwsContext("123456789012", "us-east-1", "aws", "amazonaws.com")
CHINA = AwsContext("210987654321", "cn-north-1", "aws-cn", "amazonaws.com.cn")
LOG_GROUP_ARN = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc/flowlogs"


def lint(document: dict[str, Any]) -> list[tuple[str, object]]:
    """Parliament's findings, with its community auditors switched on."""
    override = Path(parliament.__file__).parent / "community_auditors" / "config_override.yaml"
    parliament.override_config(str(override))
    policy = parliament.analyze_policy_string(
        json.dumps(document), include_community_auditors=True, config=parliament.config
    )
    return [(finding.issue, finding.detail) for finding in policy.findings]


def test_trust_policy_admits_only_the_flow_logs_service_for_this_accounts_flow_logs() -> None:
    assert flow_logs_trust_policy(CONTEXT) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AllowVpcFlowLogsDelivery",
                "Effect": "Allow",
                "Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": "123456789012"},
                    "ArnLike": {
                        "aws:SourceArn": "arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/*"
                    },
                },
            }
        ],
    }


def test_trust_conditions_follow_the_partition_region_and_account() -> None:
    condition = flow_logs_trust_policy(CHINA)["Statement"][0]["Condition"]

    assert condition == {
        "StringEquals": {"aws:SourceAccount": "210987654321"},
        "ArnLike": {"aws:SourceArn": "arn:aws-cn:ec2:cn-north-1:210987654321:vpc-flow-log/*"},
    }


def test_delivery_policy_writes_to_one_log_group_only() -> None:
    assert flow_logs_delivery_policy(LOG_GROUP_ARN) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "DeliverFlowLogRecords",
                "Effect": "Allow",
                "Action": [
                    "logs:CreateLogStream",
                    "logs:PutLogEvents",
                    "logs:DescribeLogStreams",
                ],
                "Resource": [LOG_GROUP_ARN, f"{LOG_GROUP_ARN}:*"],
            }
        ],
    }


def test_delivery_policy_passes_parliament_with_community_auditors() -> None:
    assert lint(flow_logs_delivery_policy(LOG_GROUP_ARN)) == []


def test_the_linter_does_catch_what_aws_samples_grant() -> None:
    # Proves the lint above can fail: AWS's sample policy, logs actions on every resource.
    sample = {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Action": [
                    "logs:CreateLogGroup",
                    "logs:CreateLogStream",
                    "logs:PutLogEvents",
                    "logs:DescribeLogGroups",
                    "logs:DescribeLogStreams",
                ],
                "Resource": "*",
            }
        ],
    }

    assert [issue for issue, _ in lint(sample)] == ["RESOURCE_STAR"]


def test_key_policy_lets_cloudwatch_logs_use_the_key_for_one_log_group() -> None:
    policy = log_group_key_policy(CONTEXT, "/aws/vpc/flowlogs")

    assert policy["Statement"] == [
        {
            "Sid": "EnableAccountAdministration",
            "Effect": "Allow",
            "Principal": {"AWS": "arn:aws:iam::123456789012:root"},
            "Action": "kms:*",
            "Resource": "*",
        },
        {
            "Sid": "AllowCloudWatchLogsForFlowLogGroup",
            "Effect": "Allow",
            "Principal": {"Service": "logs.us-east-1.amazonaws.com"},
            "Action": [
                "kms:Encrypt",
                "kms:Decrypt",
                "kms:ReEncryptFrom",
                "kms:ReEncryptTo",
                "kms:GenerateDataKey",
                "kms:GenerateDataKeyWithoutPlaintext",
            ],
            "Resource": "*",
            "Condition": {
                "ArnEquals": {
                    "kms:EncryptionContext:aws:logs:arn": LOG_GROUP_ARN,
                }
            },
        },
    ]


def test_key_policy_principal_and_log_group_follow_the_partition() -> None:
    policy = log_group_key_policy(CHINA, "/flows")
    service = policy["Statement"][1]

    assert policy["Statement"][0]["Principal"] == {"AWS": "arn:aws-cn:iam::210987654321:root"}
    assert service["Principal"] == {"Service": "logs.cn-north-1.amazonaws.com.cn"}
    assert service["Condition"]["ArnEquals"] == {
        "kms:EncryptionContext:aws:logs:arn": "arn:aws-cn:logs:cn-north-1:210987654321:"
        "log-group:/flows"
    }


def test_key_policy_lint_finds_only_what_a_key_policy_means_by_design() -> None:
    # Parliament reads every document as an identity policy. In a key policy, Resource "*"
    # means "this key", the account-root statement is AWS's default key policy, and ArnEquals
    # on the encryption context is AWS's documented form; anything else is a real finding.
    findings = lint(log_group_key_policy(CONTEXT, "/aws/vpc/flowlogs"))

    assert sorted(issue for issue, _ in findings) == [
        "MISMATCHED_TYPE",
        "PERMISSIONS_MANAGEMENT_ACTIONS",
        "RESOURCE_STAR",
        "RESOURCE_STAR",
    ]
    service_actions = log_group_key_policy(CONTEXT, "x")["Statement"][1]["Action"]
    assert ("RESOURCE_STAR", sorted(service_actions)) in findings


@pytest.mark.parametrize("context", [CONTEXT, CHINA])
def test_documents_are_valid_json_for_aws(context: AwsContext) -> None:
    for document in (
        flow_logs_trust_policy(context),
        flow_logs_delivery_policy(LOG_GROUP_ARN),
        log_group_key_policy(context, "/aws/vpc/flowlogs"),
    ):
        assert json.loads(json.dumps(document)) == document
        assert document["Version"] == "2012-10-17"


# S3 delivery: the bucket policy and the key policy, for every path form and partition.


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
