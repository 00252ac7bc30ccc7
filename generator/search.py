"""The search stage: a Pagefind bundle of the articles' text, one per language and year, for the theme's
search page.

Only article content is indexed (title, summary and body text; never menus, tag chips or footers): the
records are made from the articles, not from the rendered pages. Arabic words are folded first
(arabic/search_fold.py) and the search page folds the reader's query the same way before it asks Pagefind.

Pagefind cannot update an index, so the site's articles are split into shards, one bundle per language and
year at pagefind/<lang>/<yyyy>/ (the search page merges a language's shards in the browser with
Pagefind's mergeIndex): an edit re-indexes the one shard that holds the article. A shard's bundle is kept in
.warraq-cache/search/<digest>/, the digest covering every record that goes into it, so that a shard whose
articles did not change is read back rather than indexed again. Pagefind's output depends only on its
input in order (checked by tests/test_search.py), so two builds write the same bytes.

The Pagefind binary (the pagefind-bin wheel) is driven through its --service protocol directly: the
pagefind package's Python client waits 0.1 s for each response, which is 250 s for 2,500 articles.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import re
import shutil
import subprocess
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from generator import urls
from generator.arabic.search_fold import FOLD_VERSION, index_terms
from generator.site import Entry, Site
from generator.theme import RenderedPage
from generator.writer import WriteFailed

PAGEFIND_VERSION = "1.5.2"
CACHE_FOLDER = "search"
# What the search page needs from a shard's bundle; Pagefind's own UI files are left out.
BUNDLE_FILES = re.compile(r"(pagefind\.js|pagefind-worker\.js|pagefind-entry\.json|pagefind\.[^/]+\.pf_meta"
                          r"|wasm\.[^/]+\.pagefind|(index|fragment|filter)/[^/]+)")
_TAG = re.compile(r"<[^>]*>")
_SPACE = re.compile(r"\s+")


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
                 cache_root: Path | None, fold: bool = True) -> list[RenderedPage]:
    """Every file of every shard's bundle, as pages under pagefind/. cache_root is .warraq-cache/ (None:
    no cache, every shard indexed in a temporary folder). fold=False indexes the raw text (for
    bench/search_recall.py's comparison with plain Pagefind). Raises SearchFailed."""
    shards = plan_shards(site)
    keys = [shard_key(shard, sources, fold) for shard in shards]
    folder = cache_root / CACHE_FOLDER if cache_root else Path(tempfile.mkdtemp(prefix="warraq-search-"))
    folder.mkdir(parents=True, exist_ok=True)
    try:
        # Records are made here, in this thread: a cached body is read from the cache's SQLite connection.
        missing = [(make_records(shard, bodies, fold), key) for shard, key in zip(shards, keys)
                   if not (folder / key).is_dir()]
        with ThreadPoolExecutor(max_workers=max(1, min(len(missing), os.cpu_count() or 1))) as pool:
            list(pool.map(lambda job: index_shard(job[0], folder, job[1]), missing))
        pages = [page for shard, key in zip(shards, keys) for page in read_bundle(folder / key, shard.folder)]
        remove_unused(folder, set(keys))
        return pages
    finally:
        if cache_root is None:
            shutil.rmtree(folder, ignore_errors=True)


def shard_key(shard: Shard, sources: Mapping[str, bytes], fold: bool) -> str:
    """The hex digest naming a shard's bundle in the cache: Pagefind's version, the fold, and each article's
    URL and source digest (reading.sources(): its file's bytes and body), in order."""
    digest = hashlib.sha256(repr((PAGEFIND_VERSION, FOLD_VERSION, fold, shard.lang, shard.year)).encode())
    for entry in shard.entries:
        digest.update(entry.url.encode() + b"\0")
        source = sources.get(entry.article.path)
        digest.update(source if source is not None else repr((entry.article.title, entry.article.summary,
                                                                entry.article.date, entry.article.body)).encode())
    return digest.hexdigest()[:32]


def make_records(shard: Shard, bodies: Mapping[tuple[str, str], object], fold: bool) -> list[SearchRecord]:
    """The shard's articles as records, in the shard's order; bodies: (lang, slug) -> markup.Rendered."""
    return [article_record(entry, str(getattr(bodies.get((entry.article.lang, entry.article.slug)), "html", "")),
                           fold) for entry in shard.entries]


def article_record(entry: Entry, body_html: str, fold: bool = True) -> SearchRecord:
    """One article's record: title, summary and body text (folded for search unless fold is False), and its
    title, date and summary as the result shows them."""
    article = entry.article
    text = " ".join(part for part in (article.title, article.summary, html_text(body_html)) if part)
    meta = (("title", article.title), ("date", article.date.isoformat()), ("summary", article.summary))
    return SearchRecord(entry.url, article.lang, index_terms(text) if fold else text, meta)


def html_text(markup: str) -> str:
    """The text of an HTML fragment: tags dropped (each as a space), entities decoded, spaces collapsed."""
    return _SPACE.sub(" ", html.unescape(_TAG.sub(" ", markup))).strip()


def index_shard(records: Sequence[SearchRecord], folder: Path, key: str) -> None:
    """Index records with Pagefind into folder/<key>/ (written beside it, then renamed into place, so that a
    killed build never leaves half a bundle under its key). Raises SearchFailed."""
    temporary = Path(tempfile.mkdtemp(prefix=f"{key}.", dir=folder))
    try:
        run_pagefind(records, temporary / "bundle")
        os.replace(temporary / "bundle", folder / key)
    finally:
        shutil.rmtree(temporary, ignore_errors=True)


def run_pagefind(records: Sequence[SearchRecord], output: Path) -> None:
    """Run `pagefind --service` over records in order and write its bundle into output. Raises SearchFailed
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
        writer.join()
        process.stdin.close()
        process.wait()
    if error:
        raise SearchFailed(f"search: Pagefind failed: {error}")
    for file in files:
        target = output / file["path"]
        if not target.resolve().is_relative_to(output.resolve()):
            raise SearchFailed(f"search: Pagefind returned a file outside its bundle: {file['path']}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(base64.b64decode(file["content"]))


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
    pages = []
    for path in sorted(bundle.rglob("*")):
        name = path.relative_to(bundle).as_posix()
        if path.is_file() and BUNDLE_FILES.fullmatch(name):
            pages.append(RenderedPage(folder + name, path.read_bytes()))
    return pages


def remove_unused(folder: Path, keys: set[str]) -> None:
    """Remove cached bundles this build did not use (and leftovers of killed runs)."""
    for entry in folder.iterdir():
        if entry.name not in keys:
            shutil.rmtree(entry, ignore_errors=True) if entry.is_dir() else entry.unlink(missing_ok=True)
