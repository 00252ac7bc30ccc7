"""Read the project's input files safely: regular files only, never more than a size limit, decoded as
UTF-8 with the line of the first bad byte. Every reader of user bytes (site.toml, content, seeds, theme.toml,
catalogs) goes through here, so a FIFO never hangs a build and /dev/zero never fills the memory."""

from __future__ import annotations

import errno
import os
import stat
from pathlib import Path

MIB = 1024 * 1024
# Far above any real article or seed (the longest seed in seeds/ is 40 KiB), far below what hurts a build.
MAX_TEXT_BYTES = 16 * MIB

# What a special file is called in messages, by the stat test that recognises it.
SPECIAL_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISDIR, "a folder"),
)


class InputError(Exception):
    """An input file that cannot be used, located at a 1-based line; is_skip marks files that are left
    out with a warning (special files, links leaving the project) rather than stopping the build."""

    def __init__(self, line: int, message: str, is_skip: bool = False) -> None:
        super().__init__(message)
        self.line = line
        self.message = message
        self.is_skip = is_skip


def changed_ns(info: os.stat_result) -> int:
    """When a file's bytes may last have changed, in nanoseconds since the epoch: the later of its modification
    and status-change times. An editor or `touch -d` can set the mtime back after an edit of the same size; no
    program can set the ctime (any write, rename or chmod moves it to now), so an input compared by size and
    this time is re-read after such an edit, and at worst re-hashed after a chmod."""
    return max(info.st_mtime_ns, info.st_ctime_ns)


def reached_changed_ns(path: str | os.PathLike[str], info: os.stat_result, is_link: bool | None = None) -> int:
    """changed_ns of the file path leads to (info: os.stat(path), the link followed), or, when path is itself a
    symbolic link changed later, the link's own change time: pointing a link at another file of the same size
    and change time changes no stat of either file, only the link's (ln -sfn makes a new one). is_link: whether
    path is a link, when the caller knows it already (a directory walk does), which spares a non-link an lstat;
    None: found out here."""
    if is_link is False:
        return changed_ns(info)
    own = os.lstat(path)
    return max(changed_ns(info), changed_ns(own)) if stat.S_ISLNK(own.st_mode) else changed_ns(info)


# The problem of a file whose name is not UTF-8 (Python holds its bytes as lone surrogates, which no text
# output can encode: a slug, YAML, a URL).
NAME_NOT_UTF8 = "the file name is not UTF-8 text; rename the file"


def is_seed_name(name: str) -> bool:
    """A seed's file name in seeds/: text with the .txt suffix in any case (Windows tools write X.TXT), not
    hidden."""
    return name.lower().endswith(".txt") and not name.startswith(".")


def is_file(path: Path) -> bool:
    """Path.is_file() for a path built from a name the user wrote: False, not OSError, for a name too long for
    the file system (ENAMETOOLONG) or one it cannot reach (EACCES), as for a missing one."""
    try:
        return path.is_file()
    except OSError:
        return False


def is_dir(path: Path) -> bool:
    """Path.is_dir() that answers False where is_file() does (see is_file)."""
    try:
        return path.is_dir()
    except OSError:
        return False


def is_undecodable(path: str) -> bool:
    """Whether a path (as os.listdir gives it) holds bytes that are not UTF-8 (os.fsdecode's surrogates).
    ASCII, the common case, is answered in C without encoding."""
    if path.isascii():
        return False
    try:
        path.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def shown_name(path: str) -> str:
    """path as problems print it: a byte that is not UTF-8 written as \\xNN (os.fsdecode's surrogate would
    print as \\udcNN, or not at all)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace") if is_undecodable(path) else path


def special_kind(mode: int) -> str | None:
    """What a file is when it is not a regular file ("a named pipe (FIFO)", ...), else None."""
    if stat.S_ISREG(mode):
        return None
    return next((name for test, name in SPECIAL_KINDS if test(mode)), "not a regular file")


def read_bytes(path: Path | str, limit: int = MAX_TEXT_BYTES) -> bytes:
    """The bytes of a regular file of at most `limit` bytes. Raises InputError (line 1) for a special file,
    an unreadable file or one over the limit; a special file is recognised after a non-blocking open and
    before any read, so a FIFO or a device is never read."""
    try:
        # Checked before opening (opening some devices has effects of its own) and again after, on what was
        # opened, in case the path changed in between.
        kind = special_kind(os.stat(path).st_mode)
        if kind:
            raise InputError(1, f"is {kind}, not a regular file; skipped", is_skip=True)
        # O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting for one.
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        if error.errno == errno.ELOOP:
            raise InputError(1, "is a symbolic link that loops; skipped", is_skip=True) from None
        raise InputError(1, f"cannot read the file: {error.strerror or error}") from None
    try:
        info = os.fstat(descriptor)
    except OSError as error:
        os.close(descriptor)
        raise InputError(1, f"cannot read the file: {error.strerror or error}") from None
    kind = special_kind(info.st_mode)
    if kind:
        os.close(descriptor)
        raise InputError(1, f"is {kind}, not a regular file; skipped", is_skip=True)
    with os.fdopen(descriptor, "rb") as file:
        if info.st_size > limit:
            raise InputError(1, f"is {info.st_size / MIB:.1f} MiB; input files over {limit // MIB} MiB are refused")
        try:
            data = file.read(limit + 1)
        except OSError as error:
            raise InputError(1, f"cannot read the file: {error.strerror or error}") from None
    if len(data) > limit:  # grew while we read it
        raise InputError(1, f"is over {limit // MIB} MiB; input files over {limit // MIB} MiB are refused")
    return data


def decode_text(data: bytes, advice: str = "save the file as UTF-8") -> str:
    """UTF-8 bytes (a leading BOM dropped) as text. Raises InputError at the line of the first byte that is
    not UTF-8, or of the first NUL (UTF-16 without a byte-order mark decodes as UTF-8 full of NULs)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise InputError(1, f"UTF-16 text (byte-order mark 0x{data[0]:02x} 0x{data[1]:02x}); {advice}")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise InputError(line, f"not UTF-8 text (byte 0x{data[error.start]:02x}); {advice}") from None
    nul = text.find("\0")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        raise InputError(line, f"a NUL character, which text never holds (UTF-16 without a byte-order mark?); "
                               f"{advice}")
    return text


def read_text(path: Path | str, limit: int = MAX_TEXT_BYTES, advice: str = "save the file as UTF-8") -> str:
    """read_bytes then decode_text: the text of a regular UTF-8 file; InputError otherwise."""
    return decode_text(read_bytes(path, limit), advice)


def check_link(path: Path | str, roots: tuple[Path, ...]) -> None:
    """Raise InputError (a skip) when path is a symbolic link that loops, leads nowhere or leads outside every
    one of roots (the project); a plain file or a link inside the project passes. Opens nothing."""
    if not os.path.islink(path):
        return
    try:
        os.stat(path)
    except OSError as error:
        raise InputError(1, broken_link_message(error), is_skip=True) from None
    target = os.path.realpath(path)
    if not any(target.startswith(str(root.resolve()).rstrip(os.sep) + os.sep) for root in roots):
        raise InputError(1, f"is a symbolic link to {target}, outside the project; skipped", is_skip=True)


def broken_link_message(error: OSError) -> str:
    """How a symbolic link whose stat failed with error is reported: one that loops, or one that dangles."""
    reason = "loops" if error.errno == errno.ELOOP else "leads to nothing (its target is missing)"
    return f"is a symbolic link that {reason}; skipped"


def resolve(path: Path) -> Path:
    """path.resolve() that never raises: Python 3.11 raises RuntimeError on a link loop; such a path is
    returned absolute, unresolved, and reported by whoever opens it."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):
        return path.absolute()
