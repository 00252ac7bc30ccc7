"""The whole build on one screen: read everything, check everything, then write."""

from __future__ import annotations

import datetime
import time
from dataclasses import dataclass
from pathlib import Path

from generator.config import Config, load_config
from generator.content import load_articles
from generator.coverage import report_coverage
from generator.errors import BuildError, Problem
from generator.feeds import render_feeds, render_robots, render_sitemap
from generator.i18n import Catalogs, extract_messages, load_catalogs
from generator.markup import make_converter, render_markdown
from generator.plan import Bodies, check_collisions, plan_pages
from generator.site import Site, build_site
from generator.theme import RenderedPage, Theme, load_theme, make_environment, render_pages
from generator.writer import write_site

# Strings the Python side shows; catalogs must carry them as well as the templates' own.
PYTHON_MESSAGES = (
    "Jump back to footnote %d in the text", "Topics", "Archive", "Page not found", "Latest articles",
    "The page you asked for does not exist or has moved.",
)


@dataclass(frozen=True)
class BuildOptions:
    """What the command line may change about a build."""

    output: Path | None = None
    base_url: str | None = None
    strict: bool = False
    include_drafts: bool = False
    include_future: bool = False
    write: bool = True
    # Injected before </body> by `serve` only; a publishing build never carries it.
    live_reload_script: str = ""


@dataclass(frozen=True)
class BuildResult:
    """What a build did, for the closing summary line."""

    pages: int
    written: int
    unchanged: int
    warnings: tuple[Problem, ...]
    seconds: float
    coverage: tuple[str, ...] = ()


def build(root: Path, options: BuildOptions) -> BuildResult:
    """Build the site under root; raise BuildError (before touching output/) on any problem."""
    started = time.perf_counter()
    config = load_config(root, options.base_url)
    articles, problems = load_articles(config, include_drafts=options.include_drafts,
                                       include_future=options.include_future, today=datetime.date.today())
    site, site_problems = build_site(articles, config)
    theme = load_theme(config)
    catalogs, catalog_problems = load_theme_catalogs(theme, config)
    warnings = stop_on_errors(problems + site_problems + catalog_problems, options.strict)
    bodies = render_bodies(site, catalogs)
    pages = plan_pages(site, bodies, catalogs)
    stop_on_errors(check_collisions(pages), options.strict)
    environments = {
        language.code: make_environment(theme, language, catalogs.translations(language.code), config.base_url,
                                        options.live_reload_script)
        for language in config.languages
    }
    rendered = render_pages(pages, environments, root)
    rendered += render_feeds(site, bodies, config, full_content=config.feed_content == "full")
    rendered += [render_sitemap(pages, config), render_robots(config)]
    if not options.write:
        return BuildResult(len(rendered), 0, 0, tuple(warnings), time.perf_counter() - started,
                           coverage=tuple(report_coverage(site, theme)))
    rendered += host_files(config)
    report = write_site(rendered, theme.static_dirs, options.output or root / "output")
    return BuildResult(len(rendered), report.written, report.unchanged, tuple(warnings),
                       time.perf_counter() - started)


def host_files(config: Config) -> list[RenderedPage]:
    """Files for GitHub Pages itself: CNAME when a custom domain is configured."""
    return [RenderedPage("CNAME", f"{config.cname}\n".encode())] if config.cname else []


def load_theme_catalogs(theme: Theme, config: Config) -> tuple[Catalogs, list[Problem]]:
    """Catalogs for every configured language, checked against every string the templates use."""
    required = set(PYTHON_MESSAGES)
    for directory in theme.template_dirs:
        required |= extract_messages(directory)
    return load_catalogs(theme.locale_dirs, [l.code for l in config.languages], required, config.root)


def stop_on_errors(problems: list[Problem], strict: bool) -> list[Problem]:
    """Raise with every error (and, when strict, every warning); otherwise return the warnings."""
    errors = [p for p in problems if strict or not p.is_warning]
    if errors:
        raise BuildError(sorted(set(problems)))
    return sorted(set(problems))


def render_bodies(site: Site, catalogs: Catalogs) -> Bodies:
    """Markdown to HTML for every article, with one converter per language reused across articles."""
    bodies = {}
    for language_site in site.languages:
        code = language_site.language.code
        converter = make_converter(catalogs.translations(code).gettext(PYTHON_MESSAGES[0]))
        for entry in language_site.entries:
            bodies[(code, entry.article.slug)] = render_markdown(converter, entry.article.body)
    return bodies
