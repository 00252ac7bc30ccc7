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


def test_the_benchmark_command_runs_every_kind_of_build(tmp_path: Path) -> None:
    # The figures are the benchmark's business; this checks that the command still measures all of them.
    import subprocess
    import sys

    done = subprocess.run([sys.executable, str(REPO / "bench" / "run.py"), "--sizes", "12", "--keep", str(tmp_path)],
                          capture_output=True, text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr
    row = next(line for line in done.stdout.splitlines() if line.startswith("| 12 |"))
    cells = [cell.strip() for cell in row.strip("|").split("|")]
    assert len(cells) == 11
    numbers = [float(cell.replace(",", "")) for cell in cells[1:9] + cells[10:]]
    assert all(value > 0 for value in numbers), row
    # The one-template edit went to the corpus's copy of the theme, never to the repository's.
    assert "bench: one-template" in (tmp_path / "n12/themes/default/templates/article.html").read_text(encoding="utf-8")
    assert "bench: one-template" not in (REPO / "themes/default/templates/article.html").read_text(encoding="utf-8")
    # The bare-pipeline floor runs on the corpus the benchmark kept, one output file per article.
    bare = subprocess.run([sys.executable, str(REPO / "bench" / "bare.py"), str(tmp_path / "n12")],
                          capture_output=True, text=True, timeout=300, check=False)
    assert bare.returncode == 0, bare.stderr
    articles = len(list((tmp_path / "n12" / "content").rglob("*.md")))
    assert bare.stdout.startswith(f"bare pipeline: {articles} articles, ")
