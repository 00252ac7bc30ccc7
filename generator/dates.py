"""Gregorian dates through Babel and Hijri (Umm al-Qura) dates through hijridate, with one digits filter."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from functools import lru_cache

import babel.dates
import hijridate
import hijridate.ummalqura
from babel import Locale

# Arabic-Indic digits (U+0660..) are what Arabic readers in the Mashriq expect; Babel never
# writes them in dates, so every number shown on a page goes through localise_digits.
_DIGIT_TABLES: dict[str, dict[int, str]] = {
    "latn": {},
    "arab": str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩"),
    # Extended Arabic-Indic, used by Persian and Urdu.
    "arabext": str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹"),
}

# Reading direction of the table: both native digit sets back to ASCII, for parsing input.
_TO_ASCII_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")

# Hijri month names per language. English follows one named romanisation: ALA-LC (the Library of
# Congress tables) of the Arabic names above, with its diacritics left out (no macrons, underdots,
# ʻayn or hamzah marks; á as a): Rabīʻ al-Ākhir -> Rabi al-Akhir, Dhū al-Qaʻdah -> Dhu al-Qadah.
_HIJRI_MONTHS: dict[str, tuple[str, ...]] = {
    "ar": (
        "محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة",
        "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة",
    ),
    "en": (
        "Muharram", "Safar", "Rabi al-Awwal", "Rabi al-Akhir", "Jumada al-Ula",
        "Jumada al-Akhirah", "Rajab", "Shaban", "Ramadan", "Shawwal", "Dhu al-Qadah",
        "Dhu al-Hijjah",
    ),
    "fa": (
        "محرم", "صفر", "ربیع‌الاول", "ربیع‌الثانی", "جمادی‌الاول", "جمادی‌الثانی",
        "رجب", "شعبان", "رمضان", "شوال", "ذیقعده", "ذیحجه",
    ),
    "ur": (
        "محرم", "صفر", "ربیع الاول", "ربیع الثانی", "جمادی الاول", "جمادی الثانی",
        "رجب", "شعبان", "رمضان", "شوال", "ذوالقعدہ", "ذوالحجہ",
    ),
}


@dataclass(frozen=True)
class _EraMarks:
    """How one language marks a Gregorian year, a Hijri year, and joins the two dates."""

    gregorian: str
    hijri: str
    joiner: str


# Suffixes include their own spacing because Urdu writes the marks attached (2017ء, 1439ھ).
_ERA_MARKS: dict[str, _EraMarks] = {
    "ar": _EraMarks(gregorian=" م", hijri=" هـ", joiner=" — "),
    "en": _EraMarks(gregorian="", hijri=" AH", joiner=" · "),
    "fa": _EraMarks(gregorian=" م", hijri=" هـ.ق", joiner=" — "),
    "ur": _EraMarks(gregorian="ء", hijri="ھ", joiner=" — "),
}

_FALLBACK_LANGUAGE = "en"
MAX_HIJRI_ADJUSTMENT = 2
_HIJRI_OVERRIDE_RE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


class HijriRangeError(ValueError):
    """A date outside the published Umm al-Qura table."""


@dataclass(frozen=True)
class DateDisplay:
    """One date ready for templates: machine-readable ISO forms and localised text."""

    iso: str
    gregorian: str
    hijri: str | None
    hijri_iso: str | None
    full: str


def _gregorian_range_text() -> str:
    """Describe the Gregorian range of the Umm al-Qura table, for error messages."""
    first, last = hijridate.ummalqura.GREGORIAN_RANGE
    return f"{datetime.date(*first).isoformat()} to {datetime.date(*last).isoformat()}"


def to_hijri(day: datetime.date) -> tuple[int, int, int]:
    """Return the Umm al-Qura (year, month, day) of a Gregorian date, without adjustment."""
    try:
        hijri = hijridate.Gregorian(day.year, day.month, day.day).to_hijri()
    except (OverflowError, ValueError) as error:
        raise HijriRangeError(
            f"{day.isoformat()} is outside the Umm al-Qura table ({_gregorian_range_text()})"
        ) from error
    return hijri.datetuple()


def from_hijri(year: int, month: int, day: int) -> datetime.date:
    """Return the Gregorian date of an Umm al-Qura date; ValueError if it does not exist."""
    label = f"{year:04d}-{month:02d}-{day:02d}"
    if not 1 <= month <= 12:
        raise ValueError(f"Hijri date {label} does not exist: month must be 1-12")
    try:
        first_of_month = hijridate.Hijri(year, month, 1)
    except OverflowError as error:
        first, last = hijridate.ummalqura.HIJRI_RANGE
        raise HijriRangeError(
            f"Hijri date {label} is outside the Umm al-Qura table "
            f"(years {first[0]} to {last[0]})"
        ) from error
    # Umm al-Qura months have 29 or 30 days depending on the year, so ask the table.
    length = first_of_month.month_length()
    if not 1 <= day <= length:
        name = hijri_month_name(month, _FALLBACK_LANGUAGE)
        raise ValueError(f"Hijri date {label} does not exist: {name} {year} has {length} days")
    gregorian = hijridate.Hijri(year, month, day).to_gregorian()
    # hijridate returns its own date subclass; hand back a plain date.
    return datetime.date(gregorian.year, gregorian.month, gregorian.day)


# Every build converts every article's date; a site has a few thousand distinct days (20 years: 7,300), so
# each is converted once per process (0.36 s of a 20,000-article rebuild before).
@lru_cache(maxsize=16384)
def adjusted_hijri(day: datetime.date, adjustment: int) -> tuple[int, int, int] | None:
    """Return the Hijri date of day shifted by adjustment days (-2..2), or None out of range."""
    if not -MAX_HIJRI_ADJUSTMENT <= adjustment <= MAX_HIJRI_ADJUSTMENT:
        raise ValueError(
            f"Hijri adjustment must be between -{MAX_HIJRI_ADJUSTMENT} and "
            f"{MAX_HIJRI_ADJUSTMENT} days, got {adjustment}"
        )
    try:
        return to_hijri(day + datetime.timedelta(days=adjustment))
    except (HijriRangeError, OverflowError):
        return None


def localise_digits(text: str, digits: str) -> str:
    """Write the ASCII digits of text in the chosen digit set ("latn", "arab" or "arabext")."""
    try:
        table = _DIGIT_TABLES[digits]
    except KeyError:
        known = ", ".join(f'"{name}"' for name in _DIGIT_TABLES)
        raise ValueError(f'unknown digits "{digits}" (expected one of {known})') from None
    return text.translate(table) if table else text


@lru_cache(maxsize=64)
def _base_language(lang: str) -> str:
    """Return the language part of a code like "ar", "ar_SY" or "ar-SY", lower-cased."""
    return re.split(r"[_\-@.]", lang, maxsplit=1)[0].lower()


def hijri_month_name(month: int, lang: str) -> str:
    """Return the name of a Hijri month (1-12) in lang, falling back to English (ALA-LC
    romanisation without diacritics: Muharram, Safar, Rabi al-Awwal, Rabi al-Akhir, ...)."""
    if not 1 <= month <= 12:
        raise ValueError(f"Hijri month must be 1-12, got {month}")
    names = _HIJRI_MONTHS.get(_base_language(lang), _HIJRI_MONTHS[_FALLBACK_LANGUAGE])
    return names[month - 1]


@lru_cache(maxsize=64)
def parse_locale(locale: str) -> Locale:
    """Parse a locale such as "ar_SY" or "ar-SY" once; pages ask for it thousands of times."""
    return Locale.parse(locale, sep="-" if "-" in locale else "_")


def _era_marks(lang: str) -> _EraMarks:
    """Return the era marks of a language, falling back to English."""
    return _ERA_MARKS.get(_base_language(lang), _ERA_MARKS[_FALLBACK_LANGUAGE])


def format_hijri_year(year: int, lang: str, digits: str) -> str:
    """Return a Hijri year with its era mark, e.g. "1439 هـ" or "1439 AH"."""
    return localise_digits(f"{year}{_era_marks(lang).hijri}", digits)


def _format_hijri(hijri: tuple[int, int, int], lang: str, digits: str) -> str:
    """Return a Hijri date as day, month name, year and era mark."""
    year, month, day = hijri
    text = f"{day} {hijri_month_name(month, lang)} {year}{_era_marks(lang).hijri}"
    return localise_digits(text, digits)


@lru_cache(maxsize=64)
def _month_context(locale: str) -> str:
    """Return "stand-alone" or "format": which Babel month names a heading should use."""
    parsed = parse_locale(locale)
    base = parse_locale(parsed.language)
    # Babel resolves stand-alone names from the parent language when a regional locale only
    # overrides the format names (ar_SY gives format أيلول but stand-alone سبتمبر), whereas
    # ICU and browsers show أيلول in both. Use format names when that has happened.
    regional_format = parsed.months["format"]["wide"] != base.months["format"]["wide"]
    inherited_standalone = parsed.months["stand-alone"]["wide"] == base.months["stand-alone"]["wide"]
    return "format" if regional_format and inherited_standalone else "stand-alone"


def month_name(month: int, locale: str) -> str:
    """Return the Gregorian month name (1-12) for a heading in locale, e.g. "أيلول" for ar_SY."""
    if not 1 <= month <= 12:
        raise ValueError(f"month must be 1-12, got {month}")
    return parse_locale(locale).months[_month_context(locale)]["wide"][month]


def format_month(year: int, month: int, locale: str, digits: str) -> str:
    """Return a month heading such as "سبتمبر 2017" or "September 2017"."""
    letter = "LLLL" if _month_context(locale) == "stand-alone" else "MMMM"
    text = babel.dates.format_date(
        datetime.date(year, month, 1), f"{letter} y", locale=parse_locale(locale)
    )
    return localise_digits(text, digits)


# The Gregorian date pattern: weekday, day, month name, year ("الأحد 10 سبتمبر 2017").
GREGORIAN_PATTERN = "EEEE d MMMM y"


def _format_gregorian(day: datetime.date, locale: str, digits: str) -> str:
    """Return weekday, day, month name and year (GREGORIAN_PATTERN), with the era mark. The names come from
    Babel's locale data; filling the pattern by hand is five times faster than babel.dates.format_date, whose
    output it matches (tests/test_dates.py compares every day of a leap cycle in several locales)."""
    weekdays, months, era = _gregorian_names(locale)
    return localise_digits(f"{weekdays[day.weekday()]} {day.day} {months[day.month - 1]} {day.year}{era}", digits)


@lru_cache(maxsize=64)
def _gregorian_names(locale: str) -> tuple[tuple[str, ...], tuple[str, ...], str]:
    """A locale's weekday names (Monday first, as date.weekday() counts), month names and Gregorian era mark,
    looked up in Babel's locale data once rather than for every date."""
    parsed = parse_locale(locale)
    weekdays = tuple(parsed.days["format"]["wide"][number] for number in range(7))
    months = tuple(parsed.months["format"]["wide"][number] for number in range(1, 13))
    return weekdays, months, _era_marks(parsed.language).gregorian


def format_date(
    day: datetime.date,
    locale: str,
    digits: str = "latn",
    hijri_adjustment: int = 0,
    hijri_override: tuple[int, int, int] | None = None,
) -> DateDisplay:
    """Return a date in Gregorian and Hijri forms; hijri is None outside the Umm al-Qura table."""
    lang = parse_locale(locale).language
    gregorian = _format_gregorian(day, locale, digits)
    # A per-article override records what the publisher actually printed, so it wins.
    hijri_date = hijri_override or adjusted_hijri(day, hijri_adjustment)
    if hijri_date is None:
        return DateDisplay(
            iso=day.isoformat(), gregorian=gregorian, hijri=None, hijri_iso=None, full=gregorian
        )
    hijri = _format_hijri(hijri_date, lang, digits)
    year, month, hijri_day = hijri_date
    return DateDisplay(
        iso=day.isoformat(),
        gregorian=gregorian,
        hijri=hijri,
        hijri_iso=f"{year:04d}-{month:02d}-{hijri_day:02d}",
        full=f"{gregorian}{_era_marks(lang).joiner}{hijri}",
    )


def parse_hijri_override(value: str | datetime.date) -> tuple[int, int, int]:
    """Parse a front matter hijri_date such as "1439-01-08" into a checked (year, month, day)."""
    # YAML reads an unquoted 1439-01-08 as a date object; its ISO form is the same text.
    text = value.isoformat() if isinstance(value, datetime.date) else str(value)
    match = _HIJRI_OVERRIDE_RE.fullmatch(text.strip().translate(_TO_ASCII_DIGITS))
    if match is None:
        raise ValueError(f'invalid hijri_date "{text}": expected YYYY-MM-DD, e.g. 1439-01-08')
    year, month, day = (int(part) for part in match.groups())
    try:
        from_hijri(year, month, day)
    except ValueError as error:
        raise ValueError(f'invalid hijri_date "{text}": {error}') from error
    return year, month, day
