"""Where flow logs deliver: the log-group and bucket helpers, as plain functions (no server)."""

from __future__ import annotations

from typing import Any

from offline.analyzer import UNKNOWN as WIRE_UNKNOWN
from offline.analyzer import Resource
from tests.support.policy_fixtures import (
    FLOW_LOG_URN,
    LOG_GROUP_URN,
    changed,
    compliant_stack,
    policy_resources,
    resources,
    rewired,
)


def _by_urn(stack: dict[str, Resource]) -> dict[str, Any]:
    return {r.urn: r for r in policy_resources(resources(stack))}


def test_cloudwatch_log_groups_links_by_dependency_then_arn() -> None:
    from flowlog_policies.destinations import cloudwatch_log_groups

    for stack in (
        compliant_stack(preview=True),
        rewired(compliant_stack(), "flow_log", property_dependencies={}),
    ):
        groups, unresolved = cloudwatch_log_groups(policy_resources(resources(stack)))
        assert [(g.urn, [f.resource.urn for f in logs]) for g, logs in groups] == [
            (LOG_GROUP_URN, [FLOW_LOG_URN])
        ]
        assert unresolved == []


def test_log_group_name_is_known_or_none() -> None:
    from flowlog_policies.destinations import log_group_name

    group = _by_urn(compliant_stack())[LOG_GROUP_URN]
    assert log_group_name(group) == group.props["name"]
    unknown = _by_urn(changed(compliant_stack(), "log_group", name=WIRE_UNKNOWN))[LOG_GROUP_URN]
    assert log_group_name(unknown) is None


def test_s3_key_prefix() -> None:
    from flowlog_policies.destinations import s3_key_prefix
    from flowlog_policies.graph import UNKNOWN

    assert s3_key_prefix("arn:aws:s3:::logs") == "AWSLogs/"
    assert s3_key_prefix("arn:aws:s3:::logs/fl/") == "fl/AWSLogs/"
    assert s3_key_prefix(UNKNOWN) is UNKNOWN
