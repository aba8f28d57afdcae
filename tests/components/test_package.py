"""The component package: its schema, the plugin as the CLI starts it, and Construct over gRPC."""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import grpc
import pulumi
import pytest
import yaml

from components import FlowLogMonitoring, TrafficType, VpcFlowLogs, VpcFlowLogsArgs
from components.package import PACKAGE_VERSION, hosted_components
from offline.mocks import UNKNOWN, RecordedResource, run_pulumi
from offline.plugin import ComponentPluginProcess, FakeEngine
from tests.support.package import analyzed_schema
from tests.support.program import PROJECT_DIR, fake_account

PLUGIN_DIR = PROJECT_DIR / "components"
TOKEN = "vpc-flow-logs:index:VpcFlowLogs"
VPC_A = "vpc-0a1b2c3d4e5f60718"
VPC_B = "vpc-1f2e3d4c"

INPUTS = {
    # name: (schema type or $ref, plain)
    "vpcIds": ("object", True),
    "subnetIds": ("object", True),
    "eniIds": ("object", True),
    "transitGatewayIds": ("object", True),
    "transitGatewayAttachmentIds": ("object", True),
    "region": ("string", True),
    "trafficType": ("#/types/vpc-flow-logs:index:TrafficType", True),
    "maxAggregationInterval": ("integer", True),
    "logGroupName": ("string", True),
    "retentionInDays": ("integer", True),
    "logFormat": ("array", True),
    "kmsKeyArn": ("string", False),
    "encryptLogs": ("boolean", True),
    "flowLogName": ("string", True),
    "tags": ("object", True),
    "protectLogs": ("boolean", True),
    "deleteBeforeReplace": ("boolean", True),
}
OUTPUTS = {
    "vpcIds": "array",
    "flowLogIds": "array",
    "targetFlowLogIds": "object",
    "logGroupName": "string",
    "logGroupArn": "string",
    "transitGatewayLogGroupName": "string",
    "roleArn": "string",
    "kmsKeyArn": "string",
}


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return analyzed_schema()


def test_the_package_hosts_every_component_of_the_directory() -> None:
    components = hosted_components()

    assert VpcFlowLogs in components
    assert FlowLogMonitoring in components
    assert all(issubclass(c, pulumi.ComponentResource) for c in components)
    assert all(c.__module__.startswith("components.") for c in components)


def test_schema_names_the_package_and_its_version(schema: dict[str, Any]) -> None:
    pyproject = tomllib.loads((PROJECT_DIR / "pyproject.toml").read_text())

    assert schema["name"] == "vpc-flow-logs"
    assert schema["version"] == PACKAGE_VERSION == pyproject["project"]["version"]


def test_schema_resource_is_a_component_with_every_input_typed_and_described(
    schema: dict[str, Any],
) -> None:
    resource = schema["resources"][TOKEN]
    inputs = resource["inputProperties"]

    assert resource["isComponent"] is True
    assert resource["description"].startswith("VPC Flow Logs to CloudWatch Logs")
    assert set(inputs) == set(INPUTS)
    for name, (kind, plain) in INPUTS.items():
        prop = inputs[name]
        assert prop.get("type", prop.get("$ref")) == kind, name
        assert prop.get("plain", False) is plain, name
        assert prop["description"].strip(), name
    # No single input is required: at least one target of any kind is, which the component checks.
    assert resource.get("requiredInputs", []) == []
    for targets in ("vpcIds", "subnetIds", "eniIds", "transitGatewayIds"):
        assert inputs[targets]["additionalProperties"]["type"] == "string"
    assert inputs["logFormat"]["items"]["type"] == "string"
    assert inputs["tags"]["additionalProperties"]["type"] == "string"


def test_optional_inputs_document_their_defaults(schema: dict[str, Any]) -> None:
    inputs = schema["resources"][TOKEN]["inputProperties"]

    for name in INPUTS:
        assert re.search(r"Defaults to [^.]+", inputs[name]["description"]), name


def test_schema_outputs_are_typed_described_and_marked_required(schema: dict[str, Any]) -> None:
    resource = schema["resources"][TOKEN]
    outputs = resource["properties"]

    assert {name: prop["type"] for name, prop in outputs.items()} == OUTPUTS
    assert all(prop["description"].strip() for prop in outputs.values())
    # The key ARN is absent when the log group is not encrypted, the transit gateways' group
    # when none is logged.
    assert sorted(resource["required"]) == sorted(
        set(OUTPUTS) - {"kmsKeyArn", "transitGatewayLogGroupName"}
    )


def test_traffic_type_is_a_schema_enum(schema: dict[str, Any]) -> None:
    enum = schema["types"]["vpc-flow-logs:index:TrafficType"]

    assert enum["type"] == "string"
    assert [(v["name"], v["value"]) for v in enum["enum"]] == [
        (t.name, t.value) for t in TrafficType
    ]
    assert all(v["description"] for v in enum["enum"])


def test_monitoring_joins_the_package_with_every_input_described(schema: dict[str, Any]) -> None:
    resource = schema["resources"]["vpc-flow-logs:index:FlowLogMonitoring"]
    inputs = resource["inputProperties"]

    assert resource["isComponent"] is True
    # A log group, a bucket or both: the component refuses neither, so neither is required.
    assert resource.get("requiredInputs", []) == []
    # The log group, the bucket and an existing topic may come from other resources; everything
    # else decides which resources exist or the patterns' text, so it is plain.
    assert {name for name, prop in inputs.items() if not prop.get("plain")} == {
        "logGroupName",
        "s3BucketName",
        "alarmTopicArn",
    }
    for name, prop in inputs.items():
        assert prop["description"].strip(), name
        assert "Defaults to" in prop["description"], name
    assert sorted(resource["properties"]) == ["alarmNames", "alarmTopicArn", "dashboardName"]
    assert all(p["description"] for p in resource["properties"].values())


def test_plugin_manifest_is_what_the_cli_reads() -> None:
    manifest = yaml.safe_load((PLUGIN_DIR / "PulumiPlugin.yaml").read_text())
    requirements = (PLUGIN_DIR / "requirements.txt").read_text().split("\n")

    assert manifest == {
        "runtime": {"name": "python", "options": {"toolchain": "pip", "virtualenv": "venv"}}
    }
    assert (PLUGIN_DIR / "__main__.py").is_file()
    pinned = [line for line in requirements if line and not line.startswith("#")]
    assert sorted(pinned) == ["pulumi-aws>=7.0,<8", "pulumi>=3.239,<4"]


@pytest.fixture(scope="module")
def engine() -> Iterator[FakeEngine]:
    with FakeEngine(fake_account(), project="consumer", stack="dev") as fake:
        yield fake


@pytest.fixture(scope="module")
def plugin(engine: FakeEngine) -> Iterator[ComponentPluginProcess]:
    with ComponentPluginProcess(PLUGIN_DIR, engine_address=engine.address) as process:
        yield process


def test_the_hosted_plugin_answers_get_schema_with_the_analyzed_schema(
    plugin: ComponentPluginProcess, schema: dict[str, Any]
) -> None:
    assert plugin.get_schema() == schema


def children_of(resources: list[RecordedResource], component_type: str) -> list[tuple[Any, ...]]:
    """Each child of the component as (type, name, parent's type and name, inputs)."""
    by_urn = {r.urn: r for r in resources}
    return sorted(
        (
            r.type,
            r.name,
            by_urn[r.parent].type,
            by_urn[r.parent].name,
            json.dumps(r.inputs, sort_keys=True),
        )
        for r in resources
        if r.parent in by_urn and by_urn[r.parent].type == component_type
    )


def test_construct_over_the_protocol_registers_what_the_python_program_registers(
    plugin: ComponentPluginProcess, engine: FakeEngine
) -> None:
    before = len(engine.recorded)
    response = plugin.construct(
        engine,
        TOKEN,
        "flows",
        {
            "vpcIds": {"a": VPC_A, "b": VPC_B},
            "trafficType": "REJECT",
            # Numbers travel as floats, as the engine sends them.
            "maxAggregationInterval": 600.0,
            "retentionInDays": 731.0,
            "logFormat": ["version", "srcaddr", "dstaddr", "action"],
            "encryptLogs": True,
            "tags": {"team": "netsec"},
        },
    )
    constructed = engine.recorded[before:]

    in_process = run_pulumi(
        lambda: VpcFlowLogs(
            "flows",
            VpcFlowLogsArgs(
                vpc_ids={"a": VPC_A, "b": VPC_B},
                traffic_type=TrafficType.REJECT,
                max_aggregation_interval=600,
                retention_in_days=731,
                log_format=["version", "srcaddr", "dstaddr", "action"],
                encrypt_logs=True,
                tags={"team": "netsec"},
            ),
        ),
        {},
        fake_account(),
        project="consumer",
        stack="dev",
    )

    assert response.urn == f"urn:pulumi:dev::consumer::{TOKEN}::flows"
    assert len(constructed) == 1 + 6  # the component, key, log group, role, policy, 2 flow logs
    assert children_of(constructed, TOKEN) == children_of(in_process.resources, TOKEN)
    state = dict(response.state)
    # No transit gateway is logged, so their group's name is null and not sent.
    assert sorted(state) == sorted(set(OUTPUTS) - {"transitGatewayLogGroupName"})
    assert state["logGroupName"] == "/aws/vpc/flowlogs"


@pytest.mark.parametrize(
    ("inputs", "message"),
    [
        (
            {"vpcIds": {"a": VPC_A}, "retentionInDays": 10.0},
            "retentionInDays: 10 is not a CloudWatch Logs retention; use one of 1, 3, 5, 7, 14,",
        ),
        (
            {"vpcIds": {"a": "vpc-xyz"}},
            "vpcIds: 'vpc-xyz' is not a VPC id; expected 'vpc-' followed by 8 or 17 lowercase "
            "hex digits.",
        ),
        (
            {"vpcIds": {"a": VPC_A}, "logFormat": ["srcadr"]},
            "logFormat: 'srcadr' is not a VPC flow-log field; did you mean 'srcaddr'?",
        ),
        (
            {"vpcIds": {"a": VPC_A}, "encryptLogs": True, "kmsKeyArn": "alias/logs"},
            "kmsKeyArn: 'alias/logs' is not a KMS key ARN;",
        ),
    ],
)
def test_bad_args_over_the_protocol_carry_the_message_and_register_nothing(
    plugin: ComponentPluginProcess, engine: FakeEngine, inputs: dict[str, Any], message: str
) -> None:
    before = len(engine.recorded)

    with pytest.raises(grpc.RpcError) as raised:
        plugin.construct(engine, TOKEN, "bad", inputs)

    assert message in raised.value.details()
    assert engine.recorded[before:] == []


def test_no_target_at_all_is_refused_over_the_protocol(
    plugin: ComponentPluginProcess, engine: FakeEngine
) -> None:
    before = len(engine.recorded)

    with pytest.raises(grpc.RpcError) as raised:
        plugin.construct(engine, TOKEN, "none", {"trafficType": "ALL"})

    assert "give at least one target to log." in raised.value.details()
    assert engine.recorded[before:] == []


def test_plugin_directory_runs_under_any_name(tmp_path: Path) -> None:
    """``pulumi package add`` may install the directory under another name."""
    import shutil

    copy = tmp_path / "resource-vpc-flow-logs-v0.2.0"
    shutil.copytree(PLUGIN_DIR, copy, ignore=shutil.ignore_patterns("venv", "__pycache__"))
    with (
        FakeEngine(fake_account()) as engine,
        ComponentPluginProcess(copy, engine_address=engine.address) as plugin,
    ):
        assert TOKEN in plugin.get_schema()["resources"]


OUTPUT_VALUE_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4"
"""The special-signature value that marks an output value on the wire."""


def test_a_preview_construct_links_flow_logs_to_a_new_vpc_whose_id_is_unknown() -> None:
    """The engine sends a new VPC's id as an unknown output value carrying its dependency."""
    vpc_urn = "urn:pulumi:dev::consumer::aws:ec2/vpc:Vpc::main"
    unknown_id = {"4dabf18193072939515e22adb298388d": OUTPUT_VALUE_SIG, "dependencies": [vpc_urn]}

    with (
        FakeEngine(fake_account(), project="consumer", stack="dev", preview=True) as engine,
        ComponentPluginProcess(PLUGIN_DIR, engine_address=engine.address) as plugin,
    ):
        plugin.construct(engine, TOKEN, "flows", {"vpcIds": {"main": unknown_id}})

    flow_log = next(r for r in engine.recorded if r.type == "aws:ec2/flowLog:FlowLog")
    assert flow_log.name == "flows-main"
    assert flow_log.inputs["vpcId"] == UNKNOWN
    assert flow_log.property_dependencies["vpcId"] == [vpc_urn]
