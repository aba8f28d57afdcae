"""Fixtures for the policy-pack tests: one pack process for the whole session.

Starting a pack takes about a second, so every protocol test shares one process. The pack
replaces its whole configuration on each Configure, so the ``pack`` fixture re-sends the default
configuration before every test, and a test that needs another one sends it itself.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from offline.analyzer import PolicyPackProcess

ROOT = Path(__file__).resolve().parents[2]
POLICY_DIR = ROOT / "policy"
CONFIG_DIR = POLICY_DIR / "config"

# The CLI runs the pack with policy/ as sys.path[0]; the unit tests import the policy modules the
# same way.
if str(POLICY_DIR) not in sys.path:
    sys.path.insert(0, str(POLICY_DIR))


@pytest.fixture(scope="session")
def pack_process() -> Iterator[PolicyPackProcess]:
    """The pack, started as the CLI starts it for a preview, after the engine's opening calls."""
    with PolicyPackProcess(POLICY_DIR, project="proj", stack="dev", dry_run=True) as process:
        process.start_session()
        yield process


@pytest.fixture
def pack(pack_process: PolicyPackProcess) -> PolicyPackProcess:
    """The shared pack, configured with its defaults (no ``--policy-pack-config``)."""
    pack_process.configure(None)
    return pack_process
