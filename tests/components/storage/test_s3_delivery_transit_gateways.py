"""Transit gateways' flow logs in S3: a folder of their own, admitted by the bucket policy, kept
by the lifecycle, and never inside the VPC table's location or any partition it projects."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest

from components import S3_FLOW_LOGS_TYPE, FlowLogAthena, S3FlowLogs, S3FlowLogsArgs
from components.flow_logs.settings import FlowLogOptions
from components.storage.athena import athena_args
from components.storage.settings import Destination, StorageSettings
from offline.mocks import ProgramRun, RecordedResource, run_pulumi
from tests.support.program import document, fake_account
from tests.support.projection import resolve_projection

FLOW_LOG = "aws:ec2/flowLog:FlowLog"
TABLE = "aws:glue/catalogTable:CatalogTable"
VPC_A = "vpc-0a1b2c3d4e5f60718"
SUBNET = "subnet-0a1b2c3d"
TGW = "tgw-0a1b2c3d"
ATTACHMENT = "tgw-attach-0a1b2c3d4e5f60718"
NAME = "logs-test-123456789012-us-east-1"
WHEN = datetime(2026, 3, 9, 7, 41, tzinfo=UTC)
EVERY_KIND = {
    "vpc_ids": {VPC_A: VPC_A},
    "subnet_ids": {SUBNET: SUBNET},
    "transit_gateway_ids": {TGW: TGW},
    "transit_gateway_attachment_ids": {ATTACHMENT: ATTACHMENT},
}

EVERY_KIND_KEYS = (VPC_A, SUBNET, TGW, ATTACHMENT)


def build(**args: Any) -> ProgramRun:
    def program() -> None:
        S3FlowLogs("logs", S3FlowLogsArgs(**{**EVERY_KIND, **args}))  # type: ignore[typeddict-item]

    return run_pulumi(program, {}, fake_account(), project="p", stack="test")


def named(run: ProgramRun, name: str) -> RecordedResource:
    (resource,) = (r for r in run.resources if r.name == name)
    return resource


def destinations(run: ProgramRun) -> dict[str, str]:
    return {f.name.removeprefix("logs-"): f.inputs["logDestination"] for f in run.of_type(FLOW_LOG)}


@pytest.mark.parametrize(("prefix", "path"), [("", ""), ("net/fl", "/net/fl")])
def test_transit_gateways_and_attachments_deliver_to_a_folder_of_their_own(
    prefix: str, path: str
) -> None:
    run = build(prefix=prefix)

    assert destinations(run) == {
        VPC_A: f"arn:aws:s3:::{NAME}{path}",
        SUBNET: f"arn:aws:s3:::{NAME}{path}",
        TGW: f"arn:aws:s3:::{NAME}{path}/transit-gateways",
        ATTACHMENT: f"arn:aws:s3:::{NAME}{path}/transit-gateways",
    }
    options = {f.inputs["destinationOptions"]["fileFormat"] for f in run.of_type(FLOW_LOG)}
    assert options == {"parquet"}
    # Every flow log waits for the policy that admits it.
    for flow_log in run.of_type(FLOW_LOG):
        assert named(run, "logs-policy").urn in flow_log.dependencies


@pytest.mark.parametrize("hive", [True, False])
def test_the_bucket_policy_admits_delivery_to_the_transit_gateway_folder(hive: bool) -> None:
    policy = document(
        named(build(prefix="fl", hive_partitions=hive), "logs-policy").inputs["policy"]
    )
    statements = {s["Sid"]: s for s in policy["Statement"]}
    account = "aws-account-id=123456789012" if hive else "123456789012"

    write, gateways = (
        statements["AWSLogDeliveryWrite"],
        statements["AWSLogDeliveryWriteTransitGateways"],
    )
    assert write["Resource"] == f"arn:aws:s3:::{NAME}/fl/AWSLogs/{account}/*"
    assert gateways == {
        **write,
        "Sid": "AWSLogDeliveryWriteTransitGateways",
        "Resource": f"arn:aws:s3:::{NAME}/fl/transit-gateways/AWSLogs/{account}/*",
    }


def test_without_transit_gateways_the_policy_admits_only_the_vpc_folder() -> None:
    run = build(transit_gateway_ids={}, transit_gateway_attachment_ids={})
    sids = [s["Sid"] for s in document(named(run, "logs-policy").inputs["policy"])["Statement"]]

    assert sids == ["AWSLogDeliveryWrite", "AWSLogDeliveryAclCheck", "DenyInsecureTransport"]
    outputs = run.component_outputs[run.one(S3_FLOW_LOGS_TYPE).urn]
    assert outputs.get("transitGatewayPrefix") is None


def test_outputs_name_the_folder_and_every_flow_log() -> None:
    run = build(prefix="fl")
    outputs = run.component_outputs[run.one(S3_FLOW_LOGS_TYPE).urn]
    ids = {f.name.removeprefix("logs-"): f.id for f in run.of_type(FLOW_LOG)}

    assert outputs["transitGatewayPrefix"] == "fl/transit-gateways"
    assert outputs["logDestination"] == f"arn:aws:s3:::{NAME}/fl"
    assert outputs["targetFlowLogIds"] == {key: ids[key] for key in EVERY_KIND_KEYS}
    assert outputs["vpcIds"] == [VPC_A]
    assert outputs["flowLogIds"] == [ids[VPC_A]]


def test_an_existing_bucket_gets_the_transit_gateways_in_their_own_folder_too() -> None:
    run = build(bucket_arn="arn:aws:s3:::org-archive", prefix="fl")

    assert destinations(run)[TGW] == "arn:aws:s3:::org-archive/fl/transit-gateways"
    assert destinations(run)[VPC_A] == "arn:aws:s3:::org-archive/fl"


def aws_object_key(destination: str, hive: bool, per_hour: bool) -> str:
    """The key AWS writes for a flow log delivered to ``destination`` (FACTS.md's layout, the
    same ``vpcflowlogs`` service folder for transit gateways)."""
    _, _, path = destination.split(":::", 1)[1].partition("/")
    folder = f"{path}/" if path else ""
    if hive:
        dated = "year=2026/month=03/day=09/" + ("hour=07/" if per_hour else "")
        return (
            f"{folder}AWSLogs/aws-account-id=123456789012/aws-service=vpcflowlogs/"
            f"aws-region=us-east-1/{dated}file.log.gz"
        )
    dated = "2026/03/09/" + ("07/" if per_hour else "")
    return f"{folder}AWSLogs/123456789012/vpcflowlogs/us-east-1/{dated}file.log.gz"


@pytest.mark.parametrize("prefix", ["", "fl"])
@pytest.mark.parametrize("hive", [True, False])
@pytest.mark.parametrize("per_hour", [True, False])
def test_the_vpc_table_never_reads_a_transit_gateway_record(
    prefix: str, hive: bool, per_hour: bool
) -> None:
    storage = StorageSettings(
        destination=Destination.S3, prefix=prefix, hive_partitions=hive, per_hour_partition=per_hour
    )
    options = FlowLogOptions()

    def program() -> None:
        args = {**EVERY_KIND, "prefix": prefix, "hive_partitions": hive}
        s3 = S3FlowLogs("logs", S3FlowLogsArgs(**args, per_hour_partition=per_hour))  # type: ignore[typeddict-item]
        FlowLogAthena("q", athena_args(s3, options, storage))

    run = run_pulumi(program, {}, fake_account(), project="p", stack="test")
    table = run.one(TABLE).inputs
    location = table["storageDescriptor"]["location"].removeprefix(f"s3://{NAME}/")
    partition = resolve_projection(table, WHEN).removeprefix(f"s3://{NAME}/")
    keys = {
        name: aws_object_key(destination, hive, per_hour)
        for name, destination in destinations(run).items()
    }

    for vpc_format in (VPC_A, SUBNET):
        assert keys[vpc_format].startswith(partition)
    for gateway_format in (TGW, ATTACHMENT):
        assert not keys[gateway_format].startswith(location)
        assert not keys[gateway_format].startswith(partition)
