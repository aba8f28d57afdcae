"""The shared statement helpers write what AWS documents, and refuse an ambiguous merge."""

from __future__ import annotations

import pytest

from components.statements import (
    account_principals,
    arn_principals,
    merge_conditions,
    policy_document,
    service_principal,
    source_conditions,
    statement,
)
from tests.support.iam_eval import Request, Service, allows


def test_a_statement_collapses_single_values_and_leaves_out_empty_conditions() -> None:
    assert statement("Read", ["s3:GetObject"], "arn:aws:s3:::b/*") == {
        "Sid": "Read",
        "Effect": "Allow",
        "Action": "s3:GetObject",
        "Resource": "arn:aws:s3:::b/*",
    }
    assert statement(
        "Deny",
        ["s3:PutObject", "s3:DeleteObject"],
        ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
        principal="*",
        effect="Deny",
        conditions={"Bool": {"aws:SecureTransport": "false"}},
    ) == {
        "Sid": "Deny",
        "Effect": "Deny",
        "Principal": "*",
        "Action": ["s3:PutObject", "s3:DeleteObject"],
        "Resource": ["arn:aws:s3:::b", "arn:aws:s3:::b/*"],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def test_principals() -> None:
    assert service_principal("delivery.logs.amazonaws.com") == {
        "Service": "delivery.logs.amazonaws.com"
    }
    assert account_principals("aws-us-gov", ["222222222222", "111111111111"]) == {
        "AWS": ["arn:aws-us-gov:iam::111111111111:root", "arn:aws-us-gov:iam::222222222222:root"]
    }
    assert arn_principals(["arn:aws:iam::111111111111:role/r"]) == {
        "AWS": "arn:aws:iam::111111111111:role/r"
    }


def test_source_conditions_admit_only_the_named_sources() -> None:
    conditions = source_conditions(
        ["333333333333", "111111111111"], "arn:aws:logs:*:${aws:SourceAccount}:*"
    )
    assert conditions == {
        "StringEquals": {"aws:SourceAccount": ["111111111111", "333333333333"]},
        "ArnLike": {"aws:SourceArn": "arn:aws:logs:*:${aws:SourceAccount}:*"},
    }
    document = policy_document(
        statement(
            "Write",
            "s3:PutObject",
            "arn:aws:s3:::b/*",
            principal=service_principal("delivery.logs.amazonaws.com"),
            conditions=conditions,
        )
    )

    def request(account: str, arn_account: str) -> Request:
        return Request(
            "s3:PutObject",
            "arn:aws:s3:::b/k",
            Service("delivery.logs.amazonaws.com"),
            {
                "aws:SourceAccount": account,
                "aws:SourceArn": f"arn:aws:logs:us-east-1:{arn_account}:*",
            },
        )

    assert allows(request("111111111111", "111111111111"), document)
    assert not allows(request("222222222222", "222222222222"), document)
    assert not allows(request("111111111111", "333333333333"), document)


def test_merged_conditions_keep_every_key_and_refuse_a_key_twice() -> None:
    assert merge_conditions(
        {"StringEquals": {"aws:SourceAccount": "1"}},
        None,
        {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}, "ArnLike": {"a": "b"}},
    ) == {
        "StringEquals": {"aws:SourceAccount": "1", "s3:x-amz-acl": "bucket-owner-full-control"},
        "ArnLike": {"a": "b"},
    }
    with pytest.raises(ValueError, match="condition StringEquals aws:SourceAccount is given twice"):
        merge_conditions(
            {"StringEquals": {"aws:SourceAccount": "1"}},
            {"StringEquals": {"aws:SourceAccount": "2"}},
        )
