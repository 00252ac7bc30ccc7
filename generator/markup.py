"""Markdown to HTML with Python-Markdown: tables, footnotes, and a table of contents with Arabic heading ids."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import markdown
from markdown.extensions.toc import slugify_unicode

# A table of contents is worth showing only when the article has this many headings.
TOC_MIN_HEADINGS = 3


class HTML(Protocol):
    """HTML that templates print as is: Markup, or a stand-in that reads it on first use (cache.StoredBody)."""

    def __html__(self) -> str: ...


@dataclass(frozen=True)
class Rendered:
    """An article body as HTML, with its table of contents (empty when short)."""

    html: str | HTML
    toc: str


def slugify_heading(value: str, separator: str) -> str:
    """Heading ids that keep Arabic letters (the default slugifier drops them, leaving _1, _2)."""
    return slugify_unicode(value, separator) or "section"


def make_converter(backlink_title: str = "Jump back to footnote %d in the text") -> markdown.Markdown:
    """One reusable converter per language: building it is the slow part, so a process makes few."""
    return markdown.Markdown(
        extensions=["tables", "footnotes", "toc", "sane_lists"],
        extension_configs={
            "toc": {"slugify": slugify_heading, "toc_depth": "2-4"},
            # The footnote back-link's title is read aloud by screen readers: it follows the page language.
            "footnotes": {"BACKLINK_TITLE": backlink_title},
        },
        output_format="html",
    )


def render_markdown(converter: markdown.Markdown, text: str) -> Rendered:
    """Convert one body; resets the converter first so footnotes and ids do not leak between articles."""
    converter.reset()
    html = converter.convert(text)
    tokens = getattr(converter, "toc_tokens", [])
    toc = converter.toc if _count_headings(tokens) >= TOC_MIN_HEADINGS else ""  # type: ignore[attr-defined]
    return Rendered(html=html, toc=toc)


def _count_headings(tokens: list[dict]) -> int:
    return sum(1 + _count_headings(token.get("children", [])) for token in tokens)
