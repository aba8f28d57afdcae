"""The committed stack files set only what differs from Pulumi.yaml's defaults, so a reader sees
what makes each stack what it is. tests/test_registrations.py pins what they register."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from tests.support.program import PROJECT, PROJECT_DIR

DECLARED = yaml.safe_load((PROJECT_DIR / "Pulumi.yaml").read_text())["config"]
STACK_FILES = sorted(PROJECT_DIR.glob("Pulumi.*.yaml"))


def test_the_stacks_are_found() -> None:
    assert [path.name for path in STACK_FILES] == [
        "Pulumi.archive.yaml",
        "Pulumi.dev.yaml",
        "Pulumi.member.yaml",
        "Pulumi.prod.yaml",
        "Pulumi.security.yaml",
        "Pulumi.siem.yaml",
    ]


@pytest.mark.parametrize("path", STACK_FILES, ids=lambda path: path.name)
def test_a_stack_file_repeats_no_default(path: Path) -> None:
    config = yaml.safe_load(path.read_text())["config"]
    repeated = [
        key
        for key, value in config.items()
        if key.startswith(f"{PROJECT}:") and value == DECLARED[key.split(":", 1)[1]]["default"]
    ]
    assert repeated == []
