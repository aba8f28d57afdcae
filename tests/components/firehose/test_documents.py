"""The cross-account roles' documents, tested as IAM decides (who may, who may not, both sides of
each cross-account request), statement by statement against AWS's documented policies, and by
parliament."""

from __future__ import annotations

from typing import Any

import pytest

from components.aws_context import AwsContext
from components.firehose.documents import (
    destination_role_policy,
    destination_role_trust_policy,
    source_role_policy,
    source_role_trust_policy,
)
from tests.support.iam_eval import Arn, Request, Service, allows
from tests.support.iam_lint import lint

SOURCE = AwsContext("111111111111", "us-east-1", "aws", "amazonaws.com")
DESTINATION = AwsContext("222222222222", "us-east-1", "aws", "amazonaws.com")
SOURCE_ROLE = "arn:aws:iam::111111111111:role/vpc-flow-logs-firehose/vpc-flow-logs-source-1"
DESTINATION_ROLE = (
    "arn:aws:iam::222222222222:role/AWSLogDeliveryFirehoseCrossAccountRole-vpc-flow-logs"
)
STREAM = "arn:aws:firehose:us-east-1:222222222222:deliverystream/siem"
DELIVERY = Service("delivery.logs.amazonaws.com")
REGIONS = ["us-east-1", "us-west-2"]

SOURCE_TRUST = source_role_trust_policy(SOURCE, REGIONS)
SOURCE_POLICY = source_role_policy(SOURCE, SOURCE_ROLE, DESTINATION_ROLE, REGIONS)
DESTINATION_TRUST = destination_role_trust_policy(DESTINATION, ["111111111111", "333333333333"])
DESTINATION_POLICY = destination_role_policy(DESTINATION)

# AWS's documented policies, transcribed from the VPC user guide, "IAM roles for cross account
# delivery" (vpc/latest/userguide/firehose-cross-account-delivery.html), with its placeholders.
AWS_SOURCE_POLICY: list[dict[str, Any]] = [
    {
        "Action": "iam:PassRole",
        "Resource": "arn:aws:iam::source-account:role/mySourceRole",
        "Condition": {
            "StringEquals": {"iam:PassedToService": "delivery.logs.amazonaws.com"},
            "StringLike": {
                "iam:AssociatedResourceARN": ["arn:aws:ec2:region:source-account:vpc/*"]
            },
        },
    },
    {
        "Action": [
            "logs:CreateLogDelivery",
            "logs:DeleteLogDelivery",
            "logs:ListLogDeliveries",
            "logs:GetLogDelivery",
        ],
        "Resource": "*",
    },
    {
        "Action": "sts:AssumeRole",
        "Resource": "arn:aws:iam::destination-account:role/AWSLogDeliveryFirehoseCrossAccountRole",
    },
]
AWS_SOURCE_TRUST = {
    "Principal": {"Service": "delivery.logs.amazonaws.com"},
    "Action": "sts:AssumeRole",
}
AWS_DESTINATION_POLICY = [
    {"Action": ["iam:CreateServiceLinkedRole", "firehose:TagDeliveryStream"], "Resource": "*"}
]
AWS_DESTINATION_TRUST = {
    "Principal": {"AWS": "arn:aws:iam::source-account:role/mySourceRole"},
    "Action": "sts:AssumeRole",
}


def _actions(statement: dict[str, Any]) -> set[str]:
    actions = statement["Action"]
    return {actions} if isinstance(actions, str) else set(actions)


def _conditions(statement: dict[str, Any]) -> set[str]:
    return {key for keys in statement.get("Condition", {}).values() for key in keys}


def _delivery(account: str, source_arn: str) -> dict[str, str]:
    return {"aws:SourceAccount": account, "aws:SourceArn": source_arn}


@pytest.mark.parametrize(
    ("principal", "context", "allowed"),
    [
        (DELIVERY, _delivery("111111111111", "arn:aws:logs:us-east-1:111111111111:x"), True),
        (DELIVERY, _delivery("111111111111", "arn:aws:logs:us-west-2:111111111111:x"), True),
        # Another account's deliveries: the confused deputy.
        (DELIVERY, _delivery("999999999999", "arn:aws:logs:us-east-1:999999999999:x"), False),
        (DELIVERY, _delivery("111111111111", "arn:aws:logs:us-east-1:999999999999:x"), False),
        # A region the stack keys no stream in.
        (DELIVERY, _delivery("111111111111", "arn:aws:logs:eu-west-1:111111111111:x"), False),
        (DELIVERY, {}, False),
        (
            Service("vpc-flow-logs.amazonaws.com"),
            _delivery("111111111111", "arn:aws:logs:us-east-1:111111111111:x"),
            False,
        ),
        (Arn("arn:aws:iam::111111111111:role/admin"), {}, False),
    ],
)
def test_only_log_delivery_for_this_account_may_assume_the_source_role(
    principal: Service | Arn, context: dict[str, str], allowed: bool
) -> None:
    request = Request("sts:AssumeRole", SOURCE_ROLE, principal, context)

    assert allows(request, SOURCE_TRUST) is allowed


def _passing(role: str, service: str, resource: str) -> Request:
    context = {"iam:PassedToService": service, "iam:AssociatedResourceARN": resource}
    return Request("iam:PassRole", role, Arn(SOURCE_ROLE), context)


VPC = "arn:aws:ec2:us-east-1:111111111111:vpc/vpc-0a1b2c3d"


@pytest.mark.parametrize(
    ("request_", "allowed"),
    [
        (_passing(SOURCE_ROLE, "delivery.logs.amazonaws.com", VPC), True),
        (
            _passing(
                SOURCE_ROLE, "delivery.logs.amazonaws.com", VPC.replace("us-east-1", "us-west-2")
            ),
            True,
        ),
        (
            _passing("arn:aws:iam::111111111111:role/admin", "delivery.logs.amazonaws.com", VPC),
            False,
        ),
        (_passing(SOURCE_ROLE, "ec2.amazonaws.com", VPC), False),
        (
            _passing(
                SOURCE_ROLE,
                "delivery.logs.amazonaws.com",
                VPC.replace("111111111111", "999999999999"),
            ),
            False,
        ),
        (
            _passing(
                SOURCE_ROLE, "delivery.logs.amazonaws.com", VPC.replace("us-east-1", "eu-west-1")
            ),
            False,
        ),
        (Request("logs:CreateLogDelivery", "*", Arn(SOURCE_ROLE)), True),
        (Request("logs:GetLogDelivery", "*", Arn(SOURCE_ROLE)), True),
        (Request("logs:PutLogEvents", "*", Arn(SOURCE_ROLE)), False),
        (Request("sts:AssumeRole", DESTINATION_ROLE, Arn(SOURCE_ROLE)), True),
        (
            Request("sts:AssumeRole", "arn:aws:iam::222222222222:role/admin", Arn(SOURCE_ROLE)),
            False,
        ),
        (Request("firehose:PutRecordBatch", STREAM, Arn(SOURCE_ROLE)), False),
    ],
)
def test_the_source_role_passes_itself_manages_deliveries_and_assumes_one_role(
    request_: Request, allowed: bool
) -> None:
    assert allows(request_, SOURCE_POLICY) is allowed


@pytest.mark.parametrize(
    ("caller", "allowed"),
    [
        (SOURCE_ROLE, True),
        ("arn:aws:iam::333333333333:role/vpc-flow-logs-firehose/vpc-flow-logs-source-9", True),
        # A listed account's other roles, and any role of an unlisted account.
        ("arn:aws:iam::111111111111:role/admin", False),
        ("arn:aws:iam::111111111111:user/deployer", False),
        ("arn:aws:iam::999999999999:role/vpc-flow-logs-firehose/vpc-flow-logs-source-1", False),
    ],
)
def test_only_the_listed_accounts_source_roles_may_assume_the_destination_role(
    caller: str, allowed: bool
) -> None:
    request = Request("sts:AssumeRole", DESTINATION_ROLE, Arn(caller))

    assert allows(request, DESTINATION_TRUST) is allowed


def test_the_cross_account_assume_is_allowed_on_both_sides_and_by_nothing_else() -> None:
    request = Request("sts:AssumeRole", DESTINATION_ROLE, Arn(SOURCE_ROLE))
    unlisted = source_role_policy(
        AwsContext("999999999999", "us-east-1", "aws", "amazonaws.com"),
        SOURCE_ROLE.replace("111111111111", "999999999999"),
        DESTINATION_ROLE,
        REGIONS,
    )
    from_unlisted = Request(
        "sts:AssumeRole", DESTINATION_ROLE, Arn(SOURCE_ROLE.replace("111111111111", "999999999999"))
    )

    # IAM asks both: the caller's identity policy and the role's trust policy.
    assert allows(request, SOURCE_POLICY) and allows(request, DESTINATION_TRUST)
    assert allows(from_unlisted, unlisted) and not allows(from_unlisted, DESTINATION_TRUST)
    principals = [s["Principal"] for s in DESTINATION_TRUST["Statement"]]
    assert principals == [
        {"AWS": ["arn:aws:iam::111111111111:root", "arn:aws:iam::333333333333:root"]}
    ]


@pytest.mark.parametrize(
    ("request_", "allowed"),
    [
        (
            Request(
                "iam:CreateServiceLinkedRole",
                "arn:aws:iam::222222222222:role/aws-service-role/delivery.logs.amazonaws.com/"
                "AWSServiceRoleForLogDelivery",
                Arn(DESTINATION_ROLE),
                {"iam:AWSServiceName": "delivery.logs.amazonaws.com"},
            ),
            True,
        ),
        (
            Request(
                "iam:CreateServiceLinkedRole",
                "arn:aws:iam::222222222222:role/aws-service-role/ec2.amazonaws.com/X",
                Arn(DESTINATION_ROLE),
                {"iam:AWSServiceName": "ec2.amazonaws.com"},
            ),
            False,
        ),
        (Request("firehose:TagDeliveryStream", STREAM, Arn(DESTINATION_ROLE)), True),
        (
            Request(
                "firehose:TagDeliveryStream",
                STREAM.replace("222222222222", "999999999999"),
                Arn(DESTINATION_ROLE),
            ),
            False,
        ),
        (Request("firehose:PutRecord", STREAM, Arn(DESTINATION_ROLE)), False),
        (Request("iam:CreateRole", "*", Arn(DESTINATION_ROLE)), False),
    ],
)
def test_the_destination_role_creates_the_log_delivery_role_and_tags_streams_only(
    request_: Request, allowed: bool
) -> None:
    assert allows(request_, DESTINATION_POLICY) is allowed


def test_the_source_role_matches_aws_statement_by_statement() -> None:
    ours = SOURCE_POLICY["Statement"]

    assert [_actions(s) for s in ours] == [_actions(s) for s in AWS_SOURCE_POLICY]
    assert [s["Resource"] for s in ours] == [SOURCE_ROLE, "*", DESTINATION_ROLE]
    for statement, documented in zip(ours, AWS_SOURCE_POLICY, strict=True):
        assert statement["Effect"] == "Allow"
        assert _conditions(statement) == _conditions(documented)
    (trust,) = SOURCE_TRUST["Statement"]
    assert (trust["Principal"], trust["Action"]) == (
        AWS_SOURCE_TRUST["Principal"],
        AWS_SOURCE_TRUST["Action"],
    )
    # Beyond AWS's sample: the confused-deputy conditions the project puts on every service.
    assert _conditions(trust) == {"aws:SourceAccount", "aws:SourceArn"}
    assert "Resource" not in trust


def test_the_destination_role_matches_aws_statement_by_statement() -> None:
    ours = DESTINATION_POLICY["Statement"]

    # AWS's one statement on "*", split so that each action is scoped to what it acts on.
    assert set().union(*(_actions(s) for s in ours)) == _actions(AWS_DESTINATION_POLICY[0])
    assert all(s["Resource"] != "*" for s in ours)
    assert _conditions(ours[0]) == {"iam:AWSServiceName"}
    (trust,) = DESTINATION_TRUST["Statement"]
    assert trust["Action"] == AWS_DESTINATION_TRUST["Action"]
    # AWS names the source role; its name is the source stack's, so the role's path stands in.
    assert trust["Condition"] == {
        "ArnLike": {
            "aws:PrincipalArn": [
                "arn:aws:iam::111111111111:role/vpc-flow-logs-firehose/*",
                "arn:aws:iam::333333333333:role/vpc-flow-logs-firehose/*",
            ]
        }
    }
    assert "Resource" not in trust


def test_parliament_finds_only_what_aws_documented_actions_are() -> None:
    # Parliament reports every iam:PassRole and iam:CreateServiceLinkedRole as permissions
    # management, and every sts:AssumeRole as credentials exposure, however scoped: AWS's roles
    # need them. Nothing else is found.
    assert [issue for issue, _ in lint(SOURCE_POLICY)] == [
        "CREDENTIALS_EXPOSURE",
        "PERMISSIONS_MANAGEMENT_ACTIONS",
    ]
    assert [issue for issue, _ in lint(DESTINATION_POLICY)] == ["PERMISSIONS_MANAGEMENT_ACTIONS"]
    without = dict(SOURCE_POLICY, Statement=[SOURCE_POLICY["Statement"][1]])
    assert lint(without) == []


def test_the_lint_does_catch_a_source_role_grant_on_star() -> None:
    loose = source_role_policy(SOURCE, SOURCE_ROLE, DESTINATION_ROLE, REGIONS)
    loose["Statement"][2]["Resource"] = "*"

    assert "RESOURCE_STAR" in [issue for issue, _ in lint(loose)]
