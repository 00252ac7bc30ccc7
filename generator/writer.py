"""Write the site so that a failed build never leaves output/ half-written, and unchanged files stay as they are.

Every file is staged first, beside output/, and nothing in output/ changes until the whole build has
succeeded. Then one of two ways:

- a first build (no output/ yet): the staging folder holds the whole site and is renamed into place;
- a rebuild: the staging folder holds only the files whose bytes changed; each is renamed over its old
  file (atomic per file) and files the site no longer has are removed. Unchanged files are never touched,
  so their modification times survive; a rebuild after a one-article edit moves a few dozen files instead
  of re-linking and deleting the whole tree.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Collection, Sequence

from generator.theme import RenderedPage
from generator.urls import output_path

# (relative path, size, mtime_ns, inode) of a file in output/.
FileState = tuple[str, int, int, int]


@dataclass(frozen=True)
class WriteReport:
    """How many files the build wrote anew and how many it kept unchanged from the last build."""

    written: int
    unchanged: int


@dataclass(frozen=True)
class Staging:
    """Where a build's files are staged, and the output/ they will update (in place) or replace (whole).
    Pages may be staged from several processes at once: each writes its own files."""

    folder: Path
    output: Path
    in_place: bool

    @property
    def previous(self) -> Path:
        return self.output.with_name(f".{self.output.name}.previous")


def write_site(pages: Sequence[RenderedPage], static_dirs: Sequence[Path], output: Path) -> WriteReport:
    """Stage every page and static file beside output/, then update or replace output/ with them."""
    names = [output_name(page.url) for page in pages]  # refuses a page outside output/ up front
    staging = start_staging(output)
    static = stage_static(staging, static_dirs)
    kept = [stage_named(staging, name, page.content) for name, page in zip(names, pages)]
    wanted = set(names) | static_names(static_dirs)
    finish_staging(staging, wanted)
    unchanged = sum(kept) + sum(static)
    return WriteReport(written=len(kept) + len(static) - unchanged, unchanged=unchanged)


def start_staging(output: Path) -> Staging:
    """An empty staging folder beside output/ (a failed build's leftovers are removed first)."""
    folder = output.with_name(f".{output.name}.staging")
    staging = Staging(folder, output, in_place=output.is_dir())
    for leftover in (staging.folder, staging.previous):
        if leftover.exists():
            shutil.rmtree(leftover)
    staging.folder.mkdir(parents=True)
    return staging


def output_name(url: str) -> str:
    """A page's file relative to output/ ("ar/" -> "ar/index.html"), as urls.output_path places it (and
    refusing, as it does, any URL that would leave output/); plain string work for the common clean URL."""
    if url.startswith("/") or "\\" in url or "//" in url or any(part in (".", "..") for part in url.split("/")):
        return output_path(Path("/"), url).relative_to("/").as_posix()
    return url + "index.html" if url == "" or url.endswith("/") else url


def stage_page(staging: Staging, url: str, content: bytes) -> bool:
    """Stage one page's bytes; True when the previous build's identical file is kept instead."""
    return stage_named(staging, output_name(url), content)


def stage_file(staging: Staging, target: Path, content: bytes) -> bool:
    """Stage bytes at target (inside the staging folder); True when the previous build's file is kept."""
    return stage_named(staging, target.relative_to(staging.folder).as_posix(), content)


def stage_named(staging: Staging, name: str, content: bytes) -> bool:
    """Stage bytes as output/<name>; True when the previous build's identical file is kept instead."""
    old = os.path.join(staging.output, name)
    try:
        same = os.stat(old).st_size == len(content) and read_bytes(old) == content
    except OSError:
        same = False
    if same and keep(staging, name):
        return True
    target = os.path.join(staging.folder, name)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as file:
        file.write(content)
    return False


def stage_if_same(staging: Staging, name: str, sha256: bytes, trusted: bool = False) -> bool:
    """Keep the previous build's output/<name> when its bytes hash to sha256 (the page's known bytes), or
    without reading it when trusted (the caller knows the file is as the last build left it).
    False, staging nothing, when it differs or is missing."""
    if trusted and staging.in_place:
        return True  # the caller has just seen the file, as the last build left it: it stays where it is
    try:
        if not trusted and hashlib.sha256(read_bytes(os.path.join(staging.output, name))).digest() != sha256:
            return False
    except OSError:
        return False
    return keep(staging, name)


def read_bytes(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read()


def keep(staging: Staging, name: str) -> bool:
    """Keep the previous build's file: in place it just stays; a whole new tree hard-links it, so that its
    modification time survives either way. False when that cannot be done."""
    old = os.path.join(staging.output, name)
    if staging.in_place:
        return os.path.isfile(old)
    target = os.path.join(staging.folder, name)
    try:
        os.makedirs(os.path.dirname(target), exist_ok=True)
        os.link(old, target)
        return True
    except OSError:
        return False


def stage_static(staging: Staging, static_dirs: Sequence[Path]) -> list[bool]:
    """Stage the themes' static files and .nojekyll; for each, whether the previous file was kept."""
    files: dict[Path, Path] = {}
    # Parents first, so a child theme's file replaces its parent's.
    for directory in reversed(static_dirs):
        for source in sorted(p for p in directory.rglob("*") if p.is_file()):
            files[staging.folder / "static" / source.relative_to(directory)] = source
    kept = [stage_file(staging, target, source.read_bytes()) for target, source in sorted(files.items())]
    kept.append(stage_file(staging, staging.folder / ".nojekyll", b""))
    return kept


def static_names(static_dirs: Sequence[Path]) -> set[str]:
    """The output paths of the static files and .nojekyll, relative to output/."""
    names = {".nojekyll"}
    for directory in static_dirs:
        names |= {f"static/{p.relative_to(directory).as_posix()}" for p in directory.rglob("*") if p.is_file()}
    return names


def finish_staging(staging: Staging, wanted: Collection[str]) -> tuple[FileState, ...]:
    """Bring output/ to the staged site: wanted names every file (relative to output/) the site has.
    Returns every file then in output/ with its size, modification time and inode."""
    if staging.in_place:
        apply_changes(staging)
        files = list_files(staging.output)
        stale = [name for name, *_ in files if name not in wanted]
        for name in stale:
            (staging.output / name).unlink()
        remove_empty_folders(staging.output, stale)
        shutil.rmtree(staging.folder)
        return tuple(state for state in files if state[0] in wanted)
    swap_in(staging.folder, staging.output, staging.previous)
    return list_files(staging.output)


def abandon_staging(staging: Staging) -> None:
    """Remove a staging folder whose build failed; output/ stays exactly as it was."""
    shutil.rmtree(staging.folder, ignore_errors=True)


def apply_changes(staging: Staging) -> None:
    """Rename every staged file over its old one in output/."""
    for name, *_ in list_files(staging.folder):
        target = staging.output / name
        make_room(staging.output, target)
        os.replace(staging.folder / name, target)


def make_room(output: Path, target: Path) -> None:
    """Clear the way for a file at target: a folder where it goes, or a file where one of its folders goes."""
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    for parent in reversed(target.relative_to(output).parents[:-1]):
        folder = output / parent
        if folder.exists() and not folder.is_dir():
            folder.unlink()
    target.parent.mkdir(parents=True, exist_ok=True)


def remove_empty_folders(output: Path, removed: Sequence[str]) -> None:
    """Remove the folders that removing files left empty, deepest first."""
    folders = {output / parent for name in removed for parent in Path(name).parents if parent != Path(".")}
    for folder in sorted(folders, key=lambda path: len(path.parts), reverse=True):
        try:
            folder.rmdir()
        except OSError:
            pass  # not empty


def list_files(folder: Path) -> tuple[FileState, ...]:
    """Every file under folder with its size, modification time and inode, by path relative to folder."""
    found: list[FileState] = []
    pending = [(folder, "")]
    while pending:
        directory, prefix = pending.pop()
        try:
            entries = list(os.scandir(directory))
        except OSError:
            continue
        for entry in entries:
            name = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                pending.append((Path(entry.path), name + "/"))
            else:
                stat = entry.stat(follow_symlinks=False)
                found.append((name, stat.st_size, stat.st_mtime_ns, stat.st_ino))
    return tuple(sorted(found))


def swap_in(staging: Path, output: Path, previous: Path) -> None:
    """Replace output/ with staging: rename the old one aside, rename the new one in, delete the old."""
    if output.exists():
        output.rename(previous)
    staging.rename(output)
    if previous.exists():
        shutil.rmtree(previous)
