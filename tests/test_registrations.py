"""Every committed stack registers what its snapshot says: no URN, parent, input or option moves
unless a change means it to (then ``python -m tests.support.registrations --write`` and review the
diff). A deployed stack sees no replacement from a refactoring."""

from __future__ import annotations

import json

import pytest

from tests.support.registrations import STACKS, registrations, render, snapshot_path


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
@pytest.mark.parametrize("stack", STACKS)
def test_stack_registers_what_its_snapshot_says(stack: str, preview: bool) -> None:
    expected = json.loads(snapshot_path(stack, preview=preview).read_text())
    actual = json.loads(render(registrations(stack, preview=preview)))
    assert [r["urn"] for r in actual] == [r["urn"] for r in expected]
    for got, want in zip(actual, expected, strict=True):
        assert got == want, got["urn"]
