"""The build cache: a warm build is byte-identical to a cold one after every kind of change.

Each case builds once (filling the cache and output/), changes one input, then builds warm twice (into the
previous output/, and into an empty folder so page bytes come from the cache itself) and cold once (cache
deleted, empty output), and compares every file's hash. Not timed: bench/run.py measures speed.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import shutil
import time
from pathlib import Path
from typing import Callable

import pytest

from generator import parallel
from generator.cache import CACHE_DIR, DATABASE
from generator.errors import BuildError
from generator.guard import STAGING
from generator.pipeline import BuildOptions, BuildResult, build
from tests.conftest import REPO, SiteDir, run_cli

AN_HOUR_AGO = time.time() - 3600
CATALOG = "themes/default/locales/ar/LC_MESSAGES/messages.po"


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under folder with the hash of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build_into(root: Path, output: Path, **options: object) -> BuildResult:
    return build(root, BuildOptions(output=output, **options))  # type: ignore[arg-type]


@pytest.fixture
def site(make_site: Callable[..., SiteDir]) -> SiteDir:
    """Five Arabic articles over two years, two English translations, tags, footnotes and a long body."""
    site = make_site()
    long_body = "\n\n".join(f"## قسم {n}\n\nفقرة {n} فيها حاشية[^{n}].\n\n[^{n}]: حاشية {n}." for n in range(1, 5))
    for number in range(1, 6):
        site.article("ar", f"article-{number}", title=f"المقال {number}", date=f"201{6 + number % 2}-0{number}-1{number}",
                     tags="syria, isis" if number % 2 else "syria",
                     body=long_body if number == 1 else f"نص المقال {number}.",
                     extra=f"translation_key: key-{number}")
    for number in (1, 2):
        site.article("en", f"article-{number}", title=f"Article {number}", date=f"201{6 + number % 2}-0{number}-1{number}",
                     tags="syria", body=f"Body of article {number}.", extra=f"translation_key: key-{number}")
    age(site.root)
    return site


def age(root: Path) -> None:
    """Date every input an hour back, as files are between edits (recent files are always re-hashed)."""
    for path in root.rglob("*"):
        if path.is_file() and CACHE_DIR not in path.parts:
            os.utime(path, (AN_HOUR_AGO, AN_HOUR_AGO))


def edit(root: Path, relative: str, old: str, new: str) -> None:
    path = root / relative
    text = path.read_text(encoding="utf-8")
    assert old in text, (relative, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


CHANGES: dict[str, Callable[[Path], None]] = {
    "article body": lambda root: edit(root, "content/ar/article-3.md", "نص المقال 3.", "نص المقال 3 بعد التعديل."),
    "article title": lambda root: edit(root, "content/ar/article-2.md", "title: المقال 2", "title: عنوان جديد"),
    "translation": lambda root: edit(root, "content/en/article-1.md", "Body of article 1.", "A new English body."),
    "tags": lambda root: edit(root, "content/ar/article-4.md", "tags: [syria]", "tags: [isis]"),
    "draft": lambda root: edit(root, "content/ar/article-5.md", "slug: article-5", "slug: article-5\ndraft: true"),
    "template": lambda root: edit(root, "themes/default/templates/article.html", "</article>",
                                  "</article>\n<!-- changed -->"),
    "base template": lambda root: edit(root, "themes/default/templates/base.html", "</body>", "<!-- b --></body>"),
    "catalog string": lambda root: edit(root, CATALOG, 'msgstr "الموضوعات"', 'msgstr "المواضيع"'),
    "page size": lambda root: edit(root, "site.toml", "page_size = 10", "page_size = 2"),
    "hijri adjustment": lambda root: edit(root, "site.toml", "hijri_adjustment = 0", "hijri_adjustment = 1"),
    "full-content feeds": lambda root: edit(root, "site.toml", 'feed_content = "summary"', 'feed_content = "full"'),
    "site title": lambda root: edit(root, "site.toml", 'title = "Warraq Observatory"', 'title = "Observatory"'),
    "deleted article": lambda root: (root / "content/ar/article-2.md").unlink(),
    "deleted translation": lambda root: (root / "content/en/article-2.md").unlink(),
    "new article": lambda root: (root / "content/ar/article-6.md").write_text(
        "---\ntitle: جديد\nslug: article-6\ndate: 2018-01-01\ntags: [isis]\n---\nنص جديد.\n", encoding="utf-8"),
    "static file": lambda root: edit(root, "themes/default/static/css/site.css", "", "/* changed */\n"),
    "corrupt cache": lambda root: (root / CACHE_DIR / DATABASE).write_bytes(b"not a database" * 100),
    "nothing": lambda root: None,
}


@pytest.mark.parametrize("aged", [True, False], ids=["old files", "just written"])
@pytest.mark.parametrize("change", list(CHANGES))
def test_a_warm_build_is_byte_identical_to_a_cold_one(site: SiteDir, tmp_path: Path, change: str, aged: bool):
    root = site.root
    if not aged:
        for path in root.rglob("*"):
            if path.is_file():
                os.utime(path)
    build_into(root, root / "output")
    cache_before = tmp_path / "cache-before"
    shutil.copytree(root / CACHE_DIR, cache_before)
    CHANGES[change](root)

    build_into(root, root / "output")  # warm, over the previous output/
    shutil.rmtree(root / CACHE_DIR)
    shutil.copytree(cache_before, root / CACHE_DIR)
    build_into(root, tmp_path / "warm-empty")  # warm, into an empty folder: articles and bodies from the cache
    shutil.rmtree(root / CACHE_DIR)
    build_into(root, tmp_path / "cold")

    cold = tree_digest(tmp_path / "cold")
    assert tree_digest(root / "output") == cold
    assert tree_digest(tmp_path / "warm-empty") == cold



def test_after_a_killed_build_only_files_a_build_wrote_are_deleted(site: SiteDir, tmp_path: Path, monkeypatch):
    """A build killed after moving its files into output/ (before its record was saved) leaves the next build
    unable to trust the record: that build deletes the files the site no longer has that a build wrote (the
    record's, and the killed builds' by their journals), never a file put in output/ by hand."""
    output = site.root / "output"
    build_into(site.root, output)
    add_by_hand(output)
    # Two builds killed in a row, each adding a page: the second must pass on the first one's list.
    added = [site.article("ar", "added", title="مضاف", date="2017-06-16")]
    kill_at_save(monkeypatch)(site.root, output)
    added.append(site.article("ar", "later", title="لاحق", date="2017-06-17"))
    kill_at_save(monkeypatch)(site.root, output)
    assert (output / "ar/2017/06/added/index.html").is_file() and (output / "ar/2017/06/later/index.html").is_file()
    assert (output / STAGING).exists()
    for path in added:
        path.unlink()  # the killed builds' pages are now ones the site does not have
    build_into(site.root, output)
    assert not (output / STAGING).exists()
    assert_cold_plus_by_hand(site.root, output, tmp_path / "cold")


def test_a_build_that_fails_after_a_killed_one_leaves_the_record_untrusted(site: SiteDir, tmp_path: Path,
                                                                          monkeypatch):
    """Killed after moving a page in, then a build that stops on a template error: the build after both must
    still know which files builds wrote (the killed one's stale page goes, a file put there by hand stays)."""
    output = site.root / "output"
    build_into(site.root, output)
    add_by_hand(output)
    added = site.article("ar", "added", title="مضاف", date="2017-06-16")
    kill_at_save(monkeypatch)(site.root, output)
    fail_on_a_template_error(site.root, output)
    added.unlink()
    build_into(site.root, output)
    assert_cold_plus_by_hand(site.root, output, tmp_path / "cold")


def fail_on_a_template_error(root: Path, output: Path) -> None:
    """A build that stops on a template error while rendering pages, the template then put right."""
    template = root / "themes/default/templates/article.html"
    good = template.read_text(encoding="utf-8")
    template.write_text(good.replace("</article>", "{{ article.no_such_field.x }}</article>"), encoding="utf-8")
    with pytest.raises(BuildError):
        build_into(root, output)
    template.write_text(good, encoding="utf-8")


def add_by_hand(output: Path) -> None:
    """Files a user puts in output/ (a search console's proof, a security.txt): no build wrote them."""
    (output / "google123.html").write_text("google-site-verification", encoding="utf-8")
    (output / ".well-known").mkdir(exist_ok=True)
    (output / ".well-known" / "security.txt").write_text("Contact: x", encoding="utf-8")


def assert_cold_plus_by_hand(root: Path, output: Path, scratch: Path) -> None:
    """output/ holds exactly a cold build's files and the two added by hand."""
    shutil.rmtree(root / CACHE_DIR)
    build_into(root, scratch)
    by_hand = {"google123.html", ".well-known/security.txt"}
    found = tree_digest(output)
    assert by_hand <= found.keys()
    assert {name: digest for name, digest in found.items() if name not in by_hand} == tree_digest(scratch)


def kill_at_save(monkeypatch) -> Callable[[Path, Path], None]:
    """A build killed once its files are in output/ and before its record is saved."""
    from generator import pipeline

    def killed(root: Path, output: Path) -> None:
        monkeypatch.setattr(pipeline, "save_cache", lambda *args, **kwargs: sys_exit())
        with pytest.raises(SystemExit):
            build_into(root, output)
        monkeypatch.setattr(pipeline, "save_cache", original)
    original = pipeline.save_cache
    return killed


def sys_exit() -> None:
    raise SystemExit("killed")


def test_a_build_that_fails_before_its_moves_leaves_the_record_trusted(site: SiteDir, tmp_path: Path):
    """A template error (or Ctrl-C) before any file is moved leaves output/ as its record says: the next build
    still knows which files builds wrote, and keeps the ones added by hand."""
    output = site.root / "output"
    build_into(site.root, output)
    add_by_hand(output)
    fail_on_a_template_error(site.root, output)
    (site.root / "content/ar/article-4.md").unlink()
    build_into(site.root, output)
    assert_cold_plus_by_hand(site.root, output, tmp_path / "cold")


def test_a_build_killed_while_it_clears_a_killed_build_s_leftovers_keeps_their_journal(site: SiteDir, tmp_path,
                                                                                      monkeypatch):
    from generator import writer
    output = site.root / "output"
    build_into(site.root, output)
    add_by_hand(output)
    added = site.article("ar", "added", title="مضاف", date="2017-06-16")
    kill_at_save(monkeypatch)(site.root, output)
    real = writer.remove_entry

    def dying(path):
        if os.path.basename(path).startswith(writer.JOURNAL_PREFIX):
            raise SystemExit("killed while removing a journal")
        real(path)
    monkeypatch.setattr(writer, "remove_entry", dying)
    with pytest.raises(SystemExit):
        build_into(site.root, output)
    monkeypatch.setattr(writer, "remove_entry", real)
    added.unlink()
    build_into(site.root, output)
    assert_cold_plus_by_hand(site.root, output, tmp_path / "cold")


def test_odd_journals_are_passed_over_without_a_hang_and_nothing_outside_output_is_read(site: SiteDir, tmp_path,
                                                                                       monkeypatch):
    """After a kill: a FIFO and a link to /dev/zero named like journals, a folder listed before the real one;
    the real journal is still read (the killed build's stale page goes), the others change nothing."""
    output = site.root / "output"
    build_into(site.root, output)
    add_by_hand(output)
    added = site.article("ar", "added", title="مضاف", date="2017-06-16")
    kill_at_save(monkeypatch)(site.root, output)
    staging = output / STAGING
    os.mkfifo(staging / "moved-0-fifo")
    (staging / "moved-0-zero").symlink_to("/dev/zero")
    (staging / "moved-0-folder").mkdir()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "moved-evil").write_bytes(b"google123.html\0")
    (staging / "moved-0-link").symlink_to(outside / "moved-evil")
    added.unlink()
    build_into(site.root, output)
    assert_cold_plus_by_hand(site.root, output, tmp_path / "cold")


def test_a_staging_folder_that_is_a_link_is_not_read(site: SiteDir, tmp_path):
    output = site.root / "output"
    build_into(site.root, output)
    add_by_hand(output)
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "moved-evil").write_bytes(b"google123.html\0.well-known/security.txt\0")
    (output / STAGING).symlink_to(outside, target_is_directory=True)
    build_into(site.root, output)
    assert (output / "google123.html").is_file() and (outside / "moved-evil").is_file()


def test_a_folder_of_output_replaced_by_a_link_has_nothing_deleted_through_it(site: SiteDir, tmp_path):
    output = site.root / "output"
    build_into(site.root, output)
    victim = tmp_path / "victim"
    victim.mkdir()
    for name in ("index.html", "feed.xml"):
        (victim / name).write_text("not the build's", encoding="utf-8")
    tag = output / "ar/tags/isis"
    shutil.rmtree(tag)
    tag.symlink_to(victim, target_is_directory=True)
    for number in (1, 3, 5):  # no article is tagged isis any more: its page and feed are stale
        edit(site.root, f"content/ar/article-{number}.md", "tags: [syria, isis]", "tags: [syria]")
    build_into(site.root, output)
    assert sorted(p.name for p in victim.iterdir()) == ["feed.xml", "index.html"]

def test_output_is_trusted_as_recorded_unless_a_build_was_interrupted(site: SiteDir):
    """A warm build takes output/ to be as the last build recorded leaving it (no listing, no reading of files it
    keeps): a page edited there by hand stays until its inputs change, or until a build finds a killed build's
    staging folder, or output/ is deleted."""
    output = site.root / "output"
    build_into(site.root, output)
    cold = tree_digest(output)
    edit(site.root, "output/ar/index.html", "</body>", "<!-- hand --></body>")
    next(output.glob("ar/*/*/article-2/index.html")).unlink()
    assert build_into(site.root, output).written == 0  # trusted: nothing looked at
    assert "<!-- hand -->" in (output / "ar/index.html").read_text(encoding="utf-8")
    (output / STAGING / "build-1").mkdir(parents=True)  # as a build killed after moving files in leaves it
    again = build_into(site.root, output)
    assert again.written == 2 and tree_digest(output) == cold and not (output / STAGING).exists()
    shutil.rmtree(output)
    assert build_into(site.root, output).written == len(cold) - 1 and tree_digest(output) == cold  # all but the marker


def test_a_no_change_rebuild_uses_the_cache_and_keeps_every_file(site: SiteDir):
    output = site.root / "output"
    first = build_into(site.root, output)
    assert first.bodies_rendered == 7 and first.articles_read == 7 and first.pages_rendered > 0
    times = {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()}
    again = build_into(site.root, output)
    assert (again.articles_read, again.bodies_rendered, again.pages_rendered, again.written) == (0, 0, 0, 0)
    assert again.unchanged == first.written + first.unchanged
    assert {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()} == times



def test_a_build_across_midnight_uses_the_date_it_started_on_and_the_next_one_sees_the_new_day(site: SiteDir,
                                                                                             monkeypatch):
    """A build reads the date once: the clock turning while it runs changes nothing in it (the tomorrow article
    stays out, and is counted as future). The next build has the new date: the build fingerprint differs, so it
    publishes that article instead of replaying the last result; the build after that replays."""
    import datetime

    from generator import unchanged
    output = site.root / "output"
    start = datetime.date(2026, 12, 1)
    site.article("ar", "tomorrow", title="غدا", date=str(start + datetime.timedelta(days=1)))
    days = iter([start] + [start + datetime.timedelta(days=1)] * 99)  # midnight passes after the first reading
    monkeypatch.setattr(unchanged, "build_date", lambda: next(days))
    first = build_into(site.root, output)
    assert first.future == 1 and not (output / "ar/2026/12/tomorrow").exists()
    second = build_into(site.root, output)
    assert second.future == 0 and second.written > 0
    assert (output / "ar/2026/12/tomorrow/index.html").is_file()
    times = {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()}
    third = build_into(site.root, output)
    assert (third.written, third.pages_rendered) == (0, 0)
    assert {p: p.stat().st_mtime_ns for p in output.rglob("*") if p.is_file()} == times

def test_recent_files_are_compared_by_their_bytes(site: SiteDir):
    """Files modified just before a build may change again within one clock tick: their stat is not trusted."""
    output = site.root / "output"
    path = site.root / "content/ar/article-3.md"
    os.utime(path)
    build_into(site.root, output)
    stat = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("المقال 3.", "المقال 9."), encoding="utf-8")
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # same size, same mtime: only the bytes differ
    result = build_into(site.root, output)
    assert result.articles_read == 1 and result.bodies_rendered == 1
    assert "المقال 9." in (output / "ar/2017/03/article-3/index.html").read_text(encoding="utf-8")


def test_a_recent_file_is_compared_without_reading_the_whole_record(site: SiteDir, monkeypatch):
    """The no-change check finds the hash of a file changed just before the last build in its own small record:
    the whole record (every output file, every hash: megabytes at 20,000 articles) is left unread."""
    from generator.cache import BuildCache
    output = site.root / "output"
    os.utime(site.root / "content/ar/article-3.md")
    build_into(site.root, output)
    monkeypatch.setattr(BuildCache, "fast_state", lambda self: pytest.fail("the whole record was read"))
    result = build_into(site.root, output)
    assert (result.written, result.articles_read) == (0, 0)


def test_files_changed_just_before_a_build_are_compared_by_bytes_until_a_check_finds_them_settled(
        site: SiteDir, monkeypatch):
    """A file changed within RACY_NS before a build started may change again unseen by its stat: no-change
    checks compare its bytes. Once a check finds it as recorded and older than RACY_NS, the check records that,
    and later checks trust its stat (a clone or copy just before a cold build once cost every later
    no-change check a hash of those files). An edit after settling is still seen."""
    from generator import cache as caching, unchanged
    output = site.root / "output"
    for path in (site.root / "content").rglob("*.md"):
        os.utime(path)  # changed now: within RACY_NS before the build below starts
    began = time.time_ns()
    build_into(site.root, output)
    hashed: list[str] = []
    real_hash = unchanged.hash_file
    monkeypatch.setattr(unchanged, "hash_file", lambda path: hashed.append(path.name) or real_hash(path))
    clock = [began + caching.RACY_NS // 4]  # the checks' clock, so that the test need not wait
    monkeypatch.setattr(caching, "now_ns", lambda: clock[0])
    articles = {path.name for path in (site.root / "content").rglob("*.md")}
    # Soon after the build: every content file is still recent, compared by its bytes, and stays recent.
    for _ in range(2):
        hashed.clear()
        assert build_into(site.root, output).written == 0 and articles <= set(hashed)
    clock[0] = began + caching.RACY_NS * 3 // 2
    hashed.clear()
    assert build_into(site.root, output).written == 0 and articles <= set(hashed)  # compared, then settled
    hashed.clear()
    assert build_into(site.root, output).written == 0 and hashed == []
    # A file edited after that is still seen: by its stat, which the edit changes.
    CHANGES["article body"](site.root)
    assert build_into(site.root, output).written > 0


@pytest.mark.parametrize("kind", ["content", "static"])
def test_a_link_pointed_at_another_file_of_the_same_size_and_time_is_rebuilt_after_a_settled_check(
        site: SiteDir, monkeypatch, kind):
    """Pointing a link at another file changes no stat of either file, only the link's own change time, which
    the inputs' stat therefore carries: two targets of the same size and change time (a future modification
    time makes them equal here; a checkout can on coarse clocks) are still told apart once the no-change check
    has settled them and trusts their stat."""
    from generator import cache as caching
    monkeypatch.setattr(caching, "RACY_NS", 300_000_000)  # 0.3 s, so that the files settle soon
    output = site.root / "output"
    if kind == "content":
        # Two folders, one name: the article's slug comes from its file's name.
        targets = {version: site.root / "drafts" / version / "linked.md" for version in "AB"}
        link, published = site.root / "content/ar/linked.md", output / "ar/2017/01/linked/index.html"
        text = "---\ntitle: مرتبط\ndate: 2017-01-02\n---\nVersion {}\n"
    else:
        targets = {version: site.root / "static/versions" / f"{version}.css" for version in "AB"}
        link, published = site.root / "static/style-extra.css", output / "style-extra.css"
        text = "body {{ content: 'Version {}' }}\n"
    future = time.time_ns() + 300_000_000
    for version, target in targets.items():
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text.format(version), encoding="utf-8")
        os.utime(target, ns=(future, future))
    link.symlink_to(os.path.relpath(targets["A"], link.parent))
    build_into(site.root, output)
    assert "Version A" in published.read_text(encoding="utf-8")
    time.sleep(0.7)  # past the future time and RACY_NS after it
    assert build_into(site.root, output).written == 0  # compares the recent files by their bytes, and settles
    link.unlink()
    link.symlink_to(os.path.relpath(targets["B"], link.parent))
    assert build_into(site.root, output).written > 0
    assert "Version B" in published.read_text(encoding="utf-8")


def test_a_no_change_check_does_not_wait_for_a_database_another_program_holds(site: SiteDir, monkeypatch):
    """Settling its record is only a saving: with another program writing to the cache database (a SQLite
    browser, a backup), the no-change check gives up on it at once instead of waiting the connection's 30 s,
    and tries again next time."""
    import sqlite3
    from generator import cache as caching, unchanged
    output = site.root / "output"
    for path in (site.root / "content").rglob("*.md"):
        os.utime(path)
    began = time.time_ns()
    build_into(site.root, output)
    monkeypatch.setattr(caching, "now_ns", lambda: began + caching.RACY_NS * 3 // 2)  # the files are old now
    hashed: list[str] = []
    real_hash = unchanged.hash_file
    monkeypatch.setattr(unchanged, "hash_file", lambda path: hashed.append(path.name) or real_hash(path))
    holder = sqlite3.connect(site.root / CACHE_DIR / DATABASE)
    holder.execute("BEGIN IMMEDIATE")
    try:
        started = time.monotonic()
        assert build_into(site.root, output).written == 0
        assert time.monotonic() - started < 5
    finally:
        holder.rollback()
        holder.close()
    assert hashed  # compared by their bytes; not settled, as the database was held
    hashed.clear()
    assert build_into(site.root, output).written == 0 and hashed  # compared again, and settled this time
    hashed.clear()
    assert build_into(site.root, output).written == 0 and hashed == []


def test_a_plain_content_folder_is_found_unchanged_without_the_full_scan(site: SiteDir, monkeypatch):
    """The no-change check compares a content/ of plain folders and Markdown files by their stats alone, and
    a build that goes on makes its entries from the same stats; the full scan (an entry per file, a second
    walk) runs only when content/ holds anything else."""
    from generator import unchanged
    output = site.root / "output"
    build_into(site.root, output)
    scans = []
    real_scan = unchanged.scan_content
    monkeypatch.setattr(unchanged, "scan_content", lambda config: scans.append(1) or real_scan(config))
    assert (build_into(site.root, output).written, scans) == (0, [])
    CHANGES["article body"](site.root)
    assert build_into(site.root, output).written > 0 and scans == []
    (site.root / "content/ar/bundle").mkdir()  # a page bundle: the scan decides, and finds nothing changed
    (site.root / "content/ar/bundle/index.md").write_text("---\ntitle: حزمة\ndate: 2017-01-02\n---\nنص.\n")
    build_into(site.root, output)
    scans.clear()
    assert (build_into(site.root, output).written, scans) == (0, [1])


def test_a_build_with_seeds_kept_walks_content_once(make_site, monkeypatch):
    """The import's check (every seed imported, nothing changed) and the no-change check compare content/'s
    stats each with its record: one walk serves both. After an import that wrote content/, the build walks
    again."""
    from generator import import_record, scan
    monkeypatch.setattr(import_record, "RACY_NS", 0)  # the import's files are trusted by their stats at once
    site = make_site(with_sample_seed=True)
    assert run_cli("--root", str(site.root)).code == 0
    walks = []
    real = scan.plain_content_stats
    monkeypatch.setattr(scan, "plain_content_stats", lambda top: walks.append(top) or real(top))
    result = run_cli("--root", str(site.root))
    assert result.code == 0 and "nothing written" in result.out and walks == [str(site.root / "content")]
    seed = next((REPO / "seeds").glob("*.txt"))
    (site.root / "seeds" / "new.txt").write_bytes(seed.read_bytes() + "\nفقرة أخرى.\n".encode())
    walks.clear()
    result = run_cli("--root", str(site.root))
    assert result.code == 0 and "imported content/" in result.out and len(walks) > 1


def test_one_edited_article_renders_one_body_and_only_the_pages_that_show_it(site: SiteDir):
    output = site.root / "output"
    first = build_into(site.root, output)
    CHANGES["article body"](site.root)
    result = build_into(site.root, output)
    assert (result.articles_read, result.bodies_rendered) == (1, 1)
    # Its page, and the listings that carry its view (home, tag, archives), not every page.
    assert 0 < result.pages_rendered < first.pages_rendered / 2
    assert dict(result.written_by_kind)["article"] == 1


def test_the_summary_counts_written_files_by_kind(site: SiteDir):
    result = build_into(site.root, site.root / "output")
    kinds = dict(result.written_by_kind)
    assert kinds["article"] == 7
    assert kinds["feed"] > 0 and kinds["listing"] > 0 and kinds["other"] > 0
    assert sum(kinds.values()) == result.written


def test_a_corrupt_cache_is_rebuilt(site: SiteDir):
    output = site.root / "output"
    build_into(site.root, output)
    (site.root / CACHE_DIR / DATABASE).write_bytes(b"\0garbage" * 1000)
    result = build_into(site.root, output)
    assert result.bodies_rendered == 7
    assert build_into(site.root, output).bodies_rendered == 0


def test_check_writes_no_cache(site: SiteDir):
    build(site.root, BuildOptions(write=False))
    assert not (site.root / CACHE_DIR).exists()


def test_worker_processes_give_the_same_site(site: SiteDir, tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    build_into(site.root, tmp_path / "one-process", use_cache=False)
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    assert parallel.worker_count(7) > 1 or (os.cpu_count() or 1) == 1
    build_into(site.root, tmp_path / "workers")
    assert tree_digest(tmp_path / "workers") == tree_digest(tmp_path / "one-process")


def test_worker_processes_report_template_errors_at_their_line(site: SiteDir, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    build_into(site.root, site.root / "output")
    before = tree_digest(site.root / "output")
    edit(site.root, "themes/default/templates/article.html", "</article>", "{{ article.no_such_field }}</article>")
    with pytest.raises(BuildError) as raised:
        build_into(site.root, site.root / "output")
    messages = [str(problem) for problem in raised.value.problems]
    assert messages and all(m.startswith("themes/default/templates/article.html:") for m in messages), messages
    assert "no_such_field" in messages[0]
    assert tree_digest(site.root / "output") == before


def test_compiled_templates_are_kept_for_the_current_code_only(site: SiteDir):
    stale = site.root / CACHE_DIR / "templates" / "compiled-by-old-code"
    stale.mkdir(parents=True)
    (stale / "__jinja2_x.cache").write_bytes(b"old")
    build_into(site.root, site.root / "output")
    folders = list((site.root / CACHE_DIR / "templates").iterdir())
    assert len(folders) == 1 and folders[0] != stale
    # One folder per language (theme.language_bytecode_cache): each compiles its own strings in.
    assert sorted(folder.name for folder in folders[0].iterdir()) == ["ar", "en"]
    assert any(folders[0].glob("ar/__jinja2_*.cache")) and any(folders[0].glob("en/__jinja2_*.cache"))
    # A template edited after it was compiled is compiled again (Jinja compares the source's checksum).
    edit(site.root, "themes/default/templates/article.html", "</article>", "<!-- after --></article>")
    build_into(site.root, site.root / "output")
    assert "<!-- after -->" in (site.root / "output/ar/2017/03/article-3/index.html").read_text(encoding="utf-8")


def test_a_warm_rebuild_does_not_load_the_html_of_unchanged_bodies(site: SiteDir, monkeypatch: pytest.MonkeyPatch):
    from generator.cache import BodyStore

    build_into(site.root, site.root / "output")
    edit(site.root, "content/ar/article-3.md", "نص المقال 3.", "نص معدل.")
    loaded: list[bytes] = []
    indexed: list[bytes] = []
    original = BodyStore.html

    def record(self, key):
        # The search stage re-indexes the edited article's shard (its language and year), which needs the text
        # of that shard's articles; rendering must not load any other body.
        called_from_search = any(frame.filename.endswith("search.py") for frame in inspect.stack()[1:8])
        (indexed if called_from_search else loaded).append(key)
        return original(self, key)

    monkeypatch.setattr(BodyStore, "html", record)
    result = build_into(site.root, site.root / "output")
    # Only the pages that show the edited article render, and only its article page prints a body: its own.
    # (The search stage reads the edited body first and the page reuses it: then no second load at all.)
    assert result.bodies_rendered == 1 and result.pages_rendered > 0 and len(loaded) <= 1
    assert len(indexed) == len(set(indexed)) <= 1
    loaded.clear()
    edit(site.root, "themes/default/templates/article.html", "</article>", "<!-- every page --></article>")
    result = build_into(site.root, site.root / "output")
    # Every article page renders again, each reading its own body from the cache once.
    assert result.bodies_rendered == 0 and len(loaded) == len(set(loaded)) == 7


def test_a_warm_rebuild_reads_the_tables_of_contents_of_the_pages_it_renders_only(make_site, monkeypatch):
    from generator.cache import BodyStore

    site = make_site()
    headings = "\n\n".join(f"## القسم {n}\n\nفقرة {n}." for n in range(1, 4))
    for n in range(4):
        site.article("ar", f"toc-{n}", body=headings if n % 2 == 0 else f"فقرة قصيرة {n}.")
    assert site.build().code == 0
    cold = {n: site.read(f"ar/2017/09/toc-{n}/index.html") for n in range(4)}
    assert all('class="article-toc"' in cold[n] for n in (0, 2)) and 'class="article-toc"' not in cold[1]
    read: list[bytes] = []
    original = BodyStore.toc
    monkeypatch.setattr(BodyStore, "toc", lambda self, key: read.append(key) or original(self, key))
    edit(site.root, "content/ar/toc-2.md", "فقرة 3.", "فقرة ثالثة.")
    assert site.build().code == 0
    # The edited body was converted by this build: no table of contents is read from the cache at all.
    assert read == []
    assert 'href="#القسم-3"' in site.read("ar/2017/09/toc-2/index.html")
    # Every article page renders again from cached bodies: each reads its own table of contents, and the
    # pages are those of a cold build (the stand-in prints as the text did).
    edit(site.root, "themes/default/templates/article.html", "</article>", "<!-- again --></article>")
    assert site.build().code == 0
    assert len(set(read)) == 4
    for n in (0, 1, 3):
        assert site.read(f"ar/2017/09/toc-{n}/index.html") == cold[n].replace("</article>", "<!-- again --></article>")
    # A theme may treat it as the text it is, with any filter or test: the same page warm and cold.
    uses = ("article.toc|length", "article.toc|replace('القسم', 'ق')|striptags|wordcount", "article.toc|trim",
            "article.toc|string", "article.toc|upper", "article.toc ~ ''", "article.toc == ''", "article.toc != ''",
            "article.toc is string", "article.toc|tojson", "'<li>' in article.toc", "article.toc[:12]",
            "article.toc|truncate(20)", "article.toc.startswith('<div')", "article.toc.split('<li>')|length")
    edit(site.root, "themes/default/templates/article.html", "</article>",
         "".join(f"<i>{{{{ {use} }}}}</i>" for use in uses) + "</article>")
    assert site.build().code == 0
    warm = {n: site.read(f"ar/2017/09/toc-{n}/index.html") for n in range(4)}
    assert "<i>6</i>" in warm[0] and "<i>True</i><i>False</i><i>True</i>" in warm[1]  # == '', != '', is string
    shutil.rmtree(site.root / CACHE_DIR)
    assert site.build().code == 0
    assert {n: site.read(f"ar/2017/09/toc-{n}/index.html") for n in range(4)} == warm


def test_the_cache_forgets_what_the_site_no_longer_has(site: SiteDir):
    import sqlite3

    def rows() -> dict[str, int]:
        with sqlite3.connect(site.root / CACHE_DIR / DATABASE) as connection:
            return {table: connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
                    for table in ("articles", "bodies", "pages")}

    output = site.root / "output"
    build_into(site.root, output)
    first = rows()
    assert first["articles"] == 7 and first["bodies"] == 7
    for round_ in range(3):  # each edit makes a new body; the old one must go
        edit(site.root, "content/ar/article-3.md", "نص المقال 3" if round_ == 0 else f"نص {round_}", f"نص {round_ + 1}")
        build_into(site.root, output)
        assert rows() == first
    (site.root / "content/ar/article-2.md").unlink()
    result = build_into(site.root, output)
    after = rows()
    assert after["articles"] == after["bodies"] == 6
    # One row per file the build makes (pages, cards, feeds, sitemap, search files), static files aside.
    assert after["pages"] == result.pages


def test_a_new_template_string_missing_from_a_catalog_stops_a_warm_build(site: SiteDir):
    # The strings found in the templates are cached; a template edit must find the new one all the same.
    output = site.root / "output"
    build_into(site.root, output)
    edit(site.root, "themes/default/templates/article.html", "</article>", "{{ _('A string no catalog has') }}</article>")
    with pytest.raises(BuildError) as raised:
        build_into(site.root, output)
    assert any("A string no catalog has" in problem.message for problem in raised.value.problems)


def test_files_removed_or_altered_in_output_are_restored_once_the_cache_is_deleted(site: SiteDir):
    """Without the cache's record every file of output/ is checked: deleting .warraq-cache/ is how a user who
    changed output/ by hand gets it back (a warm build trusts the record: test_output_is_trusted_...)."""
    assert site.build().code == 0
    output = site.root / "output"
    before = {p: p.read_bytes() for p in output.rglob("*") if p.is_file()}
    pages = sorted(p for p in before if p.name == "index.html")
    pages[0].unlink()
    pages[1].write_bytes(b"altered")
    (output / "static").rename(output / "moved")  # a whole folder gone
    shutil.rmtree(site.root / CACHE_DIR)
    result = site.build()
    assert result.code == 0, result.err
    assert {p: p.read_bytes() for p in output.rglob("*") if p.is_file()} == before
    assert "nothing written" not in result.out


def test_the_body_fingerprint_covers_every_module_that_makes_a_body():
    # A tree processor or sanitiser module missing from MARKUP_MODULES would let a changed module's bodies be
    # served from the cache as they were: find markup.py's generator imports, transitively, from the source.
    import ast

    from generator.cache import GENERATOR_DIR, MARKUP_MODULES

    seen, pending = set(), ["markup.py"]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen.add(name)
        tree = ast.parse((GENERATOR_DIR / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("generator."):
                module = node.module.removeprefix("generator.").replace(".", "/")
                pending.append(f"{module}.py" if (GENERATOR_DIR / f"{module}.py").exists() else f"{module}/__init__.py")
    assert seen <= set(MARKUP_MODULES), sorted(seen - set(MARKUP_MODULES))


def test_the_code_fingerprint_covers_modules_in_sub_packages(tmp_path, monkeypatch):
    from generator import cache

    package = tmp_path / "generator"
    (package / "arabic").mkdir(parents=True)
    (package / "cli.py").write_text("x = 1\n")
    (package / "arabic" / "dates.py").write_text("y = 1\n")
    monkeypatch.setattr(cache, "GENERATOR_DIR", package)
    before = cache.code_fingerprint()
    (package / "arabic" / "dates.py").write_text("y = 2\n")
    assert cache.code_fingerprint() != before


def test_a_session_spares_reading_the_cache_and_gives_the_same_site(site: SiteDir, tmp_path: Path, monkeypatch):
    """serve keeps the cache's tables in memory (cache.Session): its rebuilds read no article or page row while
    the database holds its token, give a cold build's bytes, and read the database again once another process
    (another token) has written it."""
    from generator import cache as caching

    output = site.root / "output"
    session = caching.Session()
    reads: list[str] = []
    real = caching.BuildCache._query
    monkeypatch.setattr(caching.BuildCache, "_query",
                        lambda self, sql, parameters=(): reads.append(sql) or real(self, sql, parameters))
    build(site.root, BuildOptions(output=output), session)
    assert session.token and len(session.articles) == 7 and session.pages
    for change in ("article body", "tags", "new article", "deleted translation"):
        CHANGES[change](site.root)
        reads.clear()
        build(site.root, BuildOptions(output=output), session)
        assert not [sql for sql in reads if "FROM articles" in sql or "FROM pages" in sql], change
        assert set(session.articles) == {path.relative_to(site.root).as_posix()
                                         for path in (site.root / "content").rglob("*.md")}, change
        cold = tmp_path / f"cold-{change}"
        build(site.root, BuildOptions(output=cold, use_cache=False))
        assert tree_digest(output) == tree_digest(cold), change
    build(site.root, BuildOptions(output=tmp_path / "elsewhere"))  # another process's build: a new token
    reads.clear()
    CHANGES["article title"](site.root)
    build(site.root, BuildOptions(output=output), session)
    assert [sql for sql in reads if "FROM articles" in sql]
    build(site.root, BuildOptions(output=tmp_path / "cold-last", use_cache=False))
    assert tree_digest(output) == tree_digest(tmp_path / "cold-last")


def test_article_pages_whose_dependency_key_is_unchanged_are_not_planned_again(site: SiteDir, monkeypatch):
    """The dependency graph (plan.PageKeys): after one body edit, an article page is planned and fingerprinted
    only when what it is made from changed (the edited article, and those listing it as related); the others
    are kept unread. Without a trusted record of output/ every page is planned."""
    from generator import rendering

    output = site.root / "output"
    build_into(site.root, output)
    fingerprinted: list[str] = []
    real = rendering.fingerprint_page
    monkeypatch.setattr(rendering, "fingerprint_page",
                        lambda fingerprinter, page: fingerprinted.append(page.url) or real(fingerprinter, page))
    articles = {path.parent.relative_to(output).as_posix() + "/"
                for path in output.glob("*/*/*/*/index.html")}
    assert len(articles) == 7
    edit(site.root, "content/ar/article-3.md", "نص المقال 3.", "نص معدل.")
    build_into(site.root, output)
    # Its neighbours and the articles listing it as related show its title, date and URL, which are unchanged.
    assert articles & set(fingerprinted) == {url for url in articles if url.endswith("/article-3/")}
    fingerprinted.clear()
    (output / STAGING).mkdir()  # an interrupted build: nothing is kept unread
    edit(site.root, "content/ar/article-3.md", "نص معدل.", "نص معدل ثانية.")
    build_into(site.root, output)
    assert articles <= set(fingerprinted)


# Pages with no article views in their context (plan.Deferred): always planned, and cheap.
UNDEFERRED = {"tag_index", "author_index", "report_index", "archive_index", "search", "404", "root"}


def test_listing_pages_are_planned_again_only_when_they_show_what_changed(site: SiteDir, monkeypatch):
    """A listing page (home and tag pagination, archives, author and report pages, most-read lists) whose
    dependency key is unchanged is kept unread: after one body edit exactly the listing pages that show the
    article (in their list or their most-read box) are fingerprinted again, and after a settings edit, all."""
    from generator import rendering

    output = site.root / "output"
    build_into(site.root, output)
    fingerprinted: dict[str, str] = {}
    real = rendering.fingerprint_page
    monkeypatch.setattr(rendering, "fingerprint_page", lambda fingerprinter, page: fingerprinted.setdefault(
        page.url, page.context["page"].kind if "page" in page.context else "root") and real(fingerprinter, page))
    html = {path.relative_to(output).as_posix().removesuffix("index.html"): path.read_text(encoding="utf-8")
            for path in output.rglob("index.html")}
    articles = {url for url in html if url.count("/") == 4}  # <lang>/<yyyy>/<mm>/<slug>/
    listings = set(html) - articles - {"", "ar/", "en/"}
    showing = {url for url in listings if "/article-3/" in html[url]}
    assert showing and listings - showing  # both kinds are present, or the test proves nothing
    edit(site.root, "content/ar/article-3.md", "نص المقال 3.", "نص معدل.")
    build_into(site.root, output)
    planned = {url for url, kind in fingerprinted.items() if kind not in UNDEFERRED and url not in articles}
    # The home pages (ar/, en/) are listings too; ar/ shows the article, en/ does not.
    assert planned == (showing | {"ar/"}) - {url for url in showing if fingerprinted.get(url) in UNDEFERRED}
    fingerprinted.clear()
    settings = site.root / "site.toml"
    settings.write_text(settings.read_text(encoding="utf-8").replace("page_size = ", "page_size = 1"), encoding="utf-8")
    build_into(site.root, output)
    assert {url for url, kind in fingerprinted.items() if kind == "tag"} == {url for url in listings
                                                                              if "/tags/" in url and url.count("/") == 3}


def test_an_edit_of_the_same_size_with_its_mtime_set_back_is_seen(site: SiteDir):
    """An editor (or `touch -d`) may put a file's mtime back after an edit that keeps its size: the change time,
    which no program can set, makes the build read it again (inputs.changed_ns), content and static files alike."""
    output = site.root / "output"
    static = site.root / "static" / "note.txt"
    static.parent.mkdir()
    static.write_text("first", encoding="utf-8")
    age(site.root)
    build_into(site.root, output)
    article = site.root / "content/ar/article-3.md"
    for path, old, new in ((article, "نص المقال 3.", "نص المقال 4."), (static, "first", "other")):
        before = os.stat(path)
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace(old, new), encoding="utf-8")
        os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
        after = os.stat(path)
        assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    build_into(site.root, output)
    page = next(output.glob("ar/*/*/article-3/index.html")).read_text(encoding="utf-8")
    assert "نص المقال 4." in page and "نص المقال 3." not in page
    assert (output / "note.txt").read_text(encoding="utf-8") == "other"


def test_memo_keys_depend_on_values_not_on_which_objects_hold_them():
    from generator.cache import memo_key

    shared = "".join(["a", "r"])
    one, other = "".join(["a", "r"]), "".join(["a", "r"])
    assert one is not other
    assert memo_key((shared, shared), [shared]) == memo_key((one, other), [one])
    assert memo_key(("ar", 1)) != memo_key(("ar", 2))


def test_a_memo_pickled_ahead_is_saved_unless_a_result_changed_after(tmp_path: Path):
    from generator.cache import open_cache

    def saved_memo(change_after_prepare: bool) -> dict:
        cache = open_cache(tmp_path / f"cache-{change_after_prepare}", b"code")
        memo = cache.load_memo()
        memo.remember("related:ar", b"k1", lambda: {"/a/": ("/b/",)})
        cache.prepare_memo()
        prepared = cache.memo_pickle[1]
        # What save writes is the very pickle made ahead while the memo is as it was.
        assert cache.memo_bytes() is prepared
        if change_after_prepare:
            memo.remember("order:tag:ar", b"k2", lambda: [1, 0])
            memo.remember("related:ar", b"k3", lambda: {"/a/": ("/c/",)})
        cache.save([], None)
        reopened = open_cache(tmp_path / f"cache-{change_after_prepare}", b"code")
        found = reopened.load_memo().found
        reopened.close()
        return found

    assert saved_memo(False) == {"related:ar": (b"k1", {"/a/": ("/b/",)})}
    assert saved_memo(True) == {"related:ar": (b"k3", {"/a/": ("/c/",)}), "order:tag:ar": (b"k2", [1, 0])}


def test_a_build_without_the_cache_into_output_makes_the_next_build_check_every_file(site: SiteDir):
    """The cache's record describes output/ only as the last cached build left it: a build without the cache
    writing there leaves the staging folder, so the next cached build checks every file instead of trusting."""
    output = site.root / "output"
    build_into(site.root, output)
    cold_before = tree_digest(output)
    edit(site.root, "content/ar/article-3.md", "نص المقال 3.", "نص آخر.")
    build(site.root, BuildOptions(output=output, use_cache=False))
    assert (output / STAGING).is_dir()
    edit(site.root, "content/ar/article-3.md", "نص آخر.", "نص المقال 3.")  # back to what the record knew
    build_into(site.root, output)
    assert tree_digest(output) == cold_before and not (output / STAGING).exists()


def test_an_older_copy_of_output_put_back_is_checked_not_trusted(site: SiteDir, tmp_path: Path):
    """A copy of output/ restored in its place (a backup, another run's cache) is not the folder the record
    describes: the next build checks every file (found by an attack on the trusted record)."""
    output = site.root / "output"
    build_into(site.root, output)
    old = tmp_path / "old-output"
    shutil.copytree(output, old, symlinks=True)
    edit(site.root, "content/ar/article-2.md", "title: المقال 2", "title: عنوان جديد")
    build_into(site.root, output)
    shutil.rmtree(output)
    shutil.copytree(old, output, symlinks=True)  # yesterday's site, as a restore would put it back
    build_into(site.root, output)
    shutil.rmtree(site.root / CACHE_DIR)
    build_into(site.root, tmp_path / "cold")
    assert tree_digest(output) == tree_digest(tmp_path / "cold")


def test_compiled_templates_follow_the_settings_their_filters_use(site: SiteDir, tmp_path: Path):
    """Jinja works out `{{ 404|number }}` when it compiles: templates compiled under digits = "latn" must not
    serve a build with "arab" (found by an attack: 404 pages kept the old digits after two settings edits)."""
    output = site.root / "output"
    build_into(site.root, output)
    edit(site.root, "site.toml", "page_size = 10", "page_size = 7")
    build_into(site.root, output)
    toml = (site.root / "site.toml").read_text(encoding="utf-8")
    assert 'digits = "latn"' in toml
    (site.root / "site.toml").write_text(toml.replace('digits = "latn"', 'digits = "arab"', 1), encoding="utf-8")
    build_into(site.root, output)
    shutil.rmtree(site.root / CACHE_DIR)
    build_into(site.root, tmp_path / "cold")
    assert tree_digest(output) == tree_digest(tmp_path / "cold")


def test_a_folder_another_project_built_into_is_checked_not_trusted(site: SiteDir, tmp_path: Path):
    """Two projects building into one --output folder: each build touches the marker, so the first project's
    record no longer matches once the second has written there (found by an attack on the trusted record)."""
    shared = tmp_path / "shared"
    other = tmp_path / "other"
    shutil.copytree(site.root, other, symlinks=True)
    edit(other, "content/ar/article-2.md", "title: المقال 2", "title: عنوان المشروع الآخر")
    build_into(site.root, shared)
    build_into(other, shared)
    build_into(site.root, shared)
    shutil.rmtree(site.root / CACHE_DIR)
    build_into(site.root, tmp_path / "cold")
    assert tree_digest(shared) == tree_digest(tmp_path / "cold")
