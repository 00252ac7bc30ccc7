"""The build cache in <root>/.warraq-cache/: parsed articles, Markdown bodies, what each page's inputs rendered
to, and compiled templates, so that a rebuild redoes only what its inputs changed. A result is reused only
under an exact key of everything it was made from, so a warm build is byte-identical to a cold one; a missing
or corrupt cache is rebuilt."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import io
import os
import pickle
import re
import shutil
import sqlite3
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence

from generator import inputs
from generator.errors import Problem

if TYPE_CHECKING:  # annotations only: the no-change build reads the cache without Markdown or YAML loaded
    from generator.content import Article
    from generator.markup import Rendered

CACHE_DIR = ".warraq-cache"
DATABASE = "cache.sqlite3"
# Bump to drop every cache written by an older layout of this file.
SCHEMA = 3
# Libraries whose output lands in pages: a new version of any of them may change the bytes.
LIBRARIES = ("jinja2", "markupsafe", "markdown", "babel", "hijridate", "pyyaml", "python-frontmatter", "nh3", "pyuca",
             "pygments", "pillow")
# The modules a Markdown body's HTML is made by (markup.py and the tree processors and sanitiser it loads):
# a change to any of them must convert every cached body again.
MARKUP_MODULES = ("markup.py", "bidi.py", "body_digits.py", "sanitise.py", "time_limit.py", "dates.py",
                  "highlight.py")
# The libraries a body's HTML is made by (nh3's version is in the sanitiser's policy fingerprint).
MARKUP_LIBRARIES = ("markdown", "pygments")
# A file modified within this long before its stat was recorded may be modified again within the same
# clock tick without its mtime changing (git's "racily clean" problem): such files are re-hashed.
RACY_NS = 2_000_000_000
# How long a connection waits for another's write to the database, and how long the no-change check waits
# to settle its record (BuildCache.record_check), in milliseconds.
BUSY_WAIT_MS = 30_000
SETTLE_WAIT_MS = 50
GENERATOR_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class CachedArticle:
    """One content file as last read: its stat and hash, and what reading it gave. The article is kept
    without its body (the body's hash keys its HTML in the bodies table), so that a warm build never
    holds the Markdown text of thousands of articles."""

    size: int
    mtime_ns: int
    recorded_ns: int
    sha256: bytes
    article: Article | None
    problems: tuple[Problem, ...]
    body_sha256: bytes = b""


@dataclass(frozen=True)
class CachedPage:
    """What a page's inputs rendered to last time: the fingerprint of those inputs and its bytes' hash."""

    fingerprint: bytes
    sha256: bytes


@dataclass(frozen=True)
class FastState:
    """What the last successful build read and wrote, to skip a build whose inputs did not change at all."""

    key: bytes
    output: str
    started_ns: int
    finished_ns: int
    # (path, size, mtime_ns) of every content and static file, and the hash of the bytes the build used.
    inputs: tuple[tuple[str, int, int], ...]
    hashes: Mapping[str, bytes]
    # (path relative to output/, size, mtime_ns, inode) of every file the build left in output/.
    outputs: tuple[tuple[str, int, int, int], ...]
    result: Any
    # output/'s identity when the build finished (unchanged.output_identity): a copy put in its place is another.
    output_id: tuple[int, int] | None = None
    # The theme's folders, nearest first: the no-change check fingerprints them without loading the theme.
    theme_dirs: tuple[str, ...] = ()
    # The date the build took as today (unchanged.Opened.today): `check --site` checks output/ as of that day.
    today: datetime.date | None = None


@dataclass
class Memo:
    """Results of whole-site computations (related lists, alphabetical orders) under an exact digest of their
    inputs, kept from one build to the next: a rebuild whose edit leaves those inputs as they were skips the
    computation. Mutable on purpose: it gathers this build's results for BuildCache.save."""

    found: dict[str, tuple[bytes, Any]] = field(default_factory=dict)
    new: dict[str, tuple[bytes, Any]] = field(default_factory=dict)

    def remember(self, name: str, key: bytes, compute: Callable[[], Any]) -> Any:
        """The value stored under name when it was computed from inputs with this key, else compute() (kept
        for the next build). Values must pickle; each name holds one value, the latest."""
        known = self.found.get(name)
        value = known[1] if known is not None and known[0] == key else compute()
        self.new[name] = (key, value)
        return value


def check_record(state: FastState) -> FastState:
    """The no-change check's record of a build (BuildCache.fast_check): state without its list of output/'s
    files, and with the hashes of only the inputs it cannot trust by their stat (changed within RACY_NS before
    state.started_ns), usually none; the rest only a build that goes on needs."""
    racy = state.started_ns - RACY_NS
    hashes = {name: state.hashes[name] for name, _, changed in state.inputs if changed >= racy and name in state.hashes}
    return dataclasses.replace(state, outputs=(), hashes=hashes)


def memo_key(*parts: Any) -> bytes:
    """The digest of a memo's inputs: their pickle (plain data: strings, numbers, dates, tuples, frozen
    dataclasses), made without pickle's memo, so that equal values give equal bytes whether or not they are
    one object (a pickle refers back to an object it has already written)."""
    stream = io.BytesIO()
    pickler = pickle.Pickler(stream, protocol=pickle.HIGHEST_PROTOCOL)
    pickler.fast = True
    pickler.dump(parts)
    return hashlib.sha256(stream.getvalue()).digest()


@dataclass
class Session:
    """What a long-running process (serve) keeps of the build cache between its builds: the tables a build reads
    whole (every article as parsed, every page's fingerprint and hash, the memo), as its last build saved them,
    so that the next build does not read and unpickle them again. Trusted only while the database still holds
    the token that save wrote with them: a build by another process (which writes its own) makes the next
    build read the database. Mutable on purpose: each save refreshes it."""

    token: bytes = b""
    articles: dict[str, CachedArticle] = field(default_factory=dict)
    pages: dict[str, CachedPage] = field(default_factory=dict)
    memo: dict[str, tuple[bytes, Any]] = field(default_factory=dict)
    # What the last successful build planned its pages from (fast_render.LastPlan), for serve's fast render of
    # the next save; None until a build has planned pages, and after a build that failed.
    plan: Any = None


@dataclass
class BuildCache:
    """A connection to the cache database. Mutable on purpose: it gathers this build's new entries and
    writes them in one transaction at the end, so a failed build leaves the cache as it was."""

    path: Path
    connection: sqlite3.Connection | None
    code: bytes = b""
    new_articles: dict[str, CachedArticle] = field(default_factory=dict)
    # Articles re-hashed and found unchanged: only their recorded stat is updated.
    refreshed: dict[str, CachedArticle] = field(default_factory=dict)
    new_bodies: dict[bytes, Rendered] = field(default_factory=dict)
    # url, fingerprint of the page's inputs, sha256 of its bytes.
    new_pages: list[tuple[str, bytes, bytes]] = field(default_factory=list)
    # The strings the templates use, under the key of the templates and code they were found in.
    new_messages: tuple[bytes, frozenset[str]] | None = None
    # The configuration this build loaded, under the key of site.toml's text, the base URL and the root.
    new_config: tuple[bytes, Any] | None = None
    # What this build used; save() forgets the rest of what it found in the database.
    articles_in_use: set[str] = field(default_factory=set)
    bodies_in_use: set[bytes] = field(default_factory=set)
    found_articles: set[str] = field(default_factory=set)
    found_bodies: set[bytes] = field(default_factory=set)
    found_pages: set[str] = field(default_factory=set)
    memo: Memo = field(default_factory=Memo)
    # The memo's pickle, made by prepare_memo while the build waits for Pagefind: (the results it was made of, it).
    memo_pickle: tuple[dict[str, tuple[bytes, Any]], bytes] | None = None
    session: Session | None = None
    # The articles and pages this build found (from the database or the session), to refresh the session.
    found_entries: dict[str, CachedArticle] = field(default_factory=dict)
    found_page_entries: dict[str, CachedPage] = field(default_factory=dict)

    def in_session(self) -> bool:
        """Whether the session holds what the database holds (its token is the database's)."""
        if self.session is None or not self.session.token:
            return False
        rows = self._query("SELECT value FROM meta WHERE name = 'token'")
        return bool(rows) and rows[0][0] == self.session.token

    def prepare_memo(self) -> None:
        """Pickle this build's memo now, for save(): a build calls it once every result is remembered, while it
        waits for the search stage (the memo is megabytes of page keys at 20,000 articles)."""
        self.memo_pickle = (dict(self.memo.new), pickle.dumps(self.memo.new, pickle.HIGHEST_PROTOCOL))

    def memo_bytes(self) -> bytes:
        """The pickle of this build's memo: prepare_memo's when no result changed since, else made now."""
        if self.memo_pickle is not None and self.memo_pickle[0] == self.memo.new:
            return self.memo_pickle[1]
        return pickle.dumps(self.memo.new, pickle.HIGHEST_PROTOCOL)

    def load_memo(self) -> Memo:
        """The memo of whole-site results the last build kept (see Memo)."""
        if self.in_session():
            found = dict(self.session.memo)
        else:
            rows = self._query("SELECT value FROM meta WHERE name = 'memo'")
            found = _unpickle(rows[0][0], dict) if rows else None
        self.memo = Memo(found or {})
        return self.memo

    def articles(self) -> dict[str, CachedArticle]:
        """Every cached content file by its path relative to the root."""
        if self.in_session():
            self.found_articles = set(self.session.articles)
            self.found_entries = dict(self.session.articles)
            return dict(self.session.articles)
        rows = self._query("SELECT path, size, mtime_ns, recorded_ns, sha256, body_sha256, data FROM articles")
        found = {}
        for path, size, mtime_ns, recorded_ns, sha, body_sha, data in rows:
            reading = _unpickle(data, tuple)
            if reading is not None and len(reading) == 2:
                found[path] = CachedArticle(size, mtime_ns, recorded_ns, bytes(sha), reading[0], reading[1],
                                            bytes(body_sha))
        self.found_articles = {path for path, *_ in rows}
        self.found_entries = dict(found)
        return found

    def body_keys(self) -> set[bytes]:
        """The keys of every cached body."""
        self.found_bodies = {bytes(key) for key, in self._query("SELECT key FROM bodies")}
        return set(self.found_bodies)

    def pages(self) -> dict[str, CachedPage]:
        """Fingerprint and hash of every cached page, by URL (without the bytes: most are never needed)."""
        if self.in_session():
            self.found_pages = set(self.session.pages)
            self.found_page_entries = self.session.pages
            return self.session.pages
        rows = self._query("SELECT url, fingerprint, sha256 FROM pages")
        self.found_pages = {url for url, *_ in rows}
        self.found_page_entries = {url: CachedPage(bytes(fingerprint), bytes(sha)) for url, fingerprint, sha in rows}
        return self.found_page_entries

    def messages(self, key: bytes) -> frozenset[str] | None:
        """The strings the templates use, as found under key by an earlier build; None when not known."""
        rows = self._query("SELECT value FROM meta WHERE name = 'messages'")
        found = _unpickle(rows[0][0], tuple) if rows else None
        return found[1] if found and len(found) == 2 and found[0] == key else None

    def config(self, key: bytes) -> Any:
        """The configuration an earlier build loaded under key (unchanged.load_known_config), or None."""
        rows = self._query("SELECT value FROM meta WHERE name = 'config'")
        found = _unpickle(rows[0][0], tuple) if rows else None
        return found[1] if found and len(found) == 2 and found[0] == key else None

    def fast_check(self) -> FastState | None:
        """The record of the last successful build without its list of output/'s files, and with the hashes of
        only the inputs changed within RACY_NS before it started: what the no-change check reads. At 5,000
        articles the whole record is 2 MB, most of it those lists, which only a build that goes on needs
        (fast_state)."""
        rows = self._query("SELECT value FROM meta WHERE name = 'fast_check'")
        return _unpickle(rows[0][0], FastState) if rows else None

    def record_check(self, state: FastState) -> None:
        """Replace the no-change check's record (fast_check) with state, keeping the hashes of only its recent
        inputs (changed within RACY_NS before state.started_ns); the whole record stays as the last build saved
        it. A failure to write only leaves the next check more files to compare."""
        if self.connection is None:
            return
        try:
            # Another program holding the database (a SQLite browser, a backup) must not stall a no-change build
            # for the connection's 30 s: the record is only a saving, and the next check tries again.
            self.connection.execute(f"PRAGMA busy_timeout = {SETTLE_WAIT_MS}")
            with self.connection:
                self.connection.execute("UPDATE meta SET value = ? WHERE name = 'fast_check'",
                                        (pickle.dumps(check_record(state), pickle.HIGHEST_PROTOCOL),))
            self.connection.execute(f"PRAGMA busy_timeout = {BUSY_WAIT_MS}")
        except sqlite3.Error:
            pass

    def fast_state(self) -> FastState | None:
        """The record of the last successful build, if any."""
        rows = self._query("SELECT value FROM meta WHERE name = 'fast_state'")
        return _unpickle(rows[0][0], FastState) if rows else None

    def _query(self, sql: str, parameters: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        if self.connection is None:
            return []
        try:
            return self.connection.execute(sql, parameters).fetchall()
        except sqlite3.DatabaseError:
            # A damaged database reads as empty; save() starts a new one.
            self.connection.close()
            self.connection = None
            return []

    def save(self, urls_in_use: Iterable[str], fast_state: FastState | None) -> None:
        """Write this build's new entries and forget the ones no longer used, in one transaction."""
        connection = self.connection
        if connection is None:
            connection = _connect(self.path, fresh=True)
            if connection is None:
                return
            with connection:
                connection.execute("INSERT OR REPLACE INTO meta VALUES ('code', ?)", (self.code,))
        try:
            with connection:
                # Generators, not lists: at 20,000 articles the rows add up to hundreds of megabytes.
                connection.executemany("INSERT OR REPLACE INTO articles VALUES (?, ?, ?, ?, ?, ?, ?)",
                                       ((path, entry.size, entry.mtime_ns, entry.recorded_ns, entry.sha256,
                                         entry.body_sha256,
                                         pickle.dumps((entry.article, entry.problems), pickle.HIGHEST_PROTOCOL))
                                        for path, entry in self.new_articles.items()))
                connection.executemany("UPDATE articles SET size = ?, mtime_ns = ?, recorded_ns = ? WHERE path = ?",
                                       ((entry.size, entry.mtime_ns, entry.recorded_ns, path)
                                        for path, entry in self.refreshed.items()))
                connection.executemany("INSERT OR REPLACE INTO bodies VALUES (?, ?, ?)",
                                       ((key, body.html, body.toc) for key, body in self.new_bodies.items()))
                connection.executemany("INSERT OR REPLACE INTO pages VALUES (?, ?, ?)", self.new_pages)
                # What the database held when this build read it and the build no longer uses: every row
                # added since (by this build, or by its reading workers) is in use.
                _delete(connection, "articles", "path", self.found_articles - self.articles_in_use)
                _delete(connection, "bodies", "key", self.found_bodies - self.bodies_in_use)
                _delete(connection, "pages", "url", self.found_pages - set(urls_in_use))
                state = pickle.dumps(fast_state, pickle.HIGHEST_PROTOCOL) if fast_state else None
                if self.new_messages is not None:
                    connection.execute("INSERT OR REPLACE INTO meta VALUES ('messages', ?)",
                                       (pickle.dumps(self.new_messages, pickle.HIGHEST_PROTOCOL),))
                if self.new_config is not None:
                    connection.execute("INSERT OR REPLACE INTO meta VALUES ('config', ?)",
                                       (pickle.dumps(self.new_config, pickle.HIGHEST_PROTOCOL),))
                # Only what this build used: a result for a language or list that is gone is forgotten.
                connection.execute("INSERT OR REPLACE INTO meta VALUES ('memo', ?)",
                                   (self.memo_bytes(),))
                connection.execute("DELETE FROM meta WHERE name IN ('fast_state', 'fast_check')")
                if state is not None:
                    connection.execute("INSERT INTO meta VALUES ('fast_state', ?)", (state,))
                    connection.execute("INSERT INTO meta VALUES ('fast_check', ?)",
                                       (pickle.dumps(check_record(fast_state), pickle.HIGHEST_PROTOCOL),))
                # A new token with every save: a session holding another one knows the database moved on.
                token = os.urandom(16)
                connection.execute("INSERT OR REPLACE INTO meta VALUES ('token', ?)", (token,))
            self.refresh_session(token, set(urls_in_use))
        except sqlite3.DatabaseError:
            # A cache that cannot be written is only a slower next build; remove it so that one starts clean.
            connection.close()
            remove_database(self.path)
        finally:
            connection.close()
            self.connection = None

    def refresh_session(self, token: bytes, urls_in_use: set[str]) -> None:
        """Make the session what save() has just written (token included)."""
        if self.session is None:
            return
        articles = {path: entry for path, entry in self.found_entries.items() if path in self.articles_in_use}
        articles.update(self.refreshed)
        articles.update(self.new_articles)
        pages = {url: entry for url, entry in self.found_page_entries.items() if url in urls_in_use}
        pages.update((url, CachedPage(fingerprint, sha)) for url, fingerprint, sha in self.new_pages)
        self.session.token, self.session.articles, self.session.pages = token, articles, pages
        self.session.memo = dict(self.memo.new)

    def template_dir(self, settings: bytes = b"") -> Path | None:
        """Where Jinja keeps compiled templates, for this generator code and these settings only (settings: the
        global page fingerprint, which covers site.toml): Jinja works out constant expressions when it
        compiles, a filter such as `{{ 404|number }}` included, so a template compiled under another setting
        (digits) would print the old result. None when it cannot be made."""
        folder = self.path.parent / "templates" / hashlib.sha256(self.code + settings).hexdigest()[:16]
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for other in folder.parent.iterdir():
                if other != folder:
                    shutil.rmtree(other, ignore_errors=True)  # compiled by older generator code
        except OSError:
            return None
        return folder

    def close(self) -> None:
        """Close the connection (before forking workers, and at the end of the build)."""
        if self.connection is not None:
            self.connection.close()
            self.connection = None

    def reopen(self) -> None:
        """Open the connection again after close()."""
        if self.connection is None:
            self.connection = _connect(self.path, fresh=False)


class BodyStore:
    """Bodies' HTML by key: this build's new ones from memory, the rest read from the cache database when a
    page prints them. A one-article rebuild then never loads the HTML of thousands of bodies (about 100 MB
    at 6,500 articles). Mutable on purpose: each process opens its own connection on first use."""

    def __init__(self, path: Path, fresh: Mapping[bytes, Rendered]) -> None:
        self.path = path
        self.fresh = fresh
        self.connection: sqlite3.Connection | None = None
        self.pid = 0
        # The last body read (key, HTML): a page that works out its body's reading time and then prints it
        # reads the body once. One body, never all of them.
        self.last: tuple[bytes, str] | None = None
        self.last_toc: tuple[bytes, str] | None = None

    def text(self, key: bytes) -> str:
        """html(key), read once for consecutive uses of the same body (self.last)."""
        if self.last is None or self.last[0] != key:
            self.last = (key, self.html(key))
        return self.last[1]

    def toc(self, key: bytes) -> str:
        """The table of contents of the body cached under key ("" for a short body), read once for consecutive
        uses (a template tests it, then prints it)."""
        if key in self.fresh:
            return self.fresh[key].toc
        if self.last_toc is None or self.last_toc[0] != key:
            self.last_toc = (key, self.read(key, "SELECT toc FROM bodies WHERE key = ?"))
        return self.last_toc[1]

    def html(self, key: bytes) -> str:
        """The HTML of the body cached under key."""
        if key in self.fresh:
            return str(self.fresh[key].html)
        return self.read(key, "SELECT html FROM bodies WHERE key = ?")

    def read(self, key: bytes, query: str) -> str:
        """One column of the body row under key, through this process's connection."""
        if self.connection is None or self.pid != os.getpid():
            # A connection must not cross fork: a worker process opens its own.
            self.connection, self.pid = sqlite3.connect(self.path, timeout=BUSY_WAIT_MS / 1000), os.getpid()
        row = self.connection.execute(query, (key,)).fetchone()
        if row is None:
            raise LookupError(f"the build cache lost a body it had a moment ago; delete {self.path.parent} and rebuild")
        return row[0]

    def close(self) -> None:
        """Close this process's connection, if open (before forking workers, and at the end of a build)."""
        if self.connection is not None and self.pid == os.getpid():
            self.connection.close()
        self.connection = None


@dataclass(frozen=True, eq=False)
class StoredBody:
    """A body's HTML (or, with toc, its table of contents) in the cache, read when a template prints it: behaves
    as the Markup it stands for. A rebuild then reads the bodies and tables of contents of the pages it renders
    only, not one per article (reading every table of contents took 0.56 s at 20,000 articles)."""

    key: bytes
    store: BodyStore
    toc: bool = False

    def text(self) -> str:
        """What it stands for, read from the store (BodyStore.text or .toc)."""
        return self.store.toc(self.key) if self.toc else self.store.text(self.key)

    def __html__(self) -> str:
        return self.text()

    def __str__(self) -> str:
        return self.text()

    def __len__(self) -> int:
        return len(self.text())

    def __bool__(self) -> bool:
        return bool(self.text())

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled only for fingerprints, which are hashed, never loaded: the key stands for the HTML (and, with
        # a mark, for the table of contents made from it).
        return digested, (self.key + b"toc" if self.toc else self.key,)


def store_bodies(path: Path, rows: Sequence[tuple[bytes, str, str]]) -> bool:
    """Write bodies (key, html, toc) to the cache database from any process, in one transaction; False when
    that cannot be done (the caller then keeps them). Reading workers store the bodies they convert, so that
    their HTML never crosses into the main process, which would hold all of it at once."""
    try:
        connection = sqlite3.connect(path, timeout=BUSY_WAIT_MS / 1000)
    except sqlite3.Error:
        return False
    try:
        # As _create_tables sets for the build's own connection: safe with WAL (a crash loses at most the last
        # transactions, never the database), and a third faster per chunk of bodies than FULL.
        connection.execute("PRAGMA synchronous=NORMAL")
        with connection:
            connection.executemany("INSERT OR REPLACE INTO bodies VALUES (?, ?, ?)", rows)
        return True
    except sqlite3.Error:
        return False
    finally:
        connection.close()


def open_cache(root: Path, code_fingerprint: bytes, session: Session | None = None) -> BuildCache:
    """Open (or create) the cache of the project at root; entries from other generator code are dropped. A
    session (serve's) spares reading the tables it holds while the database is as this process left it."""
    folder = root / CACHE_DIR
    path = folder / DATABASE
    connection = _connect(path, fresh=False)
    if connection is not None and _read_meta(connection, "code") != code_fingerprint:
        connection.close()
        connection = _connect(path, fresh=True)
        if connection is not None:
            with connection:
                connection.execute("INSERT INTO meta VALUES ('code', ?)", (code_fingerprint,))
    return BuildCache(path=path, connection=connection, code=code_fingerprint, session=session)


def recorded_outputs(root: Path, output: Path) -> frozenset[str]:
    """The files (relative to output) that the cache records the last build leaving in output, read without
    changing the cache and whatever generator code wrote it (an older Warraq's, for adopting its unmarked
    output/); empty when there is no such record."""
    path = root / CACHE_DIR / DATABASE
    if not path.is_file():
        return frozenset()
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = connection.execute("SELECT value FROM meta WHERE name = 'fast_state'").fetchall()
        finally:
            connection.close()
    except sqlite3.Error:
        return frozenset()
    state = _unpickle(rows[0][0], FastState) if rows else None
    if state is None or Path(state.output).resolve() != output.resolve():
        return frozenset()
    return frozenset(name for name, *_ in state.outputs)


def _connect(path: Path, fresh: bool) -> sqlite3.Connection | None:
    """A connection with the tables in place; fresh (or a corrupt file) starts from an empty database."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if fresh:
            remove_database(path)
        connection = sqlite3.connect(path, timeout=BUSY_WAIT_MS / 1000)
        try:
            _create_tables(connection)
            return connection
        except sqlite3.DatabaseError:
            connection.close()
            return None if fresh else _connect(path, fresh=True)
    except OSError:
        return None


def _create_tables(connection: sqlite3.Connection) -> None:
    """The tables, in a database of this SCHEMA; raises DatabaseError for one of another (it is remade)."""
    # WAL: worker processes may read while the database is written, and a crash mid-write keeps the last cache.
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=NORMAL")
    with connection:
        connection.execute("CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value BLOB)")
        schema = _read_meta(connection, "schema")
        if schema is None:
            connection.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA,))
        elif schema != SCHEMA:
            raise sqlite3.DatabaseError(f"cache schema {schema}, not {SCHEMA}")
        connection.execute("CREATE TABLE IF NOT EXISTS articles (path TEXT PRIMARY KEY, size INTEGER, "
                           "mtime_ns INTEGER, recorded_ns INTEGER, sha256 BLOB, body_sha256 BLOB, data BLOB)")
        connection.execute("CREATE TABLE IF NOT EXISTS bodies (key BLOB PRIMARY KEY, html TEXT, toc TEXT)")
        # A page's bytes are not kept here: output/ holds them (hashed against sha256 before reuse), and a
        # page missing from output/ is rendered again. Keeping them cost a cold build 10% in compression
        # and database writes.
        connection.execute("CREATE TABLE IF NOT EXISTS pages (url TEXT PRIMARY KEY, fingerprint BLOB, sha256 BLOB)")


def _read_meta(connection: sqlite3.Connection, name: str) -> Any:
    row = connection.execute("SELECT value FROM meta WHERE name = ?", (name,)).fetchone()
    return row[0] if row else None


def _delete(connection: sqlite3.Connection, table: str, column: str, keys: Iterable[Any]) -> None:
    """Delete the rows with these keys, so that the cache does not grow with every edit."""
    connection.executemany(f"DELETE FROM {table} WHERE {column} = ?", ((key,) for key in keys))  # noqa: S608


def _unpickle(data: bytes, expected: type) -> Any:
    """A cached object, or None when the bytes are damaged or hold something else."""
    try:
        value = pickle.loads(data)
    except Exception:  # noqa: BLE001 - any damage to a cache entry only means a miss
        return None
    return value if isinstance(value, expected) else None


# ---------------------------------------------------------------------------
# Keys
# ---------------------------------------------------------------------------


def hash_files(paths: Iterable[Path], base: Path) -> bytes:
    """A digest of these files' relative names and bytes."""
    digest = hashlib.sha256()
    for path in sorted(paths):
        name = path.relative_to(base).as_posix().encode() if path.is_relative_to(base) else str(path).encode()
        data = path.read_bytes()
        digest.update(b"%d:%s%d:" % (len(name), name, len(data)))
        digest.update(data)
    return digest.digest()


def code_fingerprint() -> bytes:
    """The generator's own source and the versions of the libraries and Python it runs on."""
    digest = hashlib.sha256(hash_files(GENERATOR_DIR.rglob("*.py"), GENERATOR_DIR))
    digest.update(sys.version.encode())
    versions = installed_versions()
    for name in LIBRARIES:
        digest.update(f"{name}={versions.get(distribution_key(name), '')};".encode())
    return digest.digest()


def library_version(name: str) -> str:
    """An installed distribution's version, or "" when it is not installed."""
    return installed_versions().get(distribution_key(name), "")


def installed_versions() -> dict[str, str]:
    """The version of every distribution installed on sys.path by distribution_key (the first one found along
    sys.path, as importlib.metadata finds it), read from the names of their metadata folders,
    "jinja2-3.1.6.dist-info" or "PyYAML-6.0-py3.11.egg-info". importlib.metadata reads the same versions from
    the files inside, but importing it (and the email parser it reads them with) cost every build's start
    30 ms, and each lookup walks sys.path again."""
    found: dict[str, str] = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for folder in names:
            stem, _, suffix = folder.rpartition(".")
            name, _, version = stem.partition("-")
            if suffix in ("dist-info", "egg-info") and version:
                found.setdefault(distribution_key(name), version.split("-")[0])
    return found


def distribution_key(name: str) -> str:
    """A distribution's name as packaging compares them (PEP 503): "python_frontmatter" is "python-frontmatter"."""
    return re.sub(r"[-_.]+", "-", name).lower()


def markup_fingerprint() -> bytes:
    """What a Markdown body's HTML depends on besides its text: the modules that make it (MARKUP_MODULES) and the
    versions of the libraries that make it (MARKUP_LIBRARIES: Markdown, and Pygments for code blocks)."""
    digest = hashlib.sha256(hash_files([GENERATOR_DIR / name for name in MARKUP_MODULES], GENERATOR_DIR))
    for name in MARKUP_LIBRARIES:
        digest.update(f"{name}={library_version(name)};".encode())
    return digest.digest()


def text_digest(text: str) -> bytes:
    """The sha256 of a text's UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def body_key(markup: bytes, backlink_title: str, body_sha256: bytes) -> bytes:
    """The cache key of one Markdown body: its text's digest, the footnote back-link title, and markup.py
    with the Markdown library's version (markup_fingerprint)."""
    title = backlink_title.encode()
    return hashlib.sha256(markup + b"%d:%s" % (len(title), title) + body_sha256).digest()


def store_file(path: Path, data: bytes) -> bool:
    """Write data to path inside the build cache: beside it, then renamed into place, so that a reader finds the
    old bytes or the new ones whole. False when it cannot be written: a cache file lost only costs time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}")
        temporary.write_bytes(data)
        os.replace(temporary, path)
    except OSError:
        return False
    return True


def file_state(path: str | Path) -> tuple[int, int] | None:
    """A file's size and change time in nanoseconds (inputs.reached_changed_ns: a link's own change time counts
    too), or None when it cannot be read."""
    try:
        stat = os.stat(path)
        return stat.st_size, inputs.reached_changed_ns(path, stat)
    except OSError:
        return None


def is_unchanged(entry: CachedArticle, size: int, mtime_ns: int) -> bool:
    """Trust a matching stat only for files last modified well before it was recorded."""
    return entry.size == size and entry.mtime_ns == mtime_ns and mtime_ns < entry.recorded_ns - RACY_NS


def now_ns() -> int:
    """Wall-clock time, comparable with file modification times."""
    return time.time_ns()


def digested(digest: bytes) -> bytes:
    """What a digested object unpickles to (fingerprint pickles are hashed, never loaded)."""
    return digest


def remove_database(path: Path) -> None:
    """Delete the cache database and SQLite's files beside it (the next build starts cold)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
