"""Write the site so that output/ always holds a whole page at each path, a failed build changes nothing in
it, and unchanged files stay as they are.

Every file is staged first, INSIDE output/ (output/.warraq-staging/), so that staging and output/ are always
on one filesystem: output/ may be a mount point (a Docker volume, a tmpfs) and is itself never renamed or
deleted. Nothing the site serves changes until every page has rendered. Then the staged files are moved in:
a folder output/ does not have yet moves whole (one rename, so a first build is a handful of renames), a
file replaces its old one by rename (atomic per file: a reader gets the old or the new page, never half of
one), and last the files the site no longer has are removed. Unchanged files are never touched, so their
modification times survive.

Every build writes the marker file (guard.MARKER) first of all, so that a build killed at any moment leaves
a folder the next build accepts. The caller (pipeline) checks the folder with guard.check_output first.
"""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Callable, Collection, Mapping, Sequence

from generator import inputs
from generator.errors import Problem
from generator.guard import MARKER, MARKER_TEXT, STAGING
from generator.pages import RenderedPage
from generator.urls import output_path

# (relative path, size, mtime_ns, inode) of a file in output/.
FileState = tuple[str, int, int, int]


class WriteFailed(Exception):
    """output/ could not be written (full disk, read-only, no permission) or changed under the build; carries
    the one line to print (exit 1). The staging folder is gone and output/ holds the previous build."""

    exit_code = 1


@dataclass(frozen=True)
class WriteReport:
    """How many files the build wrote anew and how many it kept unchanged from the last build."""

    written: int
    unchanged: int


@dataclass(frozen=True)
class Staging:
    """Where a build's files are staged (inside output/), and the output/ they will update. Pages may be
    staged from several processes at once: each writes its own files. created: output/ did not exist before
    this build (a failed build then removes it again)."""

    folder: Path
    output: Path
    created: bool = False
    # output/ as the last build recorded leaving it (relative path -> size, mtime_ns, inode), and when that build
    # finished. trusted: the record can stand for the folder without looking at it (is_as_last_left).
    last: Mapping[str, tuple[int, int, int]] = field(default_factory=dict)
    last_finished_ns: int = 0
    trusted: bool = False
    # The files of output/ a build wrote, by the record (last) and the journals of builds killed since it (their
    # files moved into output/ after it): the only files a build that cannot trust the record may delete.
    # None with no record at all (a first build, or the cache deleted): every file the site does not have goes.
    written: frozenset[str] | None = None


@dataclass(frozen=True)
class KnownFile:
    """A file (not a templated page) given by the hash of its bytes, which load() makes only when the writer
    needs them: the last build's file is kept unread when its record says it holds exactly these bytes."""

    url: str
    sha256: bytes
    load: Callable[[], bytes]


def write_site(pages: Sequence[RenderedPage], static_dirs: Sequence[Path], output: Path) -> WriteReport:
    """Stage every page and static file inside output/, then bring output/ to them. Raises ValueError for a
    page outside output/ (before anything is written) and OSError when output/ cannot be written (staging
    removed, output/ as it was)."""
    names = [output_name(page.url) for page in pages]  # refuses a page outside output/ up front
    staging = start_staging(output)
    try:
        static_files = find_static(static_dirs)
        static = stage_static(staging, static_files)
        kept = [stage_named(staging, name, page.content) for name, page in zip(names, pages)]
        finish_staging(staging, set(names) | static_names(static_files))
        close_staging(staging)
    except BaseException:
        abandon_staging(staging)
        raise
    unchanged = sum(kept) + sum(static)
    return WriteReport(written=len(kept) + len(static) - unchanged, unchanged=unchanged)


def start_staging(output: Path, last: Sequence[FileState] | None = None, last_finished_ns: int = 0) -> Staging:
    """Make output/ if needed and mark it as a build's, then an empty staging folder inside it (a killed
    build's leftovers are removed first). last: output/'s files as the last build recorded leaving them, if
    any: trusted unless output/ is new, has no marker in the record, or holds a killed build's staging folder.
    Raises OSError when output/ cannot be written."""
    created = not os.path.lexists(output)
    root = output / STAGING
    # The staging folder outlives each build's moves until its record is saved (close_staging): finding one
    # here means the last build was killed after changing output/, so its record no longer describes it.
    interrupted = os.path.lexists(root)
    output.mkdir(parents=True, exist_ok=True)
    write_marker(output)
    moved = read_journals(root) if interrupted else set()
    unrecorded = is_real_folder(root / UNRECORDED)
    recorded = {name: (size, mtime_ns, inode) for name, size, mtime_ns, inode in last or ()}
    staging = Staging(root / f"build-{os.getpid()}", output, created, recorded, last_finished_ns,
                      trusted=last is not None and not created and not interrupted and MARKER in recorded,
                      written=frozenset(recorded.keys() | moved) if last is not None and not unrecorded else None)
    if not is_real_folder(root):
        remove_entry(root)
        root.mkdir()
    remove_entry(staging.folder)  # a killed build's, whose process id this one has now
    keep = {staging.folder.name, *([UNRECORDED] if unrecorded else [])}
    if moved:
        # Carried on, and written before the old journals go: if this build is killed too, even halfway
        # through removing them, the next one still knows the files of the builds before.
        write_journal(staging, sorted(moved), CARRIED)
        keep.add(journal_path(staging, CARRIED).name)
    # Leftovers of killed builds go (the project lock keeps any live build out). Each build stages in a
    # folder of its own: a worker process orphaned by a killed build may still be writing its last page into
    # that build's folder, never into this one.
    for name in sorted(set(os.listdir(root)) - keep):
        remove_entry(root / name)
    staging.folder.mkdir()
    return staging


def is_real_folder(path: Path) -> bool:
    """Whether path is a folder itself, not a link to one."""
    return path.is_dir() and not path.is_symlink()


def close_staging(staging: Staging, recorded: bool = True) -> None:
    """Remove the staging folder once the build's record of output/ is saved: until then, its presence tells
    the next build not to trust the record, and its journals which files builds wrote since. recorded=False (a
    build without the cache, through the API only): the folder is emptied (a journal must not be published)
    and left holding an empty UNRECORDED folder: no record says what is in output/ now."""
    if recorded:
        remove_entry(staging.output / STAGING)
        return
    for name in os.listdir(staging.output / STAGING):
        remove_entry(staging.output / STAGING / name)
    (staging.output / STAGING / UNRECORDED).mkdir()


def write_marker(output: Path) -> None:
    """Write the marker unless it is already there with its bytes (touch_marker marks the moves)."""
    marker = output / MARKER
    try:
        if not marker.is_symlink() and marker.read_bytes() == MARKER_TEXT:
            return
    except OSError:
        pass
    remove_entry(marker)
    marker.write_bytes(MARKER_TEXT)


def output_name(url: str) -> str:
    """A page's file relative to output/ ("ar/" -> "ar/index.html"), as urls.output_path places it (and
    refusing, as it does, any URL that would leave output/); plain string work for the common clean URL."""
    bounded = f"/{url}/"  # a part that is "." or ".." shows as "/./" or "/../" once the URL is bounded by "/"
    if url.startswith("/") or "\\" in url or "//" in url or "/./" in bounded or "/../" in bounded:
        return output_path(Path("/"), url).relative_to("/").as_posix()
    return url + "index.html" if url == "" or url.endswith("/") else url


def stage_page(staging: Staging, url: str, content: bytes) -> bool:
    """Stage one page's bytes; True when the previous build's identical file is kept instead."""
    return stage_named(staging, output_name(url), content)


def stage_known(staging: Staging, name: str, sha256: bytes, recorded: bytes | None, load: Callable[[], bytes]) -> bool:
    """Keep output/<name> unread when the last build recorded writing exactly these bytes there (recorded, the
    hash of what it wrote) and the file is as it left it; else stage load()'s bytes as stage_named does."""
    if recorded == sha256 and is_as_last_left(staging, name):
        return True
    return stage_named(staging, name, load())


def stage_named(staging: Staging, name: str, content: bytes) -> bool:
    """Stage bytes as output/<name>; True when the previous build's identical file is kept instead."""
    return stage_file(staging, name, lambda old: os.stat(old).st_size == len(content) and read_bytes(old) == content,
                      lambda file: file.write(content))


def stage_file(staging: Staging, name: str, is_same: Callable[[str], bool], write: Callable[[BinaryIO], object]) -> bool:
    """Keep output/<name> from the previous build when is_same(its path) says it already holds the new bytes (an
    OSError counts as no), else write(file) the new bytes into staging; True when the old file is kept."""
    old = os.path.join(staging.output, name)
    try:
        same = is_same(old)
    except OSError:
        same = False
    if same and keep(staging, name):
        return True
    target = os.path.join(staging.folder, name)
    os.makedirs(os.path.dirname(target), exist_ok=True)
    with open(target, "wb") as file:
        write(file)
    return False


def stage_if_same(staging: Staging, name: str, sha256: bytes, trusted: bool = False) -> bool:
    """Keep the previous build's output/<name> when its bytes hash to sha256 (the last build's record of what it
    wrote there), without reading it when trusted or when the file is as the last build left it.
    False, staging nothing, when it differs or is missing."""
    if trusted or is_as_last_left(staging, name):
        return True  # it stays where it is
    try:
        if hashlib.sha256(read_bytes(os.path.join(staging.output, name))).digest() != sha256:
            return False
    except OSError:
        return False
    return keep(staging, name)


def is_as_last_left(staging: Staging, name: str) -> bool:
    """Whether output/<name> is still the file the last build left: taken from the record when it is trusted
    (the project lock keeps other builds out, and nothing else should write output/), else seen by its stat
    (same size, mtime and inode, and old enough that a later write would have changed its mtime)."""
    recorded = staging.last.get(name)
    if recorded is None:
        return False
    if staging.trusted:
        return True
    try:
        stat = os.stat(os.path.join(staging.output, name), follow_symlinks=False)
    except OSError:
        return False
    return (stat.st_size, stat.st_mtime_ns, stat.st_ino) == recorded \
        and stat.st_mtime_ns < staging.last_finished_ns - RACY_NS


def read_bytes(path: str) -> bytes:
    with open(path, "rb") as file:
        return file.read()


def keep(staging: Staging, name: str) -> bool:
    """Keep the previous build's file: it just stays where it is (so its modification time survives).
    False when it is not a regular file there, or is reached through a link (the link goes, so the file
    must be staged anew)."""
    old = os.path.join(staging.output, name)
    return os.path.isfile(old) and os.path.realpath(old) == os.path.join(os.path.realpath(staging.output), name)


# The site's own files (PDFs, downloads, logos), beside content/: copied to output/ as they are, so that
# static/reports/x.pdf is output/reports/x.pdf (as Hugo does).
SITE_STATIC = "static"
NOJEKYLL = ".nojekyll"
# What the build keeps for itself in output/: a site file may not take these names.
RESERVED = (MARKER, STAGING)
CHUNK = 1024 * 1024
# A file modified within this long before the last build finished may have been modified again within the
# same clock tick (git's "racily clean" problem): its stat is not trusted (as cache.RACY_NS for inputs).
RACY_NS = 2_000_000_000


@dataclass(frozen=True)
class StaticFiles:
    """The themes' static folders and the site's static/ folder as one build found them (each walked once):
    every publishable theme file with the folder it is in, child theme's folders first as Theme.static_dirs
    lists them; the site folder and its files; and the entries skipped."""

    found: tuple[tuple[Path, Path], ...]
    skipped: tuple[Problem, ...]
    site_dir: Path | None = None
    site: tuple[Path, ...] = ()

    def theme_published(self) -> dict[str, Path]:
        """Output name ("static/css/site.css") -> theme file; a child theme's file replaces its parent's."""
        # Parents first, so that the child's entry for the same name is written last.
        return {f"static/{path.relative_to(directory).as_posix()}": path for directory, path in reversed(self.found)}

    def site_published(self) -> dict[str, Path]:
        """Output name ("reports/x.pdf") -> file of the site's static/ folder."""
        if self.site_dir is None:
            return {}
        return {path.relative_to(self.site_dir).as_posix(): path for path in self.site}

    def published(self) -> dict[str, Path]:
        """Output name -> source file of every static file, the theme's and the site's (static_conflicts has
        refused a name both have)."""
        return {**self.theme_published(), **self.site_published()}

    def sources(self) -> list[Path]:
        """Every static file found, theme's and site's, in the order walked."""
        return [path for _, path in self.found] + list(self.site)


def find_static(static_dirs: Sequence[Path], site_dir: Path | None = None) -> StaticFiles:
    """Walk each theme's static folder and the site's static/ folder (site_dir, <root>/static, when it is a
    folder) once: their publishable files and their skipped entries (static_files)."""
    found: list[tuple[Path, Path]] = []
    skipped: list[Problem] = []
    for directory in static_dirs:
        files, problems = static_files(directory)
        found += [(directory, path) for path in files]
        skipped += problems
    site: list[Path] = []
    if site_dir is not None and os.path.lexists(site_dir):
        project = site_dir.parent.resolve()
        kind, problem = entry_kind(site_dir, SITE_STATIC, project)
        if problem:
            skipped.append(problem)
        elif kind != "a folder":
            skipped.append(Problem(SITE_STATIC, 1, "is a file; the site's static files go in a folder static/ "
                                   "beside content/; skipped", is_warning=True))
        else:
            site, problems = static_files(site_dir, project)
            skipped += problems
    return StaticFiles(tuple(found), tuple(skipped), site_dir if site else None, tuple(site))


def static_conflicts(static: StaticFiles, names: Collection[str], root: Path) -> list[Problem]:
    """An error for each file of the site's static/ folder that would take the place of a generated file
    (names, relative to output/), of a theme's static file or of a file the build keeps for itself, naming
    both; a file where the other needs a folder (static/ar, a file, against the page ar/index.html) too."""
    site = static.site_published()
    if not site:
        return []  # the common case: nothing of the site's own can clash (and tens of thousands of names)
    theme = static.theme_published()
    others = {name: f"the generated file {name}" for name in sorted(names) if name != NOJEKYLL}
    others.update({name: f"the theme's file {show_path(path, root)}" for name, path in theme.items()})
    others.update({name: f"{name}, which the build keeps for itself" for name in RESERVED})
    folders: dict[str, str] = {}
    # A folder is named by the shallowest file in it (ar/ by ar/index.html, not ar/2017/09/index.html).
    for name, what in sorted(others.items(), key=lambda item: (item[0].count("/"), item[0])):
        for parent in parent_folders(name):
            folders.setdefault(parent, what)
    problems = []
    for name, path in site.items():
        clash = others.get(name) or folders.get(name) or next(
            (others[parent] for parent in parent_folders(name) if parent in others), None)
        if clash:
            problems.append(Problem(show_path(path, root), 1, f"would be published as output/{name}, which is "
                                    f"also {clash}; rename or remove one of them"))
    return problems


def parent_folders(name: str) -> list[str]:
    """The folders a relative name is in, deepest first ("a/b/c.html" -> ["a/b", "a"])."""
    parts = name.split("/")[:-1]
    return ["/".join(parts[:end]) for end in range(len(parts), 0, -1)]


def show_path(path: Path, root: Path) -> str:
    """path relative to root when it is inside it (as problems name files), else as given."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def stage_static(staging: Staging, static: StaticFiles) -> list[bool]:
    """Stage the static files and .nojekyll (unless the site's static/ has its own); for each, whether the
    previous file was kept."""
    published = static.published()
    kept = [stage_copy(staging, name, source) for name, source in sorted(published.items())]
    if NOJEKYLL not in published:
        kept.append(stage_named(staging, NOJEKYLL, b""))
    return kept


def stage_copy(staging: Staging, name: str, source: Path) -> bool:
    """Stage a copy of the file source as output/<name>, compared and copied a chunk at a time (a site's PDFs and
    videos need not fit in memory); True when the previous build's identical file is kept instead."""
    def copy(writing: BinaryIO) -> None:
        with open(source, "rb") as reading:
            shutil.copyfileobj(reading, writing, CHUNK)

    return stage_file(staging, name, lambda old: os.stat(old).st_size == os.stat(source).st_size
                      and same_bytes(old, source), copy)


def same_bytes(first: str | Path, second: str | Path) -> bool:
    """Whether two files hold the same bytes (read a chunk at a time)."""
    with open(first, "rb") as one, open(second, "rb") as other:
        while True:
            chunk = one.read(CHUNK)
            if chunk != other.read(CHUNK):
                return False
            if not chunk:
                return True


def static_names(static: StaticFiles) -> set[str]:
    """The output paths of the static files and .nojekyll, relative to output/."""
    return {NOJEKYLL, *static.published()}


# Version control folders (a .git/config names its remote, sometimes with a token) and desktop litter: never on
# the public site, whatever folder of static/ they are in. Other dotfiles (.nojekyll, .well-known/) are published.
NEVER_PUBLISHED = frozenset({".git", ".hg", ".svn", ".bzr", ".DS_Store", "Thumbs.db", "desktop.ini"})


def static_files(directory: Path, project: Path | None = None) -> tuple[list[Path], list[Problem]]:
    """The files a static folder publishes (a theme's themes/<name>/static, or the site's <root>/static; never
    NEVER_PUBLISHED), sorted, and a warning for each entry skipped unopened: a FIFO, device or socket, a link
    that loops, dangles or leads outside the project (a link to ~/.ssh/id_rsa must never reach the public site),
    and a link to a folder (folders are walked, links to folders are not); an error for a file or folder that
    cannot be read. project: the folder no link may leave (by default the one a theme's static folder is three
    levels inside)."""
    project = project or (directory / ".." / ".." / "..").resolve()
    shown = directory.resolve().relative_to(project)  # the link itself is named, not where it leads
    files, skipped = [], []
    # rglob passes over a folder it cannot list without a word: each is opened here, so that its files are
    # reported, never silently unpublished.
    unreadable = folder_problem(directory, shown.as_posix())
    if unreadable:
        return [], [unreadable]
    for path in sorted(directory.rglob("*")):
        if NEVER_PUBLISHED.intersection(path.relative_to(directory).parts):
            continue
        where = (shown / path.relative_to(directory)).as_posix()
        kind, problem = entry_kind(path, where, project)
        if kind == "a folder" and not problem:
            problem = link_problem(path, where) or folder_problem(path, where)
        if problem:
            skipped.append(problem)
        elif kind is None:
            files.append(path)
    return files, skipped


def folder_problem(path: Path, where: str) -> Problem | None:
    """An error when the folder at path cannot be listed (its files would be left out unseen), else None."""
    try:
        with os.scandir(path):
            return None
    except OSError as error:
        return Problem(where, 1, f"cannot read the folder: {error.strerror or error}")


def link_problem(path: Path, where: str) -> Problem | None:
    """A warning for a link to a folder inside a static folder: it is not followed, so its files are not
    published (one link per file is)."""
    if not path.is_symlink():
        return None
    return Problem(where, 1, "is a link to a folder, which a static folder does not follow; its files are not "
                   "published (copy the folder in, or link each file)", is_warning=True)


def entry_kind(path: Path, where: str, project: Path) -> tuple[str | None, Problem | None]:
    """What a static entry is (None for a regular file, "a folder", ...), or the problem (named where) that
    skips it: a warning for a special file or a link that loops, dangles or leaves project, an error for one
    that cannot be read."""
    try:
        inputs.check_link(path, (project,))
        kind = inputs.special_kind(path.stat().st_mode)
    except inputs.InputError as error:
        return None, Problem(where, error.line, error.message, is_warning=True)
    except OSError as error:  # an unreadable file is an error, never a silent skip
        return None, Problem(where, 1, f"cannot read the file: {error.strerror or error}")
    if kind and kind != "a folder":
        return kind, Problem(where, 1, f"is {kind}, not a regular file; skipped", is_warning=True)
    return kind, None


def finish_staging(staging: Staging, wanted: Collection[str]) -> tuple[FileState, ...]:
    """Bring output/ to the staged site: wanted names every file (relative to output/) the site has; the
    marker is always kept. Returns every file then in output/ with its size, modification time and inode.
    Raises WriteFailed when a wanted file is not in output/ afterwards (something else changed the folder
    during the build): the caller must then not record this build as done."""
    wanted = set(wanted) | {MARKER}
    touch_marker(staging.output)
    staged = list_files(staging.folder)
    write_journal(staging, [name for name, *_ in staged])
    if staging.trusted:
        return finish_trusted(staging, wanted, staged)
    move_staged(staging.folder, staging.output)
    files = list_files(staging.output)
    # A file no build wrote (one put in output/ by hand) is left: only a folder with no record at all is
    # brought to exactly the site.
    stale = [name for name, *_ in files if name not in wanted and not name.startswith(STAGING + "/")
             and (staging.written is None or name in staging.written)]
    for name in stale:
        os.unlink(os.path.join(staging.output, name))
    remove_empty_folders(staging.output, stale)
    outputs = tuple(state for state in files if state[0] in wanted)
    missing = sorted(wanted - {name for name, *_ in outputs})
    if missing:
        raise WriteFailed(f"{missing[0]} went missing while the build moved its files in "
                          f"(did another program change the folder?); build again")
    return outputs


def finish_trusted(staging: Staging, wanted: set[str], staged: Sequence[FileState]) -> tuple[FileState, ...]:
    """finish_staging without looking at output/: its files are the last build's record, updated with the files
    staged now (staged; a rename keeps their size, mtime and inode) and less the files the site no longer has."""
    move_staged(staging.folder, staging.output)
    files = dict(staging.last)
    files.update((name, (size, mtime_ns, inode)) for name, size, mtime_ns, inode in staged)
    # Only through real folders: a folder of output/ replaced by a link to another place must not have the
    # files there deleted (the link itself goes when the site no longer has what it stands for).
    real_parents: dict[str, bool] = {}
    stale = [name for name in sorted(files) if name not in wanted and real_parent(staging.output, name, real_parents)]
    for name in stale:
        try:
            os.unlink(os.path.join(staging.output, name))
        except FileNotFoundError:
            pass  # already gone
    remove_empty_folders(staging.output, stale)
    missing = sorted(wanted - files.keys())
    if missing:
        raise WriteFailed(f"{missing[0]} went missing while the build moved its files in "
                          f"(did another program change the folder?); build again")
    # The names sorted, not the tuples made of them: the same order (names are unique), half the time.
    return tuple((name, *files[name]) for name in sorted(wanted))


def real_parent(output: Path, name: str, known: dict[str, bool]) -> bool:
    """Whether the folder of name (relative to output/) is reached without a link; known: answers so far, by
    folder (a site's files share few folders)."""
    folder = os.path.dirname(name)
    if not folder:
        return True
    if folder not in known:
        path = os.path.join(output, folder)
        known[folder] = os.path.realpath(path) == os.path.join(os.path.realpath(output), folder)
    return known[folder]


def touch_marker(output: Path) -> None:
    """Touch the marker as a build starts changing output/: its change time then names the last build that
    wrote this folder, whichever project it was (pipeline.output_identity). Not before: a build that fails or is
    stopped before its moves leaves output/ as its record says, and the record still names the folder."""
    os.utime(output / MARKER, follow_symlinks=False)


JOURNAL_PREFIX = "moved-"
CARRIED = "carried-"  # a journal of files killed builds moved, written again by the build after them
# Left in the staging folder by a build without the cache: the files in output/ are then known to no record.
UNRECORDED = "unrecorded"


def write_journal(staging: Staging, names: Sequence[str], kind: str = "") -> None:
    """Write, beside the staging folder, the names (relative to output/) this build is about to move into
    output/: if it is killed before its record is saved, the next build knows these files as a build's own
    (read_journals), and may delete them when the site no longer has them."""
    journal_path(staging, kind).write_bytes(b"".join(os.fsencode(name) + b"\0" for name in names))


def journal_path(staging: Staging, kind: str = "") -> Path:
    """Where a build's journal of one kind ("" or CARRIED) goes: beside its staging folder."""
    return staging.folder.parent / f"{JOURNAL_PREFIX}{kind}{staging.folder.name}"


# A journal names every file of a site at most (38,000 at 20,000 articles: about 2 MB).
JOURNAL_LIMIT = 256 * inputs.MIB


def read_journals(folder: Path) -> set[str]:
    """The names in the journals that killed builds left in folder (the staging folder, when it is a folder
    itself, not a link). A journal that is not a regular file, or cannot be read, is passed over: its files
    are then kept, never deleted unknown."""
    names: set[str] = set()
    if not is_real_folder(folder):
        return names
    try:
        journals = sorted(entry.path for entry in os.scandir(folder)
                          if entry.name.startswith(JOURNAL_PREFIX) and not entry.is_symlink())
    except OSError:
        return names
    for path in journals:
        try:
            data = inputs.read_bytes(path, JOURNAL_LIMIT)  # never a FIFO or a device, never without bound
        except inputs.InputError:
            continue
        names.update(os.fsdecode(name) for name in data.split(b"\0") if name)
    return names


def abandon_staging(staging: Staging) -> None:
    """Remove a failed build's staging folder; output/ stays as it was (and goes again if this build made it).
    When output/ is no longer as the record says (this build began moving files in, or a killed build before it
    had: a journal is there), only this build's staged files go: the folder and its journals stay, so that the
    next build does not trust the record, and knows which files builds wrote."""
    journals = [journal_path(staging, kind) for kind in ("", CARRIED)]
    try:
        remove_entry(staging.folder if any(map(os.path.lexists, journals)) else staging.output / STAGING)
    except OSError:
        pass  # a read-only or vanished output/: nothing of ours to remove
    if staging.created:
        try:
            if os.listdir(staging.output) == [MARKER]:
                os.unlink(staging.output / MARKER)
                os.rmdir(staging.output)
        except OSError:
            pass  # it holds something else now: leave it


def move_staged(source: Path | str, target: Path | str) -> None:
    """Move every staged entry under source to the same place under target: a folder target lacks moves
    whole (one rename), a file replaces its old one by rename (atomic per file), a folder both have is
    merged. A file or link in the way of a folder, or a folder in the way of a file, is removed first."""
    with os.scandir(source) as entries:
        staged = sorted(entries, key=lambda entry: entry.name)
    for entry in staged:
        destination = os.path.join(target, entry.name)
        is_folder = os.path.isdir(destination) and not os.path.islink(destination)
        if entry.is_dir(follow_symlinks=False):
            if is_folder:
                move_staged(entry.path, destination)
                continue
            remove_entry(destination)
        elif is_folder:
            shutil.rmtree(destination)
        os.replace(entry.path, destination)


def remove_entry(path: Path | str) -> None:
    """Remove a file, link or folder tree if there is one (never following a link)."""
    if os.path.isdir(path) and not os.path.islink(path):
        shutil.rmtree(path)
    elif os.path.lexists(path):
        os.unlink(path)


def remove_empty_folders(output: Path, removed: Sequence[str]) -> None:
    """Remove the folders that removing files left empty, deepest first."""
    folders = {output / parent for name in removed for parent in Path(name).parents if parent != Path(".")}
    for folder in sorted(folders, key=lambda path: len(path.parts), reverse=True):
        try:
            folder.rmdir()
        except OSError:
            pass  # not empty


def list_files(folder: Path) -> tuple[FileState, ...]:
    """Every file (and link) under folder with its size, modification time and inode, by path relative to
    folder; links are listed, never followed."""
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


def is_write_error(error: OSError, output: Path) -> bool:
    """Whether error came from writing output/ (its file is inside output/, or it names none) rather than
    from reading an input."""
    if error.errno in (errno.ENOSPC, errno.EROFS, errno.EDQUOT):
        return True
    filename = error.filename if isinstance(error.filename, str) else None
    if filename is None:
        return True
    return Path(os.path.abspath(filename)).is_relative_to(os.path.abspath(output))
