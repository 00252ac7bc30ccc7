"""Read and validate site.toml into a frozen Config."""

from __future__ import annotations

import difflib
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from babel import Locale, UnknownLocaleError
from babel.core import get_global

from generator.errors import BuildError, Problem
from generator.urls import base_path

CONFIG_NAME = "site.toml"


@dataclass(frozen=True)
class Language:
    """One configured language: its code (URL prefix and content folder) and how it shows."""

    code: str
    locale: str
    digits: str
    name: str
    direction: str
    title: str
    description: str
    og_locale: str = ""


@dataclass(frozen=True)
class TagDef:
    """A vocabulary tag: stable slug, a name per language, and the words that signal it."""

    slug: str
    names: Mapping[str, str]
    words: tuple[str, ...]


@dataclass(frozen=True)
class Config:
    """The whole validated site configuration."""

    root: Path
    base_url: str
    languages: tuple[Language, ...]
    default_language: str
    hijri_adjustment: int = 0
    page_size: int = 10
    theme: str = "default"
    tags: tuple[TagDef, ...] = ()
    cname: str = ""
    feed_content: str = "summary"

    @property
    def base_path(self) -> str:
        """The URL path the site lives under, always with a leading and trailing slash."""
        return base_path(self.base_url)

    def language(self, code: str) -> Language:
        """Return the configured language with this code."""
        return next(lang for lang in self.languages if lang.code == code)

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def seeds_dir(self) -> Path:
        return self.root / "seeds"

    @property
    def theme_dir(self) -> Path:
        return self.root / "themes" / self.theme


# Every key site.toml may hold, with its default; unknown keys are errors that suggest these.
TOP_LEVEL_DEFAULTS: dict[str, Any] = {
    "base_url": "/",
    "default_language": None,
    "theme": "default",
    "page_size": 10,
    "hijri_adjustment": 0,
    "languages": None,
    "tags": [],
    "cname": "",
    "feed_content": "summary",
}
LANGUAGE_KEYS = ("locale", "digits", "name", "title", "description")
TAG_KEYS = ("slug", "ar", "en", "names", "words")
DIGITS = ("latn", "arab", "arabext")
FEED_CONTENT = ("summary", "full")


def load_config(root: Path, base_url: str | None = None) -> Config:
    """Read root/site.toml, validate every key, and return a Config; raise BuildError listing all problems."""
    path = root / CONFIG_NAME
    if not path.is_file():
        raise BuildError([Problem(CONFIG_NAME, 1, f"no {CONFIG_NAME} in {root} (is --root right?)")])
    text = path.read_text(encoding="utf-8")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise BuildError([Problem(CONFIG_NAME, _toml_error_line(error), f"invalid TOML: {error}")]) from None
    reader = _Reader(text)
    config = reader.read(root, data, base_url)
    if reader.problems:
        raise BuildError(sorted(reader.problems))
    return config


def _toml_error_line(error: tomllib.TOMLDecodeError) -> int:
    """Pull the line number out of tomllib's message, which has no attribute for it."""
    marker = "(at line "
    message = str(error)
    if marker in message:
        return int(message.split(marker, 1)[1].split(",", 1)[0])
    return 1


def og_locale(locale: Locale) -> str:
    """Open Graph wants language_TERRITORY; a bare "ar" takes its likely territory from CLDR (ar_EG)."""
    if locale.territory:
        return f"{locale.language}_{locale.territory}"
    likely = get_global("likely_subtags").get(locale.language, locale.language)
    parts = likely.split("_")
    return f"{locale.language}_{parts[-1]}" if len(parts) > 1 else locale.language


def suggest(key: str, known: tuple[str, ...] | list[str]) -> str:
    """Return ' (did you mean "x"?)' for the nearest known key, or ''."""
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


class _Reader:
    """Collects every problem in site.toml instead of stopping at the first."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.problems: list[Problem] = []

    def line_of(self, key: str, after: int = 0) -> int:
        """Find the 1-based line where a key (or table header) is written; 1 when not found."""
        for number, line in enumerate(self.lines[after:], start=after + 1):
            stripped = line.strip()
            if stripped.startswith(f"{key} ") or stripped.startswith(f"{key}=") or stripped.startswith(f"[{key}") \
                    or stripped.startswith(f"[[{key}") or f".{key}]" in stripped:
                return number
        return 1

    def report(self, key: str, message: str) -> None:
        self.problems.append(Problem(CONFIG_NAME, self.line_of(key), message))

    def check_keys(self, table: Mapping[str, Any], known: tuple[str, ...], where: str) -> None:
        """Report every key of table that is not in known, with the nearest known key."""
        for key in table:
            if key not in known:
                self.report(key, f'unknown key "{key}"{where}{suggest(key, known)}')

    def read(self, root: Path, data: dict[str, Any], base_url: str | None) -> Config:
        """Turn parsed TOML into a Config, recording problems as it goes."""
        self.check_keys(data, tuple(TOP_LEVEL_DEFAULTS), "")
        values = {**TOP_LEVEL_DEFAULTS, **data}
        languages = self.read_languages(values["languages"])
        codes = [language.code for language in languages]
        default = values["default_language"] or (codes[0] if codes else "ar")
        if codes and default not in codes:
            self.report("default_language", f'default_language "{default}" is not one of the languages {codes}{suggest(default, codes)}')
        adjustment = self.read_int(values, "hijri_adjustment", -2, 2)
        page_size = self.read_int(values, "page_size", 1, 1000)
        theme = str(values["theme"])
        # Only the folder: a theme that extends another may have no templates of its own.
        if not (root / "themes" / theme).is_dir():
            self.report("theme", f'theme "{theme}" not found: no folder themes/{theme}/')
        tags = self.read_tags(values["tags"], codes)
        feed_content = str(values["feed_content"])
        if feed_content not in FEED_CONTENT:
            self.report("feed_content", f'feed_content must be "summary" or "full", not "{feed_content}"')
        cname = str(values["cname"]).strip()
        if "/" in cname or " " in cname:
            self.report("cname", f'cname must be a bare domain such as "news.example.org", not "{cname}"')
        return Config(
            root=root,
            base_url=base_url if base_url is not None else str(values["base_url"]),
            languages=tuple(languages),
            default_language=default,
            hijri_adjustment=adjustment,
            page_size=page_size,
            theme=theme,
            tags=tuple(tags),
            cname=cname,
            feed_content=feed_content,
        )

    def read_int(self, values: Mapping[str, Any], key: str, low: int, high: int) -> int:
        value = values[key]
        if not isinstance(value, int) or isinstance(value, bool) or not low <= value <= high:
            self.report(key, f"{key} must be a whole number from {low} to {high}, not {value!r}")
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
        locale_name = str(entry.get("locale", code))
        try:
            locale = Locale.parse(locale_name)
        except (UnknownLocaleError, ValueError):
            self.report(code, f'[languages.{code}] locale "{locale_name}" is not a locale Babel knows (e.g. "ar", "ar_SY", "en")')
            locale = Locale.parse("en")
        digits = str(entry.get("digits", "latn"))
        if digits not in DIGITS:
            self.report("digits", f'[languages.{code}] digits must be "latn", "arab" or "arabext", not "{digits}"')
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
        for entry in entries:
            known = TAG_KEYS + tuple(codes)
            self.check_keys(entry, known, " in [[tags]]")
            slug = str(entry.get("slug", ""))
            if not slug or not all(c.isascii() and (c.isalnum() or c == "-") for c in slug) or slug != slug.lower():
                self.report("slug", f'tag slug "{slug}" must be lower-case ASCII letters, digits and hyphens')
            if slug in seen:
                self.report("slug", f'tag slug "{slug}" is defined twice')
            seen.add(slug)
            names = {code: str(entry[code]) for code in codes if code in entry}
            names.update({k: str(v) for k, v in dict(entry.get("names", {})).items()})
            words = tuple(str(word) for word in entry.get("words", ()))
            tags.append(TagDef(slug=slug, names=names, words=words))
        return tags
