"""The automation role's documents: exact content, who may and who may not by evaluation, and
parliament's offline lint."""

from __future__ import annotations

import json
from typing import Any

import pytest

from components.aws_context import AwsContext
from components.drift_repair.documents import automation_trust_policy, repair_policy
from tests.support.iam_eval import Arn, Request, Service, allows
from tests.support.iam_lint import parliament_findings

CONTEXT = AwsContext("123456789012", "us-east-1", "aws", "amazonaws.com")
CHINA = AwsContext("210987654321", "cn-north-1", "aws-cn", "amazonaws.com.cn")
DELIVERY_ROLE_ARN = "arn:aws:iam::123456789012:role/vpc-flow-logs-role-1a2b3c4"
EXECUTION = "arn:aws:ssm:us-east-1:123456789012:automation-execution/4f1a-b2c3"
AUTOMATION_ROLE = Arn("arn:aws:iam::123456789012:role/vpc-flow-logs-repair-automation")


def role_request(action: str, resource: str, context: dict[str, str] | None = None) -> Request:
    """A request the automation role makes, under its own identity policy."""
    return Request(action, resource, AUTOMATION_ROLE, context or {})


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
PASS_ROLE = {
    "Sid": "PassTheDeliveryRoleToFlowLogsOnly",
    "Effect": "Allow",
    "Action": "iam:PassRole",
    "Resource": DELIVERY_ROLE_ARN,
    "Condition": {"StringEquals": {"iam:PassedToService": "vpc-flow-logs.amazonaws.com"}},
}
LOG_DELIVERY = {
    "Sid": "DeliverFlowLogsToS3",
    "Effect": "Allow",
    "Action": ["logs:CreateLogDelivery", "logs:DeleteLogDelivery"],
    "Resource": "*",
}
BOTH = repair_policy(CONTEXT, delivery_role_arn=DELIVERY_ROLE_ARN, to_s3=True)


def lint(document: dict[str, Any]) -> list[tuple[str, object, object]]:
    """Parliament's findings (issue, detail, location), with its community auditors on."""
    return [(f.issue, f.detail, f.location) for f in parliament_findings(document)]


def test_trust_policy_admits_only_systems_manager_for_this_accounts_executions_here() -> None:
    assert automation_trust_policy(CONTEXT) == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AllowSystemsManagerAutomation",
                "Effect": "Allow",
                "Principal": {"Service": "ssm.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {
                    "StringEquals": {"aws:SourceAccount": "123456789012"},
                    "ArnLike": {
                        "aws:SourceArn": (
                            "arn:aws:ssm:us-east-1:123456789012:automation-execution/*"
                        )
                    },
                },
            }
        ],
    }


def assume(
    service: str = "ssm.amazonaws.com",
    source_arn: str | None = EXECUTION,
    source_account: str | None = "123456789012",
) -> Request:
    context = {"aws:SourceArn": source_arn, "aws:SourceAccount": source_account}
    return Request(
        "sts:AssumeRole",
        AUTOMATION_ROLE.arn,
        Service(service),
        {k: v for k, v in context.items() if v is not None},
    )


def test_this_accounts_automation_execution_may_assume_the_role() -> None:
    assert allows(assume(), automation_trust_policy(CONTEXT))


@pytest.mark.parametrize(
    "request_",
    [
        assume(source_arn="arn:aws:ssm:us-east-1:999999999999:automation-execution/4f1a"),
        assume(source_account="999999999999"),
        assume(source_arn="arn:aws:ssm:eu-west-1:123456789012:automation-execution/4f1a"),
        assume(source_arn="arn:aws:ssm:us-east-1:123456789012:association/4f1a"),
        assume(source_arn=None),
        assume(source_account=None),
        assume(service="ec2.amazonaws.com"),
    ],
    ids=[
        "another-accounts-execution",
        "another-source-account",
        "another-regions-execution",
        "not-an-automation-execution",
        "no-source-arn",
        "no-source-account",
        "another-service",
    ],
)
def test_no_one_else_may_assume_the_role(request_: Request) -> None:
    assert not allows(request_, automation_trust_policy(CONTEXT))


@pytest.mark.parametrize(
    ("document", "expected"),
    [
        (repair_policy(CONTEXT, delivery_role_arn=DELIVERY_ROLE_ARN), [PASS_ROLE]),
        (repair_policy(CONTEXT, to_s3=True), [LOG_DELIVERY]),
        (BOTH, [PASS_ROLE, LOG_DELIVERY]),
    ],
    ids=["cloudwatch", "s3", "both"],
)
def test_the_repair_policy_adds_what_each_destination_needs(
    document: dict[str, Any], expected: list[dict[str, Any]]
) -> None:
    assert document == {"Version": "2012-10-17", "Statement": [*FLOW_LOG_STATEMENTS, *expected]}


def test_a_repair_policy_needs_a_destination() -> None:
    with pytest.raises(ValueError, match="a repair delivers to a log group, a bucket, or both"):
        repair_policy(CONTEXT)


VPC = "arn:aws:ec2:us-east-1:123456789012:vpc/vpc-0a1b2c3d"
NEW_FLOW_LOG = "arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/fl-0a1b2c3d"
TO_FLOW_LOGS = {"iam:PassedToService": "vpc-flow-logs.amazonaws.com"}


@pytest.mark.parametrize(
    "request_",
    [
        role_request("ec2:CreateFlowLogs", VPC),
        role_request("ec2:CreateFlowLogs", NEW_FLOW_LOG),
        role_request("ec2:CreateTags", NEW_FLOW_LOG, {"ec2:CreateAction": "CreateFlowLogs"}),
        role_request("ec2:DescribeFlowLogs", "*", {"ec2:Region": "us-east-1"}),
        role_request("iam:PassRole", DELIVERY_ROLE_ARN, TO_FLOW_LOGS),
        role_request("logs:CreateLogDelivery", "*"),
        role_request("logs:DeleteLogDelivery", "*"),
    ],
    ids=lambda r: r.action,
)
def test_with_both_destinations_the_role_may_create_both_flow_logs(request_: Request) -> None:
    assert allows(request_, BOTH)


@pytest.mark.parametrize(
    "request_",
    [
        role_request("ec2:CreateFlowLogs", "arn:aws:ec2:eu-west-1:123456789012:vpc/vpc-0a1b2c3d"),
        role_request("ec2:CreateFlowLogs", "arn:aws:ec2:us-east-1:999999999999:vpc/vpc-0a1b2c3d"),
        role_request("ec2:DeleteFlowLogs", NEW_FLOW_LOG),
        role_request(
            "ec2:CreateTags",
            "arn:aws:ec2:us-east-1:123456789012:vpc-flow-log/fl-old",
            {"ec2:CreateAction": "CreateVpc"},
        ),
        role_request("ec2:CreateTags", VPC, {"ec2:CreateAction": "CreateFlowLogs"}),
        role_request("ec2:DescribeFlowLogs", "*", {"ec2:Region": "eu-west-1"}),
        role_request("iam:PassRole", "arn:aws:iam::123456789012:role/admin", TO_FLOW_LOGS),
        role_request(
            "iam:PassRole",
            DELIVERY_ROLE_ARN,
            {"iam:PassedToService": "ec2.amazonaws.com"},
        ),
        role_request("logs:CreateLogGroup", "arn:aws:logs:us-east-1:123456789012:log-group:x"),
        role_request("s3:PutBucketPolicy", "arn:aws:s3:::flow-logs-bucket"),
    ],
    ids=[
        "vpc-in-another-region",
        "vpc-of-another-account",
        "delete-a-flow-log",
        "tag-other-than-on-create",
        "tag-a-vpc",
        "describe-another-region",
        "pass-another-role",
        "pass-the-role-to-another-service",
        "create-a-log-group",
        "rewrite-the-bucket-policy",
    ],
)
def test_with_both_destinations_the_role_may_do_nothing_else(request_: Request) -> None:
    assert not allows(request_, BOTH)


def test_without_s3_the_role_may_not_set_up_a_log_delivery_nor_without_cloudwatch_pass() -> None:
    cloudwatch = repair_policy(CONTEXT, delivery_role_arn=DELIVERY_ROLE_ARN)
    s3 = repair_policy(CONTEXT, to_s3=True)

    assert not allows(role_request("logs:CreateLogDelivery", "*"), cloudwatch)
    assert not allows(role_request("iam:PassRole", DELIVERY_ROLE_ARN, TO_FLOW_LOGS), s3)


def test_the_documents_follow_the_partition_region_and_account() -> None:
    role = "arn:aws-cn:iam::210987654321:role/delivery"
    statements = repair_policy(CHINA, delivery_role_arn=role)["Statement"]

    assert statements[0]["Resource"] == [
        "arn:aws-cn:ec2:cn-north-1:210987654321:vpc/*",
        "arn:aws-cn:ec2:cn-north-1:210987654321:vpc-flow-log/*",
    ]
    assert statements[1]["Resource"] == "arn:aws-cn:ec2:cn-north-1:210987654321:vpc-flow-log/*"
    assert statements[2]["Condition"] == {"StringEquals": {"ec2:Region": "cn-north-1"}}
    assert automation_trust_policy(CHINA)["Statement"][0]["Condition"] == {
        "StringEquals": {"aws:SourceAccount": "210987654321"},
        "ArnLike": {
            "aws:SourceArn": "arn:aws-cn:ssm:cn-north-1:210987654321:automation-execution/*"
        },
    }


def test_parliament_finds_only_that_passing_a_role_is_permissions_management() -> None:
    # Parliament reports every iam:PassRole as permissions management, even one scoped to one
    # role and one service. That finding, on that statement, is the only one allowed.
    for document in (repair_policy(CONTEXT, delivery_role_arn=DELIVERY_ROLE_ARN), BOTH):
        assert lint(document) == [
            ("PERMISSIONS_MANAGEMENT_ACTIONS", "", {"actions": ["iam:passrole"], "filepath": None})
        ]
    without_passrole = dict(BOTH, Statement=[s for s in BOTH["Statement"] if s != PASS_ROLE])
    assert lint(without_passrole) == []


def test_the_s3_policy_passes_parliament() -> None:
    assert lint(repair_policy(CONTEXT, to_s3=True)) == []


def test_the_lint_does_catch_an_unscoped_create_flow_logs() -> None:
    # Proves the lint above can fail: CreateFlowLogs on Resource "*", as AWS's samples have it.
    loose = repair_policy(CONTEXT, delivery_role_arn=DELIVERY_ROLE_ARN)
    loose["Statement"][0]["Resource"] = "*"

    assert [issue for issue, _, _ in lint(loose)] == [
        "PERMISSIONS_MANAGEMENT_ACTIONS",
        "RESOURCE_STAR",
    ]


@pytest.mark.parametrize("context", [CONTEXT, CHINA])
def test_documents_are_valid_json_for_aws(context: AwsContext) -> None:
    for document in (
        automation_trust_policy(context),
        repair_policy(context, delivery_role_arn=DELIVERY_ROLE_ARN, to_s3=True),
    ):
        assert json.loads(json.dumps(document)) == document
        assert document["Version"] == "2012-10-17"
