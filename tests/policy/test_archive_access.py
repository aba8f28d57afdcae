"""``vpc-flow-log-archive-access`` through the Analyzer protocol.

The compliant fixture is what the committed archive stack registers under mocks; each test
changes one property of it.
"""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from offline.analyzer import Diagnostic, PolicyPackProcess, from_recorded
from offline.analyzer_resources import Resource
from tests.policy.conftest import CONFIG_DIR
from tests.support.policy_fixtures import changed, resources
from tests.support.program import PROJECT, run_stack_file

POLICY = "vpc-flow-log-archive-access"
DESCRIPTION = (
    "A bucket that admits flow-log delivery conditions it on aws:SourceAccount and "
    "aws:SourceArn, and, when it admits several accounts, is encrypted with a key the "
    "log-delivery service may use (never the AWS-managed aws/s3 key)."
)


@cache
def _archive(preview: bool) -> tuple[Resource, ...]:
    run = run_stack_file("archive", preview=preview)
    return tuple(from_recorded(run.resources, project=PROJECT, stack="archive"))


def archive_stack(preview: bool = False) -> dict[str, Resource]:
    """The archive's resources, by name."""
    return {r.name: r for r in _archive(preview)}


def verdicts(diagnostics: list[Diagnostic]) -> list[tuple[str, str, str]]:
    return [(d.urn, d.enforcement_level, d.message) for d in diagnostics if d.policy_name == POLICY]


def bucket_policy(stack: dict[str, Resource]) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(stack["vpc-flow-logs-s3-policy"].properties["policy"])
    return parsed


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_the_archive_passes(pack: PolicyPackProcess, preview: bool) -> None:
    assert verdicts(pack.analyze_stack(resources(archive_stack(preview)))) == []


@pytest.mark.parametrize("condition", ["aws:SourceAccount", "aws:SourceArn"])
def test_a_delivery_write_without_a_source_condition_is_refused(
    pack: PolicyPackProcess, condition: str
) -> None:
    stack = archive_stack()
    document = bucket_policy(stack)
    write = document["Statement"][0]
    for block in write["Condition"].values():
        block.pop(condition, None)
    stack = changed(stack, "vpc-flow-logs-s3-policy", policy=json.dumps(document))

    assert verdicts(pack.analyze_stack(resources(stack))) == [
        (
            stack["vpc-flow-logs-s3-policy"].urn,
            "mandatory",
            f"{DESCRIPTION}\nBucket policy 'vpc-flow-logs-s3-policy' lets "
            f"delivery.logs.amazonaws.com write (statement 'AWSLogDeliveryWrite') without "
            f"{condition}; any account's deliveries could land there. Add StringEquals "
            "aws:SourceAccount (the accounts) and ArnLike aws:SourceArn "
            "(arn:<partition>:logs:*:<account>:*).",
        )
    ]


@pytest.mark.parametrize("key", [None, "alias/aws/s3", "arn:aws:kms:us-east-1:1:alias/aws/s3"])
def test_the_aws_managed_key_on_a_shared_bucket_is_refused(
    pack: PolicyPackProcess, key: str | None
) -> None:
    stack = archive_stack()
    default: dict[str, Any] = {
        "sseAlgorithm": "aws:kms",
        **({"kmsMasterKeyId": key} if key else {}),
    }
    stack = changed(
        stack,
        "vpc-flow-logs-s3-encryption",
        rules=[{"applyServerSideEncryptionByDefault": default, "bucketKeyEnabled": True}],
    )
    bucket = stack["vpc-flow-logs-s3-encryption"].properties["bucket"]

    assert verdicts(pack.analyze_stack(resources(stack))) == [
        (
            stack["vpc-flow-logs-s3-encryption"].urn,
            "mandatory",
            f"{DESCRIPTION}\nBucket '{bucket}' admits several accounts' flow logs but is "
            "encrypted with the AWS-managed aws/s3 key, which cannot be used across accounts: "
            "delivery fails. Use a customer-managed key whose policy admits "
            "delivery.logs.amazonaws.com, or SSE-S3.",
        )
    ]


def test_a_key_that_does_not_admit_log_delivery_is_refused(pack: PolicyPackProcess) -> None:
    stack = archive_stack()
    key = stack["vpc-flow-logs-s3-key"]
    document = json.loads(key.properties["policy"])
    document["Statement"] = [
        s for s in document["Statement"] if s["Sid"] != "AllowArchiveDeliveryToS3"
    ]
    stack = changed(stack, "vpc-flow-logs-s3-key", policy=json.dumps(document))

    assert verdicts(pack.analyze_stack(resources(stack))) == [
        (
            key.urn,
            "mandatory",
            f"{DESCRIPTION}\nKey 'vpc-flow-logs-s3-key' encrypts a bucket that admits flow-log "
            "delivery, but its policy does not let delivery.logs.amazonaws.com use it: the flow "
            'logs stay ACTIVE while delivery fails ("Access error"). Allow it kms:Encrypt, '
            "kms:Decrypt, kms:ReEncrypt*, kms:GenerateDataKey* and kms:DescribeKey under "
            "aws:SourceAccount and aws:SourceArn.",
        )
    ]


def test_sse_s3_on_a_shared_bucket_passes(pack: PolicyPackProcess) -> None:
    stack = changed(
        archive_stack(),
        "vpc-flow-logs-s3-encryption",
        rules=[{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}],
    )

    assert verdicts(pack.analyze_stack(resources(stack))) == []


def test_the_aws_managed_key_on_a_single_account_bucket_is_not_this_policys_business(
    pack: PolicyPackProcess,
) -> None:
    stack = archive_stack()
    document = bucket_policy(stack)
    for statement in document["Statement"][:2]:
        statement["Condition"]["StringEquals"]["aws:SourceAccount"] = "123456789012"
    stack = changed(stack, "vpc-flow-logs-s3-policy", policy=json.dumps(document))
    stack = changed(
        stack,
        "vpc-flow-logs-s3-encryption",
        rules=[{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "aws:kms"}}],
    )

    assert verdicts(pack.analyze_stack(resources(stack))) == []


def test_it_is_mandatory_by_default_and_every_config_sets_it() -> None:
    from flowlog_policies.archive_access import policy

    assert policy.enforcement_level.value == "mandatory"
    for path in sorted(CONFIG_DIR.glob("*.json")):
        assert POLICY in json.loads(path.read_text()), path.name
