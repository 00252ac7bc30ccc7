"""Write the site into a staging folder, then swap it in, so a failed build never leaves output/ half-written."""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from generator.theme import RenderedPage
from generator.urls import output_path


@dataclass(frozen=True)
class WriteReport:
    """How many files the build wrote anew and how many it kept unchanged from the last build."""

    written: int
    unchanged: int


def write_site(pages: Sequence[RenderedPage], static_dirs: Sequence[Path], output: Path) -> WriteReport:
    """Stage every page and static file beside output/, then replace output/ in two renames."""
    staging = output.with_name(f".{output.name}.staging")
    previous = output.with_name(f".{output.name}.previous")
    for leftover in (staging, previous):
        if leftover.exists():
            shutil.rmtree(leftover)
    staging.mkdir(parents=True)
    files: dict[Path, bytes] = {}
    # Parents first, so a child theme's file replaces its parent's.
    for directory in reversed(static_dirs):
        for source in sorted(p for p in directory.rglob("*") if p.is_file()):
            files[staging / "static" / source.relative_to(directory)] = source.read_bytes()
    for page in pages:
        files[output_path(staging, page.url)] = page.content
    files[staging / ".nojekyll"] = b""
    written = unchanged = 0
    for target, content in sorted(files.items()):
        if keep_unchanged(output / target.relative_to(staging), target, content):
            unchanged += 1
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(content)
            written += 1
    swap_in(staging, output, previous)
    return WriteReport(written=written, unchanged=unchanged)


def keep_unchanged(old: Path, target: Path, content: bytes) -> bool:
    """Hard-link the previous build's file when its bytes are the same, so its modification time survives."""
    try:
        if old.stat().st_size != len(content) or old.read_bytes() != content:
            return False
        target.parent.mkdir(parents=True, exist_ok=True)
        os.link(old, target)
        return True
    except OSError:
        return False


def swap_in(staging: Path, output: Path, previous: Path) -> None:
    """Replace output/ with staging: rename the old one aside, rename the new one in, delete the old."""
    if output.exists():
        output.rename(previous)
    staging.rename(output)
    if previous.exists():
        shutil.rmtree(previous)
