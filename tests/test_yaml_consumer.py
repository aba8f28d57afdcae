"""The Pulumi YAML example: a valid project whose use of the component matches the schema."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
import yaml

from tests.support.package import analyzed_schema
from tests.support.program import PROJECT_DIR

EXAMPLE = PROJECT_DIR / "examples" / "yaml_consumer" / "Pulumi.yaml"
SCHEMA = PROJECT_DIR.parent / "shared" / "reference" / "pulumi-project.schema.json"


@pytest.fixture(scope="module")
def program() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text())
    return loaded


@pytest.fixture(scope="module")
def package() -> dict[str, Any]:
    return analyzed_schema()


@pytest.mark.skipif(not SCHEMA.exists(), reason=f"Pulumi's schema is not at {SCHEMA}")
def test_the_example_is_a_valid_project_file(program: dict[str, Any]) -> None:
    import jsonschema

    jsonschema.validate(program, json.loads(SCHEMA.read_text()))


def test_the_example_adds_this_repositorys_package(program: dict[str, Any]) -> None:
    source = program["packages"]["vpc-flow-logs"]

    assert (EXAMPLE.parent / source / "PulumiPlugin.yaml").is_file()


def test_component_type_and_properties_match_the_schema(
    program: dict[str, Any], package: dict[str, Any]
) -> None:
    used = {
        name: resource
        for name, resource in program["resources"].items()
        if resource["type"].startswith("vpc-flow-logs:")
    }
    assert list(used) == ["flowLogs"]

    for resource in used.values():
        spec = package["resources"][resource["type"]]
        given = resource["properties"]
        assert set(given) <= set(spec["inputProperties"])
        assert set(spec["requiredInputs"]) <= set(given)
        enum = package["types"]["vpc-flow-logs:index:TrafficType"]["enum"]
        assert given["trafficType"] in {v["value"] for v in enum}


def test_outputs_read_only_properties_the_component_has(
    program: dict[str, Any], package: dict[str, Any]
) -> None:
    outputs = package["resources"]["vpc-flow-logs:index:VpcFlowLogs"]["properties"]
    read = re.findall(r"\$\{flowLogs\.(\w+)\}", yaml.safe_dump(program["outputs"]))

    assert read
    assert set(read) <= set(outputs)
