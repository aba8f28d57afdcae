"""The archive's documents: the statements of its bucket and key policies that admit the listed
accounts, and how many accounts fit S3's bucket-policy limit.

One statement per purpose, not one per account. IAM's global condition keys work as policy
variables (``${aws:SourceAccount}`` for the log-delivery service, ``${aws:PrincipalAccount}`` for
a member's own principals), so each statement names every account's folder at once, and each
account adds its id to a few lists and nothing more.

Members' principals are named as ``*`` with ``aws:PrincipalAccount`` equal to a listed account,
not by their root ARNs: S3 and KMS refuse a policy naming an account root that does not exist
yet, and the condition costs an id per account where an ARN costs twice that.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass

from components.aws_context import AwsContext, PolicyDocument, account_administration_statement
from components.statements import (
    Statement,
    merge_conditions,
    policy_document,
    service_principal,
    source_conditions,
    statement,
)
from components.storage.documents import (
    LOG_DELIVERY_SERVICE,
    bucket_arn,
    deny_insecure_transport_statement,
)
from components.storage.layout import logs_key_prefix, transit_gateway_prefix

BUCKET_POLICY_LIMIT = 20 * 1024
"""S3's limit on a bucket policy's size, in bytes."""
LONGEST_BUCKET_NAME = "b" * 63
"""A bucket name of S3's greatest length: the worst case for a policy's size."""
SOURCE_ACCOUNT = "${aws:SourceAccount}"
PRINCIPAL_ACCOUNT = "${aws:PrincipalAccount}"
KEY_DELIVERY_ACTIONS = (
    "kms:Encrypt",
    "kms:Decrypt",
    "kms:ReEncrypt*",
    "kms:GenerateDataKey*",
    "kms:DescribeKey",
)
"""What S3 delivery with SSE-KMS needs of the key (AWS's vended-logs guide)."""


@dataclass(frozen=True)
class ArchiveLayout:
    """Where the archive keeps every account's flow logs, as its members write them."""

    prefix: str
    """The folder inside the bucket, or ``""``."""
    hive_partitions: bool
    """Whether account folders are ``aws-account-id=<account>`` (Hive) or ``<account>``."""

    def account_folders(self, account: str) -> list[str]:
        """The key folders of ``account`` (an id or a policy variable), without the bucket:
        its VPC records' and its transit gateways' (``<prefix>/transit-gateways/...``)."""
        name = f"aws-account-id={account}" if self.hive_partitions else account
        return [
            f"{logs_key_prefix(prefix)}{name}/"
            for prefix in (self.prefix, transit_gateway_prefix(self.prefix))
        ]


def delivery_conditions(partition: str, accounts: Sequence[str]) -> dict[str, dict[str, object]]:
    """``aws:SourceAccount`` among ``accounts``, and ``aws:SourceArn`` a log-delivery ARN of that
    same account, in any region (the variable keeps the list from growing twice)."""
    return source_conditions(accounts, f"arn:{partition}:logs:*:{SOURCE_ACCOUNT}:*")


def archive_delivery_statements(
    partition: str, bucket: str, layout: ArchiveLayout, accounts: Sequence[str]
) -> list[Statement]:
    """What ``delivery.logs.amazonaws.com`` needs to write each listed account's flow logs into
    that account's own folders, and nowhere else: ``s3:PutObject`` there with the bucket owner
    in full control, and ``s3:GetBucketAcl`` and ``s3:ListBucket`` on the bucket (AWS's
    documented form), all for the listed accounts only."""
    arn = bucket_arn(partition, bucket)
    conditions = delivery_conditions(partition, accounts)
    return [
        statement(
            "AWSLogDeliveryWrite",
            "s3:PutObject",
            [f"{arn}/{folder}*" for folder in layout.account_folders(SOURCE_ACCOUNT)],
            principal=service_principal(LOG_DELIVERY_SERVICE),
            conditions=merge_conditions(
                {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}}, conditions
            ),
        ),
        statement(
            "AWSLogDeliveryAclCheck",
            ["s3:GetBucketAcl", "s3:ListBucket"],
            arn,
            principal=service_principal(LOG_DELIVERY_SERVICE),
            conditions=conditions,
        ),
    ]


def member_read_statements(
    partition: str, bucket: str, layout: ArchiveLayout, accounts: Sequence[str]
) -> list[Statement]:
    """Each listed account may read its own folders and no other's: ``s3:GetObject`` under them,
    and ``s3:ListBucket`` with an ``s3:prefix`` inside them. Its own IAM policies still decide
    which of its principals may (the verifier's role)."""
    arn = bucket_arn(partition, bucket)
    folders = layout.account_folders(PRINCIPAL_ACCOUNT)
    member = {"StringEquals": {"aws:PrincipalAccount": sorted(accounts)}}
    return [
        statement(
            "MemberReadOwnFolder",
            "s3:GetObject",
            [f"{arn}/{folder}*" for folder in folders],
            principal="*",
            conditions=member,
        ),
        statement(
            "MemberListOwnFolder",
            "s3:ListBucket",
            arn,
            principal="*",
            conditions=merge_conditions(
                member, {"StringLike": {"s3:prefix": [f"{folder}*" for folder in folders]}}
            ),
        ),
    ]


def archive_bucket_policy(
    partition: str,
    bucket: str,
    layout: ArchiveLayout,
    accounts: Sequence[str],
    *,
    member_read: bool,
) -> PolicyDocument:
    """The archive bucket's policy: delivery for every listed account into its own folders,
    each member's read of its own (unless ``member_read`` is off), and TLS only."""
    return policy_document(
        *archive_delivery_statements(partition, bucket, layout, accounts),
        *(member_read_statements(partition, bucket, layout, accounts) if member_read else []),
        deny_insecure_transport_statement(partition, bucket),
    )


def archive_key_statements(
    context: AwsContext, accounts: Sequence[str], *, member_read: bool
) -> list[Statement]:
    """The archive key's statements beside account administration: the log-delivery service
    encrypts for the listed accounts (the same two conditions as the bucket's), and, with
    ``member_read``, a listed account's principals decrypt through S3 in the key's region.

    With an S3 Bucket Key the encryption context is the bucket's ARN, not the object's, so the
    key cannot tell one folder from another: the bucket policy keeps each member to its own.
    """
    statements = [
        statement(
            "AllowArchiveDeliveryToS3",
            list(KEY_DELIVERY_ACTIONS),
            "*",
            principal=service_principal(LOG_DELIVERY_SERVICE),
            conditions=delivery_conditions(context.partition, accounts),
        )
    ]
    if member_read:
        statements.append(
            statement(
                "AllowMembersToDecryptThroughS3",
                "kms:Decrypt",
                "*",
                principal="*",
                conditions={
                    "StringEquals": {
                        "aws:PrincipalAccount": sorted(accounts),
                        "kms:ViaService": f"s3.{context.region}.{context.dns_suffix}",
                    }
                },
            )
        )
    return statements


def policy_size(document: PolicyDocument) -> int:
    """A document's size in bytes as the stack sends it (``json.dumps``'s default spacing)."""
    return len(json.dumps(document).encode())


def accounts_that_fit(prefix: str, hive_partitions: bool, member_read: bool = True) -> int:
    """How many accounts the archive's bucket policy can admit within S3's 20 KB, for the
    longest bucket name and this layout. Each account adds the same few bytes, so two sizes
    give the rest."""

    def size(count: int) -> int:
        accounts = [f"{n:012d}" for n in range(count)]
        layout = ArchiveLayout(prefix, hive_partitions)
        return policy_size(
            archive_bucket_policy(
                "aws-us-gov", LONGEST_BUCKET_NAME, layout, accounts, member_read=member_read
            )
        )

    base, per_account = size(2), size(3) - size(2)
    return 2 + (BUCKET_POLICY_LIMIT - base) // per_account


@dataclass(frozen=True)
class ArchivePolicies:
    """The archive bucket's and key's policies for the listed accounts: what ``S3FlowLogs``
    writes instead of its single-account ones when its bucket is the organisation's archive."""

    accounts: tuple[str, ...]
    """The listed member accounts; the bucket's own account is added to them."""
    prefix: str
    hive_partitions: bool
    member_read: bool = True

    def admitted(self, own_account: str) -> tuple[str, ...]:
        """Every account the bucket admits: the listed ones and its own, sorted."""
        return tuple(sorted({*self.accounts, own_account}))

    def bucket_policy(self, context: AwsContext, bucket: str) -> PolicyDocument:
        """The bucket's policy: see ``archive_bucket_policy``."""
        return archive_bucket_policy(
            context.partition,
            bucket,
            ArchiveLayout(self.prefix, self.hive_partitions),
            self.admitted(context.account_id),
            member_read=self.member_read,
        )

    def key_policy(self, context: AwsContext) -> PolicyDocument:
        """The key's policy: account administration, and ``archive_key_statements``."""
        return policy_document(
            account_administration_statement(context),
            *archive_key_statements(
                context, self.admitted(context.account_id), member_read=self.member_read
            ),
        )
