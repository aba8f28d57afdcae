"""The assembled pack (``policy/__main__.py``) and its config files, through the protocol."""

from __future__ import annotations

import re
from pathlib import Path

import jsonschema
import pytest
import yaml
from pulumi.runtime.proto import analyzer_pb2 as pb

from offline.analyzer import (
    PolicyConfigError,
    PolicyPackProcess,
    load_policy_pack_config,
    policy_schema,
)
from tests.policy.conftest import CONFIG_DIR, POLICY_DIR
from tests.support.policy_fixtures import changed, compliant_stack, resources, without

CONFIG_FILES = sorted(CONFIG_DIR.glob("*.json"))

EXPECTED_POLICIES = {
    # name: (default level, severity, type, config keys)
    "vpc-flow-logs-required": (pb.MANDATORY, pb.POLICY_SEVERITY_HIGH, pb.POLICY_TYPE_STACK,
                               ["allowedTrafficTypes"]),
    "vpc-flow-log-checks-resolvable": (pb.ADVISORY, pb.POLICY_SEVERITY_LOW, pb.POLICY_TYPE_STACK,
                                       []),
    "vpc-flow-log-aggregation-interval": (pb.ADVISORY, pb.POLICY_SEVERITY_LOW,
                                          pb.POLICY_TYPE_RESOURCE, ["allowedIntervals"]),
    "vpc-flow-log-retention": (pb.MANDATORY, pb.POLICY_SEVERITY_MEDIUM, pb.POLICY_TYPE_STACK,
                               ["maximumRetentionDays", "minimumRetentionDays"]),
    "vpc-flow-log-role-least-privilege": (pb.MANDATORY, pb.POLICY_SEVERITY_HIGH,
                                          pb.POLICY_TYPE_STACK, ["requireSourceArnCondition"]),
    "vpc-flow-log-group-encrypted": (pb.ADVISORY, pb.POLICY_SEVERITY_LOW, pb.POLICY_TYPE_STACK,
                                     []),
    "vpc-flow-log-monitored": (pb.ADVISORY, pb.POLICY_SEVERITY_MEDIUM, pb.POLICY_TYPE_STACK, []),
    "transit-gateway-flow-logs-required": (pb.ADVISORY, pb.POLICY_SEVERITY_MEDIUM,
                                           pb.POLICY_TYPE_STACK, []),
    "vpc-flow-log-archive-access": (pb.MANDATORY, pb.POLICY_SEVERITY_HIGH, pb.POLICY_TYPE_STACK,
                                    []),
}  # fmt: skip


def test_pulumi_policy_yaml_is_what_the_cli_reads() -> None:
    project = yaml.safe_load((POLICY_DIR / "PulumiPolicy.yaml").read_text())
    assert project["runtime"] == {"name": "python", "options": {"virtualenv": "venv"}}
    assert project["version"] == "0.1.0"
    assert project["description"]
    requirements = (POLICY_DIR / "requirements.txt").read_text().split()
    assert requirements == ["pulumi>=3.150,<4", "pulumi-policy>=1.21,<2"]


def test_analyzer_info(pack: PolicyPackProcess) -> None:
    info = pack.get_analyzer_info()
    assert info.name == "vpc-flow-logs"
    assert info.supportsConfig
    got = {
        p.name: (
            p.enforcementLevel,
            p.severity,
            p.policy_type,
            sorted(policy_schema(p)["properties"]),
        )
        for p in info.policies
    }
    assert got == EXPECTED_POLICIES
    for policy in info.policies:
        assert policy.description and policy.remediation_steps, policy.name
        for key, schema in policy_schema(policy)["properties"].items():
            assert "default" in schema and schema["description"].endswith("."), key
            jsonschema.Draft7Validator.check_schema(schema)
    required = next(p for p in info.policies if p.name == "vpc-flow-logs-required")
    assert "Security Hub EC2.6" in required.description
    assert "CIS AWS Foundations Benchmark 3.9" in required.description
    assert "EC2.6" in required.remediation_steps and "CIS 3.9" in required.remediation_steps


def test_texts_name_properties_as_every_language_sets_them(pack: PolicyPackProcess) -> None:
    # A user of TypeScript, Go or YAML sets retentionInDays, not retention_in_days.
    for policy in pack.get_analyzer_info().policies:
        for text in (policy.description, policy.remediation_steps):
            assert re.findall(r"\b[a-z]+(?:_[a-z0-9]+)+\b", text) == [], policy.name


def test_plugin_info(pack: PolicyPackProcess) -> None:
    assert pack.get_plugin_info().version.startswith("1.")


@pytest.mark.parametrize("path", CONFIG_FILES, ids=[p.name for p in CONFIG_FILES])
def test_config_file_validates_against_every_schema(pack: PolicyPackProcess, path: Path) -> None:
    config = load_policy_pack_config(path)
    policies = {p.name: p for p in pack.get_analyzer_info().policies}
    for name, entry in config.items():
        if name == "all" or isinstance(entry, str):
            continue
        properties = {k: v for k, v in entry.items() if k != "enforcementLevel"}
        jsonschema.validate(properties, policy_schema(policies[name]))
    # And the way the CLI uses it: reconciled with defaults and sent through Configure.
    settings = pack.configure(config)
    assert set(settings) == set(EXPECTED_POLICIES)


def test_dev_config_is_lenient(pack: PolicyPackProcess) -> None:
    settings = pack.configure(load_policy_pack_config(CONFIG_DIR / "dev.json"))
    assert {s.enforcement_level for s in settings.values()} == {"advisory"}
    assert settings["vpc-flow-log-retention"].properties["minimumRetentionDays"] == 1
    stack = changed(compliant_stack(), "log_group", retentionInDays=14, kmsKeyId=None)
    stack = changed(stack, "flow_log", trafficType="REJECT", maxAggregationInterval=600)
    assert [(d.policy_name, d.enforcement_level) for d in pack.analyze_stack(resources(stack))] == [
        ("vpc-flow-log-group-encrypted", "advisory")
    ]
    assert pack.analyze(stack["flow_log"]) == []


def test_prod_config_is_strict(pack: PolicyPackProcess) -> None:
    settings = pack.configure(load_policy_pack_config(CONFIG_DIR / "prod.json"))
    levels = {name: s.enforcement_level for name, s in settings.items()}
    assert levels == {
        name: ("advisory" if name == "vpc-flow-log-checks-resolvable" else "mandatory")
        for name in EXPECTED_POLICIES
    }
    assert settings["vpc-flow-log-retention"].properties["minimumRetentionDays"] == 365
    stack = changed(compliant_stack(), "log_group", retentionInDays=14, kmsKeyId=None)
    assert sorted(
        (d.policy_name, d.enforcement_level) for d in pack.analyze_stack(resources(stack))
    ) == [("vpc-flow-log-group-encrypted", "mandatory"), ("vpc-flow-log-retention", "mandatory")]
    interval = changed(compliant_stack(), "flow_log", maxAggregationInterval=600)["flow_log"]
    assert [(d.policy_name, d.enforcement_level) for d in pack.analyze(interval)] == [
        ("vpc-flow-log-aggregation-interval", "mandatory")
    ]


@pytest.mark.parametrize(
    "path", [None, *CONFIG_FILES], ids=["defaults", *[p.name for p in CONFIG_FILES]]
)
@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_compliant_stack_passes_under_every_config(
    pack: PolicyPackProcess, path: Path | None, preview: bool
) -> None:
    pack.configure(load_policy_pack_config(path) if path else None)
    diagnostics = pack.analyze_stack(resources(compliant_stack(preview=preview)))
    assert [d for d in diagnostics if d.enforcement_level == "mandatory"] == []
    assert [d.policy_name for d in diagnostics] == (
        ["vpc-flow-log-checks-resolvable"] if preview else []
    )


@pytest.mark.parametrize(
    "path", [None, *CONFIG_FILES], ids=["defaults", *[p.name for p in CONFIG_FILES]]
)
def test_uncovered_vpc_is_reported_under_every_config(
    pack: PolicyPackProcess, path: Path | None
) -> None:
    pack.configure(load_policy_pack_config(path) if path else None)
    stack = without(compliant_stack(preview=True), "flow_log")
    assert [d.policy_name for d in pack.analyze_stack(resources(stack))] == [
        "vpc-flow-logs-required"
    ]


INVALID_CONFIGS = [
    (
        {"vpc-flow-log-retention": {"minimumRetentionDays": 0}},
        "vpc-flow-log-retention.minimumRetentionDays: 0 is less than the minimum of 1",
    ),
    (
        {"vpc-flow-log-retention": {"minimumRetentionDay": 1}},
        "vpc-flow-log-retention: Additional properties are not allowed "
        "('minimumRetentionDay' was unexpected)",
    ),
    (
        {"vpc-flow-logs-required": {"allowedTrafficTypes": ["BOGUS"]}},
        "vpc-flow-logs-required.allowedTrafficTypes.0: 'BOGUS' is not one of "
        "['ALL', 'ACCEPT', 'REJECT']",
    ),
    (
        {"vpc-flow-log-aggregation-interval": {"allowedIntervals": [300]}},
        "vpc-flow-log-aggregation-interval.allowedIntervals.0: 300 is not one of [60, 600]",
    ),
    (
        {"vpc-flow-logs-requried": "advisory"},
        "policy-pack config names vpc-flow-logs-requried, which pack 'vpc-flow-logs' does not have",
    ),
    (
        {"all": "strict"},
        "all: enforcement level 'strict' is not one of advisory, mandatory, remediate, disabled",
    ),
]


@pytest.mark.parametrize(("config", "error"), INVALID_CONFIGS)
def test_invalid_config_is_rejected(
    pack: PolicyPackProcess, config: dict[str, object], error: str
) -> None:
    with pytest.raises(PolicyConfigError) as raised:
        pack.configure(config)
    assert str(raised.value) == error


def test_disabled_policy_does_not_run(pack: PolicyPackProcess) -> None:
    pack.configure({"vpc-flow-logs-required": "disabled"})
    stack = without(compliant_stack(), "flow_log")
    assert pack.analyze_stack(resources(stack)) == []
