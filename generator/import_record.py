"""The import's record: whether seeds/ and content/ are as the last import left them, told from the files'
stats alone, so that a build with nothing to import does not load the importer (PyYAML, the tag matcher, the
date reader: a tenth of a second) nor read any file."""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from pathlib import Path
from typing import Callable, Mapping, Sequence

from generator import inputs
from generator.cache import CACHE_DIR, store_file
from generator.errors import Problem
from generator.scan import ContentWalk, content_stats

# In the build cache: the state of seeds/ and content/ after the last import that left every seed imported.
IMPORT_RECORD = Path(CACHE_DIR) / "import-state"
RACY_NS = 2_000_000_000
# In the build cache: what imports read of each content file's front matter, by path (import_index_of).
IMPORT_INDEX = Path(CACHE_DIR) / "import-index"
# What decides what an import writes: a change to either imports again.
IMPORT_CODE = (Path(__file__).with_name("importer.py"), Path(__file__))


def list_seeds(seeds_dir: Path) -> tuple[list[Path], list[Problem]]:
    """seeds/*.txt in name order (hidden files left out), and an error when seeds/ cannot be read. What each
    entry is (a special file, a folder named *.txt, a link) is checked when it is read, before it is opened."""
    try:
        names = sorted(os.listdir(seeds_dir))
    except (FileNotFoundError, NotADirectoryError):
        return [], []
    except OSError as error:
        return [], [Problem("seeds", 1, f"cannot read the folder: {error.strerror or error}")]
    seeds = [name for name in names if inputs.is_seed_name(name)]
    return ([seeds_dir / name for name in seeds if not inputs.is_undecodable(name)],
            [Problem(f"seeds/{inputs.shown_name(name)}", 1, inputs.NAME_NOT_UTF8) for name in seeds
             if inputs.is_undecodable(name)])


def import_state(root: Path, seeds: Sequence[Path], walk: ContentWalk | None = None) -> bytes:
    """A digest of what decides whether a seed needs importing: each seed's and each content file's path, size
    and change time (inputs.changed_ns, which an edit cannot hide), and the import's own code; b"" when a file
    changed within RACY_NS (it may change again within its timestamp's grain unseen) or cannot be stated.
    Listing and stating them costs a few milliseconds a thousand files, against reading every article's front
    matter."""
    digest = hashlib.sha256()
    for code in IMPORT_CODE:
        digest.update(code.read_bytes())
    recent = time.time_ns() - RACY_NS
    # A plain content/ is walked as the build's no-change check walks it (a third of the time of rglob); any
    # other (a link, a page bundle) the slow way.
    top = str(root / "content")
    plain = content_stats(top, walk)
    content = list(plain) if plain is not None else None  # seeds are added to it: never to the walk's own list
    if content is None:
        content = []
        for path in sorted((root / "content").rglob("*.md")):
            stated = state_of(path)
            if stated is None:
                return b""  # the next import looks at it
            content.append(stated)
    for path in seeds:
        stated = state_of(path)
        if stated is None:
            return b""
        content.append(stated)
    for name, size, changed in content:
        if changed > recent:
            return b""
        digest.update(b"%s\0%d\0%d\n" % (os.fsencode(name), size, changed))
    return digest.digest()


def state_of(path: Path) -> tuple[str, int, int] | None:
    """(name, size, changed_ns) of a file; for a link the name also says where it points and the target's inode:
    a link pointed at another file of the same size and times is a change too. None when it cannot be stated."""
    try:
        info = os.stat(path)
        name = f"{path}\0{os.readlink(path)}\0{info.st_dev}:{info.st_ino}" if os.path.islink(path) else str(path)
    except OSError:
        return None
    return name, info.st_size, inputs.changed_ns(info)


def read_import_record(root: Path) -> bytes | None:
    """The state the last import without problems recorded, or None."""
    try:
        return (root / IMPORT_RECORD).read_bytes()
    except OSError:
        return None


def write_import_record(root: Path, state: bytes) -> None:
    """Record the state an import left (cache.store_file); a failure only costs the next import the reading of
    every article's front matter."""
    path = root / IMPORT_RECORD
    if state:
        store_file(path, state)
        return
    try:  # a file changed just now: no record, so that the next import reads again
        path.unlink(missing_ok=True)
    except OSError:
        pass


def is_imported(root: Path, seeds: Sequence[Path], state: bytes | None = None) -> bool:
    """Whether every seed is imported and nothing in seeds/ or content/ changed since the last import recorded
    so (an import then has nothing to do); state: import_state(root, seeds) when the caller has it already."""
    recorded = read_import_record(root)
    return bool(seeds) and recorded is not None and recorded == (import_state(root, seeds) if state is None else state)


# What an import reads of one content file (importer.index_content): its front matter's slug, seed and seed_sha256
# (each None when not a string), under the file's size, change time (inputs.changed_ns) and inode when read.
IndexedFile = tuple[int, int, int, str | None, str | None, str | None]
ImportFields = tuple[str | None, str | None, str | None]


def import_index_of(root: Path, paths: Sequence[Path], read: Callable[[Path], ImportFields | None],
                    key: bytes) -> dict[Path, ImportFields]:
    """(slug, seed, seed_sha256) of each content file, read with read() only when the file's size, change time or
    inode differ from the last import's (IMPORT_INDEX, kept under key: what decides what read() reads), which is
    then brought up to date: at 20,000 articles, reading every front matter took 13 s of an import, stating them
    0.3 s. read() gives None for a file it cannot read, which counts as no fields and is not recorded; nor is a
    file changed within RACY_NS, as for the record above."""
    known = read_import_index(root, key)
    recent = time.time_ns() - RACY_NS
    found: dict[Path, ImportFields] = {}
    fresh: dict[str, IndexedFile] = {}
    for path in paths:
        name = str(path)
        try:
            info = os.stat(path)
        except OSError:
            found[path] = read(path) or (None, None, None)
            continue
        stated = (info.st_size, inputs.changed_ns(info), info.st_ino)
        hit = known.get(name)
        fields = hit[3:] if hit is not None and hit[:3] == stated else read(path)
        found[path] = fields or (None, None, None)
        if fields is not None and stated[1] <= recent:
            fresh[name] = (*stated, *fields)
    if fresh != known:
        store_file(root / IMPORT_INDEX, pickle.dumps((key, fresh), protocol=pickle.HIGHEST_PROTOCOL))
    return found


def read_import_index(root: Path, key: bytes) -> dict[str, IndexedFile]:
    """The last import's index of content files (import_index_of) when it was kept under key, without any entry
    not of IndexedFile's shape; {} when there is none, it cannot be read or its key is another: that costs the
    reading of every front matter, never a wrong answer."""
    try:
        found_key, index = pickle.loads((root / IMPORT_INDEX).read_bytes())
    except Exception:  # noqa: BLE001 - any damage to a cache file (truncated, another version's) means no index
        return {}
    if found_key != key or not isinstance(index, dict):
        return {}
    return {name: entry for name, entry in index.items() if is_indexed_file(entry)}


def is_indexed_file(entry: object) -> bool:
    """Whether an index entry has IndexedFile's shape (a cache file from another layout has other entries)."""
    return isinstance(entry, tuple) and len(entry) == 6 and all(type(part) is int for part in entry[:3]) \
        and all(part is None or type(part) is str for part in entry[3:])
