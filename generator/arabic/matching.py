"""Finding vocabulary terms in Arabic or English text, whatever prefixes and article they carry."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from generator.arabic.normalise import fold_for_matching

# Letters and digits only: every punctuation mark, quote, apostrophe or space separates.
_WORD = re.compile(r"[^\W_]+")
_ARTICLE = "\u0627\u0644"  # ال
_CONJUNCTIONS = ("", "\u0648", "\u0641")  # و ف
_PREPOSITIONS = ("", "\u0628", "\u0643", "\u0644")  # ب ك ل
_LAM = "\u0644"


def find_terms(text: str, terms: Iterable[str]) -> frozenset[str]:
    """Return the terms (as given) that occur in text as whole words or phrases."""
    patterns = {term: _term_pattern(term) for term in terms}
    patterns = {term: words for term, words in patterns.items() if words}
    if not patterns:
        return frozenset()
    tokens = _WORD.findall(fold_for_matching(text))
    cores = [_strip_article(token) for token in tokens]
    wanted = {words[0] for words in patterns.values()}
    starts = _index_first_words(tokens, wanted)
    found = set()
    for term, words in patterns.items():
        for position in starts.get(words[0], ()):
            if tuple(cores[position + 1 : position + len(words)]) == words[1:]:
                found.add(term)
                break
    return frozenset(found)


def _term_pattern(term: str) -> tuple[str, ...]:
    """Split a term into folded words with the article removed (the article never matters)."""
    return tuple(_strip_article(word) for word in _WORD.findall(fold_for_matching(term)))


def _index_first_words(tokens: Sequence[str], wanted: set[str]) -> dict[str, list[int]]:
    """Map each wanted first word to the token positions that can read as it."""
    starts: dict[str, list[int]] = {}
    for position, token in enumerate(tokens):
        for key in _prefixed_readings(token) & wanted:
            starts.setdefault(key, []).append(position)
    return starts


def _prefixed_readings(token: str) -> set[str]:
    """Return the article-less stems a token can be, once attached و ف ب ك ل are peeled off."""
    readings = set()
    for conjunction in _CONJUNCTIONS:
        if not token.startswith(conjunction):
            continue
        after_conjunction = token[len(conjunction) :]
        for preposition in _PREPOSITIONS:
            if not after_conjunction.startswith(preposition):
                continue
            stem = after_conjunction[len(preposition) :]
            # A one-letter stem is almost always a real word that begins with و/ب/ل, not a prefix.
            if len(stem) < 2:
                continue
            readings.add(_strip_article(stem))
            # لل: the preposition ل swallows the alif of the article (للعراق = ل + العراق).
            if preposition == _LAM and stem.startswith(_LAM) and len(stem) > 2:
                readings.add(stem[1:])
    return readings


def _strip_article(word: str) -> str:
    """Drop a leading ال when at least two letters remain."""
    if word.startswith(_ARTICLE) and len(word) > 3:
        return word[2:]
    return word
