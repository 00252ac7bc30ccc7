"""Tests for generator.i18n: loading and checking .po catalogs, plural forms, and extraction."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from generator.errors import Problem
from generator.i18n import Catalogs, extract_messages, load_catalogs

TEMPLATES = Path(__file__).parent / "data" / "i18n" / "templates"

ARABIC_PLURALS = (
    "nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : "
    "n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);"
)
ENGLISH_PLURALS = "nplurals=2; plural=(n != 1);"

ARABIC_BODY = """
msgid "Tags"
msgstr "الوسوم"

msgid "%(num)s article"
msgid_plural "%(num)s articles"
msgstr[0] "لا مقالات"
msgstr[1] "مقال واحد"
msgstr[2] "مقالان"
msgstr[3] "%(num)s مقالات"
msgstr[4] "%(num)s مقالًا"
msgstr[5] "%(num)s مقال"
"""

ENGLISH_BODY = """
msgid "Tags"
msgstr "Tags"

msgid "%(num)s article"
msgid_plural "%(num)s articles"
msgstr[0] "%(num)s article"
msgstr[1] "%(num)s articles"
"""

REQUIRED = frozenset({"Tags", "%(num)s article"})


def write_catalog(locale_dir: Path, lang: str, body: str, plural_forms: str | None) -> Path:
    """Write a messages.po with a minimal header (no Language: line, as hand-made files often lack it)."""
    path = locale_dir / lang / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True, exist_ok=True)
    header = 'msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n'
    if plural_forms is not None:
        header += f'"Plural-Forms: {plural_forms}\\n"\n'
    path.write_text(header + body, encoding="utf-8")
    return path


@pytest.fixture
def locales(tmp_path: Path) -> Path:
    """A theme locales folder with complete Arabic and English catalogs."""
    locale_dir = tmp_path / "themes" / "default" / "locales"
    write_catalog(locale_dir, "ar", ARABIC_BODY, ARABIC_PLURALS)
    write_catalog(locale_dir, "en", ENGLISH_BODY, ENGLISH_PLURALS)
    return locale_dir


def load(tmp_path: Path, locale_dirs: list[Path], languages=("ar", "en"), required=REQUIRED):
    """Load catalogs with tmp_path as the site root."""
    return load_catalogs(locale_dirs, list(languages), required, tmp_path)


def test_complete_catalogs_load_without_problems(tmp_path, locales):
    catalogs, problems = load(tmp_path, [locales])
    assert problems == []
    assert isinstance(catalogs, Catalogs)
    assert catalogs.languages == ("ar", "en")
    assert catalogs.translations("ar").gettext("Tags") == "الوسوم"
    assert catalogs.translations("en").gettext("Tags") == "Tags"


def test_arabic_ngettext_gives_six_forms(tmp_path, locales):
    catalogs, _ = load(tmp_path, [locales])
    arabic = catalogs.translations("ar")
    shown = [
        arabic.ngettext("%(num)s article", "%(num)s articles", n) % {"num": n}
        for n in (0, 1, 2, 3, 11, 100)
    ]
    assert shown == ["لا مقالات", "مقال واحد", "مقالان", "3 مقالات", "11 مقالًا", "100 مقال"]
    english = catalogs.translations("en")
    assert english.ngettext("%(num)s article", "%(num)s articles", 1) == "%(num)s article"
    assert english.ngettext("%(num)s article", "%(num)s articles", 0) == "%(num)s articles"


def test_jinja_trans_block_uses_arabic_plural_forms(tmp_path, locales):
    catalogs, _ = load(tmp_path, [locales])
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    env.install_gettext_translations(catalogs.translations("ar"), newstyle=True)
    template = env.from_string(
        "{{ _('Tags') }}: {% trans num=n %}{{ num }} article{% pluralize %}{{ num }} articles{% endtrans %}"
    )
    assert template.render(n=11) == "الوسوم: 11 مقالًا"
    assert template.render(n=2) == "الوسوم: مقالان"


def test_unknown_language_lookup_is_an_error(tmp_path, locales):
    catalogs, _ = load(tmp_path, [locales], languages=("ar",))
    with pytest.raises(LookupError, match='no catalog loaded for language "en"'):
        catalogs.translations("en")


def test_missing_string_is_reported_with_catalog_path(tmp_path, locales):
    _, problems = load(tmp_path, [locales], required=REQUIRED | {"Archives"})
    assert [str(p) for p in problems] == [
        'themes/default/locales/ar/LC_MESSAGES/messages.po:1: missing translation for "Archives" in language "ar"',
        'themes/default/locales/en/LC_MESSAGES/messages.po:1: missing translation for "Archives" in language "en"',
    ]
    assert all(isinstance(p, Problem) and not p.is_warning for p in problems)


def test_empty_msgstr_is_missing_at_its_line(tmp_path):
    locale_dir = tmp_path / "locales"
    write_catalog(locale_dir, "ar", '\nmsgid "Tags"\nmsgstr ""\n', ARABIC_PLURALS)
    _, problems = load(tmp_path, [locale_dir], languages=("ar",), required={"Tags"})
    assert [str(p) for p in problems] == [
        'locales/ar/LC_MESSAGES/messages.po:6: missing translation for "Tags" in language "ar"'
    ]


def test_fuzzy_translation_is_reported_because_gettext_ignores_it(tmp_path):
    locale_dir = tmp_path / "locales"
    write_catalog(locale_dir, "ar", '\n#, fuzzy\nmsgid "Tags"\nmsgstr "وسوم"\n', ARABIC_PLURALS)
    catalogs, problems = load(tmp_path, [locale_dir], languages=("ar",), required={"Tags"})
    assert [str(p) for p in problems] == [
        'locales/ar/LC_MESSAGES/messages.po:7: translation for "Tags" in language "ar" '
        "is marked fuzzy, so it would not be used"
    ]
    assert catalogs.translations("ar").gettext("Tags") == "Tags"


def test_missing_catalog_names_the_expected_path(tmp_path, locales):
    _, problems = load(tmp_path, [locales], languages=("ar", "fr"))
    assert [str(p) for p in problems] == [
        'themes/default/locales/fr/LC_MESSAGES/messages.po:1: missing catalog for language "fr"'
    ]


def test_missing_catalog_with_parent_theme_names_both_paths(tmp_path, locales):
    child = tmp_path / "themes" / "child" / "locales"
    child.mkdir(parents=True)
    catalogs, problems = load(tmp_path, [child, locales], languages=("ar", "fr"))
    assert [str(p) for p in problems] == [
        'themes/child/locales/fr/LC_MESSAGES/messages.po:1: missing catalog for language "fr" '
        "(also looked for themes/default/locales/fr/LC_MESSAGES/messages.po)"
    ]
    assert catalogs.translations("ar").gettext("Tags") == "الوسوم"


def test_child_theme_catalog_wins_over_parent(tmp_path, locales):
    child = tmp_path / "themes" / "child" / "locales"
    write_catalog(child, "ar", ARABIC_BODY.replace('"الوسوم"', '"الكلمات المفتاحية"'), ARABIC_PLURALS)
    catalogs, problems = load(tmp_path, [child, locales])
    assert problems == []
    assert catalogs.translations("ar").gettext("Tags") == "الكلمات المفتاحية"


def test_broken_po_is_reported_with_its_one_based_line(tmp_path, locales):
    path = locales / "ar" / "LC_MESSAGES" / "messages.po"
    path.write_text(path.read_text(encoding="utf-8") + '\nmsgid "Home"\nthis is not po\n', encoding="utf-8")
    broken_line = len(path.read_text(encoding="utf-8").splitlines())
    catalogs, problems = load(tmp_path, [locales])
    assert [str(p) for p in problems] == [
        f"themes/default/locales/ar/LC_MESSAGES/messages.po:{broken_line}: "
        'cannot read catalog for language "ar": Unknown or misformatted keyword'
    ]
    assert catalogs.languages == ("en",)


def test_more_plural_forms_than_header_allows_is_a_parse_error(tmp_path):
    locale_dir = tmp_path / "locales"
    body = '\nmsgid "%(num)s article"\nmsgid_plural "%(num)s articles"\nmsgstr[0] "a"\nmsgstr[1] "b"\nmsgstr[2] "c"\n'
    write_catalog(locale_dir, "en", body, ENGLISH_PLURALS)
    _, problems = load(tmp_path, [locale_dir], languages=("en",), required=set())
    assert [str(p) for p in problems] == [
        'locales/en/LC_MESSAGES/messages.po:6: cannot read catalog for language "en": '
        "msg has more translations than num_plurals of catalog"
    ]


def test_unparsable_plural_expression_is_reported(tmp_path):
    locale_dir = tmp_path / "locales"
    write_catalog(locale_dir, "ar", ARABIC_BODY, "nplurals=6; plural=(n==0 ? 0 : 5;")
    _, problems = load(tmp_path, [locale_dir], languages=("ar",))
    assert len(problems) == 1
    assert str(problems[0]).startswith(
        'locales/ar/LC_MESSAGES/messages.po:1: cannot read catalog for language "ar": '
    )


def test_incomplete_plural_entry_is_reported(tmp_path):
    locale_dir = tmp_path / "locales"
    body = ARABIC_BODY.replace('msgstr[4] "%(num)s مقالًا"\n', "").replace('msgstr[5] "%(num)s مقال"\n', "")
    write_catalog(locale_dir, "ar", body, ARABIC_PLURALS)
    _, problems = load(tmp_path, [locale_dir], languages=("ar",))
    assert [str(p) for p in problems] == [
        'locales/ar/LC_MESSAGES/messages.po:9: plural translation for "%(num)s article" in language "ar" '
        "has 4 of the 6 forms required by its Plural-Forms header"
    ]


def test_plural_entries_need_a_plural_forms_header(tmp_path):
    locale_dir = tmp_path / "locales"
    write_catalog(locale_dir, "ar", ARABIC_BODY, plural_forms=None)
    _, problems = load(tmp_path, [locale_dir], languages=("ar",))
    assert [str(p) for p in problems] == [
        'locales/ar/LC_MESSAGES/messages.po:1: catalog for language "ar" has plural entries '
        "but no Plural-Forms header"
    ]


def test_catalog_without_plurals_needs_no_plural_forms_header(tmp_path):
    locale_dir = tmp_path / "locales"
    write_catalog(locale_dir, "en", '\nmsgid "Tags"\nmsgstr "Tags"\n', plural_forms=None)
    _, problems = load(tmp_path, [locale_dir], languages=("en",), required={"Tags"})
    assert problems == []


def test_english_catalog_must_carry_every_string(tmp_path, locales):
    write_catalog(locales, "en", '\nmsgid "Tags"\nmsgstr "Tags"\n', ENGLISH_PLURALS)
    _, problems = load(tmp_path, [locales])
    assert [str(p) for p in problems] == [
        'themes/default/locales/en/LC_MESSAGES/messages.po:1: missing translation for "%(num)s article" in language "en"'
    ]


def test_extract_messages_from_templates():
    assert extract_messages(TEMPLATES) == {
        "Main menu",
        "Home",
        "Tags",
        "%(num)s article",  # trans ... pluralize: the singular is the msgid
        "%(num)s comment",  # ngettext
        "\n  Read more\n",  # untrimmed, exactly as Jinja looks it up without the trimmed policy
        "Powered by Warraq",  # in a folder starting with "_", which Babel's own walk skips
        "Latest articles",  # .xml templates count too
    }


def test_extract_messages_trimmed_matches_trimmed_policy():
    messages = extract_messages(TEMPLATES, trimmed=True)
    assert "Read more" in messages
    assert "\n  Read more\n" not in messages


def test_extracted_messages_feed_the_completeness_check(tmp_path, locales):
    required = extract_messages(TEMPLATES, trimmed=True)
    _, problems = load(tmp_path, [locales], languages=("ar",), required=required)
    missing = sorted(p.message for p in problems)
    assert missing == [
        f'missing translation for "{msgid}" in language "ar"'
        for msgid in sorted(required - REQUIRED)
    ]
    assert len(missing) == 6


def test_quick_gettext_renders_every_page_as_jinjas_own_does(make_site) -> None:
    """theme.install_quick_gettext replaces Jinja's newstyle gettext for speed, and i18n.ConstantTranslations
    compiles constant messages as their translations: every page of a site, in both languages, must come out
    byte for byte as it does through Jinja's own callables."""
    from jinja2.ext import _gettext_alias

    from generator.config import load_config
    from generator.content import load_articles
    from generator.pipeline import load_theme_catalogs
    from generator.plan import plan_pages
    from generator.reading import render_bodies
    from generator.site import build_site
    from generator.theme import load_theme, make_environments, render_page

    site = make_site()
    for number in range(1, 24):  # enough for pagination, plural counts and several tags
        site.article("ar", f"a-{number}", title=f"مقال <{number}> & \"اقتباس\"", date=f"2017-0{number % 9 + 1}-1{number % 9}",
                     tags="سوريا, isis" if number % 2 else "العراق")
    site.article("en", "e-1", title="An <English> & \"quoted\" one", tags="syria")
    config = load_config(site.root)
    articles, _ = load_articles(config)
    built, _ = build_site(articles, config)
    theme = load_theme(config)
    catalogs, _ = load_theme_catalogs(theme, config)
    pages = plan_pages(built, render_bodies(built, catalogs), catalogs)
    quick = make_environments(theme, config, catalogs)
    stock = make_environments(theme, config, catalogs)
    for code, environment in stock.items():
        environment.install_gettext_translations(catalogs.translations(code), newstyle=True)
        environment.globals["_"] = _gettext_alias
        environment.translate_constant = None  # every gettext call left to run (i18n.ConstantTranslations)
    assert quick["ar"].globals["gettext"] is not stock["ar"].globals["gettext"]
    for page in pages:
        assert render_page(page, quick, site.root) == render_page(page, stock, site.root), page.url


@pytest.mark.parametrize("source", [
    "{{ _('Tags') }} {{ _('Page %(number)s of %(count)s', number='<1>', count=2) }}",
    "{% autoescape false %}{{ _('Page %(number)s of %(count)s', number='<1>', count=2) }}{% endautoescape %}",
    "{% trans num=n %}{{ num }} article{% pluralize %}{{ num }} articles{% endtrans %}",
    "{% autoescape false %}{% trans num=n, x='<i>' %}{{ num }} article{% pluralize %}{{ num }} articles{% endtrans %}"
    "{% endautoescape %}",
])
def test_quick_gettext_escapes_as_jinja_does(tmp_path, locales, source) -> None:
    from jinja2.ext import _gettext_alias

    from generator.theme import install_quick_gettext

    catalogs, _ = load(tmp_path, [locales])
    translations = catalogs.translations("ar")
    stock = jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    stock.install_gettext_translations(translations, newstyle=True)
    quick = jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    quick.install_gettext_translations(translations, newstyle=True)
    install_quick_gettext(quick, translations)
    assert stock.globals["_"] is _gettext_alias and quick.globals["_"] is not _gettext_alias
    for n in (1, 2, 11):
        assert quick.from_string(source).render(n=n) == stock.from_string(source).render(n=n)


def test_catalog_saved_with_a_byte_order_mark_is_read_like_every_other_utf8_file(tmp_path, locales):
    # Windows editors (Notepad) save UTF-8 with a BOM; content, seeds and site.toml accept it, so catalogs do too.
    path = locales / "ar" / "LC_MESSAGES" / "messages.po"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    catalogs, problems = load(tmp_path, [locales])
    assert problems == []
    assert catalogs.translations("ar").gettext("Tags") == "الوسوم"


def test_nul_or_utf16_catalog_names_the_encoding_not_a_po_keyword(tmp_path, locales):
    path = locales / "ar" / "LC_MESSAGES" / "messages.po"
    original = path.read_text(encoding="utf-8")
    path.write_bytes(original.encode("utf-8").replace(b"\n", b"\nx\x00\n", 1))
    _, problems = load(tmp_path, [locales])
    assert [str(p) for p in problems] == [
        'themes/default/locales/ar/LC_MESSAGES/messages.po:2: cannot read catalog for language "ar": '
        "a NUL character, which text never holds (UTF-16 without a byte-order mark?); save the file as UTF-8"
    ]
    path.write_bytes(original.encode("utf-16-le"))
    _, problems = load(tmp_path, [locales])
    assert [str(p) for p in problems] == [
        'themes/default/locales/ar/LC_MESSAGES/messages.po:1: cannot read catalog for language "ar": '
        "a NUL character, which text never holds (UTF-16 without a byte-order mark?); save the file as UTF-8"
    ]


def test_a_template_that_is_not_utf8_is_named_with_its_line_not_a_traceback(make_site):
    site = make_site()
    site.article("ar", "one")
    template = site.root / "themes" / "default" / "templates" / "article.html"
    lines = template.read_bytes().count(b"\n")
    template.write_bytes(template.read_bytes() + b"<p>caf\xe9</p>\n")
    run = site.build()
    assert run.code == 1 and "Traceback" not in run.err
    assert run.err.splitlines()[0] == (f"themes/default/templates/article.html:{lines + 1}: not UTF-8 text (byte 0xe9); "
                                       "save the file as UTF-8")
