"""The flow logs' delivery role and log-group key documents: exact content, and parliament's
offline lint."""

from __future__ import annotations

import json

import pytest

from components.aws_context import AwsContext
from components.flow_logs.documents import (
    flow_logs_delivery_policy,
    flow_logs_trust_policy,
    log_group_key_policy,
)
from tests.support.iam_lint import lint

CONTEXT = AwsContext("123456789012", "us-east-1", "aws", "amazonaws.com")
CHINA = AwsContext("210987654321", "cn-north-1", "aws-cn", "amazonaws.com.cn")
LOG_GROUP_ARN = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/vpc/flowlogs"


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
