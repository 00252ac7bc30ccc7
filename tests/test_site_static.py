"""The site's own static/ folder beside content/: copied to output/ as it is (static/reports/x.pdf is
output/reports/x.pdf), walked safely, refused where it would replace a generated or theme file, kept in step
with output/ from build to build."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PDF = b"%PDF-1.7\n" + bytes(range(256)) * 64 + b"\n%%EOF\n"


def files_of(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()}


@pytest.fixture
def site(make_site):
    site = make_site()
    site.article("ar", "one")
    static = site.root / "static"
    (static / "reports").mkdir(parents=True)
    (static / "reports" / "x.pdf").write_bytes(PDF)
    (static / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>", encoding="utf-8")
    (static / "downloads" / "data" / "2017").mkdir(parents=True)
    (static / "downloads" / "data" / "2017" / "جدول.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    return site


def test_files_are_copied_as_they_are_to_the_root_of_the_output(site):
    run = site.build()
    assert run.code == 0, run.err
    output = site.root / "output"
    assert (output / "reports" / "x.pdf").read_bytes() == PDF
    assert (output / "logo.svg").read_text(encoding="utf-8") == "<svg xmlns='http://www.w3.org/2000/svg'/>"
    assert (output / "downloads" / "data" / "2017" / "جدول.csv").read_bytes() == b"a,b\n1,2\n"
    # The theme's static files and the generated pages are still there, beside them.
    assert (output / "static" / "css" / "site.css").is_file() and (output / "ar" / "index.html").is_file()
    assert (output / ".nojekyll").read_bytes() == b""


def test_two_builds_are_byte_identical(site, tmp_path):
    import shutil
    assert site.build("--output", str(tmp_path / "one")).code == 0
    shutil.rmtree(site.root / ".warraq-cache")  # a cold build the second time too
    assert site.build("--output", str(tmp_path / "two")).code == 0
    one, two = files_of(tmp_path / "one"), files_of(tmp_path / "two")
    assert one == two and one["reports/x.pdf"] == PDF


def test_unchanged_files_are_not_rewritten_and_a_changed_one_is(site):
    assert site.build().code == 0
    output = site.root / "output"
    before = {name: os.stat(output / name) for name in ("reports/x.pdf", "logo.svg")}
    (site.root / "static" / "logo.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg' id='new'/>",
                                                   encoding="utf-8")
    run = site.build()
    assert run.code == 0, run.err
    pdf = os.stat(output / "reports" / "x.pdf")
    assert (pdf.st_ino, pdf.st_mtime_ns) == (before["reports/x.pdf"].st_ino, before["reports/x.pdf"].st_mtime_ns)
    assert (output / "logo.svg").read_text(encoding="utf-8").endswith("id='new'/>")
    assert os.stat(output / "logo.svg").st_ino != before["logo.svg"].st_ino


def test_a_file_removed_from_static_leaves_the_output_at_the_next_build(site):
    assert site.build().code == 0
    output = site.root / "output"
    (site.root / "static" / "reports" / "x.pdf").unlink()
    (site.root / "static" / "reports").rmdir()
    (site.root / "static" / "added.txt").write_text("new", encoding="utf-8")
    run = site.build()
    assert run.code == 0, run.err
    assert not (output / "reports").exists()  # the file, and the folder it leaves empty
    assert (output / "added.txt").read_text(encoding="utf-8") == "new"
    assert (output / "logo.svg").is_file()
    # With no static/ folder at all, its files go too; the theme's stay.
    import shutil
    shutil.rmtree(site.root / "static")
    assert site.build().code == 0
    assert not (output / "logo.svg").exists() and not (output / "downloads").exists()
    assert (output / "static" / "css" / "site.css").is_file()


def test_an_unchanged_build_still_sees_a_new_or_changed_static_file(site):
    assert site.build().code == 0
    assert site.build().code == 0  # replayed from the cache: nothing changed
    (site.root / "static" / "late.txt").write_text("late", encoding="utf-8")
    assert site.build().code == 0
    assert (site.root / "output" / "late.txt").read_text(encoding="utf-8") == "late"


def test_links_and_special_files_are_skipped_with_a_warning(site, tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("private", encoding="utf-8")
    static = site.root / "static"
    (static / "secret.txt").symlink_to(secret)
    (static / "zero.bin").symlink_to("/dev/zero")
    (static / "gone.txt").symlink_to(static / "nothing-here.txt")
    os.mkfifo(static / "pipe.txt")
    (static / "inside.pdf").symlink_to(static / "reports" / "x.pdf")
    (static / "linked-folder").symlink_to(static / "reports", target_is_directory=True)
    run = site.build()
    assert run.code == 0, run.err
    assert sorted(line for line in run.err.splitlines() if line.startswith("static/")) == [
        "static/gone.txt:1: warning: is a symbolic link that leads to nothing (its target is missing); skipped",
        "static/linked-folder:1: warning: is a link to a folder, which a static folder does not follow; its files "
        "are not published (copy the folder in, or link each file)",
        "static/pipe.txt:1: warning: is a named pipe (FIFO), not a regular file; skipped",
        f"static/secret.txt:1: warning: is a symbolic link to {secret}, outside the project; skipped",
        "static/zero.bin:1: warning: is a symbolic link to /dev/zero, outside the project; skipped",
    ]
    output = site.root / "output"
    for name in ("secret.txt", "zero.bin", "gone.txt", "pipe.txt", "linked-folder"):
        assert not os.path.lexists(output / name), name
    # A link to a file inside the project is published as a copy of that file.
    assert (output / "inside.pdf").read_bytes() == PDF and not (output / "inside.pdf").is_symlink()
    assert site.build("--strict").code == 1


def test_a_static_folder_that_is_a_link_out_of_the_project_is_skipped_whole(make_site, tmp_path):
    site = make_site()
    site.article("ar", "one")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (outside / "private.txt").write_text("private", encoding="utf-8")
    (site.root / "static").symlink_to(outside, target_is_directory=True)
    run = site.build()
    assert run.code == 0, run.err
    assert f"static:1: warning: is a symbolic link to {outside}, outside the project; skipped" in run.err
    assert not (site.root / "output" / "private.txt").exists()


def test_a_file_named_static_is_skipped_with_a_warning(make_site):
    site = make_site()
    site.article("ar", "one")
    site.write("static", "not a folder")
    run = site.build()
    assert run.code == 0, run.err
    assert ("static:1: warning: is a file; the site's static files go in a folder static/ beside content/; "
            "skipped") in run.err


@pytest.mark.parametrize("name, clash", [
    ("ar/index.html", "the generated file ar/index.html"),
    ("sitemap.xml", "the generated file sitemap.xml"),
    ("ar", "the generated file ar/404.html"),  # a file where the pages need a folder
    ("ar/2017/09/one/index.html/x.txt", "the generated file ar/2017/09/one/index.html"),  # and the other way
    ("static/css/site.css", "the theme's file themes/default/static/css/site.css"),
    (".warraq-output", ".warraq-output, which the build keeps for itself"),
])
def test_a_file_in_the_place_of_a_generated_or_theme_file_is_an_error_naming_both(site, name, clash):
    assert site.build().code == 0
    output = site.root / "output"
    before = files_of(output)
    site.write(f"static/{name}", "mine")
    run = site.build()
    assert run.code == 1
    assert (f"static/{name}:1: would be published as output/{name}, which is also {clash}; "
            f"rename or remove one of them") in run.err
    assert files_of(output) == before  # nothing written


@pytest.mark.parametrize("name, clash", [
    ("ar", "the generated file ar/404.html"),
    ("ar/index.html/x", "the generated file ar/index.html"),
    ("ar/feed.xml/x", "the generated file ar/feed.xml"),
    ("robots.txt/x", "the generated file robots.txt"),
    ("pagefind/ar/2017/pagefind-entry.json", "the generated file pagefind/ar/2017/pagefind-entry.json"),
])
def test_a_clash_is_named_before_anything_is_staged_by_a_first_build_too(site, name, clash):
    # The search stage runs beside the rest of the build, whose files are staged while it runs: a clash with
    # them is found before staging (where it would fail as a write error), one with a search file after it.
    site.write(f"static/{name}", "mine")
    run = site.build()
    assert run.code == 1
    problems = [line for line in run.err.splitlines() if line.startswith("static/")]
    assert len(problems) == 1 and problems[0].startswith(
        f"static/{name}:1: would be published as output/{name}, which is also {clash}"), run.err
    assert "cannot write" not in run.err and not (site.root / "output").exists()


def test_several_conflicts_are_reported_together(site):
    site.write("static/404.html", "mine")
    site.write("static/robots.txt", "mine")
    run = site.build()
    assert run.code == 1
    assert [line for line in run.err.splitlines() if line.startswith("static/")] == [
        "static/404.html:1: would be published as output/404.html, which is also the generated file 404.html; "
        "rename or remove one of them",
        "static/robots.txt:1: would be published as output/robots.txt, which is also the generated file robots.txt; "
        "rename or remove one of them",
    ]


def test_a_cname_file_is_fine_unless_site_toml_writes_one_too(site):
    site.write("static/CNAME", "news.example.org\n")
    assert site.build().code == 0
    assert (site.root / "output" / "CNAME").read_text(encoding="utf-8") == "news.example.org\n"
    toml = site.root / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('cname = ""', 'cname = "news.example.org"'),
                    encoding="utf-8")
    run = site.build()
    assert run.code == 1
    assert "static/CNAME:1: would be published as output/CNAME, which is also the generated file CNAME" in run.err


def test_the_site_may_bring_its_own_nojekyll(site):
    site.write("static/.nojekyll", "")
    run = site.build()
    assert run.code == 0, run.err
    assert (site.root / "output" / ".nojekyll").read_bytes() == b""


def test_version_control_folders_and_desktop_litter_are_never_published(tmp_path):
    # A static/ kept as its own clone (or a theme copied with its .git) must not put .git/config, with its
    # remote's address and maybe a token, on the public site; .well-known/ and .nojekyll are the site's own.
    from generator.writer import static_files

    static = tmp_path / "project" / "static"
    for name in (".git/config", ".git/objects/ab/cdef", ".hg/hgrc", ".svn/entries", "reports/.git",
                 ".DS_Store", "reports/.DS_Store", "Thumbs.db", "reports/x.pdf", ".well-known/security.txt",
                 ".nojekyll", "CNAME"):
        (static / name).parent.mkdir(parents=True, exist_ok=True)
        (static / name).write_text("x", encoding="utf-8")
    files, problems = static_files(static, tmp_path / "project")
    assert [path.relative_to(static).as_posix() for path in files] == [
        ".nojekyll", ".well-known/security.txt", "CNAME", "reports/x.pdf"]
    assert problems == []
