"""The S3FlowLogs component declared alone under the mocks, for its tests."""

from __future__ import annotations

from typing import Any

from components import S3FlowLogs, S3FlowLogsArgs
from offline.mocks import FakeAws, ProgramRun, RecordedResource, run_pulumi
from tests.support.program import fake_account

BUCKET = "aws:s3/bucket:Bucket"
PUBLIC_ACCESS = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
OWNERSHIP = "aws:s3/bucketOwnershipControls:BucketOwnershipControls"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
ENCRYPTION = (
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
)
POLICY = "aws:s3/bucketPolicy:BucketPolicy"
LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
LOGGING = "aws:s3/bucketLogging:BucketLogging"
KEY = "aws:kms/key:Key"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
VPC = "aws:ec2/vpc:Vpc"

VPC_A = "vpc-0a1b2c3d4e5f60718"
VPC_B = "vpc-1f2e3d4c"
NAME = "logs-test-123456789012-us-east-1"
"""The bucket name for component "logs" in stack "test" of the fake account."""
KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/0d1c2b3a-4e5f-6789-abcd-ef0123456789"


def build(aws_account: FakeAws | None = None, *, preview: bool = False, **args: Any) -> ProgramRun:
    """Declare one S3FlowLogs component named "logs" under the mocks."""

    def program() -> None:
        S3FlowLogs("logs", S3FlowLogsArgs(**{"vpc_ids": {VPC_A: VPC_A}, **args}))  # type: ignore[typeddict-item]

    return run_pulumi(
        program, {}, aws_account or fake_account(), project="p", stack="test", preview=preview
    )


def own(run: ProgramRun, type_: str) -> RecordedResource:
    """The one resource of ``type_`` that is the flow-log bucket's, not the access-log bucket's."""
    (resource,) = (r for r in run.of_type(type_) if not r.name.startswith("logs-access-log"))
    return resource


def s3_inputs(run: ProgramRun, type_: str) -> dict[str, Any]:
    return own(run, type_).inputs
