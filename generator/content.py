"""Read content/<lang>/**/*.md into Articles, collecting every problem as path:line.

Front matter is composed into YAML nodes (with libyaml) and checked against a schema by hand, node by node:
types are checked, never coerced, so `draft: "true"` or `title: yes` is an error that says how to write it,
and every problem carries the line of the key or item it is about."""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

import frontmatter
import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from generator import inputs
from generator.arabic import parse_date
from generator.bundles import ImageRef, body_line, bundle_slug, find_images
from generator.config import MAX_SLUG_BYTES, Config, json_quote, suggest
from generator.dates import parse_hijri_override
from generator.errors import Problem, relative_path

# Every front-matter key an article may carry; anything custom belongs under `extra:`.
KNOWN_KEYS = (
    "title", "slug", "lang", "date", "author", "views", "tags", "summary", "report", "sources",
    "translation_key", "seed", "seed_sha256", "draft", "template", "hijri_date", "extra", "image",
)
REPORT_KEYS = ("title", "prepared_by", "part")
# The largest report.part taken: an article's place in one report (reports.py orders by it).
MAX_REPORT_PART = 9999
# C0 and C1 controls but tab and line breaks: neither an HTML page nor an Atom feed (XML 1.0 forbids most of
# them) can carry them; the importer takes them out of seeds.
CONTROL_CHARACTER = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
SLUG_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
YAML_TAG = "tag:yaml.org,2002:"
# The largest view count taken: a trillion is beyond any article; thousands of digits are a mistake.
MAX_VIEWS = 10**12
# How deep `extra:` may nest mappings and lists, and how many values front matter may hold (aliases let a
# few lines stand for millions of values).
MAX_DEPTH = 20
MAX_VALUES = 10_000
# Above this bound on the nesting (lines plus [ { - ? characters), front matter is first read as a stream of
# events, which libyaml parses without recursion, to measure its depth: libyaml's composer recurses in C and
# crashes the process somewhere past ten thousand levels; the pure-Python one takes seconds (quadratic).
COMPOSE_BOUND = 2_000
# python-frontmatter's YAML handler, used only to find the front matter; the YAML is composed here.
_SPLITTER = frontmatter.YAMLHandler()
# How YAML 1.1 reads a plain word, for the message that says how to quote it.
READS_AS = {"bool": "a boolean", "null": "nothing (null)", "int": "a number", "float": "a number",
            "timestamp": "a date"}
STANDARD_TAGS = frozenset(f"{YAML_TAG}{name}" for name in
                          ("str", "null", "bool", "int", "float", "timestamp", "binary", "seq", "map"))

# libyaml's parser when PyYAML was built with it: several times faster on thousands of files.
_SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FrontMatterError(ValueError):
    """Front matter that cannot be read at all (bad YAML, not a mapping, nested too deep), at a 1-based line."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class FrontMatter:
    """Front matter as YAML nodes: each key's text with its key node and value node, in file order, the
    problems found in its structure (duplicate or null keys, ...), the body, and the file line of YAML line 0."""

    fields: tuple[tuple[str, Node, Node], ...]
    problems: tuple[tuple[int, str], ...]
    body: str
    offset: int

    def line(self, node: Node) -> int:
        """The 1-based file line a node starts on."""
        return node.start_mark.line + self.offset


def split_front_matter(text: str) -> tuple[str | None, str, int]:
    """(YAML text or None when the file has no front matter, body, file line of the YAML's line 0), split by
    python-frontmatter: front matter opens with a line of three or more dashes at the top (blank lines before
    it allowed) and closes with the next such line; raises FrontMatterError when it never closes."""
    stripped = text.lstrip()
    leading = text.count("\n", 0, len(text) - len(stripped))
    if not _SPLITTER.detect(stripped):
        return None, text.strip(), 1
    try:
        yaml_text, body = _SPLITTER.split(stripped)
    except ValueError:  # one fence only
        raise FrontMatterError(leading + 1, "the front matter opened by --- on this line is never closed by a --- line") from None
    # The YAML text starts where the opening fence's match ends: on the fence's line, or (when the fence's
    # pattern took its line end along) on the line after it.
    opening = _SPLITTER.FM_BOUNDARY.match(stripped)
    return yaml_text, body.strip(), leading + stripped.count("\n", 0, opening.end() if opening else 0) + 1


def compose_front_matter(text: str) -> FrontMatter:
    """Split a file's text (\\n line ends) and compose its front matter into nodes, checking the structure:
    a mapping of text keys, no key twice, nesting and size bounded. Raises FrontMatterError when it cannot
    be read at all; structural problems that leave the rest readable are collected instead."""
    yaml_text, body, offset = split_front_matter(text)
    if yaml_text is None or not yaml_text.strip():
        return FrontMatter((), (), body, offset)
    root = compose_yaml(yaml_text, offset)
    if root is None:
        return FrontMatter((), (), body, offset)
    if not isinstance(root, MappingNode):
        raise FrontMatterError(root.start_mark.line + offset, "front matter must be key: value lines")
    check_nodes(root, offset)
    problems: list[tuple[int, str]] = []
    fields = mapping_fields(root, offset, problems)
    return FrontMatter(tuple(fields), tuple(problems), body, offset)


def compose_yaml(text: str, offset: int) -> Node | None:
    """The YAML text's root node; FrontMatterError for invalid YAML or nesting too deep to compose."""
    try:
        if text.count("\n") + sum(text.count(mark) for mark in "[{-?") > COMPOSE_BOUND:
            check_depth(text, offset)
        return yaml.compose(text, Loader=_SafeLoader)  # noqa: S506 - composing builds no Python objects
    except yaml.YAMLError as error:
        # The context mark is where the broken construct opened (an unclosed "[" or quote), which is
        # where the writer must look; the problem mark is often just the end of the front matter.
        mark = getattr(error, "context_mark", None) or getattr(error, "problem_mark", None)
        line = mark.line + offset if mark is not None else offset
        reason = " ".join(filter(None, (getattr(error, "context", None), getattr(error, "problem", None))))
        raise FrontMatterError(line, f"invalid YAML front matter: {reason or str(error).splitlines()[0]}") from None


def check_depth(text: str, offset: int) -> None:
    """Raise FrontMatterError at the first collection nested deeper than MAX_DEPTH, reading parse events
    (without recursion, and only as far as that collection); yaml.YAMLError for invalid YAML before it."""
    depth = 0
    for event in yaml.parse(text, Loader=_SafeLoader):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise FrontMatterError(event.start_mark.line + offset,
                                       f"front matter nested too deeply (more than {MAX_DEPTH} levels)")
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1


def check_nodes(root: Node, offset: int) -> None:
    """Walk every node once (without recursion): refuse nesting deeper than MAX_DEPTH, more than MAX_VALUES
    values (aliases count each time they are used) and tags that are not YAML's own; raise FrontMatterError."""
    pending: list[tuple[Node, int]] = [(root, 0)]
    count = 0
    while pending:
        node, depth = pending.pop()
        count += 1
        line = node.start_mark.line + offset
        if count > MAX_VALUES:
            raise FrontMatterError(line, f"front matter holds more than {MAX_VALUES} values (aliases repeated?)")
        if depth > MAX_DEPTH:
            raise FrontMatterError(line, f"front matter nested too deeply (more than {MAX_DEPTH} levels)")
        if node.tag not in STANDARD_TAGS and node.tag != f"{YAML_TAG}merge":
            shown = node.tag.replace(YAML_TAG, "!!", 1) if node.tag.startswith(YAML_TAG) else node.tag
            raise FrontMatterError(line, f"unknown YAML tag {shown}; front matter takes plain values")
        if isinstance(node, SequenceNode):
            pending.extend((child, depth + 1) for child in node.value)
        elif isinstance(node, MappingNode):
            pending.extend((child, depth + 1) for pair in node.value for child in pair)


def mapping_fields(node: MappingNode, offset: int, problems: list[tuple[int, str]]) -> list[tuple[str, Node, Node]]:
    """A mapping's (key text, key node, value node) in order; a null, non-text or merge key and a key given
    twice are problems (the later duplicate is dropped)."""
    fields: list[tuple[str, Node, Node]] = []
    first_line: dict[str, int] = {}
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + offset
        if not isinstance(key_node, ScalarNode):
            problems.append((line, "a key must be a name, not a list or mapping"))
            continue
        if key_node.tag == f"{YAML_TAG}merge":
            problems.append((line, "merge keys (<<) are not supported in front matter; write the keys out"))
            continue
        if key_node.tag == f"{YAML_TAG}null" or not key_node.value.strip():
            problems.append((line, "a key is empty (null); every line is a name, a colon and a value"))
            continue
        key = key_node.value
        if key in first_line:
            problems.append((line, f"duplicate key {json_quote(key)} (first on line {first_line[key]})"))
            continue
        first_line[key] = line
        fields.append((key, key_node, value_node))
    return fields


def construct(node: Node, offset: int, problems: list[tuple[int, str]]) -> Any:
    """A node's plain Python value (as in `extra:`): mappings with text keys, lists, and scalars as YAML reads
    them, except dates, which stay text (they are ours to read). check_nodes has bounded the depth."""
    if isinstance(node, MappingNode):
        return {key: construct(value, offset, problems) for key, _, value in mapping_fields(node, offset, problems)}
    if isinstance(node, SequenceNode):
        return [construct(child, offset, problems) for child in node.value]
    return construct_scalar(node, offset, problems)


def construct_scalar(node: Node, offset: int, problems: list[tuple[int, str]]) -> Any:
    """A scalar's value; a number too long to be one, or a malformed !!binary, is a problem (and None)."""
    kind = tag_name(node)
    if kind in ("str", "timestamp"):
        return node.value
    if kind in ("int", "float") and len(node.value) > 100:
        problems.append((node.start_mark.line + offset, f"a number {len(node.value)} digits long; quote it as text"))
        return None
    try:
        return yaml.constructor.SafeConstructor().construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError) as error:
        reason = getattr(error, "problem", None) or str(error).splitlines()[0]
        problems.append((node.start_mark.line + offset, f"cannot read the value: {reason}"))
        return None


def is_empty(node: Node) -> bool:
    """Whether a value was left empty (`key:` with nothing after it), which counts as absent; a written null
    (`null`, `~`) is not empty."""
    return isinstance(node, ScalarNode) and tag_name(node) == "null" and not node.value


def tag_name(node: Node) -> str:
    """The short name of a node's YAML tag ("str", "bool", "int", "seq", ...)."""
    return node.tag.removeprefix(YAML_TAG)


def parse_front_matter(text: str) -> tuple[dict[str, Any], str]:
    """Split a content file into (front matter as plain values, body); dates stay text. Raises
    FrontMatterError when the front matter cannot be read."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    front = compose_front_matter(text)
    problems: list[tuple[int, str]] = []
    return {key: construct(value, front.offset, problems) for key, _, value in front.fields}, front.body


def read_front_matter(path: Path) -> dict[str, Any]:
    """The front matter of a content file, or {} when it cannot be read (the loader reports those).
    Special files and files over the size limit are never read."""
    try:
        return parse_front_matter(inputs.read_text(path))[0]
    except (inputs.InputError, FrontMatterError):
        return {}


def slug_problem(slug: str) -> str | None:
    """Why a slug cannot be used, or None. The one slug rule: lower-case ASCII letters and digits joined by
    single hyphens, or (for slugs in another script) letters, digits and marks of any script in Unicode NFC,
    lower-case where the script has case, joined by single hyphens: no spaces, dots, slashes or controls; at
    most MAX_SLUG_BYTES in UTF-8."""
    size = len(slug.encode("utf-8"))
    if size > MAX_SLUG_BYTES:
        return (f"slug {json_quote(slug[:40] + '…')} is {size} bytes long; a slug names a folder and may be at most "
                f"{MAX_SLUG_BYTES} bytes (about {MAX_SLUG_BYTES // 2} Arabic letters)")
    if slug.isascii():
        if SLUG_PATTERN.fullmatch(slug):
            return None
        return f"slug {json_quote(slug)} must be lower-case ASCII letters, digits and single hyphens"
    if unicodedata.normalize("NFC", slug) != slug:
        return f"slug {json_quote(slug)} is not in Unicode NFC form; retype it or write {json_quote(unicodedata.normalize('NFC', slug))}"
    words = slug.split("-")
    if all(words) and all(is_slug_word(word) for word in words):
        return None
    return f"slug {json_quote(slug)} must be letters and digits joined by single hyphens (lower case; no spaces, dots or slashes)"


def is_slug_word(word: str) -> bool:
    """Letters, digits and combining marks only, none upper-case; starting with a letter or digit."""
    return (unicodedata.category(word[0])[0] in "LN" and word.lower() == word
            and all(unicodedata.category(char)[0] in "LNM" for char in word))


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
    # report.part: the article's place in its report (1, 2, ...); None when not given (reports.py).
    report_part: int | None = None
    sources: tuple[str, ...] = ()
    translation_key: str = ""
    draft: bool = False
    template: str | None = None
    template_line: int = 1
    hijri_date: tuple[int, int, int] | None = None
    extra: Mapping[str, Any] = field(default_factory=dict)
    slug_line: int = 1
    # The images the body shows, with their file lines (bundles.find_images), and front matter's image: and its line.
    images: tuple[ImageRef, ...] = ()
    image: str | None = None
    image_line: int = 1


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
    """Read and parse one file (never a special file, never one over the size limit); append its problems
    and return None when it cannot be used."""
    try:
        text = inputs.read_text(path)
    except inputs.InputError as error:
        problems.append(Problem(rel, error.line, error.message, is_warning=error.is_skip))
        return None
    return parse_article(text, rel, lang, problems)


def parse_article(text: str, rel: str, lang: str, problems: list[Problem]) -> Article | None:
    """Parse one file's text (any line ends); append its problems and return None when it cannot be used."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    try:
        front = compose_front_matter(text)
    except FrontMatterError as error:
        problems.append(Problem(rel, error.line, error.message))
        return None
    reader = _FieldReader(rel, front, problems)
    # After the reader notes where its problems start: a duplicate or null key alone stops the article too.
    problems.extend(Problem(rel, line, message) for line, message in front.problems)
    article = reader.read(lang)
    images = find_images(front.body, body_line(text, front.body)) if article and "![" in front.body else ()
    return replace(article, images=images) if images else article


class _FieldReader:
    """Validates one article's front matter against the schema, node by node, recording each problem at the
    line of its key (or of the list item it is about)."""

    def __init__(self, rel: str, front: FrontMatter, problems: list[Problem]) -> None:
        self.rel = rel
        self.front = front
        self.fields = {key: (key_node, value_node) for key, key_node, value_node in front.fields}
        self.problems = problems
        self.start = len(problems)

    def line_of(self, key: str) -> int:
        """The line of a key; 1 (the file) when the key is absent."""
        return self.front.line(self.fields[key][0]) if key in self.fields else 1

    def report(self, key: str, message: str) -> None:
        self.problems.append(Problem(self.rel, self.line_of(key), message))

    def report_node(self, node: Node, message: str) -> None:
        self.problems.append(Problem(self.rel, self.front.line(node), message))

    def read(self, lang: str) -> Article | None:
        for key in self.fields:
            if key not in KNOWN_KEYS:
                self.report(key, f'unknown front-matter key "{key}"{suggest(key, KNOWN_KEYS)}; custom data goes under "extra:"')
        title = self.read_text("title", required=True)
        day = self.read_date()
        slug = self.read_slug()
        page_lang = self.read_text("lang")
        if page_lang is not None and page_lang != lang:
            self.report("lang", f'lang "{page_lang}" does not match the folder content/{lang}/')
        views = self.read_views()
        tags = self.read_list("tags")
        sources = self.read_list("sources")
        report_title, report_by, report_part = self.read_report()
        hijri = self.read_hijri()
        extra = self.read_extra()
        draft = self.read_draft()
        author, summary = self.read_text("author"), self.read_text("summary")
        translation_key, template = self.read_text("translation_key"), self.read_text("template")
        image = self.read_text("image")
        self.read_text("seed")
        self.read_text("seed_sha256")
        if len(self.problems) > self.start or title is None or day is None or slug is None:
            return None
        return Article(
            path=self.rel, lang=lang, slug=slug, title=title, date=day,
            body=CONTROL_CHARACTER.sub("", self.front.body),  # as in text fields: HTML forbids them
            author=author, views=views, tags=tags, summary=summary or "",
            report_title=report_title, report_by=report_by, report_part=report_part,
            sources=sources, translation_key=translation_key or slug,
            draft=draft, template=template, template_line=self.line_of("template"), hijri_date=hijri, extra=extra,
            slug_line=self.line_of("slug"),
            image=image, image_line=self.line_of("image"),
        )

    def text_of(self, node: Node, rule: str, advice_key: str | None) -> str | None:
        """A scalar written as text, or None with a problem that states the rule ("title must be text") and
        how to write the value; `advice_key` is the key shown in `write key: "..."` (None for a list item)."""
        kind = tag_name(node)
        if kind == "str":
            # YAML refuses control characters raw, but an escape ("\x07") writes them: dropped, as the importer
            # and the feeds drop them, so that the page (where HTML forbids them) and the feed say the same.
            return CONTROL_CHARACTER.sub("", str(node.value))
        if isinstance(node, SequenceNode):
            self.report_node(node, f"{rule}, not a list")
        elif isinstance(node, MappingNode):
            self.report_node(node, f"{rule}, not a mapping")
        else:
            raw = node.value if len(node.value) <= 60 else node.value[:60] + "…"
            written = f"{advice_key}: {json_quote(raw)}" if advice_key else json_quote(raw)
            reads = READS_AS.get(kind, f"a {kind}")
            if kind == "null":
                self.report_node(node, f"{rule}; {raw} reads as nothing (null) in YAML: remove it, or write {written} "
                                       f"for the text")
            else:
                self.report_node(node, f"{rule}; {raw or 'an empty value'} reads as {reads} in YAML, write {written}")
        return None

    def read_text(self, key: str, required: bool = False) -> str | None:
        """An optional (or required) text field, stripped; empty or null counts as absent."""
        if key not in self.fields:
            if required:
                self.report(key, f'missing "{key}" in front matter')
            return None
        node = self.fields[key][1]
        if isinstance(node, ScalarNode) and tag_name(node) == "null" and (not required or not node.value):
            if required:
                self.report(key, f'missing "{key}" in front matter')
            return None
        value = self.text_of(node, f"{key} must be text", key)
        if value is not None and not value.strip():
            if required:
                self.report(key, f'missing "{key}" in front matter')
            return None
        return value.strip() if value is not None else None

    def read_slug(self) -> str | None:
        """The slug from front matter, else the file name (a page bundle's folder name for its index.md); it must
        follow the slug rule."""
        if "slug" in self.fields:
            node = self.fields["slug"][1]
            if is_empty(node):
                slug: str | None = bundle_slug(self.rel)
            else:
                slug = self.text_of(node, "slug must be text", "slug")
        else:
            slug = bundle_slug(self.rel)
        if slug is None:
            return None
        problem = slug_problem(slug)
        if problem:
            self.report("slug", problem)
            return None
        return slug

    def read_date(self) -> datetime.date | None:
        """The date as written (YAML's own date form, with or without !!timestamp, or any form parse_date reads)."""
        if "date" not in self.fields:
            self.report("date", 'missing "date" in front matter')
            return None
        node = self.fields["date"][1]
        kind = tag_name(node)
        if is_empty(node):
            self.report("date", 'missing "date" in front matter')
            return None
        if not isinstance(node, ScalarNode) or kind not in ("str", "timestamp", "int"):
            shown = node.value if isinstance(node, ScalarNode) else "a list" if isinstance(node, SequenceNode) else "a mapping"
            self.report("date", f"date must be a date such as 2017-09-28, not {shown}")
            return None
        try:
            # No future limit here: front matter may schedule an article more than a year ahead.
            return parse_date(str(node.value), future_limit=None)
        except ValueError as error:
            self.report("date", f"bad date: {error}")
            return None

    def read_views(self) -> int | None:
        """A whole number from 0 to MAX_VIEWS, written as digits."""
        if "views" not in self.fields:
            return None
        node = self.fields["views"][1]
        if not isinstance(node, ScalarNode):
            self.report("views", "views must be a whole number, not a list or mapping")
            return None
        raw = str(node.value)
        if is_empty(node):
            return None
        if tag_name(node) == "null":
            # What Warraq's importer wrote for a seed without views before it left the key out.
            self.report("views", f"views must be a whole number; {raw} reads as nothing (null) in YAML: remove "
                                 f"the line if there is no count")
            return None
        if tag_name(node) != "int" or not re.fullmatch(r"[0-9]+", raw):
            shown = raw if len(raw) <= 60 else raw[:60] + "…"
            how = " without quotes" if tag_name(node) == "str" and re.fullmatch(r"[0-9]+", raw) else ""
            self.report("views", f'views must be a whole number{how}, not "{shown}"')
            return None
        if len(raw) > len(str(MAX_VIEWS)) or int(raw) > MAX_VIEWS:
            self.report("views", f"views must be at most {MAX_VIEWS}, not a number {len(raw)} digits long")
            return None
        return int(raw)

    def read_draft(self) -> bool:
        """true or false, nothing else: a draft must never be published because of how it was spelled."""
        if "draft" not in self.fields:
            return False
        node = self.fields["draft"][1]
        raw = str(node.value) if isinstance(node, ScalarNode) else ""
        if tag_name(node) == "bool" and raw.lower() in ("true", "false"):
            return raw.lower() == "true"
        if tag_name(node) == "bool":
            meaning = "true" if raw.lower() in ("yes", "on") else "false"
            self.report("draft", f"draft must be true or false; {raw} is YAML 1.1 for {meaning}, write draft: {meaning}")
        elif tag_name(node) == "str" and raw.strip().lower() in ("true", "false", "yes", "no"):
            self.report("draft", f"draft must be true or false without quotes, not the text {json_quote(raw)}")
        else:
            shown = raw if isinstance(node, ScalarNode) else "a list or mapping"
            self.report("draft", f"draft must be true or false, not {shown or 'an empty value'}")
        return True  # never published by mistake; the problem stops the build anyway

    def read_list(self, key: str) -> tuple[str, ...]:
        """A list of text (one text alone counts as a list of one); empty items are dropped."""
        if key not in self.fields:
            return ()
        node = self.fields[key][1]
        if isinstance(node, ScalarNode):
            if is_empty(node):
                return ()
            value = self.text_of(node, f"{key} must be a list of text", key)
            if key == "tags" and value and re.search("[,،]", value):
                # `tags: a, b` is one text in YAML; publishing a tag named "a, b" would be a silent surprise.
                items = ", ".join(part.strip() for part in re.split("[,،]", value) if part.strip())
                self.report(key, f'tags must be a list; "{value.strip()}" is one text with commas, '
                                 f"write tags: [{items}]")
                return ()
            return (value.strip(),) if value and value.strip() else ()
        if not isinstance(node, SequenceNode):
            self.report(key, f'"{key}" must be a list of text')
            return ()
        items = [self.text_of(item, f"{key} must be a list of text", None) for item in node.value]
        return tuple(item.strip() for item in items if item and item.strip())

    def read_report(self) -> tuple[str | None, str | None, int | None]:
        """report: {title, prepared_by, part}: title and prepared_by optional text, part an optional whole
        number from 1 to MAX_REPORT_PART (the article's place in the report)."""
        if "report" not in self.fields:
            return None, None, None
        node = self.fields["report"][1]
        if isinstance(node, ScalarNode) and tag_name(node) == "null":  # the importer writes report: null
            return None, None, None
        if not isinstance(node, MappingNode):
            self.report("report", "report must be a mapping with title and prepared_by")
            return None, None, None
        problems: list[tuple[int, str]] = []
        found = mapping_fields(node, self.front.offset, problems)
        self.problems.extend(Problem(self.rel, line, message) for line, message in problems)
        fields = {key: value for key, _, value in found}
        for key, key_node, _ in found:
            if key not in REPORT_KEYS:
                self.report_node(key_node, f'unknown key "{key}" in report{suggest(key, REPORT_KEYS)}; '
                                           f"report has title, prepared_by and part")
        values = []
        for key in REPORT_KEYS[:2]:
            value = fields.get(key)
            empty = value is None or (isinstance(value, ScalarNode) and tag_name(value) == "null")
            text = None if empty else self.text_of(value, f"report {key} must be text", key)
            values.append(text.strip() or None if text is not None else None)
        return values[0], values[1], self.read_report_part(fields.get("part"))

    def read_report_part(self, node: Node | None) -> int | None:
        """report.part: a whole number from 1 to MAX_REPORT_PART written as digits; None when absent or empty."""
        if node is None or is_empty(node) or (isinstance(node, ScalarNode) and tag_name(node) == "null"):
            return None
        raw = str(node.value) if isinstance(node, ScalarNode) else ""
        if tag_name(node) == "int" and re.fullmatch(r"[0-9]+", raw) and 1 <= int(raw) <= MAX_REPORT_PART:
            return int(raw)
        shown = raw if len(raw) <= 60 else raw[:60] + "…"
        how = " without quotes" if tag_name(node) == "str" and re.fullmatch(r"[0-9]+", raw) else ""
        written = json_quote(shown) if isinstance(node, ScalarNode) else "a list or mapping"
        self.report_node(node, f"report part must be a whole number from 1 to {MAX_REPORT_PART}{how} "
                               f"(the article's place in the report), not {written}")
        return None

    def read_hijri(self) -> tuple[int, int, int] | None:
        """hijri_date: yyyy-mm-dd in the Hijri calendar (YAML may read it as a date: the text is what counts)."""
        if "hijri_date" not in self.fields:
            return None
        node = self.fields["hijri_date"][1]
        if is_empty(node):
            return None
        if not isinstance(node, ScalarNode) or tag_name(node) not in ("str", "timestamp"):
            self.report("hijri_date", 'hijri_date must be a Hijri date such as "1439-01-09"')
            return None
        try:
            return parse_hijri_override(str(node.value))
        except ValueError as error:
            self.report("hijri_date", str(error))
            return None

    def read_extra(self) -> Mapping[str, Any]:
        """extra: any mapping of plain values, for templates."""
        if "extra" not in self.fields:
            return {}
        node = self.fields["extra"][1]
        if is_empty(node):
            return {}
        if not isinstance(node, MappingNode):
            self.report("extra", "extra must be a mapping")
            return {}
        problems: list[tuple[int, str]] = []
        value = construct(node, self.front.offset, problems)
        self.problems.extend(Problem(self.rel, line, message) for line, message in problems)
        return value if isinstance(value, dict) else {}


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
