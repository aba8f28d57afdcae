"""The program benchmark still measures what it claims: both programs run in a fresh interpreter
over the same fake account, the baseline registers one flow log per VPC, and the program one
more per extra VPC. Nothing here is timed; the benchmark's figures are its own."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bench.program_bench import check_regions_target, check_targets, measure


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
