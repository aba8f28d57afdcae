"""A small evaluator of IAM's documented rules, to test documents by asking who may and who may not.

It follows the IAM User Guide's evaluation logic and condition operators, for the parts this
project's documents use:

- an explicit ``Deny`` wins over any ``Allow``; without an ``Allow`` the request is implicitly
  denied;
- a statement applies when its principal, action and resource match (``Not*`` forms included) and
  every condition holds: operators and keys are ANDed, the values of one key ORed;
- ``*`` and ``?`` wildcards; actions match without regard to case; ARNs match component by
  component (``ArnLike``, and ``Resource``);
- policy variables (``${aws:SourceAccount}``) are resolved from the request in ``Resource`` and in
  condition values; a variable the request cannot resolve makes that element not match;
- a key missing from the request fails a condition, except for negated operators, ``...IfExists``,
  ``Null`` and ``ForAllValues:``, as documented.

Cross-account access needs both sides: test the caller's identity policy and the resource's
policy, as IAM does. Service principals carry no identity policy.
"""

from __future__ import annotations

import enum
import ipaddress
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Service:
    """A service principal making the request, e.g. ``delivery.logs.amazonaws.com``."""

    name: str


@dataclass(frozen=True)
class Arn:
    """An IAM principal making the request, by ARN (a role, a user, an account's root)."""

    arn: str

    @property
    def account(self) -> str:
        return self.arn.split(":")[4]


@dataclass(frozen=True)
class Request:
    """One request: who asks, for what action on what resource, with which context keys."""

    action: str
    resource: str
    principal: Service | Arn
    context: Mapping[str, str | Sequence[str]] = field(default_factory=dict)

    def value(self, key: str) -> list[str] | None:
        """The request's values of a context key (names are case-insensitive), or None when the
        key is absent. ``aws:PrincipalAccount`` and ``aws:PrincipalArn`` come from the
        principal; ``aws:PrincipalServiceName`` from a service principal."""
        wanted = key.lower()
        for name, value in self.context.items():
            if name.lower() == wanted:
                return [value] if isinstance(value, str) else list(value)
        if isinstance(self.principal, Arn):
            derived = {"aws:principalaccount": self.principal.account}
            derived["aws:principalarn"] = self.principal.arn
        else:
            derived = {"aws:principalservicename": self.principal.name}
        return [derived[wanted]] if wanted in derived else None


class Decision(enum.Enum):
    ALLOW = "allow"
    EXPLICIT_DENY = "explicit deny"
    IMPLICIT_DENY = "implicit deny"


def decide(request: Request, *documents: Mapping[str, Any]) -> Decision:
    """IAM's decision for ``request`` under ``documents`` taken together."""
    allowed = False
    for document in documents:
        for stmt in _statements(document):
            if not _applies(stmt, request):
                continue
            if stmt["Effect"] == "Deny":
                return Decision.EXPLICIT_DENY
            allowed = True
    return Decision.ALLOW if allowed else Decision.IMPLICIT_DENY


def allows(request: Request, *documents: Mapping[str, Any]) -> bool:
    """Whether ``documents`` allow ``request``."""
    return decide(request, *documents) is Decision.ALLOW


def _statements(document: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    statements = document["Statement"]
    return [statements] if isinstance(statements, Mapping) else list(statements)


def _listed(value: Any) -> list[Any]:
    return list(value) if isinstance(value, list | tuple) else [value]


def _applies(stmt: Mapping[str, Any], request: Request) -> bool:
    if stmt["Effect"] not in ("Allow", "Deny"):
        raise ValueError(f"Effect must be Allow or Deny, not {stmt['Effect']!r}")
    return (
        _principal_matches(stmt, request.principal)
        and _element_matches(stmt, "Action", request, _action_matches)
        and _element_matches(stmt, "Resource", request, _resource_matches)
        and all(
            _condition_holds(operator, key, _listed(values), request)
            for operator, keys in stmt.get("Condition", {}).items()
            for key, values in keys.items()
        )
    )


def _element_matches(
    stmt: Mapping[str, Any],
    name: str,
    request: Request,
    matches: Callable[[str, Request], bool],
) -> bool:
    """``Action``/``Resource`` match when any pattern does; ``NotAction``/``NotResource`` when
    none does. A statement with neither has no such element (a trust policy's resource)."""
    if name in stmt:
        return any(matches(pattern, request) for pattern in _listed(stmt[name]))
    if f"Not{name}" in stmt:
        return not any(matches(pattern, request) for pattern in _listed(stmt[f"Not{name}"]))
    return name == "Resource" and "Principal" in stmt  # a trust policy names no resource


def _action_matches(pattern: str, request: Request) -> bool:
    return _glob(pattern.lower(), request.action.lower())


def _resource_matches(pattern: str, request: Request) -> bool:
    resolved = _resolve_variables(pattern, request)
    return resolved is not None and _arn_like(resolved, request.resource)


def _principal_matches(stmt: Mapping[str, Any], principal: Service | Arn) -> bool:
    if "Principal" in stmt:
        return _names_principal(stmt["Principal"], principal)
    if "NotPrincipal" in stmt:
        return not _names_principal(stmt["NotPrincipal"], principal)
    return True  # an identity policy: the principal is the one it is attached to


def _names_principal(element: Any, principal: Service | Arn) -> bool:
    if element == "*":
        return True
    if isinstance(principal, Service):
        return principal.name in _listed(element.get("Service", []))
    for named in _listed(element.get("AWS", [])):
        if named == "*" or named == principal.arn:
            return True
        # An account, by id or by its root ARN, stands for every principal in it.
        if (
            named == principal.account
            or named == f"arn:{_partition(principal.arn)}:iam::{principal.account}:root"
        ):
            return True
    return False


def _partition(arn: str) -> str:
    return arn.split(":")[1]


_VARIABLE = re.compile(r"\$\{([^}]+)\}")
_LITERALS = {"*": "*", "?": "?", "$": "$"}


def _resolve_variables(text: str, request: Request) -> str | None:
    """``text`` with its policy variables replaced by the request's values, or None when a
    variable has no single value in the request."""
    unresolved = False

    def value(match: re.Match[str]) -> str:
        nonlocal unresolved
        name = match.group(1)
        if name in _LITERALS:
            return _LITERALS[name]
        values = request.value(name)
        if values is None or len(values) != 1:
            unresolved = True
            return ""
        return values[0]

    resolved = _VARIABLE.sub(value, text)
    return None if unresolved else resolved


def _glob(pattern: str, value: str) -> bool:
    """IAM's wildcards: ``*`` any run of characters, ``?`` any one character."""
    regex = "".join(
        ".*" if char == "*" else "." if char == "?" else re.escape(char) for char in pattern
    )
    return re.fullmatch(regex, value, flags=re.DOTALL) is not None


def _arn_like(pattern: str, value: str) -> bool:
    """ARN matching, each of the six colon-separated components on its own (the last one may
    hold colons and slashes). Anything that is not an ARN is matched whole."""
    if pattern == "*":
        return True
    pattern_parts, value_parts = pattern.split(":", 5), value.split(":", 5)
    if len(pattern_parts) != 6 or len(value_parts) != 6:
        return _glob(pattern, value)
    return all(_glob(p, v) for p, v in zip(pattern_parts, value_parts, strict=True))


def _string_equals(policy: str, actual: str) -> bool:
    return policy == actual


def _string_equals_ignore_case(policy: str, actual: str) -> bool:
    return policy.lower() == actual.lower()


def _arn_equals(policy: str, actual: str) -> bool:
    # ArnEquals also honours wildcards, as AWS documents; it differs from ArnLike only in name.
    return _arn_like(policy, actual)


def _numeric(compare: Callable[[float, float], bool]) -> Callable[[str, str], bool]:
    def matches(policy: str, actual: str) -> bool:
        return compare(float(actual), float(policy))

    return matches


def _bool(policy: str, actual: str) -> bool:
    return policy.lower() == actual.lower()


def _ip_address(policy: str, actual: str) -> bool:
    return ipaddress.ip_address(actual) in ipaddress.ip_network(policy, strict=False)


_POSITIVE: dict[str, Callable[[str, str], bool]] = {
    "StringEquals": _string_equals,
    "StringEqualsIgnoreCase": _string_equals_ignore_case,
    "StringLike": _glob,
    "ArnEquals": _arn_equals,
    "ArnLike": _arn_like,
    "NumericEquals": _numeric(lambda a, p: a == p),
    "NumericLessThan": _numeric(lambda a, p: a < p),
    "NumericLessThanEquals": _numeric(lambda a, p: a <= p),
    "NumericGreaterThan": _numeric(lambda a, p: a > p),
    "NumericGreaterThanEquals": _numeric(lambda a, p: a >= p),
    "Bool": _bool,
    "IpAddress": _ip_address,
}
_NEGATED = {
    "StringNotEquals": "StringEquals",
    "StringNotEqualsIgnoreCase": "StringEqualsIgnoreCase",
    "StringNotLike": "StringLike",
    "ArnNotEquals": "ArnEquals",
    "ArnNotLike": "ArnLike",
    "NumericNotEquals": "NumericEquals",
    "NotIpAddress": "IpAddress",
}


def _condition_holds(operator: str, key: str, policy_values: list[Any], request: Request) -> bool:
    actual = request.value(key)
    if operator == "Null":
        (expected,) = policy_values
        return (actual is None) == (str(expected).lower() == "true")
    qualifier, _, operator = operator.rpartition(":")
    if_exists = operator.endswith("IfExists")
    operator = operator.removesuffix("IfExists")
    if actual is None:
        # Absent: negated operators and ForAllValues hold, and so does ...IfExists.
        return if_exists or operator in _NEGATED or qualifier == "ForAllValues"
    negated = operator in _NEGATED
    compare = _POSITIVE[_NEGATED.get(operator, operator)]
    resolved = [_resolve_variables(str(value), request) for value in policy_values]

    def matches(one: str) -> bool:
        return any(value is not None and compare(value, one) for value in resolved)

    if qualifier == "ForAllValues":
        return all(matches(one) != negated for one in actual)
    if qualifier == "ForAnyValue":
        return any(matches(one) != negated for one in actual)
    if qualifier:
        raise ValueError(f"unknown condition qualifier {qualifier!r}")
    # A single-valued key: a negated operator holds when the value matches none.
    return any(matches(one) for one in actual) != negated
