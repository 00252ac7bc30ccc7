"""Folding words for search, so that the spellings Arabic readers type meet the spelling of the text.

The same fold runs twice: in Python over every indexed record (search.py) and, word for word, in the
browser over the reader's query (themes/default/static/js/search.js, kept in step with this module and
compared with it in Chromium by tests/test_search_browser.py). A word is folded in two steps:

1. spelling (fold_word): the building blocks of normalise.fold_for_matching (clean text, no joiners,
   diacritics or tatweel, أ إ آ ٱ as ا, ة as ه, ى as ي, lower case), with one difference made for search:
   ؤ and ئ become the bare hamza ء instead of و and ي, and ي before a hamza goes, so that مسؤول and
   مسئول, شيء and شئ, شاطئ and شاطىء meet. Arabic-Indic digits become Latin ones.
2. prefixes (peel): the article with what attaches to it (وال فال بال كال لل ال) and the conjunction و
   are taken off the front, one at a time, while at least three letters stay: والاقتصاد -> اقتصاد,
   وللسياسه -> للسياسه -> سياسه, بالعراق -> عراق, ولبنان -> لبنان (not بنان: see PREFIXES).

The index holds each word folded and fully peeled (index_terms), and so does the query (search_terms): a
word with or without its prefixes reaches the same term. Measured with bench/search_recall.py.
"""

from __future__ import annotations

import re
from functools import lru_cache

from generator.arabic.normalise import DIACRITICS, _LETTER_FOLDS, normalise_text, remove_joiners, to_latin_digits

HAMZA = "\u0621"
# Before _LETTER_FOLDS, which would make ؤ a و and ئ a ي: a reader types either seat for the same word.
_HAMZA_SEATS = str.maketrans({"\u0624": HAMZA, "\u0626": HAMZA})
# ي or ى carrying a following bare hamza (شيء, شاطىء) is the older spelling of ئ (شئ, شاطئ).
_YA_HAMZA = re.compile("[\u064a\u0649]+\u0621")
# A word: letters and digits (Unicode L* and N*, as the browser's [\p{L}\p{N}]+). "_" is no letter.
WORD = re.compile(r"[^\W_]+")
# What peel() takes off the front, longest first: the article ال with a conjunction or preposition before it
# (وال فال بال كال, and لل for ل + ال), the article alone, and the conjunction و. A lone ب ك ل ف is left: too
# many words begin with those letters (بيان, كبير, لبنان, فتوى), and a fully peeled query is matched by
# Pagefind as a word prefix, so taking them off made short stems that matched hundreds of unrelated words.
PREFIXES = ("\u0648\u0627\u0644", "\u0641\u0627\u0644", "\u0628\u0627\u0644", "\u0643\u0627\u0644",
            "\u0644\u0644", "\u0627\u0644", "\u0648")
MIN_STEM = 3
# Bumped whenever the fold changes, so that cached search bundles made with the old fold are not reused.
FOLD_VERSION = "3"


def fold_word(text: str) -> str:
    """Fold the spelling of text (a word or a query) as described above; never raises, idempotent."""
    text = DIACRITICS.sub("", remove_joiners(normalise_text(text)))
    text = text.translate(_HAMZA_SEATS)
    text = _YA_HAMZA.sub(HAMZA, text)
    return to_latin_digits(text.translate(_LETTER_FOLDS).lower())


def peel_once(word: str) -> str:
    """The longest of PREFIXES off a folded word, or the word itself when none is there or taking it off
    would leave fewer than MIN_STEM letters."""
    for prefix in PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= MIN_STEM:
            return word[len(prefix):]
    return word


def peel(word: str) -> str:
    """A folded word with every prefix peel_once can take off taken off."""
    while (shorter := peel_once(word)) != word:
        word = shorter
    return word


def words(text: str) -> list[str]:
    """The folded words of text, in order."""
    return WORD.findall(fold_word(text))


def index_terms(text: str) -> str:
    """What the search index holds for text: each word folded and fully peeled, separated by spaces: the same
    string as search_terms(text), made faster for whole articles. The folded but unpeeled form is left out:
    no query ever sends it, and with it a short peeled query such as الد (from والد) matched every word
    beginning with the article, الدولة and all."""
    # Folding is per word (nothing in it reaches across white space), and an archive repeats its words:
    # each distinct space-separated chunk is folded once, which made indexing 5,000 articles ten times faster.
    return " ".join(filter(None, map(chunk_terms, text.split())))


# The longest word indexed, in characters. Arabic and English words are a few dozen at most; a longer run is a
# blob (base64, a hash) no reader searches for, and Pagefind's time grows fast with a word's length: a body of
# one 400,000-letter word took 20 s to index (the same letters in words, 0.6 s), and 5,000,000 letters
# ran for over 15 minutes.
MAX_WORD = 60


@lru_cache(maxsize=1 << 17)
def chunk_terms(chunk: str) -> str:
    """search_terms of a run of text without white space, less any word over MAX_WORD characters."""
    terms = search_terms(chunk)
    if len(terms) <= MAX_WORD:
        return terms
    return " ".join(word for word in terms.split() if len(word) <= MAX_WORD)


def search_terms(text: str) -> str:
    """What a query becomes before it reaches Pagefind: its folded, fully peeled words, separated by
    spaces (the browser's foldQuery gives the same string)."""
    return " ".join(peel(word) for word in words(text))
