"""`serve`: a real server on 127.0.0.1 (port 0) over a built tiny site, with the watcher running."""

from __future__ import annotations

import http.client
import io
import os
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

import pytest

from generator.errors import Problem
from generator.fast_render import FastPage
from generator.serve import (EVENTS_PATH, GENERATION_TOKEN, MAX_REQUEST_LINE, PAGE_PARAMETER, WORKERS, PooledHTTPServer, ServeState,
                             ShownProblem, SiteRequestHandler, rebuild, render_error_page, serve_options, start_server,
                             stop_server, watch_and_rebuild)
from tests.conftest import REPO, SiteDir, run_cli

ARTICLE_URL = "ar/2017/09/first/"


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: str
    headers: dict[str, str]


@dataclass
class Served:
    """A built site, its server and its watcher."""

    site: SiteDir
    state: ServeState
    port: int
    base_path: str = "/"

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{self.base_path}{path}"

    def get(self, path: str) -> Response:
        return fetch(self.url(path))


def fetch(url: str) -> Response:
    """GET url; error statuses are answers too."""
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return Response(response.status, response.headers["Content-Type"], response.read().decode("utf-8", "replace"),
                            dict(response.headers))
    except urllib.error.HTTPError as error:
        return Response(error.code, error.headers["Content-Type"], error.read().decode("utf-8", "replace"), dict(error.headers))


def wait_until(condition: Callable[[], bool], timeout: float = 10.0, then: Callable[[], None] | None = None) -> None:
    """Poll condition for up to timeout seconds; run `then` every second meanwhile (e.g. write the file again,
    in case the change landed before the watcher was watching)."""
    deadline = time.monotonic() + timeout
    next_nudge = time.monotonic() + 1.0
    while time.monotonic() < deadline:
        if condition():
            return
        if then is not None and time.monotonic() >= next_nudge:
            then()
            next_nudge = time.monotonic() + 1.0
        time.sleep(0.05)
    assert condition(), f"not true after {timeout} s"


def write(path: Path, text: str) -> Callable[[], None]:
    """Write text to path now; return a function that writes it again."""
    def again() -> None:
        path.write_text(text, encoding="utf-8")
    again()
    return again


@pytest.fixture
def serve_site(make_site) -> Iterator[Callable[..., Served]]:
    """Start a server (and, unless told not to, the watcher) over a tiny built site; stop both afterwards."""
    running: list[tuple[object, ServeState, threading.Event, threading.Thread | None]] = []

    def start(base_url: str | None = None, watch: bool = True,
              prepare: Callable[[SiteDir], None] | None = None) -> Served:
        site = make_site()
        site.article("ar", "first", title="العنوان الأول")
        site.article("ar", "second", title="العنوان الثاني", date="2017-09-29")
        if prepare is not None:
            prepare(site)
        state = ServeState()
        options = serve_options(site.root / "output", base_url=base_url)
        assert rebuild(site.root, options, state, io.StringIO(), io.StringIO())
        server = start_server(site.root / "output", state, 0)
        stop = threading.Event()
        watcher = None
        if watch:
            watcher = threading.Thread(target=watch_and_rebuild, args=(site.root, options, state, stop), daemon=True,
                                       kwargs={"debounce": 50, "step": 20, "out": io.StringIO(), "err": io.StringIO()})
            watcher.start()
        running.append((server, state, stop, watcher))
        return Served(site, state, server.server_address[1], state.snapshot()[2])

    yield start
    for server, state, stop, watcher in running:
        stop.set()
        stop_server(server, state)
        if watcher is not None:
            watcher.join(timeout=10)
            assert not watcher.is_alive()


def test_served_pages_carry_the_live_reload_script_with_the_generation(serve_site):
    served = serve_site(watch=False)
    page = served.get(ARTICLE_URL)
    assert page.status == 200
    assert page.content_type == "text/html; charset=utf-8"
    assert page.headers["Cache-Control"] == "no-store"
    assert f'new EventSource("{EVENTS_PATH}?{PAGE_PARAMETER}="+encodeURIComponent(location.pathname))' in page.body
    assert "var g=1," in page.body
    assert GENERATION_TOKEN not in page.body
    assert "العنوان الأول" in page.body


def test_a_publishing_build_has_no_live_reload(make_site):
    site = make_site()
    site.article("ar", "first")
    assert run_cli("build", "--root", str(site.root), "--drafts").code == 0
    pages = [path for path in (site.root / "output").rglob("*") if path.is_file() and path.suffix != ".woff2"]
    assert any(path.suffix == ".html" for path in pages)
    for path in pages:
        text = path.read_bytes().decode("utf-8", "replace").lower()
        assert "__warraq__" not in text and "eventsource" not in text, path


def test_content_types_redirects_and_not_found(serve_site):
    served = serve_site(watch=False)
    output = served.site.root / "output"
    (output / "feed-test.xml").write_text("<feed/>", encoding="utf-8")
    assert served.get("feed-test.xml").content_type == "application/xml; charset=utf-8"
    [font] = list((output / "static" / "fonts").glob("*.woff2"))[:1]
    assert fetch(served.url(font.relative_to(output).as_posix())).content_type == "font/woff2"
    assert served.get("static/css/site.css").content_type == "text/css; charset=utf-8"
    missing = served.get("ar/2017/09/no-such-article/")
    assert missing.status == 404
    assert missing.body == (output / "404.html").read_text(encoding="utf-8").replace(GENERATION_TOKEN, "1")
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=5)
    connection.request("GET", "/ar/2017/09/first")
    answer = connection.getresponse()
    assert (answer.status, answer.getheader("Location")) == (302, "/ar/2017/09/first/")
    connection.close()
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=5)
    connection.request("GET", "/../site.toml")
    assert connection.getresponse().status == 404
    connection.close()


def test_the_site_is_served_under_its_base_path(serve_site):
    served = serve_site(base_url="https://example.org/repo/", watch=False)
    assert served.base_path == "/repo/"
    assert served.get(ARTICLE_URL).status == 200
    assert fetch(f"http://127.0.0.1:{served.port}/ar/2017/09/first/").status == 404
    # The root sends to the base path (the event stream stays at the root: the script names it so).
    connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=5)
    connection.request("GET", "/")
    answer = connection.getresponse()
    assert (answer.status, answer.getheader("Location")) == (302, "/repo/")
    connection.close()


def test_the_event_stream_sends_the_generation(serve_site):
    served = serve_site(watch=False)
    with urllib.request.urlopen(f"http://127.0.0.1:{served.port}{EVENTS_PATH}", timeout=5) as stream:
        assert stream.headers["Content-Type"] == "text/event-stream"
        assert read_data_line(stream) == "data: 1"
        threading.Timer(0.2, lambda: served.state.record(())).start()
        assert read_data_line(stream) == "data: 2"


def read_data_line(stream) -> str:
    """The next `data:` line of an event stream (the socket timeout bounds the wait)."""
    for _ in range(20):
        line = stream.readline().decode("utf-8").strip()
        if line.startswith("data: "):
            return line
    raise AssertionError("no data line")


def test_an_edit_on_disk_rebuilds_and_the_page_follows(serve_site):
    served = serve_site()
    path = served.site.root / "content" / "ar" / "first.md"
    text = path.read_text(encoding="utf-8").replace("title: العنوان الأول", "title: عنوان جديد بعد التعديل")
    nudge = write(path, text)
    # The new output/ is swapped in a moment before the generation is bumped: wait for both.
    wait_until(lambda: "عنوان جديد بعد التعديل" in served.get(ARTICLE_URL).body and served.state.snapshot()[0] > 1,
               then=nudge)
    assert f"var g={served.state.snapshot()[0]}," in served.get(ARTICLE_URL).body
    assert served.get(ARTICLE_URL).status == 200


def test_saving_a_file_in_the_site_s_static_folder_rebuilds_and_reloads(serve_site):
    def prepare(site: SiteDir) -> None:
        site.write("static/reports/summary.txt", "النسخة الأولى\n")
        site.write("static/logo.svg", "<svg xmlns='http://www.w3.org/2000/svg'/>\n")

    served = serve_site(prepare=prepare)
    assert served.get("reports/summary.txt").body == "النسخة الأولى\n"
    # A changed file, then a new one in a new sub-folder: each rebuilds and bumps the generation (the reload).
    generation = served.state.snapshot()[0]
    nudge = write(served.site.root / "static" / "reports" / "summary.txt", "النسخة الثانية\n")
    wait_until(lambda: served.get("reports/summary.txt").body == "النسخة الثانية\n"
               and served.state.snapshot()[0] > generation, then=nudge)
    generation = served.state.snapshot()[0]
    (served.site.root / "static" / "files").mkdir()
    nudge = write(served.site.root / "static" / "files" / "data.csv", "a,b\n1,2\n")
    wait_until(lambda: served.get("files/data.csv").status == 200 and served.state.snapshot()[0] > generation,
               then=nudge)
    # A deleted one leaves the served site.
    (served.site.root / "static" / "logo.svg").unlink()
    wait_until(lambda: served.get("logo.svg").status == 404)


def test_a_static_folder_made_while_serving_is_watched_from_then_on(serve_site):
    served = serve_site()
    assert not (served.site.root / "static").exists()
    static = served.site.root / "static"
    static.mkdir()
    nudge = write(static / "notice.txt", "أول\n")
    wait_until(lambda: served.get("notice.txt").status == 200, then=nudge)
    generation = served.state.snapshot()[0]
    nudge = write(static / "notice.txt", "ثانٍ\n")
    wait_until(lambda: served.get("notice.txt").body == "ثانٍ\n" and served.state.snapshot()[0] > generation,
               then=nudge)


def test_a_static_folder_made_before_the_watcher_was_ready_is_still_found(serve_site, monkeypatch):
    # The project-folder watcher misses every event here, as it does for a folder made in the moment
    # between serve starting and its watch being registered (a CI run once lost static/ that way).
    import generator.serve as serve
    real_watch = serve._watch
    deaf = threading.Event()

    def deaf_to_the_project_folder(paths, recursive, *args):
        if recursive:
            real_watch(paths, recursive, *args)
        else:
            deaf.set()

    monkeypatch.setattr(serve, "_watch", deaf_to_the_project_folder)
    served = serve_site()
    assert deaf.wait(10)
    (served.site.root / "static").mkdir()
    nudge = write(served.site.root / "static" / "notice.txt", "أول\n")
    wait_until(lambda: served.get("notice.txt").status == 200, then=nudge)


def test_replacing_an_image_beside_a_bundle_s_index_rebuilds_its_page(serve_site):
    from PIL import Image

    def prepare(site: SiteDir) -> None:
        site.write("content/ar/2017/pic/index.md", "---\ntitle: صورة\nslug: pic\ndate: 2017-09-27\n---\n"
                                                   '![خريطة الرقة](map.png "خريطة")\n')
        Image.new("RGB", (800, 400), "#336699").save(site.root / "content" / "ar" / "2017" / "pic" / "map.png")

    served = serve_site(prepare=prepare)
    page = served.get("ar/2017/09/pic/")
    assert page.status == 200 and 'width="800" height="400"' in page.body
    generation = served.state.snapshot()[0]
    image = served.site.root / "content" / "ar" / "2017" / "pic" / "map.png"

    def replace() -> None:
        Image.new("RGB", (900, 300), "#993366").save(image)

    replace()
    wait_until(lambda: 'width="900" height="300"' in served.get("ar/2017/09/pic/").body
               and served.state.snapshot()[0] > generation, then=replace)


def test_a_broken_article_shows_the_error_page_until_it_is_fixed(serve_site):
    served = serve_site()
    path = served.site.root / "content" / "ar" / "first.md"
    good = path.read_text(encoding="utf-8")
    nudge = write(path, good.replace("title: العنوان الأول", "title: [unclosed <b>"))
    wait_until(lambda: served.get(ARTICLE_URL).status == 500, then=nudge)
    page = served.get(ARTICLE_URL)
    assert page.content_type == "text/html; charset=utf-8"
    assert '<html dir="auto">' in page.body
    assert "content/ar/first.md:2: invalid YAML front matter" in page.body
    assert "title: [unclosed &lt;b&gt;" in page.body
    assert "<b>" not in page.body
    assert f'new EventSource("{EVENTS_PATH}?{PAGE_PARAMETER}="+encodeURIComponent(location.pathname))' in page.body
    # Every page is the error page, even one that does not exist; the rest of the last good build is served.
    assert served.get("ar/").status == 500
    assert served.get("ar/no-such-page/").status == 500
    assert served.get("static/css/site.css").status == 200
    failed_generation = served.state.snapshot()[0]
    nudge = write(path, good.replace("title: العنوان الأول", "title: عنوان مصلح"))
    wait_until(lambda: served.get(ARTICLE_URL).status == 200, then=nudge)
    assert "عنوان مصلح" in served.get(ARTICLE_URL).body
    assert served.state.snapshot()[0] > failed_generation


class HeldBuilds:
    """serve's builds, each held until released: what a tab sees between a save and the end of its rebuild."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        from generator import serve
        self.started, self.release = threading.Event(), threading.Event()
        real = serve.build

        def held(*args, **kwargs):
            self.started.set()
            assert self.release.wait(30)
            return real(*args, **kwargs)

        monkeypatch.setattr(serve, "build", held)


class TabStream:
    """The live-reload stream of a tab showing a page (a URL path under the base path), read off a socket."""

    def __init__(self, served: Served, page: str) -> None:
        query = urllib.parse.quote(served.base_path + page, safe="")
        self.socket = socket.create_connection(("127.0.0.1", served.port), timeout=10)
        self.socket.sendall(f"GET {EVENTS_PATH}?{PAGE_PARAMETER}={query} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
        self.buffer = b""

    def next_data(self, timeout: float = 10) -> str | None:
        """The next `data:` line, or None when none comes within timeout seconds."""
        deadline = time.monotonic() + timeout
        while b"\n" not in self.buffer.partition(b"data: ")[2]:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            self.socket.settimeout(remaining)
            try:
                chunk = self.socket.recv(4096)
            except TimeoutError:
                return None
            assert chunk, "the server closed the stream"
            self.buffer += chunk
        line, _, self.buffer = self.buffer.partition(b"data: ")[2].partition(b"\n")
        return "data: " + line.decode()

    def __enter__(self) -> TabStream:
        return self

    def __exit__(self, *_: object) -> None:
        self.socket.close()


def test_a_body_edit_is_shown_to_its_page_s_tabs_before_the_rebuild_ends(serve_site, monkeypatch):
    served = serve_site()
    builds = HeldBuilds(monkeypatch)
    with TabStream(served, ARTICLE_URL) as article, TabStream(served, "ar/") as home:
        assert article.next_data() == home.next_data() == "data: 1"
        path = served.site.root / "content" / "ar" / "first.md"
        path.write_text(path.read_text(encoding="utf-8").replace("نص المقال.", "نص جديد بعد الحفظ."), encoding="utf-8")
        # The article's tab reloads while the rebuild is still held, and gets the new body from memory.
        assert article.next_data() == "data: 2"
        assert builds.started.wait(10) and not builds.release.is_set()
        page = served.get(ARTICLE_URL)
        assert "نص جديد بعد الحفظ" in page.body and "var g=2," in page.body
        assert "نص جديد بعد الحفظ".encode() not in (served.site.root / "output" / ARTICLE_URL / "index.html").read_bytes()
        assert "var g=1," in served.get("ar/").body and served.state.snapshot()[0] == 1
        assert home.next_data(0.5) is None
        builds.release.set()
        # The rebuild wrote the very page shown: the other tabs reload, the article's tab does not again.
        assert home.next_data() == "data: 2"
        assert article.next_data(1.5) is None
    assert served.state.snapshot()[0] == 2 and served.state.fast is None
    assert "var g=2," in served.get(ARTICLE_URL).body
    assert "نص جديد بعد الحفظ".encode() in (served.site.root / "output" / ARTICLE_URL / "index.html").read_bytes()


@pytest.mark.parametrize("temporary", ["first.md___jb_tmp___", ".first.md.tmp123", ".goutputstream-ABC123",
                                       "first.md.Xk3jLm"])
def test_an_editor_s_atomic_save_is_shown_ahead_too(serve_site, monkeypatch, temporary):
    served = serve_site()
    builds = HeldBuilds(monkeypatch)
    # Every form of the page's URL names the same page, as a request for it finds it.
    with TabStream(served, ARTICLE_URL) as article, TabStream(served, ARTICLE_URL + "index.html/") as odd:
        assert article.next_data() == odd.next_data() == "data: 1"
        path = served.site.root / "content" / "ar" / "first.md"
        saved = path.with_name(temporary)
        saved.write_text(path.read_text(encoding="utf-8").replace("نص المقال.", "نص محفوظ بالاستبدال."),
                         encoding="utf-8")
        os.replace(saved, path)
        assert article.next_data() == odd.next_data() == "data: 2"
        assert not builds.release.is_set()
        builds.release.set()
    assert "نص محفوظ بالاستبدال" in served.get(ARTICLE_URL + "index.html/").body


def test_a_link_loop_saved_into_content_does_not_stop_the_rebuilds(serve_site):
    served = serve_site()
    loop = served.site.root / "content" / "ar" / "loop.md"

    def make_loop() -> None:
        loop.unlink(missing_ok=True)
        loop.symlink_to("loop.md")

    make_loop()
    # Its own batch (made again each second until the watcher has seen it): resolving it raised on Python 3.11.
    wait_until(lambda: served.state.snapshot()[0] > 1, then=make_loop)
    path = served.site.root / "content" / "ar" / "first.md"
    nudge = write(path, path.read_text(encoding="utf-8").replace("نص المقال.", "نص بعد الحلقة."))
    wait_until(lambda: "نص بعد الحلقة" in served.get(ARTICLE_URL).body, then=nudge)


def test_a_page_the_rebuild_writes_otherwise_than_shown_reloads_its_tabs_again(serve_site, monkeypatch):
    from generator import fast_render, serve
    served = serve_site()

    def shown_otherwise(plan, path):
        page = fast_render.render_edited(plan, path)
        return FastPage(page.url, page.name, page.content.replace("نص جديد".encode(), "نص آخر".encode()))

    monkeypatch.setattr(serve, "render_edited", shown_otherwise)
    with TabStream(served, ARTICLE_URL) as article:
        assert article.next_data() == "data: 1"
        path = served.site.root / "content" / "ar" / "first.md"
        path.write_text(path.read_text(encoding="utf-8").replace("نص المقال.", "نص جديد."), encoding="utf-8")
        assert article.next_data() == "data: 2"
        assert article.next_data() == "data: 3"
    assert served.state.snapshot()[0] == 3
    assert "نص جديد" in served.get(ARTICLE_URL).body


def test_a_front_matter_edit_waits_for_the_rebuild(serve_site, monkeypatch):
    served = serve_site()
    builds = HeldBuilds(monkeypatch)
    with TabStream(served, ARTICLE_URL) as article:
        assert article.next_data() == "data: 1"
        path = served.site.root / "content" / "ar" / "first.md"
        path.write_text(path.read_text(encoding="utf-8").replace("title: العنوان الأول", "title: عنوان جديد"),
                        encoding="utf-8")
        assert builds.started.wait(10)
        assert article.next_data(0.5) is None and served.state.fast is None
        builds.release.set()
        assert article.next_data() == "data: 2"
    assert "عنوان جديد" in served.get(ARTICLE_URL).body


def test_a_tab_in_chromium_reloads_with_the_saved_body_before_the_rebuild_ends(serve_site, browser, monkeypatch):
    pytest.importorskip("playwright.sync_api", reason="pip install -r requirements-dev.txt")
    # An Arabic slug: the tab names its page percent-encoded, as location.pathname has it.
    served = serve_site(prepare=lambda site: site.article("ar", "مقال-عربي", title="مقال بعنوان عربي",
                                                          date="2017-09-27"))
    builds = HeldBuilds(monkeypatch)
    tab = browser.new_page()
    try:
        tab.goto(served.url("ar/2017/09/" + urllib.parse.quote("مقال-عربي") + "/"))
        path = served.site.root / "content" / "ar" / "مقال-عربي.md"
        path.write_text(path.read_text(encoding="utf-8").replace("نص المقال.", "نص حفظ للتو."), encoding="utf-8")
        tab.wait_for_function("document.body.innerText.includes('نص حفظ للتو')", timeout=15000)
        assert not builds.release.is_set() and "مقال بعنوان عربي" in tab.inner_text("h1")
    finally:
        builds.release.set()
        tab.close()


def test_rebuild_records_each_outcome(make_site):
    site = make_site()
    path = site.article("ar", "first", title="العنوان الأول")
    state = ServeState()
    options = serve_options(site.root / "output")
    err = io.StringIO()
    assert rebuild(site.root, options, state, io.StringIO(), err)
    assert state.snapshot()[:2] == (1, ())
    path.write_text(path.read_text(encoding="utf-8").replace("date: 2017-09-28", "date: someday"), encoding="utf-8")
    assert not rebuild(site.root, options, state, io.StringIO(), err)
    generation, problems, _ = state.snapshot()
    assert generation == 2
    assert [str(shown.problem) for shown in problems] == [
        'content/ar/first.md:4: bad date: cannot read date "someday": unknown word "someday"']
    assert problems[0].source_line == "date: someday"
    assert "content/ar/first.md:4: bad date" in err.getvalue()
    assert (site.root / "output" / ARTICLE_URL / "index.html").is_file()  # the last good build stays


def test_the_error_page_escapes_and_isolates_direction():
    page = render_error_page((ShownProblem(Problem("content/ar/x.md", 3, 'bad "<i>"'), "title: <script>x</script>"),
                              ShownProblem(Problem("site.toml", 1, "no line"), None)), 7)
    assert page.startswith("<!DOCTYPE html>\n<html dir=\"auto\">")
    assert "content/ar/x.md:3: bad &quot;&lt;i&gt;&quot;" in page
    assert "title: &lt;script&gt;x&lt;/script&gt;" in page
    assert "site.toml:1: no line" in page
    assert "var g=7," in page


def start_serve_process(root: Path) -> subprocess.Popen:
    """`serve` of the project at root on a free port, in a process of its own that Ctrl-C (SIGINT) stops."""
    code = ("import signal, sys; from pathlib import Path; from generator.serve import serve; "
            "signal.signal(signal.SIGINT, signal.default_int_handler); "
            f"sys.exit(serve(Path({str(root)!r}), port=0))")
    return subprocess.Popen([sys.executable, "-c", code], cwd=REPO, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8")


@pytest.mark.skipif(os.name == "nt", reason="POSIX signals")
def test_ctrl_c_stops_cleanly(make_site):
    site = make_site()
    site.article("ar", "first")
    process = start_serve_process(site.root)
    try:
        lines = []
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            lines.append(line)
            if line.startswith("serving http://127.0.0.1:") or not line:
                break
        assert lines[-1].startswith("serving http://127.0.0.1:"), lines
        process.send_signal(signal.SIGINT)
        out, err = process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == 0, err
    assert "Traceback" not in err
    assert out.strip().endswith("stopped serving")


def test_a_save_made_as_soon_as_serving_is_said_is_rebuilt(make_site):
    """"serving" is printed only once the watchers run: a save at that moment is built (it once went unseen)."""
    site = make_site()
    site.article("ar", "first", body="نص أول.")
    process = start_serve_process(site.root)
    try:
        line = ""
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and not line.startswith("serving http://127.0.0.1:"):
            line = process.stdout.readline()
            assert line, process.stderr.read()
        site.article("ar", "first", body="نص بعد الحفظ.")
        lines = []
        while time.monotonic() < deadline and not any(l.startswith("changed: ") for l in lines):
            lines.append(process.stdout.readline())
        assert any(l.startswith("changed: content/ar/") for l in lines), lines
        page = next((site.root / "output" / "ar").glob("*/*/first/index.html"))
        while time.monotonic() < deadline and "نص بعد الحفظ" not in page.read_text(encoding="utf-8"):
            time.sleep(0.05)
        assert "نص بعد الحفظ" in page.read_text(encoding="utf-8")
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=20)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


# ---------------------------------------------------------------------------
# Under load: a bounded pool, a listen backlog, 414, clients that go away
# ---------------------------------------------------------------------------


def raw_request(port: int, request_line: bytes, timeout: float = 10) -> bytes:
    """Send one raw request line (and an empty header block); return the whole answer."""
    with socket.create_connection(("127.0.0.1", port), timeout=timeout) as connection:
        connection.sendall(request_line + b"\r\n\r\n")
        chunks = []
        while chunk := connection.recv(65536):
            chunks.append(chunk)
    return b"".join(chunks)


def test_200_concurrent_requests_are_all_answered_by_a_bounded_pool(serve_site, capsys):
    served = serve_site(watch=False)
    count = 200
    barrier = threading.Barrier(count)
    statuses: list[int] = []
    peak = [0]

    def one_request() -> None:
        barrier.wait(timeout=30)
        connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=60)
        connection.request("GET", "/" + ARTICLE_URL)
        answer = connection.getresponse()
        answer.read()
        statuses.append(answer.status)
        connection.close()
        peak[0] = max(peak[0], sum(t.name.startswith("warraq-http") for t in threading.enumerate()))

    clients = [threading.Thread(target=one_request) for _ in range(count)]
    for client in clients:
        client.start()
    for client in clients:
        client.join(timeout=120)
    assert statuses == [200] * count
    assert 0 < peak[0] <= WORKERS + 1  # the workers and the accepting thread, however many clients
    assert "Traceback" not in capsys.readouterr().err


def test_an_over_long_request_line_gets_414(serve_site):
    served = serve_site(watch=False)
    for length in (MAX_REQUEST_LINE + 1, 70_000):
        answer = raw_request(served.port, b"GET /" + b"a" * length + b" HTTP/1.1")
        assert answer.startswith(b"HTTP/1.0 414 "), answer[:80]
    assert served.get(ARTICLE_URL).status == 200


def test_a_path_the_file_system_cannot_name_is_a_404(serve_site, capsys):
    served = serve_site(watch=False)
    assert served.get("ar/" + "x" * 1000 + "/").status == 404
    assert served.get("ar/%00/").status == 404
    assert "Traceback" not in capsys.readouterr().err


def test_a_client_that_goes_away_mid_response_is_no_traceback(serve_site, capsys):
    served = serve_site(watch=False)
    big = served.site.root / "output" / "big.txt"
    big.write_bytes(b"x" * 20_000_000)  # far more than the socket buffers hold
    for _ in range(5):
        connection = socket.create_connection(("127.0.0.1", served.port), timeout=10)
        connection.sendall(b"GET /big.txt HTTP/1.1\r\nHost: x\r\n\r\n")
        connection.recv(1000)
        # Close with a reset, as a browser tab that is closed does.
        connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        connection.close()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and served.get(ARTICLE_URL).status != 200:
        time.sleep(0.1)
    time.sleep(0.5)  # let the workers notice the resets
    assert served.get(ARTICLE_URL).status == 200
    assert capsys.readouterr().err == ""


def test_event_streams_beyond_the_limit_are_told_to_retry(make_site):
    site = make_site()
    site.article("ar", "first")
    state = ServeState()
    assert rebuild(site.root, serve_options(site.root / "output"), state, io.StringIO(), io.StringIO())
    handler = type("Handler", (SiteRequestHandler,), {"output": site.root / "output", "state": state})
    server = PooledHTTPServer(("127.0.0.1", 0), handler, workers=4, event_streams=1)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        first = socket.create_connection(("127.0.0.1", server.server_address[1]), timeout=10)
        first.sendall(f"GET {EVENTS_PATH} HTTP/1.1\r\n\r\n".encode())
        received = b""
        while b"data: 1\n\n" not in received:  # the stream holds its slot
            chunk = first.recv(1000)
            assert chunk, received
            received += chunk
        second = raw_request(server.server_address[1], f"GET {EVENTS_PATH} HTTP/1.1".encode())
        assert second.startswith(b"HTTP/1.0 200 ") and second.endswith(b"\r\n\r\nretry: 5000\n\n")
        first.close()
    finally:
        state.stop()
        server.close()
