"""The output guard: a build writes only into a folder that is missing, empty, or marked as a Warraq build's.

A build may delete any file in its output folder that the site does not have (every such file when no record
says which ones builds wrote), so the folder must be one that holds nothing else. Every build writes MARKER
into it; a later build accepts a folder that carries it. The project folder, content/, seeds/, static/,
themes/, anything inside those four, any folder that contains the project, `/`, the home folder and the
folders above it are refused even when marked: a marker copied or written there by mistake must not make them
deletable.

Migration from Warraq builds older than the marker: an unmarked output folder is adopted when every file in
it is one the build cache recorded the last build leaving there (so the folder is provably ours); any other
unmarked folder with files is refused with a message that says to delete it.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Collection

MARKER = ".warraq-output"
# The marker's bytes: the same in every build, so that two builds stay byte-identical.
MARKER_TEXT = (b"This folder is the output of a Warraq build (python build.py). Every build deletes the files\n"
               b"in it that the site no longer has. Warraq builds only into folders that carry this file.\n")
# The input folders of a project: a build reads them, so it must never write into or over them.
INPUT_FOLDERS = ("content", "seeds", "static", "themes")
# Written by the writer inside output/ while a build stages its files; never part of the site.
STAGING = ".warraq-staging"


class OutputRefused(Exception):
    """The output folder is not one a build may write into; carries the one line to print (exit 2)."""

    exit_code = 2


def check_output(output: Path, root: Path, recorded: Callable[[], Collection[str]] = frozenset) -> None:
    """Raise OutputRefused unless output (a folder path) may receive a build of the project at root.
    recorded() names the files (relative to output) the build cache says the last build left there; it is
    called only to adopt an unmarked folder from an older Warraq. Reads only; changes nothing."""
    project = root.resolve()
    target = resolve_output(output)
    shown = show(target, project)
    reason = forbidden_reason(target, project)
    if reason:
        raise OutputRefused(f"refusing to build into {shown}: {reason}; choose another --output")
    if not os.path.lexists(target):
        return
    if not target.is_dir():
        raise OutputRefused(f"refusing to build into {shown}: it is not a folder; choose another --output")
    try:
        names = os.listdir(target)
    except OSError as error:
        raise OutputRefused(f"{shown}: cannot read: {error.strerror or error}") from None
    if not names or is_marked(target):
        return
    known = recorded()
    # Walked only when there is an older build to adopt: a wrong --output may be a folder of a million files.
    strangers = unknown_files(target, known) if known else []
    if known and not strangers:
        return  # an older Warraq's build, every file of it recorded by the cache: adopted
    if known:
        raise OutputRefused(f"refusing to build into {shown}: it has no {MARKER} marker and holds files no "
                            f"Warraq build wrote ({strangers[0]}); if it is an old build, delete it and build again")
    raise OutputRefused(f"refusing to build into {shown}: it holds files and no {MARKER} marker of a Warraq build; "
                        f"empty it (or delete it, if it is an old build) or choose another --output")


def resolve_output(output: Path) -> Path:
    """output made absolute with every link followed; OutputRefused for a path that cannot be (a link loop)."""
    try:
        return output.resolve()
    except (OSError, RuntimeError) as error:  # a symlink loop is a RuntimeError before Python 3.13
        raise OutputRefused(f"refusing to build into {output}: its path cannot be resolved ({error})") from None


def forbidden_reason(target: Path, project: Path) -> str:
    """Why target may never be an output folder, whatever it holds; "" when it may be one."""
    if target == Path(target.anchor):
        return "it is the root of the file system"
    if target == project:
        return "it is the project folder"
    if project.is_relative_to(target):
        return "it contains the project folder"
    for name in INPUT_FOLDERS:
        folder = project / name
        if target == folder:
            return f"it is the project's {name}/ folder"
        if target.is_relative_to(folder):
            return f"it is inside the project's {name}/ folder"
    home = home_folder()
    if home is not None and target == home:
        return "it is your home folder"
    if home is not None and home.is_relative_to(target):
        return "it contains your home folder"
    return ""


def home_folder() -> Path | None:
    """The user's home folder, resolved; None when it cannot be told (no HOME, no passwd entry)."""
    try:
        return Path.home().resolve()
    except (RuntimeError, KeyError, OSError):
        return None


def is_marked(folder: Path) -> bool:
    """Whether folder carries the marker as a regular file (a symlink named like it does not count)."""
    marker = folder / MARKER
    return marker.is_file() and not marker.is_symlink()


def unknown_files(folder: Path, recorded: Collection[str]) -> list[str]:
    """The files (and links) under folder, relative to it, that are not among recorded; sorted."""
    known = set(recorded)
    strangers = []
    for directory, folders, files in os.walk(folder):
        base = Path(directory).relative_to(folder)
        for name in files + [entry for entry in folders if os.path.islink(os.path.join(directory, entry))]:
            relative = (base / name).as_posix()
            if relative not in known:
                strangers.append(relative)
    return sorted(strangers)


def show(target: Path, project: Path) -> str:
    """A folder as messages name it: relative to the project with a slash when inside it, else absolute."""
    if target.is_relative_to(project) and target != project:
        return target.relative_to(project).as_posix() + "/"
    return str(target)
