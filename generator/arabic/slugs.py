"""URL slugs from titles: ASCII transliteration (the default) or Arabic letters kept."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from generator.arabic.normalise import DIACRITICS, normalise_text, remove_joiners, to_latin_digits

SLUG_STYLES = ("ascii", "arabic")
_ARTICLE = "\u0627\u0644"  # ال
# Arabic letters (hamza forms included; no tatweel, harakat or Arabic digits).
_ARABIC_LETTERS = "\u0621-\u063a\u0641-\u064a\u066e\u066f\u0671-\u06d3\u06d5\u06ee\u06ef\u06fa-\u06fc\u06ff"
_ARABIC_LETTER = re.compile(f"[{_ARABIC_LETTERS}]")
_NOT_SLUG_CHARS = re.compile(f"[^a-z0-9{_ARABIC_LETTERS}]+")

# A consonant skeleton, as Arabic is written (short vowels are not in the text). ع becomes
# "a" because readers recognise "daash" and "bad" more easily than an apostrophe or nothing.
_ARABIC_TO_LATIN = {
    "\u0627": "a",  # ا
    "\u0671": "a",  # ٱ
    "\u0623": "a",  # أ
    "\u0622": "a",  # آ
    "\u0625": "i",  # إ
    "\u0624": "u",  # ؤ
    "\u0626": "i",  # ئ
    "\u0621": "",  # ء
    "\u0628": "b",
    "\u062a": "t",
    "\u062b": "th",
    "\u062c": "j",
    "\u062d": "h",
    "\u062e": "kh",
    "\u062f": "d",
    "\u0630": "dh",
    "\u0631": "r",
    "\u0632": "z",
    "\u0633": "s",
    "\u0634": "sh",
    "\u0635": "s",
    "\u0636": "d",
    "\u0637": "t",
    "\u0638": "z",
    "\u0639": "a",  # ع
    "\u063a": "gh",
    "\u0641": "f",
    "\u0642": "q",
    "\u0643": "k",
    "\u0644": "l",
    "\u0645": "m",
    "\u0646": "n",
    "\u0647": "h",
    "\u0648": "w",
    "\u064a": "y",
    "\u0629": "a",  # ة
    "\u0649": "a",  # ى
    # Letters of Persian, Urdu and Maghrebi spelling that turn up in names.
    "\u067e": "p",  # پ
    "\u0686": "ch",  # چ
    "\u0698": "zh",  # ژ
    "\u06a4": "v",  # ڤ
    "\u06af": "g",  # گ
    "\u06a9": "k",  # ک
    "\u06cc": "y",  # ی
    "\u06c1": "h",  # ہ
    "\u06d5": "a",  # ە
}
# Latin letters that NFKD does not decompose into ASCII.
_LATIN_SPECIALS = {
    "ß": "ss",
    "æ": "ae",
    "œ": "oe",
    "ø": "o",
    "đ": "d",
    "ð": "d",
    "ł": "l",
    "þ": "th",
    "ı": "i",
}
# Apostrophes join ("What's" -> "whats"); every other non-letter separates.
_APOSTROPHES = frozenset("'\u2019\u2018\u02bc")
_SLUG_WORD = re.compile(r"[^\W_]+(?:['\u2019\u2018\u02bc][^\W_]+)*")
_ASCII_ALNUM = frozenset("abcdefghijklmnopqrstuvwxyz0123456789")


def transliterate(text: str, max_length: int = 60) -> str:
    """Make an ASCII URL slug: lower-case words joined by hyphens, at most max_length long."""
    units = [unit for unit in map(_transliterate_word, _slug_words(text)) if unit]
    return _join_within(units, max_length)


def arabic_slug(text: str, max_length: int = 60) -> str:
    """Make a URL slug that keeps Arabic letters: NFC, no diacritics, tatweel or joiners, hamza
    forms kept as written, Latin digits, punctuation dropped, words joined by hyphens, at most
    max_length characters. Words without Arabic letters are transliterated as in transliterate,
    so a Latin name in an Arabic title stays lower-case ASCII."""
    units = [unit for unit in map(_arabic_slug_word, _slug_words(text)) if unit]
    return _join_within(units, max_length)


def make_slug(text: str, style: str, max_length: int = 60) -> str:
    """Make a slug in one of SLUG_STYLES: "ascii" (transliterate) or "arabic" (arabic_slug)."""
    if style == "arabic":
        return arabic_slug(text, max_length)
    if style == "ascii":
        return transliterate(text, max_length)
    raise ValueError(f'unknown slug style "{style}" (expected "ascii" or "arabic")')


def _slug_words(text: str) -> list[str]:
    """The words of a title for a slug: normalised, without diacritics or joiners, Latin digits."""
    text = DIACRITICS.sub("", to_latin_digits(remove_joiners(normalise_text(text))))
    return _SLUG_WORD.findall(text)


def _arabic_slug_word(word: str) -> str:
    """Keep an Arabic word's letters (apostrophes dropped); transliterate any other word."""
    if not _ARABIC_LETTER.search(word):
        return _transliterate_word(word)
    kept = "".join(char.lower() for char in word if char not in _APOSTROPHES)
    # Anything outside Arabic letters and ASCII letters/digits (a stray Greek letter, say) splits.
    return "-".join(piece for piece in _NOT_SLUG_CHARS.split(kept) if piece)


def _transliterate_word(word: str) -> str:
    """Transliterate one word; "al-" marks the article, other unknown characters split it."""
    if word.startswith(_ARTICLE) and len(word) > 2:
        rest = _transliterate_word(word[2:])
        return f"al-{rest}" if rest else "al"
    pieces = "".join(_transliterate_char(char) for char in word)
    return "-".join(piece for piece in pieces.split("-") if piece)


def _transliterate_char(char: str) -> str:
    """Return the ASCII spelling of one character, "" to drop it, or "-" for a break."""
    if char in _ARABIC_TO_LATIN:
        return _ARABIC_TO_LATIN[char]
    if char in _APOSTROPHES:
        return ""
    lowered = char.lower()
    if lowered in _LATIN_SPECIALS:
        return _LATIN_SPECIALS[lowered]
    ascii_part = "".join(
        part for part in unicodedata.normalize("NFKD", lowered) if part in _ASCII_ALNUM
    )
    return ascii_part or "-"


def _join_within(units: Sequence[str], max_length: int) -> str:
    """Join slug units with hyphens, stopping before the unit that would exceed max_length."""
    if max_length <= 0 or not units:
        return ""
    slug = ""
    for unit in units:
        candidate = f"{slug}-{unit}" if slug else unit
        if len(candidate) > max_length:
            break
        slug = candidate
    if not slug:
        # A single first word longer than the limit: cutting it is the only way to keep a slug.
        slug = units[0][:max_length].strip("-")
    return slug
