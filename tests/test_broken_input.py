"""Each folder under tests/data/broken/ is a broken site; the build must stop with exactly its expected.txt."""

import contextlib
import os
import shutil
import signal
import socket
import sys
from pathlib import Path

import pytest

from generator import inputs
from generator.guard import MARKER, MARKER_TEXT
from tests.conftest import run_cli

CASES = sorted(p for p in (Path(__file__).parent / "data" / "broken").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_site_reports_every_problem_and_writes_nothing(make_site, case):
    site = make_site()
    shutil.copytree(case, site.root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt"))
    (site.root / "output").mkdir()
    (site.root / "output" / MARKER).write_bytes(MARKER_TEXT)  # a previous build's folder
    (site.root / "output" / "keep.html").write_text("last good build", encoding="utf-8")
    result = site.build()
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert result.code == 1
    assert "Traceback" not in result.err
    assert result.err.splitlines()[:-1] == expected
    assert result.err.splitlines()[-1].startswith("build stopped:")
    # The last good build is untouched.
    assert sorted(p.name for p in (site.root / "output").iterdir()) == [MARKER, "keep.html"]
    assert (site.root / "output" / "keep.html").read_text(encoding="utf-8") == "last good build"


# ---------------------------------------------------------------------------
# What a folder of test data cannot hold: special files, links, unreadable and huge files
# ---------------------------------------------------------------------------

@contextlib.contextmanager
def deadline(seconds: int):
    """Fail instead of hanging: a build that opens a FIFO would wait forever for a writer."""
    def expire(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def test_special_files_and_bad_links_are_skipped_with_a_warning_and_never_opened(make_site, tmp_path):
    site = make_site()
    site.article("ar", "good")
    content, seeds = site.root / "content" / "ar", site.root / "seeds"
    for folder in (content, seeds):
        suffix = ".md" if folder == content else ".txt"
        os.mkfifo(folder / f"fifo{suffix}")
        (folder / f"zero{suffix}").symlink_to("/dev/zero")
        (folder / f"loop-a{suffix}").symlink_to(folder / f"loop-b{suffix}")
        (folder / f"loop-b{suffix}").symlink_to(folder / f"loop-a{suffix}")
        (folder / f"dangling{suffix}").symlink_to(folder / f"missing{suffix}")
        (folder / f"folder{suffix}").mkdir()
        (tmp_path / f"outside{suffix}").write_text("x", encoding="utf-8")
        (folder / f"out{suffix}").symlink_to(tmp_path / f"outside{suffix}")
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(content / "socket.md"))
    (content / "up").symlink_to(content.parent, target_is_directory=True)
    try:
        with deadline(60):
            result = site.build()
    finally:
        server.close()
    assert result.code == 0, result.err
    assert "Traceback" not in result.err
    outside = tmp_path.resolve()
    assert result.err.splitlines() == [
        # The import first (seeds), then the build's warnings, in path order.
        "seeds/dangling.txt:1: warning: is a symbolic link that leads to nothing (its target is missing); skipped",
        "seeds/fifo.txt:1: warning: is a named pipe (FIFO), not a regular file; skipped",
        "seeds/folder.txt:1: warning: is a folder, not a regular file; skipped",
        "seeds/loop-a.txt:1: warning: is a symbolic link that loops; skipped",
        "seeds/loop-b.txt:1: warning: is a symbolic link that loops; skipped",
        f"seeds/out.txt:1: warning: is a symbolic link to {outside}/outside.txt, outside the project; skipped",
        "seeds/zero.txt:1: warning: is a symbolic link to /dev/zero, outside the project; skipped",
        "content/ar/dangling.md:1: warning: is a symbolic link that leads to nothing (its target is missing); skipped",
        "content/ar/fifo.md:1: warning: is a named pipe (FIFO), not a regular file; skipped",
        "content/ar/loop-a.md:1: warning: is a symbolic link that loops; skipped",
        "content/ar/loop-b.md:1: warning: is a symbolic link that loops; skipped",
        f"content/ar/out.md:1: warning: is a symbolic link to {outside}/outside.md, outside the project; skipped",
        "content/ar/socket.md:1: warning: is a socket, not a regular file; skipped",
        "content/ar/up:1: warning: is a link to content/, a folder read already (a loop or a second way in); skipped",
        "content/ar/zero.md:1: warning: is a symbolic link to /dev/zero, outside the project; skipped",
    ]
    assert (site.root / "output" / "ar" / "2017" / "09" / "good" / "index.html").is_file()
    # The folder named x.md was walked as a folder (it holds nothing); --strict makes the warnings errors.
    with deadline(60):
        strict = site.build("--strict")
    assert strict.code == 1 and "content/ar/fifo.md:1: warning: is a named pipe (FIFO)" in strict.err


def refuse(monkeypatch, function_name: str, target: os.PathLike) -> None:
    """Make os.<function_name> raise PermissionError for one path, as chmod 000 does for a user who is not
    root (the tests run as root, whom chmod does not stop)."""
    real = getattr(os, function_name)

    def guarded(path, *args, **kwargs):
        if os.fspath(path) == os.fspath(target):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path, *args, **kwargs)
    monkeypatch.setattr(os, function_name, guarded)


def test_an_unreadable_file_or_folder_is_an_error_never_a_silent_skip(make_site, monkeypatch):
    site = make_site()
    site.article("ar", "good")
    locked_file = site.article("ar", "locked")
    locked_folder = site.root / "content" / "ar" / "private"
    site.article("ar", "private/inside")
    locked_seeds = site.root / "seeds"
    refuse(monkeypatch, "open", locked_file)
    refuse(monkeypatch, "scandir", locked_folder)
    refuse(monkeypatch, "listdir", locked_seeds)
    result = site.build()
    assert result.code == 1
    assert result.err.splitlines()[:-1] == [
        "seeds:1: cannot read the folder: Permission denied",
        "content/ar/locked.md:1: cannot read the file: Permission denied",
        "content/ar/private:1: cannot read the folder: Permission denied",
    ]


def test_a_folder_unreadable_since_the_last_good_build_is_not_replayed_as_success(make_site, monkeypatch):
    site = make_site()
    site.article("ar", "good")
    site.write("content/ar/private/inside.md", site.article("ar", "inside").read_text(encoding="utf-8"))
    (site.root / "content" / "ar" / "inside.md").unlink()
    assert site.build().code == 0
    # Nothing changed on disk, so the cache's no-change shortcut would otherwise replay the last success.
    refuse(monkeypatch, "scandir", site.root / "content" / "ar" / "private")
    result = site.build()
    assert result.code == 1
    assert "content/ar/private:1: cannot read the folder: Permission denied" in result.err.splitlines()



def file_states(folder: Path) -> dict[str, bytes]:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("relative", ["static/docs/a.pdf", "themes/default/static/favicon.svg"])
def test_a_static_file_that_cannot_be_read_is_named_and_output_is_kept(make_site, monkeypatch, relative):
    """Found by the scan, refused when copied: `path:1: cannot read the file`, never a traceback."""
    import builtins
    site = make_site()
    site.article("ar", "good")
    site.write("static/docs/a.pdf", "%PDF-1.4 old")
    assert site.build().code == 0
    before = file_states(site.root / "output")
    site.write("static/docs/a.pdf", "%PDF-1.4 new")  # copied again by the next build
    (site.root / relative).write_bytes((site.root / relative).read_bytes() + b" ")
    target, real = site.root / relative, builtins.open

    def guarded(path, *args, **kwargs):
        if isinstance(path, (str, os.PathLike)) and os.fspath(path) == os.fspath(target):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real(path, *args, **kwargs)
    monkeypatch.setattr(builtins, "open", guarded)
    result = site.build()
    assert result.code == 1
    assert f"{relative}:1: cannot read the file: Permission denied" in result.err.splitlines()
    assert "Traceback" not in result.err
    assert file_states(site.root / "output") == before


def test_a_static_folder_that_cannot_be_read_is_an_error_never_an_unpublished_folder(make_site, monkeypatch):
    site = make_site()
    site.article("ar", "good")
    site.write("static/sub/a.txt", "y")
    assert site.build().code == 0
    before = file_states(site.root / "output")
    assert before["sub/a.txt"] == b"y"
    refuse(monkeypatch, "scandir", site.root / "static" / "sub")
    result = site.build()
    assert result.code == 1
    assert "static/sub:1: cannot read the folder: Permission denied" in result.err.splitlines()
    assert file_states(site.root / "output") == before
    refuse(monkeypatch, "scandir", site.root / "static")
    result = site.build()
    assert result.code == 1 and "static:1: cannot read the folder: Permission denied" in result.err.splitlines()


def test_a_link_to_a_folder_in_static_is_a_warning(make_site):
    site = make_site()
    site.article("ar", "good")
    site.write("shared/a.txt", "shared")
    (site.root / "static").mkdir()
    (site.root / "static" / "linked").symlink_to(site.root / "shared")
    result = site.build()
    assert result.code == 0
    assert "static/linked:1: warning: is a link to a folder, which a static folder does not follow; its files " \
           "are not published (copy the folder in, or link each file)" in result.err.splitlines()
    assert not (site.root / "output" / "linked").exists()


def test_a_file_name_that_is_not_utf8_is_named_with_its_bytes_never_a_traceback(make_site):
    site = make_site()
    site.article("ar", "good")
    content, seeds = os.fsencode(site.root / "content" / "ar"), os.fsencode(site.root / "seeds")
    with open(content + b"/bad\xffname.md", "wb") as file:
        file.write("---\ntitle: x\ndate: 2026-11-01\n---\nنص.\n".encode())
    with open(seeds + b"/bad\xfeseed.txt", "wb") as file:
        file.write("عنوان الكاتب: أ التاريخ: 3 مارس 2019\n\nنص.\n".encode())
    result = site.build()
    assert result.code == 1 and "Traceback" not in result.err
    assert "seeds/bad\\xfeseed.txt:1: the file name is not UTF-8 text; rename the file" in result.err.splitlines()
    assert "content/ar/bad\\xffname.md:1: the file name is not UTF-8 text; rename the file" in result.err.splitlines()
    assert not (site.root / "output").exists()

def test_files_over_the_size_limit_are_refused_unread(make_site):
    site = make_site()
    site.article("ar", "good")
    for relative, size in (("content/ar/huge.md", 17 * inputs.MIB), ("seeds/huge.txt", 17 * inputs.MIB)):
        with open(site.root / relative, "wb") as file:
            file.truncate(size)  # sparse: nothing is written, and nothing may be read
    result = site.build()
    assert result.code == 1
    assert result.err.splitlines()[:-1] == [
        "seeds/huge.txt:1: is 17.0 MiB; input files over 16 MiB are refused",
        "content/ar/huge.md:1: is 17.0 MiB; content files over 16 MiB are refused",
    ]
    with open(site.root / "site.toml", "ab") as file:
        file.truncate(2 * inputs.MIB)
    assert site.build().err.splitlines()[0] == "site.toml:1: is 2.0 MiB; input files over 1 MiB are refused"


def test_undecodable_seeds_name_the_line_of_the_first_bad_byte(make_site):
    site = make_site()
    seeds = site.root / "seeds"
    (seeds / "latin1.txt").write_bytes("عنوان الكاتب: س التاريخ: 2017-09-28\n".encode() + b"caf\xe9\n")
    (seeds / "utf16-no-bom.txt").write_bytes("Title Author: A Date: 2017-09-28\n".encode("utf-16-le"))
    (seeds / "utf16-broken.txt").write_bytes(b"\xff\xfe" + "a\nb\n".encode("utf-16-le") + b"\x00\xd8")
    result = run_cli("import", "--root", str(site.root))
    assert result.code == 1
    assert result.err.splitlines() == [
        "seeds/latin1.txt:2: not UTF-8 text (byte 0xe9); save the seed as UTF-8",
        "seeds/utf16-broken.txt:3: not UTF-16 text after its byte-order mark (at byte 10); save the seed as UTF-8",
        "seeds/utf16-no-bom.txt:1: a NUL character, which text never holds (UTF-16 without a byte-order mark?); "
        "save the seed as UTF-8",
    ]


def test_markdown_nested_too_deep_for_the_converter_is_an_error_naming_the_file(make_site):
    site = make_site()
    # A lower recursion limit makes the same overflow as 500 levels at the default limit, in a tenth of the time.
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(400)
    try:
        body = "\n".join("    " * level + "- item" for level in range(150))
        site.article("ar", "deep", body=body)
        result = site.build()
    finally:
        sys.setrecursionlimit(previous)
    assert result.code == 1
    assert result.err.splitlines()[:-1] == [
        # Line 8: where the body starts, after the seven lines of front matter.
        "content/ar/deep.md:8: the Markdown is nested too deeply to convert (lists or quotes hundreds of levels "
        "deep); flatten it",
    ]


def test_a_base_url_from_the_command_line_is_checked_like_the_one_in_site_toml(make_site):
    site = make_site()
    site.article("ar", "good")
    result = site.build("--base-url", "https://example.org/blog/#top")
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        '--base-url:1: --base-url may not carry a query (?) or a fragment (#): "https://example.org/blog/#top"')


def test_theme_files_are_read_as_safely_as_content(make_site):
    site = make_site()
    site.article("ar", "good")
    manifest = site.root / "themes" / "default" / "theme.toml"
    manifest.unlink()
    os.mkfifo(manifest)
    with deadline(60):
        result = site.build()
    assert result.code == 1
    assert result.err.splitlines()[:-1] == ["themes/default/theme.toml:1: is a named pipe (FIFO), not a regular file"]
    manifest.unlink()
    manifest.write_text('extends = "../../elsewhere"\n', encoding="utf-8")
    assert site.build().err.splitlines()[0] == (
        'themes/default/theme.toml:1: extends must name a folder in themes/, not "../../elsewhere"')
    manifest.write_bytes(b"# Th\xe9me\n")
    assert site.build().err.splitlines()[0] == (
        "themes/default/theme.toml:1: not UTF-8 text (byte 0xe9); save the file as UTF-8")
    manifest.write_text("", encoding="utf-8")
    catalog = site.root / "themes" / "default" / "locales" / "ar" / "LC_MESSAGES" / "messages.po"
    lines = catalog.read_bytes().split(b"\n")
    catalog.write_bytes(b"\n".join(lines[:30] + [b"# caf\xe9"] + lines[30:]))
    result = site.build()
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        'themes/default/locales/ar/LC_MESSAGES/messages.po:31: cannot read catalog for language "ar": '
        "not UTF-8 text (byte 0xe9); save the file as UTF-8")
