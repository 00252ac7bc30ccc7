"""Alphabetical order as Arabic and English indexes file names: UCA with CLDR's Arabic tailoring, the article ignored."""

import random

from generator.collation import sort_alphabetically, strip_article


def ordered(names, locale="ar"):
    return sort_alphabetically(names, name=lambda n: n, locale=locale, tiebreak=lambda n: "")


def test_arabic_names_are_filed_without_the_article():
    names = ["العراق", "الولايات المتحدة", "سوريا", "داعش", "الإرهاب", "تركيا", "إيران", "روسيا", "الجزائر", "بيروت"]
    assert ordered(names) == ["الإرهاب", "إيران", "بيروت", "تركيا", "الجزائر", "داعش", "روسيا", "سوريا", "العراق",
                              "الولايات المتحدة"]


def test_hamza_forms_file_with_alif_and_ta_marbuta_with_ta_as_in_dictionaries():
    # Code-point order would put every إ after every أ and both before ا; DUCET alone (pyuca) would too.
    # Hamza forms differ only at the second level (CLDR's ء << أ << ؤ << إ << ئ << ا): إسرائيل before اسرائيل.
    assert ordered(["ابن", "إيران", "أمريكا", "آسيا", "ألمانيا", "اسرائيل", "إسرائيل"]) == [
        "آسيا", "ابن", "إسرائيل", "اسرائيل", "ألمانيا", "أمريكا", "إيران"]
    assert ordered(["تونس", "ثورة", "ة"]) == ["ة", "تونس", "ثورة"]
    assert ordered(["يمن", "ى", "وطن"]) == ["وطن", "ى", "يمن"]


def test_latin_names_in_an_arabic_index_come_after_the_arabic_ones():
    assert ordered(["NATO", "سوريا", "ISIS", "العراق"]) == ["سوريا", "العراق", "ISIS", "NATO"]


def test_english_names_ignore_case_accents_and_a_leading_the():
    assert ordered(["Turkey", "the Gulf", "iran", "Iraq", "ISIS", "Écosse", "Eagle", "Theology"], "en") == [
        "Eagle", "Écosse", "the Gulf", "iran", "Iraq", "ISIS", "Theology", "Turkey"]


def test_the_article_is_taken_off_only_where_a_word_is_left():
    assert strip_article("الإرهاب", "ar") == "إرهاب"
    assert strip_article("  الولايات المتحدة ", "ar_SY") == "ولايات المتحدة"
    assert strip_article("الم", "ar") == "الم"
    assert strip_article("The Hague", "en") == "Hague"
    assert strip_article("Theology", "en") == "Theology"
    assert strip_article("The", "en") == "The"
    assert strip_article("Der Spiegel", "de") == "Der Spiegel"  # a language without a rule: as written


def test_ties_are_broken_by_the_tiebreak_then_code_points_whatever_the_input_order():
    items = [("العراق", "iraq"), ("عراق", "iraq-2"), ("العراق", "al-iraq"), ("سوريا", "syria"), ("سوريا", "sham")]
    # العراق and عراق are filed alike; then the whole name decides, then the slug.
    expected = [("سوريا", "sham"), ("سوريا", "syria"), ("العراق", "al-iraq"), ("العراق", "iraq"), ("عراق", "iraq-2")]
    for seed in range(5):
        shuffled = items[:]
        random.Random(seed).shuffle(shuffled)
        assert sort_alphabetically(shuffled, name=lambda i: i[0], locale="ar", tiebreak=lambda i: i[1]) == expected


def test_the_collation_says_which_table_orders_the_lists():
    from generator.collation import collation_version
    assert collation_version() == "pyuca 1.2 (DUCET 9.0.0), CLDR ar tailoring"  # the version requirements.txt pins


def test_the_order_of_a_shuffled_arabic_index_is_always_the_same():
    names = ["الإرهاب", "إيران", "أمريكا", "آسيا", "ة", "تونس", "مستشفى", "مستشفي", "NATO", "العراق", "عراق"]
    expected = ordered(names)
    for seed in range(10):
        shuffled = names[:]
        random.Random(seed).shuffle(shuffled)
        assert ordered(shuffled) == expected
