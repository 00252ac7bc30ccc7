"""Atomic output: staging then swap; unchanged files keep their modification time."""

import os

import pytest

from generator.theme import RenderedPage
from generator.writer import write_site


def test_writes_pages_static_files_and_nojekyll(tmp_path):
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    (static / "css" / "site.css").write_text("body{}")
    output = tmp_path / "output"
    report = write_site([RenderedPage("ar/", b"<p>ar</p>"), RenderedPage("", b"root")], [static], output)
    assert (output / "ar" / "index.html").read_bytes() == b"<p>ar</p>"
    assert (output / "index.html").read_bytes() == b"root"
    assert (output / "static" / "css" / "site.css").read_text() == "body{}"
    assert (output / ".nojekyll").exists()
    assert report.written == 4 and report.unchanged == 0


def test_old_files_are_removed_and_unchanged_ones_keep_their_mtime(tmp_path):
    output = tmp_path / "output"
    write_site([RenderedPage("a/", b"same"), RenderedPage("gone/", b"old")], [], output)
    os.utime(output / "a" / "index.html", (1_000_000, 1_000_000))
    report = write_site([RenderedPage("a/", b"same"), RenderedPage("b/", b"new")], [], output)
    assert os.stat(output / "a" / "index.html").st_mtime == 1_000_000
    assert not (output / "gone").exists()
    assert (output / "b" / "index.html").read_bytes() == b"new"
    assert report.unchanged == 2  # a/index.html and .nojekyll


def test_child_theme_static_files_win_over_the_parent(tmp_path):
    parent, child = tmp_path / "parent", tmp_path / "child"
    for folder, text in ((parent, "parent"), (child, "child")):
        folder.mkdir()
        (folder / "site.css").write_text(text)
    (parent / "only-parent.css").write_text("p")
    write_site([], [child, parent], tmp_path / "output")
    assert (tmp_path / "output" / "static" / "site.css").read_text() == "child"
    assert (tmp_path / "output" / "static" / "only-parent.css").read_text() == "p"


def test_a_page_outside_output_is_refused_before_anything_is_replaced(tmp_path):
    output = tmp_path / "output"
    write_site([RenderedPage("a/", b"good")], [], output)
    with pytest.raises(ValueError):
        write_site([RenderedPage("../evil/", b"x")], [], output)
    assert (output / "a" / "index.html").read_bytes() == b"good"
    assert not (tmp_path / "evil").exists()
