"""How the real program scales with the number of VPCs, against a bare baseline.

Runs ``__main__.py`` under ``offline.mocks`` with ``allVpcs: true`` over a fake account of N
VPCs, and ``bench/bare_flow_logs`` (one ``aws.ec2.FlowLog`` per VPC, nothing else) over the
same VPCs through the same ``run_program`` and mocks, so the only difference is the component
and its lookups. Both are timed in the same process and run, repeated, and compared by median.

Targets, each printed PASS or FAIL; the exit status is 1 if any fails:

- every VPC beyond the first adds exactly one resource to the program;
- at the largest size (1,000 by default) the program takes at most 1.5x the baseline's time;
- over several regions (3 x 300 VPCs by default, ``regions`` set), the program takes at most
  1.5x the time of a baseline that gives each flow log its region.

Usage, from the repository root::

    python -m bench.program_bench [--sizes 1,100,1000] [--regions 3x300] [--repeat 5]
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import statistics
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from offline.mocks import FakeAws, FakeVpc, ProgramRun, run_program
from offline.stack_config import load_stack_config

REPO_ROOT = Path(__file__).resolve().parent.parent
BARE_DIR = Path(__file__).resolve().parent / "bare_flow_logs"
PROJECT = "vpc-flow-logs"
STACK = "dev"
BARE_PROJECT = "bench"

MAX_RATIO = 1.5
"""The program may take at most this multiple of the baseline's time at the largest size."""


@dataclass(frozen=True)
class Measurement:
    """Median wall time and resource count of one program at one size."""

    resources: int
    seconds: float


@dataclass(frozen=True)
class Row:
    """One size's results, program against baseline."""

    vpcs: int
    program: Measurement
    bare: Measurement

    @property
    def ratio(self) -> float:
        """Program time over baseline time."""
        return self.program.seconds / self.bare.seconds


BENCH_REGIONS = ("us-east-1", "us-west-2", "eu-west-1", "eu-central-1", "ap-southeast-2")
"""Regions the multi-region run spreads VPCs over; the first is the stack's own."""


def fake_vpcs(count: int, region: str | None = None) -> list[FakeVpc]:
    """``count`` VPCs with realistic ids (``vpc-`` and 17 hex digits), the same in every run."""
    return [
        FakeVpc(
            id="vpc-" + hashlib.sha256(f"bench-vpc-{region}-{i}".encode()).hexdigest()[:17],
            region=region,
        )
        for i in range(count)
    ]


def program_config() -> dict[str, str]:
    """The dev stack's config as the CLI would resolve it, switched to log every VPC.

    Starting from the dev stack keeps every other setting realistic; ``vpcName`` is cleared
    because the settings refuse more than one VPC selection.
    """
    values = dict(load_stack_config(REPO_ROOT, STACK).values)
    values[f"{PROJECT}:vpcName"] = ""
    values[f"{PROJECT}:vpcIds"] = "[]"
    values[f"{PROJECT}:allVpcs"] = "true"
    return values


def bare_config(vpcs: Sequence[FakeVpc]) -> dict[str, str]:
    """The baseline's settings: the VPC ids, and their regions when any is not the provider's,
    as the JSON lists the CLI would pass."""
    config = {f"{BARE_PROJECT}:vpcIds": json.dumps([vpc.id for vpc in vpcs])}
    if any(vpc.region for vpc in vpcs):
        config[f"{BARE_PROJECT}:regions"] = json.dumps([vpc.region for vpc in vpcs])
    return config


def _timed(run: Callable[[], ProgramRun]) -> tuple[int, float]:
    """Resources registered and wall seconds for one run."""
    # Collect the previous run's garbage now, so it is not charged to whichever run comes next.
    gc.collect()
    start = time.perf_counter()
    result = run()
    elapsed = time.perf_counter() - start
    return len(result.resources), elapsed


def measure(count: int, repeat: int, config: Mapping[str, str], regions: int = 1) -> Row:
    """Run program and baseline ``repeat`` times each over ``count`` VPCs in each of
    ``regions`` regions; keep the medians."""
    covered = BENCH_REGIONS[:regions]
    vpcs = [vpc for region in covered for vpc in fake_vpcs(count, region)]
    aws = FakeAws(region=covered[0], vpcs=vpcs)
    # The home region's flow logs take no region argument in the program; nor do they here.
    bare_cfg = bare_config(
        [FakeVpc(v.id, region=None if v.region == covered[0] else v.region) for v in vpcs]
    )
    if regions > 1:
        config = {**config, f"{PROJECT}:regions": json.dumps(list(covered))}

    def program() -> ProgramRun:
        return run_program(REPO_ROOT, config, aws, project=PROJECT, stack=STACK)

    def bare() -> ProgramRun:
        return run_program(BARE_DIR, bare_cfg, aws, project=BARE_PROJECT, stack=STACK)

    times: dict[str, list[float]] = {"program": [], "bare": []}
    counts: dict[str, set[int]] = {"program": set(), "bare": set()}
    runs = {"program": program, "bare": bare}
    for i in range(repeat):
        # Alternate which goes first, so drift (heat, caches, the other core's load) is shared.
        order = ("program", "bare") if i % 2 == 0 else ("bare", "program")
        for which in order:
            resources, seconds = _timed(runs[which])
            times[which].append(seconds)
            counts[which].add(resources)
    for which, seen in counts.items():
        if len(seen) != 1:
            raise AssertionError(f"{which} registered {sorted(seen)} resources at {count} VPCs")
    return Row(
        vpcs=count * regions,
        program=Measurement(counts["program"].pop(), statistics.median(times["program"])),
        bare=Measurement(counts["bare"].pop(), statistics.median(times["bare"])),
    )


def print_table(rows: Sequence[Row]) -> None:
    """The results, one line per size."""
    header = ("VPCs", "resources (program)", "resources (bare)", "program s", "bare s", "ratio")
    lines = [
        (
            f"{row.vpcs:,}",
            f"{row.program.resources:,}",
            f"{row.bare.resources:,}",
            f"{row.program.seconds:.3f}",
            f"{row.bare.seconds:.3f}",
            f"{row.ratio:.2f}",
        )
        for row in rows
    ]
    widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]
    print(" | ".join(h.rjust(w) for h, w in zip(header, widths, strict=True)))
    print("-|-".join("-" * w for w in widths))
    for line in lines:
        print(" | ".join(cell.rjust(w) for cell, w in zip(line, widths, strict=True)))


def check_targets(rows: Sequence[Row]) -> bool:
    """Print PASS or FAIL for each target; True when all pass."""
    smallest, largest = rows[0], rows[-1]
    ok = True

    for row in rows:
        if row.bare.resources != row.vpcs:
            print(f"FAIL  baseline sanity: {row.bare.resources} resources for {row.vpcs} VPCs")
            ok = False

    growth_ok = True
    print(
        f"per-extra-VPC growth, against {smallest.vpcs} VPC(s) "
        f"({smallest.program.resources} resources):"
    )
    for row in rows[1:]:
        grew = row.program.resources - smallest.program.resources
        extra = row.vpcs - smallest.vpcs
        per_vpc = grew / extra
        good = grew == extra
        growth_ok &= good
        print(
            f"  {row.vpcs:>6,} VPCs: +{grew:,} resources for +{extra:,} VPCs ({per_vpc:.3f}/VPC)"
            f"{'' if good else '  <- expected exactly one per VPC'}"
        )
    print(f"{'PASS' if growth_ok else 'FAIL'}  exactly one resource per extra VPC")
    ok &= growth_ok

    ratio_ok = largest.ratio <= MAX_RATIO
    print(
        f"{'PASS' if ratio_ok else 'FAIL'}  program/bare time at {largest.vpcs:,} VPCs: "
        f"{largest.ratio:.2f} (target <= {MAX_RATIO})"
    )
    return ok and ratio_ok


def check_regions_target(row: Row, regions: int) -> bool:
    """Print PASS or FAIL for the multi-region run; True when it passes."""
    fixed = row.program.resources - row.bare.resources
    # Per region: the component, its log group, role and role policy.
    fixed_ok = fixed == 4 * regions
    ratio_ok = row.ratio <= MAX_RATIO
    print(
        f"{'PASS' if fixed_ok else 'FAIL'}  {regions} regions add {fixed} resources beyond one "
        f"per VPC (expected {4 * regions})"
    )
    print(
        f"{'PASS' if ratio_ok else 'FAIL'}  program/bare time over {regions} regions x "
        f"{row.vpcs // regions:,} VPCs: {row.ratio:.2f} (target <= {MAX_RATIO})"
    )
    return fixed_ok and ratio_ok


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """``--sizes`` (comma-separated VPC counts) and ``--repeat``."""
    parser = argparse.ArgumentParser(prog="python -m bench.program_bench", description=__doc__)
    parser.add_argument(
        "--sizes",
        type=lambda text: sorted({int(part) for part in text.split(",")}),
        default=[1, 100, 1000],
        help="comma-separated VPC counts; the largest is held to the ratio target "
        "(default: 1,100,1000)",
    )
    parser.add_argument(
        "--regions",
        type=lambda text: tuple(int(part) for part in text.lower().split("x")),
        default=(3, 300),
        help="the multi-region run, <regions>x<VPCs per region> (default: 3x300)",
    )
    parser.add_argument(
        "--repeat", type=int, default=5, help="runs of each program per size (default: 5)"
    )
    args = parser.parse_args(argv)
    if not args.sizes or min(args.sizes) < 1:
        parser.error("--sizes: every size must be at least 1")
    if len(args.sizes) < 2:
        parser.error("--sizes: give at least two sizes, to measure growth per VPC")
    if args.repeat < 1:
        parser.error("--repeat: must be at least 1")
    if len(args.regions) != 2 or not 2 <= args.regions[0] <= len(BENCH_REGIONS):
        parser.error(f"--regions: <2 to {len(BENCH_REGIONS)}>x<VPCs per region>, e.g. 3x300")
    return args


def main(argv: Sequence[str] | None = None) -> int:
    """Measure, print the table and the targets; 0 when all targets pass, else 1."""
    args = parse_args(argv)
    config = program_config()
    # Warm up: the first run pays for importing pulumi_aws and the components, which would
    # otherwise land on whichever program runs first at the smallest size.
    measure(1, 1, config)

    rows = []
    for count in args.sizes:
        started = time.perf_counter()
        rows.append(measure(count, args.repeat, config))
        print(
            f"measured {count:,} VPCs x {args.repeat} in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )

    regions, per_region = args.regions
    regional = measure(per_region, args.repeat, config, regions=regions)

    print(f"median of {args.repeat} runs each, program and baseline alternating")
    print_table(rows)
    print()
    print(f"{regions} regions x {per_region:,} VPCs (regions set; the baseline sets each region):")
    print_table([regional])
    print()
    sizes_ok = check_targets(rows)
    return 0 if check_regions_target(regional, regions) and sizes_ok else 1


if __name__ == "__main__":
    sys.exit(main())
