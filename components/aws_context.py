"""Where a component deploys, as the AWS provider reports it, and what every key policy shares.

Account, region and partition always come from the provider: never hard-coded.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_aws as aws

PolicyDocument = dict[str, Any]
"""An IAM or KMS policy document, built as plain Python data.

No invoke (``get_policy_document``) is used: a document built as data is visible to tests and to
the policy linter exactly as AWS will receive it."""


@dataclass(frozen=True)
class AwsContext:
    """Where the stack deploys, as the AWS provider reports it. Never hard-coded."""

    account_id: str
    region: str
    partition: str
    dns_suffix: str


def aws_context(opts: pulumi.InvokeOptions, region: str | None = None) -> AwsContext:
    """Where a component deploys: account and partition from the provider, and ``region``, or
    the provider's own region when none is given. Never hard-coded."""
    identity = aws.get_caller_identity(opts=opts)
    partition = aws.get_partition(opts=opts)
    return AwsContext(
        account_id=identity.account_id,
        region=region or aws.get_region(opts=opts).region,
        partition=partition.partition,
        dns_suffix=partition.dns_suffix,
    )


def account_administration_statement(context: AwsContext) -> dict[str, Any]:
    """AWS's default key-policy statement: the key's administration is delegated to the
    account's IAM policies, without which a key can become unmanageable."""
    return {
        "Sid": "EnableAccountAdministration",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:{context.partition}:iam::{context.account_id}:root"},
        "Action": "kms:*",
        "Resource": "*",
    }
