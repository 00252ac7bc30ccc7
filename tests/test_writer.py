"""Output: staged inside output/, moved in by rename; the marker; unchanged files keep their modification time."""

import os
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from generator.guard import MARKER, MARKER_TEXT, STAGING
from generator.pages import RenderedPage
from generator.writer import list_files, output_name, write_site


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
    assert (output / MARKER).read_bytes() == MARKER_TEXT  # not counted: it is no file of the site
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


def test_the_marker_stays_and_everything_else_the_site_lacks_goes(tmp_path):
    output = tmp_path / "output"
    write_site([RenderedPage("a/", b"a")], [], output)
    (output / "stray").mkdir()
    (output / "stray" / "file.txt").write_text("x")
    (output / MARKER).write_text("edited")
    write_site([RenderedPage("a/", b"a")], [], output)
    assert sorted(name for name, *_ in list_files(output)) == [".nojekyll", MARKER, "a/index.html"]
    assert (output / MARKER).read_bytes() == MARKER_TEXT


def test_a_killed_builds_staging_leftovers_are_removed(tmp_path):
    output = tmp_path / "output"
    write_site([RenderedPage("a/", b"a")], [], output)
    leftover = output / STAGING / "build-99" / "b" / "index.html"
    leftover.parent.mkdir(parents=True)
    leftover.write_text("half")
    write_site([RenderedPage("a/", b"a")], [], output)
    assert not (output / STAGING).exists()
    assert not (output / "b").exists()


def test_files_and_folders_in_each_others_way(tmp_path):
    output = tmp_path / "output"
    write_site([RenderedPage("a", b"file a"), RenderedPage("b/", b"folder b")], [], output)
    write_site([RenderedPage("a/", b"folder a"), RenderedPage("b", b"file b")], [], output)
    assert (output / "a" / "index.html").read_bytes() == b"folder a"
    assert (output / "b").read_bytes() == b"file b"


def test_a_link_in_output_is_replaced_never_followed(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "index.html").write_text("keep me")
    output = tmp_path / "output"
    write_site([RenderedPage("ar/", b"ar")], [], output)
    os.unlink(output / "ar" / "index.html")
    os.rmdir(output / "ar")
    (output / "ar").symlink_to(outside)
    (output / "link.html").symlink_to(outside / "index.html")
    (output / "same.html").symlink_to(outside / "index.html")
    write_site([RenderedPage("ar/", b"keep me"), RenderedPage("same.html", b"keep me")], [], output)
    assert (outside / "index.html").read_text() == "keep me"
    assert not (output / "ar").is_symlink() and (output / "ar" / "index.html").read_bytes() == b"keep me"
    assert not (output / "same.html").is_symlink() and (output / "same.html").read_bytes() == b"keep me"
    assert not os.path.lexists(output / "link.html")


def test_a_folder_that_already_exists_is_updated_in_place_never_renamed(tmp_path):
    output = tmp_path / "output"
    output.mkdir()
    inode = output.stat().st_ino
    write_site([RenderedPage("a/", b"a")], [], output)
    write_site([RenderedPage("b/", b"b")], [], output)
    assert output.stat().st_ino == inode  # a mount point stays one
    assert (output / "b" / "index.html").read_bytes() == b"b" and not (output / "a").exists()


def test_theme_static_files_never_publish_what_a_link_leads_to_outside_the_project(make_site, tmp_path):
    # A link in static/ to a private file (~/.ssh/id_rsa, /etc/passwd) must not be copied into the public site;
    # FIFOs and devices are never opened. Each is skipped with a warning, like content and seeds.
    import os
    site = make_site()
    site.article("ar", "one")
    secret = tmp_path / "secret.txt"
    secret.write_text("private")
    static = site.root / "themes" / "default" / "static"
    (static / "secret.txt").symlink_to(secret)
    (static / "zero.css").symlink_to("/dev/zero")
    os.mkfifo(static / "pipe.css")
    (static / "inside.css").symlink_to(static / "css" / "site.css")
    run = site.build()
    assert run.code == 0, run.err
    assert sorted(line for line in run.err.splitlines() if "static" in line) == [
        "themes/default/static/pipe.css:1: warning: is a named pipe (FIFO), not a regular file; skipped",
        f"themes/default/static/secret.txt:1: warning: is a symbolic link to {secret}, outside the project; skipped",
        "themes/default/static/zero.css:1: warning: is a symbolic link to /dev/zero, outside the project; skipped",
    ]
    published = site.root / "output" / "static"
    assert not (published / "secret.txt").exists() and not (published / "zero.css").exists()
    assert not (published / "pipe.css").exists()
    assert (published / "inside.css").read_bytes() == (static / "css" / "site.css").read_bytes()


@given(st.lists(st.sampled_from(["ar", "", ".", "..", "a.b", "..x", "x..", ".well-known", "index.html", "\\", "ب"]),
                max_size=5).map("/".join), st.booleans())
def test_output_name_places_every_url_as_output_path_does(url: str, folder: bool):
    # output_name's fast path for plain URLs must agree with output_path, refusals included.
    from generator.urls import output_path
    url += "/" if folder else ""
    try:
        expected = output_path(Path("/"), url).relative_to("/").as_posix()
    except ValueError as error:
        with pytest.raises(ValueError, match="would write outside output/"):
            output_name(url)
        assert "outside" in str(error)
        return
    assert output_name(url) == expected
