"""What a CloudWatch Logs centralization rule of the stack copies, and where to.

A rule (``aws:observabilityadmin/centralizationRuleForOrganization``) selects log groups with an
OAM link filter over ``LogGroupName`` and copies their events into a destination group. With a
static name pattern (no ``${...}`` variable) every selected group lands in that one group, so
what watches the destination hears the sources too. Anything unknown or unreadable copies
nothing here: an unknown never lets a stack through.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from pulumi_policy import PolicyResource

from .graph import known_str, read

RULE_TYPE: Final = (
    "aws:observabilityadmin/centralizationRuleForOrganization:CentralizationRuleForOrganization"
)
_TOKEN = re.compile(r"\s*(?:(?P<string>'[^']*')|(?P<word>[A-Za-z]+)|(?P<op>!=|=|\(|\)|,))")


@dataclass(frozen=True)
class Copy:
    """One rule: the groups its selection takes, copied into one destination group."""

    selection: str
    destination: str

    def copies(self, log_group_name: str) -> bool:
        """Whether the rule copies the group named ``log_group_name``."""
        return selects(self.selection, log_group_name) is True


def copies(resources: Sequence[PolicyResource]) -> list[Copy]:
    """The stack's centralization rules whose selection and static destination are known."""
    found = []
    for resource in resources:
        if resource.resource_type != RULE_TYPE:
            continue
        rule = read(resource.props, "rule")
        source = _at(rule, "source", "sourceLogsConfiguration")
        names = _at(
            rule, "destination", "destinationLogsConfiguration", "logGroupNameConfiguration"
        )
        selection = known_str(read(source, "logGroupSelectionCriteria")) if source else None
        pattern = known_str(read(names, "logGroupNamePattern")) if names else None
        if selection and pattern and "${" not in pattern:
            found.append(Copy(selection, pattern))
    return found


def _at(value: object, *keys: str) -> Mapping[str, object] | None:
    for key in keys:
        if not isinstance(value, Mapping):
            return None
        value = read(value, key)
    return value if isinstance(value, Mapping) else None


def selects(selection: str, log_group_name: str) -> bool | None:
    """Whether an OAM link filter over ``LogGroupName`` selects the group; None when the filter
    is not one this reads (``=``, ``!=``, ``LIKE``, ``NOT LIKE``, ``IN`` joined by ``AND`` and
    ``OR``, or ``*`` for every group)."""
    if selection.strip() == "*":
        return True
    tokens = []
    position, end = 0, len(selection.rstrip())
    while position < end:
        match = _TOKEN.match(selection, position)
        if not match:
            return None
        tokens.append(match.group(match.lastgroup or ""))
        position = match.end()
    try:
        return _evaluate(tokens, log_group_name)
    except (IndexError, KeyError, ValueError):
        return None


def _like(pattern: str, value: str) -> bool:
    return re.fullmatch(".*".join(map(re.escape, pattern.split("%"))), value) is not None


def _evaluate(tokens: list[str], name: str) -> bool:
    def condition(at: int) -> tuple[bool, int]:
        if tokens[at] != "LogGroupName":
            raise ValueError(tokens[at])
        operator, at = tokens[at + 1], at + 2
        if operator == "NOT" and tokens[at] == "LIKE":
            operator, at = "NOT LIKE", at + 1
        if operator == "IN":
            if tokens[at] != "(":
                raise ValueError(tokens[at])
            values, at = [], at + 1
            while tokens[at] != ")":
                values.append(tokens[at].strip("'"))
                at += 2 if tokens[at + 1] == "," else 1
            return name in values, at + 1
        value = tokens[at].strip("'")
        outcome = {
            "=": name == value,
            "!=": name != value,
            "LIKE": _like(value, name),
            "NOT LIKE": not _like(value, name),
        }[operator]
        return outcome, at + 1

    at, selected = 0, False
    while True:
        term, at = condition(at)
        while at < len(tokens) and tokens[at] == "AND":
            holds, at = condition(at + 1)
            term = term and holds
        selected = selected or term
        if at == len(tokens):
            return selected
        if tokens[at] != "OR":
            raise ValueError(tokens[at])
        at += 1
