"""Authors: one identity across languages, from site.toml's [[authors]] (a slug and a name per language) or,
for an author the table lacks, from a slug of the name in the language it is written in."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping

from generator.arabic import fold_for_matching, transliterate
from generator.config import AuthorDef

# The slug of a name that transliterates to nothing (punctuation only, say).
FALLBACK_SLUG = "author"


@dataclass(frozen=True)
class Author:
    """An author's stable slug (their pages' folder) and their name in each language that names them."""

    slug: str
    names: Mapping[str, str]

    def name(self, lang: str) -> str:
        """The author's name in lang, falling back to any name they have."""
        return self.names.get(lang) or next(iter(self.names.values()), self.slug)


@dataclass(frozen=True)
class AuthorDirectory:
    """Lookup from any spelling of an author (slug, or a name in any language, folded so that hamza, ta
    marbuta, alef maqsura and diacritics do not matter) to the author of [[authors]]."""

    by_key: Mapping[str, Author]

    def resolve(self, written: str, lang: str) -> Author:
        """The [[authors]] author written this way, or a new author named as written, in lang only; the new
        author's slug is the name transliterated (as tags' are), so the same name in another language's
        articles, spelt alike, is the same author."""
        found = self.by_key.get(fold_for_matching(written))
        if found is not None:
            return found
        return Author(slug=transliterate(fold_for_matching(written)) or FALLBACK_SLUG, names={lang: written.strip()})


def make_directory(authors: tuple[AuthorDef, ...]) -> AuthorDirectory:
    """Index every [[authors]] entry by its slug and each of its names, folded; the first entry wins a spelling."""
    by_key: dict[str, Author] = {}
    for definition in authors:
        author = Author(slug=definition.slug, names=dict(definition.names))
        for key in (definition.slug, *definition.names.values()):
            by_key.setdefault(fold_for_matching(key), author)
    return AuthorDirectory(by_key=by_key)
