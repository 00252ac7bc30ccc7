"""Atom feeds (written through ElementTree, so every title escapes right), the sitemap and robots.txt."""

from __future__ import annotations

import datetime
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any, Iterator, Mapping, Sequence
from urllib.parse import urlsplit

from generator import bidi, urls
from generator.config import Config
from generator.markup import Rendered
from generator.plan import PageSpec
from generator.site import Entry, LanguageSite, Site
from generator.theme import RenderedPage
from generator.views import ArticleView

ATOM_NS = "http://www.w3.org/2005/Atom"
SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
XHTML_NS = "http://www.w3.org/1999/xhtml"
XML_DECLARATION = b'<?xml version="1.0" encoding="utf-8"?>\n'
FEED_SIZE = 20
# An empty feed (a language with no articles yet) still needs <updated>; a fixed instant keeps builds
# byte-identical, where the build time would change the file on every run.
EPOCH = datetime.date(1970, 1, 1)
SITEMAP_URL = "sitemap.xml"
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
    author: str
    entries: tuple[Entry, ...]


def has_host(config: Config) -> bool:
    """Whether base_url names a scheme and host, so that full URLs can be written (urls.absolute's test)."""
    parts = urlsplit(config.base_url)
    return bool(parts.scheme and parts.netloc)


def absolute_path_url(config: Config, path: str) -> str:
    """A full URL for an absolute path that already holds the base path ("/repo/en/..."); the path alone
    when base_url names no host."""
    return urls.absolute(config.base_url, path)


def absolute_url(config: Config, url: str) -> str:
    """A full URL for a site-relative URL ("ar/2017/09/slug/"): origin + base path + url; with base_url
    "/" (no host known) the absolute path "/ar/2017/09/slug/" is the best there is."""
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
                 full_content: bool) -> list[RenderedPage]:
    """One Atom feed per language and one per tag in each language, sorted by URL."""
    feeds = [feed for language_site in site.languages for feed in plan_feeds(language_site)]
    return sorted((RenderedPage(feed.url, render_feed(feed, bodies, config, full_content)) for feed in feeds),
                  key=lambda page: page.url)


def plan_feeds(language_site: LanguageSite) -> list[Feed]:
    """A language's own feed, then one per tag it uses; each lists its newest FEED_SIZE articles."""
    language = language_site.language
    code = language.code
    feeds = [Feed(urls.feed(code), urls.home(code), code, language.title, language.title,
                  language_site.entries[:FEED_SIZE])]
    for slug, entries in language_site.tags.items():
        name = language_site.tag_names[slug].name(code)
        feeds.append(Feed(urls.feed(code, slug), urls.tag(code, slug), code, f"{name} — {language.title}",
                          language.title, entries[:FEED_SIZE]))
    return feeds


def render_feed(feed: Feed, bodies: Mapping[tuple[str, str], Rendered], config: Config,
                full_content: bool) -> bytes:
    """One Atom 1.0 document; <updated> is the newest entry's date (EPOCH when the feed is empty)."""
    root = ET.Element("feed", {"xmlns": ATOM_NS, "xml:lang": feed.lang})
    page = absolute_url(config, feed.page_url)
    add_element(root, "title", feed.title)
    add_element(root, "id", page)
    add_element(root, "link", rel="self", type="application/atom+xml", href=absolute_url(config, feed.url))
    add_element(root, "link", rel="alternate", type="text/html", href=page)
    newest = max((entry.article.date for entry in feed.entries), default=EPOCH)
    add_element(root, "updated", format_timestamp(newest))
    add_element(root, "generator", "Warraq")
    for entry in feed.entries:
        add_entry(root, entry, feed, bodies.get((entry.article.lang, entry.article.slug)), config, full_content)
    return serialise(root)


def add_entry(root: ET.Element, entry: Entry, feed: Feed, body: Rendered | None, config: Config,
              full_content: bool) -> None:
    """An <entry>: title, link, id, dates, author, categories, then the summary or the whole body.
    An empty summary is left out (Atom allows it: the entry has an alternate link)."""
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
        direction = config.language(feed.lang).direction
        content = add_element(element, "content", bidi.wrap_body(str(body.html), direction) if body else "", type="html")
        content.set("xml:base", url)
        content.set("xml:lang", feed.lang)
    elif article.summary:
        add_element(element, "summary", article.summary)


def render_sitemap(pages: Sequence[PageSpec], config: Config) -> RenderedPage:
    """sitemap.xml: every public HTML page (URL ending in "/": not the 404 pages, not the root page that only
    redirects), with lastmod from the articles it shows and hreflang alternates where translated; sorted by loc.
    Written as text rather than through ElementTree, which took a third of a one-article rebuild at 9,000
    pages; the bytes are the same (tests/test_feeds.py compares the two)."""
    listed = sorted(((absolute_url(config, page.url), page) for page in pages if is_public_page(page)),
                    key=lambda item: item[0])
    lines = [f'<urlset xmlns="{SITEMAP_NS}" xmlns:xhtml="{XHTML_NS}">']
    for loc, page in listed:
        lines += sitemap_url_lines(loc, page, config)
    lines.append("</urlset>\n")
    return RenderedPage(SITEMAP_URL, XML_DECLARATION + "\n".join(lines).encode("utf-8"))


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
    left out when base_url names no host (crawlers read robots.txt only at a host's root anyway)."""
    lines = ["User-agent: *", "Allow: /"]
    if has_host(config):
        lines.append(f"Sitemap: {absolute_url(config, SITEMAP_URL)}")
    return RenderedPage(ROBOTS_URL, ("\n".join(lines) + "\n").encode("utf-8"))
