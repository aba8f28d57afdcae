"""The S3FlowLogs component: the hardened bucket, its policy and lifecycle, and the flow logs."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws
import pytest

from components import S3_FLOW_LOGS_TYPE, S3FlowLogs, S3FlowLogsArgs, SettingsError
from offline.mocks import FakeAws, ProgramRun, RecordedResource, run_pulumi
from tests.support.program import document, fake_account

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


def test_creates_a_hardened_bucket_and_one_flow_log_per_vpc() -> None:
    run = build(vpc_ids={VPC_A: VPC_A, VPC_B: VPC_B})

    assert sorted((r.type, r.name) for r in run.resources) == sorted(
        [
            (S3_FLOW_LOGS_TYPE, "logs"),
            (BUCKET, "logs-bucket"),
            (PUBLIC_ACCESS, "logs-public-access-block"),
            (OWNERSHIP, "logs-ownership"),
            (VERSIONING, "logs-versioning"),
            (ENCRYPTION, "logs-encryption"),
            (POLICY, "logs-policy"),
            (LIFECYCLE, "logs-lifecycle"),
            (BUCKET, "logs-access-logs-bucket"),
            (PUBLIC_ACCESS, "logs-access-logs-public-access-block"),
            (OWNERSHIP, "logs-access-logs-ownership"),
            (VERSIONING, "logs-access-logs-versioning"),
            (ENCRYPTION, "logs-access-logs-encryption"),
            (POLICY, "logs-access-logs-policy"),
            (LIFECYCLE, "logs-access-logs-lifecycle"),
            (LOGGING, "logs-access-logging"),
            (FLOW_LOG, f"logs-{VPC_A}"),
            (FLOW_LOG, f"logs-{VPC_B}"),
        ]
    )
    parent = run.one(S3_FLOW_LOGS_TYPE).urn
    assert all(r.parent == parent for r in run.resources if r.type != S3_FLOW_LOGS_TYPE)


def test_bucket_is_private_owner_enforced_versioned_and_never_force_destroyed() -> None:
    run = build()

    bucket = own(run, BUCKET)
    assert bucket.inputs["bucket"] == NAME
    assert bucket.inputs["forceDestroy"] is False
    assert not bucket.protect
    assert s3_inputs(run, PUBLIC_ACCESS) == {
        "bucket": NAME,
        "blockPublicAcls": True,
        "blockPublicPolicy": True,
        "ignorePublicAcls": True,
        "restrictPublicBuckets": True,
    }
    assert s3_inputs(run, OWNERSHIP) == {
        "bucket": NAME,
        "rule": {"objectOwnership": "BucketOwnerEnforced"},
    }
    assert s3_inputs(run, VERSIONING) == {
        "bucket": NAME,
        "versioningConfiguration": {"status": "Enabled"},
    }


def test_without_a_key_the_bucket_uses_sse_s3() -> None:
    run = build()

    assert run.of_type(KEY) == []
    assert s3_inputs(run, ENCRYPTION)["rules"] == [
        {
            "applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"},
            "bucketKeyEnabled": False,
        }
    ]


def test_encrypt_logs_creates_a_key_for_delivery_and_uses_it_by_arn_with_a_bucket_key() -> None:
    run = build(encrypt_logs=True, protect_logs=True)
    key = run.one(KEY)

    assert s3_inputs(run, ENCRYPTION)["rules"] == [
        {
            "applyServerSideEncryptionByDefault": {
                "sseAlgorithm": "aws:kms",
                "kmsMasterKeyId": key.outputs["arn"],
            },
            "bucketKeyEnabled": True,
        }
    ]
    assert key.inputs["enableKeyRotation"] is True
    assert key.inputs["tags"] == {"managed-by": "vpc-flow-logs"}
    delivery = document(key.inputs["policy"])["Statement"][1]
    assert delivery["Principal"] == {"Service": "delivery.logs.amazonaws.com"}
    assert delivery["Condition"]["StringEquals"] == {"aws:SourceAccount": "123456789012"}
    # Logs are evidence: protectLogs keeps both the bucket and its key.
    assert key.protect and own(run, BUCKET).protect


def test_an_existing_key_is_used_as_given() -> None:
    run = build(kms_key_arn=KEY_ARN)

    assert run.of_type(KEY) == []
    assert s3_inputs(run, ENCRYPTION)["rules"][0]["applyServerSideEncryptionByDefault"] == {
        "sseAlgorithm": "aws:kms",
        "kmsMasterKeyId": KEY_ARN,
    }


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
@pytest.mark.parametrize("hive", [True, False])
def test_bucket_policy_names_the_mocked_account_region_and_partition(
    fake: FakeAws, partition: str, hive: bool
) -> None:
    run = build(fake, prefix="net/fl", hive_partitions=hive)
    account, region = fake.account_id, fake.region
    bucket = f"logs-test-{account}-{region}"
    policy = own(run, POLICY)

    assert policy.inputs["bucket"] == bucket
    statements = {s["Sid"]: s for s in document(policy.inputs["policy"])["Statement"]}
    folder = f"aws-account-id={account}" if hive else account
    write = statements["AWSLogDeliveryWrite"]
    assert write["Principal"] == {"Service": "delivery.logs.amazonaws.com"}
    assert write["Action"] == "s3:PutObject"
    assert write["Resource"] == f"arn:{partition}:s3:::{bucket}/net/fl/AWSLogs/{folder}/*"
    assert write["Condition"] == {
        "StringEquals": {
            "s3:x-amz-acl": "bucket-owner-full-control",
            "aws:SourceAccount": account,
        },
        "ArnLike": {"aws:SourceArn": f"arn:{partition}:logs:{region}:{account}:*"},
    }
    check = statements["AWSLogDeliveryAclCheck"]
    assert check["Action"] == ["s3:GetBucketAcl", "s3:ListBucket"]
    assert check["Resource"] == f"arn:{partition}:s3:::{bucket}"
    assert statements["DenyInsecureTransport"]["Condition"] == {
        "Bool": {"aws:SecureTransport": "false"}
    }
    assert statements["DenyInsecureTransport"]["Effect"] == "Deny"


def test_lifecycle_expires_logs_and_athena_results() -> None:
    run = build(prefix="fl", transitions={"STANDARD_IA": 30, "GLACIER": 90}, expiration_days=400)

    logs, gateways, results, abort = s3_inputs(run, LIFECYCLE)["rules"]
    assert logs == {
        "id": "flow-logs",
        "status": "Enabled",
        "filter": {"prefix": "fl/AWSLogs/"},
        "transitions": [
            {"days": 30, "storageClass": "STANDARD_IA"},
            {"days": 90, "storageClass": "GLACIER"},
        ],
        "expiration": {"days": 400},
        "noncurrentVersionExpiration": {"noncurrentDays": 30},
    }
    # Transit gateways' records are kept as the VPCs' are, in a folder of their own.
    assert gateways == {**logs, "id": "transit-gateway-flow-logs"} | {
        "filter": {"prefix": "fl/transit-gateways/AWSLogs/"}
    }
    assert results["filter"] == {"prefix": "athena-results/"}
    assert results["expiration"] == {"days": 7}
    # Checkov's CKV_AWS_300: the only abort rule, with an empty filter, covers every key.
    assert abort == {
        "id": "abort-incomplete-uploads",
        "status": "Enabled",
        "filter": {},
        "abortIncompleteMultipartUpload": {"daysAfterInitiation": 7},
    }


@pytest.mark.parametrize(
    ("args", "destination", "options"),
    [
        (
            {},
            f"arn:aws:s3:::{NAME}",
            {"fileFormat": "parquet", "hiveCompatiblePartitions": True, "perHourPartition": False},
        ),
        (
            {"prefix": "net/fl", "file_format": "plain-text", "hive_partitions": False},
            f"arn:aws:s3:::{NAME}/net/fl",
            {
                "fileFormat": "plain-text",
                "hiveCompatiblePartitions": False,
                "perHourPartition": False,
            },
        ),
        (
            {"per_hour_partition": True},
            f"arn:aws:s3:::{NAME}",
            {"fileFormat": "parquet", "hiveCompatiblePartitions": True, "perHourPartition": True},
        ),
    ],
)
def test_flow_log_delivers_to_the_bucket_with_no_role_and_the_destination_options(
    args: dict[str, Any], destination: str, options: dict[str, Any]
) -> None:
    run = build(**args)

    assert run.one(FLOW_LOG).inputs == {
        "vpcId": VPC_A,
        "trafficType": "ALL",
        "maxAggregationInterval": 60,
        "logDestinationType": "s3",
        "logDestination": destination,
        "destinationOptions": options,
        "tags": {"Name": "ASG-VPC-FlowLogs"},
    }


def test_flow_log_waits_for_the_bucket_policy_and_encryption() -> None:
    run = build()
    flow_log = run.one(FLOW_LOG)

    assert {own(run, POLICY).urn, own(run, ENCRYPTION).urn} <= set(flow_log.dependencies)
    assert flow_log.property_dependencies["logDestination"] == [own(run, BUCKET).urn]


def test_destination_and_policy_are_known_in_a_preview() -> None:
    run = build(preview=True)

    assert run.one(FLOW_LOG).inputs["logDestination"] == f"arn:aws:s3:::{NAME}"
    assert document(own(run, POLICY).inputs["policy"])["Statement"][0]["Resource"] == (
        f"arn:aws:s3:::{NAME}/AWSLogs/aws-account-id=123456789012/*"
    )


def test_options_are_the_same_as_the_cloudwatch_flow_logs() -> None:
    run = build(
        traffic_type="REJECT",
        max_aggregation_interval=600,
        log_format=["version", "srcaddr", "dstaddr", "flow-direction"],
        flow_log_name="evidence",
        tags={"team": "netsec"},
    )
    flow_log = run.one(FLOW_LOG).inputs

    assert flow_log["trafficType"] == "REJECT"
    assert flow_log["maxAggregationInterval"] == 600
    assert flow_log["logFormat"] == "${version} ${srcaddr} ${dstaddr} ${flow-direction}"
    assert flow_log["tags"] == {"team": "netsec", "Name": "evidence"}
    assert own(run, BUCKET).inputs["tags"] == {"team": "netsec"}


def test_an_existing_bucket_is_not_touched() -> None:
    run = build(bucket_arn="arn:aws:s3:::org-archive", prefix="fl", encrypt_logs=True)

    assert sorted(r.type for r in run.resources) == sorted([S3_FLOW_LOGS_TYPE, FLOW_LOG])
    assert run.one(FLOW_LOG).inputs["logDestination"] == "arn:aws:s3:::org-archive/fl"
    outputs = run.component_outputs[run.one(S3_FLOW_LOGS_TYPE).urn]
    assert outputs["bucketName"] == "org-archive"
    assert outputs["bucketArn"] == "arn:aws:s3:::org-archive"
    assert outputs.get("kmsKeyArn") is None


def test_outputs() -> None:
    run = build(vpc_ids={VPC_A: VPC_A, VPC_B: VPC_B}, encrypt_logs=True)
    outputs = run.component_outputs[run.one(S3_FLOW_LOGS_TYPE).urn]
    by_vpc = {f.inputs["vpcId"]: f.id for f in run.of_type(FLOW_LOG)}

    assert outputs == {
        "vpcIds": [VPC_A, VPC_B],
        # In the order of vpc_ids, whatever the order the flow logs were registered in.
        "flowLogIds": [by_vpc[VPC_A], by_vpc[VPC_B]],
        "targetFlowLogIds": {VPC_A: by_vpc[VPC_A], VPC_B: by_vpc[VPC_B]},
        "bucketName": NAME,
        "bucketArn": f"arn:aws:s3:::{NAME}",
        "logDestination": f"arn:aws:s3:::{NAME}",
        "accessLogBucketName": "logs-access-logs-test-123456789012-us-east-1",
        "kmsKeyArn": run.one(KEY).outputs["arn"],
    }


def test_vpcs_created_in_the_same_program() -> None:
    def program() -> None:
        vpc = aws.ec2.Vpc("app", cidr_block="10.0.0.0/16")
        S3FlowLogs("logs", S3FlowLogsArgs(vpc_ids={"app": vpc.id}))

    run = run_pulumi(program, {}, fake_account(), project="p", stack="test", preview=True)

    flow_log: RecordedResource = run.one(FLOW_LOG)
    assert flow_log.property_dependencies["vpcId"] == [run.one(VPC).urn]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            {"vpc_ids": {}},
            "vpcIds, subnetIds, eniIds, transitGatewayIds and transitGatewayAttachmentIds are "
            "all empty; give at least one target to log.",
        ),
        (
            {"vpc_ids": {"a": VPC_A}, "target_regions": {"a": "Europe"}},
            "targetRegions: 'Europe' is not an AWS region name; use names such as 'us-east-1' "
            "or 'eu-west-2'.",
        ),
        (
            {"vpc_ids": {"a": VPC_A}, "target_regions": {"b": "eu-west-1"}},
            "targetRegions: 'b' names no target; use a key of the targets.",
        ),
        (
            {"traffic_type": "SOME"},
            "trafficType: 'SOME' is not a flow-log traffic type; use one of ALL, ACCEPT, REJECT.",
        ),
        (
            {"prefix": "AWSLogs", "athena_scan_limit_gb": 0},
            "s3Prefix: 'AWSLogs' starts with 'AWSLogs', which AWS reserves for the folders it "
            "writes under your prefix; choose another name, such as 'flow-logs'.\n"
            "athenaScanLimitGb: 0 is below 1; give the most GB one Athena query may scan, 1 or "
            "more.",
        ),
        (
            {"kms_key_arn": pulumi.Output.from_input(KEY_ARN), "encrypt_logs": True},
            "kmsKeyArn and encryptLogs are mutually exclusive: use an existing key (kmsKeyArn) "
            "or let the stack create one (encryptLogs: true), not both.",
        ),
        (
            {"kms_key_arn": KEY_ARN, "encrypt_logs": True},
            "kmsKeyArn and encryptLogs are mutually exclusive: use an existing key (kmsKeyArn) "
            "or let the stack create one (encryptLogs: true), not both.",
        ),
    ],
)
def test_bad_arguments_register_nothing(args: dict[str, Any], message: str) -> None:
    def program() -> None:
        S3FlowLogs("logs", S3FlowLogsArgs(**{"vpc_ids": {VPC_A: VPC_A}, **args}))  # type: ignore[typeddict-item]

    run = run_pulumi(program, {}, fake_account(), project="p", stack="test", raise_errors=False)

    assert isinstance(run.error, SettingsError)
    assert str(run.error) == message
    assert run.resources == []


def test_the_type_token_is_public_and_stable() -> None:
    assert S3_FLOW_LOGS_TYPE == "vpc-flow-logs:index:S3FlowLogs"


def test_pulumis_analyzer_infers_a_documented_schema() -> None:
    from pulumi.provider.experimental.analyzer import Analyzer

    from components.storage.s3_delivery import S3FlowLogs

    (definition,) = (
        Analyzer("vpc-flow-logs").analyze([S3FlowLogs])["component_definitions"].values()
    )

    for key, prop in definition.inputs.items():
        assert prop.description, key
        if key not in {"vpcIds", "bucketName"}:
            assert "Defaults to" in prop.description, key
    assert all(prop.description for prop in definition.outputs.values())


def test_an_existing_bucket_in_another_partition_keeps_its_partition() -> None:
    run = build(bucket_arn="arn:aws-us-gov:s3:::org-archive")
    outputs = run.component_outputs[run.one(S3_FLOW_LOGS_TYPE).urn]

    assert outputs["bucketArn"] == "arn:aws-us-gov:s3:::org-archive"
    assert run.one(FLOW_LOG).inputs["logDestination"] == "arn:aws-us-gov:s3:::org-archive"


def test_one_bucket_serves_every_region_named_in_its_policies() -> None:
    run = build(
        vpc_ids={VPC_A: VPC_A, VPC_B: VPC_B},
        target_regions={VPC_B: "eu-west-1"},
        encrypt_logs=True,
    )

    flow_logs = {f.inputs["vpcId"]: f.inputs for f in run.of_type(FLOW_LOG)}
    assert "region" not in flow_logs[VPC_A]
    assert flow_logs[VPC_B]["region"] == "eu-west-1"
    assert {f["logDestination"] for f in flow_logs.values()} == {f"arn:aws:s3:::{NAME}"}
    # Sorted: registration order follows when each bucket's inputs resolve, not the program.
    assert sorted(b.name for b in run.of_type(BUCKET)) == ["logs-access-logs-bucket", "logs-bucket"]
    source_arns = [
        "arn:aws:logs:eu-west-1:123456789012:*",
        "arn:aws:logs:us-east-1:123456789012:*",
    ]
    policy = document(s3_inputs(run, POLICY)["policy"])
    delivery = [s for s in policy["Statement"] if s["Sid"].startswith("AWSLogDelivery")]
    assert len(delivery) == 2
    for statement in delivery:
        assert statement["Condition"]["ArnLike"] == {"aws:SourceArn": source_arns}
        assert statement["Condition"]["StringEquals"]["aws:SourceAccount"] == "123456789012"
    key_statement = document(s3_inputs(run, KEY)["policy"])["Statement"][1]
    assert key_statement["Condition"]["ArnLike"] == {"aws:SourceArn": source_arns}


def test_subnets_enis_and_transit_gateways_deliver_to_s3_too() -> None:
    run = build(
        vpc_ids={},
        subnet_ids={"subnet-0a1b2c3d": "subnet-0a1b2c3d"},
        transit_gateway_ids={"tgw-0a1b2c3d": "tgw-0a1b2c3d"},
        traffic_type="REJECT",
    )
    by_name = {f.name: f.inputs for f in run.of_type(FLOW_LOG)}

    subnet, gateway = by_name["logs-subnet-0a1b2c3d"], by_name["logs-tgw-0a1b2c3d"]
    assert subnet["subnetId"] == "subnet-0a1b2c3d"
    assert subnet["trafficType"] == "REJECT"
    assert gateway["transitGatewayId"] == "tgw-0a1b2c3d"
    assert "trafficType" not in gateway
    assert gateway["maxAggregationInterval"] == 60
    for inputs in by_name.values():
        assert inputs["logDestinationType"] == "s3"
    assert run.component_outputs[run.one(S3_FLOW_LOGS_TYPE).urn]["vpcIds"] == []
