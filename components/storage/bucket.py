"""The buckets the S3 copy creates, hardened once here: the flow-log bucket, the access-log bucket
that audits it, and Athena's results bucket when the logs are in someone else's bucket."""

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

from components.aws_context import AwsContext, PolicyDocument
from components.storage.documents import access_log_bucket_policy, tls_only_bucket_policy
from components.storage.layout import (
    abort_incomplete_uploads_rule,
    access_log_lifecycle_rules,
    default_bucket_name,
    results_lifecycle_rules,
)


@dataclass(frozen=True)
class HardenedBucket:
    """A private bucket and the configuration resources that harden it."""

    bucket: aws.s3.Bucket
    policy: aws.s3.BucketPolicy
    encryption: aws.s3.BucketServerSideEncryptionConfiguration
    lifecycle: aws.s3.BucketLifecycleConfiguration


def hardened_bucket(
    name: str,
    bucket_name: str,
    *,
    policy: Callable[[str], PolicyDocument],
    lifecycle_rules: list[Any],
    kms_key_arn: pulumi.Input[str] | None,
    tags: Mapping[str, str],
    parent: pulumi.Resource,
    protect: bool,
) -> HardenedBucket:
    """A bucket no one can make public, owned by its account, versioned, encrypted, TLS-only.

    Children, each named ``{name}-<part>``: the bucket (never ``force_destroy``; protected with
    ``protect``), its public access block (all four settings), ``BucketOwnerEnforced`` ownership,
    versioning, server-side encryption (SSE-KMS with the key by ARN and a bucket key, otherwise
    SSE-S3), the policy ``policy(bucket_name)``, and the lifecycle: ``lifecycle_rules`` plus a
    bucket-wide rule that aborts incomplete multipart uploads (Checkov's CKV_AWS_300).
    """
    child = pulumi.ResourceOptions(parent=parent)
    bucket = aws.s3.Bucket(
        f"{name}-bucket",
        bucket=bucket_name,
        force_destroy=False,
        tags=dict(tags),
        opts=pulumi.ResourceOptions(parent=parent, protect=protect),
    )
    public_access = aws.s3.BucketPublicAccessBlock(
        f"{name}-public-access-block",
        bucket=bucket.bucket,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
        opts=child,
    )
    aws.s3.BucketOwnershipControls(
        f"{name}-ownership",
        bucket=bucket.bucket,
        rule={"object_ownership": "BucketOwnerEnforced"},
        opts=child,
    )
    versioning = aws.s3.BucketVersioning(
        f"{name}-versioning",
        bucket=bucket.bucket,
        versioning_configuration={"status": "Enabled"},
        opts=child,
    )
    default: dict[str, Any] = (
        {"sse_algorithm": "aws:kms", "kms_master_key_id": kms_key_arn}
        if kms_key_arn is not None
        else {"sse_algorithm": "AES256"}
    )
    rule: Any = {
        "apply_server_side_encryption_by_default": default,
        "bucket_key_enabled": kms_key_arn is not None,
    }
    encryption = aws.s3.BucketServerSideEncryptionConfiguration(
        f"{name}-encryption",
        bucket=bucket.bucket,
        rules=[rule],
        opts=child,
    )
    # Built from the bucket's own name output, so it depends on the bucket, and is plain text in
    # a preview too (the name is chosen here, not by AWS).
    bucket_policy = aws.s3.BucketPolicy(
        f"{name}-policy",
        bucket=bucket.bucket,
        policy=bucket.bucket.apply(lambda b: json.dumps(policy(b))),
        # S3 refuses a policy while a public access block is still being applied.
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[public_access]),
    )
    rules: list[Any] = [*lifecycle_rules, abort_incomplete_uploads_rule()]
    lifecycle = aws.s3.BucketLifecycleConfiguration(
        f"{name}-lifecycle",
        bucket=bucket.bucket,
        rules=rules,
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[versioning]),
    )
    return HardenedBucket(bucket, bucket_policy, encryption, lifecycle)


@dataclass(frozen=True)
class AccessLogs:
    """A bucket that receives a bucket's server access logs, and the logging that sends them."""

    target: HardenedBucket
    logging: aws.s3.BucketLogging


def access_logs(
    name: str,
    source: aws.s3.Bucket,
    source_name: str,
    *,
    context: AwsContext,
    expiration_days: int,
    tags: Mapping[str, str],
    parent: pulumi.Resource,
    protect: bool,
) -> AccessLogs:
    """Server access logging (Checkov's CKV_AWS_18) for ``source``, whose name is
    ``source_name``, into a bucket of its own, ``{name}-access-logs-...``.

    The target is hardened as the source is, but always SSE-S3: AWS delivers server access logs
    only to a bucket whose default encryption is SSE-S3; SSE-KMS is not supported for the target
    bucket (Amazon S3 User Guide, "Enabling Amazon S3 server access logging"). ACLs stay
    disabled; the target's policy admits ``logging.s3.amazonaws.com`` for ``source`` alone,
    under ``<source_name>/``. Logs expire after ``expiration_days``, as the records they audit
    do.
    """
    prefix = f"{source_name}/"
    target = hardened_bucket(
        f"{name}-access-logs",
        default_bucket_name(f"{name}-access-logs", pulumi.get_stack(), context),
        policy=lambda b: access_log_bucket_policy(context, b, source_name, prefix),
        lifecycle_rules=access_log_lifecycle_rules(expiration_days),
        kms_key_arn=None,
        tags=tags,
        parent=parent,
        protect=protect,
    )
    logging = aws.s3.BucketLogging(
        f"{name}-access-logging",
        bucket=source.bucket,
        target_bucket=target.bucket.bucket,
        target_prefix=prefix,
        # The first log objects arrive soon after; without the policy, S3 cannot write them.
        opts=pulumi.ResourceOptions(parent=parent, depends_on=[target.policy]),
    )
    return AccessLogs(target, logging)


def results_bucket(
    name: str,
    *,
    context: AwsContext,
    kms_key_arn: pulumi.Input[str] | None,
    tags: Mapping[str, str],
    parent: pulumi.Resource,
) -> HardenedBucket:
    """A small bucket for Athena's query results, hardened as the log bucket, whose objects
    expire. For when the logs are in a bucket the stack does not own."""
    return hardened_bucket(
        name,
        default_bucket_name(name, pulumi.get_stack(), context),
        policy=lambda b: tls_only_bucket_policy(context.partition, b),
        lifecycle_rules=results_lifecycle_rules(),
        kms_key_arn=kms_key_arn,
        tags=tags,
        parent=parent,
        protect=False,
    )
