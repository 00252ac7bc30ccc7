"""The Jinja environment: theme lookup (a theme may extend another), filters, and page rendering."""

from __future__ import annotations

import os
import tomllib
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Mapping

import jinja2
from jinja2.nodes import EvalContext
from babel.numbers import format_decimal
from babel.support import Translations
from markupsafe import Markup

from generator import bidi, inputs, urls
from generator.config import Config, Language, is_folder_name
from generator.dates import localise_digits, parse_locale
from generator.errors import BuildError, Problem, relative_path
from generator.i18n import Catalogs
from generator.plan import PageSpec


@dataclass(frozen=True)
class Theme:
    """A theme and the themes it extends, nearest first: templates, static files and catalogs are looked up in order."""

    names: tuple[str, ...]
    directories: tuple[Path, ...]

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        return tuple(d / "templates" for d in self.directories if (d / "templates").is_dir())

    @property
    def static_dirs(self) -> tuple[Path, ...]:
        return tuple(d / "static" for d in self.directories if (d / "static").is_dir())

    @property
    def locale_dirs(self) -> tuple[Path, ...]:
        return tuple(d / "locales" for d in self.directories if (d / "locales").is_dir())


@dataclass(frozen=True)
class RenderedPage:
    """A page's final bytes and where they go."""

    url: str
    content: bytes


def load_theme(config: Config) -> Theme:
    """Follow `extends` in each theme.toml to build the lookup chain; a missing or looping parent is an error."""
    names: list[str] = []
    name: str | None = config.theme
    while name:
        directory = config.root / "themes" / name
        if name in names or not directory.is_dir():
            reason = "extends itself in a loop" if name in names else "does not exist"
            raise BuildError([Problem(f"themes/{names[-1] if names else name}/theme.toml", 1,
                                      f'theme "{name}" {reason}')])
        names.append(name)
        name = read_parent_theme(config.root, name)
    return Theme(names=tuple(names), directories=tuple(config.root / "themes" / n for n in names))


def read_parent_theme(root: Path, name: str) -> str | None:
    """The theme that themes/<name>/theme.toml extends, or None; BuildError at the line of a manifest that is
    not a regular UTF-8 file, not TOML, or names no plain folder under themes/."""
    where = f"themes/{name}/theme.toml"
    manifest = root / "themes" / name / "theme.toml"
    if not os.path.lexists(manifest):
        return None
    try:
        text = inputs.read_text(manifest, inputs.MIB)
        parent = tomllib.loads(text).get("extends")
    except inputs.InputError as error:
        raise BuildError([Problem(where, error.line, error.message.removesuffix("; skipped"))]) from None
    except tomllib.TOMLDecodeError as error:
        raise BuildError([Problem(where, 1, f"invalid TOML: {error}")]) from None
    if parent is not None and not (isinstance(parent, str) and is_folder_name(parent)):
        line = next((n for n, line in enumerate(text.splitlines(), 1) if line.strip().startswith("extends")), 1)
        raise BuildError([Problem(where, line, f"extends must name a folder in themes/, not {parent!r}")])
    return parent


def make_environment(theme: Theme, language: Language, translations: Translations, base_url: str,
                     live_reload_script: str = "", bytecode_cache: jinja2.BytecodeCache | None = None,
                     ) -> jinja2.Environment:
    """One environment per language: gettext, digits and number formatting all follow the language."""
    environment = jinja2.Environment(
        bytecode_cache=bytecode_cache,
        loader=jinja2.FileSystemLoader([str(d) for d in theme.template_dirs]),
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
        keep_trailing_newline=True,
        # Templates do not change during a build (serve makes new environments for each): no stat of every
        # template in a page's inheritance chain before each page.
        auto_reload=False,
    )
    environment.install_gettext_translations(translations, newstyle=True)  # type: ignore[attr-defined]
    install_quick_gettext(environment, translations)
    register_filters(environment, language, base_url)
    base_path = urls.base_path(base_url)
    environment.globals["static"] = lambda path: f"{base_path}static/{path}"
    environment.globals["serve_script"] = Markup(live_reload_script)
    return environment


def install_quick_gettext(environment: jinja2.Environment, translations: Translations) -> None:
    """Jinja's newstyle gettext (the message is a format string, its variables escaped) as one call instead of
    three, with each message translated once per environment. A page calls it some twenty times; Jinja's own
    chain took a quarter of an article page's rendering. tests/test_i18n.py renders every page both ways."""
    translated: dict[str, Markup] = {}

    # Positional names start with "__", as Jinja's own do, so that a variable called num or string can
    # still be passed by keyword: {% trans num=n %}.
    @jinja2.pass_eval_context
    def gettext(__eval_context: EvalContext, __string: str, **variables: Any) -> str:
        if not __eval_context.autoescape:
            return translations.gettext(__string) % variables
        message = translated.get(__string)
        if message is None:
            message = translated[__string] = Markup(translations.gettext(__string))
        return message % variables

    @jinja2.pass_eval_context
    def ngettext(__eval_context: EvalContext, __singular: str, __plural: str, __num: int, **variables: Any) -> str:
        variables.setdefault("num", __num)
        message = translations.ngettext(__singular, __plural, __num)
        return (Markup(message) if __eval_context.autoescape else message) % variables

    environment.globals.update(gettext=gettext, _=gettext, ngettext=ngettext)


def register_filters(environment: jinja2.Environment, language: Language, base_url: str) -> None:
    """The one place template filters are registered."""
    # hreflang and canonical links must be full URLs when the site's host is known.
    environment.filters["absolute"] = lambda path: urls.absolute(base_url, path)
    environment.filters["digits"] = lambda value: localise_digits(str(value), language.digits)
    environment.filters["number"] = lambda value: format_number(value, language)
    # Every front-matter field a template shows: direction from its content (bidi.py), never dir="auto".
    environment.filters["isolate"] = lambda value, class_="": bidi.isolate(value, language.direction, class_)


def format_number(value: int, language: Language) -> str:
    """A count in the language's locale and digits (Babel writes Latin digits unless asked otherwise)."""
    # Four-digit counts stay ungrouped ("4620 مشاهدة"), as the Arabic press writes them. Babel forgets the
    # numbering system when grouping is off, hence localise_digits over its result.
    text = format_decimal(value, locale=parse_locale(language.locale), numbering_system=language.digits,
                          group_separator=value >= 10000)
    return localise_digits(text, language.digits)


def make_environments(theme: Theme, config: Config, catalogs: Catalogs, live_reload_script: str = "",
                      bytecode_dir: Path | None = None) -> dict[str, jinja2.Environment]:
    """One environment per configured language. With bytecode_dir, compiled templates are kept there (Jinja
    checks each against its template's source), so a rebuild does not compile every template again."""
    bytecode_cache = jinja2.FileSystemBytecodeCache(str(bytecode_dir)) if bytecode_dir else None
    return {
        language.code: make_environment(theme, language, catalogs.translations(language.code), config.base_url,
                                        live_reload_script, bytecode_cache)
        for language in config.languages
    }


def render_page(page: PageSpec, environments: Mapping[str, jinja2.Environment], root: Path) -> RenderedPage | Problem:
    """Render one page, or say which template line went wrong: a problem, not an exception, so that a
    worker process can hand it back without a traceback."""
    try:
        html = environments[page.lang].get_template(page.template).render(page.context)
    except jinja2.TemplateSyntaxError as error:
        return Problem(_template_path(error.filename, error.name, root), error.lineno or 1, error.message or str(error))
    except jinja2.TemplateNotFound as error:
        return Problem(str(page.context.get("source_path", page.url)), 1, f'template "{error.name}" not found')
    except Exception as error:  # noqa: BLE001 - any error inside a template is the template's fault
        return locate_template_error(error, root, page)
    return RenderedPage(page.url, html.encode("utf-8"))


def collect_problems(results: Iterable[object]) -> list[Problem]:
    """The distinct problems among render results, sorted (one broken template fails many pages alike)."""
    problems: dict[str, Problem] = {}
    for result in results:
        if isinstance(result, Problem):
            problems.setdefault(str(result), result)
    return sorted(problems.values())


def locate_template_error(error: Exception, root: Path, page: PageSpec) -> Problem:
    """Find the innermost template frame in the traceback: Jinja maps it to the template's own line."""
    frames = [f for f in traceback.extract_tb(error.__traceback__) if f.filename.endswith((".html", ".xml", ".txt"))]
    message = f"{type(error).__name__}: {error}" if not isinstance(error, jinja2.UndefinedError) else str(error)
    if frames:
        frame = frames[-1]
        return Problem(relative_path(Path(frame.filename), root), frame.lineno or 1, f"{message} (rendering /{page.url})")
    return Problem(page.template, 1, f"{message} (rendering /{page.url})")


def _template_path(filename: str | None, name: str | None, root: Path) -> str:
    return relative_path(Path(filename), root) if filename else str(name)

