"""The search stage: a Pagefind bundle of the articles' text, one per language and year, for the theme's
search page.

Only article content is indexed (title, summary and body text; never menus, tag chips or footers): the
records are made from the articles, not from the rendered pages. Arabic words are folded first
(arabic/search_fold.py) and the search page folds the reader's query the same way before it asks Pagefind.

Pagefind cannot update an index, so the site's articles are split into shards, one bundle per language and
year at pagefind/<lang>/<yyyy>/ (the search page merges a language's shards in the browser with
Pagefind's mergeIndex): an edit re-indexes the one shard that holds the article. A shard's bundle is kept in
.warraq-cache/search/<digest>/, the digest covering every record that goes into it, so that a shard whose
articles did not change is reused rather than indexed again. Each bundle carries a manifest of its files'
hashes: a warm build hands the writer hashes, not bytes, and the writer reads a cached file only when
output/ does not already hold it. Each article's folded text is kept too (.warraq-cache/search/records/, one
file per shard), so that an edit re-indexes its year with one article folded, not the year's every article.
Pagefind's output depends only on its input in order (checked by tests/test_search.py), so two builds write
the same bytes.

The Pagefind binary (the pagefind-bin wheel) is driven through its --service protocol directly: the
pagefind package's Python client waits 0.1 s for each response, which is 250 s for 2,500 articles. All
requests go in one write and the answers are read as they come; the process starts in 20 ms. What remains,
about 6 ms of Pagefind's CPU a record of 1,000 words, is Pagefind's own (1.5.2, measured on a year of 270
records): 2.6 ms adding the record (its Arabic stemmer a third of that), 1.5 ms building the index twice (its
service builds it for GetFiles, then its get_files builds it again; WriteFiles does the same) and 1.1 ms
compressing every file at gzip's best level. Only the files the search page uses are kept, hashed as they
are written.

`serve` does not wait for it (start_search with last, index_pending): an edit's build leaves the edited
shard as output/ has it, from the very bundle the cache kept; Pagefind indexes the shard beside the build
from the records the build wrote, and a second build applies the bundle.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import html
import json
import os
import pickle
import re
import shutil
import subprocess
import tempfile
import threading
import time
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Mapping, Sequence

from generator import cache as caching
from generator import urls
from generator.arabic.search_fold import FOLD_VERSION, index_terms
from generator.parallel import release_free_memory
from generator.site import Entry, Site
from generator.pages import RenderedPage
from generator.writer import KnownFile, WriteFailed

PAGEFIND_VERSION = "1.5.2"
CACHE_FOLDER = "search"
# Inside CACHE_FOLDER: each shard's indexed text by article (shard_records), and in each bundle the hash of
# every file the search page uses (bundle_files).
RECORDS_FOLDER = "records"
# Beside CACHE_FOLDER: a deferring build's records of each shard it left for index_pending, and their bundles
# in the making.
PENDING_FOLDER = "search-pending"
MANIFEST = "warraq-manifest.txt"
# At most this many shards to index are left to Pagefind while the build plans and renders (an edit's one
# year, in the time the build's single thread plans the pages); more are indexed before the build goes on.
BACKGROUND_SHARDS = 1
# What the search page needs from a shard's bundle; Pagefind's own UI files are left out.
BUNDLE_FILES = re.compile(r"(pagefind\.js|pagefind-worker\.js|pagefind-entry\.json|pagefind\.[^/]+\.pf_meta"
                          r"|wasm\.[^/]+\.pagefind|(index|fragment|filter)/[^/]+)")
_TAG = re.compile(r"<[^>]*>")


class SearchFailed(WriteFailed):
    """Pagefind could not index a shard; carries the one line to print (exit 1), as a write failure does."""


@dataclass(frozen=True)
class SearchRecord:
    """One article as Pagefind gets it: its site-relative URL, language, the text indexed, and what a result
    shows (meta: title, date as YYYY-MM-DD, summary)."""

    url: str
    lang: str
    content: str
    meta: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Shard:
    """A language's articles of one year, indexed together into pagefind/<lang>/<yyyy>/."""

    lang: str
    year: int
    entries: tuple[Entry, ...]

    @property
    def folder(self) -> str:
        return shard_folder(self.lang, self.year)


def shard_folder(lang: str, year: int) -> str:
    """The site-relative folder of a shard's bundle: pagefind/<lang>/<yyyy>/ (the search page lists them,
    newest year first, through plan.py)."""
    return urls.search_shard(lang, year)


def plan_shards(site: Site) -> list[Shard]:
    """Every language's articles grouped by year, newest year first, articles in the site's order."""
    shards = []
    for language_site in site.languages:
        by_year: dict[int, list[Entry]] = {}
        for entry in language_site.entries:
            by_year.setdefault(entry.article.date.year, []).append(entry)
        shards += [Shard(language_site.language.code, year, tuple(by_year[year]))
                   for year in sorted(by_year, reverse=True)]
    return shards


def build_search(site: Site, bodies: Mapping[tuple[str, str], object], sources: Mapping[str, bytes],
                 cache_root: Path | None, fold: bool = True) -> list[RenderedPage | KnownFile]:
    """Every file of every shard's bundle under pagefind/: with a cache, as KnownFile (its hash from the
    bundle's manifest; the writer reads the bytes only when output/ lacks them), else as pages. cache_root is
    .warraq-cache/ (None: no cache, every shard indexed in a temporary folder). fold=False indexes the raw
    text (for bench/search_recall.py's comparison with plain Pagefind). Raises SearchFailed."""
    return start_search(site, bodies, sources, cache_root, fold).finish().files


@dataclass(frozen=True)
class SearchFiles:
    """What the search stage gives a build: the bundles' files (as build_search), and for each shard left as the
    last build had it (start_search with last) the file of its records for index_pending
    (.warraq-cache/search-pending/<lang>-<yyyy>-<key>.records)."""

    files: list[RenderedPage | KnownFile]
    deferred: tuple[str, ...] = ()
    indexed: tuple[Indexed, ...] = ()


@dataclass(frozen=True)
class Indexed:
    """One shard Pagefind indexed for this build: its folder ("pagefind/ar/2017/"), how many articles, and the
    wall seconds Pagefind took (its own process, beside the build's other stages)."""

    folder: str
    records: int
    seconds: float


@dataclass(frozen=True)
class SearchRun:
    """The search stage under way (start_search): Pagefind indexes the shards in threads while the build plans
    and renders its pages. finish() waits and gives the files; close() (after a failure elsewhere) waits
    without them."""

    bundles: tuple[tuple[Shard, Path], ...]
    deferred: tuple[str, ...]
    pool: ThreadPoolExecutor
    jobs: tuple[Future, ...]
    cached: bool
    folder: Path

    def finish(self) -> SearchFiles:
        """Wait for every shard; the bundles' files (KnownFile with a cache, else pages). Raises SearchFailed."""
        try:
            # The first job removes stale bundles (its OSError is the build's to report); each other indexes a shard.
            self.jobs[0].result()
            indexed = tuple(job.result() for job in self.jobs[1:])
            files = [page for shard, bundle in self.bundles
                     for page in (bundle_files(bundle, shard.folder) if self.cached
                                  else read_bundle(bundle, shard.folder))]
            return SearchFiles(files, self.deferred, indexed)
        finally:
            self.close()

    def close(self) -> None:
        """Wait for the threads (a shard not started is not indexed) and remove a cacheless run's folder."""
        self.pool.shutdown(wait=True, cancel_futures=True)
        if not self.cached:
            shutil.rmtree(self.folder, ignore_errors=True)


def start_search(site: Site, bodies: Mapping[tuple[str, str], object], sources: Mapping[str, bytes],
                 cache_root: Path | None, fold: bool = True, last: Mapping[str, object] | None = None) -> SearchRun:
    """Start the search stage: each shard whose bundle is not cached is folded here, in the caller's thread (a
    cached body is read through the cache's SQLite connection, which stays in its thread), and indexed by
    Pagefind in a thread of the run; with at most BACKGROUND_SHARDS of them the build goes on planning and
    rendering meanwhile, with more this waits for them. With last (the
    last build's files: URL -> a row with .sha256, cache.pages()) a shard whose bundle is not cached is not
    indexed when the cache still holds the very bundle output/ has for it (its manifest matches last): that
    bundle's files are given again, and the shard's records are written for index_pending (named in deferred).
    `serve` applies an edit's pages that way at once, indexes the shard while the tabs reload, and applies its
    bundle in a second build. Raises SearchFailed (here, or from finish)."""
    shards = plan_shards(site)
    code = code_digest()
    keys = [shard_key(shard, sources, fold, code) for shard in shards]
    folder = cache_root / CACHE_FOLDER if cache_root else Path(tempfile.mkdtemp(prefix="warraq-search-"))
    folder.mkdir(parents=True, exist_ok=True)
    missing = [(shard, key) for shard, key in zip(shards, keys) if not (folder / key).is_dir()]
    # Listed before any shard is indexed, so that this build's own folders in the making are not among them.
    unused = (unused_entries(folder, set(keys) | {RECORDS_FOLDER})
              + unused_entries(folder / RECORDS_FOLDER, {f"{shard.lang}-{shard.year}.pickle" for shard in shards}))
    kept = last_bundles([shard for shard, _ in missing], last, unused) if cache_root and last and missing else {}
    # Records are made now (the edited articles folded: bodies are this build's), indexed later.
    deferred = tuple(str(write_pending(folder.parent / PENDING_FOLDER, shard, key,
                                       shard_records(shard, bodies, sources, fold, folder, code)))
                     for shard, key in missing if shard.folder in kept)
    missing = [(shard, key) for shard, key in missing if shard.folder not in kept]
    # A deferred shard's bundle stays in the cache: the next build removes it once it has indexed the shard.
    unused = [entry for entry in unused if entry not in kept.values()]
    indexers = max(1, min(len(missing), os.cpu_count() or 1))
    pool = ThreadPoolExecutor(max_workers=indexers + bool(unused), thread_name_prefix="warraq-search")
    jobs: list[Future] = []
    run = SearchRun(tuple((shard, kept.get(shard.folder, folder / key)) for shard, key in zip(shards, keys)),
                    deferred, pool, (), cache_root is not None, folder)
    try:
        # Stale bundles are deleted while shards are indexed: deleting an edited year's old bundle (hundreds of
        # files) took a third as long as indexing its new one.
        jobs.append(pool.submit(remove_entries, unused))
        # Each shard goes to Pagefind as soon as its records are made: Pagefind indexes one shard while the next
        # is folded, instead of after every shard is.
        for shard, key in missing:
            # At most one shard's records wait for a free indexer: folding runs ahead of Pagefind, and a cold
            # build at 5,000 articles held every year's records at once, a hundred megabytes.
            waiting = [job for job in jobs[1:] if not job.done()]
            if len(waiting) > indexers:
                wait(waiting, return_when=FIRST_COMPLETED)
            if any(job.done() and job.exception() for job in jobs[1:]):
                break  # a shard failed: the build stops (below, or in finish) without indexing the others
            records = shard_records(shard, bodies, sources, fold, folder if cache_root else None, code)
            jobs.append(pool.submit(time_index, shard, records, folder, key))
        if len(missing) > BACKGROUND_SHARDS:
            # Several shards (a cold build, a settings change): indexed before the build goes on. Beside the
            # render workers they competed for the cores: a cold build of 1,000 articles took 12% longer and
            # its processes held 50% more memory at once (measured against indexing first).
            for job in jobs:
                job.result()
    except BaseException:
        run.close()
        raise
    return dataclasses.replace(run, jobs=tuple(jobs))


def last_bundles(shards: Sequence[Shard], last: Mapping[str, object], candidates: Sequence[Path]) -> dict[str, Path]:
    """Shard folder -> the cached bundle (one of candidates, the cache's unused entries) whose manifest names
    exactly the files, with their hashes, that last (URL -> row with .sha256) records under the shard's folder:
    what output/ holds for it. A shard new since the last build, or whose bundle left the cache, has none."""
    wanted: dict[str, dict[str, bytes]] = {shard.folder: {} for shard in shards}
    # Each file of a bundle is under its shard's folder (pagefind/<lang>/<yyyy>/), maybe one folder deeper.
    for url, row in last.items():
        if not url.startswith("pagefind/"):
            continue
        shard = "/".join(url.split("/", 3)[:3]) + "/"
        if shard in wanted:
            wanted[shard][url[len(shard):]] = getattr(row, "sha256", b"")
    manifests = {entry: read_manifest(entry) for entry in candidates if entry.is_dir()}
    found = {}
    for shard, files in wanted.items():
        match = next((entry for entry, manifest in manifests.items() if files and manifest is not None
                      and dict(manifest) == files), None)
        if match is not None:
            found[shard] = match
    return found


def code_digest() -> bytes:
    """The digest of the code a record and a bundle are made by (this module and the fold's), so that a cached
    one made by other code is never reused (FOLD_VERSION alone relied on being bumped by hand)."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in (here / "search.py", here / "arabic" / "search_fold.py", here / "arabic" / "normalise.py"):
        digest.update(path.read_bytes())
    return digest.digest()


def shard_key(shard: Shard, sources: Mapping[str, bytes], fold: bool, code: bytes = b"") -> str:
    """The hex digest naming a shard's bundle in the cache: Pagefind's version, the fold and the code, and each
    article's URL and source digest (reading.sources(): its file's bytes and body), in order."""
    digest = hashlib.sha256(repr((PAGEFIND_VERSION, FOLD_VERSION, fold, shard.lang, shard.year, code)).encode())
    for entry in shard.entries:
        digest.update(entry.url.encode() + b"\0")
        source = sources.get(entry.article.path)
        digest.update(source if source is not None else repr((entry.article.title, entry.article.summary,
                                                                entry.article.date, entry.article.body)).encode())
    return digest.hexdigest()[:32]


def shard_records(shard: Shard, bodies: Mapping[tuple[str, str], object], sources: Mapping[str, bytes], fold: bool,
                  folder: Path | None, code: bytes) -> list[SearchRecord]:
    """make_records, reusing the indexed text of each article whose source is unchanged since its shard was last
    indexed (folder/records/<lang>-<yyyy>.pickle, rewritten here; folder None: no cache). An edit then folds
    one article's text, not its whole year's."""
    if folder is None:
        return make_records(shard, bodies, fold)
    path = folder / RECORDS_FOLDER / f"{shard.lang}-{shard.year}.pickle"
    known = read_records(path)
    records, contents = [], {}
    for entry in shard.entries:
        source = sources.get(entry.article.path)
        key = hashlib.sha256(repr((entry.url, fold, code)).encode() + source).digest() if source else None
        content = known.get(key) if key else None
        if content is None:
            record = article_record(entry, body_html(entry, bodies), fold)
        else:
            record = SearchRecord(entry.url, entry.article.lang, content, record_meta(entry))
        records.append(record)
        if key:
            contents[key] = record.content
    write_records(path, contents)
    return records


def read_records(path: Path) -> dict[bytes, str]:
    """The indexed text of a shard's articles by record key, as last written; empty when missing or unreadable."""
    try:
        found = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
        return {}
    return found if isinstance(found, dict) else {}


def write_records(path: Path, contents: dict[bytes, str]) -> None:
    """Write a shard's records file (cache.store_file); a failure only costs the next edit time."""
    # Not compressed: zlib's fastest level takes a third of the space but a second of a cold build at 5,000.
    caching.store_file(path, pickle.dumps(contents, pickle.HIGHEST_PROTOCOL))


def make_records(shard: Shard, bodies: Mapping[tuple[str, str], object], fold: bool) -> list[SearchRecord]:
    """The shard's articles as records, in the shard's order; bodies: (lang, slug) -> markup.Rendered."""
    return [article_record(entry, body_html(entry, bodies), fold) for entry in shard.entries]


def body_html(entry: Entry, bodies: Mapping[tuple[str, str], object]) -> str:
    """An article's body HTML from bodies ((lang, slug) -> markup.Rendered); "" when it has none."""
    return str(getattr(bodies.get((entry.article.lang, entry.article.slug)), "html", ""))


def article_record(entry: Entry, body_html: str, fold: bool = True) -> SearchRecord:
    """One article's record: title, summary and body text (folded for search unless fold is False), and its
    title, date and summary as the result shows them."""
    article = entry.article
    if fold:
        # index_terms splits at white space itself: the text's white space is not collapsed first (which took
        # as long as folding it).
        text = " ".join(part for part in (article.title, article.summary, tag_free_text(body_html)) if part)
        return SearchRecord(entry.url, article.lang, index_terms(text), record_meta(entry))
    text = " ".join(part for part in (article.title, article.summary, html_text(body_html)) if part)
    return SearchRecord(entry.url, article.lang, text, record_meta(entry))


def record_meta(entry: Entry) -> tuple[tuple[str, str], ...]:
    """What a result shows of an article: its title, date (YYYY-MM-DD) and summary."""
    article = entry.article
    return (("title", article.title), ("date", article.date.isoformat()), ("summary", article.summary))


def html_text(markup: str) -> str:
    """The text of an HTML fragment: tags dropped (each as a space), entities decoded, spaces collapsed."""
    # str.split() and the regular expression \s+ split at the same (Unicode) white space; split is 3x faster.
    return " ".join(tag_free_text(markup).split())


def tag_free_text(markup: str) -> str:
    """An HTML fragment's text, tags dropped (each as a space) and entities decoded; white space as it is."""
    return html.unescape(_TAG.sub(" ", markup))


def write_pending(pending: Path, shard: Shard, key: str, records: Sequence[SearchRecord]) -> Path:
    """Write a deferred shard's records into pending/<lang>-<yyyy>-<key>.records (beside it, then renamed);
    return its path."""
    pending.mkdir(parents=True, exist_ok=True)
    path = pending / f"{shard.lang}-{shard.year}-{key}.records"
    temporary = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}")
    temporary.write_bytes(pickle.dumps(list(records), pickle.HIGHEST_PROTOCOL))
    os.replace(temporary, path)
    return path


def index_pending(paths: Sequence[str]) -> bool:
    """Index each shard a deferring build left (SearchFiles.deferred: files of records) into the cache as a
    build would, outside any build: its bundle is made in the pending folder and renamed into place under its
    key, so that a build running meanwhile finds it whole or not at all (and then indexes the shard itself).
    Each records file is removed once used. False when a shard could not be indexed: the next build, which
    indexes it then, says why."""
    done = True
    for name in paths:
        path = Path(name)
        folder = path.parent.parent / CACHE_FOLDER
        key = path.stem.rsplit("-", 1)[-1]
        try:
            if not (folder / key).is_dir():
                index_shard(pickle.loads(path.read_bytes()), folder, key, scratch=path.parent)
        except (OSError, SearchFailed, pickle.UnpicklingError, EOFError, AttributeError, ValueError, TypeError):
            # A build that made the bundle meanwhile leaves it where this one would have gone: as good.
            done = done and (folder / key).is_dir()
        finally:
            path.unlink(missing_ok=True)
    return done


def clear_pending(cache_root: Path) -> None:
    """Remove what index_pending left unfinished in cache_root (.warraq-cache/): `serve` calls it as it starts,
    since one stopped while Pagefind indexed leaves records and a bundle in the making."""
    shutil.rmtree(cache_root / PENDING_FOLDER, ignore_errors=True)


def time_index(shard: Shard, records: Sequence[SearchRecord], folder: Path, key: str) -> Indexed:
    """index_shard, timed: what the build says of it under -v."""
    started = time.perf_counter()
    index_shard(records, folder, key)
    return Indexed(shard.folder, len(records), time.perf_counter() - started)


def index_shard(records: Sequence[SearchRecord], folder: Path, key: str, scratch: Path | None = None) -> None:
    """Index records with Pagefind into folder/<key>/, with its manifest (written in scratch, by default folder,
    then renamed into place, so that a killed build never leaves half a bundle under its key). Raises
    SearchFailed."""
    temporary = Path(tempfile.mkdtemp(prefix=f"{key}.", dir=scratch or folder))
    try:
        write_manifest(temporary / "bundle", run_pagefind(records, temporary / "bundle"))
        try:
            os.replace(temporary / "bundle", folder / key)
        except OSError:
            # Made meanwhile by another (serve's indexing thread, or a build): the same bytes, already in place.
            if not (folder / key).is_dir():
                raise
    finally:
        shutil.rmtree(temporary, ignore_errors=True)
        # Pagefind's requests and answers, megabytes of strings freed just now; this shard's records are freed
        # once the pool lets go of them, and returned by the next shard's call (or before the render workers fork).
        release_free_memory()


def run_pagefind(records: Sequence[SearchRecord], output: Path) -> list[tuple[str, bytes]]:
    """Run `pagefind --service` over records in order and write the files of its bundle the search page uses
    (BUNDLE_FILES) into output; return their names and sha256 as bundle_names orders them. Raises SearchFailed
    with Pagefind's message when it reports an error or exits before answering."""
    # The bundle comes back in the answer to GetFiles and is written here: with WriteFiles the service
    # answered, and could be stopped, before its last file was written (an empty pagefind-entry.json, seen
    # on a loaded machine).
    requests = [encode(1, {"type": "NewIndex", "config": {}})]
    for number, record in enumerate(records, start=2):
        requests.append(encode(number, {"type": "AddRecord", "index_id": 0, "url": record.url,
                                        "content": record.content, "language": record.lang,
                                        "meta": dict(record.meta)}))
    last = len(records) + 2
    requests.append(encode(last, {"type": "GetFiles", "index_id": 0}))
    process = subprocess.Popen([pagefind_binary(), "--service"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL)
    assert process.stdin is not None and process.stdout is not None
    # The service answers as it goes and stops at the end of its input, maybe before answering everything:
    # its input stays open (written from a thread, so that neither pipe fills up) until the last answer.
    writer = threading.Thread(target=write_requests, args=(process.stdin, b"".join(requests)), daemon=True)
    writer.start()
    try:
        error, files = read_answers(process.stdout, last)
    finally:
        # Stopped once it has answered (or failed) rather than left to see the end of its input: a render worker
        # forked meanwhile holds a copy of that pipe, so it would end only with the pool (and hold its memory).
        process.kill()
        process.wait()
        writer.join()
        try:
            process.stdin.close()
        except OSError:
            pass  # what the writer could not send: the service had gone, and its answers said why
    if error:
        raise SearchFailed(f"search: Pagefind failed: {error}")
    written, folders = [], set()
    for file in files:
        name = str(file["path"])
        target = output / name
        if not target.resolve().is_relative_to(output.resolve()):
            raise SearchFailed(f"search: Pagefind returned a file outside its bundle: {name}")
        # Pagefind's own UI files (a third of a small bundle's bytes) are never published: not kept either.
        if not BUNDLE_FILES.fullmatch(name):
            continue
        data = base64.b64decode(file["content"])
        if target.parent not in folders:
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        target.write_bytes(data)
        # Hashed here, from the bytes in hand: the manifest needs no second read of the files.
        written.append((name, hashlib.sha256(data).digest()))
    return sorted(written, key=lambda item: item[0].split("/"))


def encode(number: int, payload: dict) -> bytes:
    """One request of Pagefind's service protocol: base64 of the JSON message, then a comma."""
    return base64.b64encode(json.dumps({"message_id": number, "payload": payload}).encode()) + b","


def write_requests(stdin, data: bytes) -> None:
    """Write the requests, ignoring a service that has gone (its answers say why)."""
    try:
        stdin.write(data)
        stdin.flush()
    except OSError:
        pass


def read_answers(stdout, last: int) -> tuple[str, list[dict]]:
    """Read the service's answers until the one to request `last` (GetFiles): the first error's message ("" when
    all went well; "the service exited ..." when it stopped before answering) and the bundle's files, each
    {"path": relative path, "content": base64}."""
    pending: list[bytes] = []  # pieces of an answer not ended yet (the bundle's answer is megabytes long)
    error = ""
    while chunk := stdout.read1(1 << 20):
        if b"," not in chunk:
            pending.append(chunk)
            continue
        first, *answers, rest = chunk.split(b",")
        answers.insert(0, b"".join(pending) + first)
        pending = [rest]
        for raw in answers:
            answer = json.loads(base64.b64decode(raw))
            payload = answer.get("payload", {})
            if payload.get("type") == "Error" and not error:
                error = str(payload.get("message", "unknown error"))
            if answer.get("message_id") == last:
                return error, list(payload.get("files", []))
    return error or "the service exited before writing the index", []


def pagefind_binary() -> str:
    """The Pagefind executable of the pinned pagefind-bin wheel. Raises SearchFailed when it is missing."""
    try:
        from pagefind_bin import get_executable
        return str(get_executable())
    except (ImportError, FileNotFoundError) as error:
        raise SearchFailed(f"search: the Pagefind binary is missing ({error}); "
                           f"install the requirements: pip install -r requirements.txt") from None


def read_bundle(bundle: Path, folder: str) -> list[RenderedPage]:
    """The files of a shard's bundle that the search page uses, as pages under folder, sorted by name."""
    return [RenderedPage(folder + name, (bundle / name).read_bytes()) for name in bundle_names(bundle)]


def bundle_names(bundle: Path) -> list[str]:
    """The names (relative, with /) of the files of a bundle that the search page uses, sorted as paths."""
    return [path.relative_to(bundle).as_posix() for path in sorted(bundle.rglob("*"))
            if path.is_file() and BUNDLE_FILES.fullmatch(path.relative_to(bundle).as_posix())]


def write_manifest(bundle: Path, files: Sequence[tuple[str, bytes]] | None = None) -> list[tuple[str, bytes]]:
    """Record the name and sha256 of each file of a bundle the search page uses in bundle/MANIFEST (a file the
    search page does not use, so never published); returns them. files: those names and hashes, known already
    (else the bundle's files are read)."""
    if files is None:
        files = [(name, hashlib.sha256((bundle / name).read_bytes()).digest()) for name in bundle_names(bundle)]
    files = list(files)
    (bundle / MANIFEST).write_text("".join(f"{sha.hex()} {name}\n" for name, sha in files), encoding="utf-8")
    return files


def read_manifest(bundle: Path) -> list[tuple[str, bytes]] | None:
    """A bundle's manifest as written by write_manifest, or None when it is missing or unreadable."""
    try:
        lines = (bundle / MANIFEST).read_text(encoding="utf-8").splitlines()
        return [(name, bytes.fromhex(sha)) for sha, name in (line.split(" ", 1) for line in lines)]
    except (OSError, UnicodeDecodeError, ValueError):
        return None


def bundle_files(bundle: Path, folder: str) -> list[KnownFile]:
    """A cached bundle's files as KnownFile under folder, from its manifest (written now when a bundle of an
    older build has none): a warm build reads none of the files that output/ already holds."""
    files = read_manifest(bundle)
    if files is None:
        files = write_manifest(bundle)
    return [KnownFile(folder + name, sha, partial(load_bundle_file, bundle, name, sha)) for name, sha in files]


def load_bundle_file(bundle: Path, name: str, sha256: bytes) -> bytes:
    """A cached bundle file's bytes, checked against its manifest. Raises SearchFailed when it cannot be read
    or its bytes changed since it was indexed."""
    path = bundle / name
    try:
        data = path.read_bytes()
    except OSError as error:
        raise SearchFailed(f"search: cannot read {path}: {error.strerror or error}; delete {bundle.parent}/ and "
                           "build again") from None
    if hashlib.sha256(data).digest() != sha256:
        raise SearchFailed(f"search: {path} changed after it was indexed; delete {bundle.parent}/ and build again")
    return data


def unused_entries(folder: Path, keep: set[str]) -> list[Path]:
    """The entries of a cache folder (bundles, records files) whose names are not in keep: what this build does
    not use, and leftovers of killed runs."""
    try:
        return [entry for entry in sorted(folder.iterdir()) if entry.name not in keep]
    except OSError:
        return []


def remove_entries(entries: Sequence[Path]) -> None:
    """Delete folders and files, ignoring those already gone. A folder is renamed out of the way first: a build
    killed halfway through deleting a bundle left it under its key with files missing, and a later build whose
    shard had that key again trusted it as whole (and stopped, unable to read the files it lacked). The new
    name is no key, so the next build removes what is left of it."""
    for entry in entries:
        if not entry.is_dir():
            entry.unlink(missing_ok=True)
            continue
        doomed = entry.with_name(f"{entry.name}.removing-{os.getpid()}-{threading.get_ident()}")
        try:
            os.rename(entry, doomed)
        except OSError:
            continue  # gone already, or cannot be moved: left for the next build
        shutil.rmtree(doomed, ignore_errors=True)
