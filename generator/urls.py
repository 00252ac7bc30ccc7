"""The whole URL scheme in one place, and the guard that no output path escapes output/."""

from __future__ import annotations

import datetime
from functools import lru_cache
from pathlib import Path, PurePosixPath
from urllib.parse import quote, urlsplit

# Site-relative URLs ("ar/2017/09/slug/") are what pages are planned with; href() adds the base path.


def home(lang: str, page: int = 1) -> str:
    """The language's home, page 1 at /<lang>/ and later pages at /<lang>/page/<n>/."""
    return paged(f"{lang}/", page)


def paged(url: str, page: int) -> str:
    """Page n of a listing that starts at url."""
    return url if page == 1 else f"{url}page/{page}/"


def article(lang: str, day: datetime.date, slug: str) -> str:
    """An article at /<lang>/<yyyy>/<mm>/<slug>/."""
    return f"{lang}/{day.year:04d}/{day.month:02d}/{slug}/"


def tag_index(lang: str) -> str:
    """All tags of a language."""
    return f"{lang}/tags/"


def tag(lang: str, slug: str, page: int = 1) -> str:
    """One tag's articles, paginated."""
    return paged(f"{lang}/tags/{slug}/", page)


def archive_index(lang: str) -> str:
    """Every year and month of a language."""
    return f"{lang}/archive/"


def year(lang: str, number: int) -> str:
    """A Gregorian year's archive."""
    return f"{lang}/{number:04d}/"


def month(lang: str, number_year: int, number_month: int) -> str:
    """A Gregorian month's archive."""
    return f"{lang}/{number_year:04d}/{number_month:02d}/"


def hijri_year(lang: str, number: int) -> str:
    """A Hijri year's archive."""
    return f"{lang}/hijri/{number}/"


def not_found(lang: str) -> str:
    """The language's 404 page (a file, not a folder, so hosts can serve it as-is)."""
    return f"{lang}/404.html"


def base_path(base_url: str) -> str:
    """The URL path a site lives under, with a leading and trailing slash: "/", or "/repo/" for Pages."""
    path = urlsplit(base_url).path if "://" in base_url else base_url
    return "/" + path.strip("/") + "/" if path.strip("/") else "/"


def href(base_path: str, url: str) -> str:
    """The absolute path a browser follows: base path + site-relative URL."""
    return base_path + url


def output_path(output: Path, url: str) -> Path:
    """Where a page's file lives: folders get index.html; refuse anything that would leave output/."""
    relative = PurePosixPath(url)
    if url.startswith("/") or ".." in relative.parts or "\\" in url:
        raise ValueError(f'URL "{url}" would write outside output/')
    target = output.joinpath(*relative.parts)
    return target / "index.html" if url.endswith("/") or url == "" else target


def feed(lang: str, tag_slug: str | None = None) -> str:
    """The Atom feed of a language, or of one tag in it."""
    return f"{lang}/tags/{tag_slug}/feed.xml" if tag_slug else f"{lang}/feed.xml"


# Characters a URL path may hold as they are (RFC 3986 unreserved, sub-delims, ":", "@", "/"), and
# "%" so that a path already percent-encoded is not encoded twice.
_PATH_SAFE = "/:@!$&'()*+,;=-._~%"


def absolute(base_url: str, path: str) -> str:
    """A full URL for canonical links, feeds and the sitemap: scheme and host of base_url + an absolute path,
    percent-encoded (RFC 3986, UTF-8) so that Arabic slugs make valid URLs: /ar/2017/09/الرقة/ becomes
    /ar/2017/09/%D8%A7%D9%84%D8%B1%D9%82%D8%A9/. With no host known (base_url "/"), the absolute path is the
    best there is."""
    return origin(base_url) + encode_path(path)


def encode_path(path: str) -> str:
    """Percent-encode every character of a URL path that RFC 3986 does not allow there (UTF-8 bytes)."""
    return quote(path, safe=_PATH_SAFE)


@lru_cache(maxsize=16)
def origin(base_url: str) -> str:
    """The scheme and host of base_url ("https://user.github.io"), or "" when it names none. Parsed once per
    base_url: every page's canonical link, feed entry and sitemap entry asks."""
    parts = urlsplit(base_url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""
