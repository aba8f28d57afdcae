"""docs/configuration.md has every key Pulumi.yaml declares in a rendered table row, with the
type and default Pulumi.yaml declares; the README's keys at a glance name every key too."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from components.flow_logs.log_format import FIELD_VERSIONS
from tests.support.markdown import Table, tables
from tests.support.program import PROJECT_DIR

PAGE = PROJECT_DIR / "docs" / "configuration.md"
DECLARED: dict[str, dict[str, Any]] = yaml.safe_load((PROJECT_DIR / "Pulumi.yaml").read_text())[
    "config"
]


def _type(declared: dict[str, Any]) -> str:
    """How the page names a declared type."""
    if "type" not in declared:
        return "string or map of strings"
    kind = declared["type"]
    if kind == "array":
        return f"list of {declared['items']['type']}s"
    if kind == "object":
        values = {type(v) for v in declared["default"].values()} or {str}
        return "map of integers" if values == {int} else "map of strings"
    return str(kind)


def _key_rows() -> dict[str, tuple[str, ...]]:
    rows: dict[str, tuple[str, ...]] = {}
    for table in tables(PAGE):
        if table.header[:3] == ("key", "type", "default"):
            for row in table.rows:
                key = row[0].strip("`")
                assert key not in rows, f"{key} is in two rows"
                rows[key] = row
    return rows


def _code(cell: str) -> str:
    assert cell.startswith("`") and cell.endswith("`"), cell
    return cell[1:-1]


@pytest.mark.parametrize("key", sorted(DECLARED))
def test_every_declared_key_has_a_row_with_its_type_and_default(key: str) -> None:
    row = _key_rows().get(key)

    assert row is not None, f"{key} has no row in {PAGE.name}"
    assert row[1] == _type(DECLARED[key])
    assert yaml.safe_load(_code(row[2])) == DECLARED[key]["default"]
    assert row[3], "its meaning"


def test_no_row_names_a_key_pulumi_yaml_does_not_declare() -> None:
    assert set(_key_rows()) <= set(DECLARED)


def test_a_wrong_default_would_be_found() -> None:
    assert (
        yaml.safe_load(_code("`{STANDARD_IA: 30, GLACIER_IR: 90}`"))
        == (DECLARED["s3Transitions"]["default"])
    )
    assert yaml.safe_load(_code('`""`')) != DECLARED["retentionInDays"]["default"]


def test_the_log_format_fields_are_every_field_the_program_accepts() -> None:
    table = next(t for t in tables(PAGE) if t.heading == "Log format fields")
    listed = {
        field.strip("`"): int(version.split()[0])
        for version, fields in table.rows
        for field in fields.split()
    }
    assert listed == dict(FIELD_VERSIONS)


def test_the_readme_names_every_key_in_its_table_at_a_glance() -> None:
    glance: Table = next(
        t for t in tables(PROJECT_DIR / "README.md") if t.header[:2] == ("group", "keys")
    )
    named = [key.strip("`,") for _, keys, *_ in glance.rows for key in keys.split()]
    assert sorted(named) == sorted(DECLARED)
