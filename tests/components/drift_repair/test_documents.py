"""The automation role's documents: exact content, and parliament's offline lint."""

from __future__ import annotations

import json
from typing import Any

import pytest

from components.aws_context import AwsContext
from components.drift_repair.documents import (
    automation_trust_policy,
    cloudwatch_repair_policy,
    s3_repair_policy,
)
from tests.support.iam_lint import parliament_findings

CONTEXT = AwsContext("123456789012", "us-east-1", "aws", "amazonaws.com")
CHINA = AwsContext("210987654321", "cn-north-1", "aws-cn", "amazonaws.com.cn")
DELIVERY_ROLE_ARN = "arn:aws:iam::123456789012:role/vpc-flow-logs-role-1a2b3c4"

FLOW_LOG_STATEMENTS = [
    {
        "Sid": "CreateFlowLogsOnThisRegionsVpcs",
        "Effect": "Allow",
        "Action": "ec2:CreateFlowLogs",
        "Resource": [
            "arn:aws:ec2:us-east-1:123456789012:vpc/*",
            "arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/*",
        ],
    },
    {
        "Sid": "TagFlowLogsOnlyAsTheyAreCreated",
        "Effect": "Allow",
        "Action": "ec2:CreateTags",
        "Resource": "arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/*",
        "Condition": {"StringEquals": {"ec2:CreateAction": "CreateFlowLogs"}},
    },
    {
        "Sid": "DescribeFlowLogsInThisRegion",
        "Effect": "Allow",
        "Action": "ec2:DescribeFlowLogs",
        "Resource": "*",
        "Condition": {"StringEquals": {"ec2:Region": "us-east-1"}},
    },
]


def lint(document: dict[str, Any]) -> list[tuple[str, object, object]]:
    """Parliament's findings (issue, detail, location), with its community auditors on."""
    return [(f.issue, f.detail, f.location) for f in parliament_findings(document)]


def test_trust_policy_admits_only_systems_manager_for_this_account() -> None:
    assert automation_trust_policy(CONTEXT) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AllowSystemsManagerAutomation",
                "Effect": "Allow",
                "Principal": {"Service": "ssm.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": "123456789012"}},
            }
        ],
    }


def test_cloudwatch_repair_creates_flow_logs_and_passes_exactly_the_delivery_role() -> None:
    assert cloudwatch_repair_policy(CONTEXT, DELIVERY_ROLE_ARN) == {
        "Version": "2012-10-17",
        "Statement": [
            *FLOW_LOG_STATEMENTS,
            {
                "Sid": "PassTheDeliveryRoleToFlowLogsOnly",
                "Effect": "Allow",
                "Action": "iam:PassRole",
                "Resource": DELIVERY_ROLE_ARN,
                "Condition": {
                    "StringEquals": {"iam:PassedToService": "vpc-flow-logs.amazonaws.com"}
                },
            },
        ],
    }


def test_s3_repair_may_only_set_up_the_log_delivery_and_passes_no_role() -> None:
    assert s3_repair_policy(CONTEXT) == {
        "Version": "2012-10-17",
        "Statement": [
            *FLOW_LOG_STATEMENTS,
            {
                "Sid": "DeliverFlowLogsToS3",
                "Effect": "Allow",
                "Action": ["logs:CreateLogDelivery", "logs:DeleteLogDelivery"],
                "Resource": "*",
            },
        ],
    }


def test_the_documents_follow_the_partition_region_and_account() -> None:
    role = "arn:aws-cn:iam::210987654321:role/delivery"
    statements = cloudwatch_repair_policy(CHINA, role)["Statement"]

    assert statements[0]["Resource"] == [
        "arn:aws-cn:ec2:cn-north-1:210987654321:vpc/*",
        "arn:aws-cn:ec2:cn-north-1:210987654321:vpc-flow-log/*",
    ]
    assert statements[1]["Resource"] == "arn:aws-cn:ec2:cn-north-1:210987654321:vpc-flow-log/*"
    assert statements[2]["Condition"] == {"StringEquals": {"ec2:Region": "cn-north-1"}}
    assert automation_trust_policy(CHINA)["Statement"][0]["Condition"] == {
        "StringEquals": {"aws:SourceAccount": "210987654321"}
    }


def test_parliament_finds_only_that_passing_a_role_is_permissions_management() -> None:
    # Parliament reports every iam:PassRole as permissions management, even one scoped to one
    # role and one service. That finding, on that statement, is the only one allowed.
    assert lint(cloudwatch_repair_policy(CONTEXT, DELIVERY_ROLE_ARN)) == [
        ("PERMISSIONS_MANAGEMENT_ACTIONS", "", {"actions": ["iam:passrole"], "filepath": None})
    ]
    without_passrole = cloudwatch_repair_policy(CONTEXT, DELIVERY_ROLE_ARN)
    without_passrole["Statement"] = without_passrole["Statement"][:-1]
    assert lint(without_passrole) == []


def test_the_s3_policy_passes_parliament() -> None:
    assert lint(s3_repair_policy(CONTEXT)) == []


def test_the_lint_does_catch_an_unscoped_create_flow_logs() -> None:
    # Proves the lint above can fail: CreateFlowLogs on Resource "*", as AWS's samples have it.
    loose = cloudwatch_repair_policy(CONTEXT, DELIVERY_ROLE_ARN)
    loose["Statement"][0]["Resource"] = "*"

    assert [issue for issue, _, _ in lint(loose)] == [
        "PERMISSIONS_MANAGEMENT_ACTIONS",
        "RESOURCE_STAR",
    ]


@pytest.mark.parametrize("context", [CONTEXT, CHINA])
def test_documents_are_valid_json_for_aws(context: AwsContext) -> None:
    for document in (
        automation_trust_policy(context),
        cloudwatch_repair_policy(context, DELIVERY_ROLE_ARN),
        s3_repair_policy(context),
    ):
        assert json.loads(json.dumps(document)) == document
        assert document["Version"] == "2012-10-17"
