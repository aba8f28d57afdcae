"""Markdown as GitHub renders it (CommonMark plus GFM tables, through markdown-it-py): tables,
headings with GitHub's anchors, links and fenced code, to test the pages against the code."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from markdown_it import MarkdownIt
from markdown_it.token import Token

from tests.support.program import PROJECT_DIR

PAGES = (PROJECT_DIR / "README.md", *sorted((PROJECT_DIR / "docs").glob("*.md")))
"""Every page: the README and docs/."""


@cache
def tokens(path: Path) -> tuple[Token, ...]:
    """The page's block tokens, as GitHub's renderer would see them."""
    return tuple(MarkdownIt("commonmark").enable("table").parse(path.read_text()))


@dataclass(frozen=True)
class Table:
    """A rendered table: its header cells, and its rows' cells, as Markdown source."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    heading: str
    """The heading the table sits under."""


def tables(path: Path) -> list[Table]:
    """Every table of the page, in order."""
    found: list[Table] = []
    heading = ""
    in_heading = False
    header: list[str] = []
    rows: list[list[str]] = []
    row: list[str] = []
    for token in tokens(path):
        if token.type == "heading_open":
            in_heading = True
        elif token.type == "heading_close":
            in_heading = False
        elif token.type == "inline" and in_heading:
            heading = token.content
        elif token.type == "table_open":
            header, rows = [], []
        elif token.type == "tr_open":
            row = []
        elif token.type in ("th_open", "td_open"):
            row.append("")
        elif token.type == "inline" and row:
            row[-1] = token.content.strip()
        elif token.type == "tr_close":
            if header:
                rows.append(row)
            else:
                header = row
            row = []
        elif token.type == "table_close":
            found.append(Table(tuple(header), tuple(tuple(r) for r in rows), heading))
    return found


def stranded_rows(path: Path) -> list[str]:
    """Lines that look like table rows but render as a paragraph: a table that lost its header,
    or rows cut off from their table."""
    return [
        line
        for token in tokens(path)
        if token.type == "inline" and token.level <= 1
        for line in token.content.splitlines()
        if line.lstrip().startswith("|") and line.rstrip().endswith("|")
    ]


def github_slug(text: str) -> str:
    """A heading's anchor as GitHub makes it (before de-duplication): lower case, punctuation
    but ``-`` and ``_`` dropped, each space a ``-``."""
    return re.sub(r"[^\w\- ]", "", text.lower()).replace(" ", "-")


def heading_text(token: Token) -> str:
    """A heading's text as rendered: code spans and emphasis without their markers."""
    return "".join(child.content for child in token.children or () if child.content)


def anchors(path: Path) -> set[str]:
    """Every heading's anchor on the page, repeated ones numbered ``-1``, ``-2``... as GitHub
    numbers them."""
    seen: dict[str, int] = {}
    found = set()
    blocks = tokens(path)
    for index, token in enumerate(blocks):
        if token.type != "heading_open":
            continue
        slug = github_slug(heading_text(blocks[index + 1]))
        count = seen.get(slug, 0)
        seen[slug] = count + 1
        found.add(slug if count == 0 else f"{slug}-{count}")
    return found


def links(path: Path) -> list[str]:
    """Every link target on the page, in order."""
    return [
        str(child.attrs["href"])
        for token in tokens(path)
        if token.type == "inline"
        for child in token.children or ()
        if child.type == "link_open"
    ]


def fenced(path: Path, language: str) -> list[str]:
    """The text of every fenced block of ``language`` on the page."""
    return [t.content for t in tokens(path) if t.type == "fence" and t.info.strip() == language]
