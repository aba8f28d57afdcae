"""The read-only role docs/permissions.md gives pull-request previews covers exactly what the
committed stacks look up in a preview, and can write nothing."""

from __future__ import annotations

import json

import pytest

from tests.support.markdown import fenced
from tests.support.program import PROJECT_DIR, run_stack_file

PAGE = PROJECT_DIR / "docs" / "permissions.md"
# What each lookup the program makes asks of AWS; the others are answered by the provider.
ACTIONS = {
    "aws:ec2/getVpcs:getVpcs": {"ec2:DescribeVpcs"},
    "aws:index/getCallerIdentity:getCallerIdentity": set(),  # sts:GetCallerIdentity needs none
    "aws:index/getRegion:getRegion": set(),
    "aws:index/getPartition:getPartition": set(),
}


def _preview_policy() -> dict[str, object]:
    (block,) = [code for code in fenced(PAGE, "json") if "LookUpVpcs" in code]
    policy: dict[str, object] = json.loads(block)
    return policy


@pytest.mark.parametrize("stack", ["dev", "prod"])
def test_the_preview_role_allows_every_lookup_of_a_preview(stack: str) -> None:
    tokens = {invoke.token for invoke in run_stack_file(stack, preview=True).invokes}
    statements = _preview_policy()["Statement"]
    assert isinstance(statements, list)
    allowed = {s["Action"] for s in statements}

    assert tokens <= set(ACTIONS), "a lookup this test does not know"
    assert set().union(*(ACTIONS[t] for t in tokens)) == allowed


def test_the_preview_role_reads_only() -> None:
    statements = _preview_policy()["Statement"]
    assert isinstance(statements, list)
    assert all(
        s["Effect"] == "Allow" and s["Action"].split(":")[1].startswith("Describe")
        for s in statements
    )
