"""Turn raw seed texts (seeds/*.txt) into Markdown articles with YAML front matter under content/."""

from __future__ import annotations

import datetime
import errno
import hashlib
import html
import os
import re
import shutil
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

import yaml

from generator.arabic import TermMatcher, compile_terms, make_slug, normalise_text, parse_date, to_latin_digits
from generator.arabic.normalise import is_normalised
from generator.config import Config, TagDef, json_quote
from generator.content import CONTROL_CHARACTER, MAX_VIEWS, read_front_matter
from generator import inputs
from generator.errors import Problem, relative_path
from generator.cache import library_version
from generator.import_record import IMPORT_CODE, import_index_of, import_state, is_imported, list_seeds, \
    write_import_record
from generator.parallel import map_parallel

SUMMARY_LENGTH = 200
# Wide enough that PyYAML never folds a long Arabic title or summary over several lines.
YAML_WIDTH = 1_000_000
# libyaml's emitter (PyYAML's C extension, in every PyYAML wheel) writes front matter about 20 times faster than
# PyYAML's pure-Python emitter, and the same bytes, except that it escapes NEL (U+0085) and characters beyond
# U+FFFF (emoji) that the Python emitter writes as they are, and folds a double-quoted scalar longer than the
# width elsewhere. Front matter holding any of those goes through the Python emitter, so every file is
# byte-identical whichever emitter wrote it.
C_DUMPER: Any = getattr(yaml, "CSafeDumper", None)
C_EMITTER_DIFFERS = re.compile("[\x85\U00010000-\U0010ffff]")
C_EMITTER_MAX_CHARS = YAML_WIDTH // 10
# libyaml also writes some keys otherwise: an empty one, one of 128 characters or more, one with a carriage return
# (render_markdown's keys are none of these; other callers' may be). It is used only for short plain keys.
C_EMITTER_MAX_KEY_BYTES = 100
# Below this many seeds an import stays in this process: starting workers costs more than they save.
PARALLEL_MIN_SEEDS = 100


# ---------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Seed:
    """One parsed seed: header fields, Markdown paragraphs and the report footer."""

    title: str
    author: str | None
    date: datetime.date | None
    views: int | None
    lang: str
    paragraphs: tuple[str, ...]
    report_title: str | None
    report_by: str | None
    sources: tuple[str, ...]
    name: str


class SeedError(ValueError):
    """A seed that cannot be read, located at a 1-based line of the seed file."""

    def __init__(self, line: int, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


@dataclass(frozen=True)
class ImportReport:
    """What import_seeds did: content files written, seeds left alone, and problems found."""

    created: tuple[Path, ...]
    skipped: tuple[Path, ...]
    problems: tuple[Problem, ...]


@dataclass(frozen=True)
class Labels:
    """The label words of one seed language, as regular-expression sources."""

    lang: str
    author: str
    date: str
    views: str
    report: str
    prepared_by: str
    sources: str


# Hamza on إعداد/للإطلاع and the tanween on كاملاً are often dropped or misplaced in real texts.
ARABIC_LABELS = Labels(
    lang="ar",
    author="الكاتب",
    date="التاريخ",
    views="المشاهدات",
    report="لل[اإ]طلاع على التقرير كامل(?:اً|ًا|ا)?",
    prepared_by="[إا]عداد",
    sources="المصادر",
)
ENGLISH_LABELS = Labels(
    lang="en",
    author="Author",
    date="Date",
    views="Views",
    report="For the full report",
    prepared_by="Prepared by",
    sources="Sources",
)
LABEL_SETS = (ARABIC_LABELS, ENGLISH_LABELS)
URL = re.compile(r"(?:https?://|www\.)\S+$", re.IGNORECASE)
HEADER_FIELDS = ("author", "date", "views")
NO_HEADER_MESSAGE = (
    "no header line with الكاتب:/التاريخ:/المشاهدات: (or Author:/Date:/Views:) found; "
    "the first line of a seed is the title followed by these labels"
)


@dataclass(frozen=True)
class Line:
    """One line of a seed, normalised, with its 1-based number in the file."""

    number: int
    text: str


@dataclass(frozen=True)
class Field:
    """A labelled header value and the line it was found on."""

    name: str
    value: str
    line: int


@dataclass(frozen=True)
class Header:
    """The header: title, labelled fields, label language, and where the body starts."""

    title: str
    fields: Mapping[str, Field]
    labels: Labels
    end: int  # index into the line list of the first line after the header


@dataclass(frozen=True)
class Segment:
    """A run of body text: a paragraph ("text") or a list ("ol"/"ul") with its items."""

    kind: str
    items: tuple[str, ...]
    lines: int  # how many source lines it spans; a one-line text can be a heading
    start: int = 1  # first number of an ordered list


@dataclass(frozen=True)
class ExistingArticle:
    """A content file that records the seed it was imported from."""

    path: Path
    slug: str
    seed_sha256: str


@dataclass(frozen=True)
class ContentIndex:
    """What content/ already holds: imported articles by seed name and by their seed's bytes, and slugs taken
    per language."""

    by_seed: Mapping[str, ExistingArticle]
    slugs: Mapping[str, frozenset[str]]
    # Imported seeds by the SHA-256 (hex) of their bytes: seed name and content file, the first in path order.
    by_sha: Mapping[str, tuple[str, Path]] = field(default_factory=dict)


# ---------------------------------------------------------------------------
# Parsing a seed
# ---------------------------------------------------------------------------


def parse_seed(text: str, name: str) -> Seed:
    """Parse the text of one seed file, raising SeedError with a line number when it cannot be read."""
    lines = split_lines(text)
    header = read_header(lines)
    labels = header.labels
    # Header values first, so problems are reported from the top of the file down.
    author, date, views = read_author(header.fields), read_date(header.fields), read_views(header.fields)
    sources_at = find_sources_line(lines, header.end, labels)
    body_end = sources_at if sources_at is not None else len(lines)
    footer_at = find_footer(lines, header.end, body_end, labels)
    body_lines = lines[header.end : footer_at if footer_at is not None else body_end]
    segments = join_broken_paragraphs(split_segments(group_blocks(body_lines)))
    if not segments:
        line = lines[header.end].number if header.end < len(lines) else lines[header.end - 1].number
        raise SeedError(line, "no article text after the header")
    report_title, report_by = read_footer(lines[footer_at:body_end] if footer_at is not None else (), labels)
    return Seed(
        title=header.title,
        author=author,
        date=date,
        views=views,
        lang=labels.lang,
        paragraphs=tuple(segment_to_markdown(segment) for segment in segments),
        report_title=report_title,
        report_by=report_by,
        sources=read_sources(lines[sources_at:], labels) if sources_at is not None else (),
        name=name,
    )


def split_lines(text: str) -> tuple[Line, ...]:
    """Split into numbered, normalised lines; CRLF, CR and a BOM are handled like an editor would."""
    # Split before normalising so line numbers match what the author sees in an editor.
    raw = re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff"))
    if is_normalised("\n".join(raw)) and not CONTROL_CHARACTER.search(text):
        # Most seeds: no line has anything to normalise or drop, and checking the whole text once is cheaper.
        return tuple(Line(number, line.strip()) for number, line in enumerate(raw, start=1))
    return tuple(Line(number, without_controls(normalise_text(line)).strip()) for number, line in enumerate(raw, start=1))


# Controls that separate (form feed, vertical tab, NEL, the information separators) stand for a break.
SEPARATOR_RUN = re.compile("[ \t]*[\x0b\x0c\x1c-\x1f\x85]+[ \t]*")


def without_controls(line: str) -> str:
    """line without control characters (bells, escape codes, form feeds pasted from old word processors): no
    page can show them and front matter refuses them. One that separates becomes a space, the rest go."""
    # Every separator is a control character: one scan tells that most lines need neither substitution.
    if not CONTROL_CHARACTER.search(line):
        return line
    return CONTROL_CHARACTER.sub("", SEPARATOR_RUN.sub(" ", line))


@lru_cache(maxsize=64)
def label_pattern(label: str) -> re.Pattern[str]:
    """A label at the start of a word, with optional spaces around its colon."""
    return re.compile(rf"(?<!\S)(?:{label})\s*:\s*")


def read_header(lines: Sequence[Line]) -> Header:
    """Find the title line and the author/date/views labels on it or on the lines after it."""
    start = next((index for index, line in enumerate(lines) if line.text), None)
    if start is None:
        raise SeedError(1, "the seed is empty")
    title_line = lines[start]
    for labels in LABEL_SETS:
        fields = find_fields(title_line, labels)
        following, end = read_label_lines(lines, start + 1, labels, set())
        repeated = sorted(set(fields) & set(following))
        if repeated:
            values = {key: to_field(key, title_line, fields).value for key in fields}
            if set(fields) <= set(following) and all(match.start() > 0 for match in fields.values()) and not any(
                    reads_as(key, value) or value == following[key].value for key, value in values.items()):
                # The label lines below are the header, and the title line's "label" is part of its text
                # ("قراءة في التاريخ: دروس من الماضي" on a line of its own).
                fields = {}
            else:
                # The title line's labels read as a header (a date, a count, the same value), given again below.
                raise given_twice(following[repeated[0]].line, getattr(labels, repeated[0]))
        elif fields:
            following, end = read_label_lines(lines, start + 1, labels, set(fields))
        if fields or following:
            title = title_line.text[: min((m.start() for m in fields.values()), default=len(title_line.text))]
            all_fields = {**{key: to_field(key, title_line, fields) for key in fields}, **following}
            first = min(fields, key=lambda key: fields[key].start(), default=None)
            check_labels_once(all_fields, title, first, title_line.number, labels)
            check_one_language(title, title_line.number, labels)
            return make_header(title.rstrip(HEADER_SEPARATORS).strip(), title_line.number, all_fields, labels, end)
    raise SeedError(title_line.number, NO_HEADER_MESSAGE)


def given_twice(line: int, label: str) -> SeedError:
    """The error for a header that gives label more than once, at line."""
    return SeedError(line, f"the header gives {label}: more than once (or in another label's value): give each of "
                           f"its labels once")


def check_labels_once(fields: Mapping[str, Field], title: str, first: str | None, line: int, labels: Labels) -> None:
    """Refuse a header that gives a label twice: in another label's value ("الكاتب: أ التاريخ: 1 التاريخ: 2"
    made the author "أ التاريخ: 1"), a label of either language in a value ("الكاتب: أ Date: ..."), or the label
    the header starts with at the very end of the title ("عنوان الكاتب: أ الكاتب: ب" made the title "عنوان
    الكاتب: أ"). A title may hold another label ("قراءة في التاريخ: الرقة الكاتب: ... التاريخ: ...")."""
    for field in fields.values():
        for other in LABEL_SETS:
            for key in HEADER_FIELDS:
                if label_pattern(getattr(other, key)).search(field.value):
                    raise given_twice(field.line, getattr(other, key))
    if first is not None:
        in_title = [(match.start(), match.end(), key) for key in HEADER_FIELDS
                    for match in label_pattern(getattr(labels, key)).finditer(title)]
        last = max(in_title, default=None)
        # The title's last label is the one the header starts with: a repeat, unless its value reads as no such
        # field ("قراءة في التاريخ: الرقة التاريخ: 1 مارس 2018": الرقة is no date). An author cannot be told.
        if last is not None and last[2] == first and (first == "author" or reads_as(first, title[last[1]:])):
            raise given_twice(line, getattr(labels, first))


def reads_as(key: str, value: str) -> bool:
    """Whether a label's value reads as that field: a date parse_date reads, or a view count; an author's never
    can be told from text."""
    if key == "date":
        try:
            parse_date(value, future_limit=None)
        except ValueError:
            return False
        return True
    return key == "views" and views_digits(value) is not None


def check_one_language(title: str, line: int, labels: Labels) -> None:
    """Refuse a title that holds a header label of the other language ("Mixed Author: X التاريخ: ..."): the
    header mixes the two sets of labels, and the label would be read as part of the title."""
    for other in LABEL_SETS:
        if other is labels:
            continue
        for key in HEADER_FIELDS:
            if label_pattern(getattr(other, key)).search(title):
                raise SeedError(line, f"the header mixes {getattr(other, key)}: with {labels.date}:-style labels: "
                                      f"write its labels in one language")


def make_header(title: str, line: int, fields: Mapping[str, Field], labels: Labels, end: int) -> Header:
    """Build the Header, refusing an empty title."""
    if not title:
        raise SeedError(line, "empty title: the header line must start with the article's title")
    return Header(title=title, fields=fields, labels=labels, end=end)


def find_fields(line: Line, labels: Labels) -> dict[str, re.Match[str]]:
    """Find each header label on a line, keeping its last occurrence (a title may contain "التاريخ:")."""
    found: dict[str, re.Match[str]] = {}
    for key in HEADER_FIELDS:
        matches = list(label_pattern(getattr(labels, key)).finditer(line.text))
        if matches:
            found[key] = matches[-1]
    return found


def to_field(key: str, line: Line, matches: Mapping[str, re.Match[str]]) -> Field:
    """Cut a label's value: the text from its colon to the next label on the same line."""
    match = matches[key]
    next_starts = [other.start() for other in matches.values() if other.start() > match.start()]
    value = line.text[match.end() : min(next_starts, default=len(line.text))]
    return Field(name=key, value=value.strip(HEADER_SEPARATORS), line=line.number)


# What sites print between a header's parts ("الكاتب: فلان | التاريخ: ...", "عنوان - الكاتب: ..."): not part of
# the title or of a value (an author "فلان |" would be a second author, with a page of its own).
HEADER_SEPARATORS = " \t|-–—،,;؛/·•"


def read_label_lines(
    lines: Sequence[Line], index: int, labels: Labels, seen: set[str]
) -> tuple[dict[str, Field], int]:
    """Read header labels written on their own lines after the title (blank lines between allowed)."""
    fields: dict[str, Field] = {}
    end = index
    while index < len(lines):
        line = lines[index]
        if line.text:
            matches = find_fields(line, labels)
            starts_with_label = any(match.start() == 0 for match in matches.values())
            repeated = set(matches) & (seen | set(fields))
            in_header = bool(fields or seen) and index == end  # right under the title's or the last label line
            if starts_with_label and repeated and in_header:
                # Right under the header's label lines, a label given again: not body text but a second value.
                raise given_twice(line.number, getattr(labels, sorted(repeated)[0]))
            if not starts_with_label and in_header:
                check_header_ends(lines, index, labels)
            # After a blank line, a label seen already means body text that happens to say "Date:".
            if not starts_with_label or repeated:
                break
            fields.update({key: to_field(key, line, matches) for key in matches})
            end = index + 1
        index += 1
    return fields, end


def check_header_ends(lines: Sequence[Line], index: int, labels: Labels) -> None:
    """The header ends at lines[index], a line that is no label of its language: refuse it when it is a label of
    the other language ("Views: 300" under an Arabic header went into the body), or when a label of the header's
    language follows before a blank line ("المصدر: الجزيرة" between الكاتب: and التاريخ: pushed the date into the
    body, and every build then stopped on the article without a date)."""
    line = lines[index]
    for other in LABEL_SETS:
        if other is not labels and any(match.start() == 0 for match in find_fields(line, other).values()):
            raise SeedError(line.number, f"the header mixes {line.text.split(':', 1)[0].strip()}: with "
                                         f"{labels.date}:-style labels: write its labels in one language")
    for later in lines[index + 1:]:
        if not later.text:
            return
        if any(match.start() == 0 for match in find_fields(later, labels).values()):
            raise SeedError(line.number, f"\"{line.text[:40]}\" is no header label, but header labels follow it: "
                                         f"put the labels ({labels.author}:, {labels.date}:, {labels.views}:) "
                                         f"together right under the title, and other lines after a blank line")


def read_author(fields: Mapping[str, Field]) -> str | None:
    """The author, or None when the label is missing or empty."""
    field = fields.get("author")
    return field.value if field and field.value else None


def read_date(fields: Mapping[str, Field]) -> datetime.date | None:
    """The date, or None when missing; parse_date's message already quotes the text."""
    field = fields.get("date")
    if not field or not field.value:
        return None
    try:
        return parse_date(field.value)
    except ValueError as error:
        raise SeedError(field.line, str(error)) from None


def read_views(fields: Mapping[str, Field]) -> int | None:
    """The view count, accepting Arabic-Indic digits and thousands separators (٤٬٦٢٠, 4,620)."""
    field = fields.get("views")
    if not field or not field.value:
        return None
    digits = views_digits(field.value)
    if digits is None:
        raise SeedError(field.line, f'cannot read views "{field.value}": expected a whole number')
    # The content reader's bound: a seed must not import into an article no build can read.
    if len(digits.lstrip("0")) > len(str(MAX_VIEWS)) or int(digits) > MAX_VIEWS:
        shown = field.value if len(field.value) <= 40 else field.value[:40] + "…"
        raise SeedError(field.line, f'cannot read views "{shown}": more than {MAX_VIEWS:,} views')
    return int(digits)


# The word a count may be written with: "4620 مشاهدة", "4,620 views".
VIEWS_WORDS = re.compile(r"\s*(?:مشاهدة|مشاهدات|قراءة|زيارة|views?|reads?)$", re.IGNORECASE)


def views_digits(value: str) -> str | None:
    """A view count's digits, in Latin digits without thousands separators or a trailing word, or None when it is
    not a whole number (٤٬٦٢٠, 4,620, "4620 مشاهدة" are 4620)."""
    digits = VIEWS_WORDS.sub("", to_latin_digits(value).strip())
    digits = re.sub(r"(?<=[0-9])[,.\s\u066c](?=[0-9]{3}(?![0-9]))", "", digits)
    return digits if re.fullmatch(r"[0-9]+", digits) else None


def find_sources_line(lines: Sequence[Line], start: int, labels: Labels) -> int | None:
    """Index of the last line that starts with the sources label, if any."""
    pattern = label_pattern(labels.sources)
    found = [index for index in range(start, len(lines)) if pattern.match(lines[index].text)]
    return found[-1] if found else None


def find_footer(lines: Sequence[Line], start: int, end: int, labels: Labels) -> int | None:
    """Index of the report footer: the last block of the body when it starts with a footer label."""
    last = next((index for index in range(end - 1, start - 1, -1) if lines[index].text), None)
    if last is None:
        return None
    first = last
    while first - 1 >= start and lines[first - 1].text:
        first -= 1
    opening = re.compile(rf"(?:{labels.report}|{labels.prepared_by})\s*:")
    return first if opening.match(lines[first].text) else None


def read_footer(lines: Sequence[Line], labels: Labels) -> tuple[str | None, str | None]:
    """Read "report title" and "prepared by" from the footer block; either may be missing."""
    text = " ".join(line.text for line in lines)
    report = list(label_pattern(labels.report).finditer(text))
    prepared = list(label_pattern(labels.prepared_by).finditer(text))
    by_match = prepared[-1] if prepared else None
    title = None
    if report:
        stop = by_match.start() if by_match and by_match.start() > report[-1].start() else len(text)
        title = text[report[-1].end() : stop].strip() or None
    by = (text[by_match.end() :].strip() or None) if by_match else None
    return title, by


def read_sources(lines: Sequence[Line], labels: Labels) -> tuple[str, ...]:
    """Source lines after the sources label (the first may share its line); list markers dropped."""
    first = label_pattern(labels.sources).sub("", lines[0].text, count=1)
    sources: list[str] = []
    for text in (first, *(line.text for line in lines[1:])):
        text = LIST_ITEM.sub(r"\g<text>", text).strip()
        words = text.split()
        # Several URLs on one line are several sources; anything else is one source per line.
        if words and all(URL.match(word) for word in words):
            sources.extend(words)
        elif text:
            sources.append(text)
    return tuple(sources)


# ---------------------------------------------------------------------------
# Body: blocks, lists, joining broken paragraphs
# ---------------------------------------------------------------------------

# 1- 1) 1. and bullets - • * · ▪ – ; Arabic-Indic numbers too. At most three digits, so a
# paragraph that opens with a year ("2017- ...") is not taken for a list.
LIST_ITEM = re.compile(
    r"^(?:(?P<number>[0-9\u0660-\u0669\u06f0-\u06f9]{1,3})[-).]|(?P<bullet>[-•*·▪–]))\s+(?P<text>\S.*)$"
)
SENTENCE_END = frozenset(".!?؟…:؛;۔")
CLOSERS = "\"'”’»)]"
# A one-line block this short without final punctuation reads as a subheading, not a broken sentence.
HEADING_MAX_WORDS = 10


def group_blocks(lines: Sequence[Line]) -> list[list[str]]:
    """Group non-blank lines into blocks separated by blank lines."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in lines:
        if line.text:
            current.append(line.text)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def split_segments(blocks: Sequence[Sequence[str]]) -> list[Segment]:
    """Turn blocks into paragraphs and lists; list items over several blocks form one list."""
    segments: list[Segment] = []
    for block in blocks:
        for segment in segments_of_block(block):
            previous = segments[-1] if segments else None
            if previous and segment.kind != "text" and previous.kind == segment.kind:
                segments[-1] = Segment(previous.kind, previous.items + segment.items, 2, previous.start)
            else:
                segments.append(segment)
    return segments


def segments_of_block(block: Sequence[str]) -> list[Segment]:
    """Split one block into text runs and list runs; a plain line after an item continues it."""
    segments: list[Segment] = []
    for text in block:
        match = LIST_ITEM.match(text)
        previous = segments[-1] if segments else None
        if match:
            kind = "ol" if match.group("number") else "ul"
            if previous and previous.kind == kind:
                segments[-1] = Segment(kind, previous.items + (match.group("text"),), previous.lines + 1, previous.start)
            else:
                start = int(to_latin_digits(match.group("number"))) if kind == "ol" else 1
                segments.append(Segment(kind, (match.group("text"),), 1, start))
        elif previous:
            # Single newlines inside a paragraph or item are just wrapping: join with a space.
            items = previous.items[:-1] + (f"{previous.items[-1]} {text}",)
            segments[-1] = Segment(previous.kind, items, previous.lines + 1, previous.start)
        else:
            segments.append(Segment("text", (text,), 1))
    return segments


def join_broken_paragraphs(segments: Sequence[Segment]) -> list[Segment]:
    """Join paragraphs that a stray blank line split mid-sentence or inside a quotation."""
    joined: list[Segment] = []
    for segment in segments:
        previous = joined[-1] if joined else None
        if previous and should_join(previous, segment):
            joined[-1] = Segment("text", (f"{previous.items[0]} {segment.items[0]}",), previous.lines + segment.lines)
        else:
            joined.append(segment)
    return joined


def should_join(previous: Segment, following: Segment) -> bool:
    """Join across a blank line inside an open quotation, or after an unfinished sentence unless a heading is involved."""
    if previous.kind != "text" or following.kind != "text":
        return False
    before, after = previous.items[0], following.items[0]
    if quote_is_open(before) and quote_is_closed_by(after):
        return True
    if ends_sentence(before):
        return False
    if after[:1].isascii() and after[:1].islower():
        return True
    return not (looks_like_heading(previous) or looks_like_heading(following))


def quote_is_open(text: str) -> bool:
    """True when text leaves a quotation open: an odd number of ", or more « than », or “ than ”."""
    return text.count('"') % 2 == 1 or text.count("«") > text.count("»") or text.count("“") > text.count("”")


def quote_is_closed_by(text: str) -> bool:
    """True when text closes a quotation opened before it."""
    return text.count('"') % 2 == 1 or text.count("»") > text.count("«") or text.count("”") > text.count("“")


def ends_sentence(text: str) -> bool:
    """True when text ends with sentence-final punctuation, possibly followed by closing quotes."""
    stripped = text.rstrip().rstrip(CLOSERS)
    return bool(stripped) and stripped[-1] in SENTENCE_END


def looks_like_heading(segment: Segment) -> bool:
    """A short single line with no final punctuation or trailing comma reads as a subheading."""
    text = segment.items[0]
    short = segment.lines == 1 and len(text.split()) <= HEADING_MAX_WORDS
    return short and not ends_sentence(text) and text[-1:] not in ",،-–"


# ---------------------------------------------------------------------------
# Markdown escaping
# ---------------------------------------------------------------------------

# Characters Markdown or HTML would act on anywhere in a line. < and & need entities (a
# backslash does not stop raw HTML); | and ~ too, because "\|" shows its backslash outside tables.
INLINE_ESCAPES = str.maketrans(
    {
        "\\": "\\\\",
        "`": "\\`",
        "*": "\\*",
        "_": "\\_",
        "[": "\\[",
        "]": "\\]",
        "{": "\\{",
        "}": "\\}",
        "&": "&amp;",
        "<": "&lt;",
        ">": "&gt;",
        "|": "&#124;",
        "~": "&#126;",
    }
)
# str.translate looks every character of a non-ASCII line up in its table (a quarter of a microsecond
# each); a regular expression finds the few characters to escape in C, and each is mapped as translate would.
INLINE_SPECIAL = re.compile("[" + re.escape("".join(map(chr, INLINE_ESCAPES))) + "]")
INLINE_ESCAPE_OF = {chr(code): escaped for code, escaped in INLINE_ESCAPES.items()}
# At the start of a line: headings, list markers, and "1." (an ordered list item).
LINE_START = re.compile(r"^(?:(?P<mark>[#+\-])|(?P<number>[0-9]+)\.(?=\s|$))")


def escape_markdown(text: str) -> str:
    """Escape one line of plain text so Markdown shows it exactly as written."""
    escaped = INLINE_SPECIAL.sub(escape_character, text)
    return LINE_START.sub(escape_line_start, escaped, count=1)


def escape_character(match: re.Match[str]) -> str:
    """The escape of one character that Markdown or HTML would act on (INLINE_ESCAPES)."""
    return INLINE_ESCAPE_OF[match.group()]


def escape_line_start(match: re.Match[str]) -> str:
    """Backslash-escape a block marker at the start of a line."""
    if match.group("number"):
        return f"{match.group('number')}\\."
    return "\\" + match.group("mark")


BACKSLASH_ESCAPE = re.compile(r"\\(.)")


def unescape_markdown(text: str) -> str:
    """Reverse escape_markdown, giving the plain text back."""
    return html.unescape(BACKSLASH_ESCAPE.sub(r"\1", text) if "\\" in text else text)


def segment_to_markdown(segment: Segment) -> str:
    """Write a paragraph or a list as a Markdown block."""
    if segment.kind == "ol":
        return "\n".join(f"{segment.start + n}. {escape_markdown(item)}" for n, item in enumerate(segment.items))
    if segment.kind == "ul":
        return "\n".join(f"- {escape_markdown(item)}" for item in segment.items)
    return escape_markdown(segment.items[0])


MARKDOWN_LIST_ITEM = re.compile(r"^(?:[0-9]+\. |- )")


def markdown_to_plain(block: str) -> str:
    """The plain text of one block we wrote: list markers dropped, escapes undone."""
    return " ".join(unescape_markdown(MARKDOWN_LIST_ITEM.sub("", line, count=1)) for line in block.split("\n"))


# ---------------------------------------------------------------------------
# Rendering a content file
# ---------------------------------------------------------------------------


def summarise(seed: Seed, limit: int = SUMMARY_LENGTH) -> str:
    """The first paragraph as plain text, cut at a word boundary near limit characters with "…"."""
    text = markdown_to_plain(seed.paragraphs[0]) if seed.paragraphs else ""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1]
    space = cut.rfind(" ")
    # Cut inside the word only when a single word is nearly the whole summary.
    cut = cut[:space] if space > limit // 2 else text[:limit]
    return cut.rstrip(" ،,؛;:-–") + "…"


def render_markdown(seed: Seed, slug: str, tags: Sequence[str], sha256: str) -> str:
    """The content file for a seed: YAML front matter, then the paragraphs separated by blank lines."""
    report = {"title": seed.report_title, "prepared_by": seed.report_by}
    meta: dict[str, Any] = {
        "title": seed.title,
        "slug": slug,
        "lang": seed.lang,
        "date": seed.date,
        "author": seed.author,
        # Left out when the seed gives none: the content reader refuses `views: null` (a count or nothing).
        **({"views": seed.views} if seed.views is not None else {}),
        "tags": list(tags),
        "summary": summarise(seed),
        "report": report if seed.report_title or seed.report_by else None,
        "sources": list(seed.sources),
        "translation_key": slug,
        "seed": seed.name,
        "seed_sha256": sha256,
    }
    return f"---\n{dump_front_matter(meta)}---\n\n" + "\n\n".join(seed.paragraphs) + "\n"


def dump_front_matter(meta: Mapping[str, Any]) -> str:
    """meta as block YAML (keys in order, Unicode as is, never folded): written here when every string in it is
    one PyYAML writes plain (plain_yaml), else by libyaml's emitter when it writes the same bytes as PyYAML's
    Python emitter (see C_EMITTER_DIFFERS), else by the Python emitter."""
    plain = plain_yaml(meta)
    if plain is not None:
        return plain
    strings = list(strings_in(meta))
    same_in_c = C_DUMPER is not None and all(
        len(text) <= C_EMITTER_MAX_CHARS and not C_EMITTER_DIFFERS.search(text) for text in strings) and all(
        isinstance(key, str) and len(key.encode("utf-8")) <= C_EMITTER_MAX_KEY_BYTES and is_plain(key)
        for key in keys_in(meta))
    dumper = C_DUMPER if same_in_c else yaml.SafeDumper
    return yaml.dump(meta, Dumper=dumper, allow_unicode=True, sort_keys=False, width=YAML_WIDTH)


# PyYAML's representer and resolver are Python even under libyaml's emitter: about 0.2 ms of every seed. Front
# matter of plain scalars (most of it: no string that needs quotes or escapes) is written directly instead,
# byte for byte as PyYAML's emitter would (Emitter.analyze_scalar and choose_scalar_style), which the tests
# check against it on random front matter. Anything else returns None and goes to PyYAML.
PLAIN_MAX_CHARS = 10_000  # far below YAML_WIDTH: PyYAML never folds such a line
# Printable characters PyYAML writes as they are (allow_unicode), without tab, NEL, the line and paragraph
# separators, the BOM or characters beyond U+FFFF (which libyaml would escape).
PLAIN_CHARACTERS = re.compile("[\x20-\x7e\xa0-\u2027\u202a-\ud7ff\ue000-\ufefe\uff00-\ufffd]+")
# A first character that is an indicator (or might be one, as "-" and "?" and ":" are before a space), or a space.
PLAIN_NEVER_FIRST = frozenset("#,[]{}&*!|>'\"%@`?:- ")
# Which plain scalars PyYAML reads as something other than a string (null, bool, int, float, timestamp, ...),
# by first character, as its Resolver looks them up: such strings are quoted.
IMPLICIT_RESOLVERS: Mapping[Any, Any] = yaml.SafeDumper.yaml_implicit_resolvers
# The longest key PyYAML writes as a simple key: Emitter.check_simple_key wants its tag ("!!str") and text
# together under 128 characters.
PLAIN_KEY_MAX_CHARS = 122


def plain_yaml(meta: Mapping[str, Any]) -> str | None:
    """What yaml.dump(meta, SafeDumper, allow_unicode, sort_keys=False, width=YAML_WIDTH) writes, when meta is a
    non-empty dict of dicts, lists of scalars and scalars (str, int, None, date) whose every string PyYAML
    writes plain; None otherwise."""
    lines: list[str] = []
    return "".join(lines) if type(meta) is dict and meta and plain_mapping(meta, "", lines) else None


def plain_mapping(mapping: Mapping[Any, Any], indent: str, lines: list[str]) -> bool:
    """Append mapping's block lines at indent to lines; False when some part of it is not for plain_yaml."""
    # Exact types, as PyYAML's SafeRepresenter looks them up: it refuses a tuple or a subclass of dict.
    for key, value in mapping.items():
        if not (type(key) is str and len(key) <= PLAIN_KEY_MAX_CHARS and is_plain(key)):
            return False
        if type(value) is dict:
            if not value:
                lines.append(f"{indent}{key}: {{}}\n")
                continue
            lines.append(f"{indent}{key}:\n")
            if not plain_mapping(value, indent + "  ", lines):
                return False
        elif type(value) is list:
            items = [plain_scalar(item) for item in value]
            if None in items:
                return False
            # PyYAML writes a list inside a mapping without indenting its items, and an empty one in flow style.
            lines.append(f"{indent}{key}:\n" + "".join(f"{indent}- {item}\n" for item in items) if items
                         else f"{indent}{key}: []\n")
        else:
            scalar = plain_scalar(value)
            if scalar is None:
                return False
            lines.append(f"{indent}{key}: {scalar}\n")
    return True


def plain_scalar(value: Any) -> str | None:
    """A scalar as PyYAML's SafeRepresenter writes it plain, or None when it is not one plain_yaml writes."""
    if value is None:
        return "null"
    if type(value) is str:
        return value if is_plain(value) else None
    if type(value) is int:  # not bool
        return str(value)
    if type(value) is datetime.date:  # not datetime
        return value.isoformat()
    return None


def is_plain(text: str) -> bool:
    """Whether PyYAML's emitter writes text as a plain scalar in block context: no indicator where one counts
    (first character, ": ", " #", a final ":", a leading "..."), no space at either end, only characters it
    writes as they are, and not a scalar its resolver would read as a null, number, date or boolean."""
    if not (0 < len(text) <= PLAIN_MAX_CHARS and text[0] not in PLAIN_NEVER_FIRST and text[-1] not in " :"
            and ": " not in text and " #" not in text and not text.startswith("...")
            and PLAIN_CHARACTERS.fullmatch(text) is not None):
        return False
    for resolvers in (IMPLICIT_RESOLVERS.get(text[0]), IMPLICIT_RESOLVERS.get(None)):  # None: any first character
        if resolvers and any(regexp.match(text) for _, regexp in resolvers):
            return False
    return True


def strings_in(value: Any) -> Iterable[str]:
    """Every string in a tree of mappings, lists and scalars: keys and values."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, Mapping):
        for key, item in value.items():
            yield from strings_in(key)
            yield from strings_in(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from strings_in(item)


def keys_in(value: Any) -> Iterable[Any]:
    """Every key of every mapping in a tree of mappings, lists and scalars."""
    if isinstance(value, Mapping):
        for key, item in value.items():
            yield key
            yield from keys_in(item)
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from keys_in(item)


@dataclass(frozen=True)
class Tagger:
    """A tag vocabulary compiled once per import: which tag each word or name stands for, and one matcher."""

    vocabulary: tuple[TagDef, ...]
    slug_of: Mapping[str, str]
    matcher: TermMatcher


def make_tagger(vocabulary: Sequence[TagDef]) -> Tagger:
    """Compile a vocabulary (every tag's words and names) for choose_tags."""
    slug_of = {term: tag.slug for tag in vocabulary for term in (*tag.words, *tag.names.values())}
    return Tagger(tuple(vocabulary), slug_of, compile_terms(slug_of))


def choose_tags(seed: Seed, vocabulary: Sequence[TagDef] | Tagger) -> tuple[str, ...]:
    """Names, in the seed's language, of vocabulary tags whose words or names occur in title or body. Pass a
    Tagger (make_tagger) when tagging many seeds: compiling the vocabulary is most of the work for one."""
    tagger = vocabulary if isinstance(vocabulary, Tagger) else make_tagger(vocabulary)
    text = "\n".join((seed.title, *(markdown_to_plain(block) for block in seed.paragraphs)))
    matched = {tagger.slug_of[term] for term in tagger.matcher.find(text)}
    return tuple(tag_name(tag, seed.lang) for tag in tagger.vocabulary if tag.slug in matched)


def tag_name(tag: TagDef, lang: str) -> str:
    """A tag's name in lang, falling back to any name it has, then its slug."""
    return tag.names.get(lang) or next(iter(tag.names.values()), tag.slug)


# ---------------------------------------------------------------------------
# Importing seeds into content/
# ---------------------------------------------------------------------------


def import_seeds(config: Config, force: Sequence[Path] = (), before: bytes | None = None) -> ImportReport:
    """Import every new seed into content/, skip unchanged ones, and re-import changed ones only when forced.
    before: import_record.import_state of seeds/ and content/ when the caller took it just now, under the
    project's lock (the command line's check that found something to import)."""
    seeds, listing_problems = list_seeds(config.seeds_dir)
    # Taken before anything is read: a file edited while this import reads must not be recorded as seen.
    if before is None:
        before = import_state(config.root, seeds) if seeds else b""
    # The last import left every seed imported, and no seed or content file changed since: nothing to read.
    if not force and not listing_problems and is_imported(config.root, seeds, before):
        return ImportReport(created=(), skipped=tuple(seeds), problems=())
    # Reading every article's front matter is the slow part of a rebuild; without seeds it is not needed.
    index = index_content(config) if seeds else ContentIndex(by_seed={}, slugs={})
    slugs = {lang: set(taken) for lang, taken in index.slugs.items()}
    forced = resolve_forced(config, force)
    created: list[Path] = []
    skipped: list[Path] = []
    problems: list[Problem] = [
        Problem(relative_path(path, config.root), 1, "--force names no seed file in seeds/")
        # Resolving every seed's path is a tenth of a large import: only --force needs it.
        for path in (sorted(forced - {inputs.resolve(seed) for seed in seeds}) if forced else ())
    ] + listing_problems
    tagger = make_tagger(config.tags)
    staging = make_staging(config) if seeds else None
    try:
        # Reading, parsing, tagging, rendering and staging each seed is spread over the cores; choosing slugs and
        # creating content files stays here, in seed order, so files, slugs and problems are a serial import's.
        prepared = map_parallel(lambda _, seed_path: prepare_seed(config, index, forced, tagger, seed_path, staging),
                                seeds, lambda: None, min_items=PARALLEL_MIN_SEEDS)
        write_prepared(config, seeds, prepared, slugs, dict(index.by_sha), created, skipped, problems)
    finally:
        if staging is not None:
            shutil.rmtree(staging, ignore_errors=True)
    if seeds and not problems:
        # Only an import with nothing to report is recorded: a problem (a seed that cannot be read, a seed
        # changed since its import) must be reported by every import until it is fixed.
        # The state read, when the import wrote nothing; else the state it left (b"" while its files are new).
        write_import_record(config.root, import_state(config.root, seeds) if created else before)
    return ImportReport(created=tuple(created), skipped=tuple(skipped), problems=tuple(problems))


# Where workers write each new article's file before the main process gives it its name (a hard link, in seed
# order): writing 2,000 files is a fifth of an import, and this way the cores share it. Hidden, inside content/
# so that a link reaches every language folder, and holding no *.md, so no reader takes it for articles.
STAGING_PREFIX = ".import-"


def make_staging(config: Config) -> Path | None:
    """A new empty staging folder in content/ for this import, or None when none can be made (a read-only or
    missing content/: the files are then written by the main process, which reports why it cannot)."""
    staging = config.content_dir / f"{STAGING_PREFIX}{os.getpid()}"
    try:
        # Killed imports' folders go: the project lock keeps any other import out while this one runs.
        for leftover in config.content_dir.glob(f"{STAGING_PREFIX}*"):
            shutil.rmtree(leftover, ignore_errors=True)
        staging.mkdir()
    except OSError:
        return None
    return staging


def write_prepared(config: Config, seeds: Sequence[Path], prepared: Sequence[PreparedSeed], slugs: dict[str, set[str]],
                   by_sha: dict[str, tuple[str, Path]], created: list[Path], skipped: list[Path],
                   problems: list[Problem]) -> None:
    """Create the content files of prepared seeds in seed order, choosing slugs; a new seed whose text is that
    of a seed imported already (by_sha, which grows as seeds are written) is not imported a second time. Appends
    to created, skipped and problems."""
    for seed_path, ready in zip(seeds, prepared):
        if ready.problem is not None:
            problems.append(ready.problem)
            continue
        if ready.seed is None:
            skipped.append(seed_path)
            continue
        seed, tags, sha, existing = ready.seed, ready.tags, ready.sha, ready.existing
        try:
            if existing:
                reimport(existing, ready.text)
                created.append(existing.path)
                by_sha[sha] = (seed_path.name, existing.path)
                continue
            twin = ready.imported_as(by_sha)
            if twin is not None:
                # A seed renamed (c.txt to C.TXT) or copied: its article exists, and a second would be a duplicate.
                problems.append(duplicate_seed_warning(config, seed_path.name, *twin))
                continue
            taken = slugs.setdefault(seed.lang, set())
            path = write_new_article(config, seed, tags, sha, taken, (ready.slug, ready.text), ready.staged)
            by_sha[sha] = (seed_path.name, path)
        except OSError as error:
            # A full disk, a read-only content/, a file where a year folder goes: this seed's problem, not a crash.
            where = relative_path(Path(error.filename), config.root) if error.filename else "content"
            message = f"cannot write {where}: {error.strerror or error}"
            problems.append(Problem(relative_path(seed_path, config.root), 1, message))
            continue
        created.append(path)
        if seed.date is None:
            problems.append(Problem(relative_path(seed_path, config.root), 1,
                                    f"no date in the seed; add one to {relative_path(path, config.root)}", True))


@dataclass(frozen=True)
class PreparedSeed:
    """One seed read, parsed, tagged and rendered, ready to be written: either a problem, or skipped (no seed),
    or the seed with its first-choice slug (existing.slug when re-imported) and its content file's text under it,
    written already to staged for a new article when a staging folder was given."""

    problem: Problem | None = None
    seed: Seed | None = None
    tags: tuple[str, ...] = ()
    # The digest recorded as seed_sha256 (seed_text_digest); the file's own when it differs (a BOM, CRLF); and
    # those of the text's other usual forms (saved_digests), which earlier versions recorded as they found them.
    sha: str = ""
    file_sha: str = ""
    forms: tuple[str, ...] = ()
    existing: ExistingArticle | None = None
    slug: str = ""
    text: str = ""
    staged: Path | None = None

    def imported_as(self, by_sha: Mapping[str, tuple[str, Path]]) -> tuple[str, Path] | None:
        """The (seed name, content file) of an article imported already from this seed's text (by_sha: recorded
        seed_sha256 -> them), matched by its text's digest or, for an article recorded by older versions,
        which kept the file's own, by the file's."""
        return next((by_sha[digest] for digest in (self.sha, self.file_sha, *self.forms) if digest in by_sha), None)


def prepare_seed(config: Config, index: ContentIndex, forced: set[Path], tagger: Tagger,
                 seed_path: Path, staging: Path | None = None) -> PreparedSeed:
    """Everything import_seeds does to one seed short of writing it; problems are returned, not raised, since
    this runs in worker processes."""
    try:
        # Never a FIFO, a device or a link out of the project: those are skipped with a warning unread.
        inputs.check_link(seed_path, (config.root,))
        data = inputs.read_bytes(seed_path)
    except inputs.InputError as error:
        return PreparedSeed(Problem(f"seeds/{seed_path.name}", error.line, error.message, is_warning=error.is_skip))
    file_sha = hashlib.sha256(data).hexdigest()
    existing = index.by_seed.get(seed_path.name)
    if existing and existing.seed_sha256 == file_sha:
        return PreparedSeed()
    try:
        text: str | SeedError = decode_seed(data)
    except SeedError as error:
        text = error
    sha = seed_text_digest(text) if isinstance(text, str) else file_sha
    forms = saved_digests(text) if isinstance(text, str) else ()  # sha among them
    if existing and existing.seed_sha256 in forms:
        return PreparedSeed()  # the same text saved otherwise since its import: with a BOM, CRLF, as UTF-16
    if existing and inputs.resolve(seed_path) not in forced:
        return PreparedSeed(changed_seed_warning(config, relative_path(seed_path, config.root), existing))
    try:
        if isinstance(text, SeedError):
            raise text
        seed = parse_seed(text, seed_path.name)
    except SeedError as error:
        return PreparedSeed(Problem(relative_path(seed_path, config.root), error.line, error.message))
    if seed.lang not in {language.code for language in config.languages}:
        # Written anyway, it would stop every build on a folder of a language the site does not have.
        return PreparedSeed(Problem(relative_path(seed_path, config.root), 1,
                                    f'the seed\'s labels are the "{seed.lang}" ones, and site.toml has no '
                                    f"[languages.{seed.lang}]: add the language or write the labels in one it has"))
    tags = choose_tags(seed, tagger)
    slug = existing.slug if existing else title_slug(seed.title, config.slug_style, sha)
    text = render_markdown(seed, slug, tags, sha)
    staged = stage_text(staging, seed_path.name, text) if staging is not None and not existing else None
    return PreparedSeed(None, seed, tags, sha, file_sha if file_sha != sha else "", forms, existing, slug, text,
                        staged)


def stage_text(staging: Path, name: str, text: str) -> Path | None:
    """Write text into staging, in a file named after the seed's file name (its digest: the name may be long),
    and return it; None when it cannot be written (the main process then writes the article and says why)."""
    digest = hashlib.sha256(name.encode("utf-8", "surrogateescape")).hexdigest()[:32]
    staged = staging / f"{digest}.tmp"
    try:
        staged.write_text(text, encoding="utf-8", newline="\n")
    except OSError:
        return None
    return staged


def duplicate_seed_warning(config: Config, name: str, imported: str, content: Path) -> Problem:
    """The warning for the seed seeds/<name>, whose text is that of the seed named imported (as its article's
    front matter names it), from which content was imported: a copy when that seed is still in seeds/, else the
    same seed renamed, whose article's front matter should then name it."""
    article = relative_path(content, config.root)
    # The name comes from front matter: quoted, so that a line break or an escape sequence cannot forge a line.
    other = f"seed {json_quote(imported)}, imported as {article}"
    if "/" not in imported and os.path.lexists(config.seeds_dir / imported):
        advice = "delete this copy, or change it to import it as an article of its own"
    else:
        other += " and no longer in seeds/"
        advice = f"if you renamed that seed, write seed: {json_quote(name)} in the front matter of {article}"
    return Problem(f"seeds/{name}", 1, f"has the same text as {other}; not imported a second time ({advice})",
                   is_warning=True)


def changed_seed_warning(config: Config, rel: str, existing: ExistingArticle) -> Problem:
    """The warning for a seed edited after import, saying how to re-import it."""
    content = relative_path(existing.path, config.root)
    message = f"seed changed since import; {content} left alone (use: python build.py import --force {rel})"
    return Problem(rel, 1, message, is_warning=True)


def seed_text_digest(text: str) -> str:
    """The SHA-256 (hex) of a seed's text (decode_seed's) as UTF-8 with LF line ends and no byte-order mark,
    recorded as its article's seed_sha256: the file's own SHA-256 when it is saved so (as most are), and one
    digest for the same text saved with a BOM, CRLF or CR line ends, or as UTF-16, so that an archive exported
    again by another program is taken neither for changed seeds nor for new ones."""
    return hashlib.sha256(with_lf_ends(text).encode("utf-8")).hexdigest()


def with_lf_ends(text: str) -> str:
    """text without a leading byte-order mark and with every CRLF or CR line end an LF."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


# The usual ways a text is saved: its line ends, and UTF-8 with or without a byte-order mark or UTF-16 with one
# (as decode_seed reads them).
LINE_ENDS = ("\n", "\r\n", "\r")
SAVED_ENCODINGS = ((b"", "utf-8"), (b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))


def saved_digests(text: str) -> tuple[str, ...]:
    """The SHA-256 (hex) of text saved each usual way (LINE_ENDS by SAVED_ENCODINGS, twelve files): an article
    imported by an earlier version records its seed file's own digest, so that the same text saved another way
    since (a CRLF seed saved again with LF ends) is found by one of these."""
    lines = with_lf_ends(text)
    return tuple(hashlib.sha256(mark + lines.replace("\n", end).encode(encoding)).hexdigest()
                 for end in LINE_ENDS for mark, encoding in SAVED_ENCODINGS)


def decode_seed(data: bytes) -> str:
    """Decode seed bytes as UTF-8 (or UTF-16 with a BOM, as Windows Notepad saves "Unicode"); SeedError at the
    line of the first byte that cannot be decoded, or of a NUL (UTF-16 without a BOM)."""
    advice = "save the seed as UTF-8"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError as error:
            line = data[: error.start].decode("utf-16", errors="replace").count("\n") + 1
            raise SeedError(line, f"not UTF-16 text after its byte-order mark (at byte {error.start}); {advice}") from None
        nul = text.find("\0")
        if nul >= 0:
            raise SeedError(text.count("\n", 0, nul) + 1, f"a NUL character, which text never holds; {advice}")
        return text
    try:
        return inputs.decode_text(data, advice)
    except inputs.InputError as error:
        raise SeedError(error.line, error.message) from None


def resolve_forced(config: Config, force: Iterable[Path]) -> set[Path]:
    """Resolve --force paths, read relative to the site root when they exist there, else to the cwd."""
    resolved = set()
    for path in force:
        under_root = config.root / path
        resolved.add(inputs.resolve(under_root) if not path.is_absolute() and under_root.exists()
                     else inputs.resolve(path))
    return resolved


def write_new_article(config: Config, seed: Seed, tags: Sequence[str], sha: str, taken: set[str],
                      first: tuple[str, str] | None = None, staged: Path | None = None) -> Path:
    """Write a new article under a slug unique in its language; never overwrite an existing file. first, when
    given, is the first-choice slug (title_slug's) and the file's text under it, made already by prepare_seed;
    staged, when given, is a file holding that text, linked rather than written again."""
    base = first[0] if first else title_slug(seed.title, config.slug_style, sha)
    folder = config.content_dir / seed.lang
    if seed.date is not None:
        folder = folder / f"{seed.date.year:04d}"
    folder.mkdir(parents=True, exist_ok=True)
    for number in range(1, 10_000):
        slug = base if number == 1 else f"{base}-{number}"
        if slug in taken:
            continue
        path = folder / f"{slug}.md"
        try:
            text = first[1] if number == 1 and first else render_markdown(seed, slug, tags, sha)
            create_whole(path, text, staged if number == 1 else None)
        except FileExistsError:
            continue
        taken.add(slug)
        return path
    raise RuntimeError(f"no free slug for {seed.name}")  # ten thousand namesakes: not a real site


def title_slug(title: str, style: str, digest: str) -> str:
    """The slug an article's title gives (make_slug in the site's slug style), or "article-<first 8 characters
    of digest>" when the title has no letter or digit to make one from ("؟؟؟", emoji). Shared by import (digest:
    the seed's SHA-256) and `new` (the title's), so both accept every title and name it alike."""
    return make_slug(title, style) or f"article-{digest[:8]}"


def create_whole(path: Path, text: str, staged: Path | None = None) -> None:
    """Create path holding text, all or nothing. FileExistsError when path exists (never replaced); any other
    OSError names path. A half-written article would break every later build and push its seed to a "-2" slug,
    so the text goes to a hidden temporary beside it first, then gets its name by a hard link, which, like
    open("x"), fails rather than replace a file someone made meanwhile. staged, when given, is a complete file
    holding text already (stage_text's), linked as it is when it can be."""
    if staged is not None:
        try:
            os.link(staged, path)
            return
        except FileExistsError:
            raise
        except OSError:
            pass  # no hard links here, or the staged file is gone: write the text as below
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        temporary.write_text(text, encoding="utf-8", newline="\n")
        try:
            os.link(temporary, path)
        except OSError as error:
            if error.errno not in (errno.EPERM, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.EMLINK):
                raise
            # A file system without hard links (FAT, some network shares): exclusive create, as before.
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
    except FileExistsError:
        raise
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(path)) from None
    finally:
        temporary.unlink(missing_ok=True)


def reimport(existing: ExistingArticle, text: str) -> Path:
    """Back up the old content file (.bak, .bak.1, ...) then replace it atomically with text."""
    backup = backup_path(existing.path)
    with backup.open("xb") as handle:
        handle.write(existing.path.read_bytes())
    temporary = existing.path.with_name(f".{existing.path.name}.tmp")
    temporary.write_text(text, encoding="utf-8", newline="\n")
    os.replace(temporary, existing.path)
    return backup


def backup_path(path: Path) -> Path:
    """The first free backup name for path: x.md.bak, then x.md.bak.1, x.md.bak.2, ..."""
    candidate = path.with_name(f"{path.name}.bak")
    number = 0
    while candidate.exists():
        number += 1
        candidate = path.with_name(f"{path.name}.bak.{number}")
    return candidate


def index_content(config: Config) -> ContentIndex:
    """Scan content/**/*.md once for imported seeds and taken slugs; unreadable files are skipped."""
    by_seed: dict[str, ExistingArticle] = {}
    by_sha: dict[str, tuple[str, Path]] = {}
    slugs: dict[str, set[str]] = {}
    root = config.content_dir
    paths = sorted(root.rglob("*.md")) if root.is_dir() else []
    for path, (slug, seed, sha) in import_index_of(config.root, paths, read_import_fields, index_key()).items():
        parts = path.relative_to(root).parts
        lang = parts[0] if len(parts) > 1 else ""
        slug = slug if slug is not None else path.stem
        slugs.setdefault(lang, set()).add(slug)
        if seed is not None and seed not in by_seed:
            by_seed[seed] = ExistingArticle(path, slug, sha or "")
            if sha is not None:
                by_sha.setdefault(sha, (seed, path))
    return ContentIndex(by_seed=by_seed, slugs={lang: frozenset(taken) for lang, taken in slugs.items()},
                        by_sha=by_sha)


def index_key() -> bytes:
    """What decides what read_import_fields reads of a file: the import's code, the front matter reader's and
    PyYAML's version (import_record.import_index_of keeps its index under it)."""
    digest = hashlib.sha256(library_version("PyYAML").encode())
    for code in (*IMPORT_CODE, Path(__file__).with_name("content.py")):
        digest.update(code.read_bytes())
    return digest.digest()


def read_import_fields(path: Path) -> tuple[str | None, str | None, str | None] | None:
    """A content file's front matter slug, seed and seed_sha256, each None when not a string; the seed from its
    seed: line when the front matter cannot be read (read_seed_line); None when the file cannot be read at all
    (the index then does not record it: a passing read error must not stand for "no seed")."""
    meta = read_front_matter(path) or read_seed_line(path)
    if meta is None:
        return None
    return tuple(value if isinstance(value, str) else None  # type: ignore[return-value]
                 for value in (meta.get("slug"), meta.get("seed"), meta.get("seed_sha256")))


SEED_LINE = re.compile(r"^seed:\s*['\"]?([^'\"\s]+)", re.MULTILINE)


def read_seed_line(path: Path) -> dict[str, Any] | None:
    """The seed name of a content file whose front matter is broken: such a file is still that seed's
    article (the loader reports the YAML error); importing the seed again would duplicate it. None when the
    file cannot be read."""
    try:
        found = SEED_LINE.search(inputs.read_bytes(path).decode("utf-8", errors="replace"))
    except inputs.InputError:
        return None
    return {"seed": found.group(1), "slug": path.stem} if found else {}
