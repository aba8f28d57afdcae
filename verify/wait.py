"""Running the probes, and with ``--wait``, running the failing ones again until they pass or
time is up. Clock and sleep are injected, so the loop's timing is tested without waiting.

Every probe runs here, through ``run_probe``: whatever one raises becomes its row with severity
``unknown``, so one failing call costs one row, never the report."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from verify.aws import failure_detail
from verify.results import Check, Probe, Severity, any_fails, any_unknown

RETRY_SECONDS = 20.0
"""Seconds from one round's start to the next's: within 15 to 30 s, as often as flow-log
delivery can change and seldom enough to stay far below API rate limits."""
MIN_SLEEP = 15.0
"""The least pause between rounds, however long a round took."""


@dataclass(frozen=True)
class Round:
    """Where the wait stands after a round, for progress messages."""

    number: int
    failing: tuple[Probe, ...]
    seconds_left: float
    next_in: float


Progress = Callable[[Round], None]


def run_probe(probe: Probe) -> list[Check]:
    """The probe's rows; or, when it raises, one row of its check, region and resource that
    says it could not tell, and why."""
    try:
        return probe.run()
    # Every error: an AWS error after the retries, or an answer the check could not read.
    except Exception as error:
        return [
            Check(
                probe.check,
                probe.region,
                probe.resource,
                False,
                failure_detail(error),
                Severity.UNKNOWN,
            )
        ]


def run_probes(probes: Sequence[Probe]) -> dict[Probe, list[Check]]:
    """Each probe's rows, in order."""
    return {probe: run_probe(probe) for probe in probes}


def settled(rows: Sequence[Check]) -> bool:
    """Whether a probe's rows need no other round: none fails, and none could not tell."""
    return not any_fails(rows) and not any_unknown(rows)


def run_until_passing(
    probes: Sequence[Probe],
    wait_minutes: float,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    interval: float = RETRY_SECONDS,
    progress: Progress | None = None,
) -> list[Check]:
    """Run every probe; then, while some fail or could not tell, run those again in rounds that
    start every ``interval`` seconds, the last no later than ``wait_minutes`` after the first.
    Returns every row, the latest of each probe, in the probes' order."""
    start = clock()
    deadline = start + wait_minutes * 60
    results = run_probes(probes)
    number = 1
    while True:
        failing = tuple(p for p, rows in results.items() if not settled(rows))
        next_at = start + number * interval
        now = clock()
        pause = max(MIN_SLEEP, next_at - now)
        # The next round starts at next_at, or MIN_SLEEP from now if this one ran late.
        if not failing or max(next_at, now + MIN_SLEEP) > deadline:
            break
        if progress is not None:
            progress(Round(number, failing, deadline - now, pause))
        sleep(pause)
        results |= run_probes(failing)
        number += 1
    return [row for probe in probes for row in results[probe]]
