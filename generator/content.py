"""Read content/<lang>/**/*.md into Articles, collecting every problem as path:line."""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping

import frontmatter
import yaml

from generator.arabic import parse_date
from generator.config import Config, suggest
from generator.dates import parse_hijri_override
from generator.errors import Problem, relative_path

# Every front-matter key an article may carry; anything custom belongs under `extra:`.
KNOWN_KEYS = (
    "title", "slug", "lang", "date", "author", "views", "tags", "summary", "report", "sources",
    "translation_key", "seed", "seed_sha256", "draft", "template", "hijri_date", "extra",
)
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


# libyaml's parser when PyYAML was built with it: several times faster on thousands of files.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _TextDatesLoader(_SafeLoader):  # type: ignore[misc, valid-type]
    """SafeLoader that leaves dates as text: PyYAML raises a bare ValueError, with no line, on 2017-13-01;
    as text, the date is checked by our own reader and reported at its key's line."""


_TextDatesLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != TIMESTAMP_TAG]
    for first, resolvers in _SafeLoader.yaml_implicit_resolvers.items()
}


class _FrontMatterHandler(frontmatter.YAMLHandler):
    def load(self, fm: str, **kwargs: Any) -> Any:
        return yaml.load(fm, Loader=_TextDatesLoader)  # noqa: S506 - a SafeLoader subclass


def parse_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split a content file into (front matter, body); raises yaml.YAMLError on invalid YAML."""
    post = frontmatter.loads(text, handler=_FrontMatterHandler())
    return dict(post.metadata), post.content


def read_front_matter(path: Path) -> dict[str, Any]:
    """The front matter of a content file, or {} when it cannot be read (the loader reports those)."""
    try:
        return parse_front_matter(path.read_text(encoding="utf-8-sig"))[0]
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}


@dataclass(frozen=True)
class Article:
    """One article as written in its Markdown file, validated."""

    path: str
    lang: str
    slug: str
    title: str
    date: datetime.date
    body: str
    author: str | None = None
    views: int | None = None
    tags: tuple[str, ...] = ()
    summary: str = ""
    report_title: str | None = None
    report_by: str | None = None
    sources: tuple[str, ...] = ()
    translation_key: str = ""
    draft: bool = False
    template: str | None = None
    hijri_date: tuple[int, int, int] | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    slug_line: int = 1


def load_articles(config: Config, include_drafts: bool = False, include_future: bool = False,
                  today: datetime.date | None = None) -> tuple[list[Article], list[Problem]]:
    """Read every article under content/, returning the valid ones and all problems found.
    Drafts, and articles dated after `today` (when given), are left out unless asked for."""
    problems: list[Problem] = []
    articles: list[Article] = []
    codes = {language.code for language in config.languages}
    for path in sorted(config.content_dir.rglob("*.md")):
        rel = relative_path(path, config.root)
        lang = path.relative_to(config.content_dir).parts[0] if len(path.relative_to(config.content_dir).parts) > 1 else ""
        if lang not in codes:
            problems.append(Problem(rel, 1, f'"{lang or "content/"}" is not a configured language folder; '
                                            f"articles go under content/<lang>/ with lang one of {sorted(codes)}"))
            continue
        article = read_article(path, rel, lang, problems)
        if article is None or (article.draft and not include_drafts):
            continue
        if today is not None and article.date > today and not include_future:
            continue
        articles.append(article)
    problems.extend(find_duplicate_slugs(articles))
    return articles, problems


def read_article(path: Path, rel: str, lang: str, problems: list[Problem]) -> Article | None:
    """Parse one file; append its problems and return None when it cannot be used."""
    return parse_article(path.read_text(encoding="utf-8-sig"), rel, lang, problems)


def parse_article(text: str, rel: str, lang: str, problems: list[Problem]) -> Article | None:
    """Parse one file's text (any line ends); append its problems and return None when it cannot be used."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        meta, body = parse_front_matter(text)
    except yaml.YAMLError as error:
        # The context mark is where the broken construct opened (an unclosed "[" or quote), which is
        # where the writer must look; the problem mark is often just the end of the front matter.
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        # +1: marks count from 0, and the YAML text python-frontmatter hands over starts with the newline
        # that ends the opening "---" line, so its line 0 is the file's line 1.
        line = mark.line + 1 if mark is not None else 1
        reason = " ".join(filter(None, (getattr(error, "context", None), getattr(error, "problem", None))))
        reason = reason or str(error).splitlines()[0]
        problems.append(Problem(rel, line, f"invalid YAML front matter: {reason}"))
        return None
    reader = _FieldReader(rel, text, meta, problems)
    return reader.read(lang, body)


class _FieldReader:
    """Validates one article's front matter, recording each problem at the line of its key."""

    def __init__(self, rel: str, text: str, meta: dict[str, Any], problems: list[Problem]) -> None:
        self.rel = rel
        self.lines = text.split("\n")
        self.meta = meta
        self.problems = problems
        self.start = len(problems)

    def line_of(self, key: str) -> int:
        pattern = re.compile(rf"^{re.escape(key)}\s*:")
        for number, line in enumerate(self.lines[1:], start=2):
            if line.strip() == "---":
                break
            if pattern.match(line):
                return number
        return 1

    def report(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.rel, self.line_of(key), message))

    def read(self, lang: str, body: str) -> Article | None:
        meta = self.meta
        for key in meta:
            if key not in KNOWN_KEYS:
                self.report(key, f'unknown front-matter key "{key}"{suggest(key, KNOWN_KEYS)}; custom data goes under "extra:"')
        title = self.read_text("title", required=True)
        day = self.read_date()
        slug = str(meta.get("slug") or Path(self.rel).stem)
        if not SLUG_PATTERN.match(slug):
            self.report("slug", f'slug "{slug}" must be lower-case ASCII letters, digits and single hyphens')
        if "lang" in meta and meta["lang"] != lang:
            self.report("lang", f'lang "{meta["lang"]}" does not match the folder content/{lang}/')
        views = self.read_views()
        tags = self.read_list("tags")
        sources = self.read_list("sources")
        report = meta.get("report") or {}
        if not isinstance(report, dict):
            self.report("report", "report must be a mapping with title and prepared_by")
            report = {}
        hijri = self.read_hijri()
        extra = meta.get("extra") or {}
        if not isinstance(extra, dict):
            self.report("extra", "extra must be a mapping")
        if len(self.problems) > self.start or title is None or day is None:
            return None
        return Article(
            path=self.rel, lang=lang, slug=slug, title=title, date=day, body=body,
            author=self.read_text("author"), views=views, tags=tags,
            summary=self.read_text("summary") or "",
            report_title=_optional_text(report.get("title")), report_by=_optional_text(report.get("prepared_by")),
            sources=sources, translation_key=str(meta.get("translation_key") or slug),
            draft=meta.get("draft") is True, template=self.read_text("template"), hijri_date=hijri,
            extra=extra if isinstance(extra, dict) else {}, slug_line=self.line_of("slug"),
        )

    def read_text(self, key: str, required: bool = False) -> str | None:
        value = self.meta.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.report(key, f'missing "{key}" in front matter')
            return None
        if isinstance(value, (dict, list)):
            self.report(key, f'"{key}" must be text, not a {type(value).__name__}')
            return None
        return str(value).strip()

    def read_date(self) -> datetime.date | None:
        value = self.meta.get("date")
        if value is None:
            self.report("date", 'missing "date" in front matter')
            return None
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        try:
            return parse_date(str(value))
        except ValueError as error:
            self.report("date", f"bad date: {error}")
            return None

    def read_views(self) -> int | None:
        value = self.meta.get("views")
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            self.report("views", f'views must be a whole number, not "{value}"')
            return None
        return value

    def read_list(self, key: str) -> tuple[str, ...]:
        value = self.meta.get(key) or []
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or any(isinstance(item, (dict, list)) for item in value):
            self.report(key, f'"{key}" must be a list of text')
            return ()
        return tuple(str(item).strip() for item in value if str(item).strip())

    def read_hijri(self) -> tuple[int, int, int] | None:
        value = self.meta.get("hijri_date")
        if value is None:
            return None
        try:
            return parse_hijri_override(str(value))
        except ValueError as error:
            self.report("hijri_date", str(error))
            return None


def _optional_text(value: Any) -> str | None:
    return str(value).strip() if value not in (None, "") else None


def find_duplicate_slugs(articles: list[Article]) -> list[Problem]:
    """Two articles of one language may not share a slug; report the later file, naming the first."""
    first: dict[tuple[str, str], Article] = {}
    problems = []
    for article in articles:
        key = (article.lang, article.slug)
        if key in first:
            problems.append(Problem(article.path, article.slug_line, f'duplicate slug "{article.slug}": {first[key].path} has it too'))
        else:
            first[key] = article
    return problems
