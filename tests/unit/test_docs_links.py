"""Every relative link and image in README.md and docs/ resolves inside the repository.

A clone has nothing beside it: a link that leaves the repository (``../shared/...``)
or names a file that is not there is broken for every reader. Links to a heading
(``#...``, in the same file or another Markdown file) must name a heading that exists,
by GitHub's slugs. Links are read with a Markdown parser, so code blocks and inline
code are not mistaken for links.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from urllib.parse import SplitResult, unquote, urlsplit

import pytest
from markdown_it import MarkdownIt
from markdown_it.token import Token

ROOT = Path(__file__).resolve().parents[2]
MARKDOWN = MarkdownIt("commonmark").enable("table")


def documents() -> list[Path]:
    return [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))]


def _tokens(text: str) -> Iterator[Token]:
    stack = list(reversed(MARKDOWN.parse(text)))
    while stack:
        token = stack.pop()
        yield token
        stack.extend(reversed(token.children or []))


def targets(text: str) -> list[str]:
    """The href of every link and the src of every image, in order."""
    found = []
    for token in _tokens(text):
        attribute = {"link_open": "href", "image": "src"}.get(token.type)
        if attribute is not None:
            found.append(str(token.attrs[attribute]))
    return found


def slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens."""
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(text: str) -> set[str]:
    """The anchors GitHub gives the headings of a document (repeats get -1, -2 ...)."""
    found: set[str] = set()
    repeats: dict[str, int] = {}
    for opening, inline in pairwise(_tokens(text)):
        if opening.type == "heading_open":
            base = slug("".join(child.content for child in inline.children or []))
            repeat = repeats.get(base, 0)
            repeats[base] = repeat + 1
            found.add(f"{base}-{repeat}" if repeat else base)
    return found


def broken_links(document: Path, root: Path = ROOT) -> list[str]:
    """Each relative target of ``document`` that is missing, outside ``root``, or names
    a heading its file does not have, with the reason."""
    text = document.read_text(encoding="utf-8")
    problems = []
    for target in targets(text):
        parts = urlsplit(target)
        if parts.scheme or parts.netloc:
            continue  # http:, https:, mailto: ... are not files of the repository
        where = f"{document.relative_to(root)}: ({target})"
        path = unquote(parts.path)
        if path.startswith("/"):
            problems.append(f"{where} is absolute; write it relative to the document")
            continue
        resolved = (document.parent / path).resolve() if path else document
        if not resolved.is_relative_to(root.resolve()):
            problems.append(f"{where} leaves the repository")
        elif not resolved.exists():
            problems.append(f"{where} does not exist")
        elif parts.fragment and resolved.suffix == ".md" and not _has_anchor(resolved, parts):
            problems.append(f"{where} names no heading of {resolved.name}")
    return problems


def _has_anchor(document: Path, parts: SplitResult) -> bool:
    return unquote(parts.fragment) in anchors(document.read_text(encoding="utf-8"))


@pytest.mark.parametrize("document", documents(), ids=lambda path: str(path.relative_to(ROOT)))
def test_every_relative_link_resolves_inside_the_repository(document: Path) -> None:
    assert broken_links(document) == []


@pytest.mark.parametrize("document", documents(), ids=lambda path: str(path.relative_to(ROOT)))
def test_no_document_sends_the_reader_outside_the_clone(document: Path) -> None:
    """Not even in plain text or code: a clone has no ``../shared`` to look in."""
    assert "../shared" not in document.read_text(encoding="utf-8")


def test_the_documents_checked_include_the_readme_and_the_docs_it_links() -> None:
    names = {str(path.relative_to(ROOT)) for path in documents()}
    assert {"README.md", "docs/api.md", "docs/architecture.md"} <= names
    linked = targets((ROOT / "README.md").read_text(encoding="utf-8"))
    assert {"docs/api.md", "docs/architecture.md", "docs/screenshots/home.png"} <= set(linked)


def test_links_that_leave_the_repository_or_miss_are_caught(tmp_path: Path) -> None:
    (tmp_path / "repo" / "docs").mkdir(parents=True)
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "API.md").write_text("# API\n")
    page = tmp_path / "repo" / "docs" / "page.md"
    page.write_text(
        "# A page\n\n## Two words, here\n\n"
        "[out](../../shared/API.md) [gone](missing.md) ![img](../nowhere.png) "
        "[root](/etc/passwd) [web](https://example.com/x.md) [ok](#two-words-here) "
        "[bad anchor](#nope) [self](page.md#a-page)\n\n"
        "`[code](not-a-link.md)`\n\n```\n[fenced](not-a-link-either.md)\n```\n"
    )
    assert broken_links(page, root=tmp_path / "repo") == [
        "docs/page.md: (../../shared/API.md) leaves the repository",
        "docs/page.md: (missing.md) does not exist",
        "docs/page.md: (../nowhere.png) does not exist",
        "docs/page.md: (/etc/passwd) is absolute; write it relative to the document",
        "docs/page.md: (#nope) names no heading of page.md",
    ]
