"""What one check found: a row of the report; and the probe, the unit of checking that yields
rows."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import StrEnum


class Severity(StrEnum):
    """How much a failed check matters to the exit code."""

    ERROR = "error"
    """The deployment is not working, or no longer matches the stack: exit code 1."""
    WARNING = "warning"
    """Worth a look, but the flow logs work: an alarm in ALARM, an unconfirmed email."""
    UNKNOWN = "unknown"
    """The check could not tell: its AWS call failed (throttled past the retries, refused, an
    error on AWS's side, an answer of an unexpected shape). Exit code 2, unless a check fails."""


@dataclass(frozen=True)
class Check:
    """One row: what was checked, where, and what was found."""

    check: str
    """The kind of check, such as ``flow-log`` or ``log-group``."""
    region: str
    resource: str
    """What was checked: a flow-log id, a log group's name, an alarm's name."""
    ok: bool
    detail: str
    """What was found; on a failure, what usually causes it and what to do."""
    severity: Severity = Severity.ERROR

    @property
    def fails(self) -> bool:
        """Whether this row makes the run fail (exit code 1)."""
        return not self.ok and self.severity == Severity.ERROR

    @property
    def unknown(self) -> bool:
        """Whether this row is a check that could not tell (exit code 2 if nothing fails)."""
        return not self.ok and self.severity == Severity.UNKNOWN


@dataclass(frozen=True)
class Probe:
    """A unit of checking: one call of ``run`` asks AWS and returns its rows. ``--wait`` runs a
    probe again on its own while its rows fail or could not tell.

    A new check plugs in with a function ``check_x(aws, region, ...) -> list[Check]`` in a
    module of its own under ``verify/``, and one ``Probe`` for each place it looks, appended in
    ``verify.plan.plan`` under the condition that calls for it::

        Probe("archive-bucket", region.name, bucket, partial(check_archive_bucket, aws, ...))

    ``run`` lets every error escape: the runner (``verify.wait.run_probe``) turns whatever it
    raises, an AWS error or an answer it could not read, into one row of this probe's
    ``check``, ``region`` and ``resource`` with severity ``unknown``, and every other probe
    still runs. So ``run`` handles only the answers that mean something about the account (a
    resource that does not exist is a failed row, not an error), and never catches the rest.
    """

    check: str
    """The kind of rows it yields, such as ``coverage``: its row's ``check`` if it fails."""
    region: str
    """Where it looks: its row's ``region`` if it fails."""
    resource: str
    """What it looks at, such as a log group's name: its row's ``resource`` if it fails."""
    run: Callable[[], list[Check]]

    @property
    def name(self) -> str:
        """What it checks, for progress messages: ``log-group /aws/vpc/flowlogs in
        us-east-1``."""
        return f"{self.check} {self.resource} in {self.region}"

    def __str__(self) -> str:
        return self.name


def any_fails(checks: Iterable[Check]) -> bool:
    """Whether any row fails the run."""
    return any(check.fails for check in checks)


def any_unknown(checks: Iterable[Check]) -> bool:
    """Whether any check could not tell."""
    return any(check.unknown for check in checks)
