"""The scaffolding every policy is built from, as plain functions (no server)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from tests.support.policy_fixtures import (
    FLOW_LOG_URN,
    compliant_stack,
    policy_resources,
    resources,
)


def test_an_escaped_unknown_fails_closed() -> None:
    from flowlog_policies.scaffolding import Findings, stack_validation
    from pulumi_policy import PolicyResource, StackValidationArgs

    def careless(resources: Sequence[PolicyResource], config: Mapping[str, Any]) -> Findings:
        flow_log = next(r for r in resources if r.urn == FLOW_LOG_URN)
        flow_log.props["vpcId"]  # unknown in a preview: raises
        return Findings()

    reported: list[tuple[str, str | None]] = []
    validate = stack_validation(careless, {})
    stack = policy_resources(resources(compliant_stack(preview=True)))
    validate(
        StackValidationArgs(stack, {}), lambda message, urn=None: reported.append((message, urn))
    )
    assert reported == [
        (
            "The policy could not finish because string value at .vpcId can't be known during "
            "preview; it fails closed rather than let the stack through unchecked. Please report "
            "this as a bug.",
            None,
        )
    ]


def test_resource_validation_judges_its_types_with_config_and_reports_on_the_resource() -> None:
    from flowlog_policies.scaffolding import resource_validation
    from pulumi_policy import PolicyCustomTimeouts, PolicyResourceOptions, ResourceValidationArgs

    def too_many(props: Mapping[str, Any], config: Mapping[str, Any]) -> str | None:
        return "too many" if props["n"] > config["most"] else None

    validate = resource_validation(too_many, {"most": 1}, {"t:m:T"})
    options = PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [], None)
    reported: list[tuple[str, str | None]] = []

    def report(message: str, urn: str | None = None) -> None:
        reported.append((message, urn))

    cases: list[tuple[str, int, dict[str, Any]]] = [
        ("t:m:T", 2, {}),  # the default applies
        ("t:m:T", 2, {"most": 5}),
        ("t:m:T", 1, {"most": None}),  # None means unset, so the default applies
        ("t:m:Other", 9, {}),  # not a type the policy judges
    ]
    for resource_type, n, config in cases:
        args = ResourceValidationArgs(resource_type, {"n": n}, "urn:x", "x", options, None, config)
        validate(args, report)
    assert reported == [("too many", "urn:x")]


def test_one_or_more_of_is_a_json_schema_list_of_distinct_choices() -> None:
    from flowlog_policies.scaffolding import one_or_more_of

    assert one_or_more_of("integer", (60, 600), [60], "Seconds. Defaults to [60].") == {
        "type": "array",
        "items": {"type": "integer", "enum": [60, 600]},
        "minItems": 1,
        "uniqueItems": True,
        "default": [60],
        "description": "Seconds. Defaults to [60].",
    }


def test_checked_when_known() -> None:
    from flowlog_policies.scaffolding import Finding, checked_when_known

    assert checked_when_known("Role 'r' trust policy", "some-policy", "urn:r") == Finding(
        "Role 'r' trust policy is unknown during this preview; some-policy checks it when it is "
        "known.",
        "urn:r",
    )
