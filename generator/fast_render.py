"""serve's fast render: the page of an article whose body alone changed, rendered on its own ahead of the rebuild.

Hugo's server renders the pages open in a browser first ("fast render mode"); this is that idea, narrowed to what
can be shown exactly: when a save changes an article's body and nothing else (its front matter as the last build
read it, its images, every other file), the article's page is planned from the last build's plan with the new
body alone and rendered with the same templates, in a few milliseconds at any size of archive. serve shows it to
the tabs on that page at once; the full rebuild follows as after any save, and a tab reloads again only if the
page the rebuild wrote differs from the one it was shown (serve.ServeState).
"""

from __future__ import annotations

import hashlib
from collections import ChainMap
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Mapping, Sequence

import jinja2
import markdown

from generator import cache as caching
from generator import inputs
from generator.cache import Memo, memo_key
from generator.config import Config
from generator.content import parse_article
from generator.errors import Problem, relative_path
from generator.i18n import Catalogs
from generator.images import Illustrations
from generator.markup import MarkupError, MarkupPolicy
from generator.plan import LINKED, Bodies, PageSpec, Placed, Sources, place_articles, replan_article
from generator.popularity import PAGE_LIMIT, most_read
from generator.reading import BodyStyle, body_style, convert_body, markup_key, source_digest
from generator.site import Entry, Site
from generator.theme import Theme, make_environments, render_page
from generator.writer import output_name


# The longest a fast render may spend converting a body (seconds), the site's markdown_time_limit aside: the
# rebuild converts it again, and waits meanwhile. A 1,000-word body takes about 3 ms; one that takes longer is
# left to the rebuild, which also reports a body that cannot be converted.
FAST_TIME_LIMIT = 0.3


@dataclass(frozen=True)
class LastPlan:
    """What serve's last successful build planned its pages from, for the fast render of the next save: the
    site, every body and source digest as planned, each article placed (by source path) with its neighbours and
    related articles, each language's most-read list, each article page's linked alternates (by URL); and the
    templates' environments and Markdown converters, made on first use and kept from one plan to the next while
    global_key (templates, catalogs, settings and code: fingerprints.pages) stays the same."""

    config: Config
    theme: Theme
    catalogs: Catalogs
    site: Site
    bodies: Bodies
    sources: Sources
    illustrations: Illustrations
    placed: Mapping[str, Placed]
    read_most: Mapping[str, tuple[Entry, ...]]
    linked: Mapping[str, Mapping[str, Any]]
    live_reload_script: str
    global_key: bytes
    markup: bytes
    environments: dict[str, jinja2.Environment]
    converters: dict[BodyStyle, markdown.Markdown]


@dataclass(frozen=True)
class FastPage:
    """An article page rendered ahead of the rebuild: its URL, its file's name under output/ and its bytes."""

    url: str
    name: str
    content: bytes


def keep_plan(config: Config, theme: Theme, catalogs: Catalogs, site: Site, bodies: Bodies, sources: Sources,
              illustrations: Illustrations, memo: Memo, pages: Sequence[PageSpec], live_reload_script: str,
              global_key: bytes, last: LastPlan | None) -> LastPlan:
    """The LastPlan of a build that planned pages from these (memo as plan_pages left it); last is the plan
    before, whose environments and converters are kept when its global_key is this one."""
    linked = {page.url: {name: page.context[name] for name in LINKED}
              for page in pages if page.identity[:1] == ("article",)}
    read_most = {language_site.language.code: most_read(language_site.entries, PAGE_LIMIT)
                 for language_site in site.languages}
    kept = last is not None and last.global_key == global_key and last.live_reload_script == live_reload_script
    return LastPlan(config, theme, catalogs, site, bodies, sources, illustrations, place_articles(site, memo),
                    read_most, linked, live_reload_script, global_key,
                    markup_key(MarkupPolicy(config.raw_html, config.markdown_time_limit)),
                    last.environments if kept else {}, last.converters if kept else {})


def render_edited(plan: LastPlan, path: Path) -> FastPage | None:
    """The page of the article in the content file at path, rendered alone with its new body, when the file is
    an article of plan's site whose front matter (and every field read from it) is as plan has it; None when it
    is not, or when the file cannot be read or converted (the rebuild then reports why)."""
    config = plan.config
    rel = relative_path(path, config.root)
    placed = plan.placed.get(rel)
    if placed is None:
        return None
    try:
        data = inputs.read_bytes(path)
        problems: list[Problem] = []
        article = parse_article(inputs.decode_text(data), rel, placed.entry.article.lang, problems)
    except inputs.InputError:
        return None
    # The site holds its articles without their Markdown text (reading.py): the same but for it, or not shown
    # here. Compared as pickled, not with ==, which takes 1, 1.0 and true in `extra:` for one another, and two
    # orders of its keys for one.
    if article is None or problems or memo_key(replace(article, body="")) != memo_key(placed.entry.article):
        return None
    language = next(found for found in config.languages if found.code == article.lang)
    style = body_style(plan.catalogs, language)
    limit = FAST_TIME_LIMIT if config.markdown_time_limit <= 0 else min(config.markdown_time_limit, FAST_TIME_LIMIT)
    try:
        body = convert_body(plan.converters, (style, article.body), MarkupPolicy(config.raw_html, limit))
    except MarkupError:
        plan.converters.pop(style, None)  # a converter interrupted mid-run is not trusted again
        return None
    key = caching.body_key(plan.markup, style.key, caching.text_digest(article.body))
    source = plan.illustrations.source(rel, source_digest(hashlib.sha256(data).digest(), key, rel))
    # Only this article's body and source differ from the plan's: laid over them, not copied with them.
    bodies = ChainMap({(article.lang, article.slug): plan.illustrations.illustrate(rel, body)}, plan.bodies)
    page = replan_article(plan.site, placed, plan.read_most[article.lang], bodies, plan.catalogs,
                          ChainMap({rel: source}, plan.sources), plan.illustrations.images, plan.linked[placed.entry.url])
    if not plan.environments:
        plan.environments.update(make_environments(plan.theme, config, plan.catalogs, plan.live_reload_script))
    result = render_page(page, plan.environments, config.root)
    if isinstance(result, Problem):
        return None
    return FastPage(page.url, output_name(page.url), result.content)


def prepare(plan: LastPlan) -> None:
    """Make plan's template environments and Markdown converters, and compile the templates its articles use,
    unless a plan before made them: the first fast render after a build then costs what the others do."""
    if plan.environments:
        return
    plan.environments.update(make_environments(plan.theme, plan.config, plan.catalogs, plan.live_reload_script))
    policy = MarkupPolicy(plan.config.raw_html, plan.config.markdown_time_limit)
    for language in plan.config.languages:
        convert_body(plan.converters, (body_style(plan.catalogs, language), ""), policy)
    for lang, template in sorted({(placed.entry.article.lang, placed.entry.article.template or "article.html")
                                  for placed in plan.placed.values()}):
        try:
            plan.environments[lang].get_template(template)
        except jinja2.TemplateError:
            continue  # the build rendered its pages, so this is no template an article renders with now
