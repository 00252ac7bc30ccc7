"""Hostile input, generated: random and mutated seeds, front matter and date strings go through the importer
(parse_seed, decode_seed), parse_date and the content reader. Each must either work or raise its documented
error (SeedError, ValueError, a Problem list), never anything else, and never take over a second.

A bounded run is part of the suite. A long run, once in a while:

    WARRAQ_HYPOTHESIS=long python -m pytest tests/test_properties.py -q -p no:randomly -s --hypothesis-show-statistics

(4,000 examples per test, 28,000 in all; WARRAQ_HYPOTHESIS_EXAMPLES=N changes it.)
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

import tempfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from generator import inputs
from generator.arabic import parse_date
from generator.content import parse_article
from generator.errors import Problem
from generator.importer import SeedError, decode_seed, parse_seed

REPO = Path(__file__).resolve().parent.parent
# Hypothesis keeps its notes (failing examples as patches) outside the project, whose tree is shared.
set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "warraq-hypothesis"))
# No example database: the suite must not write into the project, and every run starts from the same seeds.
COMMON = dict(deadline=1000, database=None, derandomize=False,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
settings.register_profile("ci", max_examples=150, **COMMON)
settings.register_profile("long", max_examples=int(os.environ.get("WARRAQ_HYPOTHESIS_EXAMPLES", "4000")), **COMMON)
settings.load_profile(os.environ.get("WARRAQ_HYPOTHESIS", "ci"))


def sample_texts(*folders: Path, pattern: str) -> list[str]:
    """The text of every sample file (undecodable ones read as best as can be: they are material to mutate)."""
    return sorted(path.read_bytes().decode("utf-8", errors="replace")
                  for folder in folders if folder.is_dir() for path in folder.rglob(pattern) if path.is_file())


SEEDS = sample_texts(REPO / "tests" / "data" / "seeds", REPO / "seeds", pattern="*.txt")
ARTICLES = sample_texts(REPO / "content", REPO / "tests" / "data" / "broken", pattern="*.md")
with open(REPO / "tests" / "data" / "dates" / "real_dates.tsv", encoding="utf-8") as table:
    REAL_DATES = sorted(row["text"] for row in csv.DictReader(table, delimiter="\t"))

# Pieces that mean something to one of the readers: seed labels, YAML indicators and YAML 1.1 words,
# date words and digits of both scripts, line ends of every kind, a BOM, a NUL, controls, bidi marks.
TOKENS = [
    "الكاتب:", "التاريخ:", "المشاهدات:", "المصادر:", "للاطلاع على التقرير كاملاً:", "إعداد:", "Author:", "Date:",
    "Views:", "Sources:", "Prepared by:", "---", "...", ": ", "- ", "1- ", "1. ", "• ", "* ", "#", "[", "]", "{", "}",
    "&a ", "*a", "!!timestamp ", "!!str ", "!!binary ", "!foo ", "<<: ", "? ", "|", ">", "'", '"', "\\", "%",
    "yes", "no", "on", "off", "~", "null", "true", "1e9", "0x1F", "012", "1_000", "1:20", ".inf", "-.nan",
    "2017-02-31", "2017-13-01", "2017-09-28", "1439-01-09", "٢٨", "۲۸", "٢٠١٧", "أيلول", "سبتمبر", "محرم", "هـ", "م",
    "الموافق", "غرة", "2017/09/28", "28-09-2017", "\n", "\r\n", "\r", "\t", "\ufeff", "\0", "\x7f", "\u200f",
    "\u202e", "\u0640", "\u064b", "\ud7ff", "𝟘", "9" * 400, "[" * 60, "    " * 30 + "- x",
]
KEYS = ["title", "slug", "lang", "date", "author", "views", "tags", "summary", "report", "sources", "draft",
        "template", "hijri_date", "extra", "translation_key", "seed", "seed_sha256", "colour", "~", "<<", "? a"]
VALUES = ["yes", "no", "on", "Off", "true", "False", "~", "null", "", "1", "-1", "0", "1e3", "0x1F", "012", "1_0",
          "1:20", "2017-09-28", "2017-02-31", "!!timestamp 2017-09-28", "!!timestamp 2017-99-99",
          "2017-09-28 10:00:00", "'yes'", '"a\\nb"', "[a, b]", "[null, no, 3]", "{a: 1}", "{title: t}", "&x v", "*x",
          "*missing", "!!binary aGk=", "!!binary ???", "!foo x", "|\n  block", "- a", "[" * 50 + "]" * 50,
          "9" * 5000, "سوريا", "syria-2017", "Not A Slug", "abc\\n", "١٤٣٩-٠١-٠٩", "٢٨ أيلول ٢٠١٧"]


@st.composite
def mutated(draw: st.DrawFn, samples: list[str]) -> str:
    """A sample with a few random edits: a token or random text inserted, a span deleted or duplicated, a
    character replaced, two lines swapped."""
    text = draw(st.sampled_from(samples))
    for _ in range(draw(st.integers(0, 6))):
        size = len(text)
        edit = draw(st.sampled_from(["token", "text", "delete", "duplicate", "swap", "replace"]))
        at = draw(st.integers(0, size))
        if edit == "token":
            text = text[:at] + draw(st.sampled_from(TOKENS)) + text[at:]
        elif edit == "text":
            text = text[:at] + draw(st.text(max_size=20)) + text[at:]
        elif edit in ("delete", "duplicate"):
            end = draw(st.integers(at, min(size, at + 200)))
            text = text[:at] + text[end:] if edit == "delete" else text[:end] + text[at:end] + text[end:]
        elif edit == "replace" and size:
            at = min(at, size - 1)
            text = text[:at] + draw(st.characters()) + text[at + 1:]
        else:
            lines = text.split("\n")
            first, second = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
            lines[first], lines[second] = lines[second], lines[first]
            text = "\n".join(lines)
    return text


def random_text() -> st.SearchStrategy[str]:
    """Text built from meaningful tokens and arbitrary characters."""
    return st.lists(st.one_of(st.sampled_from(TOKENS), st.text(max_size=12)), max_size=40).map("".join)


@st.composite
def front_matter(draw: st.DrawFn) -> str:
    """A content file: --- and lines of key: value drawn from the schema's keys and YAML's odd values."""
    lines = draw(st.lists(st.tuples(st.sampled_from(KEYS), st.one_of(st.sampled_from(VALUES), st.text(max_size=15))),
                          max_size=14))
    body = draw(st.one_of(st.just("نص."), random_text()))
    return "---\n" + "\n".join(f"{key}: {value}" for key, value in lines) + "\n---\n" + body


def read_content(text: str) -> None:
    """The content reader on one file's text: problems are collected, nothing is raised."""
    problems: list[Problem] = []
    article = parse_article(text, "content/ar/x.md", "ar", problems)
    assert all(isinstance(problem, Problem) and problem.line >= 1 for problem in problems)
    # An article comes back exactly when nothing is wrong with the file.
    assert (article is None) == bool(problems)


def read_seed(text: str) -> None:
    """The importer on one seed's text: a Seed, or SeedError with a line in the file."""
    try:
        parse_seed(text, "x.txt")
    except SeedError as error:
        assert 1 <= error.line <= text.count("\n") + text.count("\r") + 1


@given(mutated(SEEDS))
def test_mutated_seeds_parse_or_raise_seed_error(text):
    read_seed(text)


@given(random_text())
def test_random_text_as_a_seed_parses_or_raises_seed_error(text):
    read_seed(text)


@given(st.data())
def test_mutated_seed_bytes_decode_or_raise_seed_error(data):
    raw = bytearray(data.draw(st.sampled_from(SEEDS), label="seed").encode(
        data.draw(st.sampled_from(["utf-8", "utf-16", "utf-16-le"]), label="encoding")))
    for _ in range(data.draw(st.integers(0, 4), label="flips")):
        if raw:
            raw[data.draw(st.integers(0, len(raw) - 1), label="at")] = data.draw(st.integers(0, 255), label="byte")
    try:
        read_seed(decode_seed(bytes(raw)))
    except SeedError as error:
        assert error.line >= 1


@given(st.one_of(random_text(), mutated(REAL_DATES)))
def test_parse_date_reads_or_raises_value_error(text):
    try:
        parse_date(text)
    except ValueError:
        pass


# Found by the long run of the content test below: a month or day hundreds of digits long once let an
# OverflowError out of parse_date (and so out of the importer).
@pytest.mark.parametrize("text", ["2017-" + "9" * 400 + "-28", "2017-01-" + "9" * 30])
def test_parse_date_refuses_numbers_too_long_for_a_date(text):
    with pytest.raises(ValueError, match="a number in it is too large for a date"):
        parse_date(text)


def test_a_seed_date_too_long_for_a_date_is_a_seed_error():
    with pytest.raises(SeedError, match="a number in it is too large for a date"):
        parse_seed("عنوان الكاتب: س التاريخ: 2017-" + "9" * 30 + "-01\n\nنص المقال هنا.\n", "x.txt")


@given(front_matter())
def test_generated_front_matter_gives_an_article_or_problems(text):
    read_content(text)


@given(mutated(ARTICLES))
def test_mutated_content_files_give_an_article_or_problems(text):
    read_content(text)


@given(st.binary(max_size=300) | st.tuples(st.sampled_from(ARTICLES), st.integers(0, 400)).map(
    lambda sample: sample[0].encode("utf-8")[: sample[1]]))
def test_content_bytes_decode_or_raise_input_error(raw):
    try:
        text = inputs.decode_text(raw)
    except inputs.InputError as error:
        assert error.line >= 1
        return
    read_content(text)


# Names that sort next to each other in awkward ways: a folder beside the file with its name plus ".md", case,
# punctuation that sorts before and after the separator, Arabic letters.
TREE_NAMES = st.sampled_from(["b", "b.md", "b-", "b-.md", "B.md", "a", "a b.md", "ب", "ب.md", "_", "_.md", "z.md"])


@dataclass(frozen=True)
class ScanConfig:
    """What scan_content reads of a Config: the project's root and its content/ folder."""

    root: Path

    @property
    def content_dir(self) -> Path:
        return self.root / "content"


def make_tree(root: Path, paths: list[list[str]]) -> None:
    """content/ under root holding a small file at each path (a name already taken the other way is skipped)."""
    (root / "content").mkdir()
    for parts in paths:
        target = root / "content" / Path(*parts)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            if not target.exists():
                target.write_text("x")
        except (FileExistsError, NotADirectoryError):
            continue  # a name taken by a file where a folder goes, or the other way round


@given(st.lists(st.lists(TREE_NAMES, min_size=1, max_size=4), max_size=12))
def test_the_content_scan_lists_files_in_path_order(paths):
    # The scan walks real folders in path order instead of sorting every path: the two must agree.
    from generator.scan import scan_content

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        make_tree(root, paths)
        found = scan_content(ScanConfig(root))
        assert [item.path for item in found] == sorted((item.path for item in found), key=lambda p: p.split(os.sep))
        assert {item.path for item in found} == {str(p) for p in (root / "content").rglob("*.md") if p.is_file()}


@given(st.lists(st.lists(TREE_NAMES, min_size=1, max_size=4), max_size=12),
       st.sampled_from([None, "linked content", "link", "fifo", "bundle", "big"]))
def test_the_no_change_check_s_plain_walk_agrees_with_the_scan_or_leaves_it_to_the_scan(paths, odd):
    # The no-change check compares a plain content/ by its files' stats, without the scan's entries: where it
    # answers, it must give exactly the scan's (path, size, change time) list, and the entries made from it
    # exactly the scan's entries; anything odd is the scan's.
    from generator.scan import content_from_stats, plain_content_stats, scan_content

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        make_tree(root, paths)
        oddity = root / "content" / "zz"
        if odd == "linked content":  # content/ itself a link to a folder of the project: still plain
            (root / "content").rename(root / "real")
            (root / "content").symlink_to(root / "real")
        elif odd == "link":
            oddity.with_suffix(".md").symlink_to(root / "content")
        elif odd == "fifo":
            os.mkfifo(oddity.with_suffix(".md"))
        elif odd == "bundle":
            oddity.mkdir()
            (oddity / "index.md").write_text("x")
        elif odd == "big":
            oddity.with_suffix(".md").write_bytes(b"x" * (inputs.MAX_TEXT_BYTES + 1))
        plain = plain_content_stats(str(root / "content"))
        found = scan_content(ScanConfig(root))
        if odd in (None, "linked content"):
            assert plain == [(item.path, item.size, item.mtime_ns) for item in found]
            assert content_from_stats(ScanConfig(root), plain) == found
        else:
            assert plain is None
