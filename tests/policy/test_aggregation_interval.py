"""``vpc-flow-log-aggregation-interval``: a resource policy, so it runs in Analyze on inputs."""

from __future__ import annotations

import pytest

from offline.analyzer import UNKNOWN, PolicyPackProcess, Resource, engine_urn
from tests.support.policy_fixtures import FLOW_LOG_URN, changed, compliant_stack

POLICY = "vpc-flow-log-aggregation-interval"
DESCRIPTION = "Flow logs aggregate records over an allowed interval (60 seconds by default)."


def analyze(pack: PolicyPackProcess, resource: Resource) -> list[tuple[str, str, str]]:
    return [
        (d.urn, d.enforcement_level, d.message)
        for d in pack.analyze(resource)
        if d.policy_name == POLICY
    ]


def flow_log(**properties: object) -> Resource:
    return changed(compliant_stack(preview=True), "flow_log", **properties)["flow_log"]


@pytest.mark.parametrize("interval", [60, UNKNOWN], ids=["60", "unknown"])
def test_allowed_interval_passes(pack: PolicyPackProcess, interval: object) -> None:
    assert analyze(pack, flow_log(maxAggregationInterval=interval)) == []


def test_600_seconds_is_an_advisory_by_default(pack: PolicyPackProcess) -> None:
    assert analyze(pack, flow_log(maxAggregationInterval=600)) == [
        (
            FLOW_LOG_URN,
            "advisory",
            f"{DESCRIPTION}\nmaxAggregationInterval is 600 seconds; this policy allows 60. "
            "Set maxAggregationInterval to 60.",
        )
    ]


def test_unset_interval_means_aws_default(pack: PolicyPackProcess) -> None:
    assert analyze(pack, flow_log(maxAggregationInterval=None)) == [
        (
            FLOW_LOG_URN,
            "advisory",
            f"{DESCRIPTION}\nmaxAggregationInterval is not set, so AWS uses 600 seconds; this "
            "policy allows 60. Set maxAggregationInterval to 60.",
        )
    ]


def test_config_can_allow_600_and_make_it_mandatory(pack: PolicyPackProcess) -> None:
    pack.configure({POLICY: {"enforcementLevel": "mandatory", "allowedIntervals": [60, 600]}})
    assert analyze(pack, flow_log(maxAggregationInterval=600)) == []
    assert analyze(pack, flow_log(maxAggregationInterval=None)) == []
    pack.configure({POLICY: {"enforcementLevel": "mandatory", "allowedIntervals": [600]}})
    assert [level for _, level, _ in analyze(pack, flow_log(maxAggregationInterval=60))] == [
        "mandatory"
    ]


def test_aws_native_flow_log(pack: PolicyPackProcess) -> None:
    urn = engine_urn("aws-native:ec2:FlowLog", "native")
    resource = Resource(
        "aws-native:ec2:FlowLog",
        "native",
        urn,
        {"resourceType": "VPC", "resourceId": UNKNOWN, "maxAggregationInterval": 600},
    )
    assert [u for u, _, _ in analyze(pack, resource)] == [urn]


def test_other_resources_are_ignored(pack: PolicyPackProcess) -> None:
    assert analyze(pack, compliant_stack()["vpc"]) == []
