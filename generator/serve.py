"""`python build.py serve`: build with drafts, serve output/ on 127.0.0.1, rebuild on change, reload the tabs.

Three kinds of thread share one small object, ServeState:

- the rebuild loop (watch_and_rebuild) imports new seeds and builds when content/, themes/, seeds/ or
  site.toml change, then records the outcome: a new generation number and the problems, if any;
- the HTTP threads serve output/ and, while the last build failed, an error page instead of any HTML;
- each open tab holds a Server-Sent Events stream on /__warraq__/events?page=<its URL path> that sends
  `data: <generation>` whenever a build finishes (or its page is rendered ahead of the build, below); the
  injected script reloads the tab when the number differs from the one the page was served with (the server
  writes that number into the script as it serves the page, so a build that finishes while a tab is loading
  is never missed).

The build itself stays pure: pipeline.build() stages every file and renames each over its old one, so the
server always reads whole files, and the last good output/ while a build fails. Each rebuild holds the
project's build lock (generator.lock), so a `build` in another terminal waits for it, or it for that.

A save that changes an article's body and nothing else is shown before the rebuild ends (fast_render.py, as
Hugo's "fast render mode" shows the pages being viewed first): its page is rendered alone from the last build's
plan in milliseconds, served from memory in place of its file, and the tabs showing it (each names its page on
its event stream) are sent the generation the rebuild will have. When the rebuild has written that very page, the
generation is that one, and those tabs stay as they are while every other tab reloads; when it wrote the page
otherwise (or failed), the generation is one more, and every tab reloads.

The reload does not wait for search: an edit's build leaves the edited article's search shard as output/ has
it (BuildOptions.defer_search: Pagefind takes seconds for a year of articles, the pages a fraction of that),
and the tabs reload at once. Pagefind then indexes the shard into the build cache in a thread of its own
(search.index_pending: outside any build, so a save made meanwhile is built at once), and once that is done
and no change came for SEARCH_IDLE_SECONDS, a second build applies the new bundle without a new generation
(a save made during that build waits for it, as for any build): the search page loads its bundles when the
reader searches, so no tab needs a reload for them. Until then the first build's record says it is not final
(no key), so a build run after a crash in between indexes the shard itself.

Requests run on a fixed pool of worker threads (PooledHTTPServer); while all are busy, new connections wait
in the listen backlog. Over-long request lines get 414; clients that go away are dropped without a traceback.
"""

from __future__ import annotations

import html
import mimetypes
import os
import posixpath
import queue
import signal
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Iterable, TextIO
from urllib.parse import parse_qs, unquote, urlsplit

import watchfiles

from generator import inputs, unchanged
from generator.cache import CACHE_DIR, Session
from generator.config import CONFIG_NAME, load_config
from generator.errors import BuildError, Problem, relative_path
from generator.fast_render import FastPage, prepare, render_edited
from generator.guard import STAGING, OutputRefused
from generator.importer import import_seeds
from generator.lock import LockBusy, project_lock
from generator.pipeline import BuildOptions, build, check_output_folder
from generator.search import clear_pending, index_pending
from generator.writer import SITE_STATIC, WriteFailed

HOST = "127.0.0.1"
EVENTS_PATH = "/__warraq__/events"
# The event stream's query parameter naming the page a tab shows (its URL path), for the fast render's event.
PAGE_PARAMETER = "page"
# Written into the live-reload script of each build; replaced by the generation as a page is served.
GENERATION_TOKEN = "__WARRAQ_GENERATION__"
LIVE_RELOAD_SCRIPT = (
    "<script>(function(){var g=" + GENERATION_TOKEN + ",s=new EventSource(\"" + EVENTS_PATH + "?" + PAGE_PARAMETER
    + "=\"+encodeURIComponent(location.pathname));"
    "s.onmessage=function(e){if(+e.data!==g){s.close();location.reload()}}})()</script>"
)
# A comment line keeps idle event streams open through proxies and notices closed tabs.
KEEPALIVE_SECONDS = 15.0
# Requests handled at once; more connections wait in the listen backlog (below) until a worker is free.
WORKERS = 32
# At most this many tabs hold a live-reload stream at once (each holds a worker); more are told to retry later.
EVENT_STREAMS = WORKERS // 2
# The listen backlog: connections the kernel holds before they are accepted.
BACKLOG = 512
# A request line longer than this (method, path, version) is answered 414 without being parsed.
MAX_REQUEST_LINE = 8192
# A client that sends nothing (or reads nothing) for this long is dropped, freeing its worker.
CLIENT_TIMEOUT = 30.0
# A deferred search shard, once indexed, is applied by a second build after this long without a change: a save
# made while that build runs waits for it (a no-change build of the whole site), so it is not started between
# the saves of someone at work, only in a pause (search is rarely used within seconds of a save).
SEARCH_IDLE_SECONDS = 2.0
# What the project's builds read: a change under these names triggers a rebuild (content/ holds page bundles'
# images and files too; static/ is the site's own static folder, copied as is).
WATCHED_FOLDERS = ("content", "themes", "seeds", SITE_STATIC)
CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".json": "application/json",
    ".xml": "application/xml; charset=utf-8",
    ".atom": "application/atom+xml; charset=utf-8",
    ".rss": "application/rss+xml; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".svg": "image/svg+xml",
    ".woff2": "font/woff2",
    ".woff": "font/woff",
    ".ico": "image/x-icon",
    ".webmanifest": "application/manifest+json",
}


# ---------------------------------------------------------------------------
# The one piece of mutable state
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ShownProblem:
    """A problem of the last build with the source line it points at, read when the build failed."""

    problem: Problem
    source_line: str | None


@dataclass(frozen=True)
class FastShown:
    """A page rendered ahead of the rebuild (fast_render.FastPage): the generation its tabs were sent, its file's
    name under output/ and its bytes."""

    generation: int
    name: str
    content: bytes

    def is_in(self, output: Path) -> bool:
        """Whether output/ holds exactly this page now."""
        try:
            return (output / self.name).read_bytes() == self.content
        except OSError:
            return False


@dataclass
class ServeState:
    """What the rebuild loop tells the HTTP threads: the build generation and the last build's problems.

    Mutable on purpose: it is the channel between threads. Every read and write goes through the
    condition's lock, and the event streams wait on the condition for the next generation.
    """

    generation: int = 0
    problems: tuple[ShownProblem, ...] = ()
    base_path: str = "/"
    stopping: bool = False
    _changed: threading.Condition = field(default_factory=threading.Condition, repr=False, compare=False)
    # The build cache's tables kept in memory between rebuilds (cache.Session). Not shared: only the one
    # thread that rebuilds uses it, one build at a time.
    session: Session = field(default_factory=Session, repr=False, compare=False)
    # A page rendered ahead of the rebuild (fast_render.py) and the generation its tabs were sent, until the
    # rebuild finishes; None when there is none.
    fast: FastShown | None = None

    def record(self, problems: tuple[ShownProblem, ...], base_path: str | None = None,
               output: Path | None = None) -> int:
        """A build finished (well, when problems is empty): bump the generation and wake the streams. After a
        fast render, the generation its tabs were sent is the new one when the build wrote that very page to
        output (their tabs then need no second reload); else the one after it, so that every tab reloads."""
        with self._changed:
            fast, self.fast = self.fast, None
            if fast is None:
                self.generation += 1
            else:
                kept = not problems and output is not None and fast.is_in(output)
                self.generation = fast.generation if kept else fast.generation + 1
            self.problems = problems
            if base_path is not None:
                self.base_path = base_path
            self._changed.notify_all()
            return self.generation

    def show_fast(self, page: FastPage) -> int:
        """A page rendered ahead of the rebuild: served in place of its file, and its tabs sent the generation
        the rebuild will have (returned) until the rebuild finishes."""
        with self._changed:
            self.fast = FastShown(self.generation + 1, page.name, page.content)
            self._changed.notify_all()
            return self.fast.generation

    def fast_page(self, name: str) -> tuple[int, bytes] | None:
        """The generation and bytes of the page rendered ahead of the rebuild when it is output/<name>."""
        with self._changed:
            fast = self.fast
            return (fast.generation, fast.content) if fast is not None and fast.name == name else None

    def snapshot(self) -> tuple[int, tuple[ShownProblem, ...], str]:
        """Generation, problems and base path, read together."""
        with self._changed:
            return self.generation, self.problems, self.base_path

    def wait_for_generation(self, seen: int, timeout: float, name: str | None = None) -> int:
        """Block until the generation differs from seen, the server stops, or timeout; return it. name is the
        file under output/ of the page the tab shows: a page rendered ahead of the rebuild has its own."""
        with self._changed:
            self._changed.wait_for(lambda: self.shown_generation(name) != seen or self.stopping, timeout)
            return self.shown_generation(name)

    def shown_generation(self, name: str | None) -> int:
        """The generation of the page output/<name> as served now (call with the lock held)."""
        fast = self.fast
        return fast.generation if fast is not None and name is not None and fast.name == name else self.generation

    def stop(self) -> None:
        """Tell the event streams to finish."""
        with self._changed:
            self.stopping = True
            self._changed.notify_all()


# ---------------------------------------------------------------------------
# Building
# ---------------------------------------------------------------------------


def serve_options(output: Path | None, include_drafts: bool = True, base_url: str | None = None,
                  include_future: bool = False, strict: bool = False) -> BuildOptions:
    """The options of a serve build: like `build`, plus drafts (by default) and the live-reload script."""
    return BuildOptions(output=output, base_url=base_url, strict=strict, include_drafts=include_drafts,
                        include_future=include_future, live_reload_script=LIVE_RELOAD_SCRIPT, defer_search=True)


def rebuild(root: Path, options: BuildOptions, state: ServeState, out: TextIO | None = None,
            err: TextIO | None = None, import_new: bool = True) -> bool:
    """Import new seeds (unless import_new is false) and build, as `python build.py` does; record the
    outcome in state. Return True when the build had no errors (output/ is then the new site, its search
    shards indexed too: a shard the build deferred is indexed by a second build before this returns)."""
    out, err = out or sys.stdout, err or sys.stderr
    options = unchanged.dated(options)  # the search's second build publishes as of the first one's date
    outcome = _rebuild(root, options, state, out, err, import_new)
    if outcome.deferred:
        index_pending(outcome.deferred)
        return finish_search(root, options, state, out, err)
    return outcome.ok


@dataclass(frozen=True)
class Rebuilt:
    """What one rebuild of the loop did: whether it succeeded, the content files its import created (their own
    change is no news), and the records of the search shards it deferred (for search.index_pending)."""

    ok: bool
    created: frozenset[Path] = frozenset()
    deferred: tuple[str, ...] = ()


def finish_search(root: Path, options: BuildOptions, state: ServeState, out: TextIO, err: TextIO) -> bool:
    """The second build after an edit whose search shard was deferred (and, normally, indexed meanwhile by
    search.index_pending): the same build, deferring nothing. Its success bumps no generation (the pages are
    those the tabs reloaded already; the search page fetches its bundles when searching); its failure is shown
    as any build's. Return True when it succeeded."""
    return _rebuild(root, replace(options, defer_search=False), state, out, err, import_new=False,
                    announce=False).ok


def _rebuild(root: Path, options: BuildOptions, state: ServeState, out: TextIO, err: TextIO,
             import_new: bool = True, announce: bool = True) -> Rebuilt:
    """rebuild() without finishing the search; announce=False: a success records no new generation (nor says
    it), for finish_search."""
    problems: list[Problem] = []
    created: frozenset[Path] = frozenset()
    deferred: tuple[str, ...] = ()
    base_path = None
    try:
        # The project's build lock for each rebuild: a `build` in another terminal waits for it, or it for that.
        with project_lock(root, wait=True, err=err):
            config = load_config(root, options.base_url)
            base_path = config.base_path
            if import_new:
                report = import_seeds(config)
                created = frozenset(inputs.resolve(path) for path in report.created)
                for path in report.created:
                    print(f"imported {relative_path(path, root)}", file=out, flush=True)
                problems.extend(report.problems)
            result = build(root, options, state.session)
        problems.extend(result.warnings)
        deferred = result.search_deferred
        summary = f"built {result.pages} pages ({result.written} files written) in {result.seconds:.2f} s"
        if not announce:
            summary = f"search indexed ({result.written} files written) in {result.seconds:.2f} s"
    except BuildError as error:
        problems.extend(error.problems)
        summary = ""
    except (OutputRefused, LockBusy, WriteFailed) as error:
        # One line, no source: shown as a problem of the output folder.
        problems.append(Problem(relative_path(options.output or root / "output", root), 0, str(error)))
        summary = ""
    except Exception as error:  # noqa: BLE001 - a bug must not stop the loop; show it and keep serving
        traceback.print_exc(file=err)
        problems.append(Problem(CONFIG_NAME, 1, f"internal error while building: {error!r}"))
        summary = ""
    problems = sorted(set(problems))
    if not announce and not any(not p.is_warning for p in problems):
        # The second build's warnings are the first one's, said already.
        print(summary, file=out, flush=True)
        return Rebuilt(True)
    for problem in problems:
        print(problem, file=err, flush=True)
    errors = tuple(p for p in problems if not p.is_warning)
    if errors:
        shown = tuple(ShownProblem(p, read_source_line(root, p)) for p in problems)
        generation = state.record(shown, base_path)
        print(f"build failed: {len(errors)} error(s); the browser shows them, the last good build is still "
              f"in {relative_path(options.output or root / 'output', root)}/ (generation {generation})",
              file=err, flush=True)
        return Rebuilt(False, created)
    generation = state.record((), base_path, (options.output or root / "output").resolve())
    # The generation ends the line (bench/run.py waits for it there); the deferred search is said before it.
    later = "; search index follows" if deferred else ""
    print(f"{summary}{later} (generation {generation})", file=out, flush=True)
    if state.session.plan is not None:
        try:
            prepare(state.session.plan)  # once per theme, catalogs and settings: the plans after keep what it makes
        except Exception as error:  # noqa: BLE001 - an extra: the next save's fast render tries again, or its build
            print(f"the fast render of the next save is not prepared: {error!r}", file=err, flush=True)
    return Rebuilt(True, created, deferred)


def read_source_line(root: Path, problem: Problem) -> str | None:
    """The line a problem points at, from its file under root; None when there is no such line."""
    if problem.line < 1:
        return None
    try:
        lines = (root / problem.path).read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    return lines[problem.line - 1] if problem.line <= len(lines) else None


# ---------------------------------------------------------------------------
# Watching
# ---------------------------------------------------------------------------


def watch_and_rebuild(root: Path, options: BuildOptions, state: ServeState, stop_event: threading.Event, *,
                      debounce: int = 400, step: int = 50, force_polling: bool | None = None,
                      out: TextIO | None = None, err: TextIO | None = None,
                      first_build: threading.Event | None = None) -> None:
    """Rebuild whenever an input changes, until stop_event is set. Runs in the calling thread. With
    first_build, the first build runs here too, once the watchers are started (so that no save made after it
    goes unseen), and first_build is set when it is done: every build of a serve runs in this one thread.

    Watchers feed one queue: content/, themes/, seeds/ and static/ recursively, and the project folder
    itself (not recursively, so output/ is never watched) for site.toml, which editors often replace
    by renaming a new file over it, and for one of those folders made while serving (which from then on
    is watched too). Changes that arrive during a build are gathered into the next one. A batch of one
    article whose body alone changed is shown to its page's tabs before its build (show_ahead). A search shard a
    build deferred is indexed in a thread (search.index_pending) and applied by a second build (finish_search)
    once that is done and no change came for SEARCH_IDLE_SECONDS: a run of saves reloads after each, never held
    up by Pagefind nor by that second build.
    """
    out, err = out or sys.stdout, err or sys.stderr
    root = root.resolve()
    changes: queue.Queue[set[tuple[watchfiles.Change, str]]] = queue.Queue()
    folders = [root / name for name in WATCHED_FOLDERS if (root / name).is_dir()]
    top_level = {str(root / CONFIG_NAME)} | {str(root / name) for name in WATCHED_FOLDERS}
    loops = [(folders, True, None), ([root], False, lambda _change, path: path in top_level)]
    watchers = [
        threading.Thread(target=_watch, name="warraq-watch", daemon=True,
                         args=(paths, recursive, only, changes, stop_event, debounce, step, force_polling, err))
        for paths, recursive, only in loops if paths
    ]
    for watcher in watchers:
        watcher.start()
    watched = set(folders)
    ignore: frozenset[Path] = frozenset()
    # Whether output/ holds a deferred search shard (only a successful build changes that), and the threads
    # indexing deferred shards.
    search_pending = False
    indexing: list[threading.Thread] = []
    last_build = time.monotonic()
    # The last build's options with its date, which the second build that applies its search keeps: a day
    # that turns between them must not publish articles the first build left out, unseen by the tabs.
    last_options = unchanged.dated(options)
    if first_build is not None:
        try:
            outcome = _rebuild(root, last_options, state, out, err)
            ignore, search_pending = outcome.created, bool(outcome.deferred)
            indexing += start_indexing(outcome.deferred)
        finally:
            first_build.set()
    while not stop_event.is_set():
        new_day = False
        try:
            batch = changes.get(timeout=0.1)
        except queue.Empty:
            indexing = [thread for thread in indexing if thread.is_alive()]
            if search_pending and not indexing and time.monotonic() - last_build >= SEARCH_IDLE_SECONDS:
                # Once: a failure is shown as any build's, and the next save's build tries again.
                finish_search(root, last_options, state, out, err)
                search_pending = False
                continue
            # A folder made before the project-folder watcher was ready sends no event: look for it.
            batch = {(watchfiles.Change.added, str(folder)) for folder in top_level_folders(root)
                     if folder not in watched and folder.is_dir()}
            # At midnight the articles dated on the new day are due: built as a publishing build would.
            new_day = not options.today and unchanged.build_date() != last_options.today
            if not batch and not new_day:
                continue
        while not changes.empty():
            batch |= changes.get_nowait()
        # The files the last build's import wrote come back as changes once: they are no news.
        # inputs.resolve: a link loop saved into a watched folder must not end the loop (3.11 raises on one).
        paths = sorted({inputs.resolve(Path(path)) for _, path in batch} - ignore)
        ignore = frozenset()
        if not paths and not new_day:
            continue
        # A watched folder made since serving began (a first static/): watch inside it from now on.
        for folder in [path for path in paths if path in top_level_folders(root) and path.is_dir()
                       and path not in watched]:
            watched.add(folder)
            watchers.append(threading.Thread(target=_watch, name="warraq-watch", daemon=True,
                                             args=([folder], True, None, changes, stop_event, debounce, step,
                                                   force_polling, err)))
            watchers[-1].start()
        # Editors' and tools' temporary files come and go within one batch: name the files still there.
        named = [path for path in paths if path.exists()] or paths
        names = ", ".join(relative_path(path, root) for path in named[:3]) + (" ..." if len(named) > 3 else "")
        last_options = unchanged.dated(options)
        print(f"changed: {names}" if paths else f"changed: the date ({last_options.today})", file=out, flush=True)
        # Seeds are imported only when seeds/ changed: while an article's front matter is unreadable the
        # importer cannot see which seed it came from, and would import that seed a second time.
        seeds = (root / "seeds").resolve()
        import_new = any(path.is_relative_to(seeds) for path in paths)
        # An editor's atomic save leaves its temporary file's name in the batch: gone now, and no input.
        gone_articles = any(path.suffix == ".md" and not path.exists() for path in paths)
        if len(named) == 1 and named[0].exists() and not gone_articles and not new_day:
            show_ahead(root, named[0], state, out, err)
        outcome = _rebuild(root, last_options, state, out, err, import_new)
        ignore, last_build = outcome.created, time.monotonic()
        if outcome.ok:
            search_pending = bool(outcome.deferred)
            indexing += start_indexing(outcome.deferred)
    for watcher in watchers:
        if watcher.is_alive():
            watcher.join(timeout=5)


def show_ahead(root: Path, path: Path, state: ServeState, out: TextIO, err: TextIO) -> None:
    """When the one changed file is an article whose body alone changed since the last build (which succeeded),
    render its page alone and show it to the tabs on that page before the rebuild (fast_render.py)."""
    plan = state.session.plan
    if plan is None or state.snapshot()[1] or path.suffix != ".md":
        return
    started = time.perf_counter()
    try:
        page = render_edited(plan, path)
    except Exception as error:  # noqa: BLE001 - a bug here must not stop the rebuild, which shows the edit anyway
        print(f"{relative_path(path, root)}: not shown ahead of the build: {error!r}", file=err, flush=True)
        return
    if page is None:
        return
    generation = state.show_fast(page)
    print(f"shown /{page.url} ahead of the build in {(time.perf_counter() - started) * 1000:.0f} ms "
          f"(generation {generation} for its tabs)", file=out, flush=True)


def start_indexing(deferred: tuple[str, ...]) -> list[threading.Thread]:
    """Start search.index_pending over a build's deferred shards in a thread (none when there are none)."""
    if not deferred:
        return []
    thread = threading.Thread(target=index_pending, args=(deferred,), name="warraq-search", daemon=True)
    thread.start()
    return [thread]


def top_level_folders(root: Path) -> frozenset[Path]:
    """The project's folders a build reads, watched recursively whenever they exist."""
    return frozenset(root / name for name in WATCHED_FOLDERS)


def _watch(paths: list[Path], recursive: bool, watch_filter, changes: queue.Queue, stop_event: threading.Event,
           debounce: int, step: int, force_polling: bool | None, err: TextIO) -> None:
    """One watchfiles loop, putting each batch of changes on the queue."""
    kwargs = {"watch_filter": watch_filter} if watch_filter else {}
    try:
        for batch in watchfiles.watch(*paths, recursive=recursive, debounce=debounce, step=step,
                                      stop_event=stop_event, force_polling=force_polling,
                                      raise_interrupt=False, **kwargs):
            changes.put(set(batch))
    except Exception as error:  # noqa: BLE001 - say why reloading stopped instead of dying silently
        print(f"watching {', '.join(map(str, paths))} stopped: {error}", file=err, flush=True)


# ---------------------------------------------------------------------------
# Serving
# ---------------------------------------------------------------------------


class SiteRequestHandler(BaseHTTPRequestHandler):
    """Serves output/ under the site's base path, the event stream, and the error page while a build fails."""

    server_version = "Warraq"
    timeout = CLIENT_TIMEOUT
    output: Path
    state: ServeState

    def parse_request(self) -> bool:
        """The request line and headers; an over-long request line gets 414 (http.server allows 64 KiB)."""
        if len(self.raw_requestline) > MAX_REQUEST_LINE:
            self.requestline, self.request_version, self.command = "", "", ""
            self.send_error(HTTPStatus.REQUEST_URI_TOO_LONG)
            return False
        return super().parse_request()

    def do_GET(self) -> None:  # noqa: N802 - the name http.server calls
        self.respond(send_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self.respond(send_body=False)

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the signature of the base class
        """Quiet: the terminal is for build results."""

    def respond(self, send_body: bool) -> None:
        url = urlsplit(self.path)
        if url.path == EVENTS_PATH:
            if send_body:
                self.stream_events(self.page_name(parse_qs(url.query).get(PAGE_PARAMETER, [""])[0]))
            else:
                self.send_bytes(HTTPStatus.OK, "text/event-stream", b"", send_body=False)
            return
        generation, problems, base_path = self.state.snapshot()
        path = unquote(url.path)
        if not path.startswith(base_path):
            if path in ("/", "") and base_path != "/":
                self.redirect(base_path)
            else:
                self.not_found(generation, problems, send_body)
            return
        target, is_folder = self.locate(path[len(base_path):])
        if target is not None and is_folder:
            if not path.endswith("/"):
                self.redirect(url.path + "/" + (f"?{url.query}" if url.query else ""))
                return
            target = target / "index.html"
        fast = self.state.fast_page(target.relative_to(self.output).as_posix()) if target is not None else None
        if fast is not None and not problems:
            self.send_bytes(HTTPStatus.OK, CONTENT_TYPES[".html"], with_generation(fast[1], fast[0]), send_body)
        elif target is None or not inputs.is_file(target):
            self.not_found(generation, problems, send_body)
        elif problems and target.suffix == ".html":
            self.send_error_page(generation, problems, send_body)
        else:
            self.send_file(HTTPStatus.OK, target, generation, send_body)

    def page_name(self, path: str) -> str | None:
        """The file under output/ (as output_name spells it) of the page at a URL path, as respond() finds it."""
        _, _, base_path = self.state.snapshot()
        path = unquote(path)  # location.pathname, percent-encoded as the request line has it
        if not path.startswith(base_path):
            return None
        target, is_folder = self.locate(path[len(base_path):])
        if target is None:
            return None
        return (target / "index.html" if is_folder else target).relative_to(self.output).as_posix()

    def locate(self, relative: str) -> tuple[Path | None, bool]:
        """The file or folder a URL path under the base path names inside output/ (find_file), and whether it is
        a folder; (None, False) when it would leave output/ or the file system cannot look it up."""
        try:
            target = self.find_file(relative)
            return target, target is not None and target.is_dir()
        except OSError:  # a name too long for the file system, say: there is no such page
            return None, False

    def find_file(self, relative: str) -> Path | None:
        """The file or folder a URL path names inside output/, or None if it would leave output/."""
        parts = [part for part in posixpath.normpath("/" + relative).split("/") if part]
        if any(part in (".", "..") or "\\" in part or "\0" in part for part in parts) or parts[:1] == [STAGING]:
            return None  # outside output/, or a build's staging folder (not part of the site)
        return self.output.joinpath(*parts)

    def not_found(self, generation: int, problems: tuple[ShownProblem, ...], send_body: bool) -> None:
        page = self.output / "404.html"
        if problems:
            self.send_error_page(generation, problems, send_body)
        elif page.is_file():
            self.send_file(HTTPStatus.NOT_FOUND, page, generation, send_body)
        else:
            self.send_bytes(HTTPStatus.NOT_FOUND, CONTENT_TYPES[".txt"], b"404 not found\n", send_body)

    def send_file(self, status: HTTPStatus, path: Path, generation: int, send_body: bool) -> None:
        try:
            data = path.read_bytes()
        except OSError:  # swapped away by a build between the check and the read
            self.send_bytes(HTTPStatus.SERVICE_UNAVAILABLE, CONTENT_TYPES[".txt"], b"rebuilding, reload\n", send_body)
            return
        content_type = content_type_of(path)
        if content_type.startswith("text/html"):
            data = with_generation(data, generation)
        self.send_bytes(status, content_type, data, send_body)

    def send_error_page(self, generation: int, problems: tuple[ShownProblem, ...], send_body: bool) -> None:
        page = render_error_page(problems, generation).encode("utf-8")
        self.send_bytes(HTTPStatus.INTERNAL_SERVER_ERROR, CONTENT_TYPES[".html"], page, send_body)

    def redirect(self, location: str) -> None:
        self.send_response(HTTPStatus.FOUND)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def send_bytes(self, status: HTTPStatus, content_type: str, data: bytes, send_body: bool = True) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        if send_body:
            self.wfile.write(data)

    def stream_events(self, name: str | None) -> None:
        """Server-Sent Events: the current generation at once, then each new one, until the tab goes; name is
        the file under output/ of the page the tab shows (a page rendered ahead of the rebuild has its own
        generation). Beyond EVENT_STREAMS open streams, the tab is told to come back in a few seconds (a stream
        holds a worker)."""
        streams: threading.BoundedSemaphore | None = getattr(self.server, "streams", None)
        if streams is not None and not streams.acquire(blocking=False):
            self.send_bytes(HTTPStatus.OK, "text/event-stream", b"retry: 5000\n\n")
            return
        try:
            self.send_events(name)
        finally:
            if streams is not None:
                streams.release()

    def send_events(self, name: str | None) -> None:
        """The body of stream_events, holding one of the stream slots."""
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        sent = None
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while True:
                generation = self.state.wait_for_generation(-1 if sent is None else sent, KEEPALIVE_SECONDS, name)
                if self.state.stopping:
                    return
                message = f"data: {generation}\n\n" if generation != sent else ": keep-alive\n\n"
                self.wfile.write(message.encode("ascii"))
                self.wfile.flush()
                sent = generation
        except (BrokenPipeError, ConnectionResetError, TimeoutError):
            return


def content_type_of(path: Path) -> str:
    """Content-Type by extension: our table first (fonts, feeds, UTF-8 text), then the platform's."""
    suffix = path.suffix.lower()
    if suffix in CONTENT_TYPES:
        return CONTENT_TYPES[suffix]
    guessed, _ = mimetypes.guess_type(path.name)
    return guessed or "application/octet-stream"


def with_generation(page: bytes, generation: int) -> bytes:
    """Write the generation into the page's live-reload script (the last token: it ends the body)."""
    head, token, tail = page.rpartition(GENERATION_TOKEN.encode("ascii"))
    return head + str(generation).encode("ascii") + tail if token else page


def render_error_page(problems: Iterable[ShownProblem], generation: int) -> str:
    """The page every HTML request gets while the last build fails; it reloads itself once fixed."""
    items = []
    for shown in problems:
        source = ""
        if shown.source_line is not None:
            source = f'\n<pre dir="auto"><code>{html.escape(shown.source_line)}</code></pre>'
        items.append(f'<li><p dir="auto">{html.escape(str(shown.problem))}</p>{source}</li>')
    script = LIVE_RELOAD_SCRIPT.replace(GENERATION_TOKEN, str(generation))
    return f"""<!DOCTYPE html>
<html dir="auto">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<title>Build failed · Warraq</title>
<style>
body {{ font: 1rem/1.5 system-ui, sans-serif; max-inline-size: 60rem; margin: 2rem auto; padding: 0 1rem; }}
h1 {{ color: #b3261e; font-size: 1.4rem; }}
ol {{ padding-inline-start: 1.2rem; }}
li p {{ font-family: ui-monospace, monospace; margin-block-end: .25rem; unicode-bidi: plaintext; }}
pre {{ background: #b3261e14; border-inline-start: 4px solid #b3261e; padding: .5rem .75rem; margin: 0 0 1rem;
       white-space: pre-wrap; unicode-bidi: plaintext; }}
</style>
</head>
<body>
<h1>The build failed</h1>
<p>Fix the problems below and save: this page reloads by itself. The last good build is still being served
for everything that is not a page.</p>
<ol>
{chr(10).join(items)}
</ol>
{script}
</body>
</html>
"""


class PooledHTTPServer(HTTPServer):
    """An HTTP server whose requests run on a fixed pool of worker threads. While every worker is busy the
    accepting thread waits, and new connections queue in the kernel's listen backlog instead of each getting
    a thread (http.server's ThreadingHTTPServer starts one per connection, without bound). A client that
    goes away mid-response is no error worth a traceback."""

    request_queue_size = BACKLOG

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler], workers: int = WORKERS,
                 event_streams: int = EVENT_STREAMS) -> None:
        super().__init__(address, handler)
        self.pool = ThreadPoolExecutor(workers, thread_name_prefix="warraq-http")
        self.slots = threading.BoundedSemaphore(workers)
        self.streams = threading.BoundedSemaphore(event_streams)
        self.closing = threading.Event()

    def process_request(self, request, client_address) -> None:  # noqa: ANN001 - socketserver's signature
        """Hand the connection to a free worker, waiting for one (the accept loop pauses meanwhile)."""
        while not self.slots.acquire(timeout=0.2):
            if self.closing.is_set():
                self.shutdown_request(request)
                return
        try:
            self.pool.submit(self.handle_in_worker, request, client_address)
        except RuntimeError:  # the pool is shut down: the server is stopping
            self.slots.release()
            self.shutdown_request(request)

    def handle_in_worker(self, request, client_address) -> None:  # noqa: ANN001
        """Serve one connection in a worker thread, then free the worker."""
        try:
            self.finish_request(request, client_address)
        except Exception:  # noqa: BLE001 - as socketserver does: report it and keep serving
            self.handle_error(request, client_address)
        finally:
            self.shutdown_request(request)
            self.slots.release()

    def handle_error(self, request, client_address) -> None:  # noqa: ANN001
        """A client that closed its connection or stopped reading is normal; anything else is a bug: traceback."""
        if isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            return
        super().handle_error(request, client_address)

    def close(self) -> None:
        """Stop accepting, let running requests end, close the socket."""
        self.closing.set()
        self.shutdown()
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.server_close()


def start_server(output: Path, state: ServeState, port: int) -> PooledHTTPServer:
    """Serve output/ on 127.0.0.1:port (0 picks a free one) in a background thread; return the server.
    Stop it with stop_server()."""
    handler = type("BoundSiteRequestHandler", (SiteRequestHandler,), {"output": output, "state": state})
    server = PooledHTTPServer((HOST, port), handler)
    threading.Thread(target=server.serve_forever, name="warraq-http", daemon=True).start()
    return server


def stop_server(server: PooledHTTPServer, state: ServeState) -> None:
    """End the event streams, stop accepting requests, close the socket."""
    state.stop()
    server.close()


def serve(root: Path, port: int = 8000, include_drafts: bool = True, output: Path | None = None, *,
          base_url: str | None = None, include_future: bool = False, strict: bool = False,
          out: TextIO | None = None, err: TextIO | None = None) -> int:
    """Build, serve on 127.0.0.1:port, rebuild on every change, until Ctrl-C; return the exit code."""
    out, err = out or sys.stdout, err or sys.stderr
    root = root.resolve()
    output = (output or root / "output").resolve()
    options = serve_options(output, include_drafts, base_url, include_future, strict)
    state = ServeState()
    stop_event = threading.Event()
    previous_sigterm = _sigterm_as_interrupt()
    server = None
    watcher = None
    try:
        try:
            check_output_folder(output, root)
        except OutputRefused as error:
            print(error, file=err)
            return error.exit_code
        try:  # the port first: a busy one is said at once, not after a build
            server = start_server(output, state, port)
        except OSError as error:
            print(f"cannot serve on {HOST}:{port}: {error.strerror or error}; try another --port", file=err)
            return 2
        # What an earlier serve, stopped while Pagefind indexed, left half done.
        clear_pending(root / CACHE_DIR)
        # The watchers start before the first build, which runs in the rebuilding thread: "serving" is said only
        # once a save would be seen (announced before, a save made at once was never rebuilt).
        first_build = threading.Event()
        watcher = threading.Thread(target=watch_and_rebuild, name="warraq-rebuild", daemon=True,
                                   args=(root, options, state, stop_event),
                                   kwargs={"out": out, "err": err, "first_build": first_build})
        watcher.start()
        while not first_build.wait(0.5):
            if not watcher.is_alive():
                break
        _, _, base_path = state.snapshot()
        print(f"serving http://{HOST}:{server.server_address[1]}{base_path}"
              f"{' with drafts' if include_drafts else ''}; watching content/, themes/, seeds/, static/ and site.toml;"
              f" Ctrl-C stops", file=out, flush=True)
        while not stop_event.wait(0.5):
            pass
    except KeyboardInterrupt:
        pass
    finally:
        stop_event.set()
        if server is not None:
            stop_server(server, state)
        if watcher is not None and watcher.ident is not None:  # Ctrl-C may come before it started
            watcher.join(timeout=10)
        if previous_sigterm is not None:
            signal.signal(signal.SIGTERM, previous_sigterm)
    print("stopped serving", file=out, flush=True)
    return 0


def _sigterm_as_interrupt():
    """Let `kill` stop the server as cleanly as Ctrl-C does (main thread only); return the old handler."""
    if threading.current_thread() is not threading.main_thread() or os.name == "nt":
        return None

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    return signal.signal(signal.SIGTERM, interrupt)
