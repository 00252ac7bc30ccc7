"""The output guard: a build writes only into a missing, empty or marked folder, never over the project."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from generator.guard import MARKER, MARKER_TEXT, OutputRefused, check_output
from generator.serve import serve
from tests.conftest import run_cli


def tree_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file() and ".git/" not in p.as_posix()}


@pytest.mark.parametrize("output, reason", [
    (".", "{root}: it is the project folder"),
    ("content", "content/: it is the project's content/ folder"),
    ("content/ar", "content/ar/: it is inside the project's content/ folder"),
    ("seeds", "seeds/: it is the project's seeds/ folder"),
    ("themes", "themes/: it is the project's themes/ folder"),
    ("static", "static/: it is the project's static/ folder"),
    ("static/docs", "static/docs/: it is inside the project's static/ folder"),
    ("themes/default/static", "themes/default/static/: it is inside the project's themes/ folder"),
    ("..", "{parent}: it contains the project folder"),
    ("/", "/: it is the root of the file system"),
])
def test_the_project_and_its_inputs_are_refused_even_when_marked(make_site, output: str, reason: str):
    site = make_site(with_sample_seed=True)
    site.article("ar", "kept")
    target = site.root / output if not output.startswith("/") else Path(output)
    if target.is_dir() and output != "/":
        (target / MARKER).write_bytes(MARKER_TEXT)  # a marker there by mistake changes nothing
    before = tree_digest(site.root)
    result = run_cli("--root", str(site.root), "--output", str(target))
    expected = reason.format(root=site.root, parent=site.root.parent)
    assert (result.code, result.out) == (2, "")
    assert result.err == f"refusing to build into {expected}; choose another --output\n"
    assert tree_digest(site.root) == before  # not even the seed was imported


def test_the_home_folder_is_refused(make_site, monkeypatch, tmp_path):
    site = make_site()
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    result = run_cli("--root", str(site.root), "--output", str(home))
    assert (result.code, result.err) == (2, f"refusing to build into {home}: it is your home folder; "
                                            f"choose another --output\n")
    result = run_cli("--root", str(site.root), "--output", str(tmp_path))
    assert result.code == 2 and "it contains the project folder" in result.err


def test_a_foreign_folder_with_files_is_refused_and_left_alone(make_site, tmp_path):
    site = make_site()
    site.article("ar", "one")
    foreign = tmp_path / "photos"
    (foreign / "2019").mkdir(parents=True)
    (foreign / "2019" / "beach.jpg").write_bytes(b"\xff\xd8")
    (foreign / ".hidden").write_text("x")
    result = site.build("--output", str(foreign))
    assert result.code == 2
    assert result.err == (f"refusing to build into {foreign}: it holds files and no {MARKER} marker of a Warraq "
                          f"build; empty it (or delete it, if it is an old build) or choose another --output\n")
    assert sorted(p.name for p in foreign.rglob("*")) == [".hidden", "2019", "beach.jpg"]


def test_a_file_is_refused(make_site, tmp_path):
    site = make_site()
    target = tmp_path / "notes.txt"
    target.write_text("mine")
    result = site.build("--output", str(target))
    assert (result.code, result.err) == (2, f"refusing to build into {target}: it is not a folder; "
                                            f"choose another --output\n")
    assert target.read_text() == "mine"


def test_missing_empty_and_marked_folders_are_built_into(make_site, tmp_path):
    site = make_site()
    site.article("ar", "one")
    empty = tmp_path / "empty"
    empty.mkdir()
    for folder in (tmp_path / "new" / "deep", empty):
        result = site.build("--output", str(folder))
        assert result.code == 0, result.err
        assert (folder / MARKER).read_bytes() == MARKER_TEXT
        (folder / "stray.txt").write_text("left by hand")
        # Marked: accepted; the stray file stays (a build deletes only files it wrote: its record of output/).
        assert site.build("--output", str(folder)).code == 0
        assert (folder / "stray.txt").read_text() == "left by hand" and (folder / MARKER).is_file()


def test_an_unmarked_output_of_an_older_warraq_is_adopted_when_the_cache_knows_every_file(make_site):
    site = make_site()
    site.article("ar", "one")
    assert site.build().code == 0
    (site.root / "output" / MARKER).unlink()  # as an older Warraq left it
    result = site.build()
    assert result.code == 0, result.err
    assert (site.root / "output" / MARKER).is_file()


def test_an_unmarked_output_with_a_file_the_cache_does_not_know_is_refused(make_site):
    site = make_site()
    site.article("ar", "one")
    assert site.build().code == 0
    (site.root / "output" / MARKER).unlink()
    (site.root / "output" / "ar" / "notes.txt").write_text("mine")
    result = site.build()
    assert result.code == 2
    assert result.err == (f"refusing to build into output/: it has no {MARKER} marker and holds files no Warraq "
                          f"build wrote (ar/notes.txt); if it is an old build, delete it and build again\n")
    assert (site.root / "output" / "ar" / "notes.txt").read_text() == "mine"


def test_an_unmarked_output_without_a_cache_is_refused(make_site):
    site = make_site()
    (site.root / "output").mkdir()
    (site.root / "output" / "index.html").write_text("old")
    result = site.build()
    assert result.code == 2 and result.err.startswith("refusing to build into output/: it holds files and no ")


def test_a_symlink_to_the_project_is_refused(make_site, tmp_path):
    site = make_site()
    link = tmp_path / "link"
    link.symlink_to(site.root / "content")
    result = site.build("--output", str(link))
    assert (result.code, result.err) == (2, "refusing to build into content/: it is the project's content/ folder; "
                                            "choose another --output\n")


def test_serve_refuses_before_serving(make_site):
    site = make_site()
    err = io.StringIO()
    assert serve(site.root, 0, output=site.root / "content", err=err, out=io.StringIO()) == 2
    assert err.getvalue() == ("refusing to build into content/: it is the project's content/ folder; "
                              "choose another --output\n")


def test_check_output_reads_only(tmp_path):
    (tmp_path / "site").mkdir()
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "a.txt").write_text("a")
    with pytest.raises(OutputRefused):
        check_output(folder, tmp_path / "site", lambda: {"b.txt"})
    check_output(folder, tmp_path / "site", lambda: {"a.txt"})  # every file recorded: adopted
    assert sorted(p.name for p in folder.iterdir()) == ["a.txt"]


def test_a_symlink_loop_is_refused_in_one_line(make_site, tmp_path):
    site = make_site()
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    result = site.build("--output", str(loop / "out"))
    assert result.code == 2
    assert result.err.startswith(f"refusing to build into {loop / 'out'}: its path cannot be resolved (")
    assert result.err.count("\n") == 1


def test_a_foreign_folder_is_refused_without_walking_it_when_there_is_no_older_build_to_adopt(tmp_path, monkeypatch):
    # `--output ~/Pictures` by mistake: refused from its first listing, not after reading a million file names.
    foreign = tmp_path / "pictures"
    (foreign / "2019").mkdir(parents=True)
    (foreign / "2019" / "a.jpg").write_bytes(b"jpeg")
    monkeypatch.setattr("generator.guard.os.walk", lambda *args, **kwargs: pytest.fail("walked the folder"))
    with pytest.raises(OutputRefused, match="it holds files and no .warraq-output marker"):
        check_output(foreign, tmp_path / "project")
