"""Arabic text handling: normalisation, matching, digits, slugs and date-string parsing."""

from __future__ import annotations

import datetime
import enum
import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass

import hijridate

# ---------------------------------------------------------------------------
# Normalisation
# ---------------------------------------------------------------------------

# Invisible characters that imported text picks up from word processors and CMS editors:
# the BOM, bidi marks/embeddings/isolates and zero-width joiners. They break matching and
# slugs and are never meaningful in our Markdown (the theme handles direction itself).
_INVISIBLE = (
    "\ufeff"
    "\u200e\u200f"
    "\u202a\u202b\u202c\u202d\u202e"
    "\u2066\u2067\u2068\u2069"
    "\u061c"
    "\u200b\u200c\u200d\u2060"
)
_DELETE_INVISIBLE = {ord(char): None for char in _INVISIBLE}

# Presentation forms A and B (U+FEFF, the BOM, is deleted before this runs).
_PRESENTATION_FORMS = re.compile("[\ufb50-\ufdff\ufe70-\ufefe]+")
_LINE_BREAKS = re.compile(r"\r\n?")


def normalise_text(text: str) -> str:
    """Clean imported text: no BOM, bidi or zero-width marks; LF newlines; NFC; plain letters."""
    text = text.translate(_DELETE_INVISIBLE)
    text = _LINE_BREAKS.sub("\n", text)
    # NFKC only on presentation forms: NFKC on the whole text would also rewrite things
    # authors chose on purpose (superscripts, full-width forms, ligature-free Latin).
    text = _PRESENTATION_FORMS.sub(_fold_presentation_forms, text)
    return unicodedata.normalize("NFC", text)


def _fold_presentation_forms(match: re.Match[str]) -> str:
    """Replace a run of presentation-form characters with their compatibility decomposition."""
    return unicodedata.normalize("NFKC", match.group())


# ---------------------------------------------------------------------------
# Folding for matching
# ---------------------------------------------------------------------------

_DIACRITICS = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
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
_WHITESPACE = re.compile(r"\s+")


def fold_for_matching(text: str) -> str:
    """Fold text for tag/keyword matching: no diacritics or tatweel, unified letters, lower case."""
    text = normalise_text(text)
    text = _DIACRITICS.sub("", text)
    text = text.translate(_LETTER_FOLDS).lower()
    return _WHITESPACE.sub(" ", text).strip()


# ---------------------------------------------------------------------------
# Term matching
# ---------------------------------------------------------------------------

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


# ---------------------------------------------------------------------------
# Digits
# ---------------------------------------------------------------------------

_LATIN_DIGITS = str.maketrans(
    {
        **{chr(0x0660 + value): str(value) for value in range(10)},
        **{chr(0x06F0 + value): str(value) for value in range(10)},
        "\u066b": ".",  # ٫ Arabic decimal separator
        "\u066c": ",",  # ٬ Arabic thousands separator
    }
)


def to_latin_digits(text: str) -> str:
    """Replace Arabic-Indic and Persian digits (and ٫ ٬ separators) with their Latin forms."""
    return text.translate(_LATIN_DIGITS)


# ---------------------------------------------------------------------------
# Transliteration to URL slugs
# ---------------------------------------------------------------------------

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
    text = _DIACRITICS.sub("", to_latin_digits(normalise_text(text)))
    units = [unit for unit in map(_transliterate_word, _SLUG_WORD.findall(text)) if unit]
    return _join_within(units, max_length)


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


# ---------------------------------------------------------------------------
# Date strings
# ---------------------------------------------------------------------------


class _Calendar(enum.Enum):
    """The calendar a date or era mark belongs to."""

    GREGORIAN = "gregorian"
    HIJRI = "hijri"


class _Kind(enum.Enum):
    """What a date-string token is."""

    NUMBER = "number"
    MONTH = "month"
    ERA = "era"
    TIME = "time"
    PUNCT = "punct"
    WORD = "word"
    NUMERIC_DATE = "numeric date"


@dataclass(frozen=True)
class _Token:
    """One piece of a date string."""

    kind: _Kind
    text: str
    number: int = 0
    calendar: _Calendar | None = None
    month: int = 0
    year: int = 0
    day: int = 0


@dataclass(frozen=True)
class _CalendarDate:
    """A day in one calendar, not yet checked or converted."""

    calendar: _Calendar
    year: int
    month: int
    day: int


_GREGORIAN_MONTH_NAMES = (
    ("يناير", "كانون الثاني", "جانفي", "january", "jan"),
    ("فبراير", "شباط", "فيفري", "فبرير", "february", "feb"),
    ("مارس", "آذار", "march", "mar"),
    ("أبريل", "إبريل", "نيسان", "أفريل", "april", "apr"),
    ("مايو", "أيار", "ماي", "مايس", "may"),
    ("يونيو", "يونيه", "حزيران", "جوان", "june", "jun"),
    ("يوليو", "يوليه", "تموز", "يوليوز", "جويلية", "july", "jul"),
    ("أغسطس", "آب", "غشت", "أوت", "august", "aug"),
    ("سبتمبر", "أيلول", "شتنبر", "september", "sept", "sep"),
    ("أكتوبر", "تشرين الأول", "october", "oct"),
    ("نوفمبر", "تشرين الثاني", "نونبر", "november", "nov"),
    ("ديسمبر", "كانون الأول", "دجنبر", "december", "dec"),
)
_HIJRI_MONTH_NAMES = (
    ("محرم", "المحرم", "muharram"),
    ("صفر", "safar"),
    ("ربيع الأول", "ربيع أول"),
    ("ربيع الآخر", "ربيع الثاني", "ربيع آخر", "ربيع ثاني"),
    ("جمادى الأولى", "جمادى الأول", "جمادى أولى"),
    ("جمادى الآخرة", "جمادى الثانية", "جمادى الآخر", "جمادى الثاني"),
    ("رجب", "rajab"),
    ("شعبان", "shaban"),
    ("رمضان", "ramadan"),
    ("شوال", "shawwal"),
    ("ذو القعدة", "ذي القعدة"),
    ("ذو الحجة", "ذي الحجة"),
)
_ERA_MARKS = {
    **dict.fromkeys(("م", "ميلادي", "ميلادية", "ad", "ce"), _Calendar.GREGORIAN),
    **dict.fromkeys(("هـ", "ه", "هجري", "هجرية", "ah"), _Calendar.HIJRI),
}
# Words that carry no date information: weekdays, "day", "corresponding to", "hour", ...
_FILLER_WORDS = (
    "الأحد", "الاثنين", "الإثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت",
    "يوم", "الموافق", "الموافقة", "الساعة", "في", "عام", "سنة",
    "sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday",
    "sun", "mon", "tue", "tues", "wed", "thu", "thur", "thurs", "fri", "sat",
    "on", "of", "at",
)
# Words that only mean something right after a clock time (ص/م there are a.m./p.m., not eras).
_TIME_MARKERS = (
    "ص", "م", "صباحا", "صباحاً", "مساء", "مساءً", "مساءا", "ظهرا", "عصرا", "ليلا", "فجرا",
    "am", "pm",
)


def _fold_table(groups: Sequence[Sequence[str]]) -> dict[tuple[str, ...], int]:
    """Map each folded spelling (as a tuple of words) to its 1-based month number."""
    return {
        tuple(fold_for_matching(name).split()): number
        for number, names in enumerate(groups, start=1)
        for name in names
    }


_MONTHS: dict[tuple[str, ...], tuple[_Calendar, int]] = {
    **{key: (_Calendar.GREGORIAN, n) for key, n in _fold_table(_GREGORIAN_MONTH_NAMES).items()},
    **{key: (_Calendar.HIJRI, n) for key, n in _fold_table(_HIJRI_MONTH_NAMES).items()},
}
_LONGEST_MONTH_NAME = max(len(key) for key in _MONTHS)
_ERAS = {fold_for_matching(mark): calendar for mark, calendar in _ERA_MARKS.items()}
_FILLERS = frozenset(fold_for_matching(word) for word in _FILLER_WORDS)
_TIME_WORDS = frozenset(fold_for_matching(word) for word in _TIME_MARKERS)

_DATE_TOKEN = re.compile(
    r"(?P<time>\d{1,2}:\d{2}(?::\d{2})?)"
    r"|(?P<number>\d+)(?:st|nd|rd|th)?"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<punct>[^\w\s]|_)"
)
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"))
_NUMERIC_SEPARATORS = frozenset("/.-")


def parse_date(text: str) -> datetime.date:
    """Read a date as Arabic (or English) news sites write it; raise ValueError if impossible."""
    try:
        dates = _read_calendar_dates(text)
        return _to_gregorian(_choose_date(dates))
    except ValueError as error:
        raise ValueError(f'cannot read date "{text.strip()}": {error}') from None


def _read_calendar_dates(text: str) -> list[_CalendarDate]:
    """Tokenise a date string and read every date written in it."""
    folded = fold_for_matching(to_latin_digits(text)).translate(_DASHES)
    tokens = _drop_noise(_group_numeric_dates(list(_tokenise_date(folded))))
    tokens = _merge_dual_months(tokens)
    dates = []
    position = 0
    while position < len(tokens):
        date, position = _read_one_date(tokens, position)
        dates.append(date)
    if not dates:
        raise ValueError("no date found")
    return dates


def _tokenise_date(folded: str) -> Iterator[_Token]:
    """Split folded text into numbers, times, punctuation, month names and words."""
    words: list[str] = []
    for match in _DATE_TOKEN.finditer(folded):
        if match.lastgroup == "word":
            words.append(match.group("word"))
            continue
        yield from _classify_words(words)
        words = []
        kind = _Kind(match.lastgroup)
        value = match.group(match.lastgroup)
        number = int(value) if kind is _Kind.NUMBER else 0
        yield _Token(kind, value, number=number)
    yield from _classify_words(words)


def _classify_words(words: Sequence[str]) -> Iterator[_Token]:
    """Turn a run of words into tokens, matching multi-word month names longest first."""
    position = 0
    while position < len(words):
        for length in range(min(_LONGEST_MONTH_NAME, len(words) - position), 0, -1):
            key = tuple(words[position : position + length])
            if key in _MONTHS:
                calendar, month = _MONTHS[key]
                yield _Token(_Kind.MONTH, " ".join(key), calendar=calendar, month=month)
                position += length
                break
        else:
            word = words[position]
            if word in _ERAS:
                yield _Token(_Kind.ERA, word, calendar=_ERAS[word])
            else:
                yield _Token(_Kind.WORD, word)
            position += 1


def _group_numeric_dates(tokens: list[_Token]) -> list[_Token]:
    """Replace NUMBER SEP NUMBER SEP NUMBER (one separator of / . -) with a numeric date token."""
    grouped: list[_Token] = []
    position = 0
    while position < len(tokens):
        window = tokens[position : position + 5]
        if _is_numeric_date(window):
            grouped.append(_numeric_date_token(window))
            position += 5
        else:
            grouped.append(tokens[position])
            position += 1
    return grouped


def _is_numeric_date(window: Sequence[_Token]) -> bool:
    """Tell whether five tokens read as d/m/y or y/m/d with one repeated separator."""
    if len(window) != 5:
        return False
    first, sep1, second, sep2, third = window
    return (
        all(token.kind is _Kind.NUMBER for token in (first, second, third))
        and sep1.kind is _Kind.PUNCT
        and sep1.text in _NUMERIC_SEPARATORS
        and sep2.text == sep1.text
        and sep2.kind is _Kind.PUNCT
    )


def _numeric_date_token(window: Sequence[_Token]) -> _Token:
    """Build a numeric date token; the four-digit number says which end holds the year."""
    first, _, second, _, third = window
    text = "".join(token.text for token in window)
    if len(first.text) == 4:
        year, day = first.number, third.number
    elif len(third.text) == 4:
        day, year = first.number, third.number
    else:
        raise ValueError(f'"{text}" has no four-digit year')
    return _Token(_Kind.NUMERIC_DATE, text, year=year, month=second.number, day=day)


def _drop_noise(tokens: Sequence[_Token]) -> list[_Token]:
    """Remove punctuation, weekdays and other fillers, and clock times with their a.m./p.m."""
    kept: list[_Token] = []
    after_time = False
    for token in tokens:
        if token.kind is _Kind.TIME:
            after_time = True
            continue
        # ص/م right after a clock time are a.m./p.m.; even "م" is not an era there.
        is_time_word = token.kind in (_Kind.WORD, _Kind.ERA) and token.text in _TIME_WORDS
        if after_time and is_time_word:
            continue
        if token.kind is not _Kind.PUNCT:
            after_time = False
        if token.kind is _Kind.PUNCT or (token.kind is _Kind.WORD and token.text in _FILLERS):
            continue
        if token.kind is _Kind.WORD:
            raise ValueError(f'unknown word "{token.text}"')
        kept.append(token)
    return kept


def _merge_dual_months(tokens: Sequence[_Token]) -> list[_Token]:
    """Merge two names given for one month ("آذار (مارس)", "مارس - آذار") into one token."""
    merged: list[_Token] = []
    for token in tokens:
        previous = merged[-1] if merged else None
        if token.kind is _Kind.MONTH and previous is not None and previous.kind is _Kind.MONTH:
            if (previous.calendar, previous.month) != (token.calendar, token.month):
                raise ValueError(f'two different months "{previous.text}" and "{token.text}"')
            continue
        merged.append(token)
    return merged


def _read_one_date(tokens: Sequence[_Token], position: int) -> tuple[_CalendarDate, int]:
    """Read one date starting at position; return it and the position after it."""
    kinds = tuple(token.kind for token in tokens[position : position + 3])
    if kinds[:1] == (_Kind.NUMERIC_DATE,):
        numeric = tokens[position]
        parts, calendar, end = (numeric.year, numeric.month, numeric.day), None, position + 1
    elif kinds == (_Kind.NUMBER, _Kind.MONTH, _Kind.NUMBER):
        day, month, year = tokens[position : position + 3]
        parts, calendar, end = (year.number, month.month, day.number), month.calendar, position + 3
        _check_day_and_year(day, year)
    elif kinds == (_Kind.MONTH, _Kind.NUMBER, _Kind.NUMBER):
        month, day, year = tokens[position : position + 3]
        parts, calendar, end = (year.number, month.month, day.number), month.calendar, position + 3
        _check_day_and_year(day, year)
    else:
        raise ValueError(f'unexpected "{tokens[position].text}"')
    era, end = _read_era(tokens, end)
    if calendar is not None and era is not None and era is not calendar:
        raise ValueError(f"{calendar.value} month with a {era.value} era mark")
    chosen = calendar or era or _Calendar.GREGORIAN
    return _CalendarDate(chosen, *parts), end


def _check_day_and_year(day: _Token, year: _Token) -> None:
    """Insist on a one- or two-digit day and a four-digit year around a month name."""
    if len(day.text) > 2 or len(year.text) != 4:
        raise ValueError(
            f'expected a day and a four-digit year, got "{day.text}" and "{year.text}"'
        )


def _read_era(tokens: Sequence[_Token], position: int) -> tuple[_Calendar | None, int]:
    """Read an optional era mark at position."""
    if position < len(tokens) and tokens[position].kind is _Kind.ERA:
        return tokens[position].calendar, position + 1
    return None, position


def _choose_date(dates: Sequence[_CalendarDate]) -> _CalendarDate:
    """Prefer the Gregorian date when both calendars are given; reject contradictions."""
    gregorian = [date for date in dates if date.calendar is _Calendar.GREGORIAN]
    candidates = gregorian or list(dates)
    if len(set(candidates)) > 1:
        raise ValueError("it gives two different dates")
    return candidates[0]


def _to_gregorian(date: _CalendarDate) -> datetime.date:
    """Check a calendar date and convert it to a Gregorian datetime.date."""
    if date.calendar is _Calendar.GREGORIAN:
        return datetime.date(date.year, date.month, date.day)
    try:
        converted = hijridate.Hijri(date.year, date.month, date.day).to_gregorian()
    except (ValueError, OverflowError) as error:
        raise ValueError(f"invalid Hijri date ({error})") from None
    return datetime.date(*converted.datetuple())
