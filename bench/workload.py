"""What the program benchmark runs: a fake account of N VPCs per region, and the config of the
program (the dev stack, switched to every VPC) or of the bare baseline."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from offline.mocks import FakeAws, FakeVpc
from offline.stack_config import load_stack_config

REPO_ROOT = Path(__file__).resolve().parent.parent
BARE_DIR = Path(__file__).resolve().parent / "bare_flow_logs"
PROJECT = "vpc-flow-logs"
BARE_PROJECT = "bench"
BENCH_REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2")
"""Regions the multi-region run spreads VPCs over; the first is the stack's own."""


def fake_vpcs(count: int, region: str) -> list[FakeVpc]:
    """``count`` VPCs with realistic ids (``vpc-`` and 17 hex digits), the same in every run."""
    return [
        FakeVpc(
            id="vpc-" + hashlib.sha256(f"bench-vpc-{region}-{i}".encode()).hexdigest()[:17],
            region=region,
        )
        for i in range(count)
    ]


def program_config(regions: tuple[str, ...]) -> dict[str, str]:
    """The dev stack's config as the CLI would resolve it, switched to log every VPC.

    Starting from the dev stack keeps every other setting realistic; ``vpcName`` is cleared
    because the settings refuse more than one VPC selection.
    """
    values = dict(load_stack_config(REPO_ROOT, "dev").values)
    values[f"{PROJECT}:vpcName"] = ""
    values[f"{PROJECT}:vpcIds"] = "[]"
    values[f"{PROJECT}:allVpcs"] = "true"
    if len(regions) > 1:
        values[f"{PROJECT}:regions"] = json.dumps(list(regions))
    return values


def run_config(which: str, vpcs: int, regions: int) -> tuple[str, dict[str, str], FakeAws]:
    """The project name, config and fake account of one run of ``which`` (program or bare)."""
    covered = BENCH_REGIONS[:regions]
    aws = FakeAws(
        region=covered[0], vpcs=[vpc for region in covered for vpc in fake_vpcs(vpcs, region)]
    )
    if which == "program":
        return PROJECT, program_config(covered), aws
    if which == "bare":
        return BARE_PROJECT, {f"{BARE_PROJECT}:regions": json.dumps(list(covered))}, aws
    raise ValueError(f"which: {which!r} is neither 'program' nor 'bare'")
