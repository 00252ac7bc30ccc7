"""Markdown to HTML with Python-Markdown: tables, footnotes, highlighted code blocks (highlight.py), and a table
of contents with Arabic heading ids;
raw HTML sanitised unless trusted (sanitise.py), and a time limit per body (time_limit.py)."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser
from typing import Iterator, Protocol
from xml.etree import ElementTree

import markdown
from markdown.extensions import Extension
from markdown.extensions.toc import slugify_unicode
from markdown.treeprocessors import Treeprocessor

from generator.bidi import BidiExtension
from generator.body_digits import FootnoteDigitsExtension
from generator.highlight import CodeExtension
from generator.sanitise import (
    MAX_DEPTH, PAGE_IDS, SANITISE, HTMLTooDeep, keep_unique_ids, policy_fingerprint, sanitise_html,
)
from generator.time_limit import TimeLimitExceeded, time_limit

# A table of contents is worth showing only when the article has this many headings.
TOC_MIN_HEADINGS = 3
# How long one body may take to convert by default (seconds): a long article takes a few hundredths.
DEFAULT_TIME_LIMIT = 10.0
NESTED_TOO_DEEPLY = "the Markdown is nested too deeply to convert (lists or quotes hundreds of levels deep); flatten it"


@dataclass(frozen=True)
class MarkupPolicy:
    """How bodies are converted: raw_html "sanitise" (an allow-list, the default) or "trusted" (as written),
    and how many seconds one body may take (site.toml's raw_html and markdown_time_limit)."""

    raw_html: str = SANITISE
    time_limit: float = DEFAULT_TIME_LIMIT

    def fingerprint(self) -> bytes:
        """What a body's HTML depends on in this policy, for the body cache's key (the time limit is not: a
        body converts to the same HTML under any limit it converts within)."""
        return policy_fingerprint(self.raw_html)


class MarkupError(Exception):
    """A body that cannot be converted; the message says why, for a `path:line: message` problem."""


class HTML(Protocol):
    """HTML that templates print as is: Markup, or a stand-in that reads it on first use (cache.StoredBody)."""

    def __html__(self) -> str: ...


@dataclass(frozen=True)
class Rendered:
    """An article body as HTML, with its table of contents (empty when short)."""

    html: str | HTML
    # Text, or a stand-in that reads it from the cache on first use (cache.StoredBody).
    toc: str | HTML


def slugify_heading(value: str, separator: str) -> str:
    """Heading ids that keep Arabic letters (the default slugifier drops them, leaving _1, _2), never one of the
    page's own ids: "## Main" is main-section, not main."""
    slug = slugify_unicode(value, separator) or "section"
    return f"{slug}{separator}section" if slug in PAGE_IDS else slug


class RawIdsExtension(Extension):
    """Heading ids that avoid the ids raw HTML in the body gives: `<h2 id="intro">` then `## Intro` makes the
    heading #intro_1, so that its table-of-contents link reaches it. Python-Markdown's toc extension avoids the
    ids of elements in its tree, and raw HTML is not in the tree (it is stashed until the very end): each raw id
    is shown to it as a stand-in element, removed once the ids are given."""

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        # Just before the toc extension's treeprocessor (5), and the stand-ins gone just after it.
        md.treeprocessors.register(RawIdsIn(md), "raw_ids_in", 5.5)
        md.treeprocessors.register(RawIdsOut(md), "raw_ids_out", 4.5)


# The stand-in element, a tag no Markdown or HTML makes.
RAW_ID_TAG = "warraq-raw-id"


class RawIdsIn(Treeprocessor):
    """Append a stand-in element for each id the body's raw HTML gives: as the sanitiser leaves it when the body
    is sanitised (render_markdown sets `sanitise` for each body), since an id it removes (on <a>, <section>, a
    page's own) must not push a heading to _1, which would break links to the heading's old id."""

    sanitise = False

    def run(self, root: ElementTree.Element) -> None:
        blocks = [block for block in self.md.htmlStash.rawHtmlBlocks if isinstance(block, str)]
        if self.sanitise:
            blocks = [sanitised_or_raw(block) for block in blocks]
        for value in raw_ids(blocks):
            ElementTree.SubElement(root, RAW_ID_TAG, {"id": value})


def sanitised_or_raw(block: str) -> str:
    """A raw HTML block as the sanitiser leaves it; as it is when too deep to clean (the whole body is then
    refused by render_markdown, with its message)."""
    try:
        return sanitise_html(block)
    except HTMLTooDeep:
        return block


class RawIdsOut(Treeprocessor):
    """Remove the stand-ins RawIdsIn appended."""

    def run(self, root: ElementTree.Element) -> None:
        for element in root.findall(RAW_ID_TAG):
            root.remove(element)


class _IdCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.ids += [value for name, value in attrs if name == "id" and value]


def raw_ids(blocks: list[str]) -> list[str]:
    """The id attributes of the start tags in raw HTML blocks (Python-Markdown's stash), in order, as a browser
    reads them (entities decoded)."""
    collector = _IdCollector()
    for block in blocks:
        if "id" in block.lower():  # attribute names are case-blind: ID="x" too
            collector.feed(block)
    collector.close()
    return collector.ids


def make_converter(backlink_title: str = "Jump back to footnote %d in the text", digits: str = "latn",
                   direction: str = "", line_numbers: bool = False) -> markdown.Markdown:
    """One reusable converter per language: building it is the slow part, so a process makes few. digits is the
    language's digit set ("latn", "arab", "arabext"), in which footnote numbers are written. direction is its pages'
    ("rtl", "ltr"; "" lets each body's words decide), against which bidi.py marks blocks of the other direction.
    line_numbers numbers the lines of fenced code blocks that do not say (highlight.py)."""
    return markdown.Markdown(
        extensions=["tables", "footnotes", "toc", "sane_lists", CodeExtension(line_numbers),
                    FootnoteDigitsExtension(digits), BidiExtension(direction), RawIdsExtension()],
        extension_configs={
            "toc": {"slugify": slugify_heading, "toc_depth": "2-4"},
            # The footnote back-link's title is read aloud by screen readers: it follows the page language.
            "footnotes": {"BACKLINK_TITLE": backlink_title},
        },
        output_format="html",
    )


def render_markdown(converter: markdown.Markdown, text: str, policy: MarkupPolicy = MarkupPolicy()) -> Rendered:
    """Convert one body; resets the converter first so footnotes and ids do not leak between articles. Raise
    MarkupError when the body takes longer than the policy's time limit, nests too deeply for Python-Markdown
    (RecursionError) or, sanitised, for the sanitiser; the converter must not be used again after that."""
    converter.reset()
    raw_ids_in = converter.treeprocessors["raw_ids_in"]
    if isinstance(raw_ids_in, RawIdsIn):
        raw_ids_in.sanitise = policy.raw_html == SANITISE
    try:
        with time_limit(policy.time_limit):
            html = converter.convert(text)
    except TimeLimitExceeded:
        raise MarkupError(f"Markdown took longer than {policy.time_limit:g} s to convert; look for a long run of "
                          "[ or ( or of nested emphasis, or raise markdown_time_limit in site.toml") from None
    except RecursionError:
        # Python-Markdown recurses once per level of nested lists or quotes; hundreds of levels overflow it.
        raise MarkupError(NESTED_TOO_DEEPLY) from None
    tokens = getattr(converter, "toc_tokens", [])
    toc = converter.toc if _count_headings(tokens) >= TOC_MIN_HEADINGS else ""  # type: ignore[attr-defined]
    if policy.raw_html == SANITISE:
        try:
            html, toc = sanitise_html(html), sanitise_html(toc)
        except HTMLTooDeep:
            raise MarkupError(f"the HTML is nested more than {MAX_DEPTH} elements deep (raw HTML or quotes in "
                              "quotes); flatten it or close its tags") from None
        html = keep_unique_ids(html, frozenset(_heading_ids(tokens)))
    return Rendered(html=html, toc=toc)


def _heading_ids(tokens: list[dict]) -> Iterator[str]:
    for token in tokens:
        yield token["id"]
        yield from _heading_ids(token.get("children", []))


def _count_headings(tokens: list[dict]) -> int:
    return sum(1 + _count_headings(token.get("children", [])) for token in tokens)
