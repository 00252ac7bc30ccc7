"""The scan of content/: every Markdown file with its stat, in one pass that both the no-change check and the
reading use. Its own module, apart from the reading (which loads Markdown and YAML), so that a build with
nothing to do lists content/ without loading them."""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

from generator import inputs
from generator.bundles import BUNDLE_FILE
from generator.errors import Problem, relative_path

if TYPE_CHECKING:
    from generator.config import Config


@dataclass(frozen=True)
class ContentFile:
    """A Markdown file under content/: its path, its name as problems give it, the folder right under content/
    it is in ("" for a file directly in content/), its size and modification time. Paths are plain strings:
    making 6,500 Path objects cost a one-article rebuild a tenth of a second. A problem met while scanning
    (a skipped special file or link, an unreadable folder) is an entry too, with `problem` set and, as path
    and stat, the folder it was met in: safe to stat and hash, and its mtime changes when the entry does."""

    path: str
    rel: str
    lang: str
    size: int
    mtime_ns: int
    problem: Problem | None = None


def scan_content(config: Config) -> list[ContentFile]:
    """Every Markdown file under content/, in path order, with its stat: one pass over the folder that both
    the unchanged-build check and the reading use. Special files (FIFO, device, socket) and links that leave
    the project, loop or lead nowhere are never opened: they are entries with a warning; an unreadable folder
    or a file over the size limit is an entry with an error. Linked folders inside the project are followed."""
    root = config.root.resolve()
    root_prefix = str(root).rstrip(os.sep) + os.sep
    # Where a link may lead: the project, and content/ itself when it is a link to elsewhere.
    allowed = tuple({root_prefix, os.path.realpath(config.content_dir).rstrip(os.sep) + os.sep})
    found: list[ContentFile] = []
    seen_folders: set[str] = set()
    # Linked folders are read after every real one, so that a folder reached both ways is named by where it is.
    linked: list[tuple[str, str | None]] = []
    scan_tree(str(config.content_dir), None, config, allowed, root_prefix, seen_folders, found, linked)
    followed = bool(linked)
    while linked:
        scan_tree(*linked.pop(), config, allowed, root_prefix, seen_folders, found, linked)
    # A tree of real folders is walked in path order already (each folder's entries by name, a folder's files
    # where its name falls): only linked folders and problems (an entry named by its folder) need sorting, as
    # Path objects sort. Sorting every path cost a no-change build at 20,000 articles a tenth of a second.
    if followed or any(item.problem for item in found):
        found.sort(key=lambda item: item.path.split(os.sep))
    return found


def plain_content_stats(top: str) -> list[tuple[str, int, int]] | None:
    """(path, size, changed_ns) of every Markdown file under top, in scan_content's order, when content/ is
    plain: real folders and regular Markdown files within the size limit, none a page bundle's index.md.
    None when anything else is there (a link, a special file, a bundle, a folder that cannot be read), for
    scan_content to deal with. The no-change check compares this with its record without making an entry
    per file (at 20,000 articles the entries were a third of the scan)."""
    found: list[tuple[str, int, int]] = []
    try:
        stack = [iter(sorted(os.scandir(top), key=lambda entry: entry.name))]
    except FileNotFoundError:
        return found  # no content/ yet
    except OSError:
        return None
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        try:
            if entry.is_symlink():
                return None
            if entry.is_dir(follow_symlinks=False):
                stack.append(iter(sorted(os.scandir(entry.path), key=lambda entry: entry.name)))
            elif entry.name.endswith(".md"):
                info = entry.stat(follow_symlinks=False)
                if entry.name == BUNDLE_FILE or inputs.is_undecodable(entry.path) or not stat.S_ISREG(info.st_mode) \
                        or info.st_size > inputs.MAX_TEXT_BYTES:
                    return None
                found.append((entry.path, info.st_size, info.st_mtime_ns if info.st_mtime_ns > info.st_ctime_ns
                              else info.st_ctime_ns))
        except OSError:
            return None
    return found


@dataclass(frozen=True)
class ContentWalk:
    """plain_content_stats' answer for the folder top, taken once: a build's import check and its no-change check
    both compare content/'s stats with a record (at 20,000 articles each walk took a tenth of a second)."""

    top: str
    stats: list[tuple[str, int, int]] | None


def content_stats(top: str, walk: ContentWalk | None) -> list[tuple[str, int, int]] | None:
    """plain_content_stats(top), from walk when one was taken of that folder."""
    return walk.stats if walk is not None and walk.top == top else plain_content_stats(top)


def walk_content(top: str) -> ContentWalk:
    """A ContentWalk of top."""
    return ContentWalk(top, plain_content_stats(top))


def content_from_stats(config: Config, stats: list[tuple[str, int, int]]) -> list[ContentFile]:
    """scan_content's entries for a plain content/, made from plain_content_stats' list rather than a second
    walk: no link below content/, so each folder resolves to content/'s own resolved path plus its place."""
    root_prefix = str(config.root.resolve()).rstrip(os.sep) + os.sep
    top = str(config.content_dir)
    resolved_top = os.path.realpath(top)
    found = []
    for path, size, changed_ns in stats:
        rest = path[len(top):]  # os.sep, then the file's place under content/
        resolved = resolved_top + rest
        rel = resolved[len(root_prefix):].replace(os.sep, "/") if resolved.startswith(root_prefix) else path
        # A file directly in content/ has no language folder.
        lang = rest.split(os.sep, 2)[1] if rest.count(os.sep) > 1 else ""
        found.append(ContentFile(path, rel, lang, size, changed_ns))
    return found


def scan_tree(top: str, top_lang: str | None, config: Config, allowed: tuple[str, ...], root_prefix: str,
              seen_folders: set[str], found: list[ContentFile], linked: list[tuple[str, str | None]]) -> None:
    """Append the entries of top and of every real folder under it to found, depth first, each folder's entries
    in name order (a stack, not recursion: a folder may nest deeper than Python's recursion limit); links to
    folders go to linked."""
    stack: list[tuple[Iterator[os.DirEntry[str]], str | None, str | None, str, str]] = []
    open_folder(top, top_lang, config, root_prefix, seen_folders, found, stack)
    while stack:
        entries, lang, prefix, resolved, folder = stack[-1]
        entry = next(entries, None)
        if entry is None:
            stack.pop()
            continue
        sub_lang = entry.name if lang is None else lang
        try:
            if entry.is_symlink():
                scan_link(entry, sub_lang, lang, allowed, root_prefix, config, found, linked)
            elif entry.is_dir(follow_symlinks=False):
                open_folder(entry.path, sub_lang, config, root_prefix, seen_folders, found, stack)
            elif entry.name.endswith(".md"):
                if inputs.is_undecodable(entry.path):
                    found.append(scan_problem(inputs.shown_name(entry.path), lang, config.root, inputs.NAME_NOT_UTF8,
                                              folder=folder))
                    continue
                info = entry.stat(follow_symlinks=False)
                if prefix is not None and stat.S_ISREG(info.st_mode) and info.st_size <= inputs.MAX_TEXT_BYTES:
                    # add_file's common case (a regular file within the limit) spelled out, inputs.changed_ns too.
                    found.append(ContentFile(entry.path, prefix + entry.name, lang or "", info.st_size,
                                             info.st_mtime_ns if info.st_mtime_ns > info.st_ctime_ns
                                             else info.st_ctime_ns))
                else:
                    add_file(entry.path, info, lang, resolved, root_prefix, config, found, is_link=False)
        except OSError as error:
            found.append(scan_problem(entry.path, lang, config.root,
                                      f"cannot read: {error.strerror or error}", folder=folder))


def open_folder(folder: str, lang: str | None, config: Config, root_prefix: str, seen_folders: set[str],
                found: list[ContentFile], stack: list[tuple[Iterator[os.DirEntry[str]], str | None, str | None,
                                                             str, str]]) -> None:
    """Push folder's entries, in name order, onto stack; a folder read already (a loop, or a second way in)
    or one that cannot be read is a problem entry instead, and a missing one (no content/ yet) nothing."""
    # Resolved once per folder rather than once per file: content/ itself may sit behind a link.
    resolved = os.path.realpath(folder)
    if resolved in seen_folders:
        shown = relative_path(Path(resolved), config.root)
        found.append(scan_problem(folder, lang, config.root, f"is a link to {shown}/, a folder read already "
                                                             "(a loop or a second way in); skipped", warning=True))
        return
    seen_folders.add(resolved)
    try:
        entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
    except FileNotFoundError:
        return  # no content/ yet
    except OSError as error:
        found.append(scan_problem(folder, lang, config.root, f"cannot read the folder: {error.strerror or error}"))
        return
    # How problems name a file of this folder, up to its own name (relative_name's, worked out once per
    # folder: per file it was most of a no-change build's scan); None for a folder outside the project.
    inside = (resolved + os.sep).startswith(root_prefix)
    prefix = (resolved + os.sep)[len(root_prefix):].replace(os.sep, "/") if inside else None
    stack.append((iter(entries), lang, prefix, resolved, folder))


def scan_link(entry: os.DirEntry[str], sub_lang: str, lang: str | None, allowed: tuple[str, ...], root_prefix: str,
              config: Config, found: list[ContentFile], pending: list[tuple[str, str | None]]) -> None:
    """A symbolic link under content/: followed when it leads to a folder or a Markdown file inside the project;
    a Markdown-named or folder link that loops, dangles or leaves the project is an entry with a warning."""
    folder = os.path.dirname(entry.path)
    target = os.path.realpath(entry.path)
    try:
        info = os.stat(entry.path)
    except OSError as error:
        if entry.name.endswith(".md"):
            found.append(scan_problem(entry.path, lang, config.root, inputs.broken_link_message(error),
                                      warning=True, folder=folder))
        return
    is_folder = stat.S_ISDIR(info.st_mode)
    if not is_folder and not entry.name.endswith(".md"):
        return
    inside = (target + os.sep).startswith(allowed) if is_folder else target.startswith(allowed)
    if not inside:
        found.append(scan_problem(entry.path, lang, config.root,
                                  f"is a symbolic link to {target}, outside the project; skipped", warning=True,
                                  folder=folder))
    elif is_folder:
        pending.append((entry.path, sub_lang))
    else:
        add_file(entry.path, info, lang, os.path.realpath(folder), root_prefix, config, found, is_link=True)


def add_file(path: str, info: os.stat_result, lang: str | None, resolved_folder: str, root_prefix: str,
             config: Config, found: list[ContentFile], is_link: bool) -> None:
    """A Markdown file (or what a Markdown-named link leads to): an entry, or a problem when it is a special
    file (never opened) or over the size limit. A link's entry has the later of the file's and the link's own
    change time (inputs.reached_changed_ns)."""
    kind = inputs.special_kind(info.st_mode)
    folder = os.path.dirname(path)
    if kind:
        found.append(scan_problem(path, lang, config.root, f"is {kind}, not a regular file; skipped",
                                  warning=True, folder=folder))
    elif info.st_size > inputs.MAX_TEXT_BYTES:
        found.append(scan_problem(path, lang, config.root,
                                  f"is {info.st_size / inputs.MIB:.1f} MiB; content files over "
                                  f"{inputs.MAX_TEXT_BYTES // inputs.MIB} MiB are refused", folder=folder))
    else:
        rel = relative_name(path, is_link, resolved_folder, root_prefix, config.root)
        found.append(ContentFile(path, rel, lang or "", info.st_size, inputs.reached_changed_ns(path, info, is_link)))


def scan_problem(path: str, lang: str | None, root: Path, message: str, warning: bool = False,
                 folder: str | None = None) -> ContentFile:
    """An entry for a problem met while scanning; it carries the stat of `folder` (default: path itself),
    which is a folder, never the special file or link the problem is about."""
    rel = relative_link_name(path, root)
    where = folder or path
    try:
        info = os.stat(where, follow_symlinks=False)
        size, mtime_ns = info.st_size, inputs.changed_ns(info)
    except OSError:
        size, mtime_ns = 0, 0
    return ContentFile(where, rel, lang or "", size, mtime_ns, Problem(rel, 1, message, is_warning=warning))


def relative_link_name(path: str, root: Path) -> str:
    """A path under the project as problems name it, without following a link at its end."""
    parent = relative_path(Path(os.path.dirname(path)), root)
    return f"{parent}/{os.path.basename(path)}" if parent not in ("", ".") else os.path.basename(path)


def relative_name(path: str, is_link: bool, folder: str, root_prefix: str, root: Path) -> str:
    """relative_path() of a file (how problems name it), from its folder's already-resolved path."""
    if is_link:
        return relative_path(Path(path), root)
    resolved = os.path.join(folder, os.path.basename(path))
    return resolved[len(root_prefix):].replace(os.sep, "/") if resolved.startswith(root_prefix) else path
