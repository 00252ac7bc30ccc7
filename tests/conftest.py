"""Shared fixtures: a tiny site written into tmp_path, and a runner for the command line."""

from __future__ import annotations

import datetime
import io
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest

from generator import unchanged
from generator.cli import main

REPO = Path(__file__).resolve().parent.parent


@dataclass(frozen=True)
class Run:
    """One command-line run: exit code and what it printed."""

    code: int
    out: str
    err: str


def run_cli(*args: str) -> Run:
    """Run `python build.py ARGS` in-process and capture its output."""
    out, err = io.StringIO(), io.StringIO()
    code = main(list(args), out=out, err=err)
    return Run(code, out.getvalue(), err.getvalue())


ARTICLE = """---
title: {title}
slug: {slug}
date: {date}
author: المرصد
tags: [{tags}]
---
{body}
"""


@dataclass(frozen=True)
class SiteDir:
    """A throwaway project folder with the real theme and configuration."""

    root: Path

    def write(self, relative: str, text: str) -> Path:
        """Write a file under the project, creating folders."""
        path = self.root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def article(self, lang: str, slug: str, title: str = "عنوان", date: str = "2017-09-28",
                tags: str = "", body: str = "نص المقال.", extra: str = "") -> Path:
        """Write an article file with valid front matter (extra lines go inside it)."""
        text = ARTICLE.format(title=title, slug=slug, date=date, tags=tags, body=body)
        if extra:
            text = text.replace("\n---\n", f"\n{extra}\n---\n", 1)
        return self.write(f"content/{lang}/{slug}.md", text)

    def build(self, *args: str) -> Run:
        """Run the build on this project."""
        return run_cli("build", "--root", str(self.root), *args)

    def read(self, relative: str) -> str:
        return (self.root / "output" / relative).read_text(encoding="utf-8")


def build_twice(site: SiteDir, folder: Path) -> tuple[dict[Path, bytes], dict[Path, bytes]]:
    """Build site and a copy of it (another folder, no shared cache) into folder/one and folder/two; return
    each output's files (relative path -> bytes), for determinism tests."""
    copy = SiteDir(folder / "copy")
    shutil.copytree(site.root, copy.root)
    trees = []
    for project, run in ((site, "one"), (copy, "two")):
        assert project.build("--output", str(folder / run)).code == 0
        trees.append({p.relative_to(folder / run): p.read_bytes() for p in (folder / run).rglob("*") if p.is_file()})
    return trees[0], trees[1]


@pytest.fixture(autouse=True)
def one_date_per_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every in-process build of a test has the date the test started on. The date is part of the build
    fingerprint (it decides which articles are future), so a test running across midnight would see its second
    build do work and fail a no-change assertion for the calendar's sake (CI did, at 00:00 UTC)."""
    today = datetime.date.today()
    monkeypatch.setattr(unchanged, "build_date", lambda: today)


@pytest.fixture
def make_site(tmp_path: Path) -> Callable[..., SiteDir]:
    """Return a factory for a tiny site: real site.toml and theme, no seeds, no content."""

    def make(with_sample_seed: bool = False) -> SiteDir:
        root = tmp_path / "site"
        root.mkdir(exist_ok=True)
        shutil.copy(REPO / "site.toml", root / "site.toml")
        shutil.copytree(REPO / "themes", root / "themes", dirs_exist_ok=True)
        (root / "seeds").mkdir(exist_ok=True)
        (root / "content" / "ar").mkdir(parents=True, exist_ok=True)
        if with_sample_seed:
            for seed in (REPO / "seeds").glob("*.txt"):
                shutil.copy(seed, root / "seeds" / seed.name)
        return SiteDir(root)

    return make


@pytest.fixture(scope="session")
def sample_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped project (site.toml, theme, seeds, content) built once, as a new user would: python build.py."""
    root = tmp_path_factory.mktemp("sample") / "site"
    root.mkdir()
    for name in ("site.toml",):
        shutil.copy(REPO / name, root / name)
    for folder in ("themes", "seeds", "content"):
        if (REPO / folder).is_dir():
            shutil.copytree(REPO / folder, root / folder)
    result = run_cli("--root", str(root))
    assert result.code == 0, result.err
    return root


@pytest.fixture(scope="module")
def browser():
    """Debian's Chromium driven by Playwright, shared by a test module's browser tests."""
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_ARGS, find_chromium

    executable = find_chromium()
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
