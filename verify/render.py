"""The report: a table on a terminal (rich), or one JSON document with ``--json``."""

from __future__ import annotations

import json
from collections.abc import Sequence

from rich.console import Console
from rich.table import Table
from rich.text import Text

from verify.results import Check, Severity, any_fails, any_unknown


def as_json(checks: Sequence[Check]) -> str:
    """``{"ok": bool, "checks": [...]}``, each check with exactly the documented keys. ``ok``
    is true exactly when the exit code is 0: no check failed, and every check could tell."""
    return json.dumps(
        {
            "ok": not any_fails(checks) and not any_unknown(checks),
            "checks": [
                {
                    "check": c.check,
                    "region": c.region,
                    "resource": c.resource,
                    "ok": c.ok,
                    "severity": c.severity.value,
                    "detail": c.detail,
                }
                for c in checks
            ],
        },
        indent=2,
    )


def _result(check: Check) -> Text:
    if check.ok:
        return Text("ok", style="green")
    if check.severity == Severity.WARNING:
        return Text("warning", style="yellow")
    if check.severity == Severity.UNKNOWN:
        return Text("unknown", style="bold magenta")
    return Text("FAILED", style="bold red")


def table(checks: Sequence[Check], title: str) -> Table:
    """One row per check: what, where, on what, the result and why."""
    grid = Table(title=title, title_justify="left", show_lines=False)
    grid.add_column("check", no_wrap=True)
    grid.add_column("region", no_wrap=True)
    grid.add_column("resource", overflow="fold")
    grid.add_column("result", no_wrap=True)
    grid.add_column("detail", ratio=1)
    for check in checks:
        grid.add_row(check.check, check.region, check.resource, _result(check), check.detail)
    return grid


def summary(checks: Sequence[Check]) -> Text:
    """One line: how many passed, failed, warned and could not tell."""
    failed = sum(c.fails for c in checks)
    warned = sum(not c.ok and c.severity == Severity.WARNING for c in checks)
    unknown = sum(c.unknown for c in checks)
    passed = len(checks) - failed - warned - unknown
    line = f"{passed} passed, {failed} failed, {warned} warnings"
    line += f", {unknown} could not tell." if unknown else "."
    if failed:
        return Text(f"Not working: {line}", style="bold red")
    if unknown:
        return Text(f"Could not tell: {line}", style="bold magenta")
    return Text(f"Working: {line}", style="bold green")


def print_report(console: Console, checks: Sequence[Check], stack: str) -> None:
    """The table and the summary line."""
    console.print(table(checks, f"Flow logs of stack {stack}"))
    console.print(summary(checks))
