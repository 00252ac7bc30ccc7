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


# A vocabulary shaped like the shipped one: names in two languages and the words that signal each tag.
NEAR_VOCABULARY = make_vocabulary((
    TagDef("syria", {"ar": "سوريا", "en": "Syria"}, ("سوريا", "سورية", "السورية", "Syria", "Syrian", "Damascus")),
    TagDef("iraq", {"ar": "العراق", "en": "Iraq"}, ("العراق", "العراقية", "Iraq", "Iraqi", "Mosul")),
    TagDef("terrorism", {"ar": "الإرهاب", "en": "Terrorism"}, ("الإرهاب", "الإرهابيين", "terrorism", "terrorists")),
    TagDef("united-states", {"ar": "الولايات المتحدة", "en": "United States"}, ("أمريكا", "American")),
))


def test_the_nearest_vocabulary_tag_of_a_near_miss():
    near = {written: (tag.slug if (tag := NEAR_VOCABULARY.nearest(written)) else None) for written in (
        "سورية", "سوريّه", "Syrian war", "الحرب السورية", "Iraqq", "العراقيه", "Terror", "united-state", "امريكا",
        "اللاجئون", "Climate change", "تغير المناخ", "war", "Refugees", "الانتخابات")}
    assert near == {
        "سورية": "syria", "سوريّه": "syria", "Syrian war": "syria", "الحرب السورية": "syria", "Iraqq": "iraq",
        "العراقيه": "iraq", "Terror": "terrorism", "united-state": "united-states", "امريكا": "united-states",
        # Nothing near: sharing "ال" and a plural ending with العراقيون is not nearness.
        "اللاجئون": None, "Climate change": None, "تغير المناخ": None, "war": None, "Refugees": None,
        "الانتخابات": None,
    }


def test_a_vocabulary_tag_is_found_however_it_is_spelled_and_a_stranger_is_not():
    assert NEAR_VOCABULARY.find("الولايات المتّحدة").slug == "united-states"
    assert NEAR_VOCABULARY.find("سورية") is None  # a signal word, not a name: still a warning, with a hint
    assert NEAR_VOCABULARY.find("Refugees") is None


def warnings_of(err: str) -> list[str]:
    return [line for line in err.splitlines() if "vocabulary" in line]


def test_a_tag_missing_from_the_vocabulary_is_a_warning_naming_the_nearest(make_site):
    site = make_site()
    site.article("ar", "flow", tags="سوريا, سورية, اللاجئون, سورية, سوريّة")  # flow list: the line of tags:
    site.write("content/ar/block.md", "---\ntitle: عنوان\nslug: block\ndate: 2017-09-28\ntags:\n  - العراق\n"
                                      "  - الحرب السورية\n  - \"اللاجئون\"\n---\nنص.\n")
    site.write("content/en/one.md", "---\ntitle: One\nslug: one\ndate: 2017-09-28\ntags: Iraqq\n---\nText.\n")
    site.write("content/en/two.md", "---\ntitle: Two\nslug: two\ndate: 2017-09-29\ntags:\n- Syria\n- Syrian war\n"
                                    "- Climate change\n- iraqq\n- Iraqq\n---\nText.\n")
    result = site.build()
    assert result.code == 0, result.err
    assert warnings_of(result.err) == [
        'content/ar/block.md:7: warning: tag "الحرب السورية" is not in the vocabulary of site.toml; '
        'nearest: "سوريا" (slug syria)',
        'content/ar/block.md:8: warning: tag "اللاجئون" is not in the vocabulary of site.toml; no close tag',
        'content/ar/flow.md:6: warning: tag "اللاجئون" is not in the vocabulary of site.toml; no close tag',
        'content/ar/flow.md:6: warning: tag "سورية" is not in the vocabulary of site.toml; '
        'nearest: "سوريا" (slug syria)',
        'content/en/one.md:5: warning: tag "Iraqq" is not in the vocabulary of site.toml; '
        'nearest: "Iraq" (slug iraq)',
        'content/en/two.md:7: warning: tag "Syrian war" is not in the vocabulary of site.toml; '
        'nearest: "Syria" (slug syria)',
        'content/en/two.md:8: warning: tag "Climate change" is not in the vocabulary of site.toml; no close tag',
        'content/en/two.md:9: warning: tag "iraqq" is not in the vocabulary of site.toml; '
        'nearest: "Iraq" (slug iraq)',
    ]
    # Not strict: the pages are built as before, the stranger a one-language tag beside the vocabulary's.
    assert "اللاجئون" in site.read("ar/tags/al-lajiwn/index.html")
    assert "Climate change" in site.read("en/tags/climate-change/index.html")
    strict = site.build("--strict")
    assert strict.code == 1
    assert 'content/en/one.md:5: warning: tag "Iraqq" is not in the vocabulary of site.toml; nearest: "Iraq" ' \
           '(slug iraq)' in strict.err.splitlines()
    assert len(warnings_of(strict.err)) == 8


def test_a_site_whose_tags_are_all_in_the_vocabulary_has_no_tag_warning(make_site):
    site = make_site()
    site.article("ar", "known", tags="سوريا, Syria, syria, الولايات المتّحدة, داعش")
    result = site.build("--strict")
    assert result.code == 0, result.err
    assert warnings_of(result.err) == []


def test_free_tags_that_share_a_slug_are_a_warning_spellings_of_one_name_are_not(make_site):
    """"C++", "C#" and "C" are all c: one tag page would hold them under one name, the others gone."""
    site = make_site()
    site.write("content/ar/a.md", '---\ntitle: أ\nslug: a\ndate: 2017-09-28\ntags:\n  - "C++"\n  - "C#"\n---\nنص.\n')
    site.write("content/ar/b.md", "---\ntitle: ب\nslug: b\ndate: 2017-09-29\ntags:\n  - C\n  - مؤتمر\n---\nنص.\n")
    site.write("content/ar/c.md", "---\ntitle: ج\nslug: c\ndate: 2017-09-30\ntags:\n  - c\n  - موتمر\n---\nنص.\n")
    result = site.build()
    assert result.code == 0, result.err
    assert [line for line in result.err.splitlines() if "has the slug" in line] == [
        'content/ar/a.md:7: warning: tag "C#" has the slug "c", as the tag "C++" has: one tag page for both; add '
        'one of them to the tags of site.toml with a slug of its own',
        'content/ar/b.md:6: warning: tag "C" has the slug "c", as the tag "C++" has: one tag page for both; add '
        'one of them to the tags of site.toml with a slug of its own',
    ]


def test_a_free_tag_with_a_vocabulary_tag_s_slug_is_listed_as_that_tag(make_site):
    """"SYRIA." and "Syriä" are not names of the syria tag, but their page would be /ar/tags/syria/: as tags of
    their own they renamed the vocabulary tag's page after whichever came first."""
    for written in ("SYRIA.", "Syriä", "syria!"):
        assert VOCABULARY.find(written) is None
        tag = VOCABULARY.resolve(written, "ar")
        assert (tag.slug, tag.name("ar"), tag.name("en")) == ("syria", "سوريا", "Syria")
    assert VOCABULARY.resolve("Syria 2", "ar").slug == "syria-2"  # another slug: a tag of its own
    site = make_site()
    # The free spelling first (older article, listed last; the earlier date is read first).
    site.write("content/ar/a.md", '---\ntitle: أ\nslug: a\ndate: 2017-09-27\ntags:\n  - "SYRIA."\n  - "Syriä"\n'
                                  '---\nنص.\n')
    site.write("content/ar/b.md", "---\ntitle: ب\nslug: b\ndate: 2017-09-28\ntags:\n  - سوريا\n---\nنص.\n")
    site.write("content/en/c.md", '---\ntitle: C\nslug: c\ndate: 2017-09-28\ntags:\n  - "SYRIA."\n---\nText.\n')
    result = site.build()
    assert result.code == 0, result.err
    assert [line for line in result.err.splitlines() if "warning" in line] == [
        'content/ar/a.md:6: warning: tag "SYRIA." is not in the vocabulary of site.toml, but stands for '
        '"سوريا" (slug syria): listed as that tag; write "سوريا" to say so',
        'content/ar/a.md:7: warning: tag "Syriä" is not in the vocabulary of site.toml, but stands for '
        '"سوريا" (slug syria): listed as that tag; write "سوريا" to say so',
        'content/en/c.md:6: warning: tag "SYRIA." is not in the vocabulary of site.toml, but stands for '
        '"Syria" (slug syria): listed as that tag; write "Syria" to say so',
    ]
    arabic, english = site.read("ar/tags/syria/index.html"), site.read("en/tags/syria/index.html")
    assert "<h1><bdi dir=\"rtl\">سوريا</bdi></h1>" in arabic and "SYRIA." not in arabic
    assert "/ar/2017/09/a/" in arabic and "/ar/2017/09/b/" in arabic
    assert '<h1><bdi dir="ltr">Syria</bdi></h1>' in english and "/en/2017/09/c/" in english


def test_a_free_tag_that_is_a_vocabulary_name_but_for_punctuation_is_listed_as_that_tag():
    # "سوريا." had a page of its own, /ar/tags/swrya/, beside سوريا's.
    for written in ("سوريا.", "«سوريا»", "سوريا،", "(Syria)"):
        assert VOCABULARY.find(written) is None
        assert VOCABULARY.resolve(written, "ar").slug == "syria"
    assert VOCABULARY.resolve(".", "ar").slug != "syria"
