"""What the VpcFlowLogs component refuses, before it registers anything, and the values it
accepts in the forms the engine sends them."""

from __future__ import annotations

import gc
from typing import Any

import pulumi
import pytest

from components import (
    COMPONENT_TYPE,
    SettingsError,
    VpcFlowLogs,
    VpcFlowLogsArgs,
)
from offline.mocks import run_pulumi
from tests.support.flow_logs import (
    LOG_GROUP,
    VPC_A,
)
from tests.support.program import fake_account


@pytest.mark.parametrize(
    ("vpc_ids", "message"),
    [
        (
            {},
            "vpcIds, subnetIds, eniIds, transitGatewayIds and transitGatewayAttachmentIds are "
            "all empty; give at least one target to log.",
        ),
        (
            {"a": "vpc-xyz"},
            "vpcIds: 'vpc-xyz' is not a VPC id; "
            "expected 'vpc-' followed by 8 or 17 lowercase hex digits.",
        ),
    ],
)
def test_bad_vpc_ids_register_nothing(vpc_ids: dict[str, Any], message: str) -> None:
    def program() -> None:
        VpcFlowLogs("flows", VpcFlowLogsArgs(vpc_ids=vpc_ids))

    run = run_pulumi(program, {}, fake_account(), project="p", stack="test", raise_errors=False)

    assert isinstance(run.error, SettingsError)
    assert str(run.error) == message
    assert run.resources == []


def test_the_type_token_is_public_and_stable() -> None:
    assert COMPONENT_TYPE == "vpc-flow-logs:index:VpcFlowLogs"
    assert issubclass(VpcFlowLogs, pulumi.ComponentResource)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            {"traffic_type": "BOGUS"},
            "trafficType: 'BOGUS' is not a flow-log traffic type; use one of ALL, ACCEPT, REJECT.",
        ),
        (
            {"max_aggregation_interval": 300},
            "maxAggregationInterval: 300 is not allowed; use 60 or 600 (seconds).",
        ),
        (
            {"retention_in_days": 0},
            "retentionInDays: 0 means never expire, which this project refuses; use one of 1, 3, "
            "5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, "
            "2922, 3288, 3653.",
        ),
        (
            {"log_group_name": "aws/flows"},
            "logGroupName: 'aws/flows' starts with 'aws/', which AWS reserves; use a name such "
            "as '/aws/vpc/flowlogs'.",
        ),
        (
            {"log_format": ["version", "version"]},
            "logFormat: 'version' appears more than once; list each field once.",
        ),
        (
            {"tags": {"aws:owner": "me"}},
            "tags: key 'aws:owner' is not allowed; a tag key is 1 to 128 characters and must not "
            "start with 'aws:'.",
        ),
        (
            {"kms_key_arn": "alias/aws/logs"},
            "kmsKeyArn: 'alias/aws/logs' is not a KMS key ARN; expected "
            "arn:<partition>:kms:<region>:<account>:key/<key-id> (an alias is not accepted).",
        ),
        (
            {
                "kms_key_arn": "arn:aws:kms:us-east-1:123456789012:key/"
                "1234abcd-12ab-34cd-56ef-1234567890ab",
                "encrypt_logs": True,
            },
            "kmsKeyArn and encryptLogs are mutually exclusive: use an existing key (kmsKeyArn) "
            "or let the stack create one (encryptLogs: true), not both.",
        ),
        (
            {"flow_log_name": ""},
            "flowLogName: '' is not a valid Name tag; use 1 to 256 characters.",
        ),
    ],
)
def test_the_component_validates_its_own_args_and_registers_nothing(
    args: dict[str, Any], message: str
) -> None:
    """A program in another language never reads this stack's settings: the component checks."""

    def program() -> None:
        VpcFlowLogs("flows", VpcFlowLogsArgs(vpc_ids={VPC_A: VPC_A}, **args))  # type: ignore[typeddict-item]

    run = run_pulumi(program, {}, fake_account(), project="p", stack="test", raise_errors=False)

    assert isinstance(run.error, SettingsError)
    assert str(run.error) == message
    assert run.resources == []


def test_a_key_arn_that_is_an_output_is_checked_once_known() -> None:
    good = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

    def program(arn: str) -> None:
        VpcFlowLogs(
            "flows",
            VpcFlowLogsArgs(vpc_ids={VPC_A: VPC_A}, kms_key_arn=pulumi.Output.from_input(arn)),
        )

    run = run_pulumi(lambda: program(good), {}, fake_account(), project="p", stack="test")
    assert run.one(LOG_GROUP).inputs["kmsKeyId"] == good

    bad = run_pulumi(
        lambda: program("alias/logs"),
        {},
        fake_account(),
        project="p",
        stack="test",
        raise_errors=False,
    )
    assert isinstance(bad.error, SettingsError)
    assert str(bad.error).startswith("kmsKeyArn: 'alias/logs' is not a KMS key ARN;")
    # The failed output leaves futures nobody awaited; asyncio logs them, with tracebacks, when
    # they are collected. Collect them here: CPython 3.11.7 fails ast.parse for the rest of the
    # session ("AST constructor recursion depth mismatch") if that logging runs inside a parse.
    gc.collect()


def test_whole_numbers_sent_as_floats_are_accepted() -> None:
    """The provider protocol carries every number as a float."""
    run = run_pulumi(
        lambda: VpcFlowLogs(
            "flows",
            VpcFlowLogsArgs(vpc_ids={VPC_A: VPC_A}, retention_in_days=731.0),  # type: ignore[typeddict-item]
        ),
        {},
        fake_account(),
        project="p",
        stack="test",
    )

    assert run.one(LOG_GROUP).inputs["retentionInDays"] == 731
