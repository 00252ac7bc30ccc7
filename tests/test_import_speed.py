"""The fast import is the same import: the compiled term matcher against the original algorithm, libyaml's
emitter against PyYAML's, and an import spread over processes against a serial one."""

from __future__ import annotations

import datetime
import errno
import html
import os
import re
import shutil
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

import tests.test_properties  # noqa: F401  (registers and loads the project's Hypothesis profile)
from generator import importer, parallel
from generator.arabic import compile_terms, find_terms
from generator.arabic import matching, normalise
from generator.arabic.normalise import fold_for_matching
from generator.config import load_config
from tests.conftest import REPO

sys.path.insert(0, str(REPO / "bench"))
from make_seeds import make_seeds  # noqa: E402


# ---------------------------------------------------------------------------
# The matcher: the algorithm as it was before it was compiled, kept as the oracle
# ---------------------------------------------------------------------------

_WORD = re.compile(r"[^\W_]+")
_ARTICLE = "\u0627\u0644"
_CONJUNCTIONS = ("", "\u0648", "\u0641")
_PREPOSITIONS = ("", "\u0628", "\u0643", "\u0644")
_LAM = "\u0644"


def reference_find_terms(text: str, terms: Iterable[str]) -> frozenset[str]:
    """find_terms as it was: each term's pattern derived per call, each token's prefixes expanded."""
    patterns = {term: tuple(strip_article(w) for w in _WORD.findall(fold_for_matching(term))) for term in terms}
    patterns = {term: words for term, words in patterns.items() if words}
    if not patterns:
        return frozenset()
    tokens = _WORD.findall(fold_for_matching(text))
    cores = [strip_article(token) for token in tokens]
    wanted = {words[0] for words in patterns.values()}
    starts: dict[str, list[int]] = {}
    for position, token in enumerate(tokens):
        for key in prefixed_readings(token) & wanted:
            starts.setdefault(key, []).append(position)
    found = set()
    for term, words in patterns.items():
        for position in starts.get(words[0], ()):
            if tuple(cores[position + 1 : position + len(words)]) == words[1:]:
                found.add(term)
                break
    return frozenset(found)


def prefixed_readings(token: str) -> set[str]:
    readings = set()
    for conjunction in _CONJUNCTIONS:
        if not token.startswith(conjunction):
            continue
        after = token[len(conjunction) :]
        for preposition in _PREPOSITIONS:
            if not after.startswith(preposition):
                continue
            stem = after[len(preposition) :]
            if len(stem) < 2:
                continue
            readings.add(strip_article(stem))
            if preposition == _LAM and stem.startswith(_LAM) and len(stem) > 2:
                readings.add(stem[1:])
    return readings


def strip_article(word: str) -> str:
    return word[2:] if word.startswith(_ARTICLE) and len(word) > 3 else word


def vocabulary_words() -> list[str]:
    """Every word of the shipped vocabulary's terms, as written in site.toml."""
    config = load_config(REPO)
    return sorted({word for tag in config.tags for term in (*tag.words, *tag.names.values()) for word in term.split()})


# Words that sit on the rule's edges: bare prefixes and articles, one- and two-letter words, words that start
# with و ب ك ل ف or with ال/لل themselves, hamza and ta marbuta variants, Latin with case folding.
EDGE_WORDS = ["ال", "الا", "الال", "الف", "لل", "للل", "ل", "و", "ب", "ك", "ف", "ا", "لي", "ولد", "بلد", "كتاب",
              "فلسطين", "لبنان", "الله", "لله", "اللغة", "وال", "بال", "أمن", "إيران", "آمال", "مدرسة", "مدرسه",
              "مصطفى", "مصطفي", "ISIS", "isis", "İstanbul", "Straße", "STRASSE", "a", "ab", "7", "٧", "2017"]
WORDS = vocabulary_words() + EDGE_WORDS
PREFIXES = ["", "", "", "و", "ف", "ب", "ك", "ل", "ال", "وال", "فال", "بال", "كال", "لل", "ولل", "فلل", "وب", "فب",
            "وك", "ول", "فل", "ا", "لا"]
MARKS = ["", "", "", "\u064e", "\u0651", "\u0650\u0651", "\u0640", "\u200c", "\u200d", "\u0670", "\u06e1"]
SEPARATORS = [" ", " ", " ", "  ", "\n", "، ", ". ", '"', "«", "»", "-", "_", "/", ":", "(", ")", "\t", "\u00a0"]


@st.composite
def written_word(draw: st.DrawFn) -> str:
    """A vocabulary or edge word with a prefix, and a diacritic, tatweel or joiner somewhere inside."""
    word = draw(st.sampled_from(WORDS))
    if word and draw(st.booleans()):
        at = draw(st.integers(0, len(word)))
        word = word[:at] + draw(st.sampled_from(MARKS)) + word[at:]
    return draw(st.sampled_from(PREFIXES)) + word


@st.composite
def text_of_words(draw: st.DrawFn, low: int, high: int) -> str:
    """Written words and noise joined by spaces, punctuation and line breaks."""
    pieces = draw(st.lists(st.one_of(written_word(), written_word(), st.text(max_size=3)), min_size=low,
                           max_size=high))
    return "".join(piece + draw(st.sampled_from(SEPARATORS)) for piece in pieces)


terms_strategy = st.lists(st.one_of(text_of_words(1, 3), st.sampled_from(WORDS), st.text(max_size=4)), max_size=8)


@given(text=text_of_words(0, 40), terms=terms_strategy)
def test_compiled_matcher_finds_exactly_what_the_original_algorithm_finds(text: str, terms: list[str]) -> None:
    assert compile_terms(terms).find(text) == reference_find_terms(text, terms)
    assert find_terms(text, terms) == reference_find_terms(text, terms)


@given(texts=st.lists(text_of_words(0, 25), min_size=1, max_size=5), terms=terms_strategy)
def test_one_compiled_matcher_serves_many_texts(texts: list[str], terms: list[str]) -> None:
    matcher = compile_terms(terms)
    assert [matcher.find(text) for text in texts] == [reference_find_terms(text, terms) for text in texts]


@given(text=st.one_of(text_of_words(0, 20), st.text()))
def test_words_are_those_the_word_pattern_finds(text: str) -> None:
    folded = fold_for_matching(text)
    assert matching._words(folded) == _WORD.findall(folded)
    assert matching._words(text) == _WORD.findall(text)


def test_words_split_at_underscores_and_punctuation_inside_a_space_separated_piece() -> None:
    assert matching._words("داعش_سوريا «العراق»، x2 a-b") == ["داعش", "سوريا", "العراق", "x2", "a", "b"]
    assert compile_terms(["سوريا"]).find("داعش_سوريا") == {"سوريا"}


def test_the_shipped_vocabulary_on_the_sample_seed_and_prefixed_forms() -> None:
    config = load_config(REPO)
    terms = [term for tag in config.tags for term in (*tag.words, *tag.names.values())]
    sample = (REPO / "seeds" / "000_a58e77fe3571adb0.txt").read_text(encoding="utf-8")
    found = compile_terms(terms).find(sample)
    assert found == reference_find_terms(sample, terms)
    assert {"داعش", "الرقة", "دير الزور", "بوتين", "الموصل"} <= found
    assert compile_terms(["العراق", "دير الزور"]).find("وصلوا للعراق ثم فبالدير الزور") == {"العراق", "دير الزور"}
    assert compile_terms(["و", "", "؟"]).find("و وو ؟") == frozenset()  # one letter never matches, nor no letter
    assert compile_terms(["ال"]).find("وال") == {"ال"} == reference_find_terms("وال", ["ال"])


# ---------------------------------------------------------------------------
# Normalising without str.translate: the same text as the translation tables it replaced
# ---------------------------------------------------------------------------

def reference_normalise_text(text: str) -> str:
    """normalise_text as it was, deleting the invisible characters with str.translate."""
    text = text.translate(normalise._DELETE_INVISIBLE)
    text = normalise._JOINER_RUN.sub(normalise._keep_meaningful_joiners, text)
    text = normalise._LINE_BREAKS.sub("\n", text)
    text = normalise._PRESENTATION_FORMS.sub(normalise._fold_presentation_forms, text)
    return unicodedata.normalize("NFC", text)


def reference_fold_for_matching(text: str) -> str:
    text = reference_normalise_text(text).translate(normalise._DELETE_JOINERS)
    text = normalise.DIACRITICS.sub("", text).translate(normalise._LETTER_FOLDS).lower()
    return re.sub(r"\s+", " ", text).strip()


def reference_split_lines(text: str) -> tuple[importer.Line, ...]:
    """split_lines as it was: every line normalised and cleaned of controls on its own."""
    raw = re.split(r"\r\n|\r|\n", text.removeprefix("\ufeff"))
    return tuple(importer.Line(number, importer.without_controls(reference_normalise_text(line)).strip())
                 for number, line in enumerate(raw, start=1))


# Everything the normalisers act on: invisible marks, joiners between letters and emoji, carriage returns,
# presentation forms, diacritics and tatweel, folded letters, digits, controls, escapes, spaces of every kind.
NORMALISE_PIECES = list("ابتةأإآٱؤئىلوفكم \t\r\n\u200c\u200d\ufeff\u200e\u202b\u2066\u061c\u200b\u2060\ufb50\ufef5"
                        "\ufdf2\ufe8d٠١٩۰۹٫٬aZ_1-\ufe0f\u064b\u0651\u0640\u0670é\u0301\u00a0\u2028\x85\x0b\x0c\x1c\x07\x7f"
                        "\\`*_[]{}&<>|~#+.") + ["😀", "\u200d👩", "e\u0301", "\r\n", "1.", "&amp;", "\\\\"]
normalise_text_strategy = st.lists(st.one_of(st.sampled_from(NORMALISE_PIECES), st.text(max_size=2)),
                                   max_size=30).map("".join)


@given(text=normalise_text_strategy)
def test_normalisers_give_what_the_translation_tables_gave(text: str) -> None:
    assert normalise.normalise_text(text) == reference_normalise_text(text)
    assert normalise.remove_joiners(text) == text.translate(normalise._DELETE_JOINERS)
    assert normalise.to_latin_digits(text) == text.translate(normalise._LATIN_DIGITS)
    assert fold_for_matching(text) == reference_fold_for_matching(text)
    line = text.replace("\n", " ").replace("\r", " ")
    escaped = importer.LINE_START.sub(importer.escape_line_start, line.translate(importer.INLINE_ESCAPES), count=1)
    assert importer.escape_markdown(line) == escaped
    assert importer.unescape_markdown(escaped) == html.unescape(re.sub(r"\\(.)", r"\1", escaped))


@given(text=normalise_text_strategy)
def test_split_lines_checks_the_whole_text_once_and_gives_what_each_line_gave(text: str) -> None:
    assert importer.split_lines(text) == reference_split_lines(text)
    if normalise.is_normalised(text):
        assert all(normalise.normalise_text(line) == line for line in [text, *text.split("\n")])


def test_split_lines_on_clean_and_unclean_seeds() -> None:
    clean = "عنوان الكاتب: أحمد\n\n  فقرة أولى.  \nسطر"
    assert importer.split_lines(clean) == reference_split_lines(clean)
    assert [line.text for line in importer.split_lines(clean)] == ["عنوان الكاتب: أحمد", "", "فقرة أولى.", "سطر"]
    for unclean in (clean + "\u200f", clean + "\x0cx", clean.replace("\n", "\r\n"), "\ufeff" + clean,
                    clean + "e\u0301", clean + "\ufef5"):
        assert importer.split_lines(unclean) == reference_split_lines(unclean)


# ---------------------------------------------------------------------------
# Front matter: libyaml writes the same bytes as PyYAML's Python emitter
# ---------------------------------------------------------------------------

def python_emitter(meta: dict) -> str:
    return yaml.dump(meta, Dumper=yaml.SafeDumper, allow_unicode=True, sort_keys=False, width=importer.YAML_WIDTH)


FRONT_PIECES = ["داعش", "الرقة", "سوريّا", "- ", "-", "# ", "#", ": ", ":", "'", '"', "«", "»", "null", "yes", "No",
                "~", "2017-09-28", "2017-09-28 10:00", "12", "007", "1e3", "0x1f", ".inf", "1_000", "12:30", "&a",
                "*b", "!t", "%", "@", "`", "|", ">", "{", "}", "[", "]", ",", "?", " ", "  ", "...", "---", "\t",
                "\u00a0", "\u200c", "\u200f", "\u2028", "\ufeff", "\x85", "😀", "𝔸", "\\", "\x07", "\ue000", "٢٨"]
front_text = st.lists(st.one_of(st.sampled_from(FRONT_PIECES), st.text(max_size=3)), max_size=12).map("".join)


@st.composite
def front_matter(draw: st.DrawFn) -> dict:
    """Front matter of the shape render_markdown writes, with any text in its strings."""
    maybe = lambda strategy: st.one_of(st.none(), strategy)  # noqa: E731
    report = draw(maybe(st.fixed_dictionaries({"title": maybe(front_text), "prepared_by": maybe(front_text)})))
    return {
        "title": draw(front_text), "slug": draw(front_text), "lang": draw(st.sampled_from(["ar", "en"])),
        "date": draw(maybe(st.dates())), "author": draw(maybe(front_text)),
        "views": draw(maybe(st.integers(0, 10**15))), "tags": draw(st.lists(front_text, max_size=4)),
        "summary": draw(front_text) * draw(st.integers(1, 40)), "report": report,
        "sources": draw(st.lists(front_text, max_size=3)), "translation_key": draw(front_text),
        "seed": draw(front_text), "seed_sha256": "0" * 64,
    }


@given(meta=front_matter())
def test_front_matter_bytes_are_those_of_the_python_emitter(meta: dict) -> None:
    assert importer.dump_front_matter(meta) == python_emitter(meta)


@pytest.mark.parametrize("text", [
    'مداولات دولية حول مرحلة ما بعد سقوط "داعش"', "- قائمة", "# عنوان", "key: value", "'quoted'", "2017-09-28",
    "12", "1,907", "yes", "null", "ب" * 5000 + " " + "ج" * 5000, '\t"' * 50_000, "😀 title", "a\x85b",
    '\t"x ' * 40_000,  # longer than C_EMITTER_MAX_CHARS: libyaml would fold it elsewhere
])
def test_front_matter_examples(text: str) -> None:
    meta = {"title": text, "date": datetime.date(2017, 9, 28), "tags": [text, "داعش"], "sources": [text]}
    assert importer.dump_front_matter(meta) == python_emitter(meta)


# Keys and scalars on the edges of plain style: indicators first, inside and last, resolvable words and numbers,
# keys too long to be simple, every kind of value plain_yaml does and does not write.
PLAIN_PIECES = FRONT_PIECES + ["Straße", "https://example.org/a#b?c=d", "a:b", "x #y", "x#y", "k" * 130, "ا" * 128,
                               "True", "off", "=", "<<", "0o17", "+1", "-", "٫", "\u202a", "\u2029", "\ufffe", "\uffff"]
plain_text = st.lists(st.one_of(st.sampled_from(PLAIN_PIECES), st.text(max_size=2)), max_size=6).map("".join)
plain_keys = st.one_of(st.sampled_from(["title", "tags", "report", "null", "yes", "a b", "x: y", "- k", "1", "k" * 122,
                                        "k" * 123, "ب" * 122, "ب" * 123]), plain_text)
plain_scalars = st.one_of(st.none(), plain_text, plain_text, st.integers(), st.dates(), st.booleans(),
                          st.floats(allow_nan=False), st.datetimes())
plain_trees = st.recursive(st.one_of(plain_scalars, st.lists(plain_scalars, max_size=3)),
                           lambda children: st.one_of(st.dictionaries(plain_keys, children, max_size=4),
                                                      st.lists(children, max_size=2)), max_leaves=10)


@given(meta=st.dictionaries(plain_keys, plain_trees, max_size=6))
def test_front_matter_written_plain_is_what_pyyaml_writes(meta: dict) -> None:
    plain = importer.plain_yaml(meta)
    assert plain is None or plain == python_emitter(meta)
    assert importer.dump_front_matter(meta) == python_emitter(meta)


# Mostly what real front matter holds, so that most examples are written plain, with an indicator now and then.
ordinary_text = st.lists(st.sampled_from(["داعش", "سوريا", "الرَّقّة", "Syria", "ISIS", "2017", "٢٨", "x-y", "(1)", "«قول»",
                                          "https://example.org/a#b", "a:b", "yes", "null", "#", ":", "-", "'", "…", "é",
                                          "\u00a0", "?", "1.5", "~", "&", "*", "!"]), min_size=1, max_size=6).map(" ".join)
ordinary_meta = st.fixed_dictionaries({
    "title": ordinary_text, "slug": st.sampled_from(["daesh-fi-suria", "syria-2017", "a"]),
    "date": st.one_of(st.none(), st.dates()), "views": st.one_of(st.none(), st.integers(-5, 10**15)),
    "tags": st.lists(ordinary_text, max_size=3), "report": st.one_of(st.none(), st.fixed_dictionaries(
        {"title": st.one_of(st.none(), ordinary_text), "prepared_by": st.one_of(st.none(), ordinary_text)})),
    "sources": st.lists(ordinary_text, max_size=3), "seed_sha256": st.text("0123456789abcdef", min_size=64, max_size=64)})


@given(meta=ordinary_meta)
def test_ordinary_front_matter_written_plain_is_what_pyyaml_writes(meta: dict) -> None:
    plain = importer.plain_yaml(meta)
    assert plain is None or plain == python_emitter(meta)
    assert importer.dump_front_matter(meta) == python_emitter(meta)


@pytest.mark.parametrize("text, plain", [
    ("داعش في سوريا", True), ("https://example.org/a#b", True), ("a:b", True), ("x#y", True), ("٢٨", True),
    ("3e4f9a", True), ("Straße", True), ("", False), ("a: b", False), ("a:", False), ("x #y", False), ("- a", False),
    ("-a", False), ("#a", False), ("...", False), (" a", False), ("a ", False), ("yes", False), ("No", False),
    ("~", False), ("12", False), ("1e3", True), ("1.5e+3", False), (".inf", False), ("2017-09-28", False), ("a\tb", False), ("a\u2028b", False),
    ("\ufeffa", False), ("a😀", False), ("ب" * 10_001, False),
])
def test_which_strings_are_written_plain(text: str, plain: bool) -> None:
    assert importer.is_plain(text) is plain
    meta = {"title": text, "tags": [text], "report": {"title": text}}
    assert (importer.plain_yaml(meta) is not None) is plain
    assert importer.dump_front_matter(meta) == python_emitter(meta)


def test_ordinary_front_matter_is_written_without_pyyaml(monkeypatch: pytest.MonkeyPatch) -> None:
    # The sample seed's front matter, as render_markdown makes it, never reaches PyYAML.
    sample = REPO / "seeds" / "000_a58e77fe3571adb0.txt"
    seed = importer.parse_seed(sample.read_text(encoding="utf-8"), sample.name)
    expected = importer.render_markdown(seed, "sample-slug", ("داعش", "سوريا"), "3e4f" * 16)
    monkeypatch.setattr(yaml, "dump", lambda *args, **kwargs: pytest.fail("PyYAML was used"))
    text = importer.render_markdown(seed, "sample-slug", ("داعش", "سوريا"), "3e4f" * 16)
    assert text == expected and text.startswith(f"---\ntitle: {seed.title}\nslug: sample-slug\n")


def test_libyaml_is_present_and_used_for_ordinary_front_matter(monkeypatch: pytest.MonkeyPatch) -> None:
    # PyYAML's wheels ship libyaml; without it imports are about three times slower but write the same bytes.
    assert yaml.__with_libyaml__ and importer.C_DUMPER is yaml.CSafeDumper
    used = []
    real_dump = yaml.dump
    monkeypatch.setattr(yaml, "dump", lambda data, **options: used.append(options["Dumper"]) or real_dump(data, **options))
    importer.dump_front_matter({"title": "عنوان: مهم"})
    importer.dump_front_matter({"title": "عنوان 😀"})
    assert used == [yaml.CSafeDumper, yaml.SafeDumper]


def test_front_matter_without_libyaml_is_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    meta = {"title": "عنوان: مهم", "tags": ["- داعش"], "date": datetime.date(2020, 2, 7)}
    with_c = importer.dump_front_matter(meta)
    monkeypatch.setattr(importer, "C_DUMPER", None)
    assert importer.dump_front_matter(meta) == with_c == python_emitter(meta)


# ---------------------------------------------------------------------------
# An import spread over processes writes what a serial one writes
# ---------------------------------------------------------------------------

def snapshot(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted((root / "content").rglob("*"))
            if path.is_file()}


def relative_report(report: importer.ImportReport, root: Path) -> tuple:
    return ([str(path.relative_to(root)) for path in report.created],
            [str(path.relative_to(root)) for path in report.skipped], list(report.problems))


def seeded_project(root: Path, count: int) -> Path:
    """count generated seeds, plus broken seeds, namesakes and a content file already holding a slug's path."""
    make_seeds(count, root, seed=7)
    seeds = root / "seeds"
    for name in ("bad_date.txt", "no_header.txt", "empty_body.txt", "english.txt"):
        shutil.copy(REPO / "tests" / "data" / "seeds" / name, seeds / f"00050_{name}")
    first = sorted(seeds.glob("00000_*.txt"))[0]
    for copy in ("00060_again.txt", "00061_again.txt"):  # same title, other bytes: -2 and -3 slugs
        (seeds / copy).write_text(first.read_text(encoding="utf-8") + f"\n{copy}\n", encoding="utf-8")
    (seeds / "00070_emoji.txt").write_text("عنوان 😀 الكاتب: أحمد التاريخ: 3 مارس 2018 المشاهدات: 12\n\nنص.\n",
                                           encoding="utf-8")
    (seeds / "00071_undated.txt").write_text("بلا تاريخ الكاتب: أحمد المشاهدات: 12\n\nنص عن سوريا.\n",
                                             encoding="utf-8")
    return root


def test_a_parallel_import_writes_the_same_files_slugs_and_problems_as_a_serial_one(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    serial_root = seeded_project(tmp_path / "serial", 150)
    parallel_root = tmp_path / "parallel"
    shutil.copytree(serial_root, parallel_root)
    seeds = len(list((serial_root / "seeds").iterdir()))
    assert parallel.worker_count(seeds, importer.PARALLEL_MIN_SEEDS) > 1  # this machine really spreads it

    calls: list[int] = []
    real_map = importer.map_parallel
    monkeypatch.setattr(importer, "map_parallel", lambda *args, **kwargs: calls.append(kwargs["min_items"])
                        or real_map(*args, **kwargs))
    threshold = importer.PARALLEL_MIN_SEEDS
    parallel_report = importer.import_seeds(load_config(parallel_root))
    monkeypatch.setattr(importer, "PARALLEL_MIN_SEEDS", 10**9)
    serial_report = importer.import_seeds(load_config(serial_root))

    assert calls == [threshold, 10**9]
    assert relative_report(parallel_report, parallel_root) == relative_report(serial_report, serial_root)
    assert snapshot(parallel_root) == snapshot(serial_root)
    problems = [f"{p.path}:{p.line}" for p in serial_report.problems]
    assert problems == ["seeds/00050_bad_date.txt:3", "seeds/00050_empty_body.txt:2", "seeds/00050_no_header.txt:2",
                        "seeds/00071_undated.txt:1"]
    stems = [path.stem for path in serial_report.created]
    assert f"{stems[0]}-2" in stems and f"{stems[0]}-3" in stems  # the namesakes of the first seed, in seed order


def test_a_second_parallel_import_skips_everything_and_never_touches_an_edited_file(tmp_path: Path) -> None:
    root = seeded_project(tmp_path / "site", 120)
    first = importer.import_seeds(load_config(root))
    edited = first.created[0]
    edited.write_text(edited.read_text(encoding="utf-8") + "\nتعديل المحرر.\n", encoding="utf-8")
    before = snapshot(root)
    (root / "seeds" / "00071_undated.txt").write_text("تغير\n", encoding="utf-8")  # changed after import: left alone
    second = importer.import_seeds(load_config(root))
    assert second.created == ()
    assert len(second.skipped) == len(first.created) - 1
    assert [(p.path, p.line, p.is_warning) for p in second.problems if "seed changed" in p.message] == [
        ("seeds/00071_undated.txt", 1, True)]
    assert snapshot(root) == before


def test_workers_stage_the_files_and_no_staging_folder_is_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = seeded_project(tmp_path / "site", 120)
    staged: list[Path] = []
    real_stage = importer.stage_text
    monkeypatch.setattr(importer, "stage_text", lambda *args: staged.append(real_stage(*args)) or staged[-1])
    monkeypatch.setattr(importer, "PARALLEL_MIN_SEEDS", 10**9)  # in this process, so the calls are seen here
    report = importer.import_seeds(load_config(root))
    assert len(staged) == len(report.created) and None not in staged
    assert all(path.parent.name == f"{importer.STAGING_PREFIX}{os.getpid()}" for path in staged)
    assert sorted(path.name for path in (root / "content").iterdir()) == ["ar", "en"]
    assert all(path.stat().st_nlink == 1 for path in report.created)  # the staged name is gone


def test_without_hard_links_or_a_staging_folder_the_same_files_are_written(tmp_path: Path,
                                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    expected_root = seeded_project(tmp_path / "expected", 20)
    expected = importer.import_seeds(load_config(expected_root))

    no_links = tmp_path / "no-links"
    shutil.copytree(expected_root / "seeds", no_links / "seeds")
    shutil.copy(expected_root / "site.toml", no_links / "site.toml")
    shutil.copytree(expected_root / "themes", no_links / "themes")
    no_staging = tmp_path / "no-staging"
    shutil.copytree(no_links, no_staging)  # no content/ yet: no staging folder either, content/ made as before
    (no_links / "content").mkdir()

    def refuse(*args: object) -> None:
        raise OSError(errno.EPERM, "Operation not permitted")

    with monkeypatch.context() as patch:
        patch.setattr(os, "link", refuse)  # a file system without hard links: FAT, some network shares
        linked = importer.import_seeds(load_config(no_links))
    unstaged = importer.import_seeds(load_config(no_staging))
    for root, report in ((no_links, linked), (no_staging, unstaged)):
        assert relative_report(report, root) == relative_report(expected, expected_root)
        assert snapshot(root) == snapshot(expected_root)
        assert sorted(path.name for path in (root / "content").iterdir()) == ["ar", "en"]


# ---------------------------------------------------------------------------
# The benchmark's seeds and its import line
# ---------------------------------------------------------------------------

def test_generated_seeds_are_deterministic_and_all_import(tmp_path: Path) -> None:
    make_seeds(30, tmp_path / "a", seed=3)
    make_seeds(30, tmp_path / "b", seed=3)
    assert snapshot_seeds(tmp_path / "a") == snapshot_seeds(tmp_path / "b")
    report = importer.import_seeds(load_config(tmp_path / "a"))
    assert len(report.created) == 30 and report.problems == ()
    languages = {path.relative_to(tmp_path / "a" / "content").parts[0] for path in report.created}
    assert languages == {"ar", "en"}
    assert any(yaml.safe_load(path.read_text(encoding="utf-8").split("---\n")[1])["tags"] for path in report.created)


def snapshot_seeds(root: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted((root / "seeds").iterdir())}


def test_the_benchmark_times_the_import_next_to_its_target(tmp_path: Path) -> None:
    import run  # bench/run.py, on the path with make_seeds

    row = run.measure_import(tmp_path / "import", 12, repeat=1)
    assert row["seeds"] == 12 and row["articles"] == 12 and row["median"] > 0 and row["cpu"] > 0
    line = run.format_import(row)
    assert line.startswith("Import of 12 seeds: ") and "target ≤ 2.5 s for 2,000: " in line
