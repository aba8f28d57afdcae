"""The Analyzer-protocol client: messages, config reconciliation and process handling."""

from __future__ import annotations

from pathlib import Path

import pytest
from google.protobuf import json_format
from pulumi.runtime.proto import analyzer_pb2 as pb

from offline.analyzer import (
    UNKNOWN,
    PolicyConfigError,
    PolicyPackError,
    PolicyPackProcess,
    Resource,
    analyze_request,
    analyzer_resource,
    engine_urn,
    qualified_type,
    reconcile_config,
)


def test_engine_urns() -> None:
    assert engine_urn("aws:ec2/vpc:Vpc", "main") == "urn:pulumi:dev::proj::aws:ec2/vpc:Vpc::main"
    parent = engine_urn("awsx:ec2:Vpc", "main", stack="prod", project="net")
    child = engine_urn(
        "aws:ec2/vpc:Vpc", "main", stack="prod", project="net", parent_type=qualified_type(parent)
    )
    assert child == "urn:pulumi:prod::net::awsx:ec2:Vpc$aws:ec2/vpc:Vpc::main"


def test_analyzer_resource_carries_the_graph() -> None:
    resource = Resource(
        "aws:ec2/flowLog:FlowLog",
        "fl",
        "urn:fl",
        {"vpcId": UNKNOWN, "maxAggregationInterval": 60, "tags": {"a": "b"}},
        parent="urn:parent",
        dependencies=["urn:vpc"],
        property_dependencies={"vpcId": ["urn:vpc"]},
    )
    message = analyzer_resource(resource)
    assert json_format.MessageToDict(message.properties) == {
        "vpcId": UNKNOWN,
        "maxAggregationInterval": 60.0,
        "tags": {"a": "b"},
    }
    assert (message.parent, message.options.parent) == ("urn:parent", "urn:parent")
    assert list(message.dependencies) == ["urn:vpc"]
    assert list(message.propertyDependencies["vpcId"].urns) == ["urn:vpc"]
    request = analyze_request(resource)
    assert (request.type, request.urn, request.name) == ("aws:ec2/flowLog:FlowLog", "urn:fl", "fl")


def _info() -> pb.AnalyzerInfo:
    info = pb.AnalyzerInfo(name="pack")
    policy = info.policies.add(name="a", enforcementLevel=pb.MANDATORY)
    policy.configSchema.properties.update({"n": {"type": "integer", "default": 5}})
    info.policies.add(name="b", enforcementLevel=pb.ADVISORY)
    return info


def test_reconcile_applies_defaults_then_all_then_each_policy() -> None:
    settings = reconcile_config(_info(), {"all": "disabled", "b": "mandatory"})
    assert (settings["a"].enforcement_level, dict(settings["a"].properties)) == (
        "disabled",
        {"n": 5},
    )
    assert settings["b"].enforcement_level == "mandatory"
    settings = reconcile_config(_info(), {"a": {"n": 7}})
    assert (settings["a"].enforcement_level, dict(settings["a"].properties)) == (
        "mandatory",
        {"n": 7},
    )


def test_reconcile_rejects_a_wrong_type() -> None:
    with pytest.raises(PolicyConfigError, match=r"^a\.n: 'x' is not of type 'integer'$"):
        reconcile_config(_info(), {"a": {"n": "x"}})


def test_a_directory_without_a_pack_fails_with_its_stderr(tmp_path: Path) -> None:
    with pytest.raises(PolicyPackError, match="did not print its port"):
        PolicyPackProcess(tmp_path, start_timeout=30).start()
