"""Normalising imported text, folding it for matching, and reading its digits."""

from __future__ import annotations

import re
from functools import lru_cache
import unicodedata

# Invisible characters that imported text picks up from word processors and CMS editors:
# the BOM, bidi marks/embeddings/isolates, the zero-width space and the word joiner. They
# break matching and slugs and are never meaningful in our Markdown (the theme handles
# direction itself). ZWNJ and ZWJ are not here: they carry meaning between letters and in
# emoji, and are kept or dropped by _keep_meaningful_joiners.
_INVISIBLE = (
    "\ufeff"
    "\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e"
    "\u2066\u2067\u2068\u2069"
    "\u061c"
    "\u200b\u2060"
)
_DELETE_INVISIBLE = {ord(char): None for char in _INVISIBLE}
# str.translate looks every character of a non-ASCII string up in its table (about a quarter of a
# microsecond each: most of an import's time went there), while a regular expression or str.replace
# scans for the few characters it acts on in C. Same results, so the tables above stay the definition.
_INVISIBLE_CHARACTER = re.compile(f"[{_INVISIBLE}]")

ZWNJ = "\u200c"
ZWJ = "\u200d"
_JOINER_RUN = re.compile("[\u200c\u200d]+")
_DELETE_JOINERS = {ord(ZWNJ): None, ord(ZWJ): None}
# What may stand on either side of a ZWJ inside an emoji sequence: pictographs (U+1F000..,
# U+2300.., U+2600.., U+2B00..), skin-tone modifiers (in U+1F3FB..), VS16 and tag characters.
_EMOJI_SIDE = re.compile(
    "[\U0001f000-\U0001faff\u2300-\u23ff\u2600-\u27bf\u2b00-\u2bff\ufe0f\U000e0020-\U000e007f]"
)

# Presentation forms A and B (U+FEFF, the BOM, is deleted before this runs).
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]+")
_LINE_BREAKS = re.compile(r"\r\n?")
# Any character the first four steps of normalise_text act on; most lines hold none.
_NEEDS_CLEANING = re.compile(f"[{_INVISIBLE}\u200c\u200d\r\ufb50-\ufdff\ufe70-\ufefe]")


def normalise_text(text: str) -> str:
    """Clean imported text: no BOM, bidi or zero-width marks (ZWNJ/ZWJ kept where they mean
    something: between letters, as in Persian می‌دهیم, and inside emoji sequences); LF
    newlines; NFC; plain letters instead of presentation forms."""
    if not _NEEDS_CLEANING.search(text):
        return unicodedata.normalize("NFC", text)
    text = _INVISIBLE_CHARACTER.sub("", text)
    text = _JOINER_RUN.sub(_keep_meaningful_joiners, text)
    text = _LINE_BREAKS.sub("\n", text)
    # NFKC only on presentation forms: NFKC on the whole text would also rewrite things
    # authors chose on purpose (superscripts, full-width forms, ligature-free Latin).
    text = _PRESENTATION_FORMS.sub(_fold_presentation_forms, text)
    return unicodedata.normalize("NFC", text)


def is_normalised(text: str) -> bool:
    """Whether normalise_text(text) is text itself, and so is normalise_text of every line of it: nothing to
    delete, join or fold, no carriage return, NFC already (NFC never reaches across a line break)."""
    return not _NEEDS_CLEANING.search(text) and unicodedata.is_normalized("NFC", text)


def _keep_meaningful_joiners(match: re.Match[str]) -> str:
    """Keep one joiner of a run between two letters, or a ZWJ between emoji; drop strays."""
    text, run = match.string, match.group()
    before = text[match.start() - 1] if match.start() > 0 else ""
    after = text[match.end()] if match.end() < len(text) else ""
    if _is_letter(before) and _is_letter(after):
        # A doubled joiner is a typing slip; the first one says which was meant.
        return run[0]
    if ZWJ in run and _EMOJI_SIDE.match(before) and _EMOJI_SIDE.match(after):
        return ZWJ
    return ""


def _is_letter(char: str) -> bool:
    """Whether char is a letter or a combining mark (a vowel sign on a letter counts)."""
    return bool(char) and unicodedata.category(char)[0] in "LM"


def remove_joiners(text: str) -> str:
    """Delete ZWNJ and ZWJ: they never matter for matching, slugs or date reading."""
    if ZWNJ in text or ZWJ in text:
        return text.replace(ZWNJ, "").replace(ZWJ, "")
    return text


def _fold_presentation_forms(match: re.Match[str]) -> str:
    """Replace a run of presentation-form characters with their compatibility decomposition."""
    return unicodedata.normalize("NFKC", match.group())


# Harakat, Quranic marks and tatweel: never part of the letters a reader matches on.
DIACRITICS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_LETTER_FOLDS = str.maketrans(
    {
        "\u0623": "\u0627",  # أ -> ا
        "\u0625": "\u0627",  # إ -> ا
        "\u0622": "\u0627",  # آ -> ا
        "\u0671": "\u0627",  # ٱ -> ا
        "\u0624": "\u0648",  # ؤ -> و
        "\u0626": "\u064a",  # ئ -> ي
        "\u0629": "\u0647",  # ة -> ه
        "\u0649": "\u064a",  # ى -> ي
    }
)
# The folds as (letter, replacement) pairs for str.replace: no replacement is itself folded, so replacing
# one letter after another gives what one translate would.
_LETTER_FOLD_PAIRS = tuple((chr(code), replacement) for code, replacement in _LETTER_FOLDS.items())


@lru_cache(maxsize=1 << 16)
def fold_for_matching(text: str) -> str:
    """Fold text for tag/keyword matching: no diacritics, tatweel or joiners, unified letters,
    lower case, single spaces. Remembered per text: a build folds each tag as written once per article
    that carries it, thousands of times the same few spellings."""
    text = remove_joiners(normalise_text(text))
    text = DIACRITICS.sub("", text)
    for letter, replacement in _LETTER_FOLD_PAIRS:
        if letter in text:
            text = text.replace(letter, replacement)
    # str.split splits on exactly the characters \s matches: the same as re.sub(r"\s+", " ", text).strip(),
    # without a replacement for every single space.
    return " ".join(text.lower().split())


_LATIN_DIGITS = str.maketrans(
    {
        **{chr(0x0660 + value): str(value) for value in range(10)},
        **{chr(0x06F0 + value): str(value) for value in range(10)},
        "\u066b": ".",  # ٫ Arabic decimal separator
        "\u066c": ",",  # ٬ Arabic thousands separator
    }
)


_NON_LATIN_DIGIT = re.compile("[\u0660-\u0669\u06f0-\u06f9\u066b\u066c]")


def to_latin_digits(text: str) -> str:
    """Replace Arabic-Indic and Persian digits (and ٫ ٬ separators) with their Latin forms."""
    return text.translate(_LATIN_DIGITS) if _NON_LATIN_DIGIT.search(text) else text
