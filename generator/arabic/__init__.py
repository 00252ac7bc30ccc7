"""Arabic text handling, by concern: normalisation and digits, term matching, slugs, date reading."""

from generator.arabic.dates import parse_date
from generator.arabic.matching import TermMatcher, compile_terms, find_terms
from generator.arabic.normalise import fold_for_matching, normalise_text, remove_joiners, to_latin_digits
from generator.arabic.slugs import SLUG_STYLES, arabic_slug, make_slug, transliterate

__all__ = [
    "SLUG_STYLES",
    "TermMatcher",
    "arabic_slug",
    "compile_terms",
    "find_terms",
    "fold_for_matching",
    "make_slug",
    "normalise_text",
    "parse_date",
    "remove_joiners",
    "to_latin_digits",
    "transliterate",
]
