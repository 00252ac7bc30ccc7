"""Tests for generator.dates: Umm al-Qura conversion, ICU agreement, formatting and digits."""

from __future__ import annotations

import datetime
from pathlib import Path

import babel.dates
import pytest

from generator.dates import (
    GREGORIAN_PATTERN,
    DateDisplay,
    HijriRangeError,
    adjusted_hijri,
    format_date,
    format_hijri_year,
    format_month,
    from_hijri,
    hijri_month_name,
    localise_digits,
    month_name,
    parse_hijri_override,
    to_hijri,
)

DATA = Path(__file__).parent / "data" / "dates"
ICU_FIRST_DAY = datetime.date(1999, 4, 17)
ICU_LAST_DAY = datetime.date(2029, 5, 13)
D = datetime.date

KNOWN_DATES = [
    (D(2017, 9, 28), (1439, 1, 8)),
    (D(2017, 11, 13), (1439, 2, 24)),
    (D(2023, 3, 23), (1444, 9, 1)),
    (D(2024, 3, 11), (1445, 9, 1)),
    (D(2025, 3, 1), (1446, 9, 1)),
    (D(1924, 8, 1), (1343, 1, 1)),  # first day of the published table
    (D(2077, 11, 16), (1500, 12, 30)),  # last day of the published table
]


@pytest.mark.parametrize(("gregorian", "hijri"), KNOWN_DATES)
def test_known_umm_al_qura_dates_convert_both_ways(gregorian, hijri):
    assert to_hijri(gregorian) == hijri
    assert from_hijri(*hijri) == gregorian
    assert type(from_hijri(*hijri)) is datetime.date


def read_icu_month_starts() -> list[tuple[datetime.date, int, int]]:
    """Read the ICU month starts written by icu_umalqura.js."""
    starts = []
    for line in (DATA / "icu_umalqura_month_starts.txt").read_text(encoding="utf-8").splitlines():
        gregorian, hijri = line.split()
        year, month = hijri.split("-")
        starts.append((D.fromisoformat(gregorian), int(year), int(month)))
    return starts


def icu_hijri_days() -> dict[datetime.date, tuple[int, int, int]]:
    """Rebuild the ICU Hijri date of every day from consecutive month starts."""
    starts = read_icu_month_starts()
    days = {}
    for (start, year, month), (next_start, _, _) in zip(starts, starts[1:]):
        length = (next_start - start).days
        assert length in (29, 30), f"ICU month {year}-{month} has {length} days"
        for offset in range(length):
            days[start + datetime.timedelta(days=offset)] = (year, month, offset + 1)
    return days


def test_icu_month_starts_cover_the_range_without_gaps():
    starts = read_icu_month_starts()
    assert starts[0] == (ICU_FIRST_DAY, 1420, 1)
    # The extra last line is the first day after the range, so the last month's length is known.
    assert starts[-1][0] == ICU_LAST_DAY + datetime.timedelta(days=1)
    expected_months = [(1420 + i // 12, i % 12 + 1) for i in range(len(starts))]
    assert [(year, month) for _, year, month in starts] == expected_months
    assert len(starts) == 373


def test_to_hijri_agrees_with_icu_for_every_day_in_range():
    icu = icu_hijri_days()
    total_days = (ICU_LAST_DAY - ICU_FIRST_DAY).days + 1
    assert len(icu) == total_days == 10_985
    mismatches = [
        (day, expected, to_hijri(day)) for day, expected in icu.items() if to_hijri(day) != expected
    ]
    assert mismatches == []


@pytest.mark.parametrize("day", [D(1924, 7, 31), D(2077, 11, 17), D(1, 1, 1), D(9999, 12, 31)])
def test_to_hijri_outside_table_raises_range_error(day):
    with pytest.raises(HijriRangeError, match="outside the Umm al-Qura table"):
        to_hijri(day)


def test_range_error_message_names_the_table_range():
    with pytest.raises(HijriRangeError) as caught:
        to_hijri(D(1900, 1, 1))
    assert str(caught.value) == (
        "1900-01-01 is outside the Umm al-Qura table (1924-08-01 to 2077-11-16)"
    )
    assert isinstance(caught.value, ValueError)


def test_format_date_outside_table_has_no_hijri():
    shown = format_date(D(1900, 1, 1), "ar")
    assert shown == DateDisplay(
        iso="1900-01-01",
        gregorian="الاثنين 1 يناير 1900 م",
        hijri=None,
        hijri_iso=None,
        full="الاثنين 1 يناير 1900 م",
    )


def test_from_hijri_outside_table_raises_range_error():
    with pytest.raises(HijriRangeError, match=r"1342-12-29 is outside .* \(years 1343 to 1500\)"):
        from_hijri(1342, 12, 29)


@pytest.mark.parametrize(
    ("adjustment", "expected"),
    [(-2, (1439, 1, 6)), (-1, (1439, 1, 7)), (0, (1439, 1, 8)), (1, (1439, 1, 9)), (2, (1439, 1, 10))],
)
def test_adjusted_hijri_shifts_by_whole_days(adjustment, expected):
    assert adjusted_hijri(D(2017, 9, 28), adjustment) == expected


def test_adjusted_hijri_crosses_month_and_year_boundaries():
    # 2017-09-21 is 1 Muharram 1439; a day earlier is the last day of 1438.
    assert adjusted_hijri(D(2017, 9, 21), -1) == (1438, 12, 29)
    assert adjusted_hijri(D(2017, 9, 20), 1) == (1439, 1, 1)


def test_adjusted_hijri_is_none_when_shift_leaves_the_table():
    assert adjusted_hijri(D(2077, 11, 16), 1) is None
    assert adjusted_hijri(D(1924, 8, 1), -1) is None
    assert adjusted_hijri(D(1924, 8, 2), -1) == (1343, 1, 1)


@pytest.mark.parametrize("adjustment", [-3, 3])
def test_adjusted_hijri_rejects_large_adjustments(adjustment):
    with pytest.raises(ValueError, match="between -2 and 2 days"):
        adjusted_hijri(D(2017, 9, 28), adjustment)


def test_format_date_applies_adjustment_to_hijri_only():
    shown = format_date(D(2017, 9, 28), "ar", hijri_adjustment=1)
    assert shown.full == "الخميس 28 سبتمبر 2017 م — 9 محرم 1439 هـ"
    assert shown.iso == "2017-09-28"
    assert shown.hijri_iso == "1439-01-09"
    shown = format_date(D(2017, 9, 28), "en", hijri_adjustment=-2)
    assert shown.hijri == "6 Muharram 1439 AH"


def test_format_date_override_wins_over_computation_and_adjustment():
    shown = format_date(D(2017, 9, 28), "ar", hijri_adjustment=2, hijri_override=(1439, 1, 7))
    assert shown.hijri == "7 محرم 1439 هـ"
    assert shown.hijri_iso == "1439-01-07"
    # An override also gives a Hijri date where the table has none.
    assert format_date(D(1900, 1, 1), "en", hijri_override=(1317, 9, 1)).hijri_iso == "1317-09-01"


def test_format_date_arabic_latin_digits():
    shown = format_date(D(2017, 9, 28), "ar")
    assert shown == DateDisplay(
        iso="2017-09-28",
        gregorian="الخميس 28 سبتمبر 2017 م",
        hijri="8 محرم 1439 هـ",
        hijri_iso="1439-01-08",
        full="الخميس 28 سبتمبر 2017 م — 8 محرم 1439 هـ",
    )


def test_format_date_arabic_indic_digits_everywhere_but_iso():
    shown = format_date(D(2017, 9, 28), "ar", digits="arab")
    assert shown.full == "الخميس ٢٨ سبتمبر ٢٠١٧ م — ٨ محرم ١٤٣٩ هـ"
    assert shown.gregorian == "الخميس ٢٨ سبتمبر ٢٠١٧ م"
    assert shown.hijri == "٨ محرم ١٤٣٩ هـ"
    # Machine-readable forms stay ASCII for <time datetime>.
    assert shown.iso == "2017-09-28"
    assert shown.hijri_iso == "1439-01-08"


@pytest.mark.parametrize(
    ("locale", "gregorian"),
    [
        ("ar_SY", "الخميس 28 أيلول 2017 م"),
        ("ar_MA", "الخميس 28 شتنبر 2017 م"),
        ("ar-SY", "الخميس 28 أيلول 2017 م"),
        ("en", "Thursday 28 September 2017"),
    ],
)
def test_format_date_regional_month_names(locale, gregorian):
    assert format_date(D(2017, 9, 28), locale).gregorian == gregorian


def test_format_date_english():
    shown = format_date(D(2017, 9, 28), "en")
    assert shown.full == "Thursday 28 September 2017 · 8 Muharram 1439 AH"
    assert shown.hijri == "8 Muharram 1439 AH"


def test_format_date_third_rtl_language_uses_its_own_names():
    assert format_date(D(2017, 9, 28), "fa").hijri == "8 محرم 1439 هـ.ق"
    assert format_date(D(2017, 11, 13), "ur").full == "پیر 13 نومبر 2017ء — 24 صفر 1439ھ"


def test_format_date_language_without_hijri_names_falls_back_to_english():
    assert format_date(D(2017, 9, 28), "fr").full == "jeudi 28 septembre 2017 · 8 Muharram 1439 AH"


def test_localise_digits():
    assert localise_digits("2017-09-28, 1439", "arab") == "٢٠١٧-٠٩-٢٨, ١٤٣٩"
    assert localise_digits("0123456789", "arab") == "\u0660\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669"
    assert localise_digits("2017", "latn") == "2017"
    assert localise_digits("2017", "arabext") == "۲۰۱۷"


def test_localise_digits_rejects_unknown_digit_set():
    with pytest.raises(ValueError, match='unknown digits "hindi"'):
        localise_digits("1", "hindi")


def test_hijri_month_names():
    assert [hijri_month_name(m, "ar") for m in range(1, 13)] == [
        "محرم", "صفر", "ربيع الأول", "ربيع الآخر", "جمادى الأولى", "جمادى الآخرة",
        "رجب", "شعبان", "رمضان", "شوال", "ذو القعدة", "ذو الحجة",
    ]
    assert [hijri_month_name(m, "en") for m in range(1, 13)] == [
        "Muharram", "Safar", "Rabi al-Awwal", "Rabi al-Akhir", "Jumada al-Ula",
        "Jumada al-Akhirah", "Rajab", "Shaban", "Ramadan", "Shawwal", "Dhu al-Qadah",
        "Dhu al-Hijjah",
    ]
    assert hijri_month_name(9, "ar_SY") == "رمضان"
    assert hijri_month_name(12, "ur") == "ذوالحجہ"
    assert hijri_month_name(3, "fa") == "ربیع‌الاول"
    assert hijri_month_name(9, "de") == "Ramadan"
    with pytest.raises(ValueError, match="1-12"):
        hijri_month_name(13, "ar")


@pytest.mark.parametrize(
    ("locale", "digits", "expected"),
    [
        ("ar", "latn", "سبتمبر 2017"),
        ("ar", "arab", "سبتمبر ٢٠١٧"),
        ("en", "latn", "September 2017"),
        # Babel's stand-alone names ignore the regional override; ICU and browsers do not.
        ("ar_SY", "latn", "أيلول 2017"),
        ("ar_MA", "latn", "شتنبر 2017"),
    ],
)
def test_format_month(locale, digits, expected):
    assert format_month(2017, 9, locale, digits) == expected


def test_month_name():
    assert month_name(9, "ar") == "سبتمبر"
    assert month_name(9, "ar_SY") == "أيلول"
    assert month_name(1, "en") == "January"
    with pytest.raises(ValueError):
        month_name(0, "en")


def test_format_hijri_year():
    assert format_hijri_year(1439, "ar", "latn") == "1439 هـ"
    assert format_hijri_year(1439, "ar", "arab") == "١٤٣٩ هـ"
    assert format_hijri_year(1439, "en", "latn") == "1439 AH"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("1439-01-08", (1439, 1, 8)),
        (" 1439-1-8 ", (1439, 1, 8)),
        ("١٤٣٩-٠١-٠٨", (1439, 1, 8)),
        (D(1439, 1, 8), (1439, 1, 8)),  # what YAML makes of an unquoted 1439-01-08
        ("1439-01-30", (1439, 1, 30)),  # Muharram 1439 has 30 days
    ],
)
def test_parse_hijri_override_accepts(value, expected):
    assert parse_hijri_override(value) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1439-02-30", 'invalid hijri_date "1439-02-30": Hijri date 1439-02-30 does not exist: '
                       "Safar 1439 has 29 days"),
        ("1439-13-01", 'invalid hijri_date "1439-13-01": Hijri date 1439-13-01 does not exist: '
                       "month must be 1-12"),
        ("1439-01-00", 'invalid hijri_date "1439-01-00": Hijri date 1439-01-00 does not exist: '
                       "Muharram 1439 has 30 days"),
        ("1342-01-01", 'invalid hijri_date "1342-01-01": Hijri date 1342-01-01 is outside the '
                       "Umm al-Qura table (years 1343 to 1500)"),
        ("8 Muharram 1439", 'invalid hijri_date "8 Muharram 1439": expected YYYY-MM-DD, '
                            "e.g. 1439-01-08"),
    ],
)
def test_parse_hijri_override_rejects(value, message):
    with pytest.raises(ValueError) as caught:
        parse_hijri_override(value)
    assert str(caught.value) == message


@pytest.mark.parametrize("locale", ["ar", "ar_SY", "ar_MA", "ar_EG", "en", "en_GB", "fa", "ur", "fr"])
def test_gregorian_dates_match_babels_own_formatting(locale):
    # format_date fills GREGORIAN_PATTERN by hand for speed; Babel itself is the reference.
    start = datetime.date(2016, 1, 1)
    for offset in range(366 * 4 + 1):  # every weekday, month and day of a whole leap cycle
        day = start + datetime.timedelta(days=offset)
        expected = babel.dates.format_date(day, GREGORIAN_PATTERN, locale=locale)
        assert format_date(day, locale).gregorian.startswith(expected), (locale, day)
