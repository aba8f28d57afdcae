"""The program benchmark still measures what it claims: both programs run in a fresh interpreter
over the same fake account, the baseline registers one flow log per VPC, and the program one
more per extra VPC. Nothing here is timed; the benchmark's figures are its own."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import replace

import pytest

from bench.program_bench import check_regions_target, check_targets, measure
from tests.support.program import PROJECT_DIR

_FROZEN = """
import gc, json, sys
from tests.support.program import run_stack_file
before = gc.get_freeze_count()
run_stack_file("dev")
import pulumi_aws
tracked = {id(o) for o in gc.get_objects()}
print(json.dumps({
    "before": before,
    "frozen": gc.get_freeze_count(),
    "flow_log_class_frozen": id(pulumi_aws.ec2.FlowLog) not in tracked,
}))
"""


def test_program_and_baseline_register_what_the_benchmark_compares() -> None:
    one, three = measure(1, repeat=1), measure(3, repeat=1)

    # The dev stack's fixed part: the component, its log group, role and policy.
    assert (one.program.resources, one.bare.resources) == (5, 1)
    assert (three.program.resources, three.bare.resources) == (7, 3)
    assert one.program.seconds > 0 and one.bare.wall_seconds > 0


def test_several_regions_add_each_regions_fixed_part() -> None:
    row = measure(2, repeat=1, regions=2)

    assert (row.vpcs, row.program.resources, row.bare.resources) == (4, 12, 4)


def test_the_growth_check_fails_when_a_vpc_adds_more_than_one_resource(
    capsys: pytest.CaptureFixture[str],
) -> None:
    one, three = measure(1, repeat=1), measure(3, repeat=1)
    grown = replace(three, program=replace(three.program, resources=8))

    assert check_targets([one, grown]) is False
    assert "FAIL  exactly one resource per extra VPC" in capsys.readouterr().out


def test_the_regions_check_counts_four_resources_a_region(
    capsys: pytest.CaptureFixture[str],
) -> None:
    row = measure(2, repeat=1, regions=2)
    check_regions_target(replace(row, program=replace(row.program, resources=13)), 2)

    assert "FAIL  2 regions add 9 resources beyond one per VPC (expected 8)" in (
        capsys.readouterr().out
    )


def test_the_program_freezes_what_its_imports_made() -> None:
    # A fresh interpreter, as pulumi up starts one: in this process other tests froze nothing,
    # but they imported everything long ago.
    result = subprocess.run(
        [sys.executable, "-c", _FROZEN],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(result.stdout.splitlines()[-1])

    assert found["before"] == 0
    # pulumi-aws's EC2 service alone, loaded by the VPC lookups, makes some 80,000 objects.
    assert found["frozen"] > 80_000
    assert found["flow_log_class_frozen"] is True
