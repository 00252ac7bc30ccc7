"""Crash safety: a build killed with SIGKILL at any moment, a full disk, a read-only or mounted output/.

Each killed build is a real `python build.py` process on a generated site of a hundred and more articles;
after it, a plain build must give exactly the bytes of a cold build of the same input into a fresh project.
Some kills are timed (several delays across the build), others land at exact points of the write (the n-th
rename, a stale file's removal, between the last rename and the cache record) through a harness that wraps
the command line in this test only; the generator itself has no test hook.
"""

from __future__ import annotations

import errno
import hashlib
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator import writer
from generator.guard import MARKER, STAGING
from tests.conftest import REPO

ARTICLES = 100
TITLE = 'title = "ورّاق: المرصد"'
# Runs the command line in a process that SIGKILLs itself at the n-th call of one writer/pipeline function.
HARNESS = """
import os, signal, sys
from generator import cli, pipeline, writer
where, n = sys.argv[1], int(sys.argv[2])
calls = [0]
def killing(original):
    def wrapped(*args, **kwargs):
        calls[0] += 1
        if calls[0] >= n:
            os.kill(os.getpid(), signal.SIGKILL)
        return original(*args, **kwargs)
    return wrapped
if where == "save":
    pipeline.save_cache = killing(pipeline.save_cache)
else:
    setattr(writer.os, where, killing(getattr(os, where)))
sys.exit(cli.main(sys.argv[3:]))
"""


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under folder with the hash of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def make_corpus(root: Path, articles: int) -> None:
    """A generated project of `articles` Arabic articles (and some translations), as bench/ writes it."""
    spec = importlib.util.spec_from_file_location("bench_make_corpus", REPO / "bench" / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.make_corpus(articles, root)


def build_command(root: Path, *args: str) -> list[str]:
    return [sys.executable, str(REPO / "build.py"), "--root", str(root), "-q", *args]


def set_variant(root: Path, variant: int) -> None:
    """Two inputs that differ in the Arabic site title, which every Arabic page shows: a rebuild between
    them rewrites hundreds of files."""
    toml = root / "site.toml"
    text = toml.read_text(encoding="utf-8")
    plain, changed = TITLE, TITLE.replace('"ورّاق', '"ورّاق ٢')
    toml.write_text(text.replace(changed, plain) if variant == 0 else text.replace(plain, changed), encoding="utf-8")


def cold_digest(root: Path, scratch: Path) -> dict[str, str]:
    """The bytes a cold build of root's input gives: a fresh copy of the project, no cache, no output/."""
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    shutil.copy(root / "site.toml", scratch / "site.toml")
    for folder in ("content", "themes", "seeds"):
        shutil.copytree(root / folder, scratch / folder)
    subprocess.run(build_command(scratch), check=True, capture_output=True)
    return tree_digest(scratch / "output")


def kill_group(process: subprocess.Popen) -> None:
    """Kill what is left of a killed build's process group: worker processes it forked live on as orphans."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[int, dict[str, str]], float]:
    """A generated project, the cold-build bytes of both its variants, and how long a full rebuild takes."""
    base = tmp_path_factory.mktemp("crash")
    root = base / "site"
    make_corpus(root, ARTICLES)
    expected = {}
    for variant in (1, 0):
        set_variant(root, variant)
        expected[variant] = cold_digest(root, base / f"cold-{variant}")
    assert expected[0] != expected[1]
    subprocess.run(build_command(root), check=True)
    set_variant(root, 1)
    started = time.monotonic()
    subprocess.run(build_command(root), check=True)
    return root, expected, time.monotonic() - started


def check_rebuild_after_kill(root: Path, expected: dict[str, str]) -> None:
    """output/ is there; the next build restores exactly the cold build's bytes and leaves no staging."""
    assert (root / "output").is_dir() and (root / "output" / MARKER).is_file()
    result = subprocess.run(build_command(root), capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert tree_digest(root / "output") == expected
    assert not (root / "output" / STAGING).exists()


@pytest.mark.parametrize("number, fraction", enumerate([0.2, 0.5, 0.8, 0.95, 1.05]))
def test_a_build_killed_after_a_delay_is_repaired_by_the_next(corpus, number: int, fraction: float):
    root, expected, seconds = corpus
    variant = number % 2  # alternate, so that every killed build has hundreds of files to write
    set_variant(root, variant)
    process = subprocess.Popen(build_command(root), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               start_new_session=True)
    time.sleep(seconds * fraction)
    process.send_signal(signal.SIGKILL)
    process.wait()
    try:
        check_rebuild_after_kill(root, expected[variant])
    finally:
        kill_group(process)


@pytest.mark.parametrize("where, call", [("replace", 2), ("replace", 150), ("unlink", 1), ("save", 1)])
def test_a_build_killed_at_a_point_of_its_write_is_repaired_by_the_next(corpus, where: str, call: int):
    root, expected, _ = corpus
    set_variant(root, 0)
    subprocess.run(build_command(root), check=True)
    # Variant 1 with one article fewer: the killed build has files to move in and a page to remove.
    gone = sorted((root / "content" / "ar").rglob("*.md"))[0]
    text = gone.read_text(encoding="utf-8")
    gone.unlink()
    set_variant(root, 1)
    process = subprocess.Popen([sys.executable, "-c", HARNESS, where, str(call), "--root", str(root), "-q"],
                               cwd=REPO, start_new_session=True)
    try:
        assert process.wait(timeout=120) == -signal.SIGKILL
        gone.write_text(text, encoding="utf-8")
        check_rebuild_after_kill(root, expected[1])
    finally:
        kill_group(process)
        gone.write_text(text, encoding="utf-8")


def test_a_reader_gets_the_old_or_the_new_page_never_half(make_site):
    site = make_site()
    site.article("ar", "page", body="قديم " * 5000)
    assert site.build().code == 0
    page = site.root / "output" / "ar" / "2017" / "09" / "page" / "index.html"
    old = page.read_bytes()
    with page.open("rb") as reader:  # a reader that opened the page before the rebuild
        site.article("ar", "page", body="جديد " * 5000)
        assert site.build().code == 0
        assert reader.read() == old  # the old file stays whole: the new one was renamed over its name
    assert "جديد" in page.read_text(encoding="utf-8")


def test_a_full_disk_is_one_line_and_output_stays_as_it_was(make_site, monkeypatch):
    site = make_site()
    site.article("ar", "first")
    assert site.build().code == 0
    before = tree_digest(site.root / "output")
    site.article("ar", "second", title="مقال جديد")
    real_open = open

    def full_disk(path, mode="r", *args, **kwargs):
        if "w" in mode and STAGING in str(path):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))
        return real_open(path, mode, *args, **kwargs)

    monkeypatch.setattr(writer, "open", full_disk, raising=False)
    result = site.build()
    assert result.code == 1
    assert result.err == "output/: cannot write: No space left on device\n"
    assert tree_digest(site.root / "output") == before
    assert not (site.root / "output" / STAGING).exists()
    monkeypatch.undo()
    assert site.build().code == 0 and "مقال جديد" in site.read("ar/index.html")


def test_a_read_only_output_is_one_line(make_site, monkeypatch):
    site = make_site()
    site.article("ar", "first")
    assert site.build().code == 0
    before = tree_digest(site.root / "output")
    site.article("ar", "second")
    real_mkdir = os.mkdir

    def read_only(path, *args, **kwargs):
        if STAGING in str(path):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(path))
        return real_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(os, "mkdir", read_only)
    result = site.build()
    assert (result.code, result.err) == (1, "output/: cannot write: Read-only file system\n")
    monkeypatch.undo()
    assert tree_digest(site.root / "output") == before


def test_a_failed_first_build_leaves_no_output_folder(make_site):
    site = make_site()
    site.article("ar", "first")
    template = site.root / "themes" / "default" / "templates" / "tag_index.html"
    template.write_text("{{ no_such_variable }}\n" + template.read_text(encoding="utf-8"), encoding="utf-8")
    assert site.build().code == 1
    assert not (site.root / "output").exists()


def test_staging_never_renames_across_output_so_a_mount_point_works(make_site, monkeypatch):
    """Simulated: every rename with one end inside output/ and the other outside fails as it would across
    file systems (EXDEV); a first build and a rebuild still work. (Renames within the cache stay allowed.)"""
    site = make_site()
    site.article("ar", "first")
    output = str(site.root / "output") + os.sep
    real_replace, real_rename = os.replace, os.rename

    def same_file_system(real):
        def rename(source, target, *args, **kwargs):
            if str(source).startswith(output) != str(target).startswith(output):
                raise OSError(errno.EXDEV, os.strerror(errno.EXDEV), str(source), None, str(target))
            return real(source, target, *args, **kwargs)
        return rename

    (site.root / "output").mkdir()  # the mount point
    monkeypatch.setattr(os, "replace", same_file_system(real_replace))
    monkeypatch.setattr(os, "rename", same_file_system(real_rename))
    assert site.build().code == 0
    site.article("ar", "second")
    assert site.build().code == 0
    assert (site.root / "output" / "ar" / "2017" / "09" / "second" / "index.html").is_file()


def mount_tmpfs(folder: Path, size: str) -> bool:
    """Mount a tmpfs of size at folder; False when this machine does not allow it (not root, no mount)."""
    folder.mkdir(parents=True, exist_ok=True)
    if not shutil.which("mount") or os.geteuid() != 0:
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
                          capture_output=True).returncode == 0


def test_output_on_its_own_small_file_system(make_site):
    """A real tmpfs at output/ where this machine allows mounting one (as root); the simulated cross-device
    test above covers the same promise elsewhere. Then the disk fills: one line, output/ intact."""
    site = make_site()
    site.article("ar", "first")
    output = site.root / "output"
    if not mount_tmpfs(output, "1200k"):
        pytest.skip("mounting a tmpfs needs root; test_staging_never_renames_across_output covers this")
    try:
        result = site.build()
        assert result.code == 0, result.err
        site.article("ar", "second")
        assert site.build().code == 0
        before = tree_digest(output)
        for number in range(40):
            site.article("ar", f"more-{number}", body="نص طويل " * 3000)
        result = site.build()
        assert (result.code, result.err) == (1, "output/: cannot write: No space left on device\n")
        assert tree_digest(output) == before
        assert not (output / STAGING).exists()
        subprocess.run(["mount", "-o", "remount,ro", str(output)], check=True)
        result = site.build()
        assert (result.code, result.err) == (1, "output/: cannot write: Read-only file system\n")
    finally:
        subprocess.run(["umount", str(output)], check=False)


def test_leftovers_of_a_killed_build_are_not_published(make_site):
    site = make_site()
    site.article("ar", "first")
    assert site.build().code == 0
    leftover = site.root / "output" / STAGING / "build-1" / "ar" / "index.html"
    leftover.parent.mkdir(parents=True)
    leftover.write_text("half")
    result = site.build()
    assert result.code == 0
    assert not (site.root / "output" / STAGING).exists()
