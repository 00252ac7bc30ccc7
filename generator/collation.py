"""Alphabetical order in a language's collation (UCA through pyuca, with CLDR's Arabic tailoring), the leading
article ignored as indexes do."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from importlib.metadata import version
from typing import Callable, Iterable, TypeVar

import pyuca

from generator.dates import parse_locale

T = TypeVar("T")

# Indexes file a name under its first word without the article: الإرهاب under ر (as إرهاب), "The Gulf" under G.
# The Arabic article is only taken off when a word of two letters or more is left, so that a short word
# that merely begins with ال is not cut down to nothing.
_LEADING_ARTICLE: dict[str, re.Pattern[str]] = {
    "ar": re.compile(r"^ال(?=\w{2})"),
    "en": re.compile(r"^the\s+(?=\w)", re.IGNORECASE),
}

# CLDR's Arabic tailoring of the root collation (common/collation/ar.xml, "standard"): the hamza forms
# ء << أ << ؤ << إ << ئ << ا differ from alif only at the second level, ة is a second-level variant of ت and
# ى of ي. The Unicode default table (DUCET, which pyuca implements) gives each of them a letter of its own,
# so that every إ would follow every أ and ة would sort after ه; these are the only letters the tailoring
# moves. Madda alif (آ) keeps its own place before alif, as in CLDR.
_SECOND_LEVEL: dict[str, tuple[str, int]] = {
    "ء": ("ا", 0), "أ": ("ا", 1), "ؤ": ("ا", 2), "إ": ("ا", 3), "ئ": ("ا", 4), "ا": ("ا", 5),
    "ت": ("ت", 0), "ة": ("ت", 1),
    "ي": ("ي", 0), "ى": ("ي", 1),
}
_TO_FIRST_LEVEL = str.maketrans({letter: base for letter, (base, _) in _SECOND_LEVEL.items()})

# Latin names in an Arabic index come after the Arabic ones (CLDR's reordering of scripts for ar).
_ARABIC_LETTER = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
_LETTER = re.compile(r"[^\W\d_]")


@lru_cache(maxsize=1)
def _collator() -> pyuca.Collator:
    """The Unicode Collation Algorithm with its default table (pyuca's newest DUCET)."""
    return pyuca.Collator()


def strip_article(text: str, locale: str) -> str:
    """text without its leading article in the locale's language (ال, "the"), spaces trimmed."""
    pattern = _LEADING_ARTICLE.get(parse_locale(locale).language)
    text = text.strip()
    return pattern.sub("", text, count=1) if pattern else text


def _uca_key(text: str) -> tuple[int, ...]:
    """pyuca's key for text (pyuca expects NFD: it does not decompose by itself)."""
    return _collator().sort_key(unicodedata.normalize("NFD", text))


def _script_rank(text: str, language: str) -> int:
    """0 for names in the language's own script first, 1 for the others (only Arabic reorders)."""
    if language != "ar":
        return 0
    first = _LETTER.search(text)
    return 0 if first is None or _ARABIC_LETTER.match(first.group()) else 1


def sort_key(text: str, locale: str) -> tuple[object, ...]:
    """A key that orders texts as an index in the locale does: by script (Arabic first in Arabic), then by the
    text without its article at the first level, then the tailored second level, then the whole text."""
    language = parse_locale(locale).language
    filed = strip_article(text, locale)
    if language == "ar":
        first = _uca_key(filed.translate(_TO_FIRST_LEVEL))
        second = tuple(_SECOND_LEVEL.get(char, ("", 0))[1] for char in filed)
    else:
        first, second = _uca_key(filed), ()
    return _script_rank(filed, language), first, second, _uca_key(text.strip())


def sort_alphabetically(items: Iterable[T], name: Callable[[T], str], locale: str,
                        tiebreak: Callable[[T], str]) -> list[T]:
    """items in the locale's alphabetical order of their names; equal names are ordered by tiebreak (a slug,
    say), then by the name's code points, so that the order never depends on the input's order."""
    return sorted(items, key=lambda item: (*sort_key(name(item), locale), tiebreak(item), name(item)))


def collation_version() -> str:
    """Which collation orders the lists, e.g. "pyuca 1.2 (DUCET 9.0.0), CLDR ar tailoring": the order (and so
    the pages) changes with pyuca's table, so a build cache holds this among its versions."""
    table = type(_collator()).__name__.removeprefix("Collator_").replace("_", ".")
    return f"pyuca {version('pyuca')} (DUCET {table}), CLDR ar tailoring"
