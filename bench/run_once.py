"""One timed run of the program or the baseline, in this fresh interpreter, as ``pulumi up`` runs
a program: ``python -m bench.run_once program|bare <VPCs per region> <regions>``.

Pulumi's SDK and the mocks are imported before the clocks start: both runs need them. The clocks
then cover everything the program itself does, its own imports included: the CPU time of this
process (every thread), which another process on the machine barely disturbs, and the wall time.
Prints one JSON line: ``{"resources": N, "cpu_seconds": C, "wall_seconds": W}``.
"""

from __future__ import annotations

import json
import sys
import time

from bench.workload import BARE_DIR, REPO_ROOT, run_config
from offline.mocks import run_program


def main(which: str, vpcs: int, regions: int) -> None:
    project, config, aws = run_config(which, vpcs, regions)
    program_dir = REPO_ROOT if which == "program" else BARE_DIR
    cpu, wall = time.process_time(), time.perf_counter()
    run = run_program(program_dir, config, aws, project=project, stack="dev")
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    print(json.dumps({"resources": len(run.resources), "cpu_seconds": cpu, "wall_seconds": wall}))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
