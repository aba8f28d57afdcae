"""The shared graph helpers, as plain functions (no server)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from offline.analyzer import UNKNOWN as WIRE_UNKNOWN
from offline.analyzer import Resource, engine_urn
from tests.support.policy_fixtures import (
    FLOW_LOG_URN,
    LOG_GROUP_URN,
    VPC_URN,
    changed,
    compliant_stack,
    policy_resources,
    resources,
    rewired,
)


def _by_urn(stack: dict[str, Resource]) -> dict[str, Any]:
    return {r.urn: r for r in policy_resources(resources(stack))}


def test_read_turns_unknowns_into_the_sentinel() -> None:
    from flowlog_policies.graph import UNKNOWN, read

    flow_log = _by_urn(compliant_stack(preview=True))[FLOW_LOG_URN]
    assert read(flow_log.props, "vpcId") is UNKNOWN
    assert read(flow_log.props, "trafficType") == "ALL"
    assert read(flow_log.props, "absent") is None


def test_as_list_keeps_unknown_elements_in_place() -> None:
    from flowlog_policies.graph import UNKNOWN, as_list, read

    stack = changed(compliant_stack(), "role", inlinePolicies=[WIRE_UNKNOWN, {"name": "a"}])
    role = next(r for r in policy_resources(resources(stack)) if r.name == "flow-logs-role")
    items = as_list(read(role.props, "inlinePolicies"))
    assert items[0] is UNKNOWN and read(items[1], "name") == "a"
    assert as_list("one") == ["one"] and as_list(None) == [] and as_list(UNKNOWN) == []


def test_linked_follows_property_dependencies_only() -> None:
    from flowlog_policies.graph import VPC_TYPES, linked

    stack = rewired(compliant_stack(), "flow_log", property_dependencies={})
    flow_log = _by_urn(stack)[FLOW_LOG_URN]
    assert linked(flow_log, "vpcId", VPC_TYPES) == []
    flow_log = _by_urn(compliant_stack())[FLOW_LOG_URN]
    assert [r.urn for r in linked(flow_log, "vpcId", VPC_TYPES)] == [VPC_URN]


def test_read_flow_log_reads_both_providers() -> None:
    from flowlog_policies.graph import UNKNOWN, read_flow_log

    flow_log = read_flow_log(_by_urn(compliant_stack(preview=True))[FLOW_LOG_URN])
    assert (flow_log.level, flow_log.target, flow_log.target_key) == ("VPC", UNKNOWN, "vpcId")
    native = Resource(
        "aws-native:ec2:FlowLog",
        "n",
        engine_urn("aws-native:ec2:FlowLog", "n"),
        {"resourceType": "Subnet", "resourceId": "subnet-1", "deliverLogsPermissionArn": "arn"},
    )
    read = read_flow_log(policy_resources([native])[0])
    assert (read.level, read.target, read.target_key, read.role_key) == (
        "Subnet",
        "subnet-1",
        "resourceId",
        "deliverLogsPermissionArn",
    )


def test_cloudwatch_log_groups_links_by_dependency_then_arn() -> None:
    from flowlog_policies.graph import cloudwatch_log_groups

    for stack in (
        compliant_stack(preview=True),
        rewired(compliant_stack(), "flow_log", property_dependencies={}),
    ):
        groups, unresolved = cloudwatch_log_groups(policy_resources(resources(stack)))
        assert [(g.urn, [f.resource.urn for f in logs]) for g, logs in groups] == [
            (LOG_GROUP_URN, [FLOW_LOG_URN])
        ]
        assert unresolved == []


def test_an_escaped_unknown_fails_closed() -> None:
    from flowlog_policies.graph import Findings, stack_validation
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
