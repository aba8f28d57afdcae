"""The component package's schema speaks to TypeScript, Go, C# and YAML users too: its
descriptions name inputs and outputs as the schema does (``vpcIds``), never in Python's
snake_case (``vpc_ids``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest

from tests.support.markdown import tables
from tests.support.package import analyzed_schema
from tests.support.program import PROJECT_DIR


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)([A-Z])", r"_\1", name).lower()


def _described(schema: dict[str, Any]) -> Iterator[tuple[str, str]]:
    for token, resource in schema["resources"].items():
        yield token, resource.get("description", "")
        for kind in ("inputProperties", "properties"):
            for name, spec in resource.get(kind, {}).items():
                yield f"{token} {name}", spec.get("description", "")
    for token, type_ in schema.get("types", {}).items():
        yield token, type_.get("description", "")
        for name, spec in type_.get("properties", {}).items():
            yield f"{token} {name}", spec.get("description", "")


@pytest.fixture(scope="module")
def schema() -> dict[str, Any]:
    return analyzed_schema()


def test_no_description_names_a_property_in_snake_case(schema: dict[str, Any]) -> None:
    names = {
        name
        for resource in [*schema["resources"].values(), *schema.get("types", {}).values()]
        for kind in ("inputProperties", "properties")
        for name in resource.get(kind, {})
    }
    snake = {_snake(name): name for name in names if _snake(name) != name}
    assert "vpc_ids" in snake  # the check below can find what it looks for

    found = [
        f"{where}: {word} (say {snake[word]})"
        for where, text in _described(schema)
        for word in re.findall(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)+", text)
        if word in snake
    ]
    assert found == []


def test_the_package_page_lists_every_component_with_its_outputs(schema: dict[str, Any]) -> None:
    page = PROJECT_DIR / "docs" / "component-package.md"
    table = next(t for t in tables(page) if t.header[0] == "component")
    listed = {
        row[0].strip("`"): [name.strip("`,") for name in row[2].split()] for row in table.rows
    }
    assert listed == {
        token: list(resource.get("properties", {}))
        for token, resource in schema["resources"].items()
    }
