"""The Jinja environment: theme lookup (a theme may extend another), filters, and page rendering."""

from __future__ import annotations

import dataclasses
import os
import tomllib
import traceback
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from types import MappingProxyType
from typing import Any, Callable, Iterable, Mapping

import jinja2
import jinja2.lexer
from jinja2.nodes import EvalContext
from babel.numbers import format_decimal
from babel.support import Translations
from markupsafe import Markup

from generator import bidi, inputs, urls
from generator.content import Article
from generator.config import (
    CONFIG_NAME, Config, Language, MenuEntry, Setting, is_folder_name, json_quote, suggest, toml_error_line, toml_shown,
)
from generator.dates import localise_digits, parse_locale
from generator.errors import BuildError, Problem, relative_path
from generator.i18n import Catalogs, install_constant_translations
from generator.pages import RenderedPage
from generator.plan import PageSpec


@dataclass(frozen=True)
class ParamDoc:
    """A setting a theme documents in its theme.toml ([params.<name>] default, description, and static_file =
    true when its value names a file in a theme's static/ folder, such as a logo)."""

    name: str
    default: Any
    description: str
    # None when the theme.toml does not say: a child theme that documents the param again keeps its parent's.
    static_file: bool | None = None
    # Where the default is written (the theme.toml and the [params.<name>] line), for a message about it.
    where: str = ""
    line: int = 1


@dataclass(frozen=True)
class Manifest:
    """What a theme.toml says: the theme it extends (or None), at which line, and the params it documents."""

    extends: str | None
    params: tuple[ParamDoc, ...] = ()
    extends_line: int = 1


@dataclass(frozen=True)
class MenuLink:
    """A menu item as templates see it: its label and the URL a browser follows (base path added)."""

    name: str
    url: str
    external: bool


@dataclass(frozen=True)
class Theme:
    """A theme and the themes it extends, nearest first: templates, static files and catalogs are looked up in order.
    params are the documented defaults with site.toml's [theme.params] over them; extra_css (published paths below
    the site's base, "static/css/x.css") and extra_head (a template name) are site.toml's hooks; warnings are for
    the build to show."""

    names: tuple[str, ...]
    directories: tuple[Path, ...]
    params: Mapping[str, Any] = field(default_factory=dict)
    extra_css: tuple[str, ...] = ()
    extra_head: str = ""
    warnings: tuple[Problem, ...] = ()
    # The params that name a static file (static_file = true) and are not "": check_static_files' to check.
    static_params: tuple[StaticParam, ...] = ()

    @property
    def template_dirs(self) -> tuple[Path, ...]:
        return tuple(d / "templates" for d in self.directories if (d / "templates").is_dir())

    @property
    def static_dirs(self) -> tuple[Path, ...]:
        return tuple(d / "static" for d in self.directories if (d / "static").is_dir())

    @property
    def locale_dirs(self) -> tuple[Path, ...]:
        return tuple(d / "locales" for d in self.directories if (d / "locales").is_dir())


def load_theme(config: Config) -> Theme:
    """Follow `extends` in each theme.toml to build the lookup chain, then check site.toml's theme settings and
    the templates' {% extends %}; BuildError lists every problem (a missing or looping parent, a param of the
    wrong type, a missing extra_css or extra_head, an extends that names no template or the template itself)."""
    names: list[str] = []
    manifests: list[Manifest] = []
    name: str | None = config.theme
    while name:
        directory = config.root / "themes" / name
        if name in names or not inputs.is_dir(directory):
            reason = "extends itself in a loop" if name in names else "does not exist"
            raise BuildError([Problem(f"themes/{names[-1] if names else name}/theme.toml",
                                      manifests[-1].extends_line if manifests else 1, f'theme "{name}" {reason}')])
        names.append(name)
        manifests.append(read_manifest(config.root, name))
        name = manifests[-1].extends
    chain = Theme(names=tuple(names), directories=tuple(config.root / "themes" / n for n in names))
    documented = merge_param_docs(manifests)
    params, problems = check_params(config.theme_params, documented, config.theme)
    static_params = find_static_params(config.theme_params, documented)
    problems += [problem for param in static_params if (problem := static_path_problem(param))]
    stylesheets, missing = locate_stylesheets(config, chain)
    problems += missing + check_hooks(config, chain)
    problems += check_extends(chain, config.root) + check_template_links(chain, config.root)
    errors = [problem for problem in problems if not problem.is_warning]
    if errors:
        raise BuildError(sorted(errors))
    return Theme(names=chain.names, directories=chain.directories, params=MappingProxyType(params),
                 extra_css=stylesheets, static_params=tuple(static_params),
                 extra_head=str(config.extra_head.value) if config.extra_head else "",
                 warnings=tuple(sorted(problems)))


def read_manifest(root: Path, name: str) -> Manifest:
    """themes/<name>/theme.toml (a theme without one extends nothing and documents no params); BuildError at the
    line of a manifest that is not a regular UTF-8 file, not TOML, names no plain folder under themes/, or
    documents a param without a default and a description."""
    where = f"themes/{name}/theme.toml"
    manifest = root / "themes" / name / "theme.toml"
    if not os.path.lexists(manifest):
        return Manifest(None)
    try:
        text = inputs.read_text(manifest, inputs.MIB)
        data = tomllib.loads(text)
    except inputs.InputError as error:
        raise BuildError([Problem(where, error.line, error.message.removesuffix("; skipped"))]) from None
    except tomllib.TOMLDecodeError as error:
        raise BuildError([Problem(where, toml_error_line(error), f"invalid TOML: {error}")]) from None
    lines = text.splitlines()
    # An unknown key is most often a misspelt one: "extend" left the theme extending nothing, and its build
    # failed on a missing catalog with no word of the typo.
    problems = [Problem(where, _line_starting(lines, key), f'unknown key "{key}"{suggest(key, MANIFEST_KEYS)}')
                for key in data if key not in MANIFEST_KEYS]
    parent = data.get("extends")
    if parent is not None and not (isinstance(parent, str) and is_folder_name(parent)):
        problems.append(Problem(where, _line_starting(lines, "extends"), f"extends must name a folder in themes/, "
                                                                         f"not {toml_shown(parent)}"))
        parent = None
    params = data.get("params", {})
    docs = []
    if not isinstance(params, dict):
        problems.append(Problem(where, _line_starting(lines, "params"), "params must be tables such as [params.logo]"))
        params = {}
    for key, doc in params.items():
        if not isinstance(doc, dict) or "default" not in doc or not isinstance(doc.get("description"), str):
            problems.append(Problem(where, _line_starting(lines, f"[params.{key}]"),
                                    f'[params.{key}] must have a default and a description (text)'))
            continue
        if not isinstance(doc.get("static_file", False), bool):
            problems.append(Problem(where, _line_starting(lines, f"[params.{key}]"),
                                    f"[params.{key}] static_file must be true or false, not "
                                    f"{toml_shown(doc['static_file'])}"))
            continue
        docs.append(ParamDoc(key, doc["default"], doc["description"], doc.get("static_file"), where,
                             _line_starting(lines, f"[params.{key}]")))
    if problems:
        raise BuildError(problems)
    return Manifest(parent, tuple(docs), _line_starting(lines, "extends"))


# The keys theme.toml may hold: what the theme is (name, description, license), its parent, and its params.
MANIFEST_KEYS = ("name", "description", "license", "extends", "params")


def _line_starting(lines: list[str], prefix: str) -> int:
    return next((n for n, line in enumerate(lines, 1) if line.strip().startswith(prefix)), 1)


def merge_param_docs(manifests: list[Manifest]) -> dict[str, ParamDoc]:
    """Every param of the chain, a child's documentation replacing its parent's (manifests nearest first)."""
    documented: dict[str, ParamDoc] = {}
    for manifest in reversed(manifests):
        for doc in manifest.params:
            parent = documented.get(doc.name)
            if doc.static_file is None and parent is not None:
                doc = dataclasses.replace(doc, static_file=parent.static_file)
            documented[doc.name] = doc
    return dict(sorted(documented.items()))


# A param's kind is its documented default's; int is accepted where a float is documented.
KINDS: tuple[tuple[type, str], ...] = (
    (bool, "true or false"), (int, "a whole number"), (float, "a number"), (str, "text in quotes"),
    (list, "a list"), (dict, "a table"),
)


def kind_of(value: Any) -> tuple[type, str]:
    """(type, how the message names it) of a TOML value; bool before int, since True is an int in Python."""
    return next((kind for kind in KINDS if isinstance(value, kind[0])), (object, "a value"))


def check_params(settings: tuple[Setting, ...], documented: Mapping[str, ParamDoc],
                 theme: str) -> tuple[dict[str, Any], list[Problem]]:
    """The params templates see (documented defaults, site.toml's values over them) and the problems: a value of
    another kind than the default's is an error, a param the theme does not document a warning that lists those
    it does."""
    params = {name: doc.default for name, doc in documented.items()}
    problems: list[Problem] = []
    known = tuple(documented)
    listed = ", ".join(known) or "none"
    for setting in settings:
        doc = documented.get(setting.name)
        if doc is None:
            problems.append(Problem(CONFIG_NAME, setting.line, f'[theme.params] {setting.name} is not a param of theme '
                                                               f'"{theme}"{suggest(setting.name, known)}; it documents: '
                                                               f"{listed}", is_warning=True))
            params[setting.name] = setting.value
            continue
        expected, wanted = kind_of(doc.default)
        found, _ = kind_of(setting.value)
        if found is not expected and not (expected is float and found is int):
            problems.append(Problem(CONFIG_NAME, setting.line,
                                    f"[theme.params] {setting.name} must be {wanted}, not {toml_shown(setting.value)} "
                                    f"({setting.name}: {doc.description})"))
            continue
        params[setting.name] = setting.value
    return params, problems


@dataclass(frozen=True)
class StaticParam:
    """A param naming a file of a theme's static/ folder ("img/logo.svg"), and where its value is written: site.toml's
    line, or the theme.toml line of its default."""

    name: str
    value: str
    where: str
    line: int


def find_static_params(settings: tuple[Setting, ...], documented: Mapping[str, ParamDoc]) -> list[StaticParam]:
    """Each param documented as a static file (static_file = true) whose value is text other than "": site.toml's
    value, else the theme's default (a theme may ship a logo; one whose file is missing is its author's slip)."""
    found = []
    set_here = {setting.name: setting for setting in settings}
    for name, doc in documented.items():
        if not doc.static_file:
            continue
        setting = set_here.get(name)
        value, where, line = (setting.value, CONFIG_NAME, setting.line) if setting else (doc.default, doc.where,
                                                                                          doc.line)
        if isinstance(value, str) and value:  # of the wrong kind, check_params says so; "" is no file
            found.append(StaticParam(name, value, where, line))
    return found


def static_path_problem(param: StaticParam) -> Problem | None:
    """A static param's value must be a plain relative path inside a static/ folder ("img/logo.svg"): not absolute,
    no "..", ".", "//", trailing "/" or backslash, each of which the page's URL would carry as it is."""
    path = PurePosixPath(param.value)
    if path.is_absolute() or ".." in path.parts or "\\" in param.value or path.as_posix() != param.value:
        return Problem(param.where, param.line, f"[theme.params] {param.name} {json_quote(param.value)} must be a "
                                                "path inside a theme's static/ folder, such as \"img/logo.svg\"")
    return None


def check_static_files(theme: Theme, published: Iterable[str]) -> list[Problem]:
    """Each static param's file must be among the files the build publishes under static/ (published: output
    names, writer.static_names): a theme's static/ folder, a parent's, or the site's own static/static/. A file
    missing, a folder, or a link the build refuses to copy would be a broken image on every page (only `check
    --site` used to say so). An error at the value's line. (A value that is no plain path never gets here:
    load_theme refuses it, static_path_problem.)"""
    names = set(published)
    shown = " or ".join(f"themes/{name}/static/" for name in theme.names)
    return [Problem(param.where, param.line, f"[theme.params] {param.name} {json_quote(param.value)} is not a file "
                                             f"the site publishes in {shown} (or static/static/)")
            for param in theme.static_params if f"static/{param.value}" not in names]


def locate_stylesheets(config: Config, theme: Theme) -> tuple[tuple[str, ...], list[Problem]]:
    """Where each extra_css is published, as a path below the site's base: a theme's static/css/x.css is
    "static/css/x.css" (the themes' static/ goes to output/static/), the site's own static/css/x.css is
    "css/x.css" (the site's static/ is copied to output/ as it is); a theme's file is looked for first. A path in
    neither is an error, so that no page links a stylesheet that is not published."""
    found = []
    problems = []
    shown = ", ".join(f"themes/{name}/static/" for name in theme.names)
    for setting in config.extra_css:
        path = str(setting.value)
        if any(inputs.is_file(directory / path) for directory in theme.static_dirs):
            found.append(f"static/{path}")
        elif inputs.is_file(config.root / "static" / path):
            found.append(path)
        else:
            problems.append(Problem(CONFIG_NAME, setting.line, f'extra_css {json_quote(path)} is not a file in '
                                                               f"static/ or in {shown}"))
    return tuple(found), problems


def check_hooks(config: Config, theme: Theme) -> list[Problem]:
    """extra_head must be a template of the chain: a page must not include a template that is missing."""
    problems = []
    shown = ", ".join(f"themes/{name}/" for name in theme.names)
    head = config.extra_head
    if head and not any(inputs.is_file(directory / str(head.value)) for directory in theme.template_dirs):
        problems.append(Problem(CONFIG_NAME, head.line, f'extra_head {json_quote(str(head.value))} is not a '
                                                        f"template in the templates/ folder of {shown}"))
    return problems


TEMPLATE_SUFFIXES = (".html", ".xml", ".txt")


def check_extends(theme: Theme, root: Path) -> list[Problem]:
    """Every {% extends "name" %} with a literal name must reach another template: "default:base.html" is
    themes/default/templates/base.html, a plain name the first of the chain that has it. A prefix outside the
    chain, a missing prefixed template, a template that extends itself (a child's base.html extending
    "base.html") or a loop of templates would end in Jinja's bare RecursionError or TemplateNotFound: each is
    reported at the extends line instead."""
    parser = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    graph: dict[Path, tuple[Path, int]] = {}
    problems = []
    for name, directory in zip(theme.names, theme.directories):
        templates = directory / "templates"
        for path in sorted(p for p in templates.rglob("*") if p.suffix in TEMPLATE_SUFFIXES and p.is_file()):
            found = find_extends(parser, path)
            if found is None:
                continue
            target, line = found
            where = relative_path(path, root)
            resolved, problem = resolve_template(theme, target)
            if problem:
                problems.append(Problem(where, line, f'{{% extends "{target}" %}}: {problem}'))
            elif resolved == path:
                own = path.relative_to(templates).as_posix()
                parent = next((n for n, d in zip(theme.names, theme.directories)
                               if d != directory and inputs.is_file(d / "templates" / own)), None)
                hint = f'; to extend the parent theme\'s {own}, write {{% extends "{parent}:{own}" %}}' if parent else ""
                problems.append(Problem(where, line, f'{{% extends "{target}" %}} extends this template itself{hint}'))
            elif resolved is not None:
                graph[path] = (resolved, line)
    return problems + find_extends_loops(graph, root)


def check_template_links(theme: Theme, root: Path) -> list[Problem]:
    """An error for each link in a theme's templates/ that leads outside the project, to a file or a folder:
    Jinja follows links, so a theme's link to /etc/passwd or ~/.ssh/ would put that file into a published page
    (content and static files with such links are skipped; a template cannot be, its pages need it)."""
    inside = str(root.resolve()).rstrip(os.sep) + os.sep
    problems = []
    for directory in theme.directories:
        for path in sorted((directory / "templates").rglob("*")):
            target = os.path.realpath(path) if path.is_symlink() else ""
            if target and not target.startswith(inside):
                problems.append(Problem(path.relative_to(root).as_posix(), 1, f"is a symbolic link to {target}, "
                                        f"outside the project; a template must be inside it"))
    return problems


def find_extends(parser: jinja2.Environment, path: Path) -> tuple[str, int] | None:
    """The literal name and line of a template's {% extends %}, or None (none, a computed name, or a syntax
    error, which rendering reports with its own line). Jinja's lexer, not its parser, so comments and raw blocks
    are skipped as Jinja skips them; the scan stops at the first statement other than extends, import, from or
    set (a template that extends says so before its blocks): parsing every template of a chain took 60 ms."""
    try:
        previous: list[jinja2.lexer.Token] = []
        for token in jinja2.lexer.get_lexer(parser).tokenize(path.read_text(encoding="utf-8")):
            previous = [*previous[-3:], token]
            if len(previous) > 1 and previous[-2].type == "block_begin" and token.type == "name" \
                    and token.value not in ("extends", "import", "from", "set"):
                return None
            if [t.type for t in previous] == ["block_begin", "name", "string", "block_end"] \
                    and previous[1].value == "extends":
                return previous[2].value, previous[2].lineno
    except (jinja2.TemplateSyntaxError, UnicodeDecodeError, OSError):
        return None
    return None


def check_article_templates(theme: Theme, articles: Iterable[Article], root: Path) -> list[Problem]:
    """Every article's front matter template: must name a template of the theme's chain (as {% extends %}
    names one: "special.html", or "default:special.html" for a parent theme's) that prints a page, reported at
    its line; else every page of the article would fail to render, reported at line 1 of the article, or be
    empty. Each name is judged once, however many articles give it."""
    verdicts: dict[str, str | None] = {}
    problems = []
    for article in articles:
        if article.template is None:
            continue
        if article.template not in verdicts:
            verdicts[article.template] = template_problem(theme, article.template, root)
        problem = verdicts[article.template]
        if problem is not None:
            problems.append(Problem(article.path, article.template_line,
                                    f"template {json_quote(article.template)}: {problem}"))
    return problems


def template_problem(theme: Theme, name: str, root: Path) -> str | None:
    """Why an article's front matter cannot name the template name (check_article_templates), or None."""
    parts = name.partition(":")[2 if ":" in name else 0].split("/")
    if any(part in ("", ".", "..") or "\\" in part for part in parts):
        return "give a file name under the theme's templates/ folder, such as special.html, without ./, ../ or a " \
               "leading /"
    resolved, problem = resolve_template(theme, name)
    if resolved is None:
        folders = ", ".join(relative_path(folder, root) + '/' for folder in theme.template_dirs)
        return problem or "no such template in " + folders
    if not renders_a_page(resolved):
        # A partial such as _macros.html: rendered as the article's page, it printed an empty file.
        return f"{relative_path(resolved, root)} prints nothing of its own (it only defines macros); name a page " \
               f"template such as article.html, or one that extends it"
    return None


def renders_a_page(path: Path) -> bool:
    """Whether a template prints something when rendered: it extends another, or holds more than macro
    definitions, imports and white space. A template that cannot be read or parsed counts as one (rendering
    reports why it fails)."""
    try:
        tree = jinja2.Environment(extensions=["jinja2.ext.i18n"]).parse(inputs.read_text(path))
    except (inputs.InputError, jinja2.TemplateSyntaxError):
        return True
    if any(True for _ in tree.find_all(jinja2.nodes.Extends)):
        return True
    silent = (jinja2.nodes.Macro, jinja2.nodes.Import, jinja2.nodes.FromImport)
    return any(not isinstance(node, silent) and not is_blank(node) for node in tree.body)


def is_blank(node: jinja2.nodes.Node) -> bool:
    """Whether a template's top-level node prints white space alone (the lines between macro definitions)."""
    return isinstance(node, jinja2.nodes.Output) and all(
        isinstance(part, jinja2.nodes.TemplateData) and not part.data.strip() for part in node.nodes)


def resolve_template(theme: Theme, name: str) -> tuple[Path | None, str]:
    """(the file a template name loads, "") or (None, why it loads nothing) for a prefixed name; a plain name
    that no theme has gives (None, ""), which rendering reports as "template not found"."""
    prefix, colon, rest = name.partition(":")
    if not colon:
        return next((d / name for d in theme.template_dirs if inputs.is_file(d / name)), None), ""
    if prefix not in theme.names:
        return None, f'no theme "{prefix}" in this theme\'s chain ({", ".join(theme.names)})'
    path = theme.directories[theme.names.index(prefix)] / "templates" / rest
    return (path, "") if inputs.is_file(path) else (None, f'theme "{prefix}" has no template "{rest}"')


def find_extends_loops(graph: Mapping[Path, tuple[Path, int]], root: Path) -> list[Problem]:
    """Templates that extend one another in a circle (a extends b, b extends a), each circle reported once."""
    problems = []
    reported: set[Path] = set()
    for start in sorted(graph):
        seen = [start]
        current = graph[start][0]
        while current in graph and current not in seen:
            seen.append(current)
            current = graph[current][0]
        if current == start and not reported.intersection(seen):
            reported.update(seen)
            names = " -> ".join(relative_path(path, root) for path in [*seen, start])
            problems.append(Problem(relative_path(start, root), graph[start][1], f"templates extend each other in a "
                                                                                 f"loop: {names}"))
    return problems


def make_loader(theme: Theme) -> jinja2.BaseLoader:
    """Plain names ("base.html") from the first theme of the chain that has them; "default:base.html" from that
    theme's templates only, which is how a child's base.html extends its parent's."""
    prefixed = {name: jinja2.FileSystemLoader(str(directory / "templates"))
                for name, directory in zip(theme.names, theme.directories)}
    return jinja2.ChoiceLoader([jinja2.FileSystemLoader([str(d) for d in theme.template_dirs]),
                                jinja2.PrefixLoader(prefixed, delimiter=":")])


def menu_links(entries: Iterable[MenuEntry], base_path: str) -> tuple[MenuLink, ...]:
    """A language's menu for templates: site paths get the base path ("/ar/tags/" -> "/repo/ar/tags/")."""
    return tuple(MenuLink(entry.name, entry.url if entry.is_external else base_path + entry.url.removeprefix("/"),
                          entry.is_external) for entry in entries)


def make_environment(theme: Theme, language: Language, translations: Translations, base_url: str,
                     live_reload_script: str = "", bytecode_cache: jinja2.BytecodeCache | None = None,
                     menu: tuple[MenuEntry, ...] = ()) -> jinja2.Environment:
    """One environment per language: gettext, digits and number formatting all follow the language. Templates
    also see params (read-only), menu (this language's MenuLinks, () for the theme's own navigation),
    extra_css (stylesheet URLs) and extra_head (a template name or "")."""
    environment = jinja2.Environment(
        bytecode_cache=bytecode_cache,
        loader=make_loader(theme),
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
    install_constant_translations(environment, translations)
    register_filters(environment, language, base_url)
    base_path = urls.base_path(base_url)
    # Percent-encoded: a param such as logo may name "img/شعار 1.svg", and a space or "%" in src is invalid HTML.
    environment.globals["static"] = lambda path: urls.encode_path(f"{base_path}static/{path}")
    environment.globals["serve_script"] = Markup(live_reload_script)
    environment.globals.update(params=theme.params, menu=menu_links(menu, base_path), extra_head=theme.extra_head,
                               extra_css=tuple(base_path + path for path in theme.extra_css))
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

    # By number as well as by message: the form follows the number (Arabic has six), and a site's counts are few.
    plurals: dict[tuple[str, str, int], Markup] = {}

    @jinja2.pass_eval_context
    def ngettext(__eval_context: EvalContext, __singular: str, __plural: str, __num: int, **variables: Any) -> str:
        variables.setdefault("num", __num)
        if not __eval_context.autoescape:
            return translations.ngettext(__singular, __plural, __num) % variables
        key = (__singular, __plural, __num)
        message = plurals.get(key)
        if message is None:
            message = plurals[key] = Markup(translations.ngettext(__singular, __plural, __num))
        return message % variables

    environment.globals.update(gettext=gettext, _=gettext, ngettext=ngettext)


def register_filters(environment: jinja2.Environment, language: Language, base_url: str) -> None:
    """The one place template filters are registered."""
    # hreflang and canonical links must be full URLs when the site's host is known.
    environment.filters["absolute"] = lambda path: urls.absolute(base_url, path)
    environment.filters["digits"] = lambda value: localise_digits(str(value), language.digits)
    environment.filters["number"] = memoised_number(language)
    # Every front-matter field a template shows: direction from its content (bidi.py), never dir="auto".
    environment.filters["isolate"] = memoised_isolate(language.direction)


def memoised_number(language: Language) -> Callable[[Any], str]:
    """The |number filter: format_number, each whole number formatted once per environment (Babel takes a
    tenth of a millisecond, and listings show the same few counts page after page)."""
    formatted: dict[int, str] = {}

    def number(value: Any) -> str:
        if type(value) is not int:  # True and 1.0 equal 1 as keys, yet each formats its own way
            return format_number(value, language)
        text = formatted.get(value)
        if text is None:
            text = formatted[value] = format_number(value, language)
        return text

    return number


def memoised_isolate(context: str) -> Callable[..., Markup]:
    """The |isolate filter: bidi.isolate in the language's direction, each text isolated once per environment
    (an article's title and summary are shown on its page and on every listing that draws its card)."""
    isolated: dict[tuple[str, str], Markup] = {}

    def isolate(value: Any, class_: str = "") -> Markup:
        if type(value) is not str:  # Markup equals its text as a key, yet is isolated otherwise
            return bidi.isolate(value, context, class_)
        key = (value, class_)
        html = isolated.get(key)
        if html is None:
            html = isolated[key] = bidi.isolate(value, context, class_)
        return html

    return isolate


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
    return {
        language.code: make_environment(theme, language, catalogs.translations(language.code), config.base_url,
                                        live_reload_script, language_bytecode_cache(bytecode_dir, language.code),
                                        config.menu(language.code))
        for language in config.languages
    }


def language_bytecode_cache(bytecode_dir: Path | None, lang: str) -> jinja2.BytecodeCache | None:
    """Where one language's environment keeps its compiled templates (bytecode_dir/<lang>/), or None without
    bytecode_dir. Jinja keys a compiled template by its name and source alone, yet each language compiles it
    differently (translations and `{{ 404|number }}` are worked out when compiling): in one shared folder,
    the English 404 page printed the Arabic page's digits."""
    if bytecode_dir is None:
        return None
    folder = bytecode_dir / lang
    try:
        folder.mkdir(exist_ok=True)
    except OSError:
        return None  # templates are compiled in memory, as without a cache
    return jinja2.FileSystemBytecodeCache(str(folder))


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

