"""The hardened buckets: the flow-log bucket's server access logging into a bucket of its own
(Checkov's CKV_AWS_18), and the bucket-wide abort of incomplete uploads (CKV_AWS_300)."""

from __future__ import annotations

from typing import Any

import pytest

from components import S3_FLOW_LOGS_TYPE, S3FlowLogs, S3FlowLogsArgs
from offline.mocks import FakeAws, ProgramRun, RecordedResource, run_pulumi
from tests.support.program import document, fake_account

BUCKET = "aws:s3/bucket:Bucket"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
LOGGING = "aws:s3/bucketLogging:BucketLogging"
VPC_A = "vpc-0a1b2c3d4e5f60718"
SOURCE = "logs-test-123456789012-us-east-1"
TARGET = "logs-access-logs-test-123456789012-us-east-1"
ABORT_EVERYWHERE = {
    "id": "abort-incomplete-uploads",
    "status": "Enabled",
    "filter": {},
    "abortIncompleteMultipartUpload": {"daysAfterInitiation": 7},
}


def build(aws_account: FakeAws | None = None, **args: Any) -> ProgramRun:
    def program() -> None:
        S3FlowLogs("logs", S3FlowLogsArgs(**{"vpc_ids": {VPC_A: VPC_A}, **args}))  # type: ignore[typeddict-item]

    return run_pulumi(program, {}, aws_account or fake_account(), project="p", stack="test")


def named(run: ProgramRun, name: str) -> RecordedResource:
    (resource,) = (r for r in run.resources if r.name == name)
    return resource


def test_the_flow_log_bucket_logs_its_access_to_a_bucket_of_its_own() -> None:
    run = build()
    logging = run.one(LOGGING)

    assert logging.inputs == {
        "bucket": SOURCE,
        "targetBucket": TARGET,
        "targetPrefix": f"{SOURCE}/",
    }
    assert named(run, "logs-access-logs-bucket").inputs["bucket"] == TARGET
    # Never to itself, and only once S3's logging service may write to the target.
    assert logging.inputs["targetBucket"] != logging.inputs["bucket"]
    assert named(run, "logs-access-logs-policy").urn in logging.dependencies
    assert logging.parent == run.one(S3_FLOW_LOGS_TYPE).urn


def test_the_access_log_bucket_is_hardened_as_the_flow_log_bucket_is() -> None:
    run = build(encrypt_logs=True)

    assert named(run, "logs-access-logs-bucket").inputs["forceDestroy"] is False
    assert named(run, "logs-access-logs-public-access-block").inputs == {
        "bucket": TARGET,
        "blockPublicAcls": True,
        "blockPublicPolicy": True,
        "ignorePublicAcls": True,
        "restrictPublicBuckets": True,
    }
    # ACLs stay disabled: S3 delivers through the bucket policy, not a log-delivery grant.
    assert named(run, "logs-access-logs-ownership").inputs["rule"] == {
        "objectOwnership": "BucketOwnerEnforced"
    }
    assert named(run, "logs-access-logs-versioning").inputs["versioningConfiguration"] == {
        "status": "Enabled"
    }
    # SSE-S3 even with encryptLogs: the flow-log key admits flow-log delivery, not S3 logging.
    assert named(run, "logs-access-logs-encryption").inputs["rules"] == [
        {
            "applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"},
            "bucketKeyEnabled": False,
        }
    ]


@pytest.mark.parametrize(
    ("fake", "partition"),
    [
        (fake_account(), "aws"),
        (
            fake_account(partition="aws-cn", region="cn-north-1", account_id="210987654321"),
            "aws-cn",
        ),
    ],
    ids=["aws", "aws-cn"],
)
def test_the_access_log_bucket_admits_s3_logging_for_the_flow_log_bucket_only(
    fake: FakeAws, partition: str
) -> None:
    account, region = fake.account_id, fake.region
    source, target = f"logs-test-{account}-{region}", f"logs-access-logs-test-{account}-{region}"
    policy = document(named(build(fake), "logs-access-logs-policy").inputs["policy"])

    write, deny = policy["Statement"]
    assert write == {
        "Sid": "S3ServerAccessLogsPolicy",
        "Effect": "Allow",
        "Principal": {"Service": "logging.s3.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": f"arn:{partition}:s3:::{target}/{source}/*",
        "Condition": {
            "ArnLike": {"aws:SourceArn": f"arn:{partition}:s3:::{source}"},
            "StringEquals": {"aws:SourceAccount": account},
        },
    }
    assert deny["Sid"] == "DenyInsecureTransport"


def test_access_logs_expire_with_the_records_they_audit() -> None:
    run = build(expiration_days=400, transitions={})

    assert named(run, "logs-access-logs-lifecycle").inputs["rules"] == [
        {
            "id": "access-logs",
            "status": "Enabled",
            "filter": {},
            "expiration": {"days": 400},
            "noncurrentVersionExpiration": {"noncurrentDays": 30},
        },
        ABORT_EVERYWHERE,
    ]


@pytest.mark.parametrize("protect", [True, False])
def test_protect_logs_protects_the_access_logs_as_it_does_the_flow_logs(protect: bool) -> None:
    run = build(protect_logs=protect)

    assert named(run, "logs-bucket").protect is protect
    assert named(run, "logs-access-logs-bucket").protect is protect


def test_every_created_bucket_aborts_incomplete_uploads_bucket_wide() -> None:
    run = build()

    lifecycles = {r.name: r.inputs["rules"] for r in run.of_type(LIFECYCLE)}
    assert sorted(lifecycles) == ["logs-access-logs-lifecycle", "logs-lifecycle"]
    for rules in lifecycles.values():
        assert rules[-1] == ABORT_EVERYWHERE
        assert [r for r in rules if "abortIncompleteMultipartUpload" in r] == [ABORT_EVERYWHERE]


def test_an_existing_bucket_gets_neither_access_logging_nor_a_lifecycle() -> None:
    run = build(bucket_arn="arn:aws:s3:::org-archive")

    assert run.of_type(BUCKET) == []
    assert run.of_type(LOGGING) == []
    assert run.of_type(LIFECYCLE) == []
    outputs = run.component_outputs[run.one(S3_FLOW_LOGS_TYPE).urn]
    assert outputs.get("accessLogBucketName") is None
