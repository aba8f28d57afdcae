"""What the S3FlowLogs component refuses before it registers anything, and its public type
and schema."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from components import S3_FLOW_LOGS_TYPE, S3FlowLogs, S3FlowLogsArgs, SettingsError
from offline.mocks import run_pulumi
from tests.support.program import fake_account
from tests.support.s3_delivery import (
    KEY_ARN,
    VPC_A,
)


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
