"""What each committed stack registers: every resource's URN, parent, inputs and options.

A deployed stack sees no replacement and no new or deleted resource exactly when these are
unchanged, so the snapshots under ``tests/snapshots/`` pin them. A change that is meant to alter
what a stack registers rewrites them, and the diff shows a reviewer every URN and input it
touches:

    venv/bin/python -m tests.support.registrations --write
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from tests.support.program import PROJECT_DIR, run_stack_file

SNAPSHOTS = Path(__file__).resolve().parents[1] / "snapshots"
STACKS = sorted(p.name.split(".")[1] for p in PROJECT_DIR.glob("Pulumi.*.yaml"))


def registrations(stack: str, *, preview: bool = False) -> list[dict[str, Any]]:
    """What ``Pulumi.<stack>.yaml`` registers under mocks, sorted by URN."""
    run = run_stack_file(stack, preview=preview)
    return sorted(
        (
            {
                "urn": r.urn,
                "parent": r.parent,
                "inputs": r.inputs,
                "dependencies": sorted(r.dependencies),
                "protect": r.protect,
                "deleteBeforeReplace": r.delete_before_replace,
            }
            for r in run.resources
        ),
        key=lambda r: r["urn"],
    )


def snapshot_path(stack: str, *, preview: bool = False) -> Path:
    return SNAPSHOTS / f"{stack}{'.preview' if preview else ''}.json"


def render(entries: list[dict[str, Any]]) -> str:
    return json.dumps(entries, indent=1, sort_keys=True) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write", action="store_true", help="rewrite the snapshots")
    args = parser.parse_args()
    for stack in STACKS:
        for preview in (False, True):
            entries = registrations(stack, preview=preview)
            path = snapshot_path(stack, preview=preview)
            if args.write:
                path.write_text(render(entries))
            done = "written" if args.write else "computed"
            print(f"{path.name}: {done}, {len(entries)} resources")


if __name__ == "__main__":
    main()
