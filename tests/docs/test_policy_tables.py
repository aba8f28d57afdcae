"""Every policy of the pack is a row of the README's table and of docs/policy-pack.md's, with
the enforcement level it has by default and under each committed policy config."""

from __future__ import annotations

import json
import sys
from typing import Any

import pytest

from tests.support.markdown import tables
from tests.support.program import PROJECT_DIR

POLICY_DIR = PROJECT_DIR / "policy"
if str(POLICY_DIR) not in sys.path:
    sys.path.insert(0, str(POLICY_DIR))

from flowlog_policies import POLICIES  # noqa: E402

NAMES = [policy.name for policy in POLICIES]


def _rows(page: str) -> dict[str, tuple[str, ...]]:
    table = next(t for t in tables(PROJECT_DIR / page) if t.header[0] == "policy")
    return {row[0].strip("`"): row for row in table.rows}


def _level(config: dict[str, Any], name: str, default: str) -> str:
    own = config.get(name)
    if isinstance(own, str):
        return own
    if isinstance(own, dict) and "enforcementLevel" in own:
        return str(own["enforcementLevel"])
    return str(config.get("all", default))


@pytest.mark.parametrize("page", ["README.md", "docs/policy-pack.md"])
def test_every_policy_has_a_row_and_no_row_names_another(page: str) -> None:
    assert sorted(_rows(page)) == sorted(NAMES)


@pytest.mark.parametrize("policy", POLICIES, ids=NAMES)
def test_the_readme_gives_each_policys_levels(policy: Any) -> None:
    row = _rows("README.md")[policy.name]
    default = str(policy.enforcement_level.value)
    dev = json.loads((POLICY_DIR / "config" / "dev.json").read_text())
    prod = json.loads((POLICY_DIR / "config" / "prod.json").read_text())

    assert row[1:4] == (
        default,
        _level(dev, policy.name, default),
        _level(prod, policy.name, default),
    )
