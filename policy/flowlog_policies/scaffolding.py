"""What every policy module is built from: findings, the validate functions the SDK calls (which
read the policy's config and report each finding on its resource), and config-schema pieces.

A policy module writes its rule as a plain function (a :data:`Check` for a stack policy, a
:data:`ResourceCheck` for a resource policy) and hands it to :func:`stack_validation` or
:func:`resource_validation`; everything between the SDK and the rule lives here, once.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from pulumi_policy import (
    PolicyResource,
    ReportViolation,
    ResourceValidation,
    ResourceValidationArgs,
    StackValidation,
    StackValidationArgs,
)
from pulumi_policy.proxy import UnknownValueError

NO_SETTINGS: Final[Mapping[str, Any]] = {}
"""The ``DEFAULTS`` of a policy with no settings: it has only an enforcement level."""


@dataclass(frozen=True)
class Finding:
    """One message about one resource."""

    message: str
    urn: str


@dataclass
class Findings:
    """What a check found: violations of its rule, and things it could not check yet."""

    violations: list[Finding] = field(default_factory=list)
    unresolved: list[Finding] = field(default_factory=list)


def checked_when_known(subject: str, policy: str, urn: str) -> Finding:
    """A note that ``subject`` (``"Role 'r' trust policy"``, ``"... has an x that"``) is unknown
    during this preview and that ``policy`` checks it once it is known."""
    return Finding(
        f"{subject} is unknown during this preview; {policy} checks it when it is known.", urn
    )


def format_list(values: Iterable[Any]) -> str:
    """Return ``values`` as ``a, b, c`` for a message."""
    return ", ".join(str(v) for v in values)


def with_defaults(config: Mapping[str, Any], defaults: Mapping[str, Any]) -> dict[str, Any]:
    """Return ``config`` on top of ``defaults``.

    The CLI fills in schema defaults before it calls Configure, but a pack can also be run without
    any config (Configure never called); the policies must behave the same either way.
    """
    merged = dict(defaults)
    merged.update({k: v for k, v in config.items() if v is not None})
    return merged


def one_or_more_of(
    item_type: str, choices: Sequence[Any], default: Sequence[Any], description: str
) -> dict[str, Any]:
    """The JSON schema of a setting that lists one or more distinct values out of ``choices``."""
    return {
        "type": "array",
        "items": {"type": item_type, "enum": list(choices)},
        "minItems": 1,
        "uniqueItems": True,
        "default": list(default),
        "description": description,
    }


Check = Callable[[Sequence[PolicyResource], Mapping[str, Any]], Findings]
"""A stack policy's rule as a plain function: resources and config in, findings out."""

ResourceCheck = Callable[[Mapping[str, Any], Mapping[str, Any]], "str | None"]
"""A resource policy's rule as a plain function: one resource's props and the config in, a
violation message or None out."""


def stack_validation(check: Check, defaults: Mapping[str, Any]) -> StackValidation:
    """Wrap ``check`` as a stack validation that reports each violation on its resource.

    Every read in a check is guarded, so an ``UnknownValueError`` reaching this wrapper is a bug.
    It is reported as a violation at the policy's own level: letting it reach the SDK would turn
    a mandatory policy into one advisory line and let the stack through unchecked.
    """

    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> None:
        try:
            findings = check(args.resources, with_defaults(args.get_config(), defaults))
        except UnknownValueError as error:
            report_violation(
                f"The policy could not finish because {error.message}; it fails closed rather "
                "than let the stack through unchecked. Please report this as a bug.",
                None,
            )
            return
        for finding in findings.violations:
            report_violation(finding.message, finding.urn)

    return validate


def resource_validation(
    check: ResourceCheck, defaults: Mapping[str, Any], types: Collection[str]
) -> ResourceValidation:
    """Wrap ``check`` as a resource validation that judges resources of ``types`` only."""

    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
        if args.resource_type not in types:
            return
        message = check(args.props, with_defaults(args.get_config(), defaults))
        if message:
            # The engine attaches the analyzed resource itself; naming it too keeps the wire
            # explicit.
            report_violation(message, args.urn)

    return validate
