"""`serve` and search: the tabs reload as soon as an edit's pages are in output/, and the edited year's search
shard is indexed after, by a second build that bumps no generation (the search page fetches its bundles when
the reader searches)."""

from __future__ import annotations

import dataclasses
import gzip
import io
import json
import threading
import time
from pathlib import Path

from generator.pipeline import build
from generator.serve import ServeState, rebuild, serve_options, watch_and_rebuild
from tests.conftest import SiteDir


def indexed_text(site: SiteDir, shard: str) -> str:
    """Every record's text in a shard's bundle in output/, joined."""
    texts = []
    for path in sorted((site.root / "output/pagefind" / shard / "fragment").glob("*.pf_fragment")):
        texts.append(json.loads(gzip.decompress(path.read_bytes())[len(b"pagefind_dcd"):])["content"])
    return " ".join(texts)


def make_two_articles(make_site) -> SiteDir:
    site = make_site()
    site.article("ar", "first", title="العنوان الأول", body="نص عن الشاطئ.")
    site.article("ar", "second", title="العنوان الثاني", date="2017-09-29", body="نص عن الجبال.")
    return site


def wait_until(condition, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.02)
    assert condition(), f"not true after {timeout} s"


def test_the_reload_comes_before_the_search_index_which_bumps_no_generation(make_site):
    site = make_two_articles(make_site)
    state, out, err = ServeState(), io.StringIO(), io.StringIO()
    options = serve_options(site.root / "output")
    assert rebuild(site.root, options, state, out, err)
    assert "الشاطئ" not in indexed_text(site, "ar/2017") and "شاطء" in indexed_text(site, "ar/2017")
    stop = threading.Event()
    watcher = threading.Thread(target=watch_and_rebuild, args=(site.root, options, state, stop), daemon=True,
                               kwargs={"debounce": 50, "step": 20, "out": out, "err": err})
    watcher.start()
    try:
        time.sleep(0.5)  # the watcher is running
        first = state.snapshot()[0]
        site.article("ar", "first", title="العنوان الأول", body="نص عن الزمرد.")
        wait_until(lambda: state.snapshot()[0] > first)
        assert "نص عن الزمرد" in site.read("ar/2017/09/first/index.html")
        wait_until(lambda: "search indexed" in out.getvalue())
        assert "زمرد" in indexed_text(site, "ar/2017") and "شاطء" not in indexed_text(site, "ar/2017")
        lines = out.getvalue().splitlines()
        built = next(number for number, line in enumerate(lines) if "search index follows" in line)
        indexed = next(number for number, line in enumerate(lines) if line.startswith("search indexed"))
        assert built < indexed
        time.sleep(0.3)
        assert state.snapshot()[0] == first + 1, out.getvalue()
        assert err.getvalue() == ""
    finally:
        stop.set()
        watcher.join(timeout=20)
    assert not watcher.is_alive()
    # The second build's record is final: the same build again writes nothing.
    again = build(site.root, dataclasses.replace(options, defer_search=False), state.session)
    assert again.written == 0 and again.search_deferred == ()


def test_rebuild_indexes_a_deferred_shard_before_it_returns(make_site):
    site = make_two_articles(make_site)
    state, out, err = ServeState(), io.StringIO(), io.StringIO()
    options = serve_options(site.root / "output")
    assert rebuild(site.root, options, state, out, err)
    site.article("ar", "second", title="العنوان الثاني", date="2017-09-29", body="نص عن الياقوت.")
    assert rebuild(site.root, options, state, out, err)
    assert "ياقوت" in indexed_text(site, "ar/2017")
    assert state.snapshot()[0] == 2
    assert "search index follows" in out.getvalue() and "search indexed" in out.getvalue()


def test_a_failing_edit_leaves_the_deferred_shard_for_the_next_good_build(make_site):
    site = make_two_articles(make_site)
    state, out, err = ServeState(), io.StringIO(), io.StringIO()
    options = serve_options(site.root / "output")
    assert rebuild(site.root, options, state, out, err)
    site.article("ar", "first", title="العنوان الأول", body="نص عن الزمرد.")
    # serve's first pass alone, as the loop runs it, then a broken save before the second pass.
    assert len(build(site.root, options, state.session).search_deferred) == 1
    broken = site.write("content/ar/broken.md", "---\ntitle: [\n---\n")
    assert not rebuild(site.root, options, state, out, err)
    assert "زمرد" not in indexed_text(site, "ar/2017")
    broken.unlink()
    assert rebuild(site.root, options, state, out, err)
    assert "زمرد" in indexed_text(site, "ar/2017")
    assert Path(site.root / "output/ar/2017/09/first/index.html").is_file()
