"""Every Python example in the README and docs/ that builds this project's components runs under
mocks, and what it registers passes the policy pack with prod's config: no mandatory violation.
The YAML example in the docs is the tested examples/yaml_consumer program, word for word."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from offline.check import _analyze
from offline.mocks import FakeAws, FakeVpc, run_pulumi
from offline.stack_config import StackConfig
from tests.support.markdown import PAGES, fenced
from tests.support.program import PROJECT_DIR

PROD_POLICY = PROJECT_DIR / "policy" / "config" / "prod.json"
EXAMPLES = [
    (page, code)
    for page in PAGES
    for code in fenced(page, "python")
    if "from components import" in code
]


def _id(example: tuple[Path, str]) -> str:
    page, code = example
    return f"{page.relative_to(PROJECT_DIR)}:{code.splitlines()[-1][:30]}"


def test_the_examples_are_found() -> None:
    pages = {page.name for page, _ in EXAMPLES}
    assert {"README.md", "monitoring.md"} <= pages


@pytest.mark.parametrize("example", EXAMPLES, ids=[_id(e) for e in EXAMPLES])
def test_the_example_runs_and_passes_the_pack_with_prods_config(
    example: tuple[Path, str],
) -> None:
    _, code = example
    aws = FakeAws(vpcs=[FakeVpc("vpc-0fedcba9876543210", name="app")])
    run = run_pulumi(
        lambda: exec(compile(code, "example", "exec"), {}),
        {},
        aws,
        project="example",
        stack="prod",
    )
    assert any(r.type.startswith("vpc-flow-logs:index:") for r in run.resources)

    diagnostics, _ = _analyze(
        run, StackConfig("example", "prod", {}), PROJECT_DIR / "policy", PROD_POLICY, False
    )
    mandatory = [
        f"{d.policy_name}: {d.detail}" for d in diagnostics if d.enforcement_level == "mandatory"
    ]
    assert mandatory == []


def test_the_yaml_example_is_the_tested_program() -> None:
    program = (PROJECT_DIR / "examples" / "yaml_consumer" / "Pulumi.yaml").read_text()
    snippets = [code for page in PAGES for code in fenced(page, "yaml") if "packages:" in code]

    assert snippets
    for code in snippets:
        # The tested program adds a package from a local path; the docs name a tag instead.
        shown = yaml.safe_load(code)
        tested = yaml.safe_load(program)
        assert {k: v for k, v in shown.items() if k != "packages"} == {
            k: v for k, v in tested.items() if k in shown and k != "packages"
        }
        assert set(shown) - {"packages"} <= set(tested)
