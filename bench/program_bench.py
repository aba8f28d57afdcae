"""How the real program scales with the number of VPCs, against a bare baseline.

Each run is a fresh interpreter (``bench.run_once``), as ``pulumi up`` starts one: the program
(``__main__.py``, the dev stack switched to ``allVpcs: true``) or the baseline
(``bench/bare_flow_logs``: ``get_vpcs`` and one ``aws.ec2.FlowLog`` per VPC, no component, no
exports), both under ``offline.mocks`` over the same fake account of N VPCs. Each run's CPU time
is compared (wall time is printed beside it): on a shared two-core machine another process
stretches the wall clock far more than the CPU time. Program and baseline alternate within one
run of this script, and each keeps the best of its repeats.

Targets, each printed PASS or FAIL; the exit status is 1 if any fails:

- every VPC beyond the first adds exactly one resource to the program;
- at 1,000 VPCs the program takes at most 1.2x the baseline's time, and at 100 at most 1.3x
  (sizes other than these are reported, not held to a target);
- over several regions (3 x 300 VPCs by default), at most 1.5x a baseline that looks up and
  logs the same regions: each region adds its own component, lookups and four resources.

Usage, from the repository root::

    python -m bench.program_bench [--sizes 1,100,1000] [--regions 3x300] [--repeat 9]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from bench.workload import BENCH_REGIONS, REPO_ROOT

TARGETS: Mapping[int, float] = {100: 1.3, 1000: 1.2}
"""VPC count to the most the program may cost, as a multiple of the baseline's time."""
REGIONS_TARGET = 1.5


@dataclass(frozen=True)
class Measurement:
    """Resource count, CPU time and wall time of one run."""

    resources: int
    seconds: float
    """CPU seconds: what the targets hold."""
    wall_seconds: float


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


def run_once(which: str, vpcs: int, regions: int) -> Measurement:
    """One run of ``which`` in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-m", "bench.run_once", which, str(vpcs), str(regions)],
        cwd=REPO_ROOT,
        # One hash seed for every run, so that sets and dicts, and the garbage collector's work
        # on them, are laid out alike from run to run.
        env={**os.environ, "PYTHONHASHSEED": "0"},
        capture_output=True,
        text=True,
        check=True,
    )
    found = json.loads(result.stdout.splitlines()[-1])
    return Measurement(found["resources"], found["cpu_seconds"], found["wall_seconds"])


def measure(count: int, repeat: int, regions: int = 1) -> Row:
    """Run program and baseline ``repeat`` times each over ``count`` VPCs in each of
    ``regions`` regions, alternating which goes first; keep each one's best."""
    runs: dict[str, list[Measurement]] = {"program": [], "bare": []}
    for i in range(repeat):
        for which in ("program", "bare") if i % 2 == 0 else ("bare", "program"):
            runs[which].append(run_once(which, count, regions))
    for which, measured in runs.items():
        if len({m.resources for m in measured}) != 1:
            raise AssertionError(f"{which} registered different counts at {count} VPCs")
    best = {which: min(measured, key=lambda m: m.seconds) for which, measured in runs.items()}
    return Row(vpcs=count * regions, program=best["program"], bare=best["bare"])


def print_table(rows: Sequence[Row]) -> None:
    """The results, one line per size."""
    header = (
        "VPCs",
        "resources (program)",
        "resources (bare)",
        "program CPU s",
        "bare CPU s",
        "ratio",
        "wall ratio",
    )
    lines = [
        (
            f"{row.vpcs:,}",
            f"{row.program.resources:,}",
            f"{row.bare.resources:,}",
            f"{row.program.seconds:.3f}",
            f"{row.bare.seconds:.3f}",
            f"{row.ratio:.2f}",
            f"{row.program.wall_seconds / row.bare.wall_seconds:.2f}",
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
    smallest = rows[0]
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
        good = grew == extra
        growth_ok &= good
        print(
            f"  {row.vpcs:>6,} VPCs: +{grew:,} resources for +{extra:,} VPCs "
            f"({grew / extra:.3f}/VPC)"
            f"{'' if good else '  <- expected exactly one per VPC'}"
        )
    print(f"{'PASS' if growth_ok else 'FAIL'}  exactly one resource per extra VPC")
    ok &= growth_ok

    for row in rows:
        target = TARGETS.get(row.vpcs)
        if target is None:
            continue
        good = row.ratio <= target
        ok &= good
        print(
            f"{'PASS' if good else 'FAIL'}  program/bare time at {row.vpcs:,} VPCs: "
            f"{row.ratio:.2f} (target <= {target})"
        )
    return ok


def check_regions_target(row: Row, regions: int) -> bool:
    """Print PASS or FAIL for the multi-region run; True when it passes."""
    fixed = row.program.resources - row.bare.resources
    # Per region: the component, its log group, role and role policy.
    fixed_ok = fixed == 4 * regions
    ratio_ok = row.ratio <= REGIONS_TARGET
    print(
        f"{'PASS' if fixed_ok else 'FAIL'}  {regions} regions add {fixed} resources beyond one "
        f"per VPC (expected {4 * regions})"
    )
    print(
        f"{'PASS' if ratio_ok else 'FAIL'}  program/bare time over {regions} regions x "
        f"{row.vpcs // regions:,} VPCs: {row.ratio:.2f} (target <= {REGIONS_TARGET})"
    )
    return fixed_ok and ratio_ok


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    """``--sizes`` (comma-separated VPC counts), ``--regions`` and ``--repeat``."""
    parser = argparse.ArgumentParser(prog="python -m bench.program_bench", description=__doc__)
    parser.add_argument(
        "--sizes",
        type=lambda text: sorted({int(part) for part in text.split(",")}),
        default=[1, 100, 1000],
        help="comma-separated VPC counts (default: 1,100,1000)",
    )
    parser.add_argument(
        "--regions",
        type=lambda text: tuple(int(part) for part in text.lower().split("x")),
        default=(3, 300),
        help="the multi-region run, <regions>x<VPCs per region> (default: 3x300)",
    )
    parser.add_argument(
        "--repeat", type=int, default=9, help="runs of each program per size (default: 9)"
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
    rows = []
    for count in args.sizes:
        started = time.perf_counter()
        rows.append(measure(count, args.repeat))
        print(
            f"measured {count:,} VPCs x {args.repeat} in {time.perf_counter() - started:.1f} s",
            file=sys.stderr,
        )
    regions, per_region = args.regions
    regional = measure(per_region, args.repeat, regions=regions)

    print(f"best CPU time of {args.repeat} fresh runs each, program and baseline alternating")
    print_table(rows)
    print()
    print(f"{regions} regions x {per_region:,} VPCs (regions set; the baseline looks up each):")
    print_table([regional])
    print()
    sizes_ok = check_targets(rows)
    return 0 if check_regions_target(regional, regions) and sizes_ok else 1


if __name__ == "__main__":
    sys.exit(main())
