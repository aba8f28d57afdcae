"""Running the probes, and with ``--wait``, running the failing ones again until they pass or
time is up. Clock and sleep are injected, so the loop's timing is tested without waiting."""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from verify.results import Check, Probe, any_fails

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


def run_probes(probes: Sequence[Probe]) -> dict[Probe, list[Check]]:
    """Each probe's rows, in order."""
    return {probe: probe.run() for probe in probes}


def run_until_passing(
    probes: Sequence[Probe],
    wait_minutes: float,
    *,
    clock: Callable[[], float] = time.monotonic,
    sleep: Callable[[float], None] = time.sleep,
    interval: float = RETRY_SECONDS,
    progress: Progress | None = None,
) -> list[Check]:
    """Run every probe; then, while some fail, run the failing ones again in rounds that start
    every ``interval`` seconds, the last no later than ``wait_minutes`` after the first. Returns
    every row, the latest of each probe, in the probes' order."""
    start = clock()
    deadline = start + wait_minutes * 60
    results = run_probes(probes)
    number = 1
    while True:
        failing = tuple(p for p, rows in results.items() if any_fails(rows))
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
