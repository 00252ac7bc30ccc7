"""One date per command: `check --site` checks output/ as of the day its build ran, and counts future articles
as of that day; `serve` gives an edit's two builds (pages, then search) one date, and rebuilds when the day
turns. The clock is unchanged.build_date, replaced here by a date the test moves."""

from __future__ import annotations

import datetime
import io
import threading
import time
from typing import Callable

import pytest

from generator import unchanged
from generator.serve import ServeState, rebuild, serve_options, watch_and_rebuild
from tests.conftest import SiteDir, run_cli

DAY = datetime.date(2026, 12, 1)
NEXT = DAY + datetime.timedelta(days=1)


class Clock:
    """The build's clock: today is whatever the test last set."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, today: datetime.date) -> None:
        self.today = today
        monkeypatch.setattr(unchanged, "build_date", lambda: self.today)


@pytest.fixture
def dated_site(make_site: Callable[..., SiteDir]) -> SiteDir:
    """An article of last month that links to one dated NEXT (a broken link until that day)."""
    site = make_site()
    site.article("ar", "before", title="قبل", date="2026-11-20", body="انظر [مقال الغد](../../12/due/).")
    site.article("ar", "due", title="الغد", date=str(NEXT), body="نص مقال الغد.")
    return site


def check_site(site: SiteDir):
    return run_cli("--root", str(site.root), "check", "--site")


def test_check_site_after_midnight_checks_the_output_built_the_day_before(dated_site: SiteDir, monkeypatch):
    """The Pages workflow builds, then checks in a step of its own: the check must look at what gets uploaded,
    the day before's output/ with its broken link, not at a build of the new day (where the link works)."""
    clock = Clock(monkeypatch, DAY)
    assert dated_site.build().code == 0
    assert not (dated_site.root / "output/ar/2026/12/due").exists()
    clock.today = NEXT
    checked = check_site(dated_site)
    assert checked.code == 1
    assert "ar/2026/11/before/index.html" in checked.err and "../../12/due/" in checked.err
    # Built on the new day, the article is published and the link works.
    assert dated_site.build().code == 0
    assert (dated_site.root / "output/ar/2026/12/due/index.html").is_file()
    checked = check_site(dated_site)
    assert checked.code == 0, checked.err
    assert "0 future articles" in checked.out


def test_check_counts_future_articles_as_of_the_day_of_the_site_it_checked(dated_site: SiteDir, monkeypatch):
    dated_site.article("ar", "before", title="قبل", date="2026-11-20", body="لا رابط.")
    clock = Clock(monkeypatch, DAY)
    assert dated_site.build().code == 0
    clock.today = NEXT
    checked = check_site(dated_site)
    assert checked.code == 0, checked.err
    assert "1 future article among them" in checked.out
    assert f"output/ as built on {DAY}" in checked.out


def test_a_check_run_across_midnight_uses_one_date(dated_site: SiteDir, monkeypatch):
    """Without output/ to check in place, the site is built in a temporary folder, and the full check (drafts
    and future articles too) follows: both as of the date the command started on."""
    dated_site.article("ar", "before", title="قبل", date="2026-11-20", body="لا رابط.")
    days = iter([DAY] + [NEXT] * 20)  # midnight passes once the command has read the date
    monkeypatch.setattr(unchanged, "build_date", lambda: next(days))
    checked = check_site(dated_site)
    assert checked.code == 0, checked.err
    assert "1 future article among them" in checked.out


def test_serve_publishes_an_edit_and_its_search_as_of_one_date(dated_site: SiteDir, monkeypatch):
    """An edit's first build applies the pages (and reloads the tabs); a second applies the search. Midnight
    between them must not publish, unseen by the tabs, an article the first build left out."""
    Clock(monkeypatch, DAY)
    state, out, err = ServeState(), io.StringIO(), io.StringIO()
    options = serve_options(dated_site.root / "output", include_drafts=False)
    assert rebuild(dated_site.root, options, state, out, err)
    time.sleep(1.1)  # older than the last build by more than the clock's resolution
    dated_site.article("ar", "before", title="قبل", date="2026-11-20", body="نص معدل.")
    days = iter([DAY] + [NEXT] * 20)
    monkeypatch.setattr(unchanged, "build_date", lambda: next(days))
    assert rebuild(dated_site.root, options, state, out, err), err.getvalue()
    assert "search indexed" in out.getvalue()  # the second build ran
    assert "نص معدل" in dated_site.read("ar/2026/11/before/index.html")
    assert not (dated_site.root / "output/ar/2026/12/due").exists()


def test_serve_rebuilds_when_the_day_turns(dated_site: SiteDir, monkeypatch):
    clock = Clock(monkeypatch, DAY)
    state, out, err = ServeState(), io.StringIO(), io.StringIO()
    options = serve_options(dated_site.root / "output", include_drafts=False)
    assert rebuild(dated_site.root, options, state, out, err)
    stop = threading.Event()
    watcher = threading.Thread(target=watch_and_rebuild, args=(dated_site.root, options, state, stop), daemon=True,
                               kwargs={"debounce": 50, "step": 20, "out": out, "err": err})
    watcher.start()
    try:
        time.sleep(0.5)  # the watcher is running, and rebuilds nothing on the same day
        first = state.snapshot()[0]
        assert "changed" not in out.getvalue()
        clock.today = NEXT
        deadline = time.monotonic() + 30
        while state.snapshot()[0] == first and time.monotonic() < deadline:
            time.sleep(0.05)
        assert state.snapshot()[0] == first + 1, out.getvalue() + err.getvalue()
        assert f"changed: the date ({NEXT})" in out.getvalue()
        assert (dated_site.root / "output/ar/2026/12/due/index.html").is_file()
        time.sleep(0.5)
        assert out.getvalue().count("changed:") == 1  # once a day
    finally:
        stop.set()
        watcher.join(timeout=20)
    assert not watcher.is_alive()
