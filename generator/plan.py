"""Plan every page of the site: its URL, template and context, before anything is rendered."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any, Callable, Mapping, Sequence

from markupsafe import Markup

from generator import urls
from generator.cards import CARD_HEIGHT, CARD_WIDTH, Card, SocialImage, article_card_url, site_card_url
from generator.collation import sort_alphabetically
from generator.config import Config, Language
from generator.dates import DateDisplay, format_date, format_hijri_year, format_month, hijri_month_name, localise_digits
from generator.errors import Problem
from generator.i18n import PAGED_TITLE, Catalogs
from generator.markup import HTML, Rendered
from generator.metadata import ArticleJsonLd, website_json_ld
from generator.popularity import PAGE_LIMIT, SHORT_LIMIT, most_read
from generator.cache import Memo, memo_key
from generator.related import entry_keys, related_entries
from generator.site import Entry, LanguageSite, Site, group_by_hijri_month, group_by_hijri_year, group_by_month
from generator.taxonomy import Tag
from generator.views import (
    AuthorLink, ReportLink, ArticleLink,
    Alternate, ArchiveGroup, ArchiveYear, ArticleView, CountLink, ImageView, LatestReport, Link, PageInfo, PagerItem,
    Pagination, Report, Notice, SiteLinks, Source, TagCount, TagLink,
)

# A web address in a source line: < > quotes, a backslash and direction marks are never part of one (RFC 3986
# has them percent-encoded), so "<https://x.org/>" links to https://x.org/, not to "https://x.org/>".
URL_IN_TEXT = re.compile("https?://[^\\s<>\"'«»“”‘’\\\\\u200e\u200f\u202a-\u202e\u2066-\u2069]+")

# A page's identity in a language-independent form, e.g. ("tag", "syria", 2); the same identity in
# another language is that page's translation.
Identity = tuple[Any, ...]


@dataclass(frozen=True)
class PageSpec:
    """One page to render: where it goes, with which template, and what the template sees."""

    url: str
    template: str
    lang: str
    context: Mapping[str, Any]
    identity: Identity = ()
    fallbacks: tuple[Identity, ...] = ()
    # True for a page the last build made from exactly these inputs (its dependency key, PageKeys), whose file
    # stays as it is: its context then holds only what the sitemap, the cards and the summary read.
    kept: bool = False
    # A listing page's article views, made after the alternates are linked and only if the page is not kept.
    deferred: Deferred | None = None


@dataclass(frozen=True)
class Deferred:
    """The part of a listing page's context made of article views, made only when the page is not kept: key
    names what it is made from (each article shown by URL and source digest, which cover its view, and the
    other inputs of that part), make() gives the context entries, lastmod is the newest date of the articles
    the page lists (feeds.find_lastmod), which the sitemap reads of a kept page."""

    key: Any
    make: Callable[[], dict[str, Any]]
    lastmod: str | None = None


def combine(parts: Sequence[Deferred]) -> Deferred:
    """Several deferred parts of one page as one."""
    return Deferred(tuple(part.key for part in parts),
                    lambda: {name: value for part in parts for name, value in part.make().items()},
                    max((part.lastmod for part in parts if part.lastmod), default=None))


@dataclass(frozen=True)
class PageKeys:
    """The dependency graph's part in planning: what the last build recorded each article page being made from
    (URL -> dependency key, by language, in the memo), and which pages' files may stay unread (the record of
    output/ is trusted and the cache knows the page). global_key covers templates, catalogs, settings and code."""

    global_key: bytes
    keepable: Callable[[str], bool]


Bodies = Mapping[tuple[str, str], Rendered]
# Article path -> ArticleView.source: a digest of what an article's view is made from.
Sources = Mapping[str, bytes]


def plan_pages(site: Site, bodies: Bodies, catalogs: Catalogs, sources: Sources | None = None,
               images: Mapping[str, ImageView] | None = None, memo: Memo | None = None,
               keys: PageKeys | None = None) -> list[PageSpec]:
    """Every page of every language, plus the root page, with language alternates linked; images gives each
    article's image (ArticleView.image) by its path; memo keeps whole-site results (related lists, alphabetical
    orders, article pages' dependency keys) from one build to the next under a digest of their inputs. With
    keys, an article page whose dependency key is the one recorded is planned as kept (PageSpec.kept)."""
    pages: list[PageSpec] = []
    memo = memo if memo is not None else Memo()
    # (lang, ("article", translation_key)) -> URL, as link_alternates will find it (the last page wins).
    article_urls = {(language_site.language.code, ("article", entry.article.translation_key)): entry.url
                    for language_site in site.languages for entry in language_site.entries}
    for language_site in site.languages:
        translate = catalogs.translations(language_site.language.code).gettext
        planner = _LanguagePlanner(site.config, language_site, bodies, translate, sources or {}, images or {}, memo,
                                   keys, article_urls)
        pages.extend(planner.plan())
    pages = settle_listings(link_alternates(pages, site.config), memo, keys)
    pages.append(plan_root(site.config))
    pages.append(plan_root_not_found(pages, site, catalogs))
    return pages


@dataclass(frozen=True)
class Placed:
    """An article where the last plan put it: its entry, its neighbours in date order and its related articles."""

    entry: Entry
    older: Entry | None
    newer: Entry | None
    related: tuple[Entry, ...]


def place_articles(site: Site, memo: Memo) -> dict[str, Placed]:
    """Every article of site by its source path, placed as plan_pages placed it (memo as plan_pages left it)."""
    placed = {}
    for language_site in site.languages:
        entries = language_site.entries
        by_url = {entry.url: entry for entry in entries}
        related = memo.new.get(f"related:{language_site.language.code}", (b"", {}))[1]
        for index, entry in enumerate(entries):
            placed[entry.article.path] = Placed(
                entry, entries[index + 1] if index + 1 < len(entries) else None, entries[index - 1] if index else None,
                tuple(by_url[url] for url in related.get(entry.url, ())))
    return placed


def replan_article(site: Site, placed: Placed, read_most: Sequence[Entry], bodies: Bodies, catalogs: Catalogs,
                   sources: Sources, images: Mapping[str, ImageView], linked: Mapping[str, Any]) -> PageSpec:
    """One article's page as plan_pages plans it when not kept, for serve's fast render (fast_render.py): placed
    as the last plan placed it (place_articles), read_most its language's most-read list (popularity.most_read)
    and linked the entries link_alternates added to its context, as the last plan made them."""
    lang = placed.entry.article.lang
    language_site = next(found for found in site.languages if found.language.code == lang)
    planner = _LanguagePlanner(site.config, language_site, bodies, catalogs.translations(lang).gettext, sources,
                               images, Memo(), read_most=tuple(read_most))
    page = planner.article_page(placed.entry, placed.older, placed.newer, placed.related)
    return replace(page, context={**page.context, **linked})


def check_collisions(pages: Sequence[PageSpec]) -> list[Problem]:
    """Two pages may not be written to one file; name both sources."""
    seen: dict[str, PageSpec] = {}
    problems = []
    for page in pages:
        if page.url in seen:
            first = seen[page.url]
            problems.append(Problem(_source_of(page), 1, f'two pages would be written to "{page.url}": '
                                                         f"this one and {_source_of(first)}"))
        else:
            seen[page.url] = page
    return problems


def _source_of(page: PageSpec) -> str:
    return str(page.context.get("source_path", page.url))


class _LanguagePlanner:
    """Plans one language's pages; holds the per-language formatting that every page shares."""

    def __init__(self, config: Config, language_site: LanguageSite, bodies: Bodies,
                 translate: Callable[[str], str], sources: Sources, images: Mapping[str, ImageView],
                 memo: Memo, keys: PageKeys | None = None,
                 article_urls: Mapping[tuple[str, Identity], str] | None = None,
                 read_most: tuple[Entry, ...] | None = None) -> None:
        self.config = config
        self.memo = memo
        self.keys = keys
        self.article_urls = article_urls or {}
        self.sources = sources
        self.images = images
        self.translate = translate
        self.site = language_site
        self.language: Language = language_site.language
        self.bodies = bodies
        base_path = config.base_path
        self.href: Callable[[str], str] = lambda url: urls.href(base_path, url)
        self.views: dict[str, ArticleView] = {}
        # A site has few tags and thousands of articles carrying them: one TagLink per tag, shared.
        self.tag_links: dict[str, TagLink] = {}
        # Likewise one ReportLink per report title as written (reports.py), shared by the report's articles.
        self.report_links: dict[str, ReportLink | None] = {}
        code = self.language.code
        # The language's most-read page (popularity.py), found once (or given): its link and its page both need it.
        self.most_read = most_read(language_site.entries, PAGE_LIMIT) if read_most is None else read_most
        self.links = SiteLinks(
            root=self.href(""), home=self.href(urls.home(code)), tags=self.href(urls.tag_index(code)),
            archive=self.href(urls.archive_index(code)),
            authors=self.href(urls.author_index(code)) if language_site.authors else "",
            reports=self.href(urls.report_index(code)) if language_site.reports else "",
            most_read=self.href(urls.most_read(code)) if self.most_read else "",
        )
        # Feeds are written only when base_url names a host (feeds.render_feeds): no link to one that is not.
        self.feeds = (Link(self.language.title, self.href(urls.feed(code))),) if urls.has_host(config.base_url) else ()
        # Every page but an article's announces the language's site card (social cards: cards.py).
        self.site_image = self.social_card(site_card_url(code), self.language.title, "", self.language.description)

    def plan(self) -> list[PageSpec]:
        code = self.language.code
        home = urls.absolute(self.config.base_url, self.links.home)
        pages = self.plan_listing("home", urls.home(code), self.site.entries, ("home",), ("home", 1),
                                  self.language.title, "home.html", {"json_ld": website_json_ld(self.language, home),
                                                                     "most_read": ()},
                                  shared=self.latest_report(), first=self.most_read_part(self.site.entries))
        pages += self.plan_articles()
        pages += self.plan_tags()
        pages += self.plan_most_read()
        pages += self.plan_authors()
        pages += self.plan_reports()
        pages += self.plan_archives()
        pages.append(self.page("search", urls.search(code), "search.html", self.translate("Search"), (("search",),),
                               {"search_bundles": tuple(self.href(urls.search_shard(code, year)) for year in
                                                        sorted({e.article.date.year for e in self.site.entries}, reverse=True))}))
        pages.append(self.page("404", urls.not_found(code), "404.html", self.translate("Page not found"), (("404",),),
                               {"notices": ()}))
        return pages

    def latest_report(self) -> Deferred:
        """The home pages' `latest_report`: the newest article's report (by title) with all its articles in this
        language (LatestReport); None when no article names a report."""
        newest = next((entry.article for entry in self.site.entries if entry.article.report_title), None)
        if newest is None:
            return Deferred(None, lambda: {"latest_report": None})
        entries = tuple(entry for entry in self.site.entries if entry.article.report_title == newest.report_title)
        title, by, url = str(newest.report_title), newest.report_by, self.report_link(newest.report_title).url
        return Deferred(("latest_report", title, by, url, self.refs(entries)), lambda: {
            "latest_report": LatestReport(title, by, tuple(self.view(entry) for entry in entries), url)})

    def refs(self, entries: Sequence[Entry]) -> tuple[tuple[str, bytes], ...]:
        """Articles as a key names them: URL and source digest (ArticleView.source), which cover their views."""
        # Each entry's pair made once and found by the entry's id, in C: listings name an article 8 times on
        # average, 208,000 pairs at 20,000 articles (0.7 s when each was made where it was named).
        try:
            return tuple(map(self.entry_refs.__getitem__, map(id, entries)))
        except KeyError:  # an entry the language's list does not hold (none today): made here
            return tuple(map(self.ref, entries))

    def ref(self, entry: Entry) -> tuple[str, bytes]:
        """An article's pair in refs(): its URL and source digest."""
        return entry.url, self.sources.get(entry.article.path, b"")

    @cached_property
    def entry_refs(self) -> dict[int, tuple[str, bytes]]:
        """id(entry) -> the entry's pair as refs() names it, for every entry of the language (the site holds
        them for the whole build, so their ids are not reused)."""
        return {id(entry): self.ref(entry) for entry in self.site.entries}

    def listed(self, entries: Sequence[Entry], name: str = "articles") -> Deferred:
        """A page's `articles` (or another name): the views of entries, with their newest date as lastmod."""
        return Deferred((name, self.refs(entries)), lambda: {name: tuple(self.view(entry) for entry in entries)},
                        max((entry.article.date.isoformat() for entry in entries), default=None))

    def page(self, kind: str, url: str, template: str, title: str, fallbacks: tuple[Identity, ...],
             extra: dict[str, Any], description: str = "", deferred: Deferred | None = None) -> PageSpec:
        context = {
            "site_title": self.language.title,
            "site_description": self.language.description,
            "lang": self.language,
            "page": PageInfo(kind=kind, url=self.href(url), title=title,
                             description=description or self.language.description),
            # "" when base_url names no host: base.html then writes no canonical, hreflang or og:url.
            "canonical": urls.absolute(self.config.base_url, self.href(url)),
            "links": self.links,
            "feeds": self.feeds,
            "json_ld": Markup(""),
            "social_image": self.site_image,
            **extra,
        }
        return PageSpec(url=url, template=template, lang=self.language.code, context=context,
                        identity=fallbacks[0], fallbacks=fallbacks, deferred=deferred)

    def plan_listing(self, kind: str, first_url: str, entries: tuple[Entry, ...], identity: Identity,
                     parent: Identity, title: str, template: str, extra: dict[str, Any],
                     shared: Deferred | None = None, first: Deferred | None = None) -> list[PageSpec]:
        """A listing split into pages of page_size; an empty listing still gets its first page. Every page has
        extra, and shared's entries; the first page also first's. Its counterpart in another language is the
        same page number, else page 1, else parent, else home."""
        size = self.config.page_size
        chunks = [entries[i:i + size] for i in range(0, len(entries), size)] or [()]
        page_urls = [urls.paged(first_url, number) for number in range(1, len(chunks) + 1)]
        pages = []
        hrefs = [self.href(u) for u in page_urls]
        for number, chunk in enumerate(chunks, start=1):
            fallbacks = ((*identity, number), (*identity, 1), parent, ("home", 1))
            parts = [self.listed(chunk), self.pagination(hrefs, number)]
            parts += [part for part in (shared, first if number == 1 else None) if part is not None]
            pages.append(self.page(kind, page_urls[number - 1], template, self.paged_title(kind, title, number),
                                   fallbacks, extra, deferred=combine(parts)))
        return pages

    def pagination(self, hrefs: Sequence[str], number: int) -> Deferred:
        """Page number's `pagination` among hrefs (the listing's pages; their URLs follow from the page's own and
        their count, so the key names the count)."""
        return Deferred(("pagination", number, len(hrefs)), lambda: {"pagination": Pagination(
            number=number, count=len(hrefs),
            previous_url=hrefs[number - 2] if number > 1 else None,
            next_url=hrefs[number] if number < len(hrefs) else None,
            pages=pager_items(hrefs, number, self.language.digits))})

    def paged_title(self, kind: str, title: str, number: int) -> str:
        """A listing page's title: page 1 keeps the listing's title, later pages add their number
        ("سوريا · الصفحة ٢"), so that no two pages of a listing share a title."""
        if number == 1:
            return title
        # The home page's title is the site's name, which every <title> ends with already.
        shown = self.translate("Latest articles") if kind == "home" else title
        return self.translate(PAGED_TITLE) % {"title": shown, "number": localise_digits(str(number), self.language.digits)}

    def plan_articles(self) -> list[PageSpec]:
        """Article pages, with previous/next in date order within the language."""
        entries = self.site.entries
        related = self.related(entries)
        pages = []
        name = f"page_keys:{self.language.code}"
        # URL -> (dependency key, the kept page's context) as the last build recorded them.
        recorded: Mapping[str, tuple[bytes, dict[str, Any]]] = \
            self.memo.found.get(name, (b"", {}))[1] if self.keys else {}
        keys: dict[str, tuple[bytes, dict[str, Any]]] = {}
        for index, entry in enumerate(entries):
            newer = entries[index - 1] if index > 0 else None
            older = entries[index + 1] if index + 1 < len(entries) else None
            if self.keys:
                key = self.article_key(entry, older, newer, related.get(entry.url, ()))
                found = recorded.get(entry.url)
                if found and found[0] == key and self.keys.keepable(entry.url):
                    keys[entry.url] = found
                    pages.append(self.kept_article(entry, found[1]))
                    continue
            pages.append(self.article_page(entry, older, newer, related.get(entry.url, ())))
            if self.keys:
                keys[entry.url] = (key, kept_context(pages[-1].context))
        if self.keys:
            self.memo.new[name] = (b"", keys)
        return pages

    def article_page(self, entry: Entry, older: Entry | None, newer: Entry | None,
                     related: tuple[Entry, ...]) -> PageSpec:
        """One article's page, its alternates not yet linked: older and newer are its neighbours in date order."""
        # The constructor rather than dataclasses.replace, which costs three times as much here.
        view = ArticleView(**{**vars(self.view(entry)), "previous": self.link(older), "next": self.link(newer)})
        article = entry.article
        template = article.template or "article.html"
        fallbacks = (("article", article.translation_key), ("home", 1))
        canonical = urls.absolute(self.config.base_url, view.url)
        json_ld = ArticleJsonLd(view, canonical, self.language, urls.absolute(self.config.base_url, self.links.home))
        return self.page("article", entry.url, template, article.title, fallbacks,
                         {"article": view, "source_path": article.path, "json_ld": json_ld,
                          # In the page's context, not the view: a report's URL depends on other
                          # articles (its identity and slug), which a view's digest does not cover.
                          "report_page": self.report_link(article.report_title),
                          "social_image": self.article_image(entry, view.image, view.date),
                          "related": tuple(self.article_link(other) for other in related)},
                         description=article.summary)

    @cached_property
    def key_prefix(self) -> bytes:
        """What every article page of the language shares in its dependency key: the global key, the site's
        links and feeds."""
        return memo_key(self.keys.global_key if self.keys else b"", self.links, self.feeds)

    def article_key(self, entry: Entry, older: Entry | None, newer: Entry | None,
                    related: tuple[Entry, ...]) -> bytes:
        """What an article page is made from, as one digest: everything plan_articles puts in its context
        besides the global key (templates, catalogs, settings, code) and the language's links: the article (its
        source digest covers its file, body and images), its neighbours' titles and URLs, its related articles,
        its report's group and its translations' URLs. Equal keys give equal pages (tests/test_warm_cold.py)."""
        article = entry.article
        group = self.site.report_titles.get(article.report_title) if article.report_title else None
        return memo_key(
            self.key_prefix, entry.url, article.path,
            self.sources.get(article.path, b""),
            (older.article.title, older.url) if older else None, (newer.article.title, newer.url) if newer else None,
            # A related article as its link shows it (article_link): not its body, whose edits leave this page be.
            tuple((other.url, other.article.title, other.article.lang, other.article.date, other.hijri,
                   other.article.views) for other in related),
            (group.title, group.slug, group.prepared_by) if group else None,
            tuple(self.article_urls.get((language.code, ("article", article.translation_key)))
                  for language in self.config.languages))

    def kept_article(self, entry: Entry, context: dict[str, Any]) -> PageSpec:
        """An article page kept from the last build, with the context kept_context took of it then (equal keys
        give equal contexts)."""
        article = entry.article
        return PageSpec(url=entry.url, template=article.template or "article.html", lang=self.language.code,
                        context=context, identity=("article", article.translation_key),
                        fallbacks=(("article", article.translation_key), ("home", 1)), kept=True)

    def related(self, entries: tuple[Entry, ...]) -> dict[str, tuple[Entry, ...]]:
        """url -> related entries (related.py, one pass over the language through its inverted index), taken
        from the memo when no article's date, URL, tags, author or report changed since the last build."""
        count = self.config.related_count
        # entry_keys are pairs of strings: sorted as they are (a key function here cost 0.3 s at 20,000 articles).
        key = memo_key(count, [(entry.url, entry.article.date.toordinal(), sorted(entry_keys(entry)))
                               for entry in entries])
        found = self.memo.remember(f"related:{self.language.code}", key, lambda: {
            url: tuple(other.url for other in others) for url, others in related_entries(entries, count).items()})
        by_url = {entry.url: entry for entry in entries}
        return {url: tuple(by_url[other] for other in others) for url, others in found.items()}

    def sort_by_name(self, kind: str, items: list[Any], name: Callable[[Any], str],
                     tiebreak: Callable[[Any], str]) -> tuple[Any, ...]:
        """collation.sort_alphabetically in the language's locale, the order taken from the memo when the names
        are the ones the last build sorted (loading the collation table costs a third of a second)."""
        locale = self.language.locale
        key = memo_key(locale, [(name(item), tiebreak(item)) for item in items])
        order = self.memo.remember(f"order:{kind}:{self.language.code}", key, lambda: [
            index for index, _ in sort_alphabetically(enumerate(items), name=lambda pair: name(pair[1]),
                                                      locale=locale, tiebreak=lambda pair: tiebreak(pair[1]))])
        return tuple(items[index] for index in order)

    def article_image(self, entry: Entry, image: ImageView | None, date: DateDisplay) -> SocialImage:
        """An article's og:image: its own image (front matter's image:, else its first; ArticleView.image), else
        a generated card with its title, the site's name and its date as the page shows it (Hijri too)."""
        if image is not None:
            return SocialImage(image.absolute, image.width, image.height, "")
        return self.social_card(article_card_url(entry.url), entry.article.title, self.language.title, date.full,
                                entry.article.path)

    def social_card(self, url: str, title: str, header: str, footer: str, source: str = "site.toml") -> SocialImage:
        """A generated card at url (relative to the site root) as og:image; with no host in base_url there is no
        full URL to announce it by, so none is drawn (url "", card None); nor with social_cards = false."""
        full = urls.absolute(self.config.base_url, self.href(url)) if self.config.social_cards else ""
        card = Card(url, title, header, footer, self.language.code, self.language.direction, source) if full else None
        return SocialImage(full, CARD_WIDTH, CARD_HEIGHT, title, card)

    def link(self, entry: Entry | None) -> Link | None:
        return Link(entry.article.title, self.href(entry.url)) if entry else None

    def plan_tags(self) -> list[PageSpec]:
        code = self.language.code
        counts = self.sort_by_name(
            "tags", [TagCount(slug=slug, name=self.site.tag_names[slug].name(code), url=self.href(urls.tag(code, slug)),
                              count=len(entries))
                     for slug, entries in self.site.tags.items()],
            name=lambda tag: tag.name, tiebreak=lambda tag: tag.slug)
        pages = [self.page("tag_index", urls.tag_index(code), "tag_index.html", self.translate("Topics"), (("tag_index",),),
                           {"tags": counts})]
        for tag_count in counts:
            tag_link = TagLink(slug=tag_count.slug, name=tag_count.name, url=tag_count.url)
            feeds = (Link(tag_count.name, self.href(urls.feed(code, tag_count.slug))), *self.feeds) if self.feeds else ()
            pages += self.plan_listing("tag", urls.tag(code, tag_count.slug), self.site.tags[tag_count.slug],
                                       ("tag", tag_count.slug), ("tag_index",), tag_count.name, "tag.html",
                                       {"tag": tag_link, "count": tag_count.count, "feeds": feeds, "most_read": ()},
                                       first=self.most_read_part(self.site.tags[tag_count.slug]))
        return pages

    def most_read_part(self, entries: tuple[Entry, ...]) -> Deferred | None:
        """A listing's first page's `most_read`: the SHORT_LIMIT most-read of its entries (popularity.py); None
        when none has views (the page keeps ()). Later pages keep () so that a change in views does not touch
        them."""
        found = most_read(entries, SHORT_LIMIT)
        if not found:
            return None
        return Deferred(("most_read", self.refs(found)),
                        lambda: {"most_read": tuple(self.article_link(entry) for entry in found)})

    def plan_most_read(self) -> list[PageSpec]:
        """The language's most-read page: the PAGE_LIMIT articles with the most views, with their counts; none
        when no article of the language has views."""
        if not self.most_read:
            return []
        found = self.most_read
        return [self.page("most_read", urls.most_read(self.language.code), "most_read.html",
                          self.translate("Most read"), (("most_read",), ("home", 1)), {},
                          deferred=Deferred(("most_read", self.refs(found)), lambda: {
                              "articles": tuple(self.article_link(entry) for entry in found)},
                              max(entry.article.date.isoformat() for entry in found)))]

    def article_link(self, entry: Entry) -> ArticleLink:
        """An article as related and most-read lists show it: the fields of its view those lists print."""
        view = self.view(entry)
        return ArticleLink(view.title, view.url, view.lang, view.date, view.views)

    def plan_authors(self) -> list[PageSpec]:
        """The author index (alphabetical, with counts) and each author's paginated listing with its feed;
        none when no article of the language names an author."""
        code = self.language.code
        if not self.site.authors:
            return []
        authors = self.sort_by_name(
            "authors", [AuthorLink(slug=slug, name=self.site.author_names[slug].name(code),
                                   url=self.href(urls.author(code, slug)), count=len(entries))
                        for slug, entries in self.site.authors.items()],
            name=lambda author: author.name, tiebreak=lambda author: author.slug)
        pages = [self.page("author_index", urls.author_index(code), "author_index.html", self.translate("Authors"),
                           (("author_index",),), {"authors": authors})]
        for author in authors:
            feeds = (Link(author.name, self.href(urls.author_feed(code, author.slug))), *self.feeds) if self.feeds else ()
            pages += self.plan_listing("author", urls.author(code, author.slug), self.site.authors[author.slug],
                                       ("author", author.slug), ("author_index",), author.name, "author.html",
                                       {"author": author, "count": author.count, "feeds": feeds})
        return pages

    def report_link(self, title: str | None) -> ReportLink | None:
        """The report an article of this language names, as a link to its page; None when it names none."""
        if not title:
            return None
        if title not in self.report_links:
            group = self.site.report_titles.get(title)
            # No count: an article page need not change when another article joins its report.
            self.report_links[title] = None if group is None else ReportLink(
                group.title, self.href(urls.report(self.language.code, group.slug)), group.prepared_by)
        return self.report_links[title]

    def plan_reports(self) -> list[PageSpec]:
        """The reports index (numbered reports highest first, then newest first: reports.index_order) and one
        page per report with its articles in report order; none when no article of the language names one.
        A report's identity is shared with the reports its translations name, so the pages are alternates."""
        code = self.language.code
        if not self.site.reports:
            return []
        reports = tuple(ReportLink(group.title, self.href(urls.report(code, group.slug)), group.prepared_by,
                                   len(group.entries), group.number) for group in self.site.reports)
        pages = [self.page("report_index", urls.report_index(code), "report_index.html", self.translate("Reports"),
                           (("report_index",),), {"reports": reports})]
        for group, report in zip(self.site.reports, reports):
            pages.append(self.page("report", urls.report(code, group.slug), "report.html", group.title,
                                   (("report", group.key), ("report_index",)),
                                   {"report": report, "count": report.count}, deferred=self.listed(group.entries)))
        return pages

    def plan_archives(self) -> list[PageSpec]:
        """Archive index, Gregorian year and month pages, and Hijri year pages."""
        code, locale, digits = self.language.code, self.language.locale, self.language.digits
        months = group_by_month(self.site.entries)
        years: dict[int, list[tuple[int, int]]] = {}
        for key in months:
            years.setdefault(key[0], []).append(key)
        pages = []
        year_views = []
        for number, keys in years.items():
            month_links = tuple(CountLink(format_month(y, m, locale, digits), self.href(urls.month(code, y, m)),
                                          len(months[(y, m)])) for y, m in keys)
            label = format_year(number, digits)
            entries = tuple(e for key in keys for e in months[key])
            year_views.append(ArchiveYear(label, self.href(urls.year(code, number)), len(entries), month_links))
            groups = tuple(ArchiveGroup(link.label, link.url, months[key]) for link, key in zip(month_links, keys))
            pages.append(self.archive_page(urls.year(code, number), label, groups,
                                           (("year", number), ("archive_index",))))
            for link, (y, m) in zip(month_links, keys):
                groups = (ArchiveGroup(link.label, None, months[(y, m)]),)
                pages.append(self.archive_page(urls.month(code, y, m), link.label, groups,
                                               (("month", y, m), ("year", y), ("archive_index",))))
        hijri_views = []
        for number, entries in group_by_hijri_year(self.site.entries).items():
            label = format_hijri_year(number, code, digits)
            url = urls.hijri_year(code, number)
            hijri_views.append(ArchiveYear(label, self.href(url), len(entries), ()))
            groups = tuple(ArchiveGroup(f"{hijri_month_name(month, code)} {label}", None, month_entries)
                           for month, month_entries in group_by_hijri_month(entries).items())
            pages.append(self.archive_page(url, label, groups, (("hijri_year", number), ("archive_index",))))
        pages.insert(0, self.page("archive_index", urls.archive_index(code), "archive_index.html", self.translate("Archive"),
                                  (("archive_index",),), {"years": tuple(year_views), "hijri_years": tuple(hijri_views)}))
        return pages

    def archive_page(self, url: str, label: str, groups: tuple[ArchiveGroup, ...],
                     fallbacks: tuple[Identity, ...]) -> PageSpec:
        count = sum(len(g.articles) for g in groups)
        key = ("groups", tuple((g.label, g.url, self.refs(g.articles)) for g in groups))
        deferred = Deferred(key, lambda: {"groups": tuple(ArchiveGroup(g.label, g.url, tuple(self.view(e) for e in g.articles))
                                                          for g in groups)},
                            max((e.article.date.isoformat() for g in groups for e in g.articles), default=None))
        return self.page("archive", url, "archive.html", label, fallbacks, {"count": count}, deferred=deferred)

    def tag_link(self, tag: Tag) -> TagLink:
        """A tag as articles of this language link to it."""
        found = self.tag_links.get(tag.slug)
        if found is None or found.name != tag.name(self.language.code):
            code = self.language.code
            found = self.tag_links[tag.slug] = TagLink(tag.slug, tag.name(code), self.href(urls.tag(code, tag.slug)))
        return found

    def view(self, entry: Entry) -> ArticleView:
        """The template's view of an article, made once per article and reused by every listing."""
        cached = self.views.get(entry.url)
        if cached:
            return cached
        article = entry.article
        body = self.bodies.get((article.lang, article.slug))
        view = ArticleView(
            title=article.title, url=self.href(entry.url), lang=article.lang, author=article.author,
            # entry.hijri is the override or the adjusted conversion already: not converted a second time.
            date=format_date(article.date, self.language.locale, self.language.digits,
                             self.config.hijri_adjustment, entry.hijri),
            views=article.views,
            tags=tuple(self.tag_link(tag) for tag in entry.tags),
            summary=article.summary,
            body=as_markup(body.html) if body else Markup(""), stored_toc=as_markup(body.toc) if body else Markup(""),
            report=Report(article.report_title, article.report_by)
            if article.report_title or article.report_by else None,
            sources=tuple(make_source(text) for text in article.sources),
            previous=None, next=None, draft=article.draft, source=self.sources.get(article.path, b""),
            image=self.images.get(article.path),
            extra=article.extra,
            # The author's page in this language (made from the article's author and [[authors]] only, as
            # the build cache's digest of a view assumes).
            author_url=self.href(urls.author(self.language.code, entry.author.slug)) if entry.author else None,
        )
        self.views[entry.url] = view
        return view


def as_markup(html: str | HTML) -> HTML:
    """A body's HTML for the templates: text becomes Markup, a stand-in that reads it later stays as it is."""
    return Markup(html) if isinstance(html, str) else html


# Page links shown around the current page; a link to every page would make big sites quadratic.
PAGER_RADIUS = 2
# What stands for the pages a pager skips.
PAGER_GAP = "…"


def pager_items(hrefs: Sequence[str], number: int, digits: str) -> tuple[PagerItem, ...]:
    """The first and last pages and those within PAGER_RADIUS of the current one (hrefs[0] is page 1), with a
    gap item where pages are skipped; a gap would hide a single page, so that page is shown instead."""
    last = len(hrefs)
    wanted = {1, last, *range(max(1, number - PAGER_RADIUS), min(last, number + PAGER_RADIUS) + 1)}
    items: list[PagerItem] = []
    previous = 0
    for shown in sorted(wanted):
        if shown - previous == 2:
            items.append(_pager_page(hrefs, shown - 1, number, digits))
        elif shown - previous > 2:
            items.append(PagerItem(PAGER_GAP, None))
        items.append(_pager_page(hrefs, shown, number, digits))
        previous = shown
    return tuple(items)


def _pager_page(hrefs: Sequence[str], shown: int, number: int, digits: str) -> PagerItem:
    return PagerItem(localise_digits(str(shown), digits), hrefs[shown - 1], current=shown == number)


def format_year(number: int, digits: str) -> str:
    """A Gregorian year label: just the number in the language's digits."""
    return localise_digits(str(number), digits)


CLOSED = {")": "(", "]": "["}


def make_source(text: str) -> Source:
    """A source line; the first web address in it becomes its link."""
    found = URL_IN_TEXT.search(text)
    if not found:
        return Source(text=text, url=None)
    url = found.group(0)
    # Sentence marks after the address are not part of it, nor a bracket it does not open (Foo_(bar) keeps its own).
    while url and (url[-1] in ".,;:!?،؛" or url[-1] in ")]" and url.count(url[-1]) > url.count(CLOSED[url[-1]])):
        url = url[:-1]
    return Source(text=text, url=url)


# The context entries link_alternates gives every page.
LINKED = ("alternates", "translations", "x_default")


def link_alternates(pages: list[PageSpec], config: Config) -> list[PageSpec]:
    """Give each page its counterpart in every other language (the same page, or the nearest that exists,
    for the switcher) and the languages it really exists in (for hreflang, reciprocal by construction)."""
    by_identity = {(page.lang, page.identity): page.url for page in pages}
    linked = []
    # One Alternate per (language, URL, exists): thousands of pages link to the same few home and index pages.
    made: dict[tuple[str, str, bool], Alternate] = {}
    for page in pages:
        alternates = []
        translations = []
        for language in config.languages:
            url, exists = _nearest(by_identity, language.code, page.fallbacks)
            alternate = made.get((language.code, url, exists))
            if alternate is None:
                alternate = made[(language.code, url, exists)] = Alternate(
                    language.code, language.name, urls.href(config.base_path, url), exists, language.og_locale)
            if exists:
                translations.append(alternate)
            if language.code != page.lang:
                alternates.append(alternate)
        x_default = next((t.url for t in translations if t.lang == config.default_language), None)
        context = {**page.context, **dict(zip(LINKED, (tuple(alternates), tuple(translations), x_default)))}
        linked.append(PageSpec(page.url, page.template, page.lang, context, page.identity, page.fallbacks, page.kept,
                               page.deferred))
    return linked


# The context entries _LanguagePlanner.page gives every page of a language alike (the site card included).
LANGUAGE_WIDE = ("site_title", "site_description", "lang", "links", "social_image")


def kept_context(context: Mapping[str, Any]) -> dict[str, Any]:
    """What a kept article page's context holds, taken from its whole context: what the sitemap (lastmod; the
    alternates are linked later), the social cards and the summary line read."""
    return {"page": context["page"], "source_path": context["source_path"], "lastmod": context["article"].date.iso,
            "social_image": context["social_image"]}


def settle_listings(pages: list[PageSpec], memo: Memo, keys: PageKeys | None) -> list[PageSpec]:
    """Each listing page (PageSpec.deferred) kept, when its dependency key (global key, template, language, its
    context with alternates linked, and what its deferred part is made from) is the one the last build recorded
    and the page's file may stay unread (PageKeys.keepable); else given its article views. The keys are recorded
    in the memo (page_keys:listings) for the next build."""
    name = "page_keys:listings"
    recorded: Mapping[str, bytes] = memo.found.get(name, (b"", {}))[1] if keys else {}
    new: dict[str, bytes] = {}
    settled = []
    # What every page of a language shares (the very same objects) is pickled once, not once per page; the
    # pages hold those objects, so their ids are not reused while this runs.
    shared: dict[tuple[int, ...], bytes] = {}
    for page in pages:
        deferred = page.deferred
        if deferred is None:
            settled.append(page)
            continue
        if keys:
            ids = tuple(id(page.context.get(name)) for name in LANGUAGE_WIDE)
            if ids not in shared:
                shared[ids] = memo_key(keys.global_key, [page.context.get(name) for name in LANGUAGE_WIDE])
            own = {name: value for name, value in page.context.items() if name not in LANGUAGE_WIDE}
            key = new[page.url] = memo_key(shared[ids], page.template, page.lang, own, deferred.key)
            if recorded.get(page.url) == key and keys.keepable(page.url):
                settled.append(replace(page, context={**page.context, "lastmod": deferred.lastmod}, kept=True,
                                       deferred=None))
                continue
        settled.append(replace(page, context={**page.context, **deferred.make()}, deferred=None))
    if keys:
        memo.new[name] = (b"", new)
    return settled


def _nearest(by_identity: Mapping[tuple[str, Identity], str], lang: str,
             fallbacks: tuple[Identity, ...]) -> tuple[str, bool]:
    for position, identity in enumerate(fallbacks):
        url = by_identity.get((lang, identity))
        if url is not None:
            return url, position == 0
    return urls.home(lang), False


NOT_FOUND_TEXT = "The page you asked for does not exist or has moved."


def plan_root_not_found(pages: list[PageSpec], site: Site, catalogs: Catalogs) -> PageSpec:
    """/404.html, which static hosts serve for any missing address: the default language's 404 page with
    the message repeated in every other language. Its links are absolute paths, so it works at any depth."""
    config = site.config
    default = urls.not_found(config.default_language)
    page = next(page for page in pages if page.url == default)
    notices = []
    for language in config.languages:
        if language.code == config.default_language:
            continue
        gettext = catalogs.translations(language.code).gettext
        home = Link(gettext("Latest articles"), urls.href(config.base_path, urls.home(language.code)))
        notices.append(Notice(language.code, language.direction, gettext("Page not found"), gettext(NOT_FOUND_TEXT), home))
    context = {**page.context, "notices": tuple(notices), "alternates": (), "translations": ()}
    return replace(page, url="404.html", identity=("root_404",), fallbacks=(), context=context)


def plan_root(config: Config) -> PageSpec:
    """The bilingual / page that sends readers to the default language."""
    languages = tuple(Alternate(l.code, l.name, urls.href(config.base_path, urls.home(l.code)), True)
                      for l in config.languages)
    default = config.language(config.default_language)
    context = {
        "languages": languages,
        "default_url": urls.href(config.base_path, urls.home(default.code)),
        # "" when base_url names no host: root.html then writes no canonical or hreflang links.
        "canonical": urls.absolute(config.base_url, urls.href(config.base_path, urls.home(default.code))),
        "lang": default,
        "site_title": default.title,
        "site_description": default.description,
    }
    return PageSpec(url="", template="root.html", lang=default.code, context=context, identity=("root",))
