"""The README and docs/ as GitHub renders them: no table row stranded outside its table, every
relative link and anchor resolving, the README a front door of at most 350 lines."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from tests.support.markdown import PAGES, anchors, links, stranded_rows, tables
from tests.support.program import PROJECT_DIR

README = PROJECT_DIR / "README.md"


def _name(path: Path) -> str:
    return str(path.relative_to(PROJECT_DIR))


def test_the_pages_are_found() -> None:
    assert README in PAGES
    assert PROJECT_DIR / "docs" / "configuration.md" in PAGES


def test_the_readme_is_a_front_door() -> None:
    assert len(README.read_text().splitlines()) <= 350


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_no_table_row_is_stranded_outside_a_table(page: Path) -> None:
    assert stranded_rows(page) == []


def test_a_cut_off_table_is_found() -> None:
    # What the README once had: rows after a paragraph render as text, not as a table.
    broken = PROJECT_DIR / "tests" / "docs" / "_broken.md"
    try:
        broken.write_text("| a | b |\n| --- | --- |\n| 1 | 2 |\n\nText, for\n| 3 | 4 |\n")
        assert stranded_rows(broken) == ["| 3 | 4 |"]
        assert [t.rows for t in tables(broken)] == [(("1", "2"),)]
    finally:
        broken.unlink()


@pytest.mark.parametrize("page", PAGES, ids=_name)
def test_every_relative_link_and_anchor_resolves(page: Path) -> None:
    broken = []
    for href in links(page):
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            continue
        target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
        if not target.exists():
            broken.append(f"{href}: no such file")
        elif parts.fragment and (target.suffix != ".md" or parts.fragment not in anchors(target)):
            broken.append(f"{href}: no such anchor")
    assert broken == []


def test_every_page_in_docs_is_linked_from_the_readme() -> None:
    linked = {
        (README.parent / urlsplit(href).path).resolve()
        for href in links(README)
        if href.startswith("docs/")
    }
    assert set(PAGES) - {README} <= linked
