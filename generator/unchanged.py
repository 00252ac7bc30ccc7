"""The no-change check: whether anything a build reads or wrote has changed since the last build recorded its
state, and that build's result when nothing has. It runs first in every build, with the theme folders the
last build recorded, and loads only what it checks: configuration, the cache's record, the scan of content/
and the static files, hashes. The stages that read and render (Jinja, Markdown, PyYAML, the catalogs) are
loaded by pipeline.py only when the check finds work to do: a build with nothing to do is mostly Python's
start."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import os
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from generator import cache as caching
from generator.bundles import Bundle, bundle_inputs, find_bundles
from generator.cache import BuildCache, FastState, Session
from generator.config import CONFIG_NAME, Config, read_config, read_config_text
from generator.errors import BuildError, Problem
from generator.guard import MARKER, STAGING, check_output
from generator.scan import ContentFile, ContentWalk, content_from_stats, content_stats, scan_content
from generator.writer import SITE_STATIC, StaticFiles, find_static

# What each page kind counts as in the closing summary line.
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
    # `serve`'s first pass after an edit: a search shard to index again is left as output/ has it when the cache
    # still holds that bundle (search.start_search); search.index_pending indexes it, a second build applies it.
    defer_search: bool = False
    # The date the build takes as today (what is future, and part of the build fingerprint); None: the machine's
    # date when the build starts (build_date). A command that runs several builds gives them one date.
    today: datetime.date | None = None


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
    # Every file the build made (written or unchanged; for check, rendered) by the same kinds: the summary's
    # parts, which add up to its total.
    files_by_kind: tuple[tuple[str, int], ...] = ()
    # Articles read that are drafts, and (not drafts) dated after today, published by this build or not.
    drafts: int = 0
    future: int = 0
    # Work done rather than taken from the build cache.
    articles_read: int = 0
    bodies_rendered: int = 0
    pages_rendered: int = 0
    # The search shards left as the last build had them (BuildOptions.defer_search): the file of each one's
    # records, for search.index_pending.
    search_deferred: tuple[str, ...] = ()
    # Where the time went: each stage's name and wall seconds, in the order they ran (pipeline.StageClock); they
    # add up to seconds. Empty for a build the no-change check answered.
    stages: tuple[tuple[str, float], ...] = ()
    # Each search shard Pagefind indexed for this build: (its folder, articles, wall seconds), in its own process
    # beside the stages (an edit's one year runs while the pages are planned; its rest is "search wait").
    indexed: tuple[tuple[str, int, float], ...] = ()


@dataclass(frozen=True)
class Fingerprints:
    """Digests of everything global a page depends on, and of one build's whole input."""

    pages: bytes
    build: bytes


@dataclass(frozen=True)
class Opened:
    """What every build starts from: the configuration, the output folder (checked: a folder that is not a
    build's is refused before anything is read), the build cache (None for check, or without the cache) and
    its record of the last build as the no-change check reads it (BuildCache.fast_check: without the lists of
    files, which a build that goes on reads with BuildCache.fast_state), and the clock: today is the build's one
    date (build_date), which decides what is future and is part of the build fingerprint."""

    config: Config
    output: Path
    cache: BuildCache | None
    last_build: FastState | None
    started: float
    started_ns: int
    code: bytes
    today: datetime.date


@dataclass(frozen=True)
class Survey:
    """Every input's stat under one set of theme folders: content files, static files, bundles' files, and the
    fingerprints of the configuration, templates, catalogs, code and options."""

    theme_dirs: tuple[Path, ...]
    fingerprints: Fingerprints
    content: list[ContentFile]
    static: StaticFiles
    bundles: dict[str, Bundle]
    bundle_problems: list[Problem]
    inputs: tuple[tuple[str, int, int], ...]
    # An error met while scanning (an unreadable folder) is reported by reading, never replayed away as success.
    scan_failed: bool


def open_build(root: Path, options: BuildOptions, session: Session | None = None) -> Opened:
    """Start a build: load site.toml, refuse an output folder that is not a build's (OutputRefused), open the
    cache and read its record of the last build; BuildError for a site.toml with problems."""
    started, started_ns = time.perf_counter(), caching.now_ns()
    code = caching.code_fingerprint()
    cache = caching.open_cache(root, code, session) if options.use_cache and options.write else None
    config = load_known_config(root, options.base_url, cache)
    output = options.output or root / "output"
    if options.write:
        # Before anything is read into the cache or written: refuse a folder that is not a build's.
        check_output_folder(output, root)
    return Opened(config, output, cache, cache.fast_check() if cache else None, started, started_ns, code,
                  options.today or build_date())


def build_date() -> datetime.date:
    """Today's date in the machine's time zone, read once per build (open_build): a build that runs across
    midnight then publishes, fingerprints and reports with one date, never yesterday's in one stage and
    today's in the next."""
    return datetime.date.today()


def dated(options: BuildOptions) -> BuildOptions:
    """options with today set: the given date, else the machine's date now (build_date). For a command whose
    builds must share one date."""
    return options if options.today else dataclasses.replace(options, today=build_date())


def load_known_config(root: Path, base_url: str | None, cache: BuildCache | None) -> Config:
    """load_config, or the Config that a build of this generator code (the cache's) loaded from the very same
    site.toml text, base URL and root: validating it again (Babel's locale data) would give the same Config.
    BuildError as load_config's."""
    text = read_config_text(root)
    if cache is None:
        return read_config(root, text, base_url)
    key = hashlib.sha256(repr((str(root), base_url, text)).encode()).digest()
    config = cache.config(key)
    # The one thing the validation checks outside site.toml: the theme's folder (config_reader.Reader.read).
    if config is None or not config.theme_dir.is_dir():
        config = read_config(root, text, base_url)
    cache.new_config = (key, config)
    return config


def survey_inputs(opened: Opened, theme_dirs: tuple[Path, ...], options: BuildOptions,
                  fingerprints: Fingerprints | None = None,
                  plain: list[tuple[str, int, int]] | None = None) -> Survey:
    """Stat every input of a build whose theme is made of theme_dirs (nearest first) and fingerprint the rest
    (unless given); content/'s files from plain_content_stats' list when one was made, else by the scan."""
    config = opened.config
    fingerprints = fingerprints or fingerprint_inputs(config, theme_dirs, options, opened.code, opened.today)
    content = content_from_stats(config, plain) if plain is not None else scan_content(config)
    static = static_files(config, theme_dirs)
    bundles, bundle_problems = find_bundles(content, config.root)
    inputs = input_files(content, static) + bundle_inputs(bundles)
    scan_failed = any(found.problem and not found.problem.is_warning for found in content)
    return Survey(theme_dirs, fingerprints, content, static, bundles, bundle_problems, inputs, scan_failed)


def recorded_theme(state: FastState | None) -> tuple[Path, ...] | None:
    """The theme folders the last build used, when they all still exist. With site.toml and each of their
    theme.toml files as they were (the build fingerprint covers them), the theme would be the same chain
    today: the no-change check needs no theme loaded (theme.py loads Jinja)."""
    if state is None or not state.theme_dirs:
        return None
    folders = tuple(Path(name) for name in state.theme_dirs)
    return folders if all(folder.is_dir() for folder in folders) else None


def static_files(config: Config, theme_dirs: Sequence[Path]) -> StaticFiles:
    """The static files of the themes (as Theme.static_dirs: each theme's static/ that exists, nearest first)
    and of the site."""
    return find_static(tuple(d / "static" for d in theme_dirs if (d / "static").is_dir()), config.root / SITE_STATIC)


def try_unchanged(opened: Opened, options: BuildOptions, walk: ContentWalk | None = None) -> BuildResult | Survey | None:
    """The last build's result when nothing has changed since it (see replay_unchanged); otherwise the survey made
    with the recorded theme folders (for the build to reuse when the theme is still made of them), or None
    when there is no usable record. walk: content/'s stats when the caller took them already (the import's
    check, which found nothing to import)."""
    theme_dirs = recorded_theme(opened.last_build) if opened.cache else None
    if theme_dirs is None or opened.last_build is None:
        return None
    fingerprints = fingerprint_inputs(opened.config, theme_dirs, options, opened.code, opened.today)
    # A plain content/ is compared with the record by its files' stats alone, and the survey the build then
    # reuses is made from the same stats; anything else gets the full scan.
    top = str(opened.config.content_dir)
    plain = content_stats(top, walk)
    if plain is not None and opened.last_build.key == fingerprints.build:
        inputs = tuple(plain) + static_inputs(static_files(opened.config, theme_dirs))
        found = replay_unchanged(opened, fingerprints.build, inputs, False, options)
        if found:
            return found
    survey = survey_inputs(opened, theme_dirs, options, fingerprints, plain)
    return replay_unchanged(opened, survey.fingerprints.build, survey.inputs, survey.scan_failed, options) or survey


def check_output_folder(output: Path, root: Path) -> None:
    """guard.check_output, with the build cache's record of the last build for adopting an unmarked output/
    of an older Warraq; raises OutputRefused."""
    check_output(output, root, lambda: caching.recorded_outputs(root, output))


def stop_on_errors(problems: list[Problem], strict: bool) -> list[Problem]:
    """Raise with every error (and, when strict, every warning); otherwise return the warnings."""
    errors = [p for p in problems if strict or not p.is_warning]
    if errors:
        raise BuildError(sorted(set(problems)))
    return sorted(set(problems))


def count_kinds(kinds: Sequence[str]) -> tuple[tuple[str, int], ...]:
    """(kind, how many) for every kind of KINDS in order, zeros included."""
    # A kind the summary does not name (an image, a card) counts as other, so that the parts add up.
    counts = Counter(kind if kind in KINDS else "other" for kind in kinds)
    return tuple((kind, counts[kind]) for kind in KINDS)


def fingerprint_inputs(config: Config, theme_dirs: Sequence[Path], options: BuildOptions,
                       code: bytes, today: datetime.date) -> Fingerprints:
    """What every page depends on besides its own context (templates, catalogs, configuration, code and
    library versions: code is caching.code_fingerprint()), and that plus what decides which files a build
    reads and where it writes (today: the build's date, which decides which articles are future)."""
    theme_files = [path for directory in theme_dirs for path in directory.rglob("*")
                   if path.is_file() and path.parts[len(directory.parts)] in ("templates", "locales", "theme.toml")]
    digest = hashlib.sha256(code)
    digest.update(caching.hash_files([config.root / CONFIG_NAME, *theme_files], config.root))
    digest.update(repr((config.base_url, options.live_reload_script)).encode())
    pages = digest.digest()
    # The card fonts (themes/<name>/cards/) are no page's input and no static file: the cards' own fingerprint
    # covers their bytes, and this build's makes a changed font defeat the unchanged-build shortcut.
    digest.update(caching.hash_files([path for directory in theme_dirs
                                      for path in sorted((directory / "cards").glob("*")) if path.is_file()],
                                     config.root))
    digest.update(repr((options.include_drafts, options.include_future, str(options.output),
                        today.isoformat())).encode())
    return Fingerprints(pages=pages, build=digest.digest())


def input_files(content: Sequence[ContentFile], static: StaticFiles) -> tuple[tuple[str, int, int], ...]:
    """Every content and static file (the themes' and the site's) with its size and modification time."""
    return tuple((str(found.path), found.size, found.mtime_ns) for found in content) + static_inputs(static)


def static_inputs(static: StaticFiles) -> tuple[tuple[str, int, int], ...]:
    """Every static file (the themes' and the site's) with its size and change time, in path order."""
    return tuple((str(path), *state) for path in sorted(static.sources()) if (state := caching.file_state(path)))


def hash_file(path: Path) -> bytes:
    """The sha256 of a file's bytes, or b"" when it cannot be read."""
    try:
        return hashlib.sha256(path.read_bytes()).digest()
    except OSError:
        return b""


def replay_unchanged(opened: Opened, key: bytes, inputs: tuple[tuple[str, int, int], ...], scan_failed: bool,
                     options: BuildOptions) -> BuildResult | None:
    """The last build's result when nothing it read or wrote has changed since (key: the build fingerprint;
    inputs: every input file's stat, as input_files gives them; scan_failed: the scan met an error): every page
    would come out the same, so output/ is already right. None when anything differs."""
    state, cache = opened.last_build, opened.cache
    if cache is None or state is None or scan_failed or state.key != key or state.inputs != inputs:
        return None
    # A file modified just before the last build read it could have changed again within the same clock
    # tick, keeping its size and mtime: trust the stat only for older files, compare the others' bytes.
    recent = [(name, changed) for name, _, changed in inputs if changed >= state.started_ns - caching.RACY_NS]
    # fast_check's record holds the hashes of those files; an older record, none (the whole one is read).
    hashes = state.hashes if all(name in state.hashes for name, _ in recent) \
        else (cache.fast_state() or state).hashes
    if any(hash_file(Path(name)) != hashes.get(name) for name, _ in recent):
        return None
    if not is_as_recorded(opened.output, state):
        return None
    if recent:
        # With the hashes just compared (the whole record's, when the small one lacked some).
        settle_recent(cache, dataclasses.replace(state, hashes=hashes), opened.started_ns,
                      [changed for _, changed in recent])
    previous: BuildResult = state.result
    warnings = stop_on_errors(list(previous.warnings), options.strict)
    cache.close()
    return BuildResult(previous.pages, 0, previous.written + previous.unchanged, tuple(warnings),
                       time.perf_counter() - opened.started, written_by_kind=count_kinds([]),
                       files_by_kind=previous.files_by_kind, drafts=previous.drafts, future=previous.future)


def settle_recent(cache: BuildCache, state: FastState, checked_ns: int, recent: Sequence[int]) -> None:
    """Record that every input was found as the last build left it by a check that began at checked_ns (the
    files it compared by their bytes have the change times in recent), so that the next check compares only
    files changed within RACY_NS before checked_ns. Without this, files copied or checked out just before a
    cold build were hashed by every no-change check until the next build that wrote something (3,836 files
    copied just before a cold build of 20,000 articles: 0.15-0.3 s of every check). Sound because a file
    whose change time is before checked_ns - RACY_NS cannot change again unseen: any later change gives it a
    later change time."""
    if not any(changed < checked_ns - caching.RACY_NS for changed in recent):
        return  # nothing would settle: every recent file is still recent
    cache.record_check(dataclasses.replace(state, started_ns=checked_ns))


def is_as_recorded(output: Path, state: FastState) -> bool:
    """Whether output/ can be taken to hold what the last build recorded leaving there, without listing it: the
    record is of this folder, the very folder (output_identity: not a copy restored from a backup or another
    cache, nor written by another project's build since), and no build was killed after changing it (the
    staging folder, removed only once a build's record is saved, is absent). The project lock keeps other
    builds out; a file edited or deleted in output/ by hand is put right when its page changes, or by deleting
    output/."""
    return records_folder(output, state) and not os.path.lexists(output / STAGING)


def records_folder(output: Path, state: FastState) -> bool:
    """Whether state was recorded of this very output/ (its path and its output_identity)."""
    return state.output == str(output) and state.output_id is not None and state.output_id == output_identity(output)


def output_identity(output: Path) -> tuple[int, int] | None:
    """Which output/ this is, as its marker's inode and change time, or None without a marker. Every build
    that moves files in touches the marker (writer.touch_marker), and no program can set a change time: a copy of
    output/ restored in its place, or a folder another project's build wrote into, has another identity."""
    try:
        stat = os.stat(output / MARKER, follow_symlinks=False)
    except OSError:
        return None
    return stat.st_ino, stat.st_ctime_ns
