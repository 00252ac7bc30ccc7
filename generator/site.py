"""Assemble loaded articles into a Site: per-language listings, tags, archives, translations."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from typing import Callable, Hashable, Mapping, TypeVar

from generator import urls
from generator.authors import Author, make_directory
from generator.config import Config, Language
from generator.content import Article
from generator.dates import adjusted_hijri
from generator.errors import Problem
from generator.reports import ReportGroup, Reports, group_reports
from generator.taxonomy import SlugCheck, Tag, VocabularyCheck, make_vocabulary, resolve_tags

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Entry:
    """An article placed in the site: its URL, resolved tags and Hijri date."""

    article: Article
    url: str
    tags: tuple[Tag, ...]
    hijri: tuple[int, int, int] | None
    # The article's author resolved through [[authors]] (authors.py); None when it names none.
    author: Author | None = None


@dataclass(frozen=True)
class LanguageSite:
    """Everything one language publishes, newest first."""

    language: Language
    entries: tuple[Entry, ...]
    tags: Mapping[str, tuple[Entry, ...]]
    tag_names: Mapping[str, Tag]
    # Author slug -> their entries (newest first), slugs sorted; and slug -> the author.
    authors: Mapping[str, tuple[Entry, ...]] = field(default_factory=dict)
    author_names: Mapping[str, Author] = field(default_factory=dict)
    # The language's reports in index order, and report title as an article writes it -> its report (reports.py).
    reports: tuple[ReportGroup, ...] = ()
    report_titles: Mapping[str, ReportGroup] = field(default_factory=dict)


@dataclass(frozen=True)
class Site:
    """The whole site, ready to plan pages from."""

    config: Config
    languages: tuple[LanguageSite, ...]
    translations: Mapping[str, Mapping[str, Entry]]
    # Every language's reports and series (reports.py).
    reports: Reports = Reports({}, {})


def build_site(articles: list[Article], config: Config) -> tuple[Site, list[Problem]]:
    """Place every article, resolve tags and Hijri dates, and group by language; warn where Hijri is unknown
    and for every tag the vocabulary lacks."""
    vocabulary = make_vocabulary(config.tags)
    problems: list[Problem] = []
    by_language: dict[str, list[Entry]] = defaultdict(list)
    # Many articles carry the same tags, written the same way: fold and resolve each spelling once.
    resolved: dict[tuple[tuple[str, ...], str], tuple[Tag, ...]] = {}
    directory = make_directory(config.authors)
    # A few authors write thousands of articles: each spelling is folded and resolved once.
    authors: dict[tuple[str, str], Author] = {}
    vocabulary_check, slug_check = VocabularyCheck(vocabulary, config.root), SlugCheck(vocabulary, config.root)
    for article in articles:
        spelling = (article.tags, article.lang)
        if spelling not in resolved:
            resolved[spelling] = resolve_tags(article.tags, article.lang, vocabulary)
        # A tag missing from the vocabulary still gets its (one-language) page; the warnings say so, and when
        # it shares that page with another.
        problems.extend(vocabulary_check.check(article) + slug_check.check(article))
        hijri = article.hijri_date or adjusted_hijri(article.date, config.hijri_adjustment)
        if hijri is None:
            problems.append(Problem(article.path, 1, f"no Hijri date shown for {article.date.isoformat()}: "
                                                     "outside the Umm al-Qura table", is_warning=True))
        author = None
        if article.author:
            written = (article.author, article.lang)
            author = authors.get(written) or authors.setdefault(written, directory.resolve(*written))
        entry = Entry(
            article=article,
            url=urls.article(article.lang, article.date, article.slug),
            tags=resolved[spelling],
            hijri=hijri,
            author=author,
        )
        by_language[article.lang].append(entry)
    languages = tuple(group_language(language, by_language[language.code]) for language in config.languages)
    translations = group_translations(languages)
    reports = group_reports(((language.language.code, language.entries) for language in languages), translations)
    titles: dict[str, dict[str, ReportGroup]] = defaultdict(dict)
    for code, groups in reports.by_language.items():
        # Keyed by every spelling written, so that planning links an article to its report without folding.
        titles[code].update((str(entry.article.report_title), report) for report in groups for entry in report.entries)
    languages = tuple(replace(language, reports=reports.by_language.get(language.language.code, ()),
                              report_titles=titles[language.language.code]) for language in languages)
    return Site(config=config, languages=languages, translations=translations, reports=reports), problems


def sort_newest_first(entries: list[Entry]) -> tuple[Entry, ...]:
    """Newest first; ties broken by slug so that listings are deterministic."""
    return tuple(sorted(entries, key=lambda e: (-e.article.date.toordinal(), e.article.slug)))


def group_language(language: Language, entries: list[Entry]) -> LanguageSite:
    """One language's listings and tag groups."""
    ordered = sort_newest_first(entries)
    tags: dict[str, list[Entry]] = defaultdict(list)
    names: dict[str, Tag] = {}
    by_author: dict[str, list[Entry]] = defaultdict(list)
    author_names: dict[str, Author] = {}
    for entry in ordered:
        for tag in entry.tags:
            tags[tag.slug].append(entry)
            names.setdefault(tag.slug, tag)
        if entry.author is not None:
            by_author[entry.author.slug].append(entry)
            author_names.setdefault(entry.author.slug, entry.author)
    return LanguageSite(
        language=language,
        entries=ordered,
        tags={slug: tuple(tags[slug]) for slug in sorted(tags)},
        tag_names=names,
        authors={slug: tuple(by_author[slug]) for slug in sorted(by_author)},
        author_names=author_names,
    )


def group_translations(languages: tuple[LanguageSite, ...]) -> dict[str, dict[str, Entry]]:
    """translation_key -> {lang: entry}: an article and its translations share one key."""
    groups: dict[str, dict[str, Entry]] = defaultdict(dict)
    for language in languages:
        for entry in language.entries:
            groups[entry.article.translation_key].setdefault(language.language.code, entry)
    return dict(groups)


def group_newest_first(entries: tuple[Entry, ...], key: Callable[[Entry], K | None]) -> dict[K, tuple[Entry, ...]]:
    """key(entry) -> entries with that key, largest (newest) key first, entries keeping their order; entries
    whose key is None are left out."""
    groups: dict[K, list[Entry]] = defaultdict(list)
    for entry in entries:
        found = key(entry)
        if found is not None:
            groups[found].append(entry)
    return {found: tuple(groups[found]) for found in sorted(groups, reverse=True)}


def group_by_month(entries: tuple[Entry, ...]) -> dict[tuple[int, int], tuple[Entry, ...]]:
    """(year, month) -> entries, newest month first."""
    return group_newest_first(entries, lambda entry: (entry.article.date.year, entry.article.date.month))


def group_by_hijri_year(entries: tuple[Entry, ...]) -> dict[int, tuple[Entry, ...]]:
    """Hijri year -> entries (articles without a Hijri date are left out), newest year first."""
    return group_newest_first(entries, lambda entry: entry.hijri[0] if entry.hijri else None)


def group_by_hijri_month(entries: tuple[Entry, ...]) -> dict[int, tuple[Entry, ...]]:
    """One Hijri year's entries by Hijri month (1-12), newest month first, entries keeping their order."""
    return group_newest_first(entries, lambda entry: entry.hijri[1] if entry.hijri else None)
