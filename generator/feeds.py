"""Atom feeds (written through ElementTree, so every title escapes right), the sitemap and robots.txt.

Feeds and sitemaps are made of full URLs (RFC 4287 ids are IRIs; sitemaps.org asks for full locations), so
they are written only when base_url names a host; urls.no_host_problem() says so once per build otherwise."""

from __future__ import annotations

import datetime
import html
import re
import xml.etree.ElementTree as ET
import hashlib
from dataclasses import dataclass
from functools import partial
from typing import Any, Iterator, Mapping, Sequence
from urllib.parse import quote, urljoin, urlsplit

from generator import bidi, urls
from generator.cache import Memo, memo_key
from generator.config import Config
from generator.markup import Rendered
from generator.plan import PageSpec
from generator.site import Entry, LanguageSite, Site
from generator.pages import RenderedPage
from generator.views import ArticleView
from generator.writer import KnownFile

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'
FEED_SIZE = 20
# An empty feed (a language with no articles yet) still needs <updated>; a fixed instant keeps builds
# byte-identical, where the build time would change the file on every run.
EPOCH = datetime.date(1970, 1, 1)
SITEMAP_URL = "sitemap.xml"
# The protocol's limits for one sitemap file (sitemaps.org): beyond either, sitemap.xml becomes an index of
# sitemap-1.xml, sitemap-2.xml...
SITEMAP_MAX_URLS = 50_000
SITEMAP_MAX_BYTES = 50 * 1024 * 1024
# URL-valued attributes in a rendered body, double-quoted as Python-Markdown and the sanitiser write them.
URL_ATTRIBUTE = re.compile(r'(\s(?:href|src|poster|cite|srcset)=")([^"]*)(")')
HAS_SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.\-]*:")
# What a query or fragment may hold as it is (RFC 3986 pchar, "/" and "?"), "%" for escapes already there.
QUERY_SAFE = "/?:@!$&'()*+,;=-._~%"
ROBOTS_URL = "robots.txt"
# Characters XML 1.0 cannot carry at all, not even escaped; a stray one would make the whole feed unreadable.
NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Any character that escaping or cleaning would change, in text or in a double-quoted attribute.
NEEDS_ESCAPE = re.compile("[&<>\"\x00-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass(frozen=True)
class Feed:
    """One Atom feed before serialisation: what it mirrors and which entries it lists."""

    url: str
    page_url: str
    lang: str
    title: str
    subtitle: str
    author: str
    entries: tuple[Entry, ...]


def has_host(config: Config) -> bool:
    """Whether base_url names a scheme and host, so that full URLs can be written (urls.has_host)."""
    return urls.has_host(config.base_url)


def absolute_path_url(config: Config, path: str) -> str:
    """A full URL for an absolute path that already holds the base path ("/repo/en/..."); "" when base_url
    names no host."""
    return urls.absolute(config.base_url, path)


def absolute_url(config: Config, url: str) -> str:
    """A full URL for a site-relative URL ("ar/2017/09/slug/"): origin + base path + url, percent-encoded;
    "" when base_url names no host."""
    return absolute_path_url(config, urls.href(config.base_path, url))


def format_timestamp(day: datetime.date) -> str:
    """An RFC 3339 timestamp at midnight UTC: articles carry a date, not a time."""
    return f"{day.isoformat()}T00:00:00Z"


def clean_text(text: str) -> str:
    """Drop the characters XML 1.0 forbids, so one bad character cannot break a feed."""
    return NOT_XML.sub("", text)


def add_element(parent: ET.Element, tag: str, text: str | None = None, **attributes: str) -> ET.Element:
    """Append a child element; ElementTree escapes its text and attribute values when serialising."""
    element = ET.SubElement(parent, tag, {name: clean_text(value) for name, value in attributes.items()})
    if text is not None:
        element.text = clean_text(text)
    return element


def serialise(root: ET.Element) -> bytes:
    """UTF-8 bytes with a declaration, indented, ending in a newline."""
    ET.indent(root)
    return XML_DECLARATION + ET.tostring(root, encoding="unicode").encode("utf-8") + b"\n"


def render_feeds(site: Site, bodies: Mapping[tuple[str, str], Rendered], config: Config,
                 full_content: bool, memo: Memo | None = None, global_key: bytes = b"",
                 sources: Mapping[str, bytes] | None = None) -> list[RenderedPage | KnownFile]:
    """One Atom feed per language and one per tag in each language, sorted by URL; none when base_url names
    no host (an Atom id must be a full IRI, and a reader could not follow a bare path). With a memo, a feed
    whose dependency key (feed_key) is the one the last build recorded is a KnownFile of the hash recorded with
    it, serialised only if the writer needs its bytes; every feed's key and hash are recorded for the next
    build (memo "feed_keys")."""
    if not has_host(config):
        return []
    feeds = sorted((feed for language_site in site.languages for feed in plan_feeds(language_site)),
                   key=lambda feed: feed.url)
    if memo is None:
        return [RenderedPage(feed.url, render_feed(feed, bodies, config, full_content)) for feed in feeds]
    recorded: Mapping[str, tuple[bytes, bytes]] = memo.found.get("feed_keys", (b"", {}))[1]
    recording: dict[str, tuple[bytes, bytes]] = {}
    files: list[RenderedPage | KnownFile] = []
    for feed in feeds:
        key = feed_key(feed, global_key, full_content, sources or {})
        found = recorded.get(feed.url)
        if found and found[0] == key:
            files.append(KnownFile(feed.url, found[1], partial(render_feed, feed, bodies, config, full_content)))
        else:
            files.append(RenderedPage(feed.url, render_feed(feed, bodies, config, full_content)))
            found = (key, hashlib.sha256(files[-1].content).digest())
        recording[feed.url] = found
    memo.new["feed_keys"] = (b"", recording)
    return files


def feed_key(feed: Feed, global_key: bytes, full_content: bool, sources: Mapping[str, bytes]) -> bytes:
    """What a feed is made from, as one digest: the global key (settings, code), whether it carries bodies, its
    own fields, and each entry by URL and source digest (ArticleView.source: file, body and images)."""
    return memo_key(global_key, full_content, feed.url, feed.page_url, feed.lang, feed.title, feed.subtitle,
                    feed.author, [(entry.url, sources.get(entry.article.path, b""),
                                   tuple((tag.slug, tag.name(feed.lang)) for tag in entry.tags))
                                  for entry in feed.entries])


def plan_feeds(language_site: LanguageSite) -> list[Feed]:
    """A language's own feed, then one per tag it uses and one per author; each lists its newest FEED_SIZE
    articles."""
    language = language_site.language
    code = language.code
    feeds = [Feed(urls.feed(code), urls.home(code), code, language.title, language.description, language.title,
                  language_site.entries[:FEED_SIZE])]
    for slug, entries in language_site.tags.items():
        name = language_site.tag_names[slug].name(code)
        feeds.append(Feed(urls.feed(code, slug), urls.tag(code, slug), code, f"{name} — {language.title}",
                          language.description, language.title, entries[:FEED_SIZE]))
    for slug, entries in language_site.authors.items():
        # The author's name heads their feed; an entry's own author stays as its article writes it.
        name = language_site.author_names[slug].name(code)
        feeds.append(Feed(urls.author_feed(code, slug), urls.author(code, slug), code, f"{name} — {language.title}",
                          language.description, name, entries[:FEED_SIZE]))
    return feeds


def render_feed(feed: Feed, bodies: Mapping[tuple[str, str], Rendered], config: Config,
                full_content: bool) -> bytes:
    """One Atom 1.0 document (RFC 4287): its id is the page it mirrors (a full URL, the same in every build),
    <updated> the newest entry's date (EPOCH when the feed is empty), and a feed-level author so that every
    entry has one even where the article names none."""
    root = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": feed.lang})
    page = absolute_url(config, feed.page_url)
    add_element(root, "title", feed.title)
    if feed.subtitle:
        add_element(root, "subtitle", feed.subtitle)
    add_element(root, "id", page)
    add_element(root, "link", rel="self", type="application/atom+xml", href=absolute_url(config, feed.url))
    add_element(root, "link", rel="alternate", type="text/html", href=page)
    newest = max((entry.article.date for entry in feed.entries), default=EPOCH)
    add_element(root, "updated", format_timestamp(newest))
    author = add_element(root, "author")
    add_element(author, "name", feed.author)
    add_element(author, "uri", absolute_url(config, urls.home(feed.lang)))
    add_element(root, "generator", "Warraq")
    for entry in feed.entries:
        add_entry(root, entry, feed, bodies.get((entry.article.lang, entry.article.slug)), config, full_content)
    return serialise(root)


def add_entry(root: ET.Element, entry: Entry, feed: Feed, body: Rendered | None, config: Config,
              full_content: bool) -> None:
    """An <entry>: title, link, id (the article's full URL), dates, author, categories, then the whole body or
    a summary (the article's own, else its title, so that every entry has text to show; not an excerpt of
    the body, which a warm rebuild would have to load from the cache for every such article)."""
    article = entry.article
    url = absolute_url(config, entry.url)
    element = add_element(root, "entry")
    add_element(element, "title", article.title)
    add_element(element, "link", rel="alternate", type="text/html", href=url)
    add_element(element, "id", url)
    add_element(element, "published", format_timestamp(article.date))
    add_element(element, "updated", format_timestamp(article.date))
    author = add_element(element, "author")
    add_element(author, "name", article.author or feed.author)
    for tag in entry.tags:
        add_element(element, "category", term=tag.slug, label=tag.name(feed.lang))
    if full_content:
        # xml:base lets readers resolve the body's relative links (footnotes "#fn:1") against the article.
        # A feed reader has no page around the body: the wrapper gives it the language's direction (bidi.py).
        # Every link and image of the body is made a full URL too: some readers ignore xml:base, and the W3C
        # feed validator warns about relative references in content.
        direction = config.language(feed.lang).direction
        text = bidi.wrap_body(absolute_links(str(body.html), url), direction) if body else ""
        content = add_element(element, "content", text, type="html")
        content.set("xml:base", url)
        content.set("xml:lang", feed.lang)
    else:
        add_element(element, "summary", article.summary or article.title)


def absolute_links(body: str, base: str) -> str:
    """A body's HTML with every href, src, poster, cite and srcset URL resolved against base (a full URL)
    and percent-encoded; URLs with a scheme (https:, mailto:) are left as they are."""
    def resolve(match: re.Match[str]) -> str:
        value = html.unescape(match.group(2))
        if match.group(1).strip().startswith("srcset"):
            resolved = ", ".join(" ".join([resolve_url(parts[0], base), *parts[1:]])
                                 for candidate in value.split(",") if (parts := candidate.split()))
        else:
            resolved = resolve_url(value.strip(), base)
        return match.group(1) + html.escape(resolved, quote=True) + match.group(3)

    return URL_ATTRIBUTE.sub(resolve, body)


def resolve_url(value: str, base: str) -> str:
    """One URL of a body, full and percent-encoded; a URL with a scheme, or one no parser can read ("//[oops/",
    which check --site reports), is returned as written."""
    if HAS_SCHEME.match(value):
        return value
    try:
        parts = urlsplit(urljoin(base, value))
    except ValueError:
        return value
    query = f"?{quote(parts.query, safe=QUERY_SAFE)}" if parts.query else ""
    fragment = f"#{quote(parts.fragment, safe=QUERY_SAFE)}" if parts.fragment else ""
    return f"{parts.scheme}://{parts.netloc}{urls.encode_path(parts.path or '/')}{query}{fragment}"


def render_sitemaps(pages: Sequence[PageSpec], config: Config, max_urls: int | None = None,
                    max_bytes: int | None = None, memo: Memo | None = None,
                    global_key: bytes = b"") -> list[RenderedPage | KnownFile]:
    """make_sitemaps; with a memo, when what the sitemap shows of every page (URL, lastmod, translations) is
    what the last build recorded (memo "sitemap"), its files as KnownFile of the hashes recorded, serialised only
    if the writer needs their bytes."""
    if memo is None or not has_host(config):
        return make_sitemaps(pages, config, max_urls, max_bytes)
    key = memo_key(global_key, max_urls or SITEMAP_MAX_URLS, max_bytes or SITEMAP_MAX_BYTES,
                   [(page.url, find_lastmod(page), [(t.lang, t.url) for t in page.context.get("translations", ())],
                     page.context.get("x_default")) for page in pages if is_public_page(page)])
    found = memo.found.get("sitemap")
    if found is None or found[0] != key:
        files = make_sitemaps(pages, config, max_urls, max_bytes)
        found = (key, [(file.url, hashlib.sha256(file.content).digest()) for file in files])
    else:
        files = [KnownFile(url, sha, partial(sitemap_file, url, pages, config, max_urls, max_bytes))
                 for url, sha in found[1]]
    memo.new["sitemap"] = found
    return files


def sitemap_file(url: str, pages: Sequence[PageSpec], config: Config, max_urls: int | None,
                 max_bytes: int | None) -> bytes:
    """The bytes of one of make_sitemaps' files, by its URL (when a kept one must be written after all)."""
    return next(file.content for file in make_sitemaps(pages, config, max_urls, max_bytes) if file.url == url)


def make_sitemaps(pages: Sequence[PageSpec], config: Config, max_urls: int | None = None,
                  max_bytes: int | None = None) -> list[RenderedPage]:
    """sitemap.xml (sitemaps.org 0.9): every public HTML page (URL ending in "/": not the 404 pages, not the
    root page that only redirects), with lastmod from the articles it shows and hreflang alternates where
    translated; sorted by loc. Past max_urls entries or max_bytes bytes (the protocol's limits unless given),
    the entries go to sitemap-1.xml, sitemap-2.xml... and sitemap.xml is their index. None at all when
    base_url names no host: a sitemap lists full URLs. Written as text rather than through ElementTree,
    which took a third of a one-article rebuild at 9,000 pages; the bytes are the same (tests/test_feeds.py
    compares the two)."""
    if not has_host(config):
        return []
    listed = sorted(((absolute_url(config, page.url), page) for page in pages if is_public_page(page)),
                    key=lambda item: item[0])
    entries = [SitemapEntry("\n".join(sitemap_url_lines(loc, page, config)).encode("utf-8"), find_lastmod(page))
               for loc, page in listed]
    # The limits are read here, not bound as defaults, so that a test can lower them for a whole build.
    files = split_sitemap(entries, max_urls or SITEMAP_MAX_URLS, max_bytes or SITEMAP_MAX_BYTES)
    if len(files) == 1:
        return [RenderedPage(SITEMAP_URL, urlset(files[0]))]
    children = [RenderedPage(f"sitemap-{number}.xml", urlset(chunk)) for number, chunk in enumerate(files, start=1)]
    index_lines = [f'<sitemapindex xmlns="{SITEMAP_NS}">']
    for child, chunk in zip(children, files):
        index_lines += ["  <sitemap>", f"    <loc>{escape_text(absolute_url(config, child.url))}</loc>"]
        lastmod = max((entry.lastmod for entry in chunk if entry.lastmod), default=None)
        if lastmod:
            index_lines.append(f"    <lastmod>{escape_text(lastmod)}</lastmod>")
        index_lines.append("  </sitemap>")
    index_lines.append("</sitemapindex>\n")
    return [RenderedPage(SITEMAP_URL, XML_DECLARATION + "\n".join(index_lines).encode("utf-8")), *children]


@dataclass(frozen=True)
class SitemapEntry:
    """One <url> element as UTF-8 lines, and its lastmod for the index."""

    text: bytes
    lastmod: str | None


URLSET_START = f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">'.encode("utf-8")
URLSET_END = b"</urlset>\n"


def urlset(entries: Sequence[SitemapEntry]) -> bytes:
    """One sitemap file: the declaration, <urlset>, the entries one per line group, </urlset>."""
    return b"\n".join([XML_DECLARATION + URLSET_START, *(entry.text for entry in entries), URLSET_END])


def split_sitemap(entries: Sequence[SitemapEntry], max_urls: int,
                  max_bytes: int) -> list[list[SitemapEntry]]:
    """The entries in order, cut into files of at most max_urls entries and max_bytes bytes each (always at
    least one file, which may be empty)."""
    frame = len(XML_DECLARATION + URLSET_START) + len(URLSET_END) + 1  # the line break before </urlset>
    files: list[list[SitemapEntry]] = [[]]
    size = frame
    for entry in entries:
        grown = size + len(entry.text) + 1
        if files[-1] and (len(files[-1]) >= max_urls or grown > max_bytes):
            files.append([])
            grown = frame + len(entry.text) + 1
        files[-1].append(entry)
        size = grown
    return files


def is_public_page(page: PageSpec) -> bool:
    """A page search engines should index: a folder URL (the root "" only redirects; 404s are files)."""
    return page.url.endswith("/")


def sitemap_url_lines(loc: str, page: PageSpec, config: Config) -> list[str]:
    """One <url>, indented as ElementTree.indent would: loc, lastmod when the page shows articles, and its
    translations when it has more than one."""
    lines = ["  <url>", f"    <loc>{escape_text(loc)}</loc>"]
    lastmod = find_lastmod(page)
    if lastmod:
        lines.append(f"    <lastmod>{escape_text(lastmod)}</lastmod>")
    translations = page.context.get("translations", ())
    if len(translations) > 1:
        links = [(translation.lang, translation.url) for translation in translations]
        x_default = page.context.get("x_default")
        if x_default:
            links.append(("x-default", x_default))
        lines += [f'    <xhtml:link rel="alternate" hreflang="{escape_attribute(lang)}" '
                  f'href="{escape_attribute(absolute_path_url(config, url))}" />' for lang, url in links]
    lines.append("  </url>")
    return lines


def escape_text(text: str) -> str:
    """Element text as ElementTree writes it (after dropping what XML cannot carry)."""
    if not NEEDS_ESCAPE.search(text):
        return text  # the usual URL or date: nothing to do
    return clean_text(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def escape_attribute(value: str) -> str:
    """An attribute value as ElementTree writes it in double quotes."""
    if not NEEDS_ESCAPE.search(value):
        return value
    return (escape_text(value).replace('"', "&quot;").replace("\r", "&#13;").replace("\n", "&#10;")
            .replace("\t", "&#09;"))


def find_lastmod(page: PageSpec) -> str | None:
    """The article's date, or the newest date a listing shows; None for pages that list no articles
    (the tag and archive indexes), which then carry no lastmod."""
    if "lastmod" in page.context:
        return page.context["lastmod"]  # a page kept from the last build (plan.PageSpec.kept) says it itself
    return max((article.date.iso for article in shown_articles(page.context)), default=None)


def shown_articles(context: Mapping[str, Any]) -> Iterator[ArticleView]:
    """The ArticleViews a page shows: its article, its listing, or its archive groups."""
    if "article" in context:
        yield context["article"]
    yield from context.get("articles", ())
    for group in context.get("groups", ()):
        yield from group.articles


def render_robots(config: Config) -> RenderedPage:
    """robots.txt allowing everything and naming the sitemap. The Sitemap line needs a full URL, so it is
    left out when base_url names no host (no sitemap is written then)."""
    lines = ["User-agent: *", "Allow: /"]
    if has_host(config):
        lines.append(f"Sitemap: {absolute_url(config, SITEMAP_URL)}")
    return RenderedPage(ROBOTS_URL, ("\n".join(lines) + "\n").encode("utf-8"))
