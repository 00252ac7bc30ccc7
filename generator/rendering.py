"""Render the planned pages through the build cache: a page whose inputs and file are unchanged stays as the
last build left it; the rest are rendered (over the machine's cores when there are many) and staged."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Mapping, Sequence

import jinja2

from generator.cache import BuildCache, CachedPage
from generator.config import Config
from generator.errors import BuildError, Problem
from generator.fingerprints import Fingerprinter
from generator.i18n import Catalogs
from generator.parallel import map_parallel
from generator.plan import PageSpec
from generator.theme import Theme, collect_problems, make_environments, render_page
from generator.writer import Staging, abandon_staging, output_name, stage_if_same, stage_page


@dataclass(frozen=True)
class PageWorker:
    """What a process staging pages holds: what the cache knows, its own fingerprinter, where to stage, and
    its Jinja environments, made when the process first renders a page (a rebuild may render none)."""

    make_environments: Callable[[], dict[str, jinja2.Environment]]
    environments: dict[str, jinja2.Environment]
    root: Path
    staging: Staging | None
    known: Mapping[str, CachedPage]
    fingerprinter: Fingerprinter | None


@dataclass(frozen=True)
class PageOutcome:
    """What became of one page: a problem, or staged (kept from the last build or not, rendered or not)."""

    url: str
    problem: Problem | None = None
    rendered: bool = False
    kept: bool = False
    # A new cache row: url, fingerprint and sha256.
    row: tuple[str, bytes, bytes] | None = None


def render_and_stage(pages: Sequence[PageSpec], theme: Theme, config: Config, catalogs: Catalogs,
                     live_reload_script: str, global_fingerprint: bytes, cache: BuildCache | None,
                     staging: Staging | None, known: Mapping[str, CachedPage]) -> list[PageOutcome]:
    """Keep every page whose inputs and file are unchanged (known: the cache's record of the last build's
    pages by URL); render the rest (over the machine's cores when there are many) and stage them. Template
    problems stop the build, reported as template:line, with output/ untouched."""
    if cache:
        cache.close()  # a database connection must not cross fork
    bytecode_dir = cache.template_dir(global_fingerprint) if cache else None

    def make_worker() -> PageWorker:
        return PageWorker(lambda: make_environments(theme, config, catalogs, live_reload_script, bytecode_dir), {},
                          config.root, staging, known, Fingerprinter(global_fingerprint) if cache else None)

    # Pages planned as kept need no worker: only the rest go out, so a rebuild that keeps most forks none.
    rendered = iter(map_parallel(stage_one_page, [page for page in pages if not page.kept], make_worker))
    outcomes = [PageOutcome(page.url, kept=True) if page.kept else next(rendered) for page in pages]
    if cache:
        cache.reopen()
    problems = collect_problems(outcome.problem for outcome in outcomes)
    if problems:
        if staging:
            abandon_staging(staging)
        raise BuildError(problems)
    return outcomes


def keep_page(staging: Staging | None, page: PageSpec, fingerprint: bytes | None, known: CachedPage | None) -> bool:
    """Whether the last build's file for page can stay: its inputs are unchanged and so is the file."""
    if not (staging and fingerprint and known and known.fingerprint == fingerprint):
        return False
    return stage_if_same(staging, output_name(page.url), known.sha256)


def stage_one_page(worker: PageWorker, page: PageSpec) -> PageOutcome:
    """Keep one page from the last build when its inputs and file are unchanged, else render and stage it
    (in a worker process for large sites); pages planned as kept never come here (render_and_stage)."""
    fingerprint = fingerprint_page(worker.fingerprinter, page)
    if keep_page(worker.staging, page, fingerprint, worker.known.get(page.url)):
        return PageOutcome(page.url, kept=True)
    if not worker.environments:
        worker.environments.update(worker.make_environments())
    result = render_page(page, worker.environments, worker.root)
    if isinstance(result, Problem):
        return PageOutcome(page.url, problem=result)
    kept = stage_page(worker.staging, page.url, result.content) if worker.staging else False
    row = (page.url, fingerprint, hashlib.sha256(result.content).digest()) if fingerprint else None
    return PageOutcome(page.url, rendered=True, kept=kept, row=row)


def fingerprint_page(fingerprinter: Fingerprinter | None, page: PageSpec) -> bytes | None:
    """The page's cache key, or None (always render) without a cache or for a context pickle cannot hold."""
    if fingerprinter is None:
        return None
    try:
        return fingerprinter.page_fingerprint(page.template, page.lang, page.context)
    except Exception:  # noqa: BLE001 - e.g. a custom object in front matter `extra:`; the page just renders
        return None
