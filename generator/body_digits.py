"""Footnote numbers in a Markdown body in the language's digits: a Python-Markdown tree processor."""

from __future__ import annotations

import xml.etree.ElementTree as etree

import markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

from generator.dates import localise_digits

# After the inline processor (20), which writes the footnote references, and after the footnotes' own tree
# processors; before the table of contents (5), which does not read footnotes anyway.
PRIORITY = 6


class FootnoteDigitsTreeprocessor(Treeprocessor):
    """Writes the numbers Python-Markdown's footnotes show (the reference marker and the back-link's title,
    which screen readers read and browsers show) in the given digit set. Ids and hrefs keep ASCII digits:
    they are addresses, not text. The footnote list's own numbers are CSS list markers (site.css)."""

    def __init__(self, md: markdown.Markdown, digits: str) -> None:
        super().__init__(md)
        self.digits = digits

    def run(self, root: etree.Element) -> None:
        if self.digits == "latn":
            return
        for element in root.iter("a"):
            classes = element.get("class", "").split()
            if "footnote-ref" in classes and element.text:
                element.text = localise_digits(element.text, self.digits)
            elif "footnote-backref" in classes and element.get("title"):
                element.set("title", localise_digits(element.get("title", ""), self.digits))


class FootnoteDigitsExtension(Extension):
    """Registers FootnoteDigitsTreeprocessor for one digit set ("arab", "arabext"; "latn" changes nothing)."""

    def __init__(self, digits: str) -> None:
        super().__init__()
        self.digits = digits

    def extendMarkdown(self, md: markdown.Markdown) -> None:
        md.treeprocessors.register(FootnoteDigitsTreeprocessor(md, self.digits), "footnote_digits", PRIORITY)
