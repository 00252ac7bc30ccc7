"""Reports and series: the articles that name one report, grouped by its folded title, one identity across
languages (through translations), in report order; and the order of the reports index.

Report order: articles with a `report.part` first, by part; then those without, by date (oldest first: a
series is read in the order it came out); ties by slug. Reports index: reports whose title carries a number
("العدد 47", "Issue 47", "No. 47", "#47") first, highest number first; then the others, newest article first;
ties by slug."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass
from typing import TYPE_CHECKING, Iterable, Mapping

from generator.arabic import fold_for_matching, to_latin_digits, transliterate

if TYPE_CHECKING:
    from generator.site import Entry

# The slug of a title that transliterates to nothing.
FALLBACK_SLUG = "report"
# A report's number in its folded title (fold_title makes its digits Latin).
NUMBER = re.compile(r"(?:العدد|عدد|رقم|issue|no\.?|number|#)\s*[:.]?\s*(\d{1,9})\b")

# A report's identity in any language: (language code, folded title) of the first of its titles in the order
# of site.toml's languages, then alphabetically.
ReportKey = tuple[str, str]


@dataclass(frozen=True)
class ReportGroup:
    """One report in one language: its identity (shared with its translations), URL slug, title as first
    written by its newest article, who prepared it, its number (None when its title carries none) and its
    articles in report order."""

    key: ReportKey
    slug: str
    title: str
    prepared_by: str | None
    number: int | None
    newest: datetime.date
    entries: tuple[Entry, ...]


@dataclass(frozen=True)
class Reports:
    """Every language's reports in index order, and (language, folded title) -> that language's report."""

    by_language: Mapping[str, tuple[ReportGroup, ...]]
    by_title: Mapping[tuple[str, str], ReportGroup]

    def find(self, lang: str, title: str | None) -> ReportGroup | None:
        """The report an article of lang names with this title; None when it names none."""
        return self.by_title.get((lang, fold_title(title))) if title else None


def group_reports(entries_by_language: Iterable[tuple[str, tuple[Entry, ...]]],
                  translations: Mapping[str, Mapping[str, Entry]]) -> Reports:
    """Group every article that names a report by (language, folded title), join the titles that translations
    of one article name into one identity, and order each language's reports and their articles. Linear in
    the number of articles."""
    order = {}
    # Thousands of articles name a few hundred reports: each spelling is folded once (folding costs ~30 µs).
    folds: dict[str, str] = {}

    def fold(title: str) -> str:
        found = folds.get(title)
        if found is None:
            found = folds[title] = fold_title(title)
        return found

    nodes: dict[tuple[str, str], list[Entry]] = defaultdict(list)
    for position, (code, entries) in enumerate(entries_by_language):
        order[code] = position
        for entry in entries:
            if entry.article.report_title:
                nodes[(code, fold(entry.article.report_title))].append(entry)
    parent = {node: node for node in nodes}
    for group in translations.values():
        if len(group) < 2:
            continue  # most articles are not translated: nothing to join
        named = [(code, fold(entry.article.report_title)) for code, entry in group.items()
                 if entry.article.report_title]
        for other in named[1:]:
            _join(parent, named[0], other, order)
    merged: dict[tuple[str, ReportKey], list[Entry]] = defaultdict(list)
    for node in sorted(nodes, key=lambda n: (order[n[0]], n[1])):
        merged[(node[0], _root(parent, node))].extend(nodes[node])
    by_language: dict[str, list[ReportGroup]] = {code: [] for code in order}
    taken: dict[str, set[str]] = defaultdict(set)
    for (code, key), entries in merged.items():
        by_language[code].append(make_group(key, entries, taken[code]))
    ordered = {code: tuple(sorted(groups, key=index_order)) for code, groups in by_language.items()}
    by_title = {(code, fold(str(entry.article.report_title))): group
                for code, groups in ordered.items() for group in groups for entry in group.entries}
    return Reports(by_language=ordered, by_title=by_title)


def fold_title(title: str) -> str:
    """A report title folded for grouping: fold_for_matching (hamza, ta marbuta, diacritics, case, spaces) and
    Latin digits, so that "العدد ٤٧" and "العدد 47" are one report."""
    return to_latin_digits(fold_for_matching(title))


def _root(parent: dict[tuple[str, str], tuple[str, str]], node: tuple[str, str]) -> tuple[str, str]:
    while parent[node] != node:
        parent[node] = parent[parent[node]]
        node = parent[node]
    return node


def _join(parent: dict[tuple[str, str], tuple[str, str]], first: tuple[str, str], second: tuple[str, str],
          order: Mapping[str, int]) -> None:
    """Union of two titles' identities; the root is the first in language order, then alphabetically, so that
    the identity does not depend on the order translations are met in."""
    a, b = _root(parent, first), _root(parent, second)
    if a != b:
        low, high = sorted((a, b), key=lambda n: (order[n[0]], n[1]))
        parent[high] = low


def make_group(key: ReportKey, entries: list[Entry], taken: set[str]) -> ReportGroup:
    """One language's report from its articles: title and preparer from the newest article naming them, a slug
    unique in the language (a second report transliterating alike gets "-2"), the articles in report order."""
    newest_first = sorted(entries, key=lambda e: (-e.article.date.toordinal(), e.article.slug))
    title = str(newest_first[0].article.report_title)
    prepared_by = next((e.article.report_by for e in newest_first if e.article.report_by), None)
    folded = fold_title(title)
    base = transliterate(folded) or FALLBACK_SLUG
    slug, suffix = base, 1
    while slug in taken:
        suffix += 1
        slug = f"{base}-{suffix}"
    taken.add(slug)
    found = NUMBER.search(folded)
    return ReportGroup(key=key, slug=slug, title=title, prepared_by=prepared_by,
                       number=int(found.group(1)) if found else None, newest=newest_first[0].article.date,
                       entries=tuple(sorted(entries, key=report_order)))


def report_order(entry: Entry) -> tuple[int, int, int, str]:
    """Articles with a part first, by part; then by date, oldest first; then by slug."""
    article = entry.article
    part = article.report_part
    return (0 if part is not None else 1, part or 0, article.date.toordinal(), article.slug)


def index_order(group: ReportGroup) -> tuple[int, int, str]:
    """Numbered reports first, highest number first; then the others, newest article first; then by slug."""
    if group.number is not None:
        return (0, -group.number, group.slug)
    return (1, -group.newest.toordinal(), group.slug)
