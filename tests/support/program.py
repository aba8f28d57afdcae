"""Running this project's program under mocks, against a fake AWS account."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from offline.archive_stack import with_archive
from offline.mocks import FakeAws, FakeVpc, ProgramRun, run_program
from offline.stack_config import StackConfig, load_stack_config, resolve_config

PROJECT_DIR = Path(__file__).resolve().parents[2]
PROJECT = "vpc-flow-logs"

ASG_VPC = FakeVpc("vpc-0a1b2c3d4e5f60718", name="ASG-VPC")
DEFAULT_VPC = FakeVpc("vpc-1f2e3d4c", name="default", is_default=True)
APP_VPC = FakeVpc("vpc-0fedcba9876543210", name="app")
WEST_VPC = FakeVpc("vpc-0b1b2b3b4b5b6b7b8", name="west-app", region="us-west-2")


def fake_account(**changes: Any) -> FakeAws:
    """The account the tests deploy to: three VPCs in us-east-1, one of them the region's
    default, and one in us-west-2, which prod also covers."""
    return FakeAws(vpcs=[ASG_VPC, DEFAULT_VPC, APP_VPC, WEST_VPC], **changes)


def run_stack(
    config: Mapping[str, Any] | None = None,
    *,
    aws: FakeAws | None = None,
    preview: bool = False,
    stack: str = "test",
    raise_errors: bool = True,
) -> ProgramRun:
    """Run ``__main__.py`` with ``config`` given as a stack file's ``config:`` would give it.

    Values are merged over ``Pulumi.yaml``'s defaults the way the CLI merges them.
    """
    resolved = resolve_config(PROJECT_DIR, stack, config or {})
    return _run(resolved, aws, preview, raise_errors)


def run_stack_file(stack: str, *, aws: FakeAws | None = None, preview: bool = False) -> ProgramRun:
    """Run ``__main__.py`` with ``Pulumi.<stack>.yaml``'s config, as ``pulumi up`` would."""
    config = load_stack_config(PROJECT_DIR, stack)
    # A member's archive is the committed archive stack, run first for its outputs.
    aws = with_archive(PROJECT_DIR, config, aws or fake_account())
    return _run(config, aws, preview, raise_errors=True)


def _run(config: StackConfig, aws: FakeAws | None, preview: bool, raise_errors: bool) -> ProgramRun:
    return run_program(
        PROJECT_DIR,
        config.values,
        aws or fake_account(),
        project=PROJECT,
        stack=config.stack,
        preview=preview,
        raise_errors=raise_errors,
    )


def document(text: str) -> dict[str, Any]:
    """Parse a JSON policy document as the resource received it."""
    parsed: dict[str, Any] = json.loads(text)
    return parsed
