"""Tests for generator.arabic: normalisation, matching, digits and slugs (dates: test_arabic_dates.py)."""

import itertools
import re

import pytest

from generator.arabic import (
    arabic_slug,
    find_terms,
    fold_for_matching,
    make_slug,
    normalise_text,
    to_latin_digits,
    transliterate,
)


# ---------------------------------------------------------------------------
# normalise_text
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("\ufeffسلام", "سلام", id="leading-bom"),
        pytest.param("سل\ufeffام", "سلام", id="inner-bom"),
        pytest.param("a\r\nb\rc\nd", "a\nb\nc\nd", id="crlf-and-cr"),
        pytest.param("a\r\n\r\nb", "a\n\nb", id="blank-line-kept"),
        pytest.param("e\u0301", "\u00e9", id="nfc-composes"),
        pytest.param("\ufefb", "\u0644\u0627", id="lam-alef-ligature"),
        pytest.param("\ufdf2", "\u0627\u0644\u0644\u0647", id="allah-ligature"),
        pytest.param("\ufe8d\ufe91\ufe92", "\u0627\u0628\u0628", id="presentation-forms-b"),
        pytest.param("\ufb56", "\u067e", id="presentation-forms-a"),
        pytest.param("a\u200eb\u200fc", "abc", id="lrm-rlm"),
        pytest.param("\u202aa\u202bb\u202cc\u202dd\u202ee", "abcde", id="embeddings-overrides"),
        pytest.param("\u2066a\u2067b\u2068c\u2069", "abc", id="isolates"),
        pytest.param("\u061cعربي", "عربي", id="arabic-letter-mark"),
        pytest.param("a\u200bb\u2060c", "abc", id="zero-width-space-and-word-joiner"),
    ],
)
def test_normalise_text_rules(raw: str, expected: str) -> None:
    assert normalise_text(raw) == expected


def test_normalise_text_keeps_diacritics_punctuation_and_digits() -> None:
    text = "قَالَ: «نَعَمْ»، ١٢٣؛ ماذا؟ (x) ـ"
    assert normalise_text(text) == text


def test_normalise_text_does_not_apply_nfkc_outside_presentation_forms() -> None:
    # Superscripts and full-width letters are not Arabic presentation forms: left alone.
    assert normalise_text("x² Ａ ﬁ") == "x² Ａ ﬁ"


def test_normalise_text_is_idempotent() -> None:
    raw = "\ufeff\u200fﻻ\r\nﷲ\u200d"
    once = normalise_text(raw)
    assert normalise_text(once) == once == "لا\nالله"


# ---------------------------------------------------------------------------
# fold_for_matching
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("مَدْرَسَةٌ", "مدرسه", id="harakat-and-ta-marbuta"),
        pytest.param("العـــربية", "العربيه", id="tatweel"),
        pytest.param("أحمد إبراهيم آمال ٱلله", "احمد ابراهيم امال الله", id="alef-forms"),
        pytest.param("مسؤول", "مسوول", id="waw-hamza"),
        pytest.param("رئيس", "رييس", id="yeh-hamza"),
        pytest.param("على", "علي", id="alef-maqsura"),
        pytest.param("هٰذا", "هذا", id="superscript-alef"),
        pytest.param("قرآنۖ", "قران", id="quranic-marks"),
        pytest.param("ISIS  Syria\n\tIraq ", "isis syria iraq", id="latin-case-and-space"),
        pytest.param("\ufeffﻻ\u200f", "لا", id="normalises-first"),
    ],
)
def test_fold_for_matching(raw: str, expected: str) -> None:
    assert fold_for_matching(raw) == expected


# ---------------------------------------------------------------------------
# find_terms
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "term"),
    [
        pytest.param('تنظيم "داعش"، في المنطقة', "داعش", id="quoted-with-arabic-comma"),
        pytest.param("الحرب بسوريا", "سوريا", id="prefix-ba"),
        pytest.param("لبنان وسوريا", "سوريا", id="prefix-waw"),
        pytest.param("انتشار بالعراق", "العراق", id="prefix-bal"),
        pytest.param("سوريا والعراق", "العراق", id="prefix-wal"),
        pytest.param("دعم للعراق", "العراق", id="prefix-lil"),
        pytest.param("فالعراق بلد", "العراق", id="prefix-fal"),
        pytest.param("كالعراق تماما", "العراق", id="prefix-kal"),
        pytest.param("وبالعراق أيضا", "العراق", id="prefix-wabal"),
        pytest.param("وللعراق أيضا", "العراق", id="prefix-walil"),
        pytest.param("العراق", "عراق", id="article-on-text-only"),
        pytest.param("عراق ما بعد الحرب", "العراق", id="article-on-term-only"),
        pytest.param("روسيا تعلن", "روسيا", id="plain"),
        pytest.param("موقف روسيا.", "روسيا", id="before-full-stop"),
        pytest.param("(روسيا)", "روسيا", id="in-parentheses"),
        pytest.param("«روسيا»", "روسيا", id="in-guillemets"),
        pytest.param("هل روسيا؟", "روسيا", id="before-arabic-question"),
        pytest.param("روسيا؛ إيران", "إيران", id="after-arabic-semicolon"),
        pytest.param("والولايات المتحدة", "الولايات المتحدة", id="phrase-with-prefix"),
        pytest.param("الولايات المتحدة", "الولايات المتحدة", id="phrase-plain"),
        pytest.param("ولايات متحدة", "الولايات المتحدة", id="phrase-articles-optional"),
        pytest.param("الدولة الإسلامية", "دولة اسلامية", id="phrase-later-article"),
        pytest.param("syria's future", "Syria", id="latin-apostrophe"),
        pytest.param("SYRIA today", "syria", id="latin-case"),
        pytest.param("the Islamic State group", "islamic state", id="latin-phrase"),
        pytest.param("أَمْرِيكَا", "امريكا", id="diacritics-and-hamza"),
        pytest.param("الرقة", "الرقه", id="ta-marbuta"),
        pytest.param("ﺩﺍﻋﺶ", "داعش", id="presentation-forms-in-text"),
        pytest.param("دا\u200cعش", "داعش", id="zero-width-in-text"),
        pytest.param("الأمم   المتحدة", "الأمم المتحدة", id="extra-spaces"),
        pytest.param("سطر أول\nالأمم\nالمتحدة", "الأمم المتحدة", id="phrase-over-newline"),
    ],
)
def test_find_terms_matches(text: str, term: str) -> None:
    assert find_terms(text, [term]) == frozenset({term})


@pytest.mark.parametrize(
    ("text", "term"),
    [
        pytest.param("اللغة العربية", "عرب", id="inside-longer-word"),
        pytest.param("الروسية", "روسي", id="no-suffix-stripping"),
        pytest.param("السوريين", "سوريا", id="different-word"),
        pytest.param("syrian army", "syria", id="latin-longer-word"),
        pytest.param("assyria", "syria", id="latin-inside-word"),
        pytest.param("المتحدة الولايات", "الولايات المتحدة", id="phrase-wrong-order"),
        pytest.param("الولايات غير المتحدة", "الولايات المتحدة", id="phrase-interrupted"),
        pytest.param("الولايات", "الولايات المتحدة", id="phrase-truncated-at-end"),
        pytest.param("الولايات ووالمتحدة", "الولايات المتحدة", id="prefix-only-on-first-word"),
        pytest.param("داعشي", "داعش", id="suffix"),
        pytest.param("سوريا", "", id="empty-term"),
        pytest.param("سوريا", "،", id="punctuation-term"),
    ],
)
def test_find_terms_does_not_match(text: str, term: str) -> None:
    assert find_terms(text, [term]) == frozenset()


def test_find_terms_returns_terms_as_given_and_only_matching_ones() -> None:
    text = "قصفت روسيا مواقع «داعش» بالرقة، فيما دعت الولايات المتحدة إلى الحوار."
    terms = ["روسيا", "داعشٌ", "الرَّقَّة", "الولايات المتحدة", "إيران", "تركيا", "ISIS"]
    assert find_terms(text, terms) == frozenset({"روسيا", "داعشٌ", "الرَّقَّة", "الولايات المتحدة"})


def test_find_terms_accepts_any_iterable_and_empty_inputs() -> None:
    assert find_terms("روسيا", (term for term in ["روسيا"])) == frozenset({"روسيا"})
    assert find_terms("", ["روسيا"]) == frozenset()
    assert find_terms("روسيا", []) == frozenset()


def test_find_terms_one_letter_word_is_not_read_as_prefix() -> None:
    # A one-letter stem is taken as part of a real word ("وب"), not as prefix + word.
    assert find_terms("وب", ["ب"]) == frozenset()


# ---------------------------------------------------------------------------
# to_latin_digits
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("٠١٢٣٤٥٦٧٨٩", "0123456789"),
        ("۰۱۲۳۴۵۶۷۸۹", "0123456789"),
        ("٣٫١٤", "3.14"),
        ("١٬٠٠٠", "1,000"),
        ("عام ٢٠١٧ م", "عام 2017 م"),
        ("2017 already", "2017 already"),
    ],
)
def test_to_latin_digits(raw: str, expected: str) -> None:
    assert to_latin_digits(raw) == expected


# ---------------------------------------------------------------------------
# transliterate
# ---------------------------------------------------------------------------

_SLUG_SHAPE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ('مداولات دولية حول مرحلة ما بعد سقوط "داعش"', "mdawlat-dwlya-hwl-mrhla-ma-bad-sqwt-daash"),
        ("Post-ISIS: What's next?", "post-isis-whats-next"),
        ("What’s next", "whats-next"),
        ("الرقة", "al-rqa"),
        ("معركة الموصل", "marka-al-mwsl"),
        ("ثورة خليج ذهب شرق غرب ظل ضوء", "thwra-khlyj-dhhb-shrq-ghrb-zl-dw"),
        ("إيران أمام مسؤولية", "iyran-amam-msuwlya"),
        ("مُدَرِّسَةٌ", "mdrsa"),
        ("تقرير ٢٠١٧", "tqryr-2017"),
        ("Café Società Straße", "cafe-societa-strasse"),
        ("ﻻ", "la"),
        ("  --hello__world--  ", "hello-world"),
        ("covid19 & sars", "covid19-sars"),
    ],
)
def test_transliterate_examples(title: str, expected: str) -> None:
    assert transliterate(title) == expected


@pytest.mark.parametrize("title", ["", "   ", "؟!«»", "日本", "ـــ", "ء"])
def test_transliterate_empty_result(title: str) -> None:
    assert transliterate(title) == ""


@pytest.mark.parametrize(
    "title",
    [
        'مداولات دولية حول مرحلة ما بعد سقوط "داعش" وتداعياتها على المنطقة العربية والعالم',
        "Post-ISIS: What's next for Iraq, Syria and the wider Middle East region?",
        "تقرير ٢٠١٧ — Syria’s Café «الرقة»",
    ],
)
@pytest.mark.parametrize("limit", [5, 12, 20, 60])
def test_transliterate_is_ascii_slug_within_limit(title: str, limit: int) -> None:
    slug = transliterate(title, max_length=limit)
    assert slug.isascii()
    assert _SLUG_SHAPE.match(slug)
    assert len(slug) <= limit
    assert transliterate(title, max_length=limit) == slug


def test_transliterate_cuts_at_word_boundary() -> None:
    full = transliterate("alpha beta gamma delta")
    assert full == "alpha-beta-gamma-delta"
    assert transliterate("alpha beta gamma delta", max_length=15) == "alpha-beta"
    assert transliterate("alpha beta gamma delta", max_length=16) == "alpha-beta-gamma"
    assert transliterate("alpha beta gamma delta", max_length=10) == "alpha-beta"
    assert transliterate("alpha beta gamma delta", max_length=9) == "alpha"


def test_transliterate_never_splits_article_from_word() -> None:
    # "al-rqa" is one unit: a cut never leaves a dangling "al".
    assert transliterate("تقرير الرقة", max_length=9) == "tqryr"
    assert transliterate("تقرير الرقة", max_length=12) == "tqryr-al-rqa"


def test_transliterate_cuts_single_long_word() -> None:
    assert transliterate("supercalifragilistic", max_length=5) == "super"
    assert transliterate("الرقة", max_length=3) == "al"


def test_transliterate_non_positive_limit() -> None:
    assert transliterate("alpha", max_length=0) == ""


def test_transliterate_default_limit_is_60() -> None:
    slug = transliterate("word " * 40)
    assert len(slug) <= 60
    assert slug.startswith("word-word")
    assert not slug.endswith("-")


# ---------------------------------------------------------------------------
# ZWNJ and ZWJ: kept where they mean something, dropped where stray
# ---------------------------------------------------------------------------

ZWNJ, ZWJ = "\u200c", "\u200d"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param("ما این کار را انجام می\u200cدهیم.", id="persian-half-space-mi"),
        pytest.param("کتاب\u200cها و خانه\u200cای", id="persian-plural-and-ezafe"),
        pytest.param("بزرگ\u200cترین نویسنده\u200cی معاصر", id="persian-superlative"),
        pytest.param("\u0645\u064e\u200c\u0631", id="after-a-vowel-sign"),
        pytest.param("\u0647\u200d\u0640", id="arabic-zwj-joining-form"),
        pytest.param("ﻻ\u200cﻻ", id="between-presentation-forms"),
        pytest.param("\U0001f468\u200d\U0001f469\u200d\U0001f467\u200d\U0001f466", id="family-emoji"),
        pytest.param("\U0001f469\U0001f3fd\u200d\U0001f4bb", id="skin-tone-then-zwj"),
        pytest.param("\U0001f3f3\ufe0f\u200d\U0001f308", id="rainbow-flag-vs16-zwj"),
        pytest.param("\u2764\ufe0f\u200d\U0001f525", id="heart-on-fire"),
        pytest.param("\U0001f9d1\u200d\U0001f91d\u200d\U0001f9d1", id="people-holding-hands"),
        pytest.param("1\ufe0f\u20e3 \U0001f1f8\U0001f1fe \U0001f44d\U0001f3fe", id="keycap-flag-skin-tone"),
    ],
)
def test_meaningful_joiners_are_kept(text: str) -> None:
    expected = text.replace("\ufefb", "\u0644\u0627")
    assert normalise_text(text) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        pytest.param("\u200cمی\u200cدهیم\u200c", "می\u200cدهیم", id="word-edges"),
        pytest.param("می\u200c\u200cدهیم", "می\u200cدهیم", id="doubled-zwnj"),
        pytest.param("می\u200c\u200dدهیم", "می\u200cدهیم", id="zwnj-then-zwj-keeps-first"),
        pytest.param("کتاب \u200c ها", "کتاب  ها", id="between-spaces"),
        pytest.param("سلام\u200c، دنیا", "سلام، دنیا", id="before-punctuation"),
        pytest.param("2017\u200c09", "201709", id="between-digits"),
        pytest.param("\u200dسلام", "سلام", id="zwj-at-start"),
        pytest.param("\U0001f468\u200d", "\U0001f468", id="zwj-after-emoji-at-end"),
        pytest.param("\U0001f468\u200d\u200d\U0001f469", "\U0001f468\u200d\U0001f469", id="doubled-zwj-in-emoji"),
        pytest.param("\U0001f468\u200c\U0001f469", "\U0001f468\U0001f469", id="zwnj-between-emoji"),
        pytest.param("a\u200d b", "a b", id="zwj-before-space"),
    ],
)
def test_stray_joiners_are_dropped(raw: str, expected: str) -> None:
    assert normalise_text(raw) == expected


def test_joiners_never_change_matching_or_slugs() -> None:
    assert fold_for_matching("می\u200cدهیم") == fold_for_matching("میدهیم") == "میدهیم"
    assert find_terms("ما می\u200cدهیم", ["میدهیم"]) == {"میدهیم"}
    assert transliterate("می\u200cدهیم") == transliterate("میدهیم")
    assert arabic_slug("می\u200cدهیم") == "میدهیم"


# ---------------------------------------------------------------------------
# Arabic-script slugs
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("داعش يخسر الرقة", "داعش-يخسر-الرقة"),
        ("مَعْرَكَةُ المَوْصِلِ", "معركة-الموصل"),  # harakat removed
        ("ســـوريا الجديدة", "سوريا-الجديدة"),  # tatweel removed
        ("إيران وأمريكا: مؤتمر «جنيف ٢»؟", "إيران-وأمريكا-مؤتمر-جنيف-2"),  # hamza kept, digits Latin
        ("رؤية 2030 السعودية", "رؤية-2030-السعودية"),
        ("ﺳﻮﺭﻳﺎ", "سوريا"),  # presentation forms folded
        ("ISW: تقرير عن حلب", "isw-تقرير-عن-حلب"),  # Latin words lower-case ASCII
        ("Putin's Syria", "putins-syria"),
        ("روسيا... والعراق!! (تحليل)", "روسيا-والعراق-تحليل"),
        ("", ""),
        ("؟!«»", ""),
    ],
)
def test_arabic_slug(title: str, expected: str) -> None:
    assert arabic_slug(title) == expected


def test_arabic_slug_is_nfc_and_cut_at_a_word() -> None:
    slug = arabic_slug("الولايات المتحدة الأمريكية تعلن عن استراتيجية جديدة في الشرق الأوسط وشمال أفريقيا")
    assert len(slug) <= 60
    assert slug == "الولايات-المتحدة-الأمريكية-تعلن-عن-استراتيجية-جديدة-في-الشرق"
    assert arabic_slug("ا\u0654ن") == "أن"  # decomposed hamza composes (NFC)
    assert arabic_slug("الاستراتيجية" * 10, max_length=20) == ("الاستراتيجية" * 10)[:20]


def test_make_slug_styles() -> None:
    assert make_slug("داعش يخسر الرقة", "ascii") == transliterate("داعش يخسر الرقة") == "daash-ykhsr-al-rqa"
    assert make_slug("داعش يخسر الرقة", "arabic") == "داعش-يخسر-الرقة"
    with pytest.raises(ValueError, match='unknown slug style "latin"'):
        make_slug("x", "latin")


def test_joiner_handling_is_idempotent() -> None:
    # Every mix of joiners, letters, marks, emoji, digits and separators settles after one pass.
    pieces = ["\u200c", "\u200d", "ب", " ", "\U0001f468", "\ufe0f", "\u064e", "1", "\u200b"]
    for combination in itertools.product(pieces, repeat=4):
        once = normalise_text("".join(combination))
        assert normalise_text(once) == once, combination
