"""Finding content files: the one scan that both the unchanged-build check and the reading rely on."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable

from generator.config import load_config
from generator.scan import scan_content
from tests.conftest import SiteDir


def test_the_scan_finds_markdown_files_in_order_with_their_stat(make_site: Callable[..., SiteDir]) -> None:
    site = make_site()
    site.article("ar", "b")
    site.article("ar", "a")
    site.write("content/en/2017/c.md", "x")
    site.write("content/en/notes.txt", "not an article")
    site.write("content/stray.md", "outside any language folder")
    site.write("content/ar-b/d.md", "x")
    found = scan_content(load_config(site.root))
    # Folder by folder, as paths sort: content/ar/ comes before content/ar-b/ although "/" > "-".
    assert [f.rel for f in found] == ["content/ar/a.md", "content/ar/b.md", "content/ar-b/d.md",
                                      "content/en/2017/c.md", "content/stray.md"]
    assert [f.lang for f in found] == ["ar", "ar", "ar-b", "en", ""]
    stat = os.stat(site.root / "content/ar/a.md")
    assert (found[0].size, found[0].mtime_ns) == (stat.st_size, stat.st_mtime_ns)


def test_the_scan_follows_links_inside_the_project_and_skips_links_that_leave_it(
        make_site: Callable[..., SiteDir], tmp_path: Path) -> None:
    site = make_site()
    outside = tmp_path / "elsewhere"
    (outside / "deep").mkdir(parents=True)
    (outside / "linked.md").write_text("x", encoding="utf-8")
    (outside / "deep" / "hidden.md").write_text("x", encoding="utf-8")
    (site.root / "content/ar").mkdir(parents=True, exist_ok=True)
    (site.root / "content/ar/linked.md").symlink_to(outside / "linked.md")
    (site.root / "content/ar/folder").symlink_to(outside / "deep", target_is_directory=True)
    site.write("drafts/real.md", "x")
    site.write("drafts/more/inner.md", "x")
    (site.root / "content/ar/alias.md").symlink_to(site.root / "drafts/real.md")
    (site.root / "content/ar/more").symlink_to(site.root / "drafts/more", target_is_directory=True)
    found = scan_content(load_config(site.root))
    files = [f for f in found if f.problem is None]
    assert [Path(f.path).name for f in files] == ["alias.md", "inner.md"]
    # Named as every problem about the file names it: by where it really is in the project.
    assert [f.rel for f in files] == ["drafts/real.md", "drafts/more/inner.md"]
    assert [f.lang for f in files] == ["ar", "ar"]
    assert [str(f.problem) for f in found if f.problem] == [
        f"content/ar/folder:1: warning: is a symbolic link to {(outside / 'deep').resolve()}, outside the project; skipped",
        f"content/ar/linked.md:1: warning: is a symbolic link to {(outside / 'linked.md').resolve()}, outside the project; skipped",
    ]
    # A skipped link is never the path the unchanged-build check stats or hashes: its folder is.
    assert {f.path for f in found if f.problem} == {str(site.root / "content/ar")}


def test_the_scan_of_a_missing_content_folder_is_empty(make_site: Callable[..., SiteDir]) -> None:
    site = make_site()
    if (site.root / "content").exists():
        for path in sorted((site.root / "content").rglob("*"), reverse=True):
            path.rmdir() if path.is_dir() else path.unlink()
        (site.root / "content").rmdir()
    assert scan_content(load_config(site.root)) == []
