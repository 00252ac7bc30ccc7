"""Read and validate site.toml into a frozen Config. What the rest of the generator uses is here; the
validation itself, which loads Babel's locale data, is in config_reader.py, imported only when a site.toml
is validated (a build with the cache validates a site.toml only when its text changed: unchanged.py)."""

from __future__ import annotations

import difflib
import json
import os
import tomllib
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from generator import inputs
from generator.errors import BuildError, Problem
from generator.urls import base_path

# A slug (an article's or a tag's) names a folder of output/; file systems refuse names over 255 bytes ("File
# name too long"), and the margin leaves room for the "-2" the importer may add.
MAX_SLUG_BYTES = 200

CONFIG_NAME = "site.toml"
# site.toml is a page of settings; a megabyte is a mistake (or /dev/zero behind a link).
CONFIG_LIMIT = inputs.MIB


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
class AuthorDef:
    """An [[authors]] entry: the author's stable slug and their name in each language (authors.py)."""

    slug: str
    names: Mapping[str, str]


@dataclass(frozen=True)
class Setting:
    """A theme setting from site.toml ([theme.params], extra_css, extra_head) with the line it is written on:
    the theme, not this module, knows which values it accepts."""

    name: str
    value: Any
    line: int


@dataclass(frozen=True)
class MenuEntry:
    """One [[menus.<lang>]] item: its label, its URL as written (a site path "/ar/tags/" that gets the base
    path, or an http(s) address kept as it is), its weight (lower first) and its line in site.toml."""

    name: str
    url: str
    weight: int
    line: int

    @property
    def is_external(self) -> bool:
        return "://" in self.url


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
    authors: tuple[AuthorDef, ...] = ()
    cname: str = ""
    feed_content: str = "summary"
    slug_style: str = "ascii"
    raw_html: str = "sanitise"
    markdown_time_limit: float = 10.0
    # Whether articles without an image of their own (and listings) get a generated social card as og:image.
    social_cards: bool = True
    # How many related articles an article page lists (related.py); 0 lists none.
    related_count: int = 4
    theme_params: tuple[Setting, ...] = ()
    extra_css: tuple[Setting, ...] = ()
    extra_head: Setting | None = None
    # (language code, its menu sorted by weight then as written), in the order of the languages.
    menus: tuple[tuple[str, tuple[MenuEntry, ...]], ...] = ()
    # What is valid but worth saying once per build (a base_url with no host), as warnings.
    warnings: tuple[Problem, ...] = ()

    def menu(self, code: str) -> tuple[MenuEntry, ...]:
        """The menu configured for a language, () when it has none (the theme shows its own navigation)."""
        return next((entries for lang, entries in self.menus if lang == code), ())

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


def load_config(root: Path, base_url: str | None = None) -> Config:
    """Read root/site.toml, validate every key, and return a Config; raise BuildError listing all problems."""
    return read_config(root, read_config_text(root), base_url)


def read_config_text(root: Path) -> str:
    """root/site.toml's text, read as every input is (a special file, a link out of the project or a file over
    CONFIG_LIMIT is refused); BuildError when it is missing or cannot be read."""
    path = root / CONFIG_NAME
    if not os.path.lexists(path):
        raise BuildError([Problem(CONFIG_NAME, 1, f"no {CONFIG_NAME} in {root} (is --root right?)")])
    try:
        return inputs.read_text(path, CONFIG_LIMIT)
    except inputs.InputError as error:
        message = error.message.removesuffix("; skipped")  # nothing is built without it
        raise BuildError([Problem(CONFIG_NAME, error.line, message)]) from None


def read_config(root: Path, text: str, base_url: str | None = None) -> Config:
    """site.toml's text (of the project at root) validated into a Config; BuildError listing all problems."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise BuildError([Problem(CONFIG_NAME, toml_error_line(error), f"invalid TOML: {error}")]) from None
    # The validation's own module (Babel's locale data, the slug styles, the raw-HTML policies), imported when
    # a site.toml is validated: see the module's docstring.
    from generator.config_reader import Reader

    reader = Reader(text)
    config = reader.read(root, data, base_url)
    if reader.problems:
        raise BuildError(sorted(reader.problems))
    return config


def toml_error_line(error: tomllib.TOMLDecodeError) -> int:
    """Pull the line number out of tomllib's message, which has no attribute for it."""
    marker = "(at line "
    message = str(error)
    if marker in message:
        return int(message.split(marker, 1)[1].split(",", 1)[0])
    return 1


def suggest(key: str, known: tuple[str, ...] | list[str]) -> str:
    """Return ' (did you mean "x"?)' for the nearest known key, or ''."""
    close = difflib.get_close_matches(key, list(known), n=1, cutoff=0.6)
    return f' (did you mean "{close[0]}"?)' if close else ""


def is_folder_name(name: str) -> bool:
    """One plain folder name: no separator, not "." or "..", not hidden, no control characters."""
    return bool(name) and name not in (".", "..") and not name.startswith(".") and "/" not in name \
        and "\\" not in name and all(unicodedata.category(char)[0] != "C" for char in name)


def json_quote(text: str) -> str:
    """Text in double quotes for a message, line breaks and control characters shown escaped."""
    return json.dumps(text, ensure_ascii=False)


def toml_shown(value: object) -> str:
    """A value read from site.toml, for a message, as it is spelled in TOML: true, "10", 1.5, an array."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json_quote(value)
    if isinstance(value, (list, tuple)):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if value is None:
        return "nothing"
    return value.isoformat() if hasattr(value, "isoformat") else str(value)
