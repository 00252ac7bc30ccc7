"""Both shipped themes in real Chromium: the research theme keeps the default's direction guarantees (its report
home mirrors between Arabic and English, mixed text is drawn in reading order, fonts load, nothing breaks).

THEMES and themed_project are what tests/test_accessibility.py, test_layout.py and test_validity.py use to run
their browser, axe and Nu checks over each shipped theme.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.browser import serve, visual_order
from tests.conftest import REPO, SiteDir, run_cli

# Every theme shipped in themes/: the browser, axe and Nu tests run on each.
THEMES = tuple(sorted(path.parent.name for path in (REPO / "themes").glob("*/theme.toml")))


def use_theme(root: Path, theme: str) -> None:
    """Point root/site.toml at a theme (its `theme = "..."` line)."""
    path = root / "site.toml"
    text, count = re.subn(r'^theme = "[^"]*"', f'theme = "{theme}"', path.read_text(encoding="utf-8"), count=1,
                          flags=re.MULTILINE)
    assert count == 1, "site.toml has no theme line"
    path.write_text(text, encoding="utf-8")


def themed_project(source: Path, theme: str, target: Path) -> Path:
    """A copy of the project at source (site.toml, themes, seeds, content; no output) using theme, built once;
    the project itself when theme is the one it already uses."""
    if re.search(rf'^theme = "{theme}"', (source / "site.toml").read_text(encoding="utf-8"), flags=re.MULTILINE):
        return source
    target.mkdir(parents=True)
    shutil.copy(source / "site.toml", target / "site.toml")
    for folder in ("themes", "seeds", "content"):
        if (source / folder).is_dir():
            shutil.copytree(source / folder, target / folder)
    use_theme(target, theme)
    result = run_cli("--root", str(target))
    assert result.code == 0, result.err
    return target


def test_both_themes_are_shipped():
    assert THEMES == ("default", "research")


@pytest.fixture(scope="module")
def research_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A research-theme site with a report of two articles (one with an English name in its Arabic title), an
    older report and an article without one, in Arabic and English."""
    # Here rather than at the top: the other modules import THEMES and themed_project without a browser.
    pytest.importorskip("playwright.sync_api", reason="pip install -r requirements-dev.txt")
    root = tmp_path_factory.mktemp("research") / "site"
    root.mkdir()
    shutil.copy(REPO / "site.toml", root / "site.toml")
    shutil.copytree(REPO / "themes", root / "themes")
    (root / "seeds").mkdir()
    use_theme(root, "research")
    site = SiteDir(root)
    for lang, issue_name, by in (("ar", "التقرير الاستراتيجي العدد {n}", "المرصد الاستراتيجي"),
                                 ("en", "Strategic Report, Issue {n}", "Strategic Observatory")):
        def report(n: int) -> str:
            return f'report:\n  title: "{issue_name.format(n=n)}"\n  prepared_by: "{by}"\nsummary: "{lang} {n}"'
        site.write(f"content/{lang}/a.md", f'---\ntitle: "{"تقرير Global Risks 2024 عن المخاطر" if lang == "ar" else "Global Risks 2024"}"\n'
                                           f"slug: a\ndate: 2017-09-10\n{report(48)}\ntranslation_key: a\n---\nنص.\n")
        site.write(f"content/{lang}/b.md", f"---\ntitle: {lang} b\nslug: b\ndate: 2017-09-01\n{report(48)}\n"
                                           f"translation_key: b\n---\nنص.\n")
        site.write(f"content/{lang}/c.md", f"---\ntitle: {lang} c\nslug: c\ndate: 2017-08-01\n{report(47)}\n"
                                           f"translation_key: c\n---\nنص.\n")
        site.write(f"content/{lang}/d.md", f"---\ntitle: {lang} d\nslug: d\ndate: 2017-09-20\ntranslation_key: d\n"
                                           f"---\nنص.\n")
    result = run_cli("--root", str(root))
    assert result.code == 0, result.err
    return root / "output"


def boxes(page, selectors: list[str]) -> dict[str, dict]:
    """The bounding box of the first element matching each selector."""
    return page.evaluate("""selectors => Object.fromEntries(selectors.map(s => {
        const r = document.querySelector(s).getBoundingClientRect();
        return [s, {left: r.left, right: r.right, top: r.top, width: r.width}];
    }))""", selectors)


@pytest.mark.parametrize("lang", ["ar", "en"])
def test_the_report_home_mirrors_with_the_reading_direction(browser, research_site, lang):
    with serve(research_site) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        try:
            page.goto(base + f"{lang}/", wait_until="networkidle")
            assert page.evaluate("getComputedStyle(document.body).direction") == ("rtl" if lang == "ar" else "ltr")
            found = boxes(page, [".report-issue-head", ".report-contents", ".site-title a", ".site-nav-list li",
                                 ".report-entry-number", ".report-entry-title"])
            head, contents = found[".report-issue-head"], found[".report-contents"]
            # The report's cover comes first in reading order: on the right in Arabic, on the left in English;
            # the contents beside it, the number before each title, the title and nav at the start edge.
            if lang == "ar":
                assert head["left"] >= contents["right"]
                assert found[".report-entry-number"]["left"] >= found[".report-entry-title"]["right"]
                assert found[".site-title a"]["right"] > 1000 and found[".site-nav-list li"]["right"] > 1000
            else:
                assert head["right"] <= contents["left"]
                assert found[".report-entry-number"]["right"] <= found[".report-entry-title"]["left"]
                assert found[".site-title a"]["left"] < 280 and found[".site-nav-list li"]["left"] < 280
            titles = page.eval_on_selector_all(".report-entry-title a", "links => links.map(a => a.textContent)")
            assert [t.strip() for t in titles][1:] == [f"{lang} b"]
            assert page.eval_on_selector_all(".more-research .card-title a",
                                             "links => links.map(a => a.textContent.trim())") == [f"{lang} d",
                                                                                                 f"{lang} c"]
        finally:
            page.close()


def test_an_english_name_in_an_arabic_report_title_is_drawn_in_reading_order(browser, research_site):
    with serve(research_site) as base:
        page = browser.new_page(viewport={"width": 1280, "height": 900})  # the title on one line
        try:
            page.goto(base + "ar/", wait_until="networkidle")
            order = visual_order(page, ".report-entry-title", ["تقرير", "Global", "2024", "المخاطر"])
            assert order == ["المخاطر", "Global", "2024", "تقرير"]
        finally:
            page.close()


def test_every_research_page_loads_its_fonts_and_nothing_breaks(browser, research_site):
    problems: list[str] = []
    with serve(research_site) as base:
        page = browser.new_page()
        page.on("requestfailed", lambda request: problems.append(f"failed: {request.url}"))
        page.on("response", lambda response: problems.append(f"{response.status}: {response.url}")
                if response.status >= 400 else None)
        page.on("console", lambda message: problems.append(message.text) if message.type == "error" else None)
        try:
            for path in ("ar/", "ar/2017/09/a/", "ar/tags/", "ar/archive/", "en/", "en/2017/09/a/"):
                page.goto(base + path, wait_until="networkidle")
                fonts = page.evaluate("document.fonts.ready.then(() => [...document.fonts]"
                                      ".filter(f => f.status === 'loaded').map(f => f.family.replace(/\"/g, '')))")
                assert "Noto Naskh Arabic" in fonts or path.startswith("en/"), (path, fonts)
                sheets = page.eval_on_selector_all('link[rel=stylesheet]:not([media=print])',
                                                   "links => links.map(l => l.getAttribute('href'))")
                assert sheets == ["/static/css/site.css", "/static/css/research.css"], sheets
        finally:
            page.close()
    assert problems == []
