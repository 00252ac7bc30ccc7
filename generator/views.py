"""The objects templates see: frozen views of the site, with URLs already resolved."""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup

from generator.dates import DateDisplay
from generator.markup import HTML


@dataclass(frozen=True)
class Link:
    """A labelled URL (an absolute path that already includes the site's base path)."""

    label: str
    url: str


@dataclass(frozen=True)
class TagLink:
    """A tag as shown on an article or tag page."""

    slug: str
    name: str
    url: str


@dataclass(frozen=True)
class TagCount:
    """A tag with the number of articles that carry it, for the tag index."""

    slug: str
    name: str
    url: str
    count: int


@dataclass(frozen=True)
class CountLink:
    """A labelled URL with a number of articles (an archive month, say)."""

    label: str
    url: str
    count: int


@dataclass(frozen=True)
class Source:
    """One source line; url is set when the line is (or holds) a web address."""

    text: str
    url: str | None


@dataclass(frozen=True)
class Report:
    """The full report an article is drawn from."""

    title: str | None
    prepared_by: str | None


@dataclass(frozen=True)
class ArticleView:
    """An article as the templates see it."""

    title: str
    url: str
    lang: str
    author: str | None
    date: DateDisplay
    views: int | None
    tags: tuple[TagLink, ...]
    summary: str
    # Markup, or (in cached builds) a stand-in that reads the HTML from the cache when a page prints it.
    body: HTML
    toc: Markup
    report: Report | None
    sources: tuple[Source, ...]
    previous: Link | None
    next: Link | None
    draft: bool
    # A digest of what every other field is made from (the article file's bytes, its body's HTML key and
    # its path), which the build cache hashes instead of the whole view; b"" when unknown.
    source: bytes = b""


@dataclass(frozen=True)
class PagerItem:
    """One place in a pager: a page number (label in the language's digits) with its URL, or a gap standing for
    skipped pages (url None, label "…")."""

    label: str
    url: str | None
    current: bool = False


@dataclass(frozen=True)
class Pagination:
    """Where a paginated listing is, and its neighbours; number and count as ints, labels already localised."""

    number: int
    count: int
    previous_url: str | None
    next_url: str | None
    pages: tuple[PagerItem, ...]


@dataclass(frozen=True)
class ArchiveGroup:
    """A heading (a month, say) and the articles under it on an archive page."""

    label: str
    url: str | None
    articles: tuple[ArticleView, ...]


@dataclass(frozen=True)
class ArchiveYear:
    """A year on the archive index, with its months (Gregorian) or none (Hijri)."""

    label: str
    url: str
    count: int
    months: tuple[CountLink, ...]


@dataclass(frozen=True)
class Alternate:
    """The same page in another language, for the switcher and hreflang."""

    lang: str
    name: str
    url: str
    exists: bool
    og_locale: str = ""


@dataclass(frozen=True)
class SiteLinks:
    """Fixed destinations of the current language, for the navigation."""

    root: str
    home: str
    tags: str
    archive: str


@dataclass(frozen=True)
class PageInfo:
    """What every page knows about itself."""

    kind: str
    url: str
    title: str
    description: str


@dataclass(frozen=True)
class Notice:
    """A short message in one language, for the bilingual root 404 page."""

    lang: str
    direction: str
    title: str
    text: str
    home: Link
