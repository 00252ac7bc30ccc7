"""The objects templates see: frozen views of the site, with URLs already resolved."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from markupsafe import Markup

from generator.dates import DateDisplay
from generator.markup import HTML
from generator.reading_time import reading_minutes


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
class AuthorLink:
    """An author as shown on an article, a listing or the author index: their name in the page's language, the
    URL of their page in it, and (on the index) how many articles they wrote in it."""

    slug: str
    name: str
    url: str
    count: int = 0


@dataclass(frozen=True)
class ReportLink:
    """A report or series as linked from its articles and listed on the reports index: its title, the URL of
    its page, who prepared it, how many articles it holds in this language, and its number (None when its
    title carries none)."""

    title: str
    url: str
    prepared_by: str | None = None
    count: int = 0
    number: int | None = None


@dataclass(frozen=True)
class ArticleLink:
    """An article as a short list shows it (related articles, most read): title, URL, language, date and views,
    no body, so that a page listing it is not rendered again when only the article's body changes."""

    title: str
    url: str
    lang: str
    date: DateDisplay
    views: int | None = None


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
class ImageView:
    """An article's image (front matter's image:, else the first in its body), for og:image: url an absolute path
    under the base path, percent-encoded; absolute the full URL ("" when base_url names no host); width and height
    in pixels (None when unknown: a remote image); type its MIME type ("" when unknown)."""

    url: str
    absolute: str
    width: int | None
    height: int | None
    type: str = ""


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
    # The table of contents as the build has it: Markup, or a stand-in that reads it from the cache. Templates
    # read `toc`, which is always Markup.
    stored_toc: HTML
    report: Report | None
    sources: tuple[Source, ...]
    previous: Link | None
    next: Link | None
    draft: bool
    # A digest of what every other field is made from (the article file's bytes, its body's HTML key and
    # its path), which the build cache hashes instead of the whole view; b"" when unknown.
    source: bytes = b""
    # Front matter's image:, else the body's first image (images.py); None when it shows none.
    image: ImageView | None = None
    # Front matter's `extra:` mapping as written (plain YAML values), for a theme's own fields.
    extra: Mapping[str, Any] = field(default_factory=dict)
    # The page of the article's author in the view's language (authors.py); None when it names no author.
    author_url: str | None = None

    @property
    def toc(self) -> Markup:
        """The table of contents (empty for a short body) as Markup, read from the cache when first asked for:
        a template may filter, compare or slice it as text, in a warm build as in a cold one."""
        return Markup(self.stored_toc)

    @property
    def reading_time(self) -> int:
        """Whole minutes to read the body (>= 1), code blocks left out, at its language's speed (reading_time.py).
        Worked out when a template asks, from the body it prints anyway: never for pages that do not show it."""
        return reading_minutes(str(self.body), self.lang)


@dataclass(frozen=True)
class LatestReport:
    """The report of the language's newest article that names one (front matter `report.title`), with every
    article drawn from it, newest first: what a report-style home page leads with."""

    title: str
    prepared_by: str | None
    articles: tuple[ArticleView, ...]
    # The report's own page (reports.py), None when the theme is given none.
    url: str | None = None


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
    # The author and report indexes; "" when the language has no author or no report (no link shown then).
    authors: str = ""
    reports: str = ""
    # The most-read page (popularity.py); "" when no article of the language has views (no page, no link).
    most_read: str = ""


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
