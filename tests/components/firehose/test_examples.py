"""The cross-account example of docs/firehose.md, both sides, each run in its own account under
mocks: the stream's account makes the destination role the member's stack names, and the
member's flow log carries both roles; each side passes the policy pack's mandatory policies."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from offline.check import _analyze
from offline.mocks import FakeAws, FakeVpc
from offline.stack_config import resolve_config
from tests.support.markdown import fenced
from tests.support.program import PROJECT, PROJECT_DIR, run_stack

PAGE = PROJECT_DIR / "docs" / "firehose.md"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"


def example(stack: str) -> dict[str, Any]:
    """The config of the page's ``Pulumi.<stack>.yaml`` block, without namespaces."""
    (text,) = [code for code in fenced(PAGE, "yaml") if f"# Pulumi.{stack}.yaml" in code]
    config: dict[str, Any] = yaml.safe_load(text)["config"]
    return {key.removeprefix(f"{PROJECT}:"): value for key, value in config.items()}


def account(account_id: str, vpc_name: str) -> FakeAws:
    return FakeAws(account_id=account_id, vpcs=[FakeVpc("vpc-0a1b2c3d", name=vpc_name)])


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_both_sides_of_the_cross_account_example_deploy_and_fit_together(preview: bool) -> None:
    archive_config, member_config = example("siem-archive"), example("siem-member")
    archive = run_stack(
        archive_config,
        aws=account("222222222222", archive_config["vpcName"]),
        preview=preview,
        stack="siem-archive",
    )
    member = run_stack(
        member_config,
        aws=account("111111111111", member_config["vpcName"]),
        preview=preview,
        stack="siem-member",
    )
    (firehose_log,) = [f for f in member.of_type(FLOW_LOG) if "firehose" in f.name]

    assert (
        firehose_log.inputs["deliverCrossAccountRole"]
        == (member_config["firehoseCrossAccountRoleArn"])
    )
    assert "iamRoleArn" in firehose_log.inputs
    if not preview:
        # The destination role the archive stack outputs is the one the member names.
        assert (
            archive.stack_outputs["firehoseDestinationRoleArn"]
            == (member_config["firehoseCrossAccountRoleArn"])
        )
    for run, stack, config in (
        (archive, "siem-archive", archive_config),
        (member, "siem-member", member_config),
    ):
        resolved = resolve_config(PROJECT_DIR, stack, config)
        diagnostics, _ = _analyze(run, resolved, PROJECT_DIR / "policy", None, preview)
        assert [d for d in diagnostics if d.enforcement_level == "mandatory"] == [], stack
