"""Fenced code blocks with syntax highlighting: Python-Markdown's fenced_code and codehilite with Pygments.

Code is written with CSS classes (`<span class="k">`), never inline styles, so a stylesheet themes it light
and dark (themes/default/static/css/code.css). Every block is `<div class="codehilite" dir="ltr">`: code reads
left to right inside an Arabic page, and an Arabic comment inside it stays part of the code (the block is
stashed as raw HTML before the bidi tree processor runs, so bidi.py never sees inside it).

A block's language comes after the fence (```` ```python ````); an unknown language, or none, is plain code
(never guessed: a guess turns prose into keywords at random). Per block options, in Python-Markdown's form
```` ```{.python linenums="true" hl_lines="2 3"} ```` or Hugo's ```` ```python {linenos=true} ````: only line
numbers and highlighted lines (hl_lines="2 3", or Hugo's "2-3" and [2,3]); every other codehilite option (a
formatter, a style by name) is ignored, since an author's typo there must not stop a build or change the output
format. An info string Python-Markdown cannot read (```` ```python title="a.py" ````) keeps only its first word.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, Iterator

from markdown import Extension, Markdown
from markdown.extensions.codehilite import CodeHiliteExtension
from markdown.extensions.fenced_code import FencedBlockPreprocessor
from pygments.formatters.html import HtmlFormatter

CSS_CLASS = "codehilite"
# What an author may set per block; Hugo's spelling linenos means codehilite's linenums.
BLOCK_OPTIONS = frozenset({"linenums", "hl_lines"})
ALIASES = {"linenos": "linenums"}
# Hugo's linenos also takes a layout; any layout means numbered lines (ours are always a table).
NUMBERED_LAYOUTS = frozenset({"table", "inline"})
# A whole fenced block (its opening line's info string, its code, its closing fence), found block by block so
# that a fence shown inside another block's code is left alone.
FENCED_BLOCK = re.compile(r"^(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)\n(?P<code>.*?)(?<=\n)(?P=fence)[ ]*$",
                          re.MULTILINE | re.DOTALL)
# Hugo's hl_lines: numbers and ranges ("2-4"), in a string or a list; no block is longer than MAX_LINE lines.
LINE_RANGE = re.compile(r"(\d+)(?:\s*-\s*(\d+))?")
MAX_LINE = 100_000
# Hugo's info string: a language, then {options} (```python {linenos=true}).
LANGUAGE_THEN_OPTIONS = re.compile(r"[ ]*\.?(?P<lang>[\w#.+-]+)[ ]+\{(?P<options>[^\n{}]*)\}[ ]*")
# The info strings Python-Markdown's fenced_code reads (its FENCED_BLOCK_RE): any other (```python title="a.py",
# a stray quote) makes it no fence at all, so the block became inline code and its closing fence opened a block
# that swallowed the text after it.
READABLE_INFO = re.compile(r"""[ ]*(?:\{[^\n]*\}|\.?[\w#.+-]*[ ]*(?:hl_lines=(["'])[^\n]*?\1[ ]*)?)""")
# What such a block keeps of its info string: the first word, as its language (the rest is dropped).
FIRST_WORD = re.compile(r"[ {]*\.?(?P<lang>[\w#.+-]+)")


class LeftToRightFormatter(HtmlFormatter):
    """Pygments' HTML formatter whose outer <div> says dir="ltr": code is left to right on every page."""

    def _wrap_div(self, inner: Iterable[tuple[int, str]]) -> Iterator[tuple[int, str]]:
        # Pygments' own _wrap_div writes <div class="..."> (plus inline styles, which noclasses=False never
        # asks for); the attribute goes into that first piece.
        for index, (kind, piece) in enumerate(super()._wrap_div(inner)):
            yield kind, piece.replace("<div", '<div dir="ltr"', 1) if index == 0 else piece


def with_language_first(text: str) -> str:
    """text with each fenced block's Hugo-style opening (```python {linenos=true}) rewritten in the form
    Python-Markdown reads (```{.python linenos=true}), an opening it cannot read (```python title="a.py") cut to
    its first word; other blocks and the code inside blocks unchanged."""
    return FENCED_BLOCK.sub(_rewrite_opening, text)


def _rewrite_opening(match: re.Match[str]) -> str:
    info = LANGUAGE_THEN_OPTIONS.fullmatch(match.group("info"))
    if info:
        opening = f"{match.group('fence')}{{.{info.group('lang')} {info.group('options').strip()}}}"
    elif READABLE_INFO.fullmatch(match.group("info")):
        return match.group(0)
    else:
        word = FIRST_WORD.match(match.group("info"))
        opening = match.group("fence") + (word.group("lang") if word else "")
    return opening + match.group(0)[len(match.group("fence")) + len(match.group("info")):]


def line_list(value: Any) -> str:
    """hl_lines as codehilite reads it ("2 3 4") from Hugo's forms too ("2-4", [2,3,4], ["2-4"]); a range is cut
    at MAX_LINE, since "1-999999999" must not make a string of a billion numbers."""
    numbers: list[str] = []
    for start, end in LINE_RANGE.findall(str(value)):
        last = min(int(end or start), MAX_LINE)
        numbers += [str(number) for number in range(int(start), last + 1)]
    return " ".join(numbers)


class CodeBlockPreprocessor(FencedBlockPreprocessor):
    """fenced_code's preprocessor, reading Hugo's info string too and keeping only BLOCK_OPTIONS."""

    def run(self, lines: list[str]) -> list[str]:
        text = "\n".join(lines)
        if "```" not in text and "~~~" not in text:
            return lines
        return super().run(with_language_first(text).split("\n"))

    def handle_attrs(self, attrs: Iterable[tuple[str, Any]]) -> tuple[str, list[str], dict[str, Any]]:
        renamed = [(ALIASES.get(key, key), "true" if key == "linenos" and value in NUMBERED_LAYOUTS else
                    line_list(value) if key == "hl_lines" else value) for key, value in attrs]
        identifier, classes, config = super().handle_attrs(renamed)
        return identifier, classes, {key: value for key, value in config.items() if key in BLOCK_OPTIONS}


class CodeExtension(Extension):
    """Fenced code blocks highlighted by Pygments into CSS classes, left to right; line_numbers is the default
    for blocks that do not say (a block's linenums option wins)."""

    def __init__(self, line_numbers: bool = False) -> None:
        super().__init__()
        self.line_numbers = line_numbers

    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 - Python-Markdown's name
        # Registered for fenced_code to read its settings, not extended: codehilite's own tree processor would
        # also wrap indented code blocks, which have no language to highlight and stay <pre dir="ltr"> (bidi.py).
        md.registerExtension(CodeHiliteExtension(css_class=CSS_CLASS, guess_lang=False, use_pygments=True,
                                                 noclasses=False, linenums=True if self.line_numbers else None,
                                                 pygments_formatter=LeftToRightFormatter))
        # fenced_code's own place (priority 25): before the paragraph parser sees the fences.
        md.preprocessors.register(CodeBlockPreprocessor(md, {"lang_prefix": "language-"}), "fenced_code_block", 25)
        md.registerExtension(self)

