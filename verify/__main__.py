"""``python -m verify <stack> [--outputs FILE] [--fresh MINUTES] [--wait MINUTES] [--json]``.

Exit codes: 1 when an error-severity check fails; otherwise 2 when a check could not tell (its
call failed: a row of severity ``unknown``), or before any check for bad usage, outputs or config
that cannot be read, or AWS that cannot be asked; otherwise 0.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import boto3
from rich.console import Console

from verify.aws import Aws, AwsUnavailable, ClientHook
from verify.expected import ExpectedError, load_expected
from verify.outputs import OutputsError, read_outputs_file, read_outputs_from_pulumi
from verify.plan import plan
from verify.render import as_json, print_report
from verify.results import Check, any_fails, any_unknown
from verify.wait import RETRY_SECONDS, Round, run_until_passing

PROJECT_DIR = Path(__file__).resolve().parent.parent
OK, FAILED, UNUSABLE = 0, 1, 2
"""Exit codes: it works; a check failed; it could not tell."""


def _minutes(text: str) -> int:
    value = int(text)
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} is negative; give minutes, 0 or more")
    return value


def parser() -> argparse.ArgumentParser:
    """The command line."""
    cli = argparse.ArgumentParser(
        prog="verify.sh",
        description="Check that every VPC a deployed stack selects has a flow log, that its flow "
        "logs are active and delivering, and that the account still matches the stack. Exit "
        "code 1: a check failed; 2: a check could not tell, or the run could not start; 0: it "
        "works.",
    )
    cli.add_argument("stack", help="the stack, such as dev or prod")
    cli.add_argument(
        "--outputs",
        type=Path,
        metavar="FILE",
        help="read the outputs' JSON from FILE instead of `pulumi stack output --json`",
    )
    cli.add_argument(
        "--fresh",
        type=_minutes,
        default=15,
        metavar="MINUTES",
        help="the oldest the newest record may be (default 15; delivery takes minutes)",
    )
    cli.add_argument(
        "--wait",
        type=_minutes,
        default=0,
        metavar="MINUTES",
        help=f"repeat failing checks every {RETRY_SECONDS:.0f} s for up to MINUTES",
    )
    cli.add_argument("--json", action="store_true", help="print one JSON document on stdout")
    return cli


def main(
    argv: Sequence[str] | None = None,
    *,
    project_dir: Path = PROJECT_DIR,
    session: boto3.Session | None = None,
    on_client: ClientHook | None = None,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
    sleep: Callable[[float], None] | None = None,
) -> int:
    """Run the checks and print the report; returns the exit code.

    Tests give a ``session`` to share its loaded service models between runs, ``on_client`` to
    watch or stub clients, and ``now`` and ``sleep`` to move time.
    """
    args = parser().parse_args(argv)
    stdout = Console(soft_wrap=False)
    stderr = Console(stderr=True)
    try:
        expected = load_expected(project_dir, args.stack)
        if args.outputs is not None:
            outputs = read_outputs_file(args.outputs, expected.home_region)
        else:
            outputs = read_outputs_from_pulumi(args.stack, expected.home_region)
        aws = Aws(session, on_client=on_client)
        account_id = aws.account_id(expected.home_region)
        probes = plan(aws, outputs, expected, account_id, args.fresh, now)
        with _Progress(stderr, args.wait) as progress:
            checks = run_until_passing(
                probes, args.wait, progress=progress, sleep=sleep or time.sleep
            )
    # A check's own failing call is its row (verify.wait.run_probe); these end the run before
    # any check.
    except (ExpectedError, OutputsError, AwsUnavailable) as error:
        return _unusable(stderr, error)
    _report(stdout, checks, args.stack, args.json)
    if any_fails(checks):
        return FAILED
    return UNUSABLE if any_unknown(checks) else OK


def _unusable(stderr: Console, error: Exception) -> int:
    stderr.print(f"verify: {error}", markup=False, highlight=False, soft_wrap=True)
    return UNUSABLE


def _report(console: Console, checks: list[Check], stack: str, json: bool) -> None:
    if json:
        sys.stdout.write(as_json(checks) + "\n")
    else:
        print_report(console, checks, stack)


class _Progress:
    """Progress of ``--wait``: a spinner on a terminal, one line per round otherwise."""

    def __init__(self, console: Console, wait_minutes: int):
        self._console = console
        self._status = None
        self._active = wait_minutes > 0
        if self._active and console.is_terminal:
            self._status = console.status("checking")

    def __enter__(self) -> Callable[[Round], None] | None:
        if not self._active:
            return None
        if self._status is not None:
            self._status.start()
        return self._show

    def __exit__(self, *exc: object) -> None:
        if self._status is not None:
            self._status.stop()

    def _show(self, step: Round) -> None:
        names = ", ".join(str(p) for p in step.failing)
        line = (
            f"round {step.number}: waiting on {names}; again in {step.next_in:.0f} s, "
            f"{step.seconds_left / 60:.1f} min left"
        )
        if self._status is not None:
            self._status.update(line)
        else:
            self._console.print(f"verify: {line}", markup=False, highlight=False, soft_wrap=True)


if __name__ == "__main__":
    sys.exit(main())
