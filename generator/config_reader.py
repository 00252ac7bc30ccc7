"""The validation of site.toml: a reader that collects every problem in its values (with Babel's locale data,
the slug styles and the raw-HTML policies it checks them against) instead of stopping at the first. Apart
from config.py, which holds what the rest of the generator uses, so that a build whose site.toml was
validated before (config.load_config's cache) loads none of this."""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from pathlib import Path
from typing import Any, Mapping
from urllib.parse import urlsplit

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from generator import inputs
from generator.arabic import SLUG_STYLES
from generator.arabic.normalise import fold_for_matching
from generator.config import (
    CONFIG_NAME, MAX_SLUG_BYTES, AuthorDef, Config, Language, MenuEntry, Setting, TagDef, is_folder_name, json_quote,
    suggest, toml_shown,
)
from generator.errors import Problem
from generator.sanitise import RAW_HTML_CHOICES
from generator.urls import encode_path, has_host, no_host_message, origin


# Every key site.toml may hold, with its default; unknown keys are errors that suggest these.
TOP_LEVEL_DEFAULTS: dict[str, Any] = {
    "base_url": "/",
    "default_language": None,
    "theme": "default",
    "page_size": 10,
    "hijri_adjustment": 0,
    "languages": None,
    "tags": [],
    "authors": [],
    "cname": "",
    "feed_content": "summary",
    "slug_style": "ascii",
    "raw_html": "sanitise",
    "markdown_time_limit": 10,
    "social_cards": True,
    "related_count": 4,
    "menus": {},
}
LANGUAGE_KEYS = ("locale", "digits", "name", "title", "description")
TAG_KEYS = ("slug", "ar", "en", "names", "words")
AUTHOR_KEYS = ("slug", "names")
DIGITS = ("latn", "arab", "arabext")
FEED_CONTENT = ("summary", "full")
THEME_KEYS = ("name", "params", "extra_css", "extra_head")
MENU_KEYS = ("name", "url", "weight")


def og_locale(locale: Locale) -> str:
    """Open Graph wants language_TERRITORY; a bare "ar" takes its likely territory from CLDR (ar_EG)."""
    if locale.territory:
        return f"{locale.language}_{locale.territory}"
    likely = get_global("likely_subtags").get(locale.language, locale.language)
    parts = likely.split("_")
    return f"{locale.language}_{parts[-1]}" if len(parts) > 1 else locale.language


LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*")
HOST_LABEL = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)", re.IGNORECASE)
AUTHORITY = re.compile(r"(?:\[(?P<ipv6>[0-9a-f:.]+)\]|(?P<name>[a-z0-9.-]{1,253}))(?::(?P<port>[0-9]{0,5}))?",
                       re.IGNORECASE)


def is_language_code(code: str) -> bool:
    """A language code fit for a folder and URL prefix that Babel knows: "ar", "en", "fa", "ar-SY"."""
    if not LANGUAGE_CODE.fullmatch(code):
        return False
    try:
        Locale.parse(code.replace("-", "_"))
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


def is_host_name(name: str) -> bool:
    """An ASCII host name of two or more labels (letters, digits, inner hyphens), at most 253 characters,
    whose last label is not a number."""
    labels = name.removesuffix(".").split(".")
    return name.isascii() and len(name) <= 253 and len(labels) >= 2 and not labels[-1].isdigit() \
        and all(HOST_LABEL.fullmatch(label) for label in labels)


def is_authority(authority: str) -> bool:
    """Whether "host[:port]" of a base_url is one urlsplit parses and every URL can carry as written: a host
    name of letters, digits and inner hyphens (one label, as "localhost", is fine), an IPv4 address or an IPv6
    address in brackets; a port, when there is a colon, of 1 to 65535."""
    found = AUTHORITY.fullmatch(authority)
    if not found or (found["port"] is not None and not 1 <= int(found["port"] or 0) <= 65535):
        return False
    if found["ipv6"] is None:
        return all(HOST_LABEL.fullmatch(label) for label in found["name"].removesuffix(".").split("."))
    try:
        ipaddress.IPv6Address(found["ipv6"])
    except ValueError:
        return False
    return True


def idna_hint(name: str) -> str:
    """For a host name in another script, how to write it (GitHub Pages wants the ASCII form)."""
    if name.isascii():
        return ""
    try:
        return f'; write it in its ASCII form "{name.encode("idna").decode("ascii")}"'
    except UnicodeError:
        return ""


def shown_key(key: str) -> str:
    """A key for a message: as written when it is a bare TOML key, else quoted ("page\\nsize"); "a value" for
    an array's item at the top."""
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json_quote(key) if key else "a value"


def check_slug(value: Any, kind: str) -> tuple[str, str | None]:
    """(a [[tags]] or [[authors]] slug as text, why it is refused or None): lower-case ASCII letters, digits and
    hyphens, at most MAX_SLUG_BYTES (it names the folder of the pages: output/<lang>/tags/<slug>/)."""
    slug = value if isinstance(value, str) else ""
    if not slug or not all(c.isascii() and (c.isalnum() or c == "-") for c in slug) or slug != slug.lower():
        return slug, f"{kind} slug {toml_shown(value)} must be lower-case ASCII letters, digits and hyphens"
    if len(slug) > MAX_SLUG_BYTES:
        return slug, (f'{kind} slug "{slug[:40]}…" is {len(slug)} bytes long; a slug names a folder and may be at '
                      f"most {MAX_SLUG_BYTES} bytes")
    return slug, None


def check_base_url(url: str, name: str) -> tuple[str, str | None]:
    """(base_url with spaces and non-ASCII percent-encoded, why it is refused or None). It must be an absolute
    http(s) URL with a host, or a path starting with "/"; no query, no fragment, no "." or ".." segment."""
    if not url:
        return url, None  # the site at the root, as "/"
    shown = json_quote(url)
    expected = f'{name} must be an absolute http(s) URL such as "https://user.github.io/repo/" or a path ' \
               f'starting with "/", not {shown}'
    if url != url.strip():
        return url, f"{name} may not start or end with a space: {shown}"
    if any(unicodedata.category(char) == "Cc" for char in url) or "\\" in url:
        return url, expected
    if "?" in url or "#" in url:
        return url, f"{name} may not carry a query (?) or a fragment (#): {shown}"
    if "://" in url:
        scheme, rest = url.split("://", 1)
        host, _, path = rest.partition("/")
        if scheme.lower() not in ("http", "https") or not host or " " in host:
            return url, expected
        if not host.isascii():
            return url, f"{name} host must be ASCII{idna_hint(host.rpartition('@')[2]) or ''}: {shown}"
        if "@" in host:
            return url, f"{name} may not carry a user name or password (it would be published in every full URL): " \
                        f"{shown}"
        if not is_authority(host):
            return url, f"{name} host must be a host name, an IPv4 address or an IPv6 address in brackets, with an " \
                        f"optional port from 1 to 65535: {shown}"
        path = "/" + path
        prefix = f"{scheme}://{host}"
    elif url.startswith("/") and not url.startswith("//"):
        path, prefix = url, ""
    else:
        return url, expected
    if any(segment in (".", "..") for segment in path.split("/")):
        return url, f'{name} may not hold "." or ".." segments: {shown}'
    return prefix + encode_path(path), None


def is_static_path(path: str) -> bool:
    """A relative path of plain folder names ("css/brand.css"): no leading "/", no "." or ".." part."""
    return bool(path) and all(is_folder_name(part) for part in path.split("/"))


def is_menu_url(url: str) -> bool:
    """A site path ("/ar/tags/", "/en/#about") or an http(s) address with a host; no spaces or control
    characters, no backslash, no "." or ".." segment in a site path."""
    if not url or url != url.strip() or "\\" in url or any(unicodedata.category(c)[0] in "CZ" for c in url):
        return False
    if "://" in url:
        scheme, rest = url.split("://", 1)
        return scheme.lower() in ("http", "https") and bool(rest.split("/", 1)[0].split("?")[0].split("#")[0])
    path = re.split(r"[?#]", url, maxsplit=1)[0]
    return url.startswith("/") and not url.startswith("//") and \
        not any(segment in (".", "..") for segment in path.split("/"))


class Reader:
    """Collects every problem in site.toml instead of stopping at the first."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.problems: list[Problem] = []

    def line_of(self, key: str, after: int = 0) -> int:
        """Find the 1-based line where a key (or table header) is written; 1 when not found."""
        for number, line in enumerate(self.lines[after:], start=after + 1):
            stripped = line.strip()
            if stripped.startswith(f"{key} ") or stripped.startswith(f"{key}=") or stripped.startswith(f"[{key}") \
                    or stripped.startswith(f"[[{key}") or f".{key}]" in stripped or f'."{key}"]' in stripped:
                return number
        return 1

    def report(self, key: str, message: str, after: int = 0) -> None:
        """A problem at the line of key, the first after line after (a table's header: each [[tags]] entry's
        keys are looked for from its own header on, and a key not found there, a quoted one, is at the header)."""
        line = self.line_of(key, after)
        self.problems.append(Problem(CONFIG_NAME, after + 1 if line == 1 and after else line, message))

    def check_keys(self, table: Mapping[str, Any], known: tuple[str, ...], where: str, after: int = 0) -> None:
        """Report every key of table that is not in known, with the nearest known key."""
        for key in table:
            if key not in known:
                self.report(key, f'unknown key "{key}"{where}{suggest(key, known)}' if shown_key(key) == key
                            else f"unknown key {shown_key(key)}{where}", after)

    def check_text(self, value: Any, path: tuple[str | int, ...] = ()) -> None:
        """Report each text in the configuration that holds a control character (a NUL, a line break, an escape):
        every one of them is a name, a path or an address shown on one line, and HTML forbids most of them.
        path: the keys (and array indexes) that lead to value, which place it in the file."""
        if isinstance(value, dict):
            for name, item in value.items():
                self.check_text(name, (*path, name))  # a quoted key may hold one too: "page\nsize" = 10
                self.check_text(item, (*path, name))
        elif isinstance(value, list):
            for index, item in enumerate(value):
                self.check_text(item, (*path, index))
        elif isinstance(value, str):
            found = next((char for char in value if unicodedata.category(char) == "Cc"), None)
            if found is not None:
                key = next((str(part) for part in reversed(path) if isinstance(part, str)), "")
                self.problems.append(Problem(CONFIG_NAME, self.line_of_path(path), (
                    f"{shown_key(key)} {json_quote(value[:60])} holds a control character "
                    f"(U+{ord(found):04X}); remove it")))

    def line_of_path(self, path: tuple[str | int, ...]) -> int:
        """The line of the value the keys and indexes of path lead to: each table's keys are looked for from its
        header on ([languages.en], the n-th [[tags]]); the nearest line found when the last key is not on one
        of its own (an inline table)."""
        line = 1
        for depth, part in enumerate(path):
            if isinstance(part, int):
                starts = self.entry_starts(".".join(str(p) for p in path[:depth]))
                if part < len(starts):
                    line = starts[part] + 1
                continue
            found = self.line_of(part, line - 1 if depth else 0)
            if found != 1 or line == 1:
                line = found
        return line

    def check_owners(self, owners: dict[str, str], kind: str, slug: str, names: Mapping[str, str],
                     entry: Mapping[str, Any], after: int) -> None:
        """Report a slug or name of this [[tags]] or [[authors]] entry that an earlier one has, as Arabic folds it
        (owners: folded spelling -> slug, filled as entries are read): front matter written so would be the
        earlier entry's, and this one could not be named by it."""
        for key, spelling in [("slug", slug), *names.items()]:
            owner = owners.setdefault(fold_for_matching(spelling), slug)
            if owner != slug and spelling:
                self.report(key if key == "slug" or key in entry else "names",
                            f'[[{kind}s]] {"slug" if key == "slug" else "name " + key} {json_quote(spelling)} of '
                            f'{kind} "{slug}" is already the {kind} "{owner}"\'s (as Arabic folds it)', after)

    def entry_starts(self, header: str) -> list[int]:
        """The 0-based lines of each [[header]] entry, in order: where to look for each entry's keys."""
        return [number for number, line in enumerate(self.lines) if line.strip().startswith(f"[[{header}]]")]

    def read(self, root: Path, data: dict[str, Any], base_url: str | None) -> Config:
        """Turn parsed TOML into a Config, recording problems as it goes."""
        self.check_keys(data, tuple(TOP_LEVEL_DEFAULTS), "")
        self.check_text(data)
        values = {**TOP_LEVEL_DEFAULTS, **data}
        languages = self.read_languages(values["languages"])
        codes = [language.code for language in languages]
        default = values["default_language"]
        if default is None:
            default = codes[0] if codes else "ar"
        elif codes and default not in codes:
            hint = suggest(default, codes) if isinstance(default, str) else ""
            listed = ", ".join(json_quote(code) for code in codes)
            self.report("default_language", f"default_language must be one of the languages ({listed}), not "
                                            f"{toml_shown(default)}{hint}")
            default = codes[0]
        adjustment = self.read_int(values, "hijri_adjustment", -2, 2)
        page_size = self.read_int(values, "page_size", 1, 1000)
        related_count = self.read_int(values, "related_count", 0, 20)
        theme_table = values["theme"] if isinstance(values["theme"], dict) else {"name": values["theme"]}
        self.check_keys(theme_table, THEME_KEYS, " in [theme]")
        written_theme = theme_table.get("name", TOP_LEVEL_DEFAULTS["theme"])
        theme = written_theme if isinstance(written_theme, str) else ""
        theme_params, extra_css, extra_head = self.read_theme_settings(theme_table)
        menus = self.read_menus(values["menus"], codes)
        # Only the folder: a theme that extends another may have no templates of its own.
        if not is_folder_name(theme):
            self.report("theme", f"theme must be the name of a folder in themes/, not {toml_shown(written_theme)}")
            theme = str(TOP_LEVEL_DEFAULTS["theme"])
        elif not inputs.is_dir(root / "themes" / theme):
            self.report("theme", f'theme "{theme}" not found: no folder themes/{theme}/')
        tags = self.read_tags(values["tags"], codes)
        authors = self.read_authors(values["authors"], codes)
        feed_content = str(values["feed_content"])
        if feed_content not in FEED_CONTENT:
            self.report("feed_content",
                        f'feed_content must be "summary" or "full", not {toml_shown(values["feed_content"])}')
        slug_style = str(values["slug_style"])
        if slug_style not in SLUG_STYLES:
            self.report("slug_style", f'slug_style must be "ascii" or "arabic", not {toml_shown(values["slug_style"])}')
        raw_html = str(values["raw_html"])
        if raw_html not in RAW_HTML_CHOICES:
            self.report("raw_html", f'raw_html must be "sanitise" or "trusted", not {toml_shown(values["raw_html"])}')
        time_limit = values["markdown_time_limit"]
        if not isinstance(time_limit, (int, float)) or isinstance(time_limit, bool) or not 0 < time_limit <= 3600:
            self.report("markdown_time_limit", "markdown_time_limit must be a number of seconds above 0 and at most "
                                               f"3600, not {toml_shown(time_limit)}")
            time_limit = TOP_LEVEL_DEFAULTS["markdown_time_limit"]
        social_cards = values["social_cards"]
        if not isinstance(social_cards, bool):
            self.report("social_cards", f"social_cards must be true or false, not {toml_shown(social_cards)}")
            social_cards = True
        cname = str(values["cname"]).strip() if isinstance(values["cname"], str) else None
        if cname is None or cname and not is_host_name(cname):
            self.report("cname", f'cname must be a bare domain such as "news.example.org", not '
                                 f'{toml_shown(values["cname"] if cname is None else cname)}{idna_hint(cname or "")}')
            cname = ""
        if isinstance(values["base_url"], str):
            site_url, problem = check_base_url(values["base_url"], "base_url")
        else:
            site_url, problem = "/", ('base_url must be an absolute http(s) URL such as "https://user.github.io/repo/" '
                                      f'or a path starting with "/", not {toml_shown(values["base_url"])}')
        if problem:
            self.report("base_url", problem)
        given = base_url
        if base_url is not None:
            base_url, problem = check_base_url(base_url, "--base-url")
            if problem:
                self.problems.append(Problem("--base-url", 1, problem))
        warnings = []
        if given is not None and not problem and not has_host(given):
            warnings.append(Problem("--base-url", 1, no_host_message("--base-url", json_quote(given)), True))
        elif base_url is None and not problem and not has_host(site_url):
            warnings.append(Problem(CONFIG_NAME, self.line_of("base_url"),
                                    no_host_message("base_url", json_quote(str(values["base_url"]))), True))
        # Pages serves the site at the custom domain and redirects github.io there: full URLs must name it.
        host = urlsplit(origin(base_url if base_url is not None else site_url)).hostname if not problem else None
        domain = cname.lower().removesuffix(".")
        if cname and is_host_name(cname) and host and host != domain:
            shown = given if given is not None else values["base_url"]
            warnings.append(Problem(CONFIG_NAME, self.line_of("cname"), (
                f'cname "{cname}" is not the host of {shown}: feeds, the sitemap and canonical links will name '
                f'{host}, which GitHub Pages redirects to the custom domain; set base_url to "https://{domain}/"'),
                True))
        return Config(
            root=root,
            base_url=base_url if base_url is not None else site_url,
            warnings=tuple(warnings),
            languages=tuple(languages),
            default_language=default,
            hijri_adjustment=adjustment,
            page_size=page_size,
            theme=theme,
            tags=tuple(tags),
            authors=tuple(authors),
            cname=cname,
            feed_content=feed_content,
            slug_style=slug_style if slug_style in SLUG_STYLES else "ascii",
            raw_html=raw_html,
            markdown_time_limit=float(time_limit),
            social_cards=social_cards,
            related_count=related_count,
            theme_params=theme_params,
            extra_css=extra_css,
            extra_head=extra_head,
            menus=menus,
        )

    def read_theme_settings(self, table: Mapping[str, Any]
                            ) -> tuple[tuple[Setting, ...], tuple[Setting, ...], Setting | None]:
        """[theme.params] (checked against theme.toml by the theme), extra_css (stylesheet paths in static/ or a
        theme's static/)
        and extra_head (a template of the theme to include at the end of <head>)."""
        params = table.get("params", {})
        if not isinstance(params, dict):
            self.report("params", "[theme.params] must be a table of settings such as logo = \"img/logo.svg\"")
            params = {}
        start = self.line_of("params")
        theme_params = tuple(Setting(key, value, self.line_of(key, start)) for key, value in params.items())
        written = table.get("extra_css", [])
        if not isinstance(written, list) or not all(isinstance(path, str) for path in written):
            self.report("extra_css", 'extra_css must be a list of stylesheet paths in static/ or a theme\'s '
                                     'static/, such as ["css/brand.css"]')
            written = []
        extra_css = []
        for path in written:
            if not is_static_path(path) or not path.endswith(".css"):
                self.report("extra_css", f"extra_css must name .css files in static/ or a theme's static/, such "
                                         f'as "css/brand.css", not {json_quote(path)}')
            else:
                extra_css.append(Setting("extra_css", path, self.line_of("extra_css")))
        extra_head = None
        if "extra_head" in table:
            head = table["extra_head"]
            if not isinstance(head, str) or not is_static_path(head) or not head.endswith(".html"):
                self.report("extra_head", "extra_head must name a template of the theme, such as "
                                          f'"partials/head.html", not {toml_shown(head)}')
            else:
                extra_head = Setting("extra_head", head, self.line_of("extra_head"))
        return theme_params, tuple(extra_css), extra_head

    def read_menus(self, table: Any, codes: list[str]) -> tuple[tuple[str, tuple[MenuEntry, ...]], ...]:
        """[[menus.<lang>]] items (name, url, weight) per configured language, sorted by weight then as written."""
        if not isinstance(table, dict):
            self.report("menus", "menus must be arrays of tables such as [[menus.ar]]")
            return ()
        menus = []
        for code, entries in table.items():
            if code not in codes:
                self.report(code, f'[[menus.{code}]] is for a language that is not configured; languages are '
                                  f"{', '.join(json_quote(known) for known in codes)}{suggest(code, codes)}")
                continue
            if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
                self.report(code, f"menus.{code} must be an array of tables: [[menus.{code}]]")
                continue
            headers = self.header_lines(f"[[menus.{code}]]")
            items = [self.read_menu_entry(code, entry, headers[index] if index < len(headers) else self.line_of(code))
                     for index, entry in enumerate(entries)]
            ordered = sorted((item for item in items if item), key=lambda item: item.weight)
            menus.append((code, tuple(ordered)))
        return tuple(sorted(menus, key=lambda menu: codes.index(menu[0])))

    def header_lines(self, header: str) -> list[int]:
        """The 1-based lines of every table header written as header ("[[menus.ar]]"), spaces ignored."""
        return [number for number, line in enumerate(self.lines, 1)
                if line.split("#", 1)[0].replace(" ", "").strip() == header]

    def read_menu_entry(self, code: str, entry: Mapping[str, Any], header: int) -> MenuEntry | None:
        """One menu item, or None after reporting what is wrong with it at its own line."""
        where = f"[[menus.{code}]]"
        problems = len(self.problems)
        for key in entry:
            if key not in MENU_KEYS:
                self.problems.append(Problem(CONFIG_NAME, self.line_of(key, header - 1),
                                             f'unknown key "{key}" in {where}{suggest(key, MENU_KEYS)}'))
        name, url, weight = entry.get("name"), entry.get("url"), entry.get("weight", 0)
        if not isinstance(name, str) or not name.strip():
            line = self.line_of("name", header - 1) if "name" in entry else header
            self.problems.append(Problem(CONFIG_NAME, line, f"{where} name must be the item's label in quotes, "
                                                            f"not {toml_shown(name)}"))
        if not isinstance(url, str) or not is_menu_url(url):
            line = self.line_of("url", header - 1) if "url" in entry else header
            self.problems.append(Problem(CONFIG_NAME, line, f'{where} url must be a site path starting with "/" '
                                                            f'(such as "/{code}/tags/") or an http(s) address, '
                                                            f"not {toml_shown(url)}"))
        if not isinstance(weight, int) or isinstance(weight, bool):
            self.problems.append(Problem(CONFIG_NAME, self.line_of("weight", header - 1),
                                         f"{where} weight must be a whole number (lower comes first), not {toml_shown(weight)}"))
        if len(self.problems) > problems:
            return None
        return MenuEntry(name=str(name).strip(), url=str(url), weight=int(weight), line=header)

    def read_int(self, values: Mapping[str, Any], key: str, low: int, high: int) -> int:
        value = values[key]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            self.report(key, f"{key} must be a whole number from {low} to {high}, not {toml_shown(value)}")
            return TOP_LEVEL_DEFAULTS[key]
        return value

    def read_languages(self, table: Any) -> list[Language]:
        """Read [languages.<code>] tables, in the order written (the first is the default)."""
        if table is None:
            table = {"ar": {"locale": "ar", "name": "العربية", "title": "ورّاق", "description": ""}}
        if not isinstance(table, dict) or not table:
            self.report("languages", "languages must be tables such as [languages.ar]")
            return []
        return [self.read_language(code, entry) for code, entry in table.items() if self.is_table(code, entry)]

    def is_table(self, key: str, entry: Any) -> bool:
        if isinstance(entry, dict):
            return True
        self.report(key, f'"{key}" must be a table')
        return False

    def read_language(self, code: str, entry: dict[str, Any]) -> Language:
        self.check_keys(entry, LANGUAGE_KEYS, f" in [languages.{code}]")
        if not is_language_code(code):
            # The code names a folder under content/ and output/ and starts every URL of the language.
            self.report(code, f'[languages] code "{code}" is not a language code Babel knows (e.g. "ar", "en", "fa")')
        table = code if re.fullmatch(r"[A-Za-z0-9_-]+", code) else json_quote(code)
        after = self.line_of(code)
        for key in ("locale", "digits", "name", "title", "description"):
            if key in entry and not isinstance(entry[key], str):
                self.problems.append(Problem(CONFIG_NAME, self.line_of(key, after),
                                             f"[languages.{table}] {key} must be text in quotes, not {toml_shown(entry[key])}"))
        # A locale that is not text was reported above: the code stands in.
        locale_name = entry["locale"] if isinstance(entry.get("locale"), str) else code
        try:
            locale = Locale.parse(locale_name)
        except (UnknownLocaleError, ValueError):
            self.report("locale" if "locale" in entry else code,
                        f'[languages.{table}] locale {json_quote(locale_name)} is not a locale Babel knows (e.g. "ar", '
                        f'"ar_SY", "en")', after if "locale" in entry else 0)
            locale = Locale.parse("en")
        digits = entry["digits"] if isinstance(entry.get("digits"), str) else "latn"  # not text: reported above
        if digits not in DIGITS:
            self.report("digits", f'[languages.{table}] digits must be "latn", "arab" or "arabext", not '
                                  f'{json_quote(digits)}', after)
        return Language(
            code=code,
            locale=locale_name,
            digits=digits,
            name=str(entry.get("name", locale.get_display_name(locale) or code)),
            direction=locale.text_direction,
            title=str(entry.get("title", "Warraq")),
            description=str(entry.get("description", "")),
            og_locale=og_locale(locale),
        )

    def read_tags(self, entries: Any, codes: list[str]) -> list[TagDef]:
        """Read [[tags]] entries: slug, a name per language (ar = "..", en = ".."), and signal words."""
        if not isinstance(entries, list):
            self.report("tags", "tags must be an array of tables: [[tags]]")
            return []
        tags: list[TagDef] = []
        seen: set[str] = set()
        # Each slug and name, folded as taxonomy.make_vocabulary folds them -> the slug of the tag that has it.
        owners: dict[str, str] = {}
        starts = self.entry_starts("tags")
        for index, entry in enumerate(entries):
            after = starts[index] if index < len(starts) else 0
            if not isinstance(entry, dict):
                self.report("tags", f"tags must be an array of tables: [[tags]], not {toml_shown(entry)}")
                continue
            known = TAG_KEYS + tuple(codes)
            self.check_keys(entry, known, " in [[tags]]", after)
            if not isinstance(entry.get("names", {}), dict):
                self.report("names", "[[tags]] names must be a table such as names = { fa = \"...\" }", after)
                entry = {**entry, "names": {}}
            if not isinstance(entry.get("words", []), list) or not all(isinstance(w, str) for w in entry.get("words", [])):
                self.report("words", '[[tags]] words must be a list of text such as ["سوريا", "Syria"]', after)
                entry = {**entry, "words": []}
            slug, problem = check_slug(entry.get("slug", ""), "tag")
            if problem:
                self.report("slug", problem, after)
            if slug in seen:
                self.report("slug", f'tag slug "{slug}" is defined twice', after)
            seen.add(slug)
            names = {}
            # (key, value, the key whose line the value is on): a names = { fa = ... } table is on one line.
            for key, value, line_key in [*((code, entry[code], code) for code in codes if code in entry),
                                         *((key, value, "names") for key, value in entry.get("names", {}).items())]:
                if isinstance(value, str):
                    names[key] = value
                else:
                    self.report(line_key, f"[[tags]] name {key} must be text in quotes, not {toml_shown(value)}",
                                after)
            self.check_owners(owners, "tag", slug, names, entry, after)
            words = tuple(str(word) for word in entry.get("words", ()))
            tags.append(TagDef(slug=slug, names=names, words=words))
        return tags

    def read_authors(self, entries: Any, codes: list[str]) -> list[AuthorDef]:
        """Read [[authors]] entries: slug and a name per language (ar = "..", en = ".."), like [[tags]]."""
        if not isinstance(entries, list) or not all(isinstance(entry, dict) for entry in entries):
            self.report("authors", "authors must be an array of tables: [[authors]]")
            return []
        authors: list[AuthorDef] = []
        seen: set[str] = set()
        owners: dict[str, str] = {}
        # Each entry's problems are reported at its own lines: the search for a key starts at its [[authors]].
        starts = self.entry_starts("authors")
        for index, entry in enumerate(entries):
            after = starts[index] if index < len(starts) else 0

            def report(key: str, message: str) -> None:
                self.report(key, message, after)

            self.check_keys(entry, AUTHOR_KEYS + tuple(codes), " in [[authors]]", after)
            slug, problem = check_slug(entry.get("slug", ""), "author")
            if problem:
                report("slug", problem)
            if slug in seen:
                report("slug", f'author slug "{slug}" is defined twice')
            seen.add(slug)
            extra = entry.get("names", {})
            if not isinstance(extra, dict):
                report("names", '[[authors]] names must be a table such as names = { fa = "..." }')
                extra = {}
            names = {}
            for key, value in [*((code, entry[code]) for code in codes if code in entry), *extra.items()]:
                if isinstance(value, str):
                    names[key] = value.strip()
                else:
                    report(key, f"[[authors]] name {key} must be text in quotes, not {toml_shown(value)}")
            self.check_owners(owners, "author", slug, names, entry, after)
            if not any(names.values()):
                report("slug", f'author "{slug}" in [[authors]] needs a name: ar = "...", en = "..."')
            authors.append(AuthorDef(slug=slug, names={k: v for k, v in names.items() if v}))
        return authors
