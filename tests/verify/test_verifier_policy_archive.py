"""The verifier's policy and the archive's bucket policy together, evaluated as IAM does for a
cross-account request: a member's verifier lists its own folder of the archive, and no other."""

from __future__ import annotations

import json

import pytest

from components.archive.documents import ArchivePolicies
from components.aws_context import AwsContext
from tests.support.iam_eval import Arn, Request, allows
from tests.support.program import PROJECT_DIR

VERIFIER = json.loads((PROJECT_DIR / "deploy" / "verifier-policy.json").read_text())
MEMBER, OTHER, ARCHIVE = "111111111111", "222222222222", "999999999999"
BUCKET = "vpc-flow-logs-s3-archive-999999999999-us-east-1"
ARCHIVE_POLICY = ArchivePolicies((MEMBER, OTHER), "", True).bucket_policy(
    AwsContext(ARCHIVE, "us-east-1", "aws", "amazonaws.com"), BUCKET
)


def listing(account: str, prefix: str, bucket_account: str = ARCHIVE) -> Request:
    """``account``'s verifier lists ``prefix`` of the archive's bucket, in ``bucket_account``."""
    return Request(
        "s3:ListBucket",
        f"arn:aws:s3:::{BUCKET}",
        Arn(f"arn:aws:iam::{account}:role/verifier"),
        {"s3:prefix": prefix, "aws:SecureTransport": "true", "aws:ResourceAccount": bucket_account},
    )


@pytest.mark.parametrize(
    "prefix",
    [
        f"AWSLogs/aws-account-id={MEMBER}/aws-service=vpcflowlogs/aws-region=us-east-1/",
        f"AWSLogs/{MEMBER}/vpcflowlogs/us-east-1/2026/12/07/",
        f"flow/AWSLogs/aws-account-id={MEMBER}/aws-service=vpcflowlogs/",
    ],
)
def test_the_verifier_lists_its_own_accounts_folder(prefix: str) -> None:
    assert allows(listing(MEMBER, prefix), VERIFIER)


@pytest.mark.parametrize(
    "prefix",
    [f"AWSLogs/aws-account-id={OTHER}/", f"AWSLogs/{OTHER}/vpcflowlogs/", "AWSLogs/", ""],
)
def test_the_verifier_lists_no_other_accounts_folder(prefix: str) -> None:
    assert not allows(listing(MEMBER, prefix), VERIFIER)


def test_a_member_verifier_lists_its_folder_of_the_archive_and_no_other() -> None:
    own = f"AWSLogs/aws-account-id={MEMBER}/aws-service=vpcflowlogs/"
    other = f"AWSLogs/aws-account-id={OTHER}/aws-service=vpcflowlogs/"

    # Cross-account: the caller's identity policy and the bucket's policy must both allow.
    assert allows(listing(MEMBER, own), VERIFIER)
    assert allows(listing(MEMBER, own), ARCHIVE_POLICY)
    assert not allows(listing(MEMBER, other), ARCHIVE_POLICY)
    assert not allows(listing(MEMBER, other), VERIFIER)


@pytest.mark.parametrize("account", [MEMBER, OTHER])
def test_the_archives_verifier_lists_every_accounts_folder_of_its_own_bucket(account: str) -> None:
    prefix = f"AWSLogs/aws-account-id={account}/aws-service=vpcflowlogs/"

    assert allows(listing(ARCHIVE, prefix, bucket_account=ARCHIVE), VERIFIER)


def test_outside_its_own_account_the_verifier_lists_only_its_own_folder() -> None:
    prefix = f"AWSLogs/aws-account-id={OTHER}/"

    assert not allows(listing(MEMBER, prefix, bucket_account=ARCHIVE), VERIFIER)
    assert not allows(listing(MEMBER, "AWSLogs/", bucket_account=ARCHIVE), VERIFIER)
