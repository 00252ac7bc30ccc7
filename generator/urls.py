"""The whole URL scheme in one place, and the guard that no output path escapes output/."""

from __future__ import annotations

import datetime
import re
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


def author_index(lang: str) -> str:
    """All authors of a language."""
    return f"{lang}/authors/"


def author(lang: str, slug: str, page: int = 1) -> str:
    """One author's articles, paginated."""
    return paged(f"{lang}/authors/{slug}/", page)


def author_feed(lang: str, slug: str) -> str:
    """The Atom feed of one author in a language."""
    return f"{lang}/authors/{slug}/feed.xml"


def report_index(lang: str) -> str:
    """All reports and series of a language."""
    return f"{lang}/reports/"


def report(lang: str, slug: str) -> str:
    """One report's articles, in report order (one page: a report is read whole)."""
    return f"{lang}/reports/{slug}/"


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


def most_read(lang: str) -> str:
    """The language's most-read articles (popularity.py), written only when some article has views."""
    return f"{lang}/most-read/"


def search(lang: str) -> str:
    """The language's search page."""
    return f"{lang}/search/"


def search_shard(lang: str, year: int) -> str:
    """The folder of the search bundle (search.py) holding a language's articles of one year."""
    return f"pagefind/{lang}/{year:04d}/"


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


# Characters a URL path may hold as they are (RFC 3986 unreserved, sub-delims, ":", "@", "/"); "%" is kept
# only where it starts an escape (PERCENT_ESCAPE), so that a path already percent-encoded is not encoded twice.
_PATH_SAFE = "/:@!$&'()*+,;=-._~"
PERCENT_ESCAPE = re.compile("%([0-9A-Fa-f]{2})")
# A path made only of characters that stay as they are (no "%", nothing to encode).
_PLAIN_PATH = re.compile(r"[A-Za-z0-9/:@!$&'()*+,;=._~-]*\Z")
UNRESERVED = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
DEFAULT_PORTS = {"http": "80", "https": "443"}


def absolute(base_url: str, path: str) -> str:
    """A full URL for canonical links, feeds and the sitemap: scheme and host of base_url + an absolute path,
    percent-encoded (RFC 3986, UTF-8) so that Arabic slugs make valid URLs: /ar/2017/09/الرقة/ becomes
    /ar/2017/09/%D8%A7%D9%84%D8%B1%D9%82%D8%A9/. "" when base_url names no host ("/"): a bare path is not a
    URL a feed reader, a crawler or a social card can use, so callers leave the link out."""
    found = origin(base_url)
    return found + encode_path(path) if found else ""


def has_host(base_url: str) -> bool:
    """Whether base_url names a scheme and a host, so that full URLs (feeds, sitemap, canonical) can be written."""
    return bool(origin(base_url))


def encode_path(path: str) -> str:
    """Percent-encode every character of a URL path that RFC 3986 does not allow there (UTF-8 bytes), in the
    normal form of RFC 3986 6.2.2: existing escapes kept with upper-case hex, escaped unreserved characters
    decoded, a "%" that starts no escape encoded as "%25"."""
    if _PLAIN_PATH.match(path):
        return path  # nothing to encode: the common ASCII slug (a tenth of the work, for ~50,000 URLs a build)
    pieces = PERCENT_ESCAPE.split(path)
    # split() alternates text and the two hex digits of each escape.
    out = []
    for index, piece in enumerate(pieces):
        if index % 2:
            char = chr(int(piece, 16))
            out.append(char if char in UNRESERVED else f"%{piece.upper()}")
        else:
            out.append(quote(piece, safe=_PATH_SAFE))
    return "".join(out)


@lru_cache(maxsize=16)
def origin(base_url: str) -> str:
    """The scheme and host of base_url in normal form ("https://user.github.io": lower case, no default
    port), or "" when it names none. Parsed once per base_url: every page's canonical link, feed entry and
    sitemap entry asks."""
    parts = urlsplit(base_url)
    if not (parts.scheme and parts.netloc):
        return ""
    scheme = parts.scheme.lower()
    userinfo, _, hostport = parts.netloc.rpartition("@")
    host, colon, port = hostport.rpartition(":") if not hostport.endswith("]") else (hostport, "", "")
    if not colon or not port.isdigit():
        host, port = hostport, ""
    netloc = host.lower() + (f":{port}" if port and port != DEFAULT_PORTS.get(scheme) else "")
    return f"{scheme}://{userinfo + '@' if userinfo else ''}{netloc}"


def no_host_message(name: str, shown: str) -> str:
    """The one warning of a build whose base_url (or --base-url) is a bare path: what it leaves out, and the fix.
    shown is the value as the user wrote it, quoted."""
    return (f"{name} {shown} names no host: full URLs cannot be written, so this build has no sitemap.xml, no "
            f"Atom feeds, no canonical, hreflang, og:url or og:image links and no URLs in JSON-LD (pages and their "
            f'links are built as usual); set {name} to the site\'s address, e.g. "https://user.github.io/repo/" '
            f"(the Pages workflow passes its own with --base-url)")
