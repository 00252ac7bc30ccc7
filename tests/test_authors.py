"""Authors: one identity across languages from [[authors]] (folded spellings), pages per author (paginated,
with a feed), the author index, and the author linked from articles."""

from __future__ import annotations

import re

from generator.authors import AuthorDirectory, make_directory
from generator.config import AuthorDef
from tests.conftest import SiteDir, build_twice

AUTHORS = """
[[authors]]
slug = "ahmad-khatib"
ar = "أحمد الخطيب"
en = "Ahmad al-Khatib"

[[authors]]
slug = "fatima"
ar = "فاطمة الزهراء"
en = "Fatima Zahra"
"""


def write(site: SiteDir, lang: str, slug: str, author: str, date: str = "2017-09-28", key: str = "",
          title: str = "") -> None:
    """An article by author (as written), optionally a translation (translation_key: key)."""
    lines = [f"title: {title or slug}", f"slug: {slug}", f"date: {date}", f'author: "{author}"']
    if key:
        lines.append(f"translation_key: {key}")
    site.write(f"content/{lang}/{slug}.md", "---\n" + "\n".join(lines) + "\n---\nنص.\n")


def configure(site: SiteDir, rest: str = AUTHORS, **settings: str) -> None:
    """Append rest to site.toml and replace top-level settings (page_size = 2, base_url = "/")."""
    path = site.root / "site.toml"
    text = path.read_text(encoding="utf-8")
    for key, value in settings.items():
        text, count = re.subn(rf"^{key} = .*$", f"{key} = {value}", text, count=1, flags=re.MULTILINE)
        assert count == 1
    path.write_text(text + rest, encoding="utf-8")


def hreflangs(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([a-z-]+)" href="([^"]+)">', html))


# ---------- identity ----------

def directory() -> AuthorDirectory:
    return make_directory((AuthorDef("ahmad-khatib", {"ar": "أحمد الخطيب", "en": "Ahmad al-Khatib"}),
                           AuthorDef("fatima", {"ar": "فاطمة الزهراء", "en": "Fatima Zahra"})))


def test_names_in_either_language_and_folded_spellings_resolve_to_one_author():
    authors = directory()
    for written, lang in [("أحمد الخطيب", "ar"), ("احمد الخطيب", "ar"), ("إحمد  الخطيب", "ar"),
                          ("أَحْمَد الخطيب", "ar"), ("Ahmad al-Khatib", "en"), ("ahmad AL-KHATIB", "en"),
                          ("ahmad-khatib", "en"), ("Ahmad al-Khatib", "ar")]:
        author = authors.resolve(written, lang)
        assert author.slug == "ahmad-khatib", written
        assert (author.name("ar"), author.name("en")) == ("أحمد الخطيب", "Ahmad al-Khatib")
    # Ta marbuta written as ha, and alef maqsura: the same author.
    assert authors.resolve("فاطمه الزهراء", "ar").slug == "fatima"


def test_an_author_the_table_lacks_gets_a_slug_of_the_name_in_that_language_only():
    authors = directory()
    unknown = authors.resolve("سامي العلي", "ar")
    assert unknown.slug == "samy-al-aly" and dict(unknown.names) == {"ar": "سامي العلي"}
    # Spelt with a hamza or without, the same slug: one page.
    assert authors.resolve("سامى العلى", "ar").slug == unknown.slug
    assert authors.resolve("Jane Doe", "en").slug == "jane-doe"
    assert authors.resolve("!!!", "en").slug == "author"


def test_an_author_in_both_languages_has_pages_that_are_each_others_alternates(make_site):
    site = make_site()
    configure(site)
    write(site, "ar", "one", "احمد الخطيب", key="one")  # without the hamza
    write(site, "en", "one-en", "Ahmad al-Khatib", key="one")
    result = site.build("--strict")
    assert result.code == 0, result.err
    ar = site.read("ar/authors/ahmad-khatib/index.html")
    en = site.read("en/authors/ahmad-khatib/index.html")
    # The page names the author as [[authors]] does, isolated, whatever spelling the article used.
    assert '<h1><bdi dir="rtl" class="author">أحمد الخطيب</bdi></h1>' in ar
    assert '<h1><bdi dir="ltr" class="author">Ahmad al-Khatib</bdi></h1>' in en
    base = "https://warraq-observatory.github.io/"
    expected = {"ar": f"{base}ar/authors/ahmad-khatib/", "en": f"{base}en/authors/ahmad-khatib/",
                "x-default": f"{base}ar/authors/ahmad-khatib/"}
    assert hreflangs(ar) == expected and hreflangs(en) == expected
    assert '<a href="/en/authors/ahmad-khatib/" hreflang="en" lang="en">English</a></li>' in ar


def test_an_unknown_author_has_a_page_in_their_language_only(make_site):
    site = make_site()
    write(site, "ar", "one", "سامي العلي")
    write(site, "en", "two", "Jane Doe")
    assert site.build("--strict").code == 0
    ar = site.read("ar/authors/samy-al-aly/index.html")
    assert not (site.root / "output/en/authors/samy-al-aly").exists()
    assert not (site.root / "output/ar/authors/jane-doe").exists()
    # The switcher goes to the other language's author index, marked as not translated.
    assert re.search(r'<a href="/en/authors/" hreflang="en" lang="en">English</a> <span class="lang-note">', ar)
    assert hreflangs(ar) == {"ar": "https://warraq-observatory.github.io/ar/authors/samy-al-aly/"}


# ---------- pages, pagination, feeds ----------

def test_author_pages_paginate_like_tags_and_have_a_feed(make_site):
    site = make_site()
    configure(site, page_size="2")
    for day in range(1, 6):
        write(site, "ar", f"a{day}", "فاطمه الزهراء", date=f"2017-09-0{day}")
    write(site, "ar", "other", "سامي العلي", date="2017-09-09")
    result = site.build("--strict")
    assert result.code == 0, result.err
    pages = [site.read(f"ar/authors/fatima/{suffix}index.html") for suffix in ("", "page/2/", "page/3/")]
    assert not (site.root / "output/ar/authors/fatima/page/4").exists()
    found = [re.findall(r'<h2 class="card-title"><a href="/ar/2017/09/(a\d)/">', page) for page in pages]
    assert found == [["a5", "a4"], ["a3", "a2"], ["a1"]]
    assert 'aria-label="الصفحة 2"' in pages[0] and 'rel="next"' in pages[0]
    assert "<title>فاطمة الزهراء · الصفحة 2 · " in pages[1]
    feed = (site.root / "output/ar/authors/fatima/feed.xml").read_text(encoding="utf-8")
    assert re.findall(r"<id>https://warraq-observatory.github.io/ar/2017/09/(a\d)/</id>", feed) == \
        ["a5", "a4", "a3", "a2", "a1"]
    assert "<title>فاطمة الزهراء — " in feed and "<name>فاطمه الزهراء</name>" in feed
    assert 'href="/ar/authors/fatima/feed.xml"' in pages[0]
    index = site.read("ar/authors/index.html")
    # Alphabetical (Arabic collation: سين before فاء), with counts.
    assert re.findall(r'<li><a href="/ar/authors/([a-z-]+)/">', index) == ["samy-al-aly", "fatima"]
    assert "5 مقالات" in index and "كاتبان" in index


def test_no_author_feed_without_a_host_in_base_url(make_site):
    site = make_site()
    configure(site, base_url='"/"')
    write(site, "ar", "one", "فاطمة الزهراء")
    assert site.build().code == 0
    assert (site.root / "output/ar/authors/fatima/index.html").exists()
    assert not (site.root / "output/ar/authors/fatima/feed.xml").exists()


def test_the_article_and_listings_link_the_authors_page(make_site):
    site = make_site()
    configure(site)
    write(site, "ar", "one", "أحمد الخطيب")
    write(site, "en", "two", "Ahmad al-Khatib")
    assert site.build("--strict").code == 0
    article = site.read("ar/2017/09/one/index.html")
    assert '<dd><a href="/ar/authors/ahmad-khatib/" rel="author"><bdi dir="rtl" class="author">أحمد الخطيب</bdi></a></dd>' \
        in article
    home = site.read("en/index.html")
    assert '<a class="author-link" href="/en/authors/ahmad-khatib/"><bdi dir="ltr" class="author">Ahmad al-Khatib</bdi></a>' \
        in home
    # The footer links the author index only where the language has authors.
    assert '<a href="/ar/authors/">الكتّاب</a>' in article


def test_no_author_pages_or_link_when_no_article_names_one(make_site):
    site = make_site()
    site.write("content/ar/one.md", "---\ntitle: بلا كاتب\nslug: one\ndate: 2017-09-28\n---\nنص.\n")
    assert site.build("--strict").code == 0
    assert not (site.root / "output/ar/authors").exists()
    assert "/ar/authors/" not in site.read("ar/2017/09/one/index.html")


def test_a_bad_authors_table_is_reported_at_its_line(make_site):
    site = make_site()
    configure(site, '\n[[authors]]\nslug = "Bad Slug"\nar = "س"\ncolour = 1\n\n[[authors]]\nslug = "ok"\n'
                    '\n[[authors]]\nslug = "ok"\nen = "Twice"\n')
    write(site, "ar", "one", "س")
    result = site.build()
    assert result.code == 1
    lines = (site.root / "site.toml").read_text(encoding="utf-8").splitlines()
    bad = next(n for n, line in enumerate(lines, 1) if line.startswith('slug = "Bad Slug"'))
    ok = [n for n, line in enumerate(lines, 1) if line.startswith('slug = "ok"')]
    assert result.err.splitlines()[:-1] == [
        f'site.toml:{bad}: author slug "Bad Slug" must be lower-case ASCII letters, digits and hyphens',
        f'site.toml:{bad + 2}: unknown key "colour" in [[authors]]',
        f'site.toml:{ok[0]}: author "ok" in [[authors]] needs a name: ar = "...", en = "..."',
        f'site.toml:{ok[1]}: author slug "ok" is defined twice',
    ]


def test_author_pages_build_byte_identically_twice(make_site, tmp_path):
    site = make_site()
    configure(site)
    for number in range(4):
        write(site, "ar", f"a{number}", ["أحمد الخطيب", "فاطمة الزهراء", "سامي العلي", "Jane Doe"][number],
              date=f"2017-0{number + 1}-01")
    one, two = build_twice(site, tmp_path)
    assert one == two and any("authors" in str(path) for path in one)
