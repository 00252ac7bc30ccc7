"""Read the content files, through the build cache: parse each changed file's front matter and convert its
Markdown body (over the machine's cores), and reuse what the cache holds for every other file."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

import markdown

from generator import cache as caching
from generator import inputs
from generator.cache import BodyStore, BuildCache, CachedArticle, StoredBody
from generator.config import Config, Language
from generator.content import Article, find_duplicate_slugs, parse_article
from generator.errors import Problem
from generator.i18n import PYTHON_MESSAGES, Catalogs
from generator.markup import MarkupError, MarkupPolicy, Rendered, make_converter, render_markdown
from generator.parallel import map_parallel
from generator.plan import Bodies, Sources
from generator.scan import ContentFile
from generator.site import Site


@dataclass(frozen=True)
class Selection:
    """Which articles a build publishes: the finished ones dated today (the build's date) or before, and drafts
    and later ones when asked for."""

    today: datetime.date
    include_drafts: bool = False
    include_future: bool = False


@dataclass(frozen=True)
class ArticleReading:
    """The articles to publish (without their Markdown text), every problem found, each content file's
    reading, the HTML of every body converted now by its key, and how many files were parsed and bodies
    converted; with a cache, the tables of contents of the bodies this build's workers stored there, and the
    store every other cached body's HTML and table of contents are read from when a page prints them."""

    articles: list[Article]
    problems: list[Problem]
    files: dict[str, CachedArticle]
    bodies: dict[bytes, Rendered]
    keys: dict[str, bytes]
    parsed: int
    converted: int
    tocs: dict[bytes, str]
    store: BodyStore | None

    def sources(self) -> Sources:
        """ArticleView.source of every article read: its file's hash, its body's key and its path."""
        return {entry.article.path: source_digest(entry.sha256, self.keys[entry.article.path], entry.article.path)
                for entry in self.files.values() if entry.article}

    def site_bodies(self, site: Site) -> Bodies:
        """The HTML of every published article's body, by (lang, slug), as plan_pages wants it."""
        return {(entry.article.lang, entry.article.slug): self.body(self.keys[entry.article.path])
                for language_site in site.languages for entry in language_site.entries}

    def body(self, key: bytes) -> Rendered:
        """A body converted in this build, or one in the cache whose HTML is read when a page prints it."""
        if key in self.bodies or self.store is None:
            return self.bodies[key]
        toc = self.tocs[key] if key in self.tocs else StoredBody(key, self.store, toc=True)
        return Rendered(html=StoredBody(key, self.store), toc=toc)


def source_digest(file_sha256: bytes, key: bytes, path: str) -> bytes:
    """ArticleView.source of one article before its images are folded in (images.Illustrations.source): a
    SHA-256 of its file's SHA-256, its body's key and its source path."""
    return hashlib.sha256(file_sha256 + key + path.encode()).digest()


def markup_key(policy: MarkupPolicy) -> bytes:
    """What every body's cache key starts with: the markup modules' fingerprint and the raw HTML policy's."""
    # A body converted under raw_html = "trusted" is never served to a sanitising build, nor the other way.
    return caching.markup_fingerprint() + policy.fingerprint()


@dataclass(frozen=True)
class ArticleJob:
    """What a worker needs to read one content file and convert its body."""

    path: str
    rel: str
    lang: str
    style: BodyStyle
    markup: bytes


def read_articles(config: Config, content: Sequence[ContentFile], choice: Selection, catalogs: Catalogs,
                  cache: BuildCache | None) -> ArticleReading:
    """content.load_articles with the cache, and the bodies' HTML: a file whose bytes are unchanged is not
    parsed again and an unchanged body is not converted again; the rest is done over the machine's cores,
    each file read, parsed and converted by one worker so that its Markdown text never crosses processes."""
    codes = {language.code for language in config.languages}
    styles = {language.code: body_style(catalogs, language) for language in config.languages}
    policy = MarkupPolicy(config.raw_html, config.markdown_time_limit)
    markup = markup_key(policy)
    known = cache.articles() if cache else {}
    body_keys = cache.body_keys() if cache else set()
    files: dict[str, CachedArticle] = {}
    names: dict[str, str] = {}
    jobs: list[ArticleJob] = []
    problems: list[Problem] = []
    for found in content:
        if found.problem:
            problems.append(found.problem)
            continue
        path, rel = found.path, found.rel
        names[path] = rel
        lang = found.lang
        if lang not in codes:
            problems.append(Problem(rel, 1, f'"{lang or "content/"}" is not a configured language folder; '
                                            f"articles go under content/<lang>/ with lang one of {sorted(codes)}"))
            continue
        entry = reuse_article(found, known.get(rel))
        # A cached article whose body's HTML is not cached (markup.py or the back-link title changed) is
        # read again: the cache keeps the body's hash, not its text.
        if entry is None or (entry.article and body_key(markup, styles[lang], entry) not in body_keys):
            jobs.append(ArticleJob(path, rel, lang, styles[lang], markup))
            continue
        files[path] = entry
        if cache and entry is not known.get(rel):
            cache.refreshed[rel] = entry  # re-hashed and unchanged: remember the stat that now matches
    bodies: dict[bytes, Rendered] = {}
    tocs: dict[bytes, str] = {}
    if cache:
        cache.close()  # a database connection must not cross fork
    database = cache.path if cache else None
    results = map_parallel(read_and_convert, jobs, lambda: ReadingWorker({}, body_keys, database, policy),
                           finish=store_converted)
    if cache:
        cache.reopen()
    for job, (entry, key, body) in zip(jobs, results):
        files[job.path] = entry
        if isinstance(body, StoredToc):
            tocs[key] = body.toc
        elif body is not None:
            bodies[key] = body
        if cache:
            cache.new_articles[job.rel] = entry
    keys = {entry.article.path: body_key(markup, styles[entry.article.lang], entry)
            for entry in files.values() if entry.article}
    converted = len(bodies) + len(tocs)
    if cache:
        cache.articles_in_use = {names[path] for path in files}
        cache.new_bodies = dict(bodies)
        cache.bodies_in_use = set(keys.values())
    articles, problems = select_articles({found.path: files[found.path] for found in content if found.path in files},
                                         problems, choice)
    # Cached bodies' HTML and tables of contents stay in the cache until a page prints them (ArticleReading.body).
    store = BodyStore(cache.path, bodies) if cache else None
    return ArticleReading(articles, problems, files, bodies, keys, parsed=len(jobs), converted=converted,
                          tocs=tocs, store=store)


def backlink_title(catalogs: Catalogs, code: str) -> str:
    """The footnote back-link's title in a language (read aloud by screen readers)."""
    try:
        return catalogs.translations(code).gettext(PYTHON_MESSAGES[0])
    except LookupError:
        return PYTHON_MESSAGES[0]  # the language has no catalog: the build stops on that problem anyway


@dataclass(frozen=True)
class BodyStyle:
    """What a body's HTML depends on besides its text and the markup modules: the footnote back-link's title,
    the digits footnote numbers are in, and the direction of the language's pages (bidi.py marks what differs
    from it). One Markdown converter is made per style."""

    backlink_title: str
    digits: str = "latn"
    direction: str = ""

    @property
    def key(self) -> str:
        """The style as the body cache keys it (fields joined by NUL, which a catalog's title never holds)."""
        return "\x00".join((self.backlink_title, self.digits, self.direction))


def body_style(catalogs: Catalogs, language: Language) -> BodyStyle:
    """The style of a language's bodies: its back-link title from the catalogs, its digits and direction."""
    return BodyStyle(backlink_title(catalogs, language.code), language.digits, language.direction)


def body_key(markup: bytes, style: BodyStyle, entry: CachedArticle) -> bytes:
    """The cache key of a file's body HTML."""
    return caching.body_key(markup, style.key, entry.body_sha256)


def select_articles(files: dict[str, CachedArticle], problems: list[Problem],
                    choice: Selection) -> tuple[list[Article], list[Problem]]:
    """Leave out drafts and future articles (unless asked for), and check slugs, as load_articles does."""
    articles: list[Article] = []
    for entry in files.values():
        problems.extend(entry.problems)
        article = entry.article
        if article is None or (article.draft and not choice.include_drafts):
            continue
        if article.date > choice.today and not choice.include_future:
            continue
        articles.append(article)
    problems.extend(find_duplicate_slugs(articles))
    return articles, problems


def reuse_article(found: ContentFile, entry: CachedArticle | None) -> CachedArticle | None:
    """The cached reading of a file when its bytes are unchanged (by stat when trustworthy, else by hash)."""
    if entry is None:
        return None
    if caching.is_unchanged(entry, found.size, found.mtime_ns):
        return entry
    try:
        data = inputs.read_bytes(found.path)
    except inputs.InputError:
        return None  # read again by a worker, which reports why it cannot be
    if len(data) != found.size or hashlib.sha256(data).digest() != entry.sha256:
        return None
    # The stat read now is recorded, so that a file touched but not changed is not hashed again every build.
    return replace(entry, size=found.size, mtime_ns=found.mtime_ns, recorded_ns=caching.now_ns())


@dataclass(frozen=True)
class ReadingWorker:
    """What a process reading content files holds: a Markdown converter per body style, the keys of
    the bodies already cached, the cache database to store new bodies in (None without a cache), and the
    site's raw HTML policy and time limit."""

    converters: dict[BodyStyle, markdown.Markdown]
    cached_keys: set[bytes]
    database: Path | None
    policy: MarkupPolicy = MarkupPolicy()


@dataclass(frozen=True)
class StoredToc:
    """A body that the process which converted it stored in the cache: only its table of contents comes back."""

    toc: str


def read_and_convert(state: ReadingWorker, job: ArticleJob) -> tuple[CachedArticle, bytes, Rendered | StoredToc | None]:
    """Read and validate one content file, and convert its body unless that HTML is already cached;
    the article comes back without its Markdown text, with its body's key (in a worker process for large
    sites)."""
    converters, cached_keys = state.converters, state.cached_keys
    recorded_ns = caching.now_ns()
    size, mtime_ns = caching.file_state(job.path) or (0, 0)
    problems: list[Problem] = []
    try:
        data = inputs.read_bytes(job.path)
        # Parse the bytes already read for the hash rather than reading the file a second time.
        article = parse_article(inputs.decode_text(data), job.rel, job.lang, problems)
    except inputs.InputError as error:
        data, article = b"", None
        problems.append(Problem(job.rel, error.line, error.message, is_warning=error.is_skip))
    body_sha = caching.text_digest(article.body) if article else b""
    entry = CachedArticle(size=size, mtime_ns=mtime_ns, recorded_ns=recorded_ns, sha256=hashlib.sha256(data).digest(),
                          article=replace(article, body="") if article else None, problems=tuple(problems),
                          body_sha256=body_sha)
    key = caching.body_key(job.markup, job.style.key, body_sha) if article else b""
    if article is None or key in cached_keys:
        return entry, key, None
    try:
        return entry, key, convert_body(converters, (job.style, article.body), state.policy)
    except MarkupError as error:  # too slow, or nested too deeply
        converters.pop(job.style, None)  # a converter interrupted mid-run is not trusted again
        text = data.decode("utf-8", errors="replace").replace("\r\n", "\n").replace("\r", "\n")
        line = text.count("\n", 0, max(text.find(article.body[:200]), 0)) + 1  # where the body starts
        problem = Problem(job.rel, max(line, 1), str(error))
        return replace(entry, article=None, problems=(*entry.problems, problem), body_sha256=b""), b"", None


def store_converted(state: ReadingWorker, results: list[tuple[CachedArticle, bytes, Rendered | StoredToc | None]],
                    ) -> list[tuple[CachedArticle, bytes, Rendered | StoredToc | None]]:
    """Store a chunk's new bodies in the cache from the process that converted them, sending back only
    their tables of contents; when they cannot be stored, they go back whole (and the build stores them)."""
    rows = [(key, str(body.html), body.toc) for _, key, body in results if isinstance(body, Rendered)]
    if state.database is None or not rows or not caching.store_bodies(state.database, rows):
        return results
    return [(entry, key, StoredToc(body.toc) if isinstance(body, Rendered) else body) for entry, key, body in results]


# ---------------------------------------------------------------------------
# Markdown bodies
# ---------------------------------------------------------------------------


def render_bodies(site: Site, catalogs: Catalogs) -> Bodies:
    """Markdown to HTML for every article of a site built from content.load_articles, by (lang, slug), under the
    site's raw HTML policy; raise MarkupError for a body that cannot be converted."""
    converters: dict[BodyStyle, markdown.Markdown] = {}
    policy = MarkupPolicy(site.config.raw_html, site.config.markdown_time_limit)
    return {
        (language_site.language.code, entry.article.slug):
            convert_body(converters, (body_style(catalogs, language_site.language), entry.article.body), policy)
        for language_site in site.languages for entry in language_site.entries
    }


def convert_body(converters: dict[BodyStyle, markdown.Markdown], job: tuple[BodyStyle, str],
                 policy: MarkupPolicy = MarkupPolicy()) -> Rendered:
    """One body to HTML with the process's converter for its style, made on first use, under policy (raw
    HTML, time limit); raise MarkupError for a body that cannot be converted."""
    style, text = job
    if style not in converters:
        converters[style] = make_converter(style.backlink_title, style.digits, style.direction)
    return render_markdown(converters[style], text, policy)
