"""The benchmark corpus generator: deterministic, valid, and shaped as the benchmark promises.

Not a timed test: bench/run.py measures speed; this only checks that what it measures is right.
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import pytest

from generator.content import parse_front_matter
from tests.conftest import REPO, run_cli

ARTICLES = 30


def load_make_corpus():
    spec = importlib.util.spec_from_file_location("bench_make_corpus", REPO / "bench" / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.make_corpus


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file the generator wrote (not a build's output/ or cache), by relative path."""
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*"))
            if path.is_file() and path.relative_to(root).parts[0] not in ("output", ".warraq-cache")}


def articles(root: Path, lang: str) -> dict[str, tuple[dict, str]]:
    """slug -> (front matter, body) of every article in one language."""
    found = {}
    for path in sorted((root / "content" / lang).rglob("*.md")):
        meta, body = parse_front_matter(path.read_text(encoding="utf-8"))
        assert path.parent.name == str(meta["date"])[:4], path
        assert path.stem == meta["slug"], path
        found[meta["slug"]] = (meta, body)
    return found


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("bench") / "corpus"
    load_make_corpus()(ARTICLES, root, seed=1)
    return root


def test_same_seed_writes_same_bytes(corpus: Path, tmp_path: Path) -> None:
    make_corpus = load_make_corpus()
    again = tmp_path / "again"
    make_corpus(ARTICLES, again, seed=1)
    assert snapshot(again) == snapshot(corpus)
    other = tmp_path / "other"
    make_corpus(ARTICLES, other, seed=2)
    assert snapshot(other) != snapshot(corpus)


def test_project_layout(corpus: Path) -> None:
    assert (corpus / "site.toml").read_bytes() == (REPO / "site.toml").read_bytes()
    assert (corpus / "themes" / "default" / "templates" / "article.html").is_file()
    assert (corpus / "seeds").is_dir() and not any((corpus / "seeds").iterdir())


def test_thirty_percent_translated_with_matching_keys(corpus: Path) -> None:
    arabic, english = articles(corpus, "ar"), articles(corpus, "en")
    assert len(arabic) == ARTICLES
    assert len(english) == round(ARTICLES * 0.3)
    keys = {meta["translation_key"] for meta, _ in arabic.values()}
    assert len(keys) == ARTICLES
    for slug, (meta, _) in english.items():
        original = arabic[slug][0]
        assert meta["translation_key"] == original["translation_key"]
        assert meta["lang"] == "en" and original["lang"] == "ar"
        assert meta["date"] == original["date"]


def test_front_matter_and_bodies(corpus: Path) -> None:
    import tomllib

    vocabulary = tomllib.loads((REPO / "site.toml").read_text(encoding="utf-8"))["tags"]
    for lang in ("ar", "en"):
        names = {tag[lang] for tag in vocabulary}
        for slug, (meta, body) in articles(corpus, lang).items():
            assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)
            assert meta["lang"] == lang and meta["title"] and meta["author"] and meta["summary"]
            assert 2005 <= int(str(meta["date"])[:4]) <= 2024
            assert isinstance(meta["views"], int)
            assert 1 <= len(meta["tags"]) <= 4 and set(meta["tags"]) <= names
            assert 2 <= len(re.findall(r"^## \S", body, re.M)) <= 4, slug
            assert re.search(r"^(- |1\. )\S", body, re.M), slug
            assert re.search(r"\[[^\]]+\]\(https://example\.org/[^)]+\)", body), slug
            assert body.count("\n\n") >= 5, slug
            assert 900 <= len(body.split()) <= 1400, (slug, len(body.split()))
            if lang == "ar":
                assert re.search("[\u0621-\u064a]{3}", body)


def test_corpus_builds_strictly(corpus: Path) -> None:
    result = run_cli("--root", str(corpus), "--strict")
    assert result.code == 0, result.err
    assert (corpus / "output" / "ar" / "index.html").is_file()


def load_bench_run():
    import sys

    spec = importlib.util.spec_from_file_location("bench_run", REPO / "bench" / "run.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


# Every per-size row the benchmark must print, in order: issue 14's targets, then the Hugo ratios.
TARGET_LABELS = (
    "cold build", "no-change rebuild", "one-article rebuild", "one-tag-added ÷ one-article",
    "one-translation-added ÷ one-article", "one-article-deleted ÷ one-article",
    "serve save → reload of its page, median",
    "whole-build memory (tree)",
)
HUGO_LABELS = ("Warraq ÷ Hugo, cold build", "Warraq ÷ Hugo, one edit")
WARRAQ_COLUMNS = ("pages", "cold s", "no-change s", "one-article s", "one-template s", "tag added s",
                  "translation added s", "article deleted s", "serve reload ms", "serve rebuilt ms", "peak MiB",
                  "tree MiB", "cold CPU s", "load", "search index s")
HUGO_COLUMNS = ("Hugo cold s", "Hugo one-edit s", "Hugo peak MiB", "W÷H cold", "W÷H one-edit")


def cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def test_the_quick_benchmark_measures_and_judges_every_target(tmp_path: Path) -> None:
    # The figures are the benchmark's business; this checks that the command still measures all of them, prints
    # every target with its bound and verdict, and makes the edits it says it makes.
    import shutil
    import subprocess
    import sys

    done = subprocess.run([sys.executable, str(REPO / "bench" / "run.py"), "--quick", "--keep", str(tmp_path)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert "(run without PYTHONDONTWRITEBYTECODE)" in lines[0]
    hugo = shutil.which("hugo")
    if hugo:
        assert lines[1].startswith("Hugo: hugo v"), lines[1]
    else:
        assert lines[1] == "Hugo: hugo not found, so no Warraq ÷ Hugo ratios (Debian: apt-get install hugo).", lines[1]

    # The summary table: one row for the size, a positive number in every Warraq column, Hugo's when it ran.
    summary = lines[lines.index("### All sizes"):]
    header = cells(summary[2])
    assert header == ["N", *WARRAQ_COLUMNS, *HUGO_COLUMNS]
    row = dict(zip(header, cells(next(line for line in summary if line.startswith("| 30 |")))))
    for column in WARRAQ_COLUMNS:
        assert float(row[column].replace(",", "")) > 0, (column, row)
    for column in HUGO_COLUMNS:
        assert (float(row[column]) > 0) if hugo else row[column] == "—", (column, row)

    # The size's targets, in order, each with a bound and PASS or MISS; the targets across sizes at the end.
    rows = [cells(line) for line in lines
            if line.startswith("| 30 | ") and not cells(line)[1].replace(",", "").isdigit()]  # not the size's table
    labels = [row[1] for row in rows]
    assert labels == list(TARGET_LABELS + (HUGO_LABELS if hugo else ())), labels
    for row in rows[:len(TARGET_LABELS)]:
        assert row[3].startswith(("≤ ", "< ")) and row[4] in ("PASS", "MISS"), row
    assert rows[2][3] == "≤ 0.5 s (set for 5,000)"
    for row in rows[:3]:  # seconds of the builds, with their CPU seconds (steadier on a busy machine)
        assert re.fullmatch(r"\d+\.\d\d s \(\d+\.\d\d s CPU\)", row[2]), row
    assert rows[3][3] == "≤ 2×" and re.fullmatch(r"\d+\.\d\d× \(\d+\.\d\d s vs \d+\.\d\d s\)", rows[3][2])
    for row in rows[len(TARGET_LABELS):]:
        assert re.match(r"\d+\.\d\d× \(Hugo", row[2]) and row[3:] == ["no target", "—"], row
    # Where the cold build's and the one-article rebuild's time went, as each printed it under -v.
    for kind in ("Cold build", "One-article rebuild"):
        [stages] = [line for line in lines if line.startswith(f"{kind}, stages: ")]
        names = re.findall(r"([a-z ]+) \d+\.\d\d s", stages.removeprefix(f"{kind}, stages: "))
        assert [name.strip() for name in names][:3] == ["start", "survey", "read"], stages
    imported = cells(next(line for line in lines if line.startswith("| 40 seeds |")))
    assert imported[1:4] == ["import of seeds, median", imported[2], "≤ 2.5 s for 2,000 seeds"]
    assert imported[4] in ("PASS", "MISS")
    assert next(line for line in lines if "one-article rebuild, largest size ÷ smallest" in line) == (
        "| — | one-article rebuild, largest size ÷ smallest | not measured: needs two sizes "
        "| ≤ 1.5× (set for 20,000 ÷ 1,000) | — |")

    # The edits went to the corpus's copy (never to the repository's theme), as the benchmark describes them.
    corpus = tmp_path / "n30"
    assert "bench: one-template" in (corpus / "themes/default/templates/article.html").read_text(encoding="utf-8")
    assert "bench: one-template" not in (REPO / "themes/default/templates/article.html").read_text(encoding="utf-8")
    fresh = tmp_path / "fresh"
    load_make_corpus()(30, fresh, seed=1)
    before, after = snapshot_content(fresh), snapshot_content(corpus)
    deleted, added = set(before) - set(after), set(after) - set(before)
    changed = sorted(path for path in set(before) & set(after) if before[path] != after[path])
    assert len(deleted) == 1 and deleted.pop().startswith("content/ar/")
    (added_path,) = added
    translation, _ = parse_front_matter(after[added_path])
    original, _ = parse_front_matter(after[added_path.replace("content/en/", "content/ar/")])
    assert translation["lang"] == "en" and translation["translation_key"] == original["translation_key"]
    assert str(translation["date"]) == str(original["date"])
    assert len(changed) == 2  # the edited article (one sentence per CLI edit and per serve save) and the tagged one
    edited = [path for path in changed if after[path].startswith(before[path])]
    assert len(edited) == 1 and after[edited[0]].count("\nجملة أضيفت") == 1 + 3
    (tagged,) = set(changed) - set(edited)
    assert len(parse_front_matter(after[tagged])[0]["tags"]) == len(parse_front_matter(before[tagged])[0]["tags"]) + 1

    # The bare-pipeline floor runs on the corpus the benchmark kept, one output file per article.
    bare = subprocess.run([sys.executable, str(REPO / "bench" / "bare.py"), str(corpus)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert bare.returncode == 0, bare.stderr
    articles = len(list((corpus / "content").rglob("*.md")))
    assert bare.stdout.startswith(f"bare pipeline: {articles} articles, ")


def snapshot_content(root: Path) -> dict[str, str]:
    return {path.relative_to(root).as_posix(): path.read_text(encoding="utf-8")
            for path in sorted((root / "content").rglob("*.md"))}


def test_targets_apply_the_bound_of_the_nearest_size_set() -> None:
    run = load_bench_run()
    article = next(target for target in run.TARGETS if target.key == "article")
    assert [run.bound_for(article, n) for n in (300, 5000, 5001, 20000, 50000)] == [
        (5000, 0.5), (5000, 0.5), (20000, 0.7), (20000, 0.7), (20000, 0.7)]
    memory = next(target for target in run.TARGETS if target.key == "tree_mib")
    assert run.verdict(499.9, 500, memory.strict) == "PASS" and run.verdict(500, 500, memory.strict) == "MISS"
    assert run.verdict(0.5, 0.5) == "PASS" and run.verdict(0.51, 0.5) == "MISS"


def test_scaling_row_compares_the_largest_size_with_the_smallest() -> None:
    run = load_bench_run()
    rows = {20000: {"article": 0.9}, 1000: {"article": 0.5}, 5000: {"article": 0.6}}
    assert run.scaling_row(rows) == ("| 20,000 ÷ 1,000 | one-article rebuild, largest size ÷ smallest "
                                     "| 1.80× (0.90 s vs 0.50 s) | ≤ 1.5× (set for 20,000 ÷ 1,000) | MISS |")


def test_without_hugo_one_line_says_so() -> None:
    run = load_bench_run()
    assert run.describe_hugo("/nonexistent/hugo") == (
        None, "Hugo: /nonexistent/hugo not found, so no Warraq ÷ Hugo ratios (Debian: apt-get install hugo).")


def test_builds_run_without_pythondontwritebytecode(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTHONDONTWRITEBYTECODE", "1")
    run = load_bench_run()
    assert "PYTHONDONTWRITEBYTECODE" not in run.build_environment()
    assert run.build_environment()["PATH"] == __import__("os").environ["PATH"]
