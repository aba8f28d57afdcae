"""The archive's bucket and key policies, evaluated as IAM does: who may, and who may not."""

from __future__ import annotations

import json

import pytest

from components.archive.documents import (
    BUCKET_POLICY_LIMIT,
    ArchiveLayout,
    ArchivePolicies,
    accounts_that_fit,
    archive_bucket_policy,
    policy_size,
)
from components.aws_context import AwsContext
from tests.support.iam_eval import Arn, Decision, Request, Service, decide
from tests.support.iam_lint import lint

ARCHIVE = "999999999999"
MEMBER = "111111111111"
OTHER_MEMBER = "222222222222"
UNLISTED = "333333333333"
CONTEXT = AwsContext(ARCHIVE, "us-east-1", "aws", "amazonaws.com")
BUCKET = "org-flow-logs"
DELIVERY = "delivery.logs.amazonaws.com"
ACL = {"s3:x-amz-acl": "bucket-owner-full-control"}


def policies(prefix: str = "", hive: bool = True, member_read: bool = True) -> ArchivePolicies:
    return ArchivePolicies((MEMBER, OTHER_MEMBER), prefix, hive, member_read)


def folder(account: str, prefix: str = "", hive: bool = True) -> str:
    """The folder AWS writes ``account``'s flow logs to (FACTS.md, "Object keys AWS writes")."""
    name = f"aws-account-id={account}" if hive else account
    return f"{prefix + '/' if prefix else ''}AWSLogs/{name}"


def delivery(account: str, key: str, *, source: str | None = None, acl: bool = True) -> Request:
    """The log-delivery service writing ``key`` for ``account`` (or claiming ``source``)."""
    source = source or account
    return Request(
        "s3:PutObject",
        f"arn:aws:s3:::{BUCKET}/{key}",
        Service(DELIVERY),
        {
            "aws:SourceAccount": source,
            "aws:SourceArn": f"arn:aws:logs:us-west-2:{source}:*",
            "aws:SecureTransport": "true",
            **(ACL if acl else {}),
        },
    )


def reader(account: str, action: str, resource: str, **context: str) -> Request:
    return Request(
        action,
        resource,
        Arn(f"arn:aws:iam::{account}:role/verifier"),
        {"aws:SecureTransport": "true", **context},
    )


@pytest.mark.parametrize(("prefix", "hive"), [("", True), ("", False), ("org/flow", True)])
@pytest.mark.parametrize("account", [MEMBER, OTHER_MEMBER, ARCHIVE])
def test_a_listed_account_delivers_into_its_own_folder(
    prefix: str, hive: bool, account: str
) -> None:
    policy = policies(prefix, hive).bucket_policy(CONTEXT, BUCKET)
    key = f"{folder(account, prefix, hive)}/vpcflowlogs/x.log.gz"
    tgw_key = f"{prefix + '/' if prefix else ''}transit-gateways/{folder(account, '', hive)}/x.gz"

    assert decide(delivery(account, key), policy) is Decision.ALLOW
    assert decide(delivery(account, tgw_key), policy) is Decision.ALLOW
    acl_check = Request(
        "s3:GetBucketAcl",
        f"arn:aws:s3:::{BUCKET}",
        Service(DELIVERY),
        {"aws:SourceAccount": account, "aws:SourceArn": f"arn:aws:logs:us-east-1:{account}:*"},
    )
    assert decide(acl_check, policy) is Decision.ALLOW


def test_an_unlisted_account_is_refused() -> None:
    policy = policies().bucket_policy(CONTEXT, BUCKET)
    key = f"{folder(UNLISTED)}/vpcflowlogs/x.log.gz"

    assert decide(delivery(UNLISTED, key), policy) is Decision.IMPLICIT_DENY


def test_a_listed_account_cannot_write_into_another_accounts_folder() -> None:
    policy = policies().bucket_policy(CONTEXT, BUCKET)
    neighbour = f"{folder(OTHER_MEMBER)}/vpcflowlogs/x.log.gz"

    assert decide(delivery(MEMBER, neighbour), policy) is Decision.IMPLICIT_DENY
    # Nor outside every account's folder.
    assert decide(delivery(MEMBER, "elsewhere/x.log.gz"), policy) is Decision.IMPLICIT_DENY


def test_a_source_arn_of_another_account_is_refused() -> None:
    policy = policies().bucket_policy(CONTEXT, BUCKET)
    request = delivery(MEMBER, f"{folder(MEMBER)}/x.gz")
    forged = Request(
        request.action,
        request.resource,
        request.principal,
        {**request.context, "aws:SourceArn": f"arn:aws:logs:us-east-1:{UNLISTED}:*"},
    )

    assert decide(forged, policy) is Decision.IMPLICIT_DENY


def test_a_write_without_the_owner_in_full_control_is_refused() -> None:
    policy = policies().bucket_policy(CONTEXT, BUCKET)

    assert decide(delivery(MEMBER, f"{folder(MEMBER)}/x.gz", acl=False), policy) is (
        Decision.IMPLICIT_DENY
    )


def test_a_principal_other_than_the_service_cannot_write() -> None:
    policy = policies().bucket_policy(CONTEXT, BUCKET)
    request = reader(MEMBER, "s3:PutObject", f"arn:aws:s3:::{BUCKET}/{folder(MEMBER)}/x.gz", **ACL)

    assert decide(request, policy) is Decision.IMPLICIT_DENY
    other_service = Request(
        "s3:PutObject",
        f"arn:aws:s3:::{BUCKET}/{folder(MEMBER)}/x.gz",
        Service("logging.s3.amazonaws.com"),
        {"aws:SourceAccount": MEMBER, "aws:SourceArn": f"arn:aws:logs:us-east-1:{MEMBER}:*", **ACL},
    )
    assert decide(other_service, policy) is Decision.IMPLICIT_DENY


@pytest.mark.parametrize("hive", [True, False])
def test_a_member_reads_and_lists_its_own_folder_and_no_other(hive: bool) -> None:
    policy = policies(hive=hive).bucket_policy(CONTEXT, BUCKET)
    own, other = folder(MEMBER, hive=hive), folder(OTHER_MEMBER, hive=hive)
    bucket = f"arn:aws:s3:::{BUCKET}"

    assert decide(reader(MEMBER, "s3:GetObject", f"{bucket}/{own}/v/x.gz"), policy) is (
        Decision.ALLOW
    )
    assert decide(
        reader(MEMBER, "s3:ListBucket", bucket, **{"s3:prefix": f"{own}/v/"}), policy
    ) is (Decision.ALLOW)
    assert decide(reader(MEMBER, "s3:GetObject", f"{bucket}/{other}/v/x.gz"), policy) is (
        Decision.IMPLICIT_DENY
    )
    for prefix in (f"{other}/", "AWSLogs/", ""):
        listing = reader(MEMBER, "s3:ListBucket", bucket, **{"s3:prefix": prefix})
        assert decide(listing, policy) is Decision.IMPLICIT_DENY, prefix
    assert decide(reader(UNLISTED, "s3:GetObject", f"{bucket}/{folder(UNLISTED)}/x"), policy) is (
        Decision.IMPLICIT_DENY
    )


def test_member_read_off_admits_no_reader() -> None:
    policy = policies(member_read=False).bucket_policy(CONTEXT, BUCKET)
    own = f"arn:aws:s3:::{BUCKET}/{folder(MEMBER)}/x.gz"

    assert decide(reader(MEMBER, "s3:GetObject", own), policy) is Decision.IMPLICIT_DENY


def test_every_request_without_tls_is_denied() -> None:
    policy = policies().bucket_policy(CONTEXT, BUCKET)
    request = delivery(MEMBER, f"{folder(MEMBER)}/x.gz")
    plain = Request(
        request.action,
        request.resource,
        request.principal,
        {**request.context, "aws:SecureTransport": "false"},
    )

    assert decide(plain, policy) is Decision.EXPLICIT_DENY


def key_request(principal: Service | Arn, action: str, **context: str) -> Request:
    return Request(action, "arn:aws:kms:us-east-1:999999999999:key/k", principal, context)


def test_the_key_admits_delivery_for_listed_accounts_only() -> None:
    key = policies().key_policy(CONTEXT)
    service = Service(DELIVERY)

    def source(account: str) -> dict[str, str]:
        return {
            "aws:SourceAccount": account,
            "aws:SourceArn": f"arn:aws:logs:eu-west-1:{account}:*",
        }

    for action in ("kms:GenerateDataKey", "kms:Encrypt", "kms:Decrypt", "kms:DescribeKey"):
        assert decide(key_request(service, action, **source(MEMBER)), key) is Decision.ALLOW
    assert decide(key_request(service, "kms:GenerateDataKey", **source(UNLISTED)), key) is (
        Decision.IMPLICIT_DENY
    )
    assert decide(key_request(service, "kms:ScheduleKeyDeletion", **source(MEMBER)), key) is (
        Decision.IMPLICIT_DENY
    )


def test_a_member_decrypts_through_s3_only_and_no_more() -> None:
    key = policies().key_policy(CONTEXT)
    member = Arn(f"arn:aws:iam::{MEMBER}:role/verifier")
    via_s3 = {"kms:ViaService": "s3.us-east-1.amazonaws.com"}

    assert decide(key_request(member, "kms:Decrypt", **via_s3), key) is Decision.ALLOW
    assert decide(key_request(member, "kms:Decrypt"), key) is Decision.IMPLICIT_DENY
    assert decide(key_request(member, "kms:GenerateDataKey", **via_s3), key) is (
        Decision.IMPLICIT_DENY
    )
    stranger = Arn(f"arn:aws:iam::{UNLISTED}:role/verifier")
    assert decide(key_request(stranger, "kms:Decrypt", **via_s3), key) is Decision.IMPLICIT_DENY
    off = policies(member_read=False).key_policy(CONTEXT)
    assert decide(key_request(member, "kms:Decrypt", **via_s3), off) is Decision.IMPLICIT_DENY


def test_the_archives_own_account_administers_the_key() -> None:
    key = policies().key_policy(CONTEXT)
    admin = Arn(f"arn:aws:iam::{ARCHIVE}:root")

    assert decide(key_request(admin, "kms:PutKeyPolicy"), key) is Decision.ALLOW


def test_each_account_adds_only_a_few_bytes() -> None:
    layout = ArchiveLayout("", True)
    sizes = [
        policy_size(
            archive_bucket_policy(
                "aws", "b" * 63, layout, [f"{n:012d}" for n in range(count)], member_read=True
            )
        )
        for count in (10, 11, 110)
    ]

    # An id in four lists: the two delivery statements' and the two read statements'.
    assert sizes[1] - sizes[0] == 4 * len('"000000000010", ')
    assert sizes[2] - sizes[1] == 99 * 4 * len('"000000000010", ')


@pytest.mark.parametrize(
    ("prefix", "hive", "member_read", "fit"),
    [("", True, True, 285), ("", False, True, 286), ("", True, False, 596)],
)
def test_how_many_accounts_fit_the_limit(
    prefix: str, hive: bool, member_read: bool, fit: int
) -> None:
    assert accounts_that_fit(prefix, hive, member_read) == fit

    def size(count: int) -> int:
        accounts = [f"{n:012d}" for n in range(count)]
        return policy_size(
            archive_bucket_policy(
                "aws-us-gov",
                "b" * 63,
                ArchiveLayout(prefix, hive),
                accounts,
                member_read=member_read,
            )
        )

    assert size(fit) <= BUCKET_POLICY_LIMIT < size(fit + 1)


def test_parliament_finds_nothing_in_the_bucket_policy() -> None:
    assert lint(policies().bucket_policy(CONTEXT, BUCKET)) == []
    assert lint(policies(prefix="org", hive=False).bucket_policy(CONTEXT, BUCKET)) == []


def test_key_policy_lint_finds_only_what_a_key_policy_means_by_design() -> None:
    # Parliament reads every document as an identity policy. In a key policy, Resource "*"
    # means "this key", and the account-root statement is AWS's default key policy.
    findings = lint(policies().key_policy(CONTEXT))

    assert sorted(issue for issue, _ in findings) == [
        "PERMISSIONS_MANAGEMENT_ACTIONS",
        "RESOURCE_STAR",
        "RESOURCE_STAR",
        "RESOURCE_STAR",
    ]
    assert ("RESOURCE_STAR", ["kms:Decrypt"]) in findings


def test_the_documents_are_plain_json() -> None:
    # What S3 and KMS receive: no Output, no tuple, nothing json cannot write.
    json.dumps(policies().bucket_policy(CONTEXT, BUCKET))
    json.dumps(policies().key_policy(CONTEXT))
