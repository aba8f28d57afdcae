"""up.sh runs ./verify.sh after a successful `pulumi up`, unless given --no-verify; checked with
a fake `pulumi` on PATH and a fake verify.sh, in a copy of the scripts."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.support.program import PROJECT_DIR

FAKE_PULUMI = """#!/usr/bin/env bash
echo "pulumi $*" >> "$CALLS"
[ "$1" != up ] || exit "${UP_EXIT:-0}"
"""
FAKE_VERIFY = """#!/usr/bin/env bash
echo "verify.sh $*" >> "$CALLS"
"""


def up(
    tmp_path: Path, *args: str, up_exit: int = 0, policy_config: bool = False
) -> tuple[int, list[str]]:
    """Run a copy of up.sh with fakes; its exit code and the calls it made, in order. With
    ``policy_config``, the copy has ``policy/config/dev.json``."""
    project, bin_dir = tmp_path / "project", tmp_path / "bin"
    project.mkdir()
    bin_dir.mkdir()
    shutil.copy(PROJECT_DIR / "up.sh", project / "up.sh")
    shutil.copy(PROJECT_DIR / "Pulumi.dev.yaml", project / "Pulumi.dev.yaml")
    # The pack's virtualenv, present: up.sh then only installs its requirements.
    (project / "policy" / "venv" / "bin").mkdir(parents=True)
    fake_python = project / "policy" / "venv" / "bin" / "python"
    fake_python.write_text('#!/usr/bin/env bash\necho "policy-python $*" >> "$CALLS"\n')
    fake_python.chmod(0o755)
    if policy_config:
        (project / "policy" / "config").mkdir()
        shutil.copy(PROJECT_DIR / "policy/config/dev.json", project / "policy/config/dev.json")
    for path, text in ((bin_dir / "pulumi", FAKE_PULUMI), (project / "verify.sh", FAKE_VERIFY)):
        path.write_text(text)
        path.chmod(0o755)
    calls = tmp_path / "calls"
    environment = {
        **os.environ,
        "PATH": f"{bin_dir}:{os.environ['PATH']}",
        "CALLS": str(calls),
        "UP_EXIT": str(up_exit),
        "PULUMI_BACKEND_URL": "file:///nowhere",
    }
    done = subprocess.run(
        ["bash", str(project / "up.sh"), *args],
        env=environment,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    return done.returncode, calls.read_text().splitlines()


def test_up_verifies_after_a_successful_deploy(tmp_path: Path) -> None:
    code, calls = up(tmp_path, "dev", "--yes")

    assert code == 0
    assert calls[-2:] == [
        "pulumi up --stack dev --policy-pack policy --yes",
        "verify.sh dev --wait 15",
    ]


@pytest.mark.parametrize("args", [("--no-verify", "--yes"), ("--yes", "--no-verify")])
def test_no_verify_skips_it_and_is_not_passed_to_pulumi(tmp_path: Path, args: tuple[str]) -> None:
    code, calls = up(tmp_path, "dev", *args)

    assert code == 0
    assert calls[-1] == "pulumi up --stack dev --policy-pack policy --yes"
    assert not any(call.startswith("verify.sh") for call in calls)


def test_a_failed_deploy_is_not_verified(tmp_path: Path) -> None:
    code, calls = up(tmp_path, "dev", up_exit=3)

    assert code == 3
    assert calls[-1] == "pulumi up --stack dev --policy-pack policy"


def test_the_policy_pack_runs_with_the_stacks_config_when_it_has_one(tmp_path: Path) -> None:
    code, calls = up(tmp_path, "dev", "--no-verify", policy_config=True)

    assert code == 0
    assert calls[-1] == (
        "pulumi up --stack dev --policy-pack policy --policy-pack-config policy/config/dev.json"
    )


def test_without_a_policy_config_the_pack_runs_with_its_defaults(tmp_path: Path) -> None:
    # As offline.check does: the pack is never skipped, its own default levels apply.
    code, calls = up(tmp_path, "dev", "--no-verify")

    assert code == 0
    assert calls[-1] == "pulumi up --stack dev --policy-pack policy"


def test_the_packs_virtualenv_gets_its_requirements_before_the_deploy(tmp_path: Path) -> None:
    code, calls = up(tmp_path, "dev", "--no-verify")

    assert code == 0
    assert calls[-4:-1] == [
        "pulumi install",
        "policy-python -m pip install --quiet --disable-pip-version-check "
        "-r policy/requirements.txt",
        "pulumi stack select --create dev",
    ]
