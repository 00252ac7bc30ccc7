"""Atom feeds, sitemap and robots.txt, built from small sites through the real pipeline stages."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping

import pytest

from generator.config import Config, load_config
from generator.content import load_articles
from generator.feeds import (
    FEED_SIZE, absolute_links, absolute_url, render_feeds, render_robots, render_sitemaps,
)
from generator.markup import Rendered
from generator.pipeline import load_theme_catalogs
from generator.reading import render_bodies
from generator.plan import PageSpec, plan_pages
from generator.site import Site, build_site
from generator.pages import RenderedPage
from generator.theme import load_theme


def render_sitemap(pages: list[PageSpec], config: Config) -> RenderedPage:
    """The one sitemap.xml of a site below the protocol's limits."""
    [sitemap] = render_sitemaps(pages, config)
    return sitemap

SUB = "https://user.github.io/repo/"
A = "{http://www.w3.org/2005/Atom}"
S = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML_LINK = "{http://www.w3.org/1999/xhtml}link"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
AR_TITLE = "ورّاق: المرصد"
TRICKY = """<script>alert("x")</script> & 'co' ]]> &amp;"""


@dataclass(frozen=True)
class Built:
    """The real stages' output for one small site."""

    config: Config
    site: Site
    bodies: Mapping[tuple[str, str], Rendered]
    pages: list[PageSpec]


def build_parts(root: Path, base_url: str = SUB) -> Built:
    """Run the pipeline up to planned pages, as build() does, without rendering or writing."""
    config = load_config(root, base_url)
    articles, problems = load_articles(config)
    assert not [p for p in problems if not p.is_warning], problems
    site, _ = build_site(articles, config)
    catalogs, _ = load_theme_catalogs(load_theme(config), config)
    bodies = render_bodies(site, catalogs)
    return Built(config, site, bodies, plan_pages(site, bodies, catalogs))


def feeds_by_url(built: Built, full_content: bool = False) -> dict[str, RenderedPage]:
    return {page.url: page for page in render_feeds(built.site, built.bodies, built.config, full_content)}


def parse(page: RenderedPage) -> ET.Element:
    assert page.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n')
    return ET.fromstring(page.content)


def entry_ids(feed: ET.Element) -> list[str]:
    return [entry.findtext(f"{A}id") for entry in feed.findall(f"{A}entry")]


def link(element: ET.Element, rel: str) -> str:
    return next(l.get("href") for l in element.findall(f"{A}link") if l.get("rel") == rel)


@pytest.fixture
def small_site(make_site: Callable) -> Path:
    """Three Arabic articles over three years, a tricky title, and an ar/en pair plus one English-only article."""
    site = make_site()
    site.article("ar", "old", title="قديم", date="2016-01-05", tags="syria")
    site.article("ar", "mid", title="وسط", date="2017-03-10", tags="iraq", extra="summary: ملخص الوسط")
    site.article("ar", "new", title="جديد", date="2018-07-01", tags="syria, iraq",
                 body="نص **غامق** & <كلام>\n\n[^1]\n\n[^1]: حاشية", extra="summary: ملخص <جديد> & \"آخر\"")
    escaped = TRICKY.replace("\\", "\\\\").replace('"', '\\"')
    site.article("ar", "tricky", title=f'"{escaped}"', date="2017-01-01")
    site.article("ar", "pair-ar", title="زوج", date="2015-05-05", extra="translation_key: pair")
    site.article("en", "pair-en", title="Pair", date="2015-05-06", tags="syria", extra="translation_key: pair")
    site.article("en", "alone", title="Alone", date="2015-06-01")
    return site.root


def test_language_feed_is_atom_with_language_title_and_links(small_site: Path) -> None:
    feed = parse(feeds_by_url(build_parts(small_site))["ar/feed.xml"])
    assert feed.tag == f"{A}feed"
    assert feed.get(XML_LANG) == "ar"
    assert feed.findtext(f"{A}title") == AR_TITLE
    assert feed.findtext(f"{A}id") == "https://user.github.io/repo/ar/"
    assert link(feed, "self") == "https://user.github.io/repo/ar/feed.xml"
    assert link(feed, "alternate") == "https://user.github.io/repo/ar/"
    assert feed.findtext(f"{A}generator") == "Warraq"
    assert feed.findtext(f"{A}subtitle") == "مقالات وتقارير استراتيجية عن المنطقة العربية"
    # A feed-level author: RFC 4287 wants one for every entry, and an article may name none.
    assert feed.findtext(f"{A}author/{A}name") == AR_TITLE
    assert feed.findtext(f"{A}author/{A}uri") == "https://user.github.io/repo/ar/"


def test_entries_are_newest_first_and_updated_is_the_newest_date(small_site: Path) -> None:
    feed = parse(feeds_by_url(build_parts(small_site))["ar/feed.xml"])
    assert entry_ids(feed) == [f"{SUB}ar/2018/07/new/", f"{SUB}ar/2017/03/mid/", f"{SUB}ar/2017/01/tricky/",
                               f"{SUB}ar/2016/01/old/", f"{SUB}ar/2015/05/pair-ar/"]
    assert feed.findtext(f"{A}updated") == "2018-07-01T00:00:00Z"
    first = feed.find(f"{A}entry")
    assert first.findtext(f"{A}published") == "2018-07-01T00:00:00Z"
    assert first.findtext(f"{A}updated") == "2018-07-01T00:00:00Z"
    assert link(first, "alternate") == f"{SUB}ar/2018/07/new/"
    assert first.findtext(f"{A}author/{A}name") == "المرصد"
    assert [(c.get("term"), c.get("label")) for c in first.findall(f"{A}category")] == \
        [("syria", "سوريا"), ("iraq", "العراق")]


def test_title_with_markup_characters_round_trips_exactly(small_site: Path) -> None:
    page = feeds_by_url(build_parts(small_site))["ar/feed.xml"]
    titles = [entry.findtext(f"{A}title") for entry in parse(page).findall(f"{A}entry")]
    assert TRICKY in titles
    assert b"<script>" not in page.content


def test_summary_by_default_and_the_rendered_body_when_full(small_site: Path) -> None:
    built = build_parts(small_site)
    summary_feed = parse(feeds_by_url(built)["ar/feed.xml"])
    newest = summary_feed.find(f"{A}entry")
    assert newest.findtext(f"{A}summary") == 'ملخص <جديد> & "آخر"'
    assert newest.find(f"{A}content") is None
    # "tricky" has no summary: its title stands in, so that every entry has text.
    without_summary = summary_feed.findall(f"{A}entry")[2]
    assert without_summary.findtext(f"{A}summary") == TRICKY
    assert without_summary.find(f"{A}content") is None

    full = parse(feeds_by_url(built, full_content=True)["ar/feed.xml"]).find(f"{A}entry")
    content = full.find(f"{A}content")
    assert content.get("type") == "html"
    assert content.get(XML_BASE) == f"{SUB}ar/2018/07/new/"
    # The body in a wrapper of the language's direction: a feed reader has no page around it (bidi.wrap_body).
    # Relative links (the footnotes) made full URLs: some readers ignore xml:base.
    body = str(built.bodies[("ar", "new")].html).replace('href="#', f'href="{SUB}ar/2018/07/new/#')
    assert content.text == f'<div dir="rtl">{body}</div>'
    assert content.get("{http://www.w3.org/XML/1998/namespace}lang") == "ar"
    assert "<strong>غامق</strong>" in content.text and f'href="{SUB}ar/2018/07/new/#fn:1"' in content.text
    assert 'href="#' not in content.text
    assert full.find(f"{A}summary") is None


def test_tag_feeds_list_only_that_tags_articles(small_site: Path) -> None:
    feeds = feeds_by_url(build_parts(small_site))
    # Author feeds (tests/test_authors.py) are left aside here.
    assert sorted(url for url in feeds if "/authors/" not in url) == [
        "ar/feed.xml", "ar/tags/iraq/feed.xml", "ar/tags/syria/feed.xml", "en/feed.xml", "en/tags/syria/feed.xml"]
    iraq = parse(feeds["ar/tags/iraq/feed.xml"])
    assert entry_ids(iraq) == [f"{SUB}ar/2018/07/new/", f"{SUB}ar/2017/03/mid/"]
    assert iraq.findtext(f"{A}title") == f"العراق — {AR_TITLE}"
    assert iraq.findtext(f"{A}id") == f"{SUB}ar/tags/iraq/"
    assert link(iraq, "self") == f"{SUB}ar/tags/iraq/feed.xml"
    assert iraq.findtext(f"{A}updated") == "2018-07-01T00:00:00Z"
    syria = parse(feeds["ar/tags/syria/feed.xml"])
    assert entry_ids(syria) == [f"{SUB}ar/2018/07/new/", f"{SUB}ar/2016/01/old/"]
    english = parse(feeds["en/tags/syria/feed.xml"])
    assert english.get(XML_LANG) == "en"
    assert english.findtext(f"{A}title") == "Syria — Warraq Observatory"
    assert entry_ids(english) == [f"{SUB}en/2015/05/pair-en/"]


def test_feeds_and_sitemap_are_byte_identical_across_builds(small_site: Path) -> None:
    first, second = build_parts(small_site), build_parts(small_site)
    for full in (False, True):
        assert render_feeds(first.site, first.bodies, first.config, full) == \
            render_feeds(second.site, second.bodies, second.config, full)
    assert render_sitemap(first.pages, first.config) == render_sitemap(second.pages, second.config)


def test_a_feed_keeps_only_the_newest_twenty(make_site: Callable) -> None:
    site = make_site()
    for day in range(1, FEED_SIZE + 3):
        site.article("ar", f"day-{day:02d}", date=f"2017-05-{day:02d}", tags="syria")
    feeds = feeds_by_url(build_parts(site.root))
    for url in ("ar/feed.xml", "ar/tags/syria/feed.xml"):
        ids = entry_ids(parse(feeds[url]))
        assert len(ids) == FEED_SIZE == 20
        assert ids[0] == f"{SUB}ar/2017/05/day-22/" and ids[-1] == f"{SUB}ar/2017/05/day-03/"


def test_an_empty_feed_has_no_entries_and_a_fixed_updated(make_site: Callable) -> None:
    site = make_site()
    site.article("ar", "only", date="2017-05-01")
    feed = parse(feeds_by_url(build_parts(site.root))["en/feed.xml"])
    assert feed.findall(f"{A}entry") == []
    assert feed.findtext(f"{A}updated") == "1970-01-01T00:00:00Z"


def test_author_falls_back_to_the_site_title_and_bad_characters_are_dropped(make_site: Callable) -> None:
    site = make_site()
    site.write("content/ar/anon.md", '---\ntitle: "قبل\\vبعد"\nslug: anon\ndate: 2017-05-01\n---\nنص\n')
    feed = parse(feeds_by_url(build_parts(site.root))["ar/feed.xml"])
    entry = feed.find(f"{A}entry")
    assert entry.findtext(f"{A}author/{A}name") == AR_TITLE
    assert entry.findtext(f"{A}title") == "قبلبعد"


@pytest.mark.parametrize(("base_url", "expected"), [
    ("/", ""),
    ("/repo", ""),
    ("https://example.org", "https://example.org/ar/2017/09/x/"),
    ("https://user.github.io/repo", "https://user.github.io/repo/ar/2017/09/x/"),
    ("https://user.github.io/repo/", "https://user.github.io/repo/ar/2017/09/x/"),
])
def test_absolute_url_joins_the_base_url(base_url: str, expected: str) -> None:
    config = Config(root=Path("."), base_url=base_url, languages=(), default_language="ar")
    assert absolute_url(config, "ar/2017/09/x/") == expected


@pytest.mark.parametrize("base_url", ["/", "/repo/", "/مستودع/"])
def test_without_a_host_there_are_no_feeds_no_sitemap_and_no_feed_links(small_site: Path, base_url: str) -> None:
    built = build_parts(small_site, base_url)
    assert feeds_by_url(built) == {} and feeds_by_url(built, full_content=True) == {}
    assert render_sitemaps(built.pages, built.config) == []
    assert [page.url for page in built.pages if page.context.get("feeds")] == []
    assert {page.context.get("canonical") for page in built.pages} == {""}


def sitemap_urls(built: Built) -> dict[str, ET.Element]:
    root = parse(render_sitemap(built.pages, built.config))
    assert root.tag == f"{S}urlset"
    return {url.findtext(f"{S}loc"): url for url in root.findall(f"{S}url")}


def test_sitemap_lists_every_article_and_listing_page_but_no_404_or_root(small_site: Path) -> None:
    built = build_parts(small_site)
    page = render_sitemap(built.pages, built.config)
    assert page.url == "sitemap.xml"
    locs = list(sitemap_urls(built))
    assert locs == sorted(locs)
    expected = {f"{SUB}{p.url}" for p in built.pages if p.url.endswith("/")}
    assert set(locs) == expected
    for url in ("ar/", "en/", "ar/2018/07/new/", "ar/2017/01/tricky/", "en/2015/06/alone/", "ar/tags/",
                "ar/tags/syria/", "ar/archive/", "ar/2018/", "ar/2018/07/"):
        assert f"{SUB}{url}" in locs
    assert any("/hijri/" in loc for loc in locs)
    assert not [loc for loc in locs if loc.endswith("404.html")]
    assert SUB not in locs  # the root page only redirects
    assert {p.url for p in built.pages} >= {"", "404.html", "ar/404.html"}  # they were there to leave out


def test_sitemap_has_reciprocal_alternates_for_a_translated_pair_only(small_site: Path) -> None:
    urls = sitemap_urls(build_parts(small_site))

    def alternates(loc: str) -> dict[str, str]:
        return {l.get("hreflang"): l.get("href") for l in urls[loc].findall(XHTML_LINK)}

    pair = {"ar": f"{SUB}ar/2015/05/pair-ar/", "en": f"{SUB}en/2015/05/pair-en/",
            "x-default": f"{SUB}ar/2015/05/pair-ar/"}
    assert alternates(f"{SUB}ar/2015/05/pair-ar/") == pair
    assert alternates(f"{SUB}en/2015/05/pair-en/") == pair
    assert all(l.get("rel") == "alternate" for l in urls[f"{SUB}ar/2015/05/pair-ar/"].findall(XHTML_LINK))
    assert alternates(f"{SUB}en/2015/06/alone/") == {}
    assert alternates(f"{SUB}ar/2018/07/new/") == {}
    assert alternates(f"{SUB}en/")["ar"] == f"{SUB}ar/"


def test_sitemap_lastmod_comes_from_the_articles_shown(small_site: Path) -> None:
    urls = sitemap_urls(build_parts(small_site))
    assert urls[f"{SUB}ar/2017/03/mid/"].findtext(f"{S}lastmod") == "2017-03-10"
    assert urls[f"{SUB}ar/"].findtext(f"{S}lastmod") == "2018-07-01"
    assert urls[f"{SUB}ar/tags/syria/"].findtext(f"{S}lastmod") == "2018-07-01"
    assert urls[f"{SUB}ar/2017/"].findtext(f"{S}lastmod") == "2017-03-10"
    assert urls[f"{SUB}en/"].findtext(f"{S}lastmod") == "2015-06-01"
    assert urls[f"{SUB}ar/tags/"].find(f"{S}lastmod") is None


def sitemap_through_elementtree(built: Built, base: str) -> bytes:
    """The sitemap as ElementTree writes it: the reference the hand-written serialiser must match."""
    root = ET.Element("urlset", {"xmlns": S[1:-1], "xmlns:xhtml": XHTML_LINK[1:-5]})
    for page in sorted((p for p in built.pages if p.url.endswith("/")), key=lambda p: p.url):
        url = ET.SubElement(root, "url")
        ET.SubElement(url, "loc").text = f"{base}{page.url}"
        shown = [page.context["article"]] if "article" in page.context else []
        shown += list(page.context.get("articles", ())) + [a for g in page.context.get("groups", ()) for a in g.articles]
        if shown:
            ET.SubElement(url, "lastmod").text = max(a.date.iso for a in shown)
        translations = page.context.get("translations", ())
        if len(translations) > 1:
            links = [(t.lang, t.url) for t in translations] + [("x-default", page.context["x_default"])]
            for lang, href in links:
                ET.SubElement(url, "xhtml:link", rel="alternate", hreflang=lang,
                              href=f"{base[:-len(built.config.base_path)]}{href}" if "//" in base else href)
    ET.indent(root)
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode").encode() + b"\n"


@pytest.mark.parametrize("base_url", [SUB, "https://example.org/a&b/", "http://localhost:8000/"])
def test_sitemap_bytes_match_elementtree(small_site: Path, base_url: str) -> None:
    built = build_parts(small_site, base_url)
    expected = sitemap_through_elementtree(built, absolute_url(built.config, ""))
    assert render_sitemap(built.pages, built.config).content == expected


def test_robots_allows_all_and_points_to_the_sitemap(small_site: Path) -> None:
    robots = render_robots(build_parts(small_site).config)
    assert robots.url == "robots.txt"
    assert robots.content.decode("utf-8").splitlines() == [
        "User-agent: *", "Allow: /", "Sitemap: https://user.github.io/repo/sitemap.xml"]


def test_robots_leaves_out_the_sitemap_line_when_no_host_is_known(small_site: Path) -> None:
    text = render_robots(build_parts(small_site, "/").config).content.decode("utf-8")
    assert text == "User-agent: *\nAllow: /\n"


def test_feed_links_on_pages_point_to_feeds_that_exist(small_site: Path) -> None:
    built = build_parts(small_site)
    feeds = {absolute_url(built.config, url) for url in feeds_by_url(built)}
    linked = {f"https://user.github.io{link.url}" for p in built.pages for link in p.context.get("feeds", ())}
    assert linked <= feeds
    assert f"{SUB}ar/tags/syria/feed.xml" in linked


def without_tail(element: ET.Element) -> bytes:
    """An element's XML without the whitespace that follows it (the last one of a file has less)."""
    element.tail = None
    return ET.tostring(element)


def test_a_sitemap_past_its_url_limit_becomes_an_index_of_sitemaps(small_site: Path) -> None:
    built = build_parts(small_site)
    [whole] = render_sitemaps(built.pages, built.config)
    files = render_sitemaps(built.pages, built.config, max_urls=10)
    locs = list(sitemap_urls(built))
    assert [page.url for page in files] == ["sitemap.xml"] + [f"sitemap-{n}.xml" for n in range(1, (len(locs) + 9) // 10 + 1)]
    index = parse(files[0])
    assert index.tag == f"{S}sitemapindex"
    assert [s.findtext(f"{S}loc") for s in index.findall(f"{S}sitemap")] == [f"{SUB}{page.url}" for page in files[1:]]
    children = [parse(page) for page in files[1:]]
    assert [len(child.findall(f"{S}url")) for child in children][:-1] == [10] * (len(children) - 1)
    # The same entries, in the same order, with the same alternates, as the single sitemap.
    split = [without_tail(url) for child in children for url in child.findall(f"{S}url")]
    assert split == [without_tail(url) for url in parse(whole).findall(f"{S}url")]
    # Each child's lastmod in the index is the newest of its entries.
    for entry, child in zip(index.findall(f"{S}sitemap"), children):
        dates = [url.findtext(f"{S}lastmod") for url in child.findall(f"{S}url") if url.findtext(f"{S}lastmod")]
        assert entry.findtext(f"{S}lastmod") == (max(dates) if dates else None)


def test_a_sitemap_past_its_byte_limit_is_split_and_no_file_exceeds_it(small_site: Path) -> None:
    built = build_parts(small_site)
    [whole] = render_sitemaps(built.pages, built.config)
    limit = len(whole.content) // 3
    files = render_sitemaps(built.pages, built.config, max_bytes=limit)
    assert len(files) >= 4 and parse(files[0]).tag == f"{S}sitemapindex"
    assert all(len(page.content) <= limit for page in files[1:])
    assert sum(len(parse(page).findall(f"{S}url")) for page in files[1:]) == len(sitemap_urls(built))


def test_a_sitemap_at_its_limits_stays_one_file(small_site: Path) -> None:
    built = build_parts(small_site)
    [whole] = render_sitemaps(built.pages, built.config)
    count = len(sitemap_urls(built))
    assert render_sitemaps(built.pages, built.config, max_urls=count, max_bytes=len(whole.content)) == [whole]


def test_full_content_links_and_images_become_full_encoded_urls() -> None:
    base = "https://example.org/repo/ar/2017/09/%D8%A7/"
    body = ('<p><a href="#fn:1">1</a> <a href="/repo/ar/tags/سوريا/">t</a> <a href="../">up</a> '
            '<a href="https://other.org/x?a=1&amp;b=2">x</a> <a href="mailto:a@b.org">m</a> '
            '<img src="img/a b.webp" srcset="img/أ.webp 1x, /repo/static/b.webp 2x" alt=""></p>')
    assert absolute_links(body, base) == (
        f'<p><a href="{base}#fn:1">1</a> <a href="https://example.org/repo/ar/tags/%D8%B3%D9%88%D8%B1%D9%8A%D8%A7/">t</a> '
        '<a href="https://example.org/repo/ar/2017/09/">up</a> '
        '<a href="https://other.org/x?a=1&amp;b=2">x</a> <a href="mailto:a@b.org">m</a> '
        f'<img src="{base}img/a%20b.webp" srcset="{base}img/%D8%A3.webp 1x, https://example.org/repo/static/b.webp 2x" '
        'alt=""></p>')


def test_full_content_keeps_a_link_no_parser_can_read_instead_of_crashing() -> None:
    # "//[oops/" (a bracket never closed) made urlsplit raise: the whole build stopped with a traceback
    # when feed_content = "full". Such a link is left as written (check --site reports it).
    base = "https://example.org/ar/2017/09/a/"
    body = '<p><a href="//[oops/">x</a> <img src="//[::1" alt=""> <a href="b/">ok</a></p>'
    assert absolute_links(body, base) == (
        f'<p><a href="//[oops/">x</a> <img src="//[::1" alt=""> <a href="{base}b/">ok</a></p>')
