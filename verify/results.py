"""What one check found: a row of the report."""

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


@dataclass(frozen=True)
class Probe:
    """A unit of checking that can be run again on its own, as ``--wait`` does with the units
    that failed."""

    name: str
    """What it checks, for progress messages: ``flow logs``, ``records in /aws/vpc/flowlogs``."""
    run: Callable[[], list[Check]]

    def __str__(self) -> str:
        return self.name


def any_fails(checks: Iterable[Check]) -> bool:
    """Whether any row fails the run."""
    return any(check.fails for check in checks)
