"""Accessibility in real Chromium: axe-core on the main page types of each language, served under a sub-path
as on GitHub Pages; then every page of that build loads with no failed request and no console error.

axe-core comes from the PyPI package axe-playwright-python (requirements-dev.txt), which ships axe.min.js.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.browser import serve
from tests.conftest import run_cli
from tests.test_themes_browser import THEMES, themed_project

pytest.importorskip("playwright.sync_api", reason="pip install -r requirements-dev.txt")
axe_api = pytest.importorskip("axe_playwright_python.sync_playwright", reason="pip install -r requirements-dev.txt")

BASE_URL = "https://user.github.io/repo/"
PREFIX = "/repo/"
FAILING_IMPACTS = ("serious", "critical")
LANGUAGES = ("ar", "en")


@pytest.fixture(scope="module", params=THEMES)
def sub_path_site(request, sample_site: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped project built for https://user.github.io/repo/ (links start with /repo/), with each shipped
    theme in turn."""
    project = themed_project(sample_site, request.param, tmp_path_factory.mktemp("themed") / "site")
    output = tmp_path_factory.mktemp("pages") / "output"
    result = run_cli("build", "--root", str(project), "--base-url", BASE_URL, "--output", str(output))
    assert result.code == 0, result.err
    return output


@pytest.fixture(scope="module")
def base(sub_path_site: Path):
    with serve(sub_path_site, PREFIX) as url:
        yield url


def page_url(relative: str) -> str:
    """A built file's address below the base: "ar/index.html" -> "ar/"."""
    return relative[: -len("index.html")] if relative == "index.html" or relative.endswith("/index.html") else relative


def first(output: Path, pattern: str) -> str:
    """The URL (below the base) of the first built page matching a glob, e.g. "ar/tags/*/index.html"."""
    found = sorted(p for p in output.glob(pattern) if p.parent.name != "page")
    assert found, f"no page matches {pattern}"
    return page_url(found[0].relative_to(output).as_posix())


def representative_pages(output: Path) -> list[str]:
    """Home, an article, a tag page, the archive index, a month's archive, an author's page and a report's page
    of each language."""
    pages: list[str] = []
    for lang in LANGUAGES:
        pages += [f"{lang}/", first(output, f"{lang}/[0-9][0-9][0-9][0-9]/[0-9][0-9]/*/index.html"),
                  first(output, f"{lang}/tags/*/index.html"), f"{lang}/archive/",
                  first(output, f"{lang}/[0-9][0-9][0-9][0-9]/[0-9][0-9]/index.html"),
                  # An author's page and a report's (tests/test_authors.py, tests/test_reports.py).
                  first(output, f"{lang}/authors/*/index.html"), first(output, f"{lang}/reports/*/index.html")]
    return pages


# axe-core 4.12's color-contrast rule passes over most Arabic text without a word (a #eee-on-#fff Arabic
# paragraph is not even checked; on the Arabic article 11 elements are checked against 37 on the English one).
# So after the full run, Arabic letters are replaced by "x" (same element, colours, font size and weight) and
# color-contrast runs again. Returns whether the page had Arabic letters.
HIDE_ARABIC_LETTERS = """() => {
    const arabic = /[\\u0600-\\u06FF\\u0750-\\u077F\\u08A0-\\u08FF\\uFB50-\\uFDFF\\uFE70-\\uFEFF]/g;
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    let found = false;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        const latin = node.data.replace(arabic, "x");
        if (latin !== node.data) { node.data = latin; found = true; }
    }
    return found;
}"""


def describe(violation: dict, where: str) -> str:
    """One axe violation, readably: rule, impact, what it means, and each element with why it fails."""
    lines = [f'{where}: {violation["id"]} ({violation["impact"]}): {violation["help"]} <{violation["helpUrl"]}>']
    for node in violation["nodes"]:
        summary = " ".join(node.get("failureSummary", "").split())
        lines.append(f'    {" ".join(map(str, node["target"]))}: {summary}')
        lines.append(f'      {" ".join(node.get("html", "").split())[:200]}')
    return "\n".join(lines)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_serious_violation(browser, base, sub_path_site, scheme, capsys):
    axe = axe_api.Axe()
    failing: list[str] = []
    minor: list[str] = []
    context = browser.new_context(color_scheme=scheme)
    try:
        for path in representative_pages(sub_path_site):
            page = context.new_page()
            load(page, base + path)
            where = f"{PREFIX}{path} [{scheme}]"
            violations = axe.run(page).response["violations"]
            if page.evaluate(HIDE_ARABIC_LETTERS):
                violations += axe.run(page, options={"runOnly": ["color-contrast"]}).response["violations"]
                where += " (contrast checked with Arabic letters shown as x)"
            for violation in violations:
                (failing if violation["impact"] in FAILING_IMPACTS else minor).append(describe(violation, where))
            page.close()
    finally:
        context.close()
    if minor:
        with capsys.disabled():
            print(f"\naxe: {len(minor)} moderate/minor violation(s) [{scheme}] (not failures):\n" + "\n".join(minor))
    assert not failing, f"{len(failing)} serious/critical axe violation(s):\n" + "\n".join(failing)


def test_the_root_chooser_itself_passes_axe(browser, base, sub_path_site):
    """The root page sends readers on at once (meta refresh): serve its markup without the refresh to check it."""
    context = browser.new_context()
    page = context.new_page()
    html = (sub_path_site / "index.html").read_text(encoding="utf-8")
    page.route(base, lambda route: route.fulfill(status=200, content_type="text/html; charset=utf-8",
                                                 body=html.replace('http-equiv="refresh"', 'data-refresh')))
    page.goto(base, wait_until="networkidle")
    violations = axe_api.Axe().run(page).response["violations"]
    context.close()
    failing = [describe(v, PREFIX) for v in violations if v["impact"] in FAILING_IMPACTS]
    assert not failing, "\n".join(failing)


def load(page, address: str, redirects: bool = False) -> None:
    """Open a page and wait until it (or, for a redirect page, the page it sends to) has fetched everything,
    favicon included: a request still running when the next page opens would be cut short."""
    page.goto(address, wait_until="networkidle")
    if redirects:
        page.wait_for_url(lambda url: url != address, timeout=10000)
        page.wait_for_load_state("networkidle")
    page.evaluate("document.fonts.ready.then(() => true)")


def test_every_page_loads_under_the_sub_path_with_nothing_broken(browser, base, sub_path_site):
    pages = sorted(p.relative_to(sub_path_site).as_posix() for p in sub_path_site.rglob("*.html"))
    assert len(pages) > 20
    problems: list[str] = []
    seen: list[str] = []  # what went wrong on the page being loaded
    context = browser.new_context()
    page = context.new_page()
    page.on("requestfailed", lambda request: seen.append(f"request failed: {request.url} ({request.failure})"))
    page.on("response", lambda response: seen.append(f"HTTP {response.status}: {response.url}")
            if response.status >= 400 else None)
    page.on("console", lambda message: seen.append(f"console {message.type}: {message.text}")
            if message.type == "error" else None)
    page.on("pageerror", lambda error: seen.append(f"script error: {error}"))
    try:
        for relative in pages:
            address = base + page_url(relative)
            redirects = 'http-equiv="refresh"' in (sub_path_site / relative).read_text(encoding="utf-8")
            seen.clear()
            load(page, address, redirects)
            if redirects:  # the root sends readers on at once, which may cut its own requests short
                seen[:] = [line for line in seen if "net::ERR_ABORTED" not in line]
            problems += [f"{address}: {line}" for line in seen]
    finally:
        context.close()
    assert not problems, f"{len(problems)} problem(s) while loading {len(pages)} pages:\n" + "\n".join(problems)


def test_axe_reports_violations_readably(browser):
    """The harness itself: a page with an image lacking alt text and unreadable text fails, naming both."""
    page = browser.new_page()
    page.set_content('<!DOCTYPE html><html lang="ar"><head><title>t</title></head><body><main>'
                     '<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">'
                     '<p style="color:#eee;background:#fff">faint text</p></main></body></html>')
    violations = axe_api.Axe().run(page).response["violations"]
    page.close()
    serious = {v["id"]: describe(v, "test") for v in violations if v["impact"] in FAILING_IMPACTS}
    assert set(serious) >= {"image-alt", "color-contrast"}, serious
    assert "test: image-alt (critical): Images must have alternative text" in serious["image-alt"]
    assert "    img: Fix any of the following:" in serious["image-alt"]


def test_arabic_text_is_checked_for_contrast_once_its_letters_are_hidden(browser):
    page = browser.new_page()
    page.set_content('<!DOCTYPE html><html lang="ar" dir="rtl"><head><title>t</title></head><body><main>'
                     '<p style="color:#eee;background:#fff">نص باهت</p></main></body></html>')
    axe = axe_api.Axe()
    before = axe.run(page, options={"runOnly": ["color-contrast"]}).response["violations"]
    assert page.evaluate(HIDE_ARABIC_LETTERS) is True
    after = axe.run(page, options={"runOnly": ["color-contrast"]}).response["violations"]
    page.close()
    assert before == []  # if axe starts checking Arabic text, HIDE_ARABIC_LETTERS can go
    assert [v["id"] for v in after] == ["color-contrast"]
