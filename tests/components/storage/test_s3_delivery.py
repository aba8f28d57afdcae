"""The S3FlowLogs component: the hardened bucket, its policy and lifecycle, and the flow logs."""

from __future__ import annotations

from typing import Any

import pulumi_aws as aws
import pytest

from components import S3_FLOW_LOGS_TYPE, S3FlowLogs, S3FlowLogsArgs
from offline.mocks import FakeAws, RecordedResource, run_pulumi
from tests.support.program import document, fake_account
from tests.support.s3_delivery import (
    BUCKET,
    ENCRYPTION,
    FLOW_LOG,
    KEY,
    KEY_ARN,
    LIFECYCLE,
    LOGGING,
    NAME,
    OWNERSHIP,
    POLICY,
    PUBLIC_ACCESS,
    VERSIONING,
    VPC,
    VPC_A,
    VPC_B,
    build,
    own,
    s3_inputs,
)


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
