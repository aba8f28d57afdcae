"""The VpcFlowLogs component declared alone under the mocks, for its tests."""

from __future__ import annotations

from typing import Any

from components import COMPONENT_TYPE, FlowLogOptions, VpcFlowLogs
from components.flow_logs.component import flow_log_args
from components.flow_logs.targets import FlowLogTargets
from offline.mocks import FakeAws, ProgramRun, RecordedResource, run_pulumi
from tests.support.program import fake_account

LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
KEY = "aws:kms/key:Key"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
VPC = "aws:ec2/vpc:Vpc"

VPC_A = "vpc-0a1b2c3d4e5f60718"
VPC_B = "vpc-1f2e3d4c"


def build(
    options: FlowLogOptions | None = None,
    vpc_ids: dict[str, Any] | None = None,
    *,
    aws_account: FakeAws | None = None,
    preview: bool = False,
) -> ProgramRun:
    """Declare one VpcFlowLogs component under the mocks."""

    def program() -> None:
        args = flow_log_args(FlowLogTargets(), options or FlowLogOptions())
        args["vpc_ids"] = vpc_ids if vpc_ids is not None else {VPC_A: VPC_A}
        VpcFlowLogs("flows", args)

    return run_pulumi(
        program,
        {},
        aws_account or fake_account(),
        project="vpc-flow-logs",
        stack="test",
        preview=preview,
    )


def component(run: ProgramRun) -> RecordedResource:
    return run.one(COMPONENT_TYPE)
