"""Reading the dates Arabic (and English) sites print: Gregorian, Hijri and Coptic, with the words
around them, into one checked Gregorian datetime.date."""

from __future__ import annotations

import calendar
import datetime
import enum
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from generator.arabic.normalise import fold_for_matching, to_latin_digits
from generator.dates import from_hijri

# A date is read right or refused: these bound what a publication date can be.
EARLIEST_YEAR = 1800
FUTURE_LIMIT = datetime.timedelta(days=365)
# A year in this range is plainly Hijri (1300 AH is 1882 CE; Gregorian 1300-1500 is never a
# publication date), so a numeric date with such a year and no era mark is read as Hijri.
PLAINLY_HIJRI_YEARS = range(1300, 1501)
# Sites compute the Hijri date by local moon sighting or another table: a day or two off the
# Umm al-Qura date is normal, more is a contradiction.
HIJRI_TOLERANCE_DAYS = 2


class _Calendar(enum.Enum):
    """The calendar a date or era mark belongs to."""

    GREGORIAN = "gregorian"
    HIJRI = "hijri"
    COPTIC = "coptic"


class _Kind(enum.Enum):
    """What a date-string token is."""

    NUMBER = "number"
    MONTH = "month"
    ERA = "era"
    TIME = "time"
    PUNCT = "punct"
    WORD = "word"
    FILLER = "filler"
    NUMERIC_DATE = "numeric date"
    WEEKDAY = "weekday"


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
    numeric: bool = False  # written as digits only: day and month could be swapped

    def label(self) -> str:
        """The date as the text gave it, in ISO order with its calendar, for messages."""
        return f"{self.calendar.value.capitalize()} date {self.iso()}"

    def iso(self) -> str:
        """Year, month and day in ISO order (in this date's own calendar)."""
        return f"{self.year:04d}-{self.month:02d}-{self.day:02d}"


_GREGORIAN_MONTH_NAMES = (
    ("يناير", "كانون الثاني", "كانون ثاني", "جانفي", "ينير", "january", "jan"),
    ("فبراير", "شباط", "فيفري", "فبرير", "february", "feb"),
    ("مارس", "آذار", "march", "mar"),
    ("أبريل", "إبريل", "نيسان", "أفريل", "april", "apr"),
    ("مايو", "أيار", "ماي", "مايس", "may"),
    ("يونيو", "يونيه", "حزيران", "جوان", "june", "jun"),
    ("يوليو", "يوليه", "تموز", "يوليوز", "جويلية", "جويليه", "july", "jul"),
    ("أغسطس", "آب", "غشت", "أوت", "august", "aug"),
    ("سبتمبر", "أيلول", "شتنبر", "september", "sept", "sep"),
    ("أكتوبر", "أوكتوبر", "تشرين الأول", "تشرين أول", "october", "oct"),
    ("نوفمبر", "تشرين الثاني", "تشرين ثاني", "نونبر", "november", "nov"),
    ("ديسمبر", "كانون الأول", "كانون أول", "دجنبر", "december", "dec"),
)
# Folding already unifies ى/ي, ة/ه and the hamza forms, so جمادى/جمادي and ذى/ذي need no entry.
_HIJRI_MONTH_NAMES = (
    ("محرم", "المحرم", "muharram", "moharram", "muharam"),
    ("صفر", "safar"),
    (
        # Morocco and Algeria call it "the spring of lights" (ربيع الأنوار), and "the prophet's spring".
        "ربيع الأول", "ربيع أول", "ربيع الأنوار", "ربيع الأنور", "ربيع النبوي", "ربيع الاول",
        "rabi al awwal", "rabi ul awwal", "rabiul awwal", "rabi al awal", "rabi i",
    ),
    (
        "ربيع الآخر", "ربيع الآخرة", "ربيع الثاني", "ربيع آخر", "ربيع ثاني", "ربيع ثان", "rabi al akhir",
        "rabi al akhar",
        "rabi al thani", "rabi ath thani", "rabi ul akhir", "rabi us sani", "rabiul akhir", "rabi ii",
    ),
    (
        "جمادى الأولى", "جمادى الأول", "جمادى أولى", "جماد الأولى", "جماد الأول", "جماد أول", "جماد أولى",
        "jumada al ula", "jumada al oula", "jumada al awwal", "jumada al ulaa", "jumadal ula", "jumada i",
    ),
    (
        "جمادى الآخرة", "جمادى الثانية", "جمادى الآخر", "جمادى الثاني", "جماد الآخرة",
        "جماد الثانية", "جماد الآخر", "جماد الثاني", "جمادى ثاني", "جمادى آخر", "جمادى الأخرى", "جماد الأخرى",
        "jumada al akhirah",
        "jumada al akhira", "jumada al akhir", "jumada al thani", "jumada al thaniyah", "jumadal akhirah",
        "jumada ii",
    ),
    ("رجب", "rajab"),
    ("شعبان", "shaban", "shaaban"),
    ("رمضان", "ramadan", "ramadhan", "ramzan"),
    ("شوال", "shawwal", "shawal"),
    (
        "ذو القعدة", "ذي القعدة", "ذوالقعدة", "ذي قعدة", "dhu al qadah", "dhu al qidah", "dhul qadah",
        "dhul qidah", "dhu al qada", "dhul qada", "dhu al qaadah", "zul qadah", "zulqadah",
    ),
    (
        "ذو الحجة", "ذي الحجة", "ذوالحجة", "ذي حجة", "dhu al hijjah", "dhu al hijja", "dhul hijjah",
        "dhul hijja", "zul hijjah", "zulhijjah",
    ),
)
# The Coptic months Egyptian mastheads print beside the Gregorian date (النسيء: the epagomenal days).
_COPTIC_MONTH_NAMES = (
    ("توت",),
    ("بابه", "بابة"),
    ("هاتور", "هتور"),
    ("كيهك", "كياك", "كياهك", "كهيك"),
    ("طوبة", "طوبه"),
    ("أمشير",),
    ("برمهات",),
    ("برمودة", "برموده"),
    ("بشنس",),
    ("بؤونة", "بؤونه", "بؤنة"),
    ("أبيب",),
    ("مسرى",),
    ("النسيء", "نسيء"),
)
_ERA_MARKS = {
    **dict.fromkeys(
        ("م", "ميلادي", "ميلادية", "ميلاديا", "ميلاديًا", "الميلادي", "للميلاد", "ad", "ce"),
        _Calendar.GREGORIAN,
    ),
    **dict.fromkeys(
        ("هـ", "ه", "هجري", "هجرية", "هجريا", "هجريًا", "هجرى", "الهجري", "للهجرة", "ah"),
        _Calendar.HIJRI,
    ),
    # شـ: "للشهداء" abbreviated, as Coptic church sites print it ("1 توت 1617 شـ").
    **dict.fromkeys(("قبطي", "القبطي", "قبطية", "القبطية", "للشهداء", "ش"), _Calendar.COPTIC),
}
# Ordinal days as news agencies write them ("الخميس التاسع من ذي الحجة"); days are masculine
# (اليوم), so the feminine forms (العاشرة: an hour) stay unknown words.
_ORDINAL_UNITS = {
    2: "الثاني", 3: "الثالث", 4: "الرابع", 5: "الخامس", 6: "السادس", 7: "السابع", 8: "الثامن",
    9: "التاسع",
}


def _ordinal_days() -> dict[str, int]:
    """Every spelling of an ordinal day 1-31: الأول ... التاسع، العاشر، الحادي عشر، العشرين،
    الحادي والعشرين ... الحادي والثلاثين (الواحد for الحادي, -ون for -ين, as sites write them)."""
    days = {"فاتح": 1, "غرة": 1, "أول": 1, "الأول": 1, "العاشر": 10}
    days.update({name: number for number, name in _ORDINAL_UNITS.items()})
    units = [(1, "الحادي"), (1, "الواحد"), *_ORDINAL_UNITS.items()]
    for number, name in units:
        days[f"{name} عشر"] = 10 + number
        for tens, value in (("العشرين", 20), ("العشرون", 20), ("الثلاثين", 30), ("الثلاثون", 30)):
            days[tens] = value
            if value + number <= 31:
                days[f"{name} و{tens}"] = value + number
    return days


_ORDINAL_NAMES = _ordinal_days()
# Names of the first day of a month only, never a count: "الخميس غرة ذي الحجة" is Thursday the 1st.
_FIRST_DAY_WORDS = frozenset(fold_for_matching(word) for word in ("فاتح", "غرة", "أول"))
# Words and phrases that carry no date information: weekdays, labels ("تاريخ النشر", "آخر
# تحديث", "نُشر في"), "corresponding to", "month of", "year", time zones, the issue word of a
# masthead. Anything not listed, not a month, era or ordinal is an unknown word: refused.
# Weekdays by datetime.weekday() number (Monday 0): a weekday is checked against the date, which
# catches a month-first date read day-first ("Wednesday 04/03/2019" is 3 April, not 4 March).
_WEEKDAY_NAMES = (
    ("الاثنين", "الإثنين", "الأثنين", "اثنين", "monday", "mon"),
    ("الثلاثاء", "ثلاثاء", "tuesday", "tue", "tues"),
    ("الأربعاء", "أربعاء", "wednesday", "wed"),
    ("الخميس", "خميس", "thursday", "thu", "thur", "thurs"),
    ("الجمعة", "جمعة", "friday", "fri"),
    ("السبت", "سبت", "saturday", "sat"),
    ("الأحد", "أحد", "sunday", "sun"),
)
_FILLER_WORDS = (
    "يوم", "اليوم", "الموافق", "موافق", "الموافقة", "المصادف", "المصادفة", "الساعة", "في", "من",
    "ل", "لـ", "عام", "العام", "لعام", "للعام", "سنة", "السنة", "لسنة", "للسنة", "شهر", "لشهر",
    "تاريخ", "بتاريخ", "التاريخ", "النشر", "نشر", "نشرت", "نشره", "تم", "آخر", "اخر", "تحديث",
    "التحديث", "تعديل", "الصدور", "الإصدار", "صدر", "عدد", "بالتقويم", "التقويم", "حسب",
    "تقويم أم القرى", "بتقويم أم القرى", "بتوقيت", "توقيت", "التوقيت", "المحلي", "gmt", "utc", "على",
    "عند",
    # Epithets written after Hijri months (رمضان المعظم، محرم الحرام، رجب المرجب).
    "المعظم", "المبارك", "الحرام", "الخير", "المرجب", "المكرم", "الفضيل", "الكريم",
    # News agencies named in datelines ("الرياض 14 ... 2023 م واس", "دمشق-سانا").
    "واس", "سانا", "قنا", "وام", "بنا", "كونا", "واع", "ومع", "وفا", "بترا", "رويترز", "الأناضول",
    "أ ف ب", "د ب أ", "spa", "afp", "reuters", "wam", "qna", "kuna", "ap",
    "on", "of", "at", "the", "published", "updated", "posted", "last", "date", "publish", "time",
)
# Words that change what a following date means ("before", "since", "tomorrow"): never part of
# a dateline, so a text that starts with one is refused rather than read as that date.
_RELATIVE_WORDS = frozenset(
    fold_for_matching(word)
    for word in (
        "قبل", "بعد", "منذ", "حتى", "غدا", "غداً", "أمس", "البارحة", "نحو", "حوالي", "تقريبا", "بين",
        "إلى", "الى", "من", "until", "before", "after", "since", "by", "circa", "about", "tomorrow",
        "yesterday", "between", "from", "to",
        # The day after, the eve, right after, just before, until: غداة، عشية، عقب، إثر، قبيل، بعيد، لغاية.
        "غداة", "عشية", "عقب", "إثر", "اثر", "قبيل", "بعيد", "لغاية", "till", "following", "ahead", "prior",
        "around", "approximately", "eve",
    )
)
# Places named after "بتوقيت" (a time zone): dropped with it.
_TIME_ZONE_PLACES = (
    "مكة", "مكة المكرمة", "القدس", "غرينتش", "غرينيتش", "جرينتش", "جرينيتش", "القاهرة", "دمشق",
    "بيروت", "بغداد", "الرياض", "السعودية", "عمان", "الدوحة", "أبوظبي", "الإمارات", "الكويت",
    "المنامة", "مسقط", "الرباط", "المغرب", "الجزائر", "تونس", "طرابلس", "الخرطوم", "صنعاء",
    "فلسطين", "غزة", "الأردن", "لبنان", "سوريا", "العراق", "مصر", "أنقرة", "إسطنبول", "لندن",
)
# Words that only mean something right after a clock time (ص/م there are a.m./p.m., not eras).
_TIME_MARKERS = (
    "ص", "م", "صباحا", "صباحاً", "صباحًا", "مساء", "مساءً", "مساءا", "مساءاً", "ظهرا", "ظهراً",
    "عصرا", "ليلا", "فجرا", "am", "pm",
    # Time zones English sites print after the clock ("10:15 BST", "10:15 pm ET").
    "gmt", "utc", "bst", "cet", "cest", "eet", "eest", "ast", "est", "edt", "et", "pst", "pdt", "pt",
    "cst", "cdt", "msk", "ist", "trt", "ksa", "gst",
    # A place in brackets after the clock names its time zone: "16:04 (مكة المكرمة)".
    "مكة", "المكرمة", "غرينتش", "غرينيتش", "جرينتش", "جرينيتش",
)
# Words after which a number counts something (an issue, a page, a week) and is not a day: the word and its
# number are left out, so "العدد 12 - سبتمبر 2017" is a month without a day (refused), not 12 September, and a
# masthead's "العدد 14184 - الخميس 28 سبتمبر 2017" is read. A year word counts only with a one- or two-digit
# number ("السنة 12": the twelfth year of a magazine; "سنة 2017" is a year).
_COUNTING_WORDS = frozenset(
    fold_for_matching(word)
    for word in (
        "العدد", "عدد", "رقم", "الرقم", "الإصدار", "إصدار", "صفحة", "الصفحة", "الطبعة", "طبعة", "الحلقة", "حلقة",
        "الجزء", "جزء",
        "المجلد", "مجلد", "الأسبوع", "أسبوع", "الاسبوع", "اسبوع", "النصف", "نصف", "الربع", "ربع", "الفصل",
        "الدورة", "الجولة", "الجلسة", "المادة", "البند", "issue", "no", "number", "page", "p", "pp", "vol",
        "volume", "edition", "episode", "part", "week", "half", "quarter", "chapter", "season", "round",
        "session", "article", "item", "#",
    )
)
_YEAR_WORDS = frozenset(fold_for_matching(word) for word in ("السنة", "سنة", "العام", "عام", "year"))


def _fold_names(names: Sequence[str]) -> list[tuple[str, ...]]:
    """Fold spellings into word tuples, as the tokeniser will see them."""
    return [tuple(fold_for_matching(name).split()) for name in names]


def _phrase_table() -> dict[tuple[str, ...], _Token]:
    """Map every folded multi- or single-word phrase to the token it stands for."""
    table: dict[tuple[str, ...], _Token] = {}
    for words in _fold_names(_FILLER_WORDS):
        table[words] = _Token(_Kind.FILLER, " ".join(words))
    for words in _fold_names(_TIME_ZONE_PLACES):
        for lead in ("بتوقيت", "توقيت"):
            table[(lead, *words)] = _Token(_Kind.FILLER, " ".join((lead, *words)))
    for weekday, names in enumerate(_WEEKDAY_NAMES):
        for words in _fold_names(names):
            table[words] = _Token(_Kind.WEEKDAY, " ".join(words), number=weekday)
    for mark, calendar in _ERA_MARKS.items():
        (words,) = _fold_names([mark])
        table[words] = _Token(_Kind.ERA, " ".join(words), calendar=calendar)
    for name, number in _ORDINAL_NAMES.items():
        (words,) = _fold_names([name])
        table[words] = _Token(_Kind.NUMBER, " ".join(words), number=number)
    groups = (
        (_Calendar.GREGORIAN, _GREGORIAN_MONTH_NAMES),
        (_Calendar.HIJRI, _HIJRI_MONTH_NAMES),
        (_Calendar.COPTIC, _COPTIC_MONTH_NAMES),
    )
    # Month names last: "الأول" alone is an ordinal day, inside "ربيع الأول" part of a month.
    for calendar, months in groups:
        for month, names in enumerate(months, start=1):
            for words in _fold_names(names):
                table[words] = _Token(_Kind.MONTH, " ".join(words), calendar=calendar, month=month)
    return table


_PHRASES = _phrase_table()
_LONGEST_PHRASE = max(len(key) for key in _PHRASES)
_TIME_WORDS = frozenset(fold_for_matching(word) for word in _TIME_MARKERS)

_DATE_TOKEN = re.compile(
    r"(?P<time>\d{1,2}:\d{2}(?::\d{2})?)"
    r"|(?P<number>\d+)(?:st|nd|rd|th)?"
    r"|(?P<word>[^\W\d_]+)"
    r"|(?P<punct>[^\w\s]|_)"
)
_DASHES = str.maketrans(dict.fromkeys("\u2010\u2011\u2012\u2013\u2014\u2212", "-"))
# A run of tatweel standing alone between spaces is a dash ("القاهرة ـ", "1444هـ ــ حسب").
_STANDALONE_TATWEEL = re.compile(r"(?:(?<=\s)|^)\u0640+(?=\s|$)")
# Offsets after GMT/UTC or a clock time ("GMT+3", "10:00+03:00") and the T of ISO timestamps.
_UTC_OFFSET = re.compile(
    r"(?<=gmt|utc)\s*[+-]\s*\d{1,2}(?::?\d{2})?|(?<=\d:\d\d)(?:z|\s?[+-]\d\d(?::?\d\d)?)\b(?![/.\-_]\d)"
)
_ISO_T = re.compile(r"(?<=\d)t(?=\d)")
_LATIN_APOSTROPHE = re.compile("(?<=[a-z])['\u2019\u02bc\u02bf\u02be`]")
_LATIN_HYPHEN = re.compile("(?<=[a-z])-(?=[a-z])")
_FRACTION_OF_SECOND = re.compile(r"(?<=\d:\d\d)[.,]\d+")
# A Maghrebi clock: "10h30" is 10:30.
_CLOCK_H = re.compile(r"\b(\d{1,2})h(\d\d)\b")
_DOTTED_TIME_MARKS = re.compile(r"\b([ap])\.\s?m\.?")
_NUMERIC_SEPARATORS = frozenset("/.-_")
_PERSIAN_DIGITS = re.compile("[\u06f0-\u06f9]")
# Urdu and Persian keyboards type these for ي ك ه: "ربیع الاول ۱۴۴۵ھ" is an Urdu Hijri date.
_PERSIAN_LETTERS = str.maketrans({"\u06cc": "\u064a", "\u06a9": "\u0643", "\u06be": "\u0647",
                                   # Maghrebi sites write ڤ for the v of French names ("نوڤمبر", "فيڤري") and ڨ for g.
                                   "\u06a4": "\u0641", "\u06a8": "\u0642",
                                   # The Arabic date separator (U+060D): "٢٨؍٩؍٢٠١٧".
                                   "\u060d": "/"})
# Tokens that are words: a label or dateline is made of them.
_WORD_KINDS = frozenset((_Kind.WORD, _Kind.FILLER, _Kind.WEEKDAY))
# Punctuation after which the words before it are a label or dateline ("تاريخ النشر:", "دمشق -").
_LABEL_ENDS = frozenset(":-|")


def parse_date(
    text: str, today: datetime.date | None = None, future_limit: datetime.timedelta | None = FUTURE_LIMIT
) -> datetime.date:
    """Read a date as Arabic (or English) news sites print it and return it as a Gregorian date.

    Reads day-month-year and month-day-year with Gregorian (Mashriq, Levantine, Maghrebi,
    English), Hijri and Coptic month names, ordinal days (فاتح، غرة، التاسع), numeric dates
    (d/m/y or y/m/d with / . - _ or spaces; a year 1300-1500 without era mark is Hijri), era
    marks (م، هـ، هجريًا، ميلاديًا), weekdays, labels and datelines before the date, clock times
    and time zones. Hijri dates are converted with the Umm al-Qura table. When several dates
    are given, the Gregorian one wins; the others must agree with it within two days.

    Raises ValueError 'cannot read date "<text>": <reason>' for an unreadable, ambiguous or
    contradictory text, an impossible date, or one before 1800 or more than future_limit (a year)
    after today (the real today unless given). future_limit=None allows any future date: front
    matter may schedule an article far ahead, a seed copied from a site may not.
    """
    try:
        dates, weekdays, counted = _read_calendar_dates(text)
        thirtieth = _hijri_thirtieth(dates[0], weekdays) if len(dates) == 1 else None
        chosen = thirtieth or _choose_date(dates)
        # "The second Sunday of" is said of Gregorian months; a Hijri date's weekday may be a day off Umm al-Qura.
        if any(date.calendar is _Calendar.GREGORIAN for date in dates):
            _check_counted_weekdays(chosen, counted)
        elif any(date.calendar is _Calendar.HIJRI for date in dates):
            chosen = _check_agreement(_settle_hijri_weekday(chosen, weekdays, counted), dates)
        if any(date.calendar is _Calendar.GREGORIAN and date.numeric for date in dates):
            chosen = _check_weekdays(chosen, weekdays)
        return _check_range(chosen, today or datetime.date.today(), future_limit)
    except ValueError as error:
        raise ValueError(f'cannot read date "{_shorten(text.strip())}": {error}') from None


def _read_calendar_dates(text: str) -> tuple[list[_CalendarDate], set[int], list[tuple[_Token, _Token]]]:
    """Tokenise a date string and read every date written in it, with the weekdays it names
    (datetime.weekday() numbers) and the weekdays next to a day that may count them (_counted_weekdays)."""
    tokens = _drop_counts(_group_numeric_dates(list(_tokenise_date(_prepare(text)))))
    weekdays = _date_weekdays(tokens)  # before labels and datelines go, which may end with the date's weekday
    tokens = _drop_labels(tokens)
    counted = _counted_weekdays(tokens)
    tokens = _merge_dual_months(_drop_noise(tokens))
    # Iran and Afghanistan write Persian digits and count solar Hijri years, which fall in the
    # same 1300-1500 range: there a bare numeric year is not plainly (lunar) Hijri.
    bare_year_is_hijri = not _PERSIAN_DIGITS.search(text)
    dates = []
    position = 0
    while position < len(tokens):
        date, position = _read_one_date(tokens, position, bare_year_is_hijri)
        dates.append(date)
    if not dates:
        raise ValueError("no date found")
    return dates, weekdays, counted


def _date_weekdays(tokens: Sequence[_Token]) -> set[int]:
    """The weekdays (datetime.weekday() numbers) a line names for its date: the last one before the date begins,
    with only words and punctuation between ("الأحد - 12 ربيع الأول", "الرباط الأحد 12 ...", "Sunday, 12 ..."),
    and any after it. A weekday before that one belongs to a label about something else ("نشر الجمعة - الأحد 12
    ...": published on Friday) and is not the date's."""
    start = next((position for position, token in enumerate(tokens)
                  if token.kind not in _WORD_KINDS and token.kind is not _Kind.PUNCT), len(tokens))
    found = {token.number for token in tokens[start:] if token.kind is _Kind.WEEKDAY}
    before = next((token for token in reversed(tokens[:start]) if token.kind is _Kind.WEEKDAY), None)
    if before is not None:
        found.add(before.number)
    return found


def _drop_counts(tokens: list[_Token]) -> list[_Token]:
    """Leave out each counting word (_COUNTING_WORDS, or a year word) with the number or ordinal it counts, and
    punctuation or other counting words between them ("رقم العدد [14184]", "Issue #12", "الأسبوع الثاني"); with
    the second number of a double issue or a page count ("العدد 11-12", "Issue 3 & 4", "Page 2 of 5"). After a
    colon the word is a label and a number that may be a day is kept ("Edition: 12 March 2017", "تاريخ العدد:
    12 مارس"), one that may not is the count ("العدد: 4571 - 2014/9/11")."""
    kept: list[_Token] = []
    position = 0
    while position < len(tokens):
        token = tokens[position]
        if token.text in _COUNTING_WORDS or token.text in _YEAR_WORDS:
            after = position + 1
            while after < len(tokens) and (tokens[after].kind is _Kind.PUNCT or tokens[after].text in _COUNTING_WORDS):
                after += 1
            counted = tokens[after] if after < len(tokens) and tokens[after].kind is _Kind.NUMBER else None
            labelled = any(t.text == ":" for t in tokens[position + 1:after])
            if not labelled and after < len(tokens) and tokens[after].kind is _Kind.NUMERIC_DATE \
                    and " " in tokens[after].text and token.text in _COUNTING_WORDS:
                # "العدد 12 09 2017": the counted number was taken for the day of a date written with spaces.
                raise ValueError(f'"{tokens[after].text}" after "{token.text}" may start with the number it counts')
            if counted is not None and not (labelled and counted.number <= 31) and (
                token.text in _COUNTING_WORDS or len(counted.text) <= 2 or not counted.text.isdigit()
            ):
                position = _after_count(tokens, after)
                continue
        kept.append(token)
        position += 1
    return kept


# Between the two numbers of a double issue ("11-12", "3 & 4", "7 و8") or of a page count ("2 of 5", "2 من 5").
_RANGE_MARKS = frozenset(("-", "/", "&", "+", "و"))
_OUT_OF_WORDS = frozenset(("of", "من"))


def _after_count(tokens: Sequence[_Token], position: int) -> int:
    """The position after the counted number at position, and after the number that follows it as the second of
    a double issue (the next number: 11-12, never 12 - 28, which is a day) or as a page count (of 5)."""
    if position + 2 < len(tokens) and tokens[position + 2].kind is _Kind.NUMBER and tokens[position + 2].text.isdigit():
        mark, second = tokens[position + 1].text, tokens[position + 2].number
        if mark in _OUT_OF_WORDS or mark in _RANGE_MARKS and second == tokens[position].number + 1:
            return position + 3
    return position + 1


def _counted_weekdays(tokens: Sequence[_Token]) -> list[tuple[_Token, _Token]]:
    """(weekday, day) pairs where the day may count the weekday rather than name the date: an ordinal word
    after it ("الأحد الثاني من سبتمبر": Sunday the 2nd, or the second Sunday) or a number before it ("3rd
    Thursday of November"). The date must then fall on that weekday to be read."""
    pairs = []
    for first, second in zip(tokens, tokens[1:]):
        # A month has at most five of a weekday: "الخميس التاسع" can only be Thursday the 9th.
        if first.kind is _Kind.WEEKDAY and second.kind is _Kind.NUMBER and not second.text.isdigit() \
                and second.number <= 5 and second.text not in _FIRST_DAY_WORDS:
            pairs.append((first, second))
        elif first.kind is _Kind.NUMBER and first.text.isdigit() and first.number <= 5 \
                and second.kind is _Kind.WEEKDAY:
            pairs.append((second, first))
    return pairs


def _check_counted_weekdays(day: datetime.date, counted: Sequence[tuple[_Token, _Token]]) -> None:
    """Refuse a date that does not fall on a weekday its day may count (see _counted_weekdays)."""
    for weekday, number in counted:
        if day.weekday() != weekday.number:
            name = calendar.day_name[weekday.number]
            raise ValueError(f"{day.isoformat()} is not a {name}, so \"{number.text}\" next to \"{weekday.text}\" "
                             f"may count {name}s of the month: write the day as a number")


def _hijri_thirtieth(date: _CalendarDate, weekdays: set[int]) -> datetime.date | None:
    """The 30th of a Hijri month the Umm al-Qura table gives 29 days, where the weekday says the country's month
    had 30 ("الثلاثاء 30 صفر 1441" from Morocco is Tuesday 29 October 2019, the day after the table's 29th, a
    Monday): that day. None for any other date, or when the weekday does not fall on it (the 30th is then refused
    as ever: the table has no such day)."""
    if date.calendar is not _Calendar.HIJRI or len(weekdays) != 1:
        return None
    after = _after_the_tables_29th(date)
    return after if after is not None and after.weekday() in weekdays else None


def _after_the_tables_29th(date: _CalendarDate) -> datetime.date | None:
    """For a Hijri 30th of a month the Umm al-Qura table gives 29 days (a country's own month may have had 30),
    the day after the table's 29th; None for any other date."""
    if date.calendar is not _Calendar.HIJRI or date.day != 30:
        return None
    try:
        from_hijri(date.year, date.month, 30)
        return None  # the table has it
    except ValueError:
        pass
    try:
        return from_hijri(date.year, date.month, 29) + datetime.timedelta(days=1)
    except ValueError:
        return None


def _settle_hijri_weekday(day: datetime.date, weekdays: set[int], counted: Sequence[tuple[_Token, _Token]],
                          ) -> datetime.date:
    """A Hijri date (day: its Umm al-Qura conversion) with the weekday it names: where a country began the month
    by its own sighting, a day before or after Umm al-Qura, its days fall a day off the table's, and the weekday
    says which ("الأحد 1 رمضان 1438" from Morocco is Sunday 28 May 2017; Umm al-Qura's 1 Ramadan is Saturday the
    27th). So the day within one of the table's that falls on the weekday is the date. A weekday further off is the
    site's slip and is let pass, as for Gregorian dates, unless its day may count weekdays ("الاثنين الثاني من
    رمضان" may be the second Monday), which refuses it (see _check_counted_weekdays)."""
    if len(weekdays) != 1:
        return day
    weekday = next(iter(weekdays))
    near = [day + datetime.timedelta(days=offset) for offset in (0, -1, 1)]
    found = next((candidate for candidate in near if candidate.weekday() == weekday), None)
    if found is not None:
        return found
    for named, number in counted:
        name = calendar.day_name[named.number]
        raise ValueError(f"no {name} is within a day of {day.isoformat()} (Umm al-Qura), so \"{number.text}\" next "
                         f"to \"{named.text}\" may count {name}s of the month: write the day as a number")
    return day


def _check_weekdays(day: datetime.date, weekdays: set[int]) -> datetime.date:
    """Refuse a numeric date whose named weekday fits it read month first and not day first
    ("Wednesday 04/03/2019" is 3 April in an American text): which one is meant is unknown.
    A weekday that fits neither reading is the site's slip (it happens) and is let pass."""
    if not weekdays or day.weekday() in weekdays or day.day > 12 or day.day == day.month:
        return day
    swapped = day.replace(month=day.day, day=day.month)
    if swapped.weekday() in weekdays:
        raise ValueError(
            f"its weekday fits {swapped.isoformat()} (month first), not {day.isoformat()} (day first)"
        )
    return day


def _prepare(text: str) -> str:
    """Fold the text (digits, letters, case, diacritics) and rewrite what the tokeniser cannot see."""
    text = _STANDALONE_TATWEEL.sub("-", to_latin_digits(text).translate(_PERSIAN_LETTERS))
    folded = fold_for_matching(text).translate(_DASHES)
    folded = _DOTTED_TIME_MARKS.sub(r"\1m", folded)
    # Romanised Hijri months: "Sha'ban", "Rabi' al-Awwal", "Dhu al-Qa'dah" as "shaban", "rabi al awwal".
    folded = _LATIN_APOSTROPHE.sub("", folded)
    folded = _LATIN_HYPHEN.sub(" ", folded)
    folded = _FRACTION_OF_SECOND.sub("", folded)
    folded = _CLOCK_H.sub(r"\1:\2", folded)
    folded = _ISO_T.sub(" ", folded)
    return _UTC_OFFSET.sub(" ", folded)


def _tokenise_date(folded: str) -> Iterator[_Token]:
    """Split folded text into numbers, times, punctuation and classified runs of words."""
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
    """Turn a run of words into tokens, matching known phrases longest first."""
    position = 0
    while position < len(words):
        for length in range(min(_LONGEST_PHRASE, len(words) - position), 0, -1):
            key = tuple(words[position : position + length])
            if key in _PHRASES:
                yield _PHRASES[key]
                position += length
                break
        else:
            yield _Token(_Kind.WORD, words[position])
            position += 1


def _group_numeric_dates(tokens: list[_Token]) -> list[_Token]:
    """Replace d/m/y or y/m/d (one repeated separator of / . - _, or none) with one token."""
    grouped: list[_Token] = []
    position = 0
    while position < len(tokens):
        for width in (5, 3):
            window = tokens[position : position + width]
            if _is_numeric_date(window):
                grouped.append(_numeric_date_token(window))
                position += width
                break
        else:
            grouped.append(tokens[position])
            position += 1
    return grouped


def _is_numeric_date(window: Sequence[_Token]) -> bool:
    """Tell whether tokens read as NUMBER SEP NUMBER SEP NUMBER, or three numbers side by side
    of which the first or last has four digits ("12 08 2017")."""
    if len(window) == 3:
        lengths = [len(token.text) for token in window]
        return all(token.kind is _Kind.NUMBER and token.text.isdigit() for token in window) and (
            (lengths[0] == 4 and max(lengths[1:]) <= 2) or (lengths[2] == 4 and max(lengths[:2]) <= 2)
        )
    if len(window) != 5:
        return False
    first, sep1, second, sep2, third = window
    return (
        all(token.kind is _Kind.NUMBER and token.text.isdigit() for token in (first, second, third))
        and sep1.kind is _Kind.PUNCT
        and sep1.text in _NUMERIC_SEPARATORS
        and sep2.kind is _Kind.PUNCT
        and sep2.text == sep1.text
    )


def _numeric_date_token(window: Sequence[_Token]) -> _Token:
    """Build a numeric date token; the four-digit number says which end holds the year."""
    first, second, third = (token for token in window if token.kind is _Kind.NUMBER)
    separator = window[1].text if len(window) == 5 else " "
    text = separator.join(token.text for token in (first, second, third))
    if len(first.text) == 4:
        year, day = first.number, third.number
    elif len(third.text) == 4:
        day, year = first.number, third.number
    else:
        raise ValueError(f'"{text}" has no four-digit year')
    return _Token(_Kind.NUMERIC_DATE, text, year=year, month=second.number, day=day)


def _drop_labels(tokens: list[_Token]) -> list[_Token]:
    """Drop leading words ended by ":", "-" or "|": a label ("تاريخ النشر:", "Publish date:") or a
    dateline ("دمشق -", "بيروت:"), as long as they hold no number, month, era or time; then a
    dateline of unknown words right before the day ("الرياض 14 جمادى الآخرة ...")."""
    tokens = _drop_punctuated_labels(tokens)
    words = 0
    while words < len(tokens) and tokens[words].kind in _WORD_KINDS:
        words += 1
    leading = tokens[:words]
    follows_day = words < len(tokens) and tokens[words].kind in (_Kind.NUMBER, _Kind.NUMERIC_DATE)
    if follows_day and any(t.kind is _Kind.WORD for t in leading) and not any(
        t.text in _RELATIVE_WORDS for t in leading
    ):
        return tokens[words:]
    return tokens


def _drop_punctuated_labels(tokens: list[_Token]) -> list[_Token]:
    """Drop leading digit-free words ended by ":", "-" or "|", again while there are more."""
    while True:
        for position, token in enumerate(tokens):
            if token.kind is _Kind.PUNCT and token.text in _LABEL_ENDS:
                if position == 0 or all(t.kind in _WORD_KINDS for t in tokens[:position]):
                    tokens = tokens[position + 1 :]
                    break
                return tokens
            if token.kind not in (*_WORD_KINDS, _Kind.PUNCT):
                return tokens
        else:
            return tokens


def _drop_noise(tokens: Sequence[_Token]) -> list[_Token]:
    """Remove punctuation, fillers, and clock times with their a.m./p.m.; refuse unknown words."""
    kept: list[_Token] = []
    after_time = False
    for token in tokens:
        if token.kind is _Kind.TIME:
            _check_clock_time(token.text)
            after_time = True
            continue
        # ص/م right after a clock time are a.m./p.m.; even "م" is not an era there.
        is_time_word = token.kind in (_Kind.WORD, _Kind.ERA, _Kind.FILLER) and token.text in _TIME_WORDS
        if after_time and is_time_word:
            continue
        if token.kind not in (_Kind.PUNCT, _Kind.FILLER):
            after_time = False
        if token.kind in (_Kind.PUNCT, _Kind.FILLER, _Kind.WEEKDAY):
            continue
        if token.kind is _Kind.WORD:
            raise ValueError(f'unknown word "{token.text}"')
        kept.append(token)
    return kept


def _check_clock_time(text: str) -> None:
    """Refuse a clock time no clock shows ("25:00", "10:75"): the string around it is garbled or not a
    date, so the date in it is not trusted either. 24:00 (the end of a day, ISO 8601) and a leap second
    (:60) are times."""
    hour, minute, *second = (int(part) for part in text.split(":"))
    if hour > 24 or minute > 59 or (hour == 24 and minute > 0) or (second and second[0] > 60):
        raise ValueError(f'"{text}" is not a time of day')


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


def _read_one_date(
    tokens: Sequence[_Token], position: int, bare_year_is_hijri: bool = True
) -> tuple[_CalendarDate, int]:
    """Read one date starting at position; return it and the position after it. A numeric date
    with a year 1300-1500 and no era mark is Hijri, or refused when bare_year_is_hijri is False."""
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
    if calendar is None and era is None and parts[0] in PLAINLY_HIJRI_YEARS:
        if not bare_year_is_hijri:
            raise ValueError(
                f"the year {parts[0]} in Persian digits may be solar Hijri (Iranian); write هـ after a lunar Hijri date"
            )
        era = _Calendar.HIJRI
    chosen = calendar or era or _Calendar.GREGORIAN
    return _CalendarDate(chosen, *parts, numeric=calendar is None), end


def _check_day_and_year(day: _Token, year: _Token) -> None:
    """Insist on a one- or two-digit day and a four-digit year around a month name."""
    # An ordinal day ("التاسع") is already a number from 1 to 31.
    if (day.text.isdigit() and len(day.text) > 2) or len(year.text) != 4 or not year.text.isdigit():
        raise ValueError(
            f'expected a day and a four-digit year, got "{day.text}" and "{year.text}"'
        )


def _read_era(tokens: Sequence[_Token], position: int) -> tuple[_Calendar | None, int]:
    """Read an optional era mark at position."""
    if position < len(tokens) and tokens[position].kind is _Kind.ERA:
        return tokens[position].calendar, position + 1
    return None, position


def _choose_date(dates: Sequence[_CalendarDate]) -> datetime.date:
    """Convert every date; the Gregorian one wins (else the Hijri, else the Coptic), and every
    other date must fall within two days of it (a Hijri 30th the table lacks, only on the day after the table's
    29th or the next: _after_the_tables_29th)."""
    beside_gregorian = any(date.calendar is _Calendar.GREGORIAN for date in dates)
    converted, constructed = [], set()
    for date in dates:
        try:
            converted.append((date, _to_gregorian(date)))
        except ValueError:
            after = _after_the_tables_29th(date) if beside_gregorian else None
            if after is None:
                raise
            converted.append((date, after))
            constructed.add(date)
    for calendar in _PREFERENCE:
        primary = sorted({(date, day) for date, day in converted if date.calendar is calendar}, key=_by_day)
        if primary:
            break
    # The same day written twice ("28 سبتمبر 2017 - 28/09/2017") is one date.
    if len({day for _, day in primary}) > 1:
        first, second = primary[0][0], primary[1][0]
        raise ValueError(f"it gives two different {calendar.value.capitalize()} dates, {first.iso()} and {second.iso()}")
    chosen_date, chosen = primary[0]
    for date, day in converted:
        distance = abs((day - chosen).days)
        if date in constructed and (chosen - day).days not in (0, 1):
            # A country's 30th falls the day after the table's 29th, or the next when its month began two days late.
            raise ValueError(f"the {date.label()} is not in the Umm al-Qura table, and {chosen.isoformat()} is neither "
                             f"the day after the table's 29th ({day.isoformat()}) nor the next")
        if distance > HIJRI_TOLERANCE_DAYS:
            raise ValueError(
                f"the {date.label()} is {day.isoformat()}, {distance} days from the "
                f"{chosen_date.label()}"
            )
    return chosen


# Which date of a line is the date: the Gregorian, else the Hijri (its weekday may then move it a day, see
# _settle_hijri_weekday), else the Coptic.
_PREFERENCE = (_Calendar.GREGORIAN, _Calendar.HIJRI, _Calendar.COPTIC)


def _check_agreement(day: datetime.date, dates: Sequence[_CalendarDate]) -> datetime.date:
    """day, once a weekday has moved the Hijri date: every other date of the line (a Coptic one) must still fall
    within two days of it."""
    for date in dates:
        if date.calendar is not _Calendar.HIJRI:
            distance = abs((_to_gregorian(date) - day).days)
            if distance > HIJRI_TOLERANCE_DAYS:
                raise ValueError(f"the {date.label()} is {distance} days from {day.isoformat()}, the day its weekday "
                                 "gives the Hijri date")
    return day


def _by_day(pair: tuple[_CalendarDate, datetime.date]) -> datetime.date:
    """Sort key: the Gregorian day of a converted date."""
    return pair[1]


def _shorten(text: str, limit: int = 60) -> str:
    """text as quoted in a message: at most limit characters, an ellipsis marking a cut."""
    return text if len(text) <= limit else text[:limit] + "…"


def _to_gregorian(date: _CalendarDate) -> datetime.date:
    """Check a calendar date and convert it to a Gregorian datetime.date; ValueError when it is no real day."""
    try:
        return _convert(date)
    except OverflowError:  # a day, month or year hundreds of digits long: no calendar has it
        raise ValueError("a number in it is too large for a date") from None


def _convert(date: _CalendarDate) -> datetime.date:
    """A calendar date as a Gregorian datetime.date (ValueError or OverflowError when it is no real day)."""
    if date.calendar is _Calendar.HIJRI:
        return from_hijri(date.year, date.month, date.day)
    if date.calendar is _Calendar.COPTIC:
        return _from_coptic(date.year, date.month, date.day)
    return datetime.date(date.year, date.month, date.day)


# Julian day number of the day before 1 Thout 1 (29 August 284 CE), and that of 1 January 1 CE
# minus one, which turns a Julian day number into a proleptic Gregorian ordinal.
_COPTIC_EPOCH = 1825029
_ORDINAL_OFFSET = 1721425


def _from_coptic(year: int, month: int, day: int) -> datetime.date:
    """Convert a Coptic (Alexandrian) date: twelve 30-day months, then النسيء of 5 or 6 days."""
    length = 30 if month <= 12 else 5 + (year % 4 == 3)
    if not 1 <= day <= length:
        raise ValueError(f"Coptic date {year:04d}-{month:02d}-{day:02d} does not exist")
    julian_day = _COPTIC_EPOCH + 365 * (year - 1) + year // 4 + 30 * (month - 1) + day
    return datetime.date.fromordinal(julian_day - _ORDINAL_OFFSET)


def _check_range(day: datetime.date, today: datetime.date, future_limit: datetime.timedelta | None) -> datetime.date:
    """Refuse a date before 1800 or more than a year after today: neither is a publication date."""
    if day.year < EARLIEST_YEAR:
        raise ValueError(f"{day.isoformat()} is before {EARLIEST_YEAR}")
    if future_limit is not None and day > today + future_limit:
        raise ValueError(f"{day.isoformat()} is more than a year after today ({today.isoformat()})")
    return day
