"""``--wait``: failing probes run again every 15 to 30 s until they pass or time is up; the
timing is tested with an injected clock, and once for real."""

from __future__ import annotations

import json

from botocore.exceptions import ClientError

from tests.verify.conftest import WaitingRun
from verify.results import Check, Probe, Severity
from verify.wait import RETRY_SECONDS, Round, run_until_passing


class FakeTime:
    """A clock that only ``sleep`` moves, plus a little for each probe run."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def probe(
    name: str, results: list[bool], time: FakeTime, severity: Severity = Severity.ERROR
) -> Probe:
    """A probe that passes or fails as ``results`` say, in turn (the last one repeats), taking
    half a second each run."""
    runs = iter(results)
    last = [results[-1]]

    def run() -> list[Check]:
        time.now += 0.5
        last[0] = next(runs, last[0])
        return [Check("x", "us-east-1", name, last[0], "", severity)]

    return Probe("x", "us-east-1", name, run)


def test_the_interval_is_within_15_to_30_seconds() -> None:
    assert 15 <= RETRY_SECONDS <= 30


def test_failing_probes_run_again_until_they_pass_and_passing_ones_do_not() -> None:
    time = FakeTime()
    calls: list[str] = []
    late = probe("late", [False, False, True], time)
    steady = probe("steady", [True], time)

    def counting(inner: Probe) -> Probe:
        def run() -> list[Check]:
            calls.append(inner.resource)
            return inner.run()

        return Probe(inner.check, inner.region, inner.resource, run)

    counted = [counting(late), counting(steady)]
    rounds: list[Round] = []

    checks = run_until_passing(
        counted, 15, clock=time.clock, sleep=time.sleep, progress=rounds.append
    )

    assert [c.ok for c in checks] == [True, True]
    assert calls == ["late", "steady", "late", "late"]
    # Rounds start every 20 s: the pause is what the round's own half second leaves.
    assert time.sleeps == [RETRY_SECONDS - 1, RETRY_SECONDS - 0.5]
    assert [(r.number, [p.resource for p in r.failing]) for r in rounds] == [
        (1, ["late"]),
        (2, ["late"]),
    ]


def test_it_gives_up_when_the_minutes_are_gone() -> None:
    time = FakeTime()
    start = time.now

    checks = run_until_passing(
        [probe("never", [False], time)], 2, clock=time.clock, sleep=time.sleep
    )

    assert [c.ok for c in checks] == [False]
    assert all(15 <= s <= 30 for s in time.sleeps)
    # Rounds start at 0, 20, ..., 120 s: six pauses, and the run ends with the round at 120 s.
    assert len(time.sleeps) == 6
    assert time.now - start == 2 * 60 + 0.5


def test_a_slow_round_still_pauses_at_least_15_seconds() -> None:
    time = FakeTime()

    def slow() -> list[Check]:
        time.now += 12
        return [Check("x", "us-east-1", "slow", False, "")]

    run_until_passing(
        [Probe("x", "us-east-1", "slow", slow)], 1, clock=time.clock, sleep=time.sleep
    )

    assert time.sleeps == [15, 15]


def test_warnings_are_not_waited_for() -> None:
    time = FakeTime()

    run_until_passing(
        [probe("alarm", [False], time, Severity.WARNING)], 15, clock=time.clock, sleep=time.sleep
    )

    assert time.sleeps == []


def test_a_probe_that_raises_is_one_unknown_row_and_the_others_still_run(
    unexpected_answers: list[Exception],
) -> None:
    def throttled() -> list[Check]:
        raise ClientError(
            {"Error": {"Code": "ThrottlingException", "Message": "Rate exceeded"}},
            "DescribeLogGroups",
        )

    def misread() -> list[Check]:
        flow_log: dict[str, str] = {}
        return [Check("x", "us-east-1", flow_log["FlowLogId"], True, "")]

    time = FakeTime()
    probes = [
        Probe("log-group", "us-west-2", "/aws/vpc/flowlogs", throttled),
        Probe("flow-log", "us-east-1", "the outputs' flow logs", misread),
        probe("fine", [True], time),
    ]

    checks = run_until_passing(probes, 0, clock=time.clock, sleep=time.sleep)

    assert checks == [
        Check(
            "log-group",
            "us-west-2",
            "/aws/vpc/flowlogs",
            False,
            "could not tell: AWS throttled DescribeLogGroups (ThrottlingException: Rate "
            "exceeded) on all 3 attempts; run again later, or when fewer tools call this account.",
            Severity.UNKNOWN,
        ),
        Check(
            "flow-log",
            "us-east-1",
            "the outputs' flow logs",
            False,
            "could not tell: an answer from AWS was not of the expected shape "
            "(KeyError: 'FlowLogId').",
            Severity.UNKNOWN,
        ),
        Check("x", "us-east-1", "fine", True, ""),
    ]
    assert [type(e) for e in unexpected_answers] == [KeyError]


def test_a_probe_that_could_not_tell_runs_again_until_it_can(
    unexpected_answers: list[Exception],
) -> None:
    time = FakeTime()
    answers = iter([RuntimeError("no answer"), None])

    def flaky() -> list[Check]:
        time.now += 0.5
        if error := next(answers):
            raise error
        return [Check("x", "us-east-1", "flaky", True, "")]

    checks = run_until_passing(
        [Probe("x", "us-east-1", "flaky", flaky)], 15, clock=time.clock, sleep=time.sleep
    )

    assert [(c.ok, c.severity) for c in checks] == [(True, Severity.ERROR)]
    assert time.sleeps == [RETRY_SECONDS - 0.5]
    assert [str(e) for e in unexpected_answers] == ["no answer"]


def test_no_wait_runs_each_probe_once() -> None:
    time = FakeTime()

    run_until_passing([probe("never", [False], time)], 0, clock=time.clock, sleep=time.sleep)

    assert time.sleeps == []


def test_a_real_wait_of_one_minute_polls_then_fails_after_about_a_minute(
    waiting_run: WaitingRun,
) -> None:
    code, out, err, seconds = waiting_run.result()

    assert code == 1, err
    report = json.loads(out)
    failing = [c for c in report["checks"] if not c["ok"]]
    assert [(c["check"], c["resource"]) for c in failing] == [
        ("cloudwatch-records", "/aws/vpc/flowlogs")
    ]
    assert failing[0]["detail"].startswith("/aws/vpc/flowlogs has no records at all")
    # Three waits of 20 s: rounds at 0, 20, 40 and 60 s, each announced on stderr.
    assert [line.split(":")[1] for line in err.splitlines()] == [" round 1", " round 2", " round 3"]
    assert 59 < seconds < 90, seconds
    assert "Traceback" not in err
