"""The shared graph helpers, as plain functions (no server)."""

from __future__ import annotations

from typing import Any

from offline.analyzer import UNKNOWN as WIRE_UNKNOWN
from offline.analyzer import Resource, engine_urn
from tests.support.policy_fixtures import (
    FLOW_LOG_URN,
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


def test_literal_ids_are_the_known_ones_in_key_order() -> None:
    from flowlog_policies.graph import literal_ids

    vpc = _by_urn(compliant_stack())[VPC_URN]
    assert literal_ids(vpc, ("vpcId", "id")) == [vpc.props["id"]]
    preview_vpc = _by_urn(compliant_stack(preview=True))[VPC_URN]
    assert literal_ids(preview_vpc, ("id", "vpcId")) == []
