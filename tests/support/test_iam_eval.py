"""The evaluator itself, held to the examples of IAM's documentation: if it judged wrongly, every
test that evaluates a document with it would prove nothing."""

from __future__ import annotations

from typing import Any

import pytest

from tests.support.iam_eval import Arn, Decision, Request, Service, allows, decide

BUCKET = "arn:aws:s3:::archive"
DELIVERY = Service("delivery.logs.amazonaws.com")
ROLE_111 = Arn("arn:aws:iam::111111111111:role/reader")
ROLE_222 = Arn("arn:aws:iam::222222222222:role/reader")


def document(*statements: dict[str, Any]) -> dict[str, Any]:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def put(resource: str, **context: str | list[str]) -> Request:
    return Request("s3:PutObject", resource, DELIVERY, context)


DELIVERY_WRITE = {
    "Effect": "Allow",
    "Principal": {"Service": "delivery.logs.amazonaws.com"},
    "Action": "s3:PutObject",
    "Resource": f"{BUCKET}/AWSLogs/${{aws:SourceAccount}}/*",
    "Condition": {
        "StringEquals": {
            "aws:SourceAccount": ["111111111111", "333333333333"],
            "s3:x-amz-acl": "bucket-owner-full-control",
        },
        "ArnLike": {"aws:SourceArn": "arn:aws:logs:*:${aws:SourceAccount}:*"},
    },
}
ACL = {"s3:x-amz-acl": "bucket-owner-full-control"}


def delivery_from(account: str, folder: str, source_arn_account: str | None = None) -> Request:
    return put(
        f"{BUCKET}/AWSLogs/{folder}/vpcflowlogs/us-east-1/x.log.gz",
        **{
            **ACL,
            "aws:SourceAccount": account,
            "aws:SourceArn": f"arn:aws:logs:us-east-1:{source_arn_account or account}:*",
        },
    )


@pytest.mark.parametrize(
    ("request_", "allowed"),
    [
        (delivery_from("111111111111", "111111111111"), True),
        (delivery_from("333333333333", "333333333333"), True),
        # Not a listed account.
        (delivery_from("222222222222", "222222222222"), False),
        # A listed account writing into another's folder: the variable resolves to its own.
        (delivery_from("111111111111", "333333333333"), False),
        # A source ARN of another account than the source account.
        (delivery_from("111111111111", "111111111111", "222222222222"), False),
        # No aws:SourceAccount: the variable cannot be resolved, nor the condition met.
        (put(f"{BUCKET}/AWSLogs/111111111111/x", **ACL), False),
    ],
)
def test_policy_variables_and_multivalued_conditions(request_: Request, allowed: bool) -> None:
    assert allows(request_, document(DELIVERY_WRITE)) is allowed


def test_every_condition_key_must_hold() -> None:
    without_acl = put(
        f"{BUCKET}/AWSLogs/111111111111/x",
        **{
            "aws:SourceAccount": "111111111111",
            "aws:SourceArn": "arn:aws:logs:us-east-1:111111111111:*",
        },
    )
    assert not allows(without_acl, document(DELIVERY_WRITE))


def test_an_explicit_deny_wins_and_no_allow_is_an_implicit_deny() -> None:
    deny_http = {
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [BUCKET, f"{BUCKET}/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }
    request = delivery_from("111111111111", "111111111111")
    over_http = Request(
        request.action,
        request.resource,
        request.principal,
        {**request.context, "aws:SecureTransport": "false"},
    )
    assert decide(over_http, document(DELIVERY_WRITE, deny_http)) is Decision.EXPLICIT_DENY
    assert decide(request, document(DELIVERY_WRITE, deny_http)) is Decision.ALLOW
    other_action = Request("s3:DeleteObject", request.resource, DELIVERY, request.context)
    assert decide(other_action, document(DELIVERY_WRITE)) is Decision.IMPLICIT_DENY


def test_principals_accounts_stand_for_their_principals_and_services_are_apart() -> None:
    read = {
        "Effect": "Allow",
        "Principal": {"AWS": "arn:aws:iam::111111111111:root"},
        "Action": "s3:GetObject",
        "Resource": f"{BUCKET}/*",
    }
    assert allows(Request("s3:GetObject", f"{BUCKET}/k", ROLE_111), document(read))
    assert not allows(Request("s3:GetObject", f"{BUCKET}/k", ROLE_222), document(read))
    assert not allows(Request("s3:GetObject", f"{BUCKET}/k", DELIVERY), document(read))
    by_id = {**read, "Principal": {"AWS": ["222222222222"]}}
    assert allows(Request("s3:GetObject", f"{BUCKET}/k", ROLE_222), document(by_id))


def test_actions_match_without_case_and_with_wildcards() -> None:
    stmt = {"Effect": "Allow", "Action": "kms:GenerateDataKey*", "Resource": "*"}
    assert allows(Request("KMS:generatedatakeywithoutplaintext", "k", ROLE_111), document(stmt))
    assert not allows(Request("kms:Decrypt", "k", ROLE_111), document(stmt))


def test_arn_like_matches_component_by_component() -> None:
    stmt = {
        "Effect": "Allow",
        "Action": "logs:PutLogEvents",
        "Resource": "arn:aws:logs:*:111111111111:log-group:/aws/vpc/*",
    }
    assert allows(
        Request(
            "logs:PutLogEvents",
            "arn:aws:logs:eu-west-1:111111111111:log-group:/aws/vpc/flowlogs:*",
            ROLE_111,
        ),
        document(stmt),
    )
    # The region's wildcard does not reach into the account component.
    assert not allows(
        Request(
            "logs:PutLogEvents",
            "arn:aws:logs:eu-west-1:222222222222:log-group:/aws/vpc/flowlogs",
            ROLE_111,
        ),
        document(stmt),
    )


@pytest.mark.parametrize(
    ("operator", "context", "holds"),
    [
        ("StringEquals", {}, False),
        ("StringNotEquals", {}, True),
        ("StringEqualsIfExists", {}, True),
        ("StringEqualsIfExists", {"s3:prefix": "other"}, False),
        ("ForAnyValue:StringEquals", {}, False),
        ("ForAllValues:StringEquals", {}, True),
        ("ForAllValues:StringEquals", {"s3:prefix": ["a", "b"]}, True),
        ("ForAllValues:StringEquals", {"s3:prefix": ["a", "c"]}, False),
        ("ForAnyValue:StringEquals", {"s3:prefix": ["c", "b"]}, True),
        ("StringNotEquals", {"s3:prefix": "c"}, True),
        ("StringNotEquals", {"s3:prefix": "a"}, False),
    ],
)
def test_missing_keys_and_set_operators(
    operator: str, context: dict[str, str | list[str]], holds: bool
) -> None:
    stmt = {
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": BUCKET,
        "Condition": {operator: {"s3:prefix": ["a", "b"]}},
    }
    assert allows(Request("s3:ListBucket", BUCKET, ROLE_111, context), document(stmt)) is holds


@pytest.mark.parametrize(("present", "expected"), [(True, False), (False, True)])
def test_null(present: bool, expected: bool) -> None:
    stmt = {
        "Effect": "Allow",
        "Action": "s3:ListBucket",
        "Resource": BUCKET,
        "Condition": {"Null": {"s3:prefix": "true"}},
    }
    context = {"s3:prefix": "x"} if present else {}
    assert allows(Request("s3:ListBucket", BUCKET, ROLE_111, context), document(stmt)) is expected


def test_not_elements_match_everything_else() -> None:
    stmt = {
        "Effect": "Deny",
        "NotPrincipal": {"Service": "delivery.logs.amazonaws.com"},
        "NotAction": "s3:GetObject",
        "NotResource": f"{BUCKET}/public/*",
    }
    allow_all = {"Effect": "Allow", "Principal": "*", "Action": "s3:*", "Resource": "*"}
    denied = Request("s3:PutObject", f"{BUCKET}/k", ROLE_111)
    assert decide(denied, document(stmt, allow_all)) is Decision.EXPLICIT_DENY
    assert allows(Request("s3:GetObject", f"{BUCKET}/k", ROLE_111), document(stmt, allow_all))
    assert allows(
        Request("s3:PutObject", f"{BUCKET}/public/k", ROLE_111), document(stmt, allow_all)
    )
    assert allows(Request("s3:PutObject", f"{BUCKET}/k", DELIVERY), document(stmt, allow_all))


def test_a_trust_policy_has_no_resource() -> None:
    trust = {
        "Effect": "Allow",
        "Principal": {"Service": "vpc-flow-logs.amazonaws.com"},
        "Action": "sts:AssumeRole",
        "Condition": {"StringEquals": {"aws:SourceAccount": "111111111111"}},
    }
    assume = Request(
        "sts:AssumeRole",
        "arn:aws:iam::111111111111:role/r",
        Service("vpc-flow-logs.amazonaws.com"),
        {"aws:SourceAccount": "111111111111"},
    )
    assert allows(assume, document(trust))
    confused = Request(assume.action, assume.resource, assume.principal, {})
    assert not allows(confused, document(trust))


def test_an_unknown_effect_is_refused() -> None:
    with pytest.raises(ValueError, match="Effect must be Allow or Deny"):
        decide(Request("s3:GetObject", BUCKET, ROLE_111), document({"Effect": "allow"}))
