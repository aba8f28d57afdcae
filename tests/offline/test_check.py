"""The offline check command: a stack under mocks, judged by the pack over the real protocol."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from offline.check import check, main
from tests.support.program import PROJECT_DIR

EXAMPLE_DIR = PROJECT_DIR / "examples" / "unprotected_vpc"


def report(stack: str, **options: object) -> tuple[int, str]:
    out = io.StringIO()
    status = check(stack, out=out, **options)  # type: ignore[arg-type]
    return status, out.getvalue()


@pytest.mark.parametrize("stack", ["dev", "prod"])
@pytest.mark.parametrize("preview", [False, True])
def test_this_projects_stacks_pass(stack: str, preview: bool) -> None:
    status, text = report(stack, preview=preview)

    assert status == 0, text
    assert (
        f"Stack vpc-flow-logs/{stack} ({'preview' if preview else 'update'}, under mocks)" in text
    )
    assert "  + aws:ec2/flowLog:FlowLog  vpc-flow-logs-vpc-" in text
    assert f"Policies ({PROJECT_DIR / 'policy' / 'config' / f'{stack}.json'}):" in text
    assert "  pass      vpc-flow-logs-required\n" in text
    assert "\n0 mandatory violation(s)" in text


def test_prod_passes_every_policy() -> None:
    status, text = report("prod")

    verdicts = [
        line.split()[0]
        for line in text.splitlines()
        if line.startswith("  ")
        and not line.startswith("  +")
        and not line.startswith("            ")
    ]
    assert status == 0
    assert verdicts == ["pass"] * 9


def test_a_vpc_without_flow_logs_fails_with_exit_1() -> None:
    # No policy/config/demo.json: the pack's own defaults apply, and they are mandatory.
    status, text = report("demo", project_dir=EXAMPLE_DIR, preview=True)

    assert status == 1
    assert "\nPolicies (pack defaults):\n" in text
    assert "  + aws:ec2/vpc:Vpc  main" in text
    assert "  mandatory vpc-flow-logs-required\n" in text
    assert "urn:pulumi:demo::unprotected-vpc::aws:ec2/vpc:Vpc::main:" in text
    assert "\n1 mandatory violation(s)" in text


def test_the_policy_config_can_be_chosen(tmp_path: Path) -> None:
    lenient = tmp_path / "lenient.json"
    lenient.write_text('{"all": "advisory"}')

    status, text = report("demo", project_dir=EXAMPLE_DIR, policy_config=lenient)

    assert status == 0
    assert "  advisory  vpc-flow-logs-required\n" in text


def test_a_missing_stack_is_reported_with_exit_2() -> None:
    status, text = report("qa")

    assert status == 2
    assert text == f"error: no stack file Pulumi.qa.yaml in {PROJECT_DIR}\n"


def test_a_failing_program_is_reported_with_exit_2(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text((PROJECT_DIR / "Pulumi.yaml").read_text())
    (tmp_path / "__main__.py").write_text((PROJECT_DIR / "__main__.py").read_text())
    (tmp_path / "Pulumi.bad.yaml").write_text("config:\n  vpc-flow-logs:retentionInDays: 10\n")

    status, text = report("bad", project_dir=tmp_path)

    assert status == 2
    assert text.startswith(
        "error: the program failed: retentionInDays: 10 is not a CloudWatch Logs retention;"
    )


def copy_of_the_project(directory: Path, stack_file: str) -> Path:
    """This project's program and Pulumi.yaml beside a stack ``bad`` made of ``stack_file``."""
    (directory / "Pulumi.yaml").write_text((PROJECT_DIR / "Pulumi.yaml").read_text())
    (directory / "__main__.py").write_text((PROJECT_DIR / "__main__.py").read_text())
    (directory / "Pulumi.bad.yaml").write_text(stack_file)
    return directory


def test_a_misspelt_key_is_named_with_the_closest_key_and_exit_2(tmp_path: Path) -> None:
    project = copy_of_the_project(
        tmp_path, "config:\n  aws:region: us-east-1\n  vpc-flow-logs:retentionIndays: 14\n"
    )

    status, text = report("bad", project_dir=project)

    assert status == 2
    assert text == (
        "error: the program failed: retentionIndays: is not a setting of this program; "
        "did you mean retentionInDays?\n"
    )


def test_a_stack_file_that_is_not_yaml_is_one_line_and_exit_2(tmp_path: Path) -> None:
    project = copy_of_the_project(tmp_path, "config:\n  vpc-flow-logs:vpcName: a: b\n")

    status, text = report("bad", project_dir=project)

    assert status == 2
    assert text == (
        "error: Pulumi.bad.yaml is not valid YAML: line 2, column 27: mapping values are not "
        "allowed here\n"
    )


def test_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["demo", "--project-dir", str(EXAMPLE_DIR), "--vpcs", "0"])

    assert status == 1
    assert "mandatory vpc-flow-logs-required" in capsys.readouterr().out
