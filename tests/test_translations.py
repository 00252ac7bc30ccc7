"""Arabic and English (and a third language) as equals: translations, the switcher, hreflang, tags, plurals."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from generator.i18n import load_catalogs
from tests.conftest import REPO, SiteDir, run_cli

SWITCHER = re.compile(r'<ul class="lang-switch"[^>]*>(.*?)</ul>', re.S)
SWITCH_LINK = re.compile(r'<a href="([^"]+)" hreflang="([^"]+)"[^>]*>[^<]*</a>( <span class="lang-note">)?')
HREFLANG = re.compile(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">')


def switcher(html: str) -> dict[str, tuple[str, bool]]:
    """lang -> (url, exists) from the page's language switcher."""
    [block] = SWITCHER.findall(html)
    return {lang: (url, not note) for url, lang, note in SWITCH_LINK.findall(block)}


# The sample site.toml's host: hreflang links are full URLs.
HOST = "https://warraq-observatory.github.io"


def page_file(output: Path, url: str) -> Path:
    path = output / url.removeprefix(HOST).lstrip("/")
    return path / "index.html" if url.endswith("/") else path


@pytest.fixture
def bilingual(make_site) -> SiteDir:
    """Arabic articles, one of them translated, across two months, with tags in both languages' names."""
    site = make_site()
    site.article("ar", "translated", date="2017-09-28", tags="سوريا, داعش", extra="translation_key: pair")
    site.article("en", "translated-en", title="Translated", date="2017-09-28", tags="Syria",
                 extra="translation_key: pair")
    site.article("ar", "arabic-only", date="2017-10-05", tags="العراق")
    for number in range(11):  # two pages of Arabic home listing (page_size 10), one in English
        site.article("ar", f"filler-{number}", date="2016-01-01")
    assert site.build().code == 0
    return site


def test_an_article_switches_to_its_translation_and_back(bilingual):
    output = bilingual.root / "output"
    arabic = (output / "ar/2017/09/translated/index.html").read_text(encoding="utf-8")
    english = (output / "en/2017/09/translated-en/index.html").read_text(encoding="utf-8")
    assert switcher(arabic) == {"en": ("/en/2017/09/translated-en/", True)}
    assert switcher(english) == {"ar": ("/ar/2017/09/translated/", True)}
    assert '<html lang="en" dir="ltr">' in english


@pytest.mark.parametrize("page, expected", [
    ("ar/2017/10/arabic-only/", ("/en/", False)),          # untranslated article -> home, marked
    ("ar/tags/syria/", ("/en/tags/syria/", True)),         # the same tag
    ("ar/tags/iraq/", ("/en/tags/", False)),               # tag unused in English -> tag index
    ("ar/2017/09/", ("/en/2017/09/", True)),               # the same month
    ("ar/2017/10/", ("/en/2017/", False)),                 # month without English -> its year
    ("ar/2016/", ("/en/archive/", False)),                 # year without English -> archive index
    ("ar/page/2/", ("/en/", False)),                       # page 2 -> page 1
    ("ar/hijri/1437/", ("/en/archive/", False)),           # Hijri year without English -> archive
    ("ar/404.html", ("/en/404.html", True)),
])
def test_the_switcher_falls_back_to_the_nearest_page_that_exists(bilingual, page, expected):
    output = bilingual.root / "output"
    html = page_file(output, page).read_text(encoding="utf-8")
    url, exists = switcher(html)["en"]
    assert (url, exists) == expected
    assert page_file(output, url).is_file()  # never a 404


def test_every_switcher_link_in_the_site_lands_on_a_page(bilingual):
    output = bilingual.root / "output"
    for page in output.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        if 'class="lang-switch"' in html:
            for url, _ in switcher(html).values():
                assert page_file(output, url).is_file(), (page, url)


def test_hreflang_is_reciprocal_and_only_for_pages_that_exist(bilingual):
    output = bilingual.root / "output"
    checked = 0
    for page in sorted(output.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        links = dict(HREFLANG.findall(html))
        for lang, url in links.items():
            target = page_file(output, url)
            assert target.is_file(), (page, url)
            if lang != "x-default":
                back = dict(HREFLANG.findall(target.read_text(encoding="utf-8")))
                assert set(back.items()) == set(links.items()), (page, url)
                checked += 1
    assert checked > 10
    arabic_only = (output / "ar/2017/10/arabic-only/index.html").read_text(encoding="utf-8")
    assert dict(HREFLANG.findall(arabic_only)) == {"ar": f"{HOST}/ar/2017/10/arabic-only/"}
    pair = (output / "ar/2017/09/translated/index.html").read_text(encoding="utf-8")
    assert dict(HREFLANG.findall(pair))["x-default"] == f"{HOST}/ar/2017/09/translated/"
    assert '<meta property="og:locale" content="ar_EG">' in pair
    assert '<meta property="og:locale:alternate" content="en_US">' in pair


def test_a_tag_is_one_identity_named_in_each_language(bilingual):
    output = bilingual.root / "output"
    arabic = (output / "ar/tags/syria/index.html").read_text(encoding="utf-8")
    english = (output / "en/tags/syria/index.html").read_text(encoding="utf-8")
    assert "<h1" in arabic and "سوريا" in arabic.split("<h1", 1)[1].split("</h1>")[0]
    assert "Syria" in english.split("<h1", 1)[1].split("</h1>")[0]
    assert not (output / "en/tags/iraq").exists()  # only Arabic articles carry it
    assert (output / "ar/tags/iraq/index.html").exists()


@pytest.mark.parametrize("count, expected", [
    (0, "لا مقالات"), (1, "مقال واحد"), (2, "مقالان"), (3, "3 مقالات"), (11, "11 مقالًا"), (100, "100 مقال"),
])
def test_the_shipped_arabic_catalog_has_all_six_plural_forms(count, expected):
    catalogs, problems = load_catalogs([REPO / "themes/default/locales"], ["ar"], (), REPO)
    assert problems == []
    text = catalogs.translations("ar").ngettext("%(num)s article", "%(num)s articles", count) % {"num": count}
    assert text == expected


def test_a_string_missing_in_a_configured_language_fails_the_build(make_site):
    site = make_site()
    site.article("ar", "one")
    catalog = site.root / "themes/default/locales/en/LC_MESSAGES/messages.po"
    text = catalog.read_text(encoding="utf-8")
    text = re.sub(r'msgid "Sources"\nmsgstr "Sources"', 'msgid "Sources"\nmsgstr ""', text)
    catalog.write_text(text, encoding="utf-8")
    result = site.build()
    assert result.code == 1
    assert re.search(r'themes/default/locales/en/LC_MESSAGES/messages.po:\d+: missing translation for "Sources" '
                     r'in language "en"', result.err)


def test_check_reports_translation_coverage(bilingual):
    result = run_cli("check", "--root", str(bilingual.root))
    assert result.code == 0
    assert "translations: ar: 13 of 13 articles\n" in result.out  # the translated pair counts once
    assert "translations: en: 1 of 13 articles; not translated: content/ar/arabic-only.md, content/ar/filler-0.md" \
        in result.out


@pytest.fixture(scope="module")
def trilingual(tmp_path_factory) -> Path:
    """A third language, right-to-left but not Arabic (Persian), from configuration and a catalog alone."""
    root = tmp_path_factory.mktemp("tri") / "site"
    shutil.copytree(REPO / "tests/data/trilingual", root)
    shutil.copytree(REPO / "themes/default", root / "themes/default")
    result = run_cli("--root", str(root), "--strict", "--base-url", "https://example.org/")
    assert result.code == 0, result.err
    return root / "output"


def test_a_third_right_to_left_language_gets_direction_dates_and_the_switcher(trilingual):
    persian = (trilingual / "fa/2017/09/sample/index.html").read_text(encoding="utf-8")
    assert '<html lang="fa" dir="rtl">' in persian
    assert "سپتامبر" in persian and "محرم 1439" in persian
    assert switcher(persian) == {"ar": ("/ar/2017/09/sample/", True), "en": ("/en/2017/09/sample/", True)}
    assert set(dict(HREFLANG.findall(persian))) == {"ar", "en", "fa", "x-default"}
    only = (trilingual / "fa/2018/01/only-persian/index.html").read_text(encoding="utf-8")
    assert switcher(only) == {"ar": ("/ar/", False), "en": ("/en/", False)}
    root = (trilingual / "index.html").read_text(encoding="utf-8")
    assert all(f'href="/{code}/"' in root for code in ("ar", "en", "fa"))
