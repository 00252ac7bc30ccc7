"""Finding vocabulary terms in Arabic or English text, whatever prefixes and article they carry."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from generator.arabic.normalise import fold_for_matching

# Letters and digits only: every punctuation mark, quote, apostrophe or space separates.
_WORD = re.compile(r"[^\W_]+")
_ARTICLE = "\u0627\u0644"  # ال
_CONJUNCTIONS = ("", "\u0648", "\u0641")  # و ف
_PREPOSITIONS = ("", "\u0628", "\u0643", "\u0644")  # ب ك ل
_LAM = "\u0644"


@dataclass(frozen=True)
class Candidate:
    """A term a token can begin, and the article-less folded words that must follow that token."""

    term: str
    rest: tuple[str, ...]


@dataclass(frozen=True)
class TermMatcher:
    """A vocabulary compiled once: every written form a term's first word can take in text (with و ف ب ك ل,
    the article, لل) mapped to the terms that start there. Finding terms in a text is then one dictionary
    look-up per distinct word instead of a pattern per term and a prefix expansion per word."""

    forms: Mapping[str, tuple[Candidate, ...]]

    def find(self, text: str) -> frozenset[str]:
        """The terms (as given to compile_terms) that occur in text as whole words or phrases."""
        tokens = _words(fold_for_matching(text))
        found: set[str] = set()
        for token in self.forms.keys() & set(tokens):
            for candidate in self.forms[token]:
                if candidate.term not in found and (not candidate.rest or _followed_by(tokens, token, candidate.rest)):
                    found.add(candidate.term)
        return frozenset(found)


def compile_terms(terms: Iterable[str]) -> TermMatcher:
    """Compile terms (any strings; those without a letter or digit never match) into a TermMatcher."""
    by_first: dict[str, list[Candidate]] = {}
    for term in dict.fromkeys(terms):
        words = _term_pattern(term)
        if words:
            by_first.setdefault(words[0], []).append(Candidate(term, words[1:]))
    forms: dict[str, list[Candidate]] = {}
    for first, candidates in by_first.items():
        for form in _written_forms(first):
            forms.setdefault(form, []).extend(candidates)
    return TermMatcher({form: tuple(candidates) for form, candidates in forms.items()})


def find_terms(text: str, terms: Iterable[str]) -> frozenset[str]:
    """Return the terms (as given) that occur in text as whole words or phrases. To search many texts for the
    same terms, compile_terms once and call its find."""
    return compile_terms(terms).find(text)


def _words(text: str) -> list[str]:
    """_WORD.findall(text), about twice as fast on prose: most space-separated pieces are whole words already
    (str.isalnum is exactly _WORD's class, and no space is a letter or digit, so no word spans a space)."""
    words: list[str] = []
    for piece in text.split():
        if piece.isalnum():
            words.append(piece)
        else:
            words.extend(_WORD.findall(piece))
    return words


def _followed_by(tokens: Sequence[str], token: str, rest: tuple[str, ...]) -> bool:
    """True when some occurrence of token is followed by words that read as rest (article ignored)."""
    for position, other in enumerate(tokens):
        if other == token:
            following = tokens[position + 1 : position + 1 + len(rest)]
            if tuple(_strip_article(word) for word in following) == rest:
                return True
    return False


def _term_pattern(term: str) -> tuple[str, ...]:
    """Split a term into folded words with the article removed (the article never matters)."""
    return tuple(_strip_article(word) for word in _WORD.findall(fold_for_matching(term)))


def _written_forms(first: str) -> set[str]:
    """Every token that reads as first once its prefixes are peeled off: a prefix (و ف then ب ك ل) before
    first, before ال + first, or, after ل, before ل + first (للعراق). Each is kept only if
    _prefixed_readings, the rule itself, reads it as first, so the table never says more than the rule."""
    stems = (first, _ARTICLE + first, _LAM + first)
    candidates = {conjunction + preposition + stem
                  for conjunction in _CONJUNCTIONS for preposition in _PREPOSITIONS for stem in stems}
    return {form for form in candidates if first in _prefixed_readings(form)}


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
