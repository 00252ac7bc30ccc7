"""Check a built site as it will be served under its base path: every internal link, asset and anchor resolves.

    problems = check_site(Path("output"), "/repo/")          # or the whole base URL
    missing = pages_outside_sitemap(Path("output"), "/repo/")

Each HTML file is parsed once (html.parser, standard library), its ids indexed, and every link resolved
against the set of files on disk, so a 20,000-page site is checked in seconds; big sites are parsed
in several processes. Atom feeds (`*.xml`), sitemap.xml and the theme's CSS `url(...)`s are checked too.
"""

from __future__ import annotations

import os
import posixpath
import re
import xml.etree.ElementTree as ElementTree
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator
from urllib.parse import unquote, urlsplit

SITEMAP = "sitemap.xml"

# Which attributes of which elements hold a URL the browser will fetch or follow.
URL_ATTRIBUTES = {
    "a": ("href",), "area": ("href",), "link": ("href",), "script": ("src",), "img": ("src", "srcset"),
    "source": ("src", "srcset"), "iframe": ("src",), "video": ("src", "poster"), "audio": ("src",),
    "track": ("src",), "embed": ("src",), "input": ("src",),
}
# Any scheme (http:, mailto:, tel:, data:, javascript:...) or a protocol-relative //host: not ours to check.
SCHEME = re.compile(r"^(?:[a-zA-Z][a-zA-Z0-9+.\-]*:|//)")
CSS_URL = re.compile(r"""url\(\s*(?:"([^"]*)"|'([^']*)'|([^)'"\s]*))\s*\)|@import\s+(?:"([^"]*)"|'([^']*)')""")
# Tags that can hold neither a link nor an id (end tags, <p class="x">, <li>...) are cut out before parsing:
# html.parser spends its time per tag, and this halves it. The cut is conservative: a tag the expression
# cannot read cleanly is left for html.parser, and raw-text elements (script, style...), <base> and <meta>
# always stay, so the parser's own reading of the document does not change.
_RAW = r"(?:script|style|textarea|title|xmp|iframe|noembed|noframes|noscript|plaintext)\b"
_USELESS_TAG = re.compile(rf"""<(?:
    /(?!{_RAW})[a-zA-Z][a-zA-Z0-9-]*\s*
  | (?!{_RAW}|base\b|meta\b)[a-zA-Z][a-zA-Z0-9-]*
    (?:\s+(?!(?:id|name|href|src|srcset|poster)\s*(?:=|\s|/?>))[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*
    \s*/?
  )>""", re.VERBOSE | re.IGNORECASE)
PAGE_EXTENSIONS = ("", ".html", ".htm")
PARALLEL_FROM = 2000  # files; below this, starting processes costs more than it saves


@dataclass(frozen=True, order=True)
class LinkProblem:
    """A link on a built page that does not work once the site is served."""

    page: str  # site-relative file path, e.g. "ar/index.html"
    link: str  # the link exactly as written
    reason: str  # "no such page", "missing asset", "no such anchor", "outside the site", ...

    def __str__(self) -> str:
        return f"{self.page}: {self.link} ({self.reason})"


@dataclass(frozen=True)
class ParsedPage:
    """What one HTML file holds for the checker: its ids, the links it makes, and how it behaves."""

    path: str
    ids: frozenset[str]
    links: tuple[str, ...]  # unique, in document order
    base: str | None = None  # a <base href>, when the page has one
    redirect: bool = False  # <meta http-equiv="refresh">
    noindex: bool = False  # <meta name="robots" content="noindex">


class _PageParser(HTMLParser):
    """Collects ids (id=, and name= on <a>), URL attributes, <base href>, refresh and robots meta."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.links: dict[str, None] = {}
        self.base: str | None = None
        self.redirect = False
        self.noindex = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value for name, value in attrs if value is not None}
        if "id" in values:
            self.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.ids.add(values["name"])
        for name in URL_ATTRIBUTES.get(tag, ()):
            value = values.get(name)
            if value is None:
                continue
            for link in (srcset_urls(value) if name == "srcset" else (value,)):
                self.links.setdefault(link.strip(), None)
        if tag == "base" and "href" in values and self.base is None:
            self.base = values["href"].strip()
        elif tag == "meta":
            self.read_meta(values)

    def read_meta(self, values: dict[str, str]) -> None:
        if values.get("http-equiv", "").lower() == "refresh":
            self.redirect = True
            target = refresh_url(values.get("content", ""))
            if target:
                self.links.setdefault(target, None)
        elif values.get("name", "").lower() == "robots" and "noindex" in values.get("content", "").lower():
            self.noindex = True


def srcset_urls(value: str) -> Iterator[str]:
    """The URLs of a srcset: comma-separated candidates, each a URL and an optional descriptor."""
    for candidate in value.split(","):
        parts = candidate.split()
        if parts:
            yield parts[0]


def refresh_url(content: str) -> str:
    """The URL in a refresh meta's content, "0; url=/ar/" -> "/ar/", read as HTML reads it: only a quote that
    opens the URL ends it (a quote inside an unquoted URL, "/a&b'c/", is part of its path)."""
    match = re.search(r"""url\s*=\s*(?:(['"])(.*?)(?:\1|$)|(.*))""", content, re.IGNORECASE | re.DOTALL)
    if not match:
        return ""
    return (match.group(2) if match.group(1) else match.group(3)).strip()


def parse_page(output: Path, relative: str) -> ParsedPage:
    """Parse one HTML file of the site."""
    parser = _PageParser()
    text = (output / relative).read_text(encoding="utf-8", errors="replace")
    parser.feed(_USELESS_TAG.sub("", text))
    parser.close()
    return ParsedPage(relative, frozenset(parser.ids), tuple(parser.links), parser.base, parser.redirect,
                      parser.noindex)


def _parse_many(output: Path, relatives: list[str]) -> list[ParsedPage]:
    return [parse_page(output, relative) for relative in relatives]


def parse_pages(output: Path, relatives: list[str], workers: int | None = None) -> list[ParsedPage]:
    """Parse every HTML file, in several processes when the site is big (workers=1 forces one)."""
    if workers is None:
        workers = min(os.cpu_count() or 1, 8) if len(relatives) >= PARALLEL_FROM else 1
    if workers <= 1:
        return _parse_many(output, relatives)
    chunks = [relatives[start::workers * 4] for start in range(workers * 4)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        results = pool.map(_parse_many, [output] * len(chunks), chunks)
        return sorted((page for chunk in results for page in chunk), key=lambda page: page.path)


def site_files(output: Path) -> tuple[set[str], set[str]]:
    """Every file and every folder under output, as site-relative POSIX paths ("" is the root folder)."""
    files: set[str] = set()
    folders: set[str] = {""}
    for directory, subdirectories, names in os.walk(output, followlinks=True):
        relative = Path(directory).relative_to(output).as_posix()
        prefix = "" if relative == "." else relative + "/"
        folders.update(prefix + name for name in subdirectories)
        files.update(prefix + name for name in names)
    return files, folders


def split_base(base: str) -> tuple[str, str]:
    """("https", "user.github.io") and "/repo/" from a base URL, or no host and the path from a base path."""
    parts = urlsplit(base)
    host = f"{parts.scheme}://{parts.netloc}".lower() if parts.netloc else ""
    path = "/" + parts.path.strip("/") + "/" if parts.path.strip("/") else "/"
    return host, path


def page_url(base_path: str, relative: str) -> str:
    """The path a page is served at: folders for index.html, the file name otherwise."""
    if relative == "index.html" or relative.endswith("/index.html"):
        relative = relative[: -len("index.html")]
    return base_path + relative


def folder_of(url_path: str) -> str:
    """The folder a relative link on this page starts from: "/repo/ar/x/" -> itself, "/repo/404.html" -> "/repo/"."""
    return url_path if url_path.endswith("/") else posixpath.dirname(url_path) + "/"


def absolute_path(directory: str, path: str) -> str | None:
    """Resolve a path (absolute, or relative to a folder URL such as "/repo/ar/"); None when ".." climbs above "/"."""
    segments: list[str] = []
    for segment in (path if path.startswith("/") else directory + path).split("/")[1:]:
        if segment == "..":
            if not segments:
                return None
            segments.pop()
        elif segment != ".":
            segments.append(segment)
    if path.endswith(("/.", "/..")) or path in (".", ".."):
        segments.append("")
    return "/" + "/".join(segments)


class _Resolver:
    """Resolves links against the files of one built site, remembering every answer."""

    def __init__(self, output: Path, base: str) -> None:
        self.host, self.base_path = split_base(base)
        self.files, self.folders = site_files(output)
        self.ids: dict[str, frozenset[str]] = {}  # filled once the pages are parsed
        self.cache: dict[tuple[str, str], tuple[str | None, str]] = {}

    def check(self, page: str, link: str, directory: str, by_path_only: bool = False) -> LinkProblem | None:
        """The problem with one link on page (relative links start from directory), if any.

        by_path_only: a whole http(s) URL counts as this site's whatever its host (sitemaps list only their own).
        """
        try:
            parts = urlsplit(link)
        except ValueError:  # an IPv6 bracket left open or never opened: no browser can follow it either
            return LinkProblem(page, link, "not a valid URL")
        if SCHEME.match(link):
            if parts.scheme.lower() not in ("http", "https", "") or not parts.netloc:
                return None  # mailto:, tel:, data:, javascript:...
            ours = by_path_only or (bool(parts.scheme) and f"{parts.scheme}://{parts.netloc}".lower() == self.host)
            inside = parts.path.startswith(self.base_path) or parts.path + "/" == self.base_path
            if not (ours and inside):
                # Another site, another project on the same host, or a host we were not told about.
                return LinkProblem(page, link, "outside the site") if by_path_only and not inside else None
            path = parts.path or "/"
        elif not parts.path:
            path = ""  # "#id" or "?q": this very page
        else:
            path = parts.path
        if path:
            key = (directory if not path.startswith("/") else "", path)
            if key not in self.cache:
                self.cache[key] = self.resolve(path, directory)
            found, reason = self.cache[key]
            if found is None:
                return LinkProblem(page, link, reason)
        else:
            found = page
        fragment = parts.fragment
        if fragment and found in self.ids:  # anchors are checked on HTML pages only
            ids = self.ids[found]
            if fragment not in ids and unquote(fragment) not in ids and fragment.lower() != "top":
                return LinkProblem(page, link, "no such anchor")
        return None

    def resolve(self, path: str, directory: str) -> tuple[str | None, str]:
        """(the site file a URL path reaches, "") or (None, why not)."""
        absolute = absolute_path(directory, path)
        if absolute is None or not (absolute.startswith(self.base_path) or absolute + "/" == self.base_path):
            return None, "outside the site"
        relative = unquote(absolute[len(self.base_path):])
        if relative == "" or relative.endswith("/"):
            candidate = relative + "index.html"
        elif relative in self.folders:
            candidate = relative + "/index.html"  # /repo/ar works too: Pages redirects it to /repo/ar/
        else:
            candidate = relative
        if candidate in self.files:
            return candidate, ""
        extension = posixpath.splitext(relative.rstrip("/"))[1].lower()
        return None, "no such page" if extension in PAGE_EXTENSIONS else "missing asset"


def check_site(output: Path, base_path: str, workers: int | None = None) -> list[LinkProblem]:
    """Every broken internal link, asset, anchor and feed link of the site built in output, served at base_path.

    base_path is the path the site is served under ("/" or "/repo/"); a whole base URL
    ("https://user.github.io/repo/") also works and makes links written with that host count as internal.
    Links with any other scheme or host are external and not checked.
    """
    output = Path(output)
    resolver = _Resolver(output, base_path)
    base = resolver.base_path
    html = sorted(f for f in resolver.files if f.endswith((".html", ".htm")))
    pages = parse_pages(output, html, workers)
    resolver.ids = {page.path: page.ids for page in pages}
    problems: set[LinkProblem] = set()
    for page in pages:
        directory = folder_of(page_url(base, page.path))
        if page.base:
            directory = folder_of(absolute_path(directory, urlsplit(page.base).path) or base)
        # A 404 page is served at whatever URL was missing: only absolute links work there.
        served_anywhere = posixpath.basename(page.path) == "404.html" and not page.base
        for link in filter(None, page.links):
            if served_anywhere and not SCHEME.match(link) and not link.startswith(("/", "#", "?")):
                problems.add(LinkProblem(page.path, link, "relative link on a 404 page, which is served at any URL"))
                continue
            problem = resolver.check(page.path, link, directory)
            if problem:
                problems.add(problem)
    for relative in sorted(f for f in resolver.files if f.endswith(".xml")):
        problems.update(check_xml(output, relative, resolver))
    for relative in sorted(f for f in resolver.files if f.endswith(".css")):
        problems.update(check_css(output, relative, resolver))
    return sorted(problems)


def xml_links(path: Path) -> Iterator[str]:
    """The URL of every <link href>, RSS <link>text</link> and sitemap <loc> of an XML file."""
    for _, element in ElementTree.iterparse(path):
        name = element.tag.rsplit("}", 1)[-1]
        if name == "link":
            href = element.get("href")
            if href is not None:
                yield href.strip()
            elif element.text and element.text.strip():
                yield element.text.strip()
        elif name == "loc" and element.text:
            yield element.text.strip()
        element.clear()


def check_xml(output: Path, relative: str, resolver: _Resolver) -> list[LinkProblem]:
    """Broken links of an Atom/RSS feed or a sitemap (whose URLs are this site's by definition)."""
    directory = posixpath.dirname(resolver.base_path + relative) + "/"
    sitemap = posixpath.basename(relative) == SITEMAP or relative.startswith("sitemap")
    try:
        links = list(xml_links(output / relative))
    except ElementTree.ParseError as error:
        return [LinkProblem(relative, "", f"not well-formed XML: {error}")]
    problems = []
    for link in links:
        problem = resolver.check(relative, link, directory, by_path_only=sitemap)
        if problem:
            problems.append(problem)
    return problems


def check_css(output: Path, relative: str, resolver: _Resolver) -> list[LinkProblem]:
    """Broken url(...) and @import references of a style sheet (fonts, images), relative to the sheet."""
    directory = posixpath.dirname(resolver.base_path + relative) + "/"
    text = (output / relative).read_text(encoding="utf-8", errors="replace")
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)
    problems = []
    for match in CSS_URL.finditer(text):
        link = next(group for group in match.groups() if group is not None).strip()
        problem = resolver.check(relative, link, directory)
        if problem and problem.reason != "no such anchor":
            problems.append(problem)
    return problems


def indexable(output: Path, relative: str) -> bool:
    """False for a redirect page (refresh meta) or one marked noindex; only the <head> is read."""
    parser = _PageParser()
    text = (output / relative).read_text(encoding="utf-8", errors="replace")
    head_end = text.find("</head>")
    parser.feed(text[:head_end] if head_end >= 0 else text)
    parser.close()
    return not (parser.redirect or parser.noindex)


def sitemap_paths(output: Path, relative: str, base_path: str, seen: set[str] | None = None) -> set[str]:
    """Every <loc> path of a sitemap (following a sitemap index into its own sitemaps), percent-decoded;
    base_path decoded too."""
    seen = seen if seen is not None else set()
    seen.add(relative)
    paths: set[str] = set()
    root_name = ""
    for event, element in ElementTree.iterparse(output / relative, events=("start", "end")):
        name = element.tag.rsplit("}", 1)[-1]
        root_name = root_name or name
        if event == "end" and name == "loc" and element.text:
            paths.add(unquote(urlsplit(element.text.strip()).path))
        if event == "end":
            element.clear()
    if root_name != "sitemapindex":
        return paths
    children: set[str] = set()
    for path in sorted(paths):
        child = path[len(base_path):] if path.startswith(base_path) else ""
        if child and child not in seen and (output / child).is_file():
            children |= sitemap_paths(output, child, base_path, seen)
    return children


def pages_outside_sitemap(output: Path, base_path: str) -> list[str]:
    """Site-relative paths of the HTML pages the sitemap does not list; [] when there is no sitemap.xml.

    404 pages, redirect pages (the root's refresh page) and pages marked noindex are not expected in it.
    A <loc> may be a whole URL: only its path is compared.
    """
    output = Path(output)
    if not (output / SITEMAP).is_file():
        return []
    # Compared decoded: <loc>s are percent-encoded, file names and an Arabic base path may not be.
    base = unquote(split_base(base_path)[1])
    listed = {path if path.endswith("/") or "." in posixpath.basename(path) else path + "/"
              for path in sitemap_paths(output, SITEMAP, base)}
    listed |= {path[: -len("index.html")] for path in listed if path.endswith("/index.html")}
    files, _ = site_files(output)
    missing = []
    for relative in sorted(f for f in files if f.endswith((".html", ".htm"))):
        if posixpath.basename(relative) == "404.html":
            continue
        if page_url(base, relative) not in listed and indexable(output, relative):
            missing.append(relative)
    return missing


def site_report(output: Path, base_url: str) -> list[str]:
    """The lines `python build.py check --site` prints: broken links, then pages the sitemap leaves out."""
    lines = [str(problem) for problem in check_site(output, base_url)]
    lines += [f"{page}: not listed in {SITEMAP}" for page in pages_outside_sitemap(output, base_url)]
    return lines

