"""Tags: one identity across languages, resolved from names in either language or from slugs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from generator.arabic import fold_for_matching, transliterate
from generator.config import TagDef


@dataclass(frozen=True)
class Tag:
    """A tag's stable slug and its name in each language that names it."""

    slug: str
    names: Mapping[str, str]

    def name(self, lang: str) -> str:
        """The tag's name in lang, falling back to any name it has."""
        return self.names.get(lang) or next(iter(self.names.values()), self.slug)


@dataclass(frozen=True)
class Vocabulary:
    """Lookup from any spelling of a tag (slug, or a name in any language) to the tag."""

    by_key: Mapping[str, Tag]

    def resolve(self, written: str, lang: str) -> Tag:
        """The vocabulary tag written this way, or a new tag named as written, in lang only."""
        found = self.by_key.get(fold_for_matching(written))
        if found:
            return found
        slug = transliterate(written) or "tag"
        return Tag(slug=slug, names={lang: written})


def make_vocabulary(tags: tuple[TagDef, ...]) -> Vocabulary:
    """Index every tag by its slug and its names, folded so hamza or ta-marbuta spelling does not matter."""
    by_key: dict[str, Tag] = {}
    for definition in tags:
        tag = Tag(slug=definition.slug, names=dict(definition.names))
        for key in (definition.slug, *definition.names.values()):
            by_key.setdefault(fold_for_matching(key), tag)
    return Vocabulary(by_key=by_key)


def resolve_tags(written: tuple[str, ...], lang: str, vocabulary: Vocabulary) -> tuple[Tag, ...]:
    """Resolve an article's tags, dropping repeats (two spellings of one tag count once)."""
    seen: dict[str, Tag] = {}
    for name in written:
        tag = vocabulary.resolve(name, lang)
        seen.setdefault(tag.slug, tag)
    return tuple(seen.values())
