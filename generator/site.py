"""Assemble loaded articles into a Site: per-language listings, tags, archives, translations."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Callable, Hashable, Mapping, TypeVar

from generator import urls
from generator.config import Config, Language
from generator.content import Article
from generator.dates import adjusted_hijri
from generator.errors import Problem
from generator.taxonomy import Tag, VocabularyCheck, make_vocabulary, resolve_tags

K = TypeVar("K", bound=Hashable)


@dataclass(frozen=True)
class Entry:
    """An article placed in the site: its URL, resolved tags and Hijri date."""

    article: Article
    url: str
    tags: tuple[Tag, ...]
    hijri: tuple[int, int, int] | None


@dataclass(frozen=True)
class LanguageSite:
    """Everything one language publishes, newest first."""

    language: Language
    entries: tuple[Entry, ...]
    tags: Mapping[str, tuple[Entry, ...]]
    tag_names: Mapping[str, Tag]


@dataclass(frozen=True)
class Site:
    """The whole site, ready to plan pages from."""

    config: Config
    languages: tuple[LanguageSite, ...]
    translations: Mapping[str, Mapping[str, Entry]]


def build_site(articles: list[Article], config: Config) -> tuple[Site, list[Problem]]:
    """Place every article, resolve tags and Hijri dates, and group by language; warn where Hijri is unknown
    and for every tag the vocabulary lacks."""
    vocabulary = make_vocabulary(config.tags)
    problems: list[Problem] = []
    by_language: dict[str, list[Entry]] = defaultdict(list)
    # Many articles carry the same tags, written the same way: fold and resolve each spelling once.
    resolved: dict[tuple[tuple[str, ...], str], tuple[Tag, ...]] = {}
    vocabulary_check = VocabularyCheck(vocabulary, config.root)
    for article in articles:
        spelling = (article.tags, article.lang)
        if spelling not in resolved:
            resolved[spelling] = resolve_tags(article.tags, article.lang, vocabulary)
        # A tag missing from the vocabulary still gets its (one-language) page; the warning says so.
        problems.extend(vocabulary_check.check(article))
        hijri = article.hijri_date or adjusted_hijri(article.date, config.hijri_adjustment)
        if hijri is None:
            problems.append(Problem(article.path, 1, f"no Hijri date shown for {article.date.isoformat()}: "
                                                     "outside the Umm al-Qura table", is_warning=True))
        entry = Entry(
            article=article,
            url=urls.article(article.lang, article.date, article.slug),
            tags=resolved[spelling],
            hijri=hijri,
        )
        by_language[article.lang].append(entry)
    languages = tuple(group_language(language, by_language[language.code]) for language in config.languages)
    return Site(config=config, languages=languages, translations=group_translations(languages)), problems


def sort_newest_first(entries: list[Entry]) -> tuple[Entry, ...]:
    """Newest first; ties broken by slug so that listings are deterministic."""
    return tuple(sorted(entries, key=lambda e: (-e.article.date.toordinal(), e.article.slug)))


def group_language(language: Language, entries: list[Entry]) -> LanguageSite:
    """One language's listings and tag groups."""
    ordered = sort_newest_first(entries)
    tags: dict[str, list[Entry]] = defaultdict(list)
    names: dict[str, Tag] = {}
    for entry in ordered:
        for tag in entry.tags:
            tags[tag.slug].append(entry)
            names.setdefault(tag.slug, tag)
    return LanguageSite(
        language=language,
        entries=ordered,
        tags={slug: tuple(tags[slug]) for slug in sorted(tags)},
        tag_names=names,
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
