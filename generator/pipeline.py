"""The whole build on one screen: read everything, check everything, then write."""

from __future__ import annotations

import datetime
import gc
import hashlib
import os
import time
from collections import Counter
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

import jinja2
import markdown

from generator import cache as caching
from generator.cache import BuildCache, CachedArticle, CachedPage, FastState, Fingerprinter
from generator.config import CONFIG_NAME, Config, load_config
from generator.content import Article, find_duplicate_slugs, parse_article
from generator.coverage import report_coverage
from generator.errors import BuildError, Problem, relative_path
from generator.feeds import render_feeds, render_robots, render_sitemap
from generator.i18n import Catalogs, extract_messages, load_catalogs
from generator.markup import Rendered, make_converter, render_markdown
from generator.parallel import map_parallel
from generator.plan import Bodies, PageSpec, Sources, check_collisions, plan_pages
from generator.site import Site, build_site
from generator.theme import RenderedPage, Theme, collect_problems, load_theme, make_environments, render_page
from generator.writer import (
    FileState, Staging, abandon_staging, finish_staging, list_files, output_name, stage_if_same, stage_page, stage_static,
    start_staging, static_names,
)

# Strings the Python side shows; catalogs must carry them as well as the templates' own.
PYTHON_MESSAGES = (
    "Jump back to footnote %d in the text", "Topics", "Archive", "Page not found", "Latest articles",
    "The page you asked for does not exist or has moved.",
)
# What each page kind counts as in the closing summary line.
LISTING_KINDS = frozenset({"home", "tag", "tag_index", "archive", "archive_index"})
KINDS = ("article", "listing", "feed", "other")


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
    # The build cache in <root>/.warraq-cache/; off, every build is a cold one (and writes no cache).
    use_cache: bool = True


@dataclass(frozen=True)
class BuildResult:
    """What a build did, for the closing summary line."""

    pages: int
    written: int
    unchanged: int
    warnings: tuple[Problem, ...]
    seconds: float
    coverage: tuple[str, ...] = ()
    # Files written anew by kind ("article", "listing", "feed", "other"), for the summary line.
    written_by_kind: tuple[tuple[str, int], ...] = ()
    # Work done rather than taken from the build cache.
    articles_read: int = 0
    bodies_rendered: int = 0
    pages_rendered: int = 0


@dataclass(frozen=True)
class Fingerprints:
    """Digests of everything global a page depends on, and of one build's whole input."""

    pages: bytes
    build: bytes


# The cyclic garbage collector's thresholds during a build. A build allocates millions of small objects
# that live until it ends (articles, views, page contexts), almost none of them in reference cycles; at the
# default thresholds the collector rescanned them so often that it took a fifth of a one-article rebuild.
GC_THRESHOLDS = (100_000, 50, 100)


def build(root: Path, options: BuildOptions) -> BuildResult:
    """Build the site under root; raise BuildError (before touching output/) on any problem."""
    previous = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)
    try:
        return build_site_files(root, options)
    finally:
        gc.set_threshold(*previous)


def build_site_files(root: Path, options: BuildOptions) -> BuildResult:
    """build() at the collector thresholds it sets."""
    started, started_ns = time.perf_counter(), caching.now_ns()
    config = load_config(root, options.base_url)
    theme = load_theme(config)
    output = options.output or root / "output"
    fingerprints = fingerprint_inputs(config, theme, options)
    cache = caching.open_cache(root, caching.code_fingerprint()) if options.use_cache and options.write else None
    inputs = input_files(config, theme)
    last_build = cache.fast_state() if cache else None
    if cache and (unchanged := replay_unchanged(cache, last_build, fingerprints, inputs, output, options, started)):
        return unchanged
    catalogs, catalog_problems = load_theme_catalogs(theme, config)
    reading = read_articles(config, options, catalogs, cache)
    site, site_problems = build_site(reading.articles, config)
    warnings = stop_on_errors(reading.problems + site_problems + catalog_problems, options.strict)
    bodies = reading.site_bodies(site)
    pages = plan_pages(site, bodies, catalogs, reading.sources())
    stop_on_errors(check_collisions(pages), options.strict)
    others = render_feeds(site, bodies, config, full_content=config.feed_content == "full")
    others += [render_sitemap(pages, config), render_robots(config)]
    # Every file's name, which also refuses a URL outside output/ before anything is staged.
    names = [output_name(page.url) for page in [*pages, *others, *host_files(config)]]
    staging = start_staging(output) if options.write else None
    outcomes = render_and_stage(pages, theme, config, catalogs, options, fingerprints.pages, cache, staging,
                                last_build)
    counts = dict(articles_read=reading.parsed, bodies_rendered=reading.converted,
                  pages_rendered=sum(outcome.rendered for outcome in outcomes))
    if not staging:
        return BuildResult(len(pages) + len(others), 0, 0, tuple(warnings), time.perf_counter() - started,
                           coverage=tuple(report_coverage(site, theme)), **counts)
    written, outputs = write_rest(staging, pages, outcomes, others + host_files(config), theme, set(names))
    result = BuildResult(len(written.kinds) - written.static, written.written, len(written.kinds) - written.written,
                         tuple(warnings), time.perf_counter() - started, written_by_kind=written.by_kind(), **counts)
    if cache:
        save_cache(cache, pages, outcomes, FastState(fingerprints.build, str(output), started_ns, caching.now_ns(),
                                                     inputs, input_hashes(reading, inputs), outputs, result))
    return result


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


@dataclass(frozen=True)
class Written:
    """Every file of a build by kind, and whether each was written anew (or kept from the last build)."""

    kinds: tuple[str, ...]
    was_written: tuple[bool, ...]
    static: int

    @property
    def written(self) -> int:
        return sum(self.was_written)

    def by_kind(self) -> tuple[tuple[str, int], ...]:
        """How many files of each kind were written anew, for the summary line."""
        counts = Counter(kind for kind, written in zip(self.kinds, self.was_written) if written)
        return tuple((kind, counts[kind]) for kind in KINDS)


def write_rest(staging: Staging, pages: Sequence[PageSpec], outcomes: Sequence[PageOutcome],
               others: Sequence[RenderedPage], theme: Theme, names: set[str]) -> tuple[Written, tuple[FileState, ...]]:
    """Stage what is not a templated page (feeds, sitemap, robots.txt, CNAME, static files), then bring
    output/ to the staged site. Returns what was written, and output/'s files as the build leaves them."""
    kept = [outcome.kept for outcome in outcomes] + [stage_page(staging, page.url, page.content) for page in others]
    static = stage_static(staging, theme.static_dirs)
    kinds = [page_kind(page) for page in pages] + [file_kind(page.url) for page in others] + ["other"] * len(static)
    outputs = finish_staging(staging, names | static_names(theme.static_dirs))
    return Written(tuple(kinds), tuple(not k for k in kept + static), len(static)), outputs


def page_kind(page: PageSpec) -> str:
    """What a page counts as in the summary line: article, listing or other."""
    info = page.context.get("page")
    kind = getattr(info, "kind", "")
    return "article" if kind == "article" else "listing" if kind in LISTING_KINDS else "other"


def file_kind(url: str) -> str:
    """What a file that is not a templated page counts as: a feed or other (sitemap, robots.txt, CNAME)."""
    return "feed" if url.endswith("feed.xml") else "other"


# ---------------------------------------------------------------------------
# Fingerprints and the unchanged-build shortcut
# ---------------------------------------------------------------------------


def fingerprint_inputs(config: Config, theme: Theme, options: BuildOptions) -> Fingerprints:
    """What every page depends on besides its own context (templates, catalogs, configuration, code and
    library versions), and that plus what decides which files a build reads and where it writes."""
    theme_files = [path for directory in theme.directories for path in directory.rglob("*")
                   if path.is_file() and path.parts[len(directory.parts)] in ("templates", "locales", "theme.toml")]
    digest = hashlib.sha256(caching.code_fingerprint())
    digest.update(caching.hash_files([config.root / CONFIG_NAME, *theme_files], config.root))
    digest.update(repr((config.base_url, options.live_reload_script)).encode())
    pages = digest.digest()
    digest.update(repr((options.include_drafts, options.include_future, str(options.output),
                        datetime.date.today().isoformat())).encode())
    return Fingerprints(pages=pages, build=digest.digest())


def input_files(config: Config, theme: Theme) -> tuple[tuple[str, int, int], ...]:
    """Every content and static file with its size and modification time."""
    paths = sorted(config.content_dir.rglob("*.md")) if config.content_dir.is_dir() else []
    paths += sorted(path for directory in theme.static_dirs for path in directory.rglob("*") if path.is_file())
    return tuple((str(path), *state) for path in paths if (state := caching.file_state(path)))


def input_hashes(reading: ArticleReading, inputs: tuple[tuple[str, int, int], ...]) -> dict[str, bytes]:
    """The hash of every input's bytes as this build used them: content files' from their reading, the
    (few, small) static files' read now."""
    hashes = {str(path): entry.sha256 for path, entry in reading.files.items()}
    for name, _, _ in inputs:
        if name not in hashes:
            hashes[name] = hash_file(Path(name))
    return hashes


def hash_file(path: Path) -> bytes:
    """The sha256 of a file's bytes, or b"" when it cannot be read."""
    try:
        return hashlib.sha256(path.read_bytes()).digest()
    except OSError:
        return b""


def replay_unchanged(cache: BuildCache, state: FastState | None, fingerprints: Fingerprints,
                     inputs: tuple[tuple[str, int, int], ...], output: Path, options: BuildOptions,
                     started: float) -> BuildResult | None:
    """The last build's result when nothing it read or wrote has changed since: every page would come out
    the same, so output/ is already right. None when anything differs."""
    if state is None or state.key != fingerprints.build or state.inputs != inputs:
        return None
    # A file modified just before the last build read it could have changed again within the same clock
    # tick, keeping its size and mtime: trust the stat only for older files, compare the others' bytes.
    recent = [name for name, _, mtime_ns in inputs if mtime_ns >= state.started_ns - caching.RACY_NS]
    if any(hash_file(Path(name)) != state.hashes.get(name) for name in recent):
        return None
    if list_files(output) != state.outputs:
        return None
    previous: BuildResult = state.result
    warnings = stop_on_errors(list(previous.warnings), options.strict)
    cache.close()
    return BuildResult(previous.pages, 0, previous.written + previous.unchanged, tuple(warnings),
                       time.perf_counter() - started, written_by_kind=tuple((kind, 0) for kind in KINDS))


# ---------------------------------------------------------------------------
# Articles
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleReading:
    """The articles to publish (without their Markdown text), every problem found, each content file's
    reading, the HTML of every body by its key, and how many files were parsed and bodies converted."""

    articles: list[Article]
    problems: list[Problem]
    files: dict[Path, CachedArticle]
    bodies: dict[bytes, Rendered]
    keys: dict[str, bytes]
    parsed: int
    converted: int

    def sources(self) -> Sources:
        """ArticleView.source of every article read: its file's hash, its body's key and its path."""
        return {entry.article.path:
                hashlib.sha256(entry.sha256 + self.keys[entry.article.path] + entry.article.path.encode()).digest()
                for entry in self.files.values() if entry.article}

    def site_bodies(self, site: Site) -> Bodies:
        """The HTML of every published article's body, by (lang, slug), as plan_pages wants it."""
        return {(entry.article.lang, entry.article.slug): self.bodies[self.keys[entry.article.path]]
                for language_site in site.languages for entry in language_site.entries}


@dataclass(frozen=True)
class ArticleJob:
    """What a worker needs to read one content file and convert its body."""

    path: Path
    rel: str
    lang: str
    backlink_title: str
    markup: bytes


def read_articles(config: Config, options: BuildOptions, catalogs: Catalogs,
                  cache: BuildCache | None) -> ArticleReading:
    """content.load_articles with the cache, and the bodies' HTML: a file whose bytes are unchanged is not
    parsed again and an unchanged body is not converted again; the rest is done over the machine's cores,
    each file read, parsed and converted by one worker so that its Markdown text never crosses processes."""
    codes = {language.code for language in config.languages}
    titles = {code: backlink_title(catalogs, code) for code in codes}
    markup = caching.markup_fingerprint()
    known = cache.articles() if cache else {}
    body_keys = cache.body_keys() if cache else set()
    files: dict[Path, CachedArticle] = {}
    names: dict[Path, str] = {}
    jobs: list[ArticleJob] = []
    problems: list[Problem] = []
    paths = sorted(config.content_dir.rglob("*.md"))
    for path, rel in zip(paths, relative_names(paths, config.root)):
        names[path] = rel
        parts = path.relative_to(config.content_dir).parts
        lang = parts[0] if len(parts) > 1 else ""
        if lang not in codes:
            problems.append(Problem(rel, 1, f'"{lang or "content/"}" is not a configured language folder; '
                                            f"articles go under content/<lang>/ with lang one of {sorted(codes)}"))
            continue
        entry = reuse_article(path, known.get(rel))
        # A cached article whose body's HTML is not cached (markup.py or the back-link title changed) is
        # read again: the cache keeps the body's hash, not its text.
        if entry is None or (entry.article and body_key(markup, titles[lang], entry) not in body_keys):
            jobs.append(ArticleJob(path, rel, lang, titles[lang], markup))
            continue
        files[path] = entry
        if cache and entry is not known.get(rel):
            cache.refreshed[rel] = entry  # re-hashed and unchanged: remember the stat that now matches
    bodies: dict[bytes, Rendered] = {}
    for job, (entry, body) in zip(jobs, map_parallel(read_and_convert, jobs, lambda: ({}, body_keys))):
        files[job.path] = entry
        if body is not None:
            bodies[body_key(markup, job.backlink_title, entry)] = body
        if cache:
            cache.new_articles[job.rel] = entry
    keys = {entry.article.path: body_key(markup, titles[entry.article.lang], entry)
            for entry in files.values() if entry.article}
    converted = len(bodies)
    if cache:
        cache.articles_in_use = {names[path] for path in files}
        cache.new_bodies = dict(bodies)
        cache.bodies_in_use = set(keys.values())
    articles, problems = select_articles(dict(sorted(files.items())), problems, options)
    if cache:
        bodies.update(cache.bodies({keys[article.path] for article in articles} - set(bodies)))
    return ArticleReading(articles, problems, files, bodies, keys, parsed=len(jobs), converted=converted)


def relative_names(paths: Sequence[Path], root: Path) -> list[str]:
    """relative_path() of each file (how problems name it), resolving each folder once instead of each file."""
    prefix = str(root.resolve()).rstrip(os.sep) + os.sep
    folders: dict[Path, str] = {}
    names = []
    for path in paths:
        if path.is_symlink():
            names.append(relative_path(path, root))
            continue
        if path.parent not in folders:
            folders[path.parent] = str(path.parent.resolve())
        resolved = os.path.join(folders[path.parent], path.name)
        names.append(resolved[len(prefix):].replace(os.sep, "/") if resolved.startswith(prefix) else path.as_posix())
    return names


def backlink_title(catalogs: Catalogs, code: str) -> str:
    """The footnote back-link's title in a language (read aloud by screen readers)."""
    try:
        return catalogs.translations(code).gettext(PYTHON_MESSAGES[0])
    except LookupError:
        return PYTHON_MESSAGES[0]  # the language has no catalog: the build stops on that problem anyway


def body_key(markup: bytes, title: str, entry: CachedArticle) -> bytes:
    """The cache key of a file's body HTML."""
    return caching.body_key(markup, title, entry.body_sha256)


def select_articles(files: dict[Path, CachedArticle], problems: list[Problem],
                    options: BuildOptions) -> tuple[list[Article], list[Problem]]:
    """Leave out drafts and future articles (unless asked for), and check slugs, as load_articles does."""
    today = datetime.date.today()
    articles: list[Article] = []
    for entry in files.values():
        problems.extend(entry.problems)
        article = entry.article
        if article is None or (article.draft and not options.include_drafts):
            continue
        if article.date > today and not options.include_future:
            continue
        articles.append(article)
    problems.extend(find_duplicate_slugs(articles))
    return articles, problems


def reuse_article(path: Path, entry: CachedArticle | None) -> CachedArticle | None:
    """The cached reading of a file when its bytes are unchanged (by stat when trustworthy, else by hash)."""
    state = caching.file_state(path)
    if entry is None or state is None:
        return None
    if caching.is_unchanged(entry, *state):
        return entry
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if len(data) != state[0] or hashlib.sha256(data).digest() != entry.sha256:
        return None
    return replace(entry, size=state[0], mtime_ns=state[1], recorded_ns=caching.now_ns())


def read_and_convert(state: tuple[dict[str, markdown.Markdown], set[bytes]],
                     job: ArticleJob) -> tuple[CachedArticle, Rendered | None]:
    """Read and validate one content file, and convert its body unless that HTML is already cached;
    the article comes back without its Markdown text (in a worker process for large sites)."""
    converters, cached_keys = state
    recorded_ns = caching.now_ns()
    size, mtime_ns = caching.file_state(job.path) or (0, 0)
    data = job.path.read_bytes()
    problems: list[Problem] = []
    # Parse the bytes already read for the hash rather than reading the file a second time.
    article = parse_article(data.decode("utf-8-sig"), job.rel, job.lang, problems)
    body_sha = caching.text_digest(article.body) if article else b""
    entry = CachedArticle(size=size, mtime_ns=mtime_ns, recorded_ns=recorded_ns, sha256=hashlib.sha256(data).digest(),
                          article=replace(article, body="") if article else None, problems=tuple(problems),
                          body_sha256=body_sha)
    if article is None or caching.body_key(job.markup, job.backlink_title, body_sha) in cached_keys:
        return entry, None
    return entry, convert_body(converters, (job.backlink_title, article.body))


# ---------------------------------------------------------------------------
# Markdown bodies
# ---------------------------------------------------------------------------


def render_bodies(site: Site, catalogs: Catalogs) -> Bodies:
    """Markdown to HTML for every article of a site built from content.load_articles, by (lang, slug)."""
    converters: dict[str, markdown.Markdown] = {}
    return {
        (language_site.language.code, entry.article.slug):
            convert_body(converters, (backlink_title(catalogs, language_site.language.code), entry.article.body))
        for language_site in site.languages for entry in language_site.entries
    }


def convert_body(converters: dict[str, markdown.Markdown], job: tuple[str, str]) -> Rendered:
    """One body to HTML with the process's converter for its footnote back-link title, made on first use."""
    title, text = job
    if title not in converters:
        converters[title] = make_converter(title)
    return render_markdown(converters[title], text)


# ---------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class PageWorker:
    """What a process rendering pages holds: its own Jinja environments, and where to stage."""

    environments: dict[str, jinja2.Environment]
    root: Path
    staging: Staging | None


@dataclass(frozen=True)
class PageOutcome:
    """What became of one page: a problem, or staged (kept from the last build or not, rendered or not)."""

    url: str
    problem: Problem | None = None
    rendered: bool = False
    kept: bool = False
    # A new cache row: url, fingerprint and sha256.
    row: tuple[str, bytes, bytes] | None = None


@dataclass(frozen=True)
class LastOutput:
    """output/ as the last build left it (relative path -> size, mtime_ns, inode), and when it finished."""

    files: dict[str, tuple[int, int, int]]
    finished_ns: int


def render_and_stage(pages: Sequence[PageSpec], theme: Theme, config: Config, catalogs: Catalogs,
                     options: BuildOptions, global_fingerprint: bytes, cache: BuildCache | None,
                     staging: Staging | None, last_build: FastState | None) -> list[PageOutcome]:
    """Keep every page whose inputs and file are unchanged; render the rest (over the machine's cores when
    there are many) and stage them. Template problems stop the build, reported as template:line, with
    output/ untouched."""
    known = cache.pages() if cache else {}
    fingerprinter = Fingerprinter(global_fingerprint) if cache else None
    last = LastOutput({name: (size, mtime_ns, inode) for name, size, mtime_ns, inode in last_build.outputs},
                      last_build.finished_ns) \
        if last_build and staging and last_build.output == str(staging.output) else LastOutput({}, 0)
    outcomes: list[PageOutcome | None] = []
    todo: list[tuple[int, PageSpec, bytes | None]] = []
    for index, page in enumerate(pages):
        fingerprint = fingerprint_page(fingerprinter, page)
        kept = keep_page(staging, page, fingerprint, known.get(page.url), last)
        outcomes.append(PageOutcome(page.url, kept=True) if kept else None)
        if not kept:
            todo.append((index, page, fingerprint))
    if cache:
        cache.close()  # a database connection must not cross fork

    def make_worker() -> PageWorker:
        return PageWorker(make_environments(theme, config, catalogs, options.live_reload_script), config.root,
                          staging)

    for (index, _, _), outcome in zip(todo, map_parallel(render_one_page, todo, make_worker)):
        outcomes[index] = outcome
    if cache:
        cache.reopen()
    done = [outcome for outcome in outcomes if outcome is not None]
    problems = collect_problems(outcome.problem for outcome in done)
    if problems:
        if staging:
            abandon_staging(staging)
        raise BuildError(problems)
    return done


def keep_page(staging: Staging | None, page: PageSpec, fingerprint: bytes | None, known: CachedPage | None,
              last: LastOutput) -> bool:
    """Whether the last build's file for page can stay: its inputs are unchanged and so is the file."""
    if not (staging and fingerprint and known and known.fingerprint == fingerprint):
        return False
    name = output_name(page.url)
    return stage_if_same(staging, name, known.sha256, trusted=is_as_last_left(staging, name, last))


def render_one_page(worker: PageWorker, job: tuple[int, PageSpec, bytes | None]) -> PageOutcome:
    """Render and stage one page (in a worker process for large sites)."""
    _, page, fingerprint = job
    result = render_page(page, worker.environments, worker.root)
    if isinstance(result, Problem):
        return PageOutcome(page.url, problem=result)
    kept = stage_page(worker.staging, page.url, result.content) if worker.staging else False
    row = (page.url, fingerprint, hashlib.sha256(result.content).digest()) if fingerprint else None
    return PageOutcome(page.url, rendered=True, kept=kept, row=row)


def is_as_last_left(staging: Staging, name: str, last: LastOutput) -> bool:
    """Whether name's file in output/ is still the one the last build left (same size, mtime and inode, and
    old enough that a later write would have changed its mtime): then its bytes need not be read."""
    recorded = last.files.get(name)
    state = caching.file_identity(os.path.join(staging.output, name))
    return recorded is not None and state == recorded and state[1] < last.finished_ns - caching.RACY_NS


def fingerprint_page(fingerprinter: Fingerprinter | None, page: PageSpec) -> bytes | None:
    """The page's cache key, or None (always render) without a cache or for a context pickle cannot hold."""
    if fingerprinter is None:
        return None
    try:
        return fingerprinter.page_fingerprint(page.template, page.lang, page.context)
    except Exception:  # noqa: BLE001 - e.g. a custom object in front matter `extra:`; the page just renders
        return None


def save_cache(cache: BuildCache, pages: Sequence[PageSpec], outcomes: Sequence[PageOutcome],
               state: FastState) -> None:
    """Store this build's new entries, drop the ones it no longer uses, and record it for the next build."""
    cache.new_pages = [outcome.row for outcome in outcomes if outcome.row]
    cache.save(urls_in_use=[page.url for page in pages], fast_state=state)
    cache.close()
