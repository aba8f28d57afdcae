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


_PARTS = {
    "Bucket": "bucket",
    "BucketPublicAccessBlock": "public-access-block",
    "BucketOwnershipControls": "ownership",
    "BucketVersioning": "versioning",
    "BucketServerSideEncryptionConfiguration": "encryption",
    "BucketPolicy": "policy",
    "BucketLifecycleConfiguration": "lifecycle",
}


def inputs(run: ProgramRun, kind: str, name: str = "logs") -> dict[str, Any]:
    """The inputs of the ``kind`` resource of the hardened bucket ``name``, whose children are
    named ``<name>-<part>`` (the flow-log bucket's are ``logs-...``)."""
    type_ = f"aws:s3/{kind[:1].lower() + kind[1:]}:{kind}"
    (resource,) = (r for r in run.of_type(type_) if r.name == f"{name}-{_PARTS[kind]}")
    return resource.inputs


def replay(s3: Any, run: ProgramRun, name: str) -> str:
    """Send S3 the hardened bucket ``name`` as the component declares it; its bucket name."""
    bucket: str = inputs(run, "Bucket", name)["bucket"]
    s3.create_bucket(Bucket=bucket)
    s3.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration=api_shape(
            {k: v for k, v in inputs(run, "BucketPublicAccessBlock", name).items() if k != "bucket"}
        ),
    )
    s3.put_bucket_ownership_controls(
        Bucket=bucket,
        OwnershipControls={
            "Rules": [api_shape(inputs(run, "BucketOwnershipControls", name)["rule"])]
        },
    )
    s3.put_bucket_versioning(
        Bucket=bucket,
        VersioningConfiguration=api_shape(
            inputs(run, "BucketVersioning", name)["versioningConfiguration"]
        ),
    )
    encryption = inputs(run, "BucketServerSideEncryptionConfiguration", name)["rules"]
    s3.put_bucket_encryption(
        Bucket=bucket, ServerSideEncryptionConfiguration={"Rules": api_shape(encryption)}
    )
    s3.put_bucket_policy(Bucket=bucket, Policy=inputs(run, "BucketPolicy", name)["policy"])
    lifecycle = inputs(run, "BucketLifecycleConfiguration", name)["rules"]
    s3.put_bucket_lifecycle_configuration(
        Bucket=bucket, LifecycleConfiguration={"Rules": api_shape(lifecycle)}
    )
    return bucket


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
    bucket = replay(s3, run, "logs")
    policy = inputs(run, "BucketPolicy")["policy"]
    lifecycle = api_shape(inputs(run, "BucketLifecycleConfiguration")["rules"])
    encryption = api_shape(inputs(run, "BucketServerSideEncryptionConfiguration")["rules"])

    assert json.loads(s3.get_bucket_policy(Bucket=bucket)["Policy"]) == json.loads(policy)
    stored = s3.get_bucket_lifecycle_configuration(Bucket=bucket)["Rules"]
    assert [(r["ID"], r.get("Expiration")) for r in stored] == [
        (r["ID"], r.get("Expiration")) for r in lifecycle
    ]
    # The bucket-wide rule reaches S3 with an empty filter, as AWS documents for every object.
    assert stored[-1]["Filter"] == {}
    assert stored[-1]["AbortIncompleteMultipartUpload"] == {"DaysAfterInitiation": 7}
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


def test_s3_accepts_access_logging_into_the_access_log_bucket(s3: Any) -> None:
    run = build()
    source = replay(s3, run, "logs")
    logging = run.one("aws:s3/bucketLogging:BucketLogging").inputs

    # Without the target's policy, S3 refuses the logging configuration (moto checks the policy
    # admits logging.s3.amazonaws.com on exactly <target>/<prefix>*).
    s3.create_bucket(Bucket="unprepared")
    with pytest.raises(ClientError, match="InvalidTargetBucketForLogging"):
        s3.put_bucket_logging(
            Bucket=source,
            BucketLoggingStatus={
                "LoggingEnabled": {"TargetBucket": "unprepared", "TargetPrefix": f"{source}/"}
            },
        )
    target = replay(s3, run, "logs-access-logs")
    s3.put_bucket_logging(
        Bucket=logging["bucket"],
        BucketLoggingStatus={
            "LoggingEnabled": {
                "TargetBucket": logging["targetBucket"],
                "TargetPrefix": logging["targetPrefix"],
            }
        },
    )

    assert s3.get_bucket_logging(Bucket=source)["LoggingEnabled"] == {
        "TargetBucket": target,
        "TargetPrefix": f"{source}/",
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
