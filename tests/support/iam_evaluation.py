"""A small evaluator of IAM policy documents, for asking who may and who may not.

It follows IAM's rules for one policy: a request is allowed when some ``Allow`` statement
matches it and no ``Deny`` statement does. A statement matches when its action, resource and
principal match (``*`` and ``?`` wildcards, actions without regard to case) and every
condition holds; a condition on a key the request does not carry fails, as IAM's do (no
``...IfExists`` operator is supported). An operator this evaluator does not know raises, so a
document using one cannot pass a test unexamined.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Request:
    """One request: what is asked, on what, by whom, and the context keys it carries."""

    action: str
    resource: str | None = None
    """None for a trust policy, whose statements name no resource."""
    service: str | None = None
    """The service principal asking (``ssm.amazonaws.com``), for a trust policy."""
    context: Mapping[str, str] = field(default_factory=dict)


def _listed(value: str | Iterable[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _matches(pattern: str, value: str, *, fold: bool = False) -> bool:
    if fold:
        pattern, value = pattern.lower(), value.lower()
    return fnmatch.fnmatchcase(value, pattern)


_OPERATORS = {
    "StringEquals": lambda expected, actual: expected == actual,
    "StringLike": lambda expected, actual: _matches(expected, actual),
    "ArnEquals": lambda expected, actual: expected == actual,
    "ArnLike": lambda expected, actual: _matches(expected, actual),
}


def _condition_holds(condition: Mapping[str, Mapping[str, Any]], request: Request) -> bool:
    for operator, keys in condition.items():
        if operator not in _OPERATORS:
            raise ValueError(f"the evaluator does not know the operator {operator}")
        for key, expected in keys.items():
            actual = request.context.get(key)
            if actual is None or not any(
                _OPERATORS[operator](value, actual) for value in _listed(expected)
            ):
                return False
    return True


def _statement_matches(statement: Mapping[str, Any], request: Request) -> bool:
    if not any(_matches(a, request.action, fold=True) for a in _listed(statement["Action"])):
        return False
    resources = _listed(statement.get("Resource", []))
    if "Resource" in statement and (
        request.resource is None or not any(_matches(r, request.resource) for r in resources)
    ):
        return False
    if "Principal" in statement:
        services = _listed(statement["Principal"].get("Service", []))
        if request.service is None or request.service not in services:
            return False
    return _condition_holds(statement.get("Condition", {}), request)


def allows(document: Mapping[str, Any], request: Request) -> bool:
    """Whether ``document`` alone allows ``request``."""
    matching = [s for s in document["Statement"] if _statement_matches(s, request)]
    return any(s["Effect"] == "Allow" for s in matching) and not any(
        s["Effect"] == "Deny" for s in matching
    )
