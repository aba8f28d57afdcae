"""Building one DriftRepair component under the mocks, for the drift-repair tests."""

from __future__ import annotations

from typing import Any

from components.drift_repair.component import DriftRepair, DriftRepairArgs
from offline.mocks import FakeAws, ProgramRun, run_pulumi
from tests.support.program import fake_account

ACCOUNT = "123456789012"
LOG_GROUP_ARN = f"arn:aws:logs:us-east-1:{ACCOUNT}:log-group:/aws/vpc/flowlogs"
DELIVERY_ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/vpc-flow-logs-role-1a2b3c4"
BUCKET_ARN = "arn:aws:s3:::flow-logs-bucket"


def cloudwatch(**changes: Any) -> DriftRepairArgs:
    args = DriftRepairArgs(log_group_arn=LOG_GROUP_ARN, delivery_role_arn=DELIVERY_ROLE_ARN)
    args.update(changes)  # type: ignore[typeddict-item]
    return args


def build(
    args: DriftRepairArgs | None = None,
    *,
    aws_account: FakeAws | None = None,
    preview: bool = False,
    raise_errors: bool = True,
) -> ProgramRun:
    """Declare one DriftRepair component under the mocks."""
    return run_pulumi(
        lambda: DriftRepair("repair", args if args is not None else cloudwatch()),
        {},
        aws_account or fake_account(),
        project="vpc-flow-logs",
        stack="test",
        preview=preview,
        raise_errors=raise_errors,
    )
