"""Every feed, sitemap and full URL Warraq writes is valid, with a host and without one.

Feeds are read by feedparser (requirements-dev.txt; no bozo) and checked against the rules of RFC 4287 that
the W3C feed validator enforces (absolute ids, unique within a feed; a self link that is the feed's own
address; updated = the newest entry; an author for every entry; text for every entry; no relative URL in
content). Sitemaps are validated with xmlschema against tests/data/sitemap.xsd, the sitemaps.org 0.9 protocol.
Pages' canonical, hreflang, og:url and JSON-LD URLs must be full, percent-encoded URLs under base_url.
"""

from __future__ import annotations

import io
import json
import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable, Iterator

import feedparser
import pytest
import xmlschema

from generator.linkcheck import pages_outside_sitemap
from generator.serve import ServeState, rebuild, serve_options
from generator.urls import encode_path, origin
from tests.conftest import run_cli

SCHEMA = xmlschema.XMLSchema(Path(__file__).parent / "data" / "sitemap.xsd")
A = "{http://www.w3.org/2005/Atom}"
S = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML_LINK = "{http://www.w3.org/1999/xhtml}link"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XML_BASE = "{http://www.w3.org/XML/1998/namespace}base"
# A full http(s) URL as RFC 3986 allows it: ASCII only, no space, every "%" an escape.
FULL_URL = re.compile(r"https?://[a-z0-9.\-]+(?::[0-9]+)?(?:/(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/]|%[0-9A-F]{2})*)?"
                      r"(?:\?(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-F]{2})*)?"
                      r"(?:#(?:[A-Za-z0-9\-._~!$&'()*+,;=:@/?]|%[0-9A-F]{2})*)?")
RFC_3339 = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})")
NO_HOST = ('{where}: warning: {name} "{value}" names no host: full URLs cannot be written, so this build has no '
           "sitemap.xml, no Atom feeds, no canonical, hreflang, og:url or og:image links and no URLs in JSON-LD "
           "(pages and their links are built as usual); set {name} to the site's address, e.g. "
           '"https://user.github.io/repo/" (the Pages workflow passes its own with --base-url)')


def url_problem(url: str | None, base_url: str) -> str | None:
    """Why url is not a full, percent-encoded URL under base_url (normalised as urls.absolute does); None if it is."""
    if not url:
        return "missing"
    if not FULL_URL.fullmatch(url):
        return f"not a full RFC 3986 URL: {url!r}"
    prefix = site_prefix(base_url)
    if not url.startswith(prefix):
        return f"not under {prefix}: {url!r}"
    return None


def site_prefix(base_url: str) -> str:
    """The full URL of the site's root: "https://example.org/%D9%85/"."""
    return origin(base_url) + encode_path(base_path_of(base_url))


def base_path_of(base_url: str) -> str:
    """The path part of base_url with a slash at each end, as written (not encoded)."""
    path = base_url.split("://", 1)[1].partition("/")[2] if "://" in base_url else base_url
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


# ---------------------------------------------------------------------------
# Feeds
# ---------------------------------------------------------------------------


class _Links(HTMLParser):
    """Every href, src and srcset URL of an HTML fragment."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value is None:
                continue
            if name in ("href", "src", "poster", "cite"):
                self.urls.append(value)
            elif name == "srcset":
                self.urls += [candidate.split()[0] for candidate in value.split(",") if candidate.split()]


def content_urls(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    parser.close()
    return parser.urls


def feed_errors(output: Path, relative: str, base_url: str) -> list[str]:
    """Every way the feed at output/relative breaks RFC 4287 or the W3C feed validator's rules."""
    data = (output / relative).read_bytes()
    errors = []
    parsed = feedparser.parse(data)
    if parsed.bozo:
        errors.append(f"feedparser: {parsed.bozo_exception}")
    if parsed.version != "atom10":
        errors.append(f"feedparser reads it as {parsed.version!r}, not Atom 1.0")
    root = ET.fromstring(data)
    if root.tag != f"{A}feed" or not root.get(XML_LANG):
        errors.append("root is not an Atom <feed> with xml:lang")

    def check_url(where: str, url: str | None) -> None:
        problem = url_problem(url, base_url)
        if problem:
            errors.append(f"{where}: {problem}")

    def links(element: ET.Element, rel: str) -> list[str | None]:
        return [link.get("href") for link in element.findall(f"{A}link") if link.get("rel", "alternate") == rel]

    for name in ("id", "title", "updated"):
        if len(root.findall(f"{A}{name}")) != 1 or not (root.findtext(f"{A}{name}") or "").strip():
            errors.append(f"feed: needs exactly one non-empty <{name}>")
    check_url("feed id", root.findtext(f"{A}id"))
    selves = links(root, "self")
    expected_self = site_prefix(base_url) + relative
    if selves != [expected_self]:
        errors.append(f"feed: self link {selves} is not the feed's address {expected_self}")
    alternates = links(root, "alternate")
    if len(alternates) != 1:
        errors.append("feed: needs one alternate link")
    for url in alternates:
        check_url("feed alternate", url)
    feed_author = (root.findtext(f"{A}author/{A}name") or "").strip()
    ids = []
    newest = ""
    for number, entry in enumerate(root.findall(f"{A}entry"), start=1):
        where = f"entry {number}"
        for name in ("id", "title", "updated", "published"):
            if len(entry.findall(f"{A}{name}")) != 1 or not (entry.findtext(f"{A}{name}") or "").strip():
                errors.append(f"{where}: needs exactly one non-empty <{name}>")
        for name in ("updated", "published"):
            if not RFC_3339.fullmatch(entry.findtext(f"{A}{name}") or ""):
                errors.append(f"{where}: <{name}> is not an RFC 3339 timestamp")
        newest = max(newest, entry.findtext(f"{A}updated") or "")
        ids.append(entry.findtext(f"{A}id"))
        check_url(f"{where} id", ids[-1])
        entry_links = links(entry, "alternate")
        if len(entry_links) != 1:
            errors.append(f"{where}: needs one alternate link")
        for url in entry_links:
            check_url(f"{where} link", url)
        if not feed_author and not (entry.findtext(f"{A}author/{A}name") or "").strip():
            errors.append(f"{where}: no author, and the feed names none")
        content = entry.find(f"{A}content")
        summary = entry.find(f"{A}summary")
        if content is None and not (summary is not None and (summary.text or "").strip()):
            errors.append(f"{where}: neither content nor a non-empty summary")
        if content is not None:
            if content.get(XML_BASE):
                check_url(f"{where} xml:base", content.get(XML_BASE))
            for url in content_urls(content.text or ""):
                if not re.match(r"[a-zA-Z][a-zA-Z0-9+.\-]*:", url):
                    errors.append(f"{where}: relative URL in content: {url!r}")
                elif url.startswith(("http://", "https://")) and not FULL_URL.fullmatch(url):
                    errors.append(f"{where}: URL in content is not percent-encoded: {url!r}")
        for category in entry.findall(f"{A}category"):
            if not category.get("term"):
                errors.append(f"{where}: category without a term")
    if len(set(ids)) != len(ids):
        errors.append(f"entry ids are not unique: {ids}")
    if root.findtext(f"{A}updated") != (newest or root.findtext(f"{A}updated")):
        errors.append(f"feed updated {root.findtext(f'{A}updated')} is not the newest entry's {newest}")
    return [f"{relative}: {error}" for error in errors]


# ---------------------------------------------------------------------------
# Sitemaps
# ---------------------------------------------------------------------------


def sitemap_errors(output: Path, base_url: str, relative: str = "sitemap.xml") -> tuple[list[str], set[str]]:
    """(every schema or URL error of a sitemap and, through an index, its sitemaps; the locs they list)."""
    errors = [f"{relative}: {error.reason} at {error.path}" for error in SCHEMA.iter_errors(str(output / relative))]
    root = ET.parse(output / relative).getroot()
    locs: set[str] = set()
    if root.tag == f"{S}sitemapindex":
        for entry in root.findall(f"{S}sitemap"):
            loc = entry.findtext(f"{S}loc") or ""
            problem = url_problem(loc, base_url)
            if problem:
                errors.append(f"{relative}: {problem}")
                continue
            child = loc[len(site_prefix(base_url)):]
            child_errors, child_locs = sitemap_errors(output, base_url, child)
            errors += child_errors
            locs |= child_locs
        return errors, locs
    for url in root.findall(f"{S}url"):
        loc = url.findtext(f"{S}loc")
        locs.add(loc or "")
        problem = url_problem(loc, base_url)
        if problem:
            errors.append(f"{relative}: loc {problem}")
        for link in url.findall(XHTML_LINK):
            if link.get("rel") != "alternate" or not link.get("hreflang"):
                errors.append(f"{relative}: {loc}: xhtml:link without rel=alternate and hreflang")
            problem = url_problem(link.get("href"), base_url)
            if problem:
                errors.append(f"{relative}: {loc}: hreflang {problem}")
    return errors, locs


# ---------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------


@dataclass
class Head:
    """The URLs a page's <head> gives crawlers and social cards."""

    canonical: list[str]
    hreflang: list[str]
    og: list[str]
    feeds: list[str]
    json_ld: list[dict]


class _HeadParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.head = Head([], [], [], [], [])
        self.in_json = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        rel = values.get("rel", "").split()
        if tag == "link" and "canonical" in rel:
            self.head.canonical.append(values.get("href", ""))
        elif tag == "link" and "alternate" in rel and "hreflang" in values:
            self.head.hreflang.append(values.get("href", ""))
        elif tag == "link" and "alternate" in rel and values.get("type") == "application/atom+xml":
            self.head.feeds.append(values.get("href", ""))
        elif tag == "meta" and values.get("property") in ("og:url", "og:image"):
            self.head.og.append(values.get("content", ""))
        self.in_json = tag == "script" and values.get("type") == "application/ld+json"

    def handle_data(self, data: str) -> None:
        if self.in_json:
            self.head.json_ld.append(json.loads(data))

    def handle_endtag(self, tag: str) -> None:
        self.in_json = False


def read_head(path: Path) -> Head:
    text = path.read_text(encoding="utf-8")
    parser = _HeadParser()
    parser.feed(text[:text.find("</head>")])
    return parser.head


def json_ld_urls(data: object) -> Iterator[str]:
    """Every URL-valued field of a JSON-LD object (url, mainEntityOfPage, image, logo, @id), at any depth."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key in ("url", "mainEntityOfPage", "image", "logo", "@id", "sameAs") and isinstance(value, str):
                yield value
            else:
                yield from json_ld_urls(value)
    elif isinstance(data, list):
        for item in data:
            yield from json_ld_urls(item)


def page_errors(output: Path, base_url: str) -> list[str]:
    """Every page's head URL that is not full and under base_url; every feed link that names no feed."""
    errors = []
    for path in sorted(output.rglob("*.html")):
        relative = path.relative_to(output).as_posix()
        head = read_head(path)
        for url in head.canonical + head.hreflang + head.og + [u for d in head.json_ld for u in json_ld_urls(d)]:
            problem = url_problem(url, base_url)
            if problem:
                errors.append(f"{relative}: {problem}")
        for url in head.feeds:
            base_path = encode_path(base_path_of(base_url))
            if not url.startswith(base_path) or not (output / url[len(base_path):]).is_file():
                errors.append(f"{relative}: feed link {url} names no feed")
        if relative != "404.html" and not relative.endswith("/404.html") and len(head.canonical) != 1:
            errors.append(f"{relative}: {len(head.canonical)} canonical links")
    return errors


def site_errors(output: Path, base_url: str) -> list[str]:
    """Everything wrong with a site built with a host: feeds, sitemap, robots.txt, pages' head URLs."""
    feeds = sorted(path.relative_to(output).as_posix() for path in output.rglob("feed.xml"))
    errors = [error for feed in feeds for error in feed_errors(output, feed, base_url)]
    sitemap, locs = sitemap_errors(output, base_url)
    errors += sitemap
    robots = (output / "robots.txt").read_text(encoding="utf-8").splitlines()
    expected = f"Sitemap: {site_prefix(base_url)}sitemap.xml"
    if robots[-1] != expected:
        errors.append(f"robots.txt: last line {robots[-1]!r} is not {expected!r}")
    errors += page_errors(output, base_url)
    pages = {path.relative_to(output).as_posix() for path in output.rglob("index.html")}
    if len(locs) != len(pages) - 1:  # all but the root page, which only redirects
        errors.append(f"sitemap lists {len(locs)} URLs for {len(pages)} index pages")
    return errors


# ---------------------------------------------------------------------------
# The shipped sample
# ---------------------------------------------------------------------------


def test_the_sample_build_validates_with_zero_errors(sample_site: Path) -> None:
    output = sample_site / "output"
    base_url = "https://warraq-observatory.github.io/"
    assert f'base_url = "{base_url}"' in (sample_site / "site.toml").read_text(encoding="utf-8")
    feeds = sorted(output.rglob("feed.xml"))
    assert len(feeds) >= 4 and (output / "sitemap.xml").is_file()
    assert site_errors(output, base_url) == []


def test_the_sample_site_toml_shows_a_real_address_with_a_comment() -> None:
    text = (Path(__file__).resolve().parent.parent / "site.toml").read_text(encoding="utf-8")
    [line] = [line for line in text.splitlines() if line.startswith("base_url")]
    assert line.startswith('base_url = "https://') and "#" in line and "--base-url" in line


def test_the_checks_catch_broken_feeds_and_sitemaps(tmp_path: Path) -> None:
    """The harness itself: relative ids, a duplicate id, a wrong self link, a relative link in content and a
    bare-path sitemap location are all reported."""
    (tmp_path / "feed.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ar">'
        '<title>t</title><id>/ar/</id><updated>2017-01-01T00:00:00Z</updated>'
        '<link rel="self" href="https://x.org/feed.xml"/><link rel="alternate" href="https://x.org/ar/"/>'
        '<entry><title>a</title><id>/ar/a/</id><updated>2017-01-01T00:00:00Z</updated>'
        '<published>2017-01-01T00:00:00Z</published><link href="https://x.org/ar/a/"/><author><name>n</name></author>'
        '<content type="html">&lt;a href="#fn"&gt;x&lt;/a&gt;</content></entry>'
        '<entry><title>b</title><id>/ar/a/</id><updated>2018-01-01T00:00:00Z</updated>'
        '<published>2018-01-01 00:00</published><link href="https://x.org/ar/b/"/>'
        '<summary>s</summary></entry></feed>', encoding="utf-8")
    assert feed_errors(tmp_path, "feed.xml", "https://x.org/") == [
        "feed.xml: feed id: not a full RFC 3986 URL: '/ar/'",
        "feed.xml: entry 1 id: not a full RFC 3986 URL: '/ar/a/'",
        "feed.xml: entry 1: relative URL in content: '#fn'",
        "feed.xml: entry 2: <published> is not an RFC 3339 timestamp",
        "feed.xml: entry 2 id: not a full RFC 3986 URL: '/ar/a/'",
        "feed.xml: entry 2: no author, and the feed names none",
        "feed.xml: entry ids are not unique: ['/ar/a/', '/ar/a/']",
        "feed.xml: feed updated 2017-01-01T00:00:00Z is not the newest entry's 2018-01-01T00:00:00Z",
    ]
    (tmp_path / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="utf-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        '<url><loc>/ar/</loc><lastmod>2017-09-28T10:00</lastmod></url></urlset>', encoding="utf-8")
    errors, _ = sitemap_errors(tmp_path, "https://x.org/")
    assert any(e.endswith("at /urlset/url/loc") for e in errors), errors  # the schema's own check
    assert any(e.endswith("at /urlset/url/lastmod") for e in errors), errors  # a time with no time zone
    assert errors[-1] == "sitemap.xml: loc not a full RFC 3986 URL: '/ar/'"


# ---------------------------------------------------------------------------
# Varied addresses, Arabic slugs and hostile titles
# ---------------------------------------------------------------------------

HOSTILE = [
    ("ar", "الرقة-بعد-داعش", '"<script>alert(\\"x\\")</script> & \'co\' ]]> &amp; \\u202eمعكوس"', "2017-09-28"),
    ("ar", "مؤتمر-جنيف", '"قبل\\vبعد \\U0001F680 «جنيف ٢»"', "2017-09-29"),
    ("en", "raqqa", "\"Raqqa & 'friends' <b>bold</b> \\\\ back\"", "2017-09-28"),
]
BODY = ("مقدمة [رابط](../) و[وسم](../../../tags/syria/) و[قسم](#مقدمة)[^1] "
        "و<a href=\"?q=1&amp;r=2\">بحث</a>.\n\n## مقدمة\n\nنص.\n\n[^1]: حاشية")


def make_hostile_site(make_site: Callable, base_url: str, feed_content: str = "full") -> Path:
    site = make_site()
    path = site.root / "site.toml"
    text = re.sub(r'^base_url = .*\n', "", path.read_text(encoding="utf-8"), flags=re.M)
    text = re.sub(r'^feed_content = .*\n', "", text, flags=re.M)
    path.write_text(f'base_url = "{base_url}"\nslug_style = "arabic"\nfeed_content = "{feed_content}"\n{text}',
                    encoding="utf-8")
    for lang, slug, title, date in HOSTILE:
        key = "\ntranslation_key: raqqa" if slug in ("raqqa", "الرقة-بعد-داعش") else ""
        site.write(f"content/{lang}/{slug}.md", f"---\ntitle: {title}\nslug: {slug}\ndate: {date}\n"
                                                 f"tags: [syria]{key}\n---\n{BODY}\n")
    return site.root


@pytest.mark.parametrize("base_url", [
    "https://user.github.io/repo/",            # a project site under a sub-path
    "https://example.org/مرصد عربي/",           # an Arabic sub-path with a space
    "http://localhost:8000/",                  # a port
    "https://news.example.org",                # a custom domain, no trailing slash
])
@pytest.mark.parametrize("feed_content", ["full", "summary"])
def test_hostile_titles_and_arabic_slugs_under_any_address_validate(make_site: Callable, base_url: str,
                                                                    feed_content: str) -> None:
    root = make_hostile_site(make_site, base_url, feed_content)
    result = run_cli("build", "--root", str(root), "--strict")
    assert result.code == 0, result.err
    output = root / "output"
    assert site_errors(output, base_url) == []
    arabic = (output / "ar" / "2017" / "09" / "الرقة-بعد-داعش" / "index.html")
    canonical = read_head(arabic).canonical[0]
    assert canonical.endswith("/ar/2017/09/%D8%A7%D9%84%D8%B1%D9%82%D8%A9-%D8%A8%D8%B9%D8%AF-%D8%AF%D8%A7%D8%B9%D8%B4/")
    # An entry's id is its article's canonical URL: stable across builds, and the same in every feed.
    feed = ET.parse(output / "ar" / "feed.xml").getroot()
    assert canonical in [entry.findtext(f"{A}id") for entry in feed.findall(f"{A}entry")]
    parsed = feedparser.parse((output / "ar" / "feed.xml").read_bytes())
    assert parsed.bozo == 0 and '<script>alert("x")</script>' in parsed.entries[-1].title
    if feed_content == "full":  # the link checker agrees: every page in the sitemap, every feed link resolves
        check = run_cli("check", "--site", "--root", str(root))
        assert check.code == 0, check.out + check.err


def test_feeds_and_sitemap_are_the_same_in_a_later_build(make_site: Callable) -> None:
    """Ids and every other byte depend on the input only, not on when the build ran."""
    root = make_hostile_site(make_site, "https://user.github.io/repo/")
    assert run_cli("build", "--root", str(root)).code == 0
    first = {p: p.read_bytes() for p in (root / "output").rglob("*.xml")}
    assert len(first) > 4
    shutil.rmtree(root / "output")
    shutil.rmtree(root / ".warraq-cache", ignore_errors=True)
    assert run_cli("build", "--root", str(root)).code == 0
    assert {p: p.read_bytes() for p in (root / "output").rglob("*.xml")} == first


def test_the_base_url_option_gives_the_host(make_site: Callable) -> None:
    root = make_hostile_site(make_site, "/")
    result = run_cli("build", "--root", str(root), "--strict", "--base-url", "https://user.github.io/r%c3%a9po/")
    assert result.code == 0, result.err
    assert site_errors(root / "output", "https://user.github.io/r%C3%A9po/") == []


# ---------------------------------------------------------------------------
# No host
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(("base_url", "base_path"), [("/", "/"), ("/repo/", "/repo/"), ("/مرصد/", "/%D9%85%D8%B1%D8%B5%D8%AF/")])
def test_without_a_host_one_warning_and_only_what_is_valid_is_written(make_site: Callable, base_url: str,
                                                                       base_path: str) -> None:
    root = make_hostile_site(make_site, base_url)
    result = run_cli("build", "--root", str(root))
    assert result.code == 0, result.err
    warning = NO_HOST.format(where="site.toml:1", name="base_url", value=base_url)
    assert result.err.splitlines() == [warning]
    output = root / "output"
    assert sorted(p.name for p in output.rglob("*.xml")) == []
    assert (output / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\nAllow: /\n"
    pages = sorted(output.rglob("*.html"))
    assert len(pages) > 10
    for path in pages:
        head = read_head(path)
        assert (head.canonical, head.hreflang, head.og, head.feeds) == ([], [], [], []), path
        assert list(json_ld_urls(head.json_ld)) == [], path
        text = path.read_text(encoding="utf-8")
        assert "feed.xml" not in text and "://" not in text.split("</head>")[0].replace("https://schema.org", ""), path
    # Navigation is unchanged: links are paths under the base path, and the link checker finds none broken.
    home = (output / "ar" / "index.html").read_text(encoding="utf-8")
    assert f'href="{base_path}ar/2017/09/' in home
    [article_ld] = read_head(output / "ar" / "2017" / "09" / "الرقة-بعد-داعش" / "index.html").json_ld
    assert article_ld["@type"] == "NewsArticle" and "url" not in article_ld and "url" not in article_ld["publisher"]
    check = run_cli("check", "--site", "--root", str(root))
    assert check.code == 0, check.out + check.err
    assert check.err.splitlines() == [warning]


def test_without_a_host_strict_fails_on_the_warning(make_site: Callable) -> None:
    root = make_hostile_site(make_site, "/repo/")
    result = run_cli("build", "--root", str(root), "--strict")
    assert result.code == 1
    assert NO_HOST.format(where="site.toml:1", name="base_url", value="/repo/") in result.err.splitlines()
    assert not (root / "output" / "index.html").exists()


def test_the_warning_names_the_line_of_base_url_and_the_option(make_site: Callable) -> None:
    site = make_site()
    path = site.root / "site.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('base_url = "https://warraq-observatory.github.io/"',
                                                             'base_url = "/a b/"'), encoding="utf-8")
    line = next(n for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if text.startswith("base_url"))
    assert line == 3
    result = site.build()
    assert result.err.splitlines() == [NO_HOST.format(where="site.toml:3", name="base_url", value="/a b/")]
    result = site.build("--base-url", "/")
    assert result.err.splitlines() == [NO_HOST.format(where="--base-url:1", name="--base-url", value="/")]
    # A host on the command line: no warning whatever site.toml says.
    assert site.build("--base-url", "https://user.github.io/repo/", "--strict").err == ""
    # base_url left out: the default "/" names no host either; the warning points at line 1.
    path.write_text(re.sub(r"^base_url = .*\n", "", path.read_text(encoding="utf-8"), flags=re.M), encoding="utf-8")
    assert site.build().err.splitlines() == [NO_HOST.format(where="site.toml:1", name="base_url", value="/")]


def test_serve_says_it_once_per_rebuild(make_site: Callable) -> None:
    root = make_hostile_site(make_site, "/")
    state = ServeState()
    options = serve_options(root / "output")
    err = io.StringIO()
    warning = NO_HOST.format(where="site.toml:1", name="base_url", value="/")
    assert rebuild(root, options, state, io.StringIO(), err)
    assert err.getvalue().splitlines() == [warning]
    assert rebuild(root, options, state, io.StringIO(), err)
    assert err.getvalue().splitlines() == [warning, warning]


def test_a_split_sitemap_validates_and_check_site_follows_its_index(make_site: Callable,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from generator import feeds

    monkeypatch.setattr(feeds, "SITEMAP_MAX_URLS", 5)
    base_url = "https://example.org/مرصد/"
    root = make_hostile_site(make_site, base_url)
    assert run_cli("build", "--root", str(root), "--strict").code == 0
    output = root / "output"
    children = sorted(path.name for path in output.glob("sitemap-*.xml"))
    assert len(children) >= 4
    assert ET.parse(output / "sitemap.xml").getroot().tag == f"{S}sitemapindex"
    assert site_errors(output, base_url) == []
    check = run_cli("check", "--site", "--root", str(root))
    assert check.code == 0, check.out + check.err
    # A page left out of every child sitemap is found through the index.
    assert pages_outside_sitemap(output, base_url) == []
    child = output / children[0]
    child.write_text(re.sub(r"<url>.*?</url>", "", child.read_text(encoding="utf-8"), count=1, flags=re.S),
                     encoding="utf-8")
    assert pages_outside_sitemap(output, base_url) != []
