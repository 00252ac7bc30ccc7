"""Tags share one identity across languages and spellings."""

from generator.config import TagDef
from generator.taxonomy import make_vocabulary, resolve_tags

VOCABULARY = make_vocabulary((
    TagDef("syria", {"ar": "سوريا", "en": "Syria"}, ("سوريا",)),
    TagDef("united-states", {"ar": "الولايات المتحدة", "en": "United States"}, ()),
))


def test_a_tag_resolves_from_either_language_or_its_slug():
    for written in ("سوريا", "Syria", "syria", "SYRIA"):
        assert VOCABULARY.resolve(written, "ar").slug == "syria"


def test_spelling_variants_resolve_after_normalisation():
    assert VOCABULARY.resolve("الولايات المتّحدة", "ar").slug == "united-states"  # shadda
    assert VOCABULARY.resolve("سوريـا", "ar").slug == "syria"  # tatweel


def test_unknown_tags_get_a_transliterated_slug_in_their_language_only():
    tag = VOCABULARY.resolve("اللاجئون", "ar")
    assert tag.slug.isascii() and tag.slug
    assert dict(tag.names) == {"ar": "اللاجئون"}
    assert tag.name("en") == "اللاجئون"  # falls back to the name it has


def test_two_spellings_of_one_tag_count_once():
    tags = resolve_tags(("سوريا", "Syria", "syria"), "ar", VOCABULARY)
    assert [t.slug for t in tags] == ["syria"]
    assert tags[0].name("ar") == "سوريا" and tags[0].name("en") == "Syria"
