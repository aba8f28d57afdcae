"""What the S3FlowLogs component sends for its bucket, replayed through boto3 against moto.

botocore checks every request against S3's API model (member names, types, required members), and
moto checks a little more (a lifecycle rule must say which objects it applies to). Neither judges a
policy's grammar or S3's rules on transition days: parliament lints the policy in ``test_iam``, and
``storage_settings`` enforces the lifecycle rules.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from botocore.exceptions import ClientError, ParamValidationError
from moto import mock_aws

from components import S3FlowLogs, S3FlowLogsArgs
from offline.mocks import ProgramRun, run_pulumi
from tests.support.program import fake_account

_API_NAMES = {"id": "ID", "sseAlgorithm": "SSEAlgorithm", "kmsMasterKeyId": "KMSMasterKeyID"}


def api_shape(value: Any) -> Any:
    """Pulumi's camelCase inputs as the S3 API spells them (PascalCase, a few acronyms)."""
    if isinstance(value, dict):
        return {_API_NAMES.get(k, k[:1].upper() + k[1:]): api_shape(v) for k, v in value.items()}
    if isinstance(value, list):
        return [api_shape(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def build(**args: Any) -> ProgramRun:
    def program() -> None:
        S3FlowLogs(
            "logs",
            S3FlowLogsArgs(**{"vpc_ids": {"a": "vpc-0a1b2c3d4e5f60718"}, **args}),  # type: ignore[typeddict-item]
        )

    return run_pulumi(program, {}, fake_account(), project="p", stack="test")


def inputs(run: ProgramRun, kind: str) -> dict[str, Any]:
    return run.one(f"aws:s3/{kind[:1].lower() + kind[1:]}:{kind}").inputs


@pytest.fixture
def s3() -> Iterator[Any]:
    with mock_aws():
        yield boto3.client("s3", region_name="us-east-1")


@pytest.mark.parametrize(
    "args",
    [{}, {"encrypt_logs": True, "prefix": "net/fl", "hive_partitions": False}],
    ids=["sse-s3", "sse-kms"],
)
def test_s3_accepts_the_bucket_configuration_as_the_component_sends_it(
    s3: Any, args: dict[str, Any]
) -> None:
    run = build(**args)
    bucket = run.one("aws:s3/bucket:Bucket").inputs["bucket"]
    encryption = api_shape(inputs(run, "BucketServerSideEncryptionConfiguration")["rules"])
    lifecycle = api_shape(inputs(run, "BucketLifecycleConfiguration")["rules"])
    policy = inputs(run, "BucketPolicy")["policy"]

    s3.create_bucket(Bucket=bucket)
    s3.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration=api_shape(
            {k: v for k, v in inputs(run, "BucketPublicAccessBlock").items() if k != "bucket"}
        ),
    )
    s3.put_bucket_ownership_controls(
        Bucket=bucket,
        OwnershipControls={"Rules": [api_shape(inputs(run, "BucketOwnershipControls")["rule"])]},
    )
    s3.put_bucket_versioning(
        Bucket=bucket,
        VersioningConfiguration=api_shape(
            inputs(run, "BucketVersioning")["versioningConfiguration"]
        ),
    )
    s3.put_bucket_encryption(Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": encryption})
    s3.put_bucket_policy(Bucket=bucket, Policy=policy)
    s3.put_bucket_lifecycle_configuration(
        Bucket=bucket, LifecycleConfiguration={"Rules": lifecycle}
    )

    assert json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"]) == json.loads(policy)
    stored = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert [(r["ID"], r["Expiration"]) for r in stored] == [
        (r["ID"], r["Expiration"]) for r in lifecycle
    ]
    applied = s3.get_bucket_encryption(Bucket=bucket)["ServerSideEncryptionConfiguration"]
    assert (
        applied["Rules"][0]["ApplyServerSideEncryptionByDefault"]
        == (encryption[0]["ApplyServerSideEncryptionByDefault"])
    )
    assert s3.get_public_access_block(Bucket=bucket)["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "IgnorePublicAcls": True,
        "BlockPublicPolicy": True,
        "RestrictPublicBuckets": True,
    }


def test_the_replay_fails_what_s3_would_refuse(s3: Any) -> None:
    s3.create_bucket(Bucket="flow-logs-test")
    rule = api_shape(inputs(build(), "BucketLifecycleConfiguration")["rules"][0])

    with pytest.raises(ParamValidationError, match=r'Unknown parameter in .*"Expiry"'):
        s3.put_bucket_lifecycle_configuration(
            Bucket="flow-logs-test",
            LifecycleConfiguration={"Rules": [{**rule, "Expiry": rule["Expiration"]}]},
        )
    with pytest.raises(ClientError, match="MalformedXML"):
        s3.put_bucket_lifecycle_configuration(
            Bucket="flow-logs-test",
            LifecycleConfiguration={"Rules": [{k: v for k, v in rule.items() if k != "Filter"}]},
        )
