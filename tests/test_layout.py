"""Phone layout in real Chromium: no page of any kind is wider than a 320, 375 or 414 px screen, even with
hostile content (a 300-character URL, a 200-character word, a 12-column table, a long code line)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from tests.browser import serve
from tests.conftest import REPO, SiteDir, run_cli
from tests.test_themes_browser import THEMES, use_theme

pytest.importorskip("playwright.sync_api", reason="pip install -r requirements-dev.txt")

WIDTHS = (320, 375, 414)
LONG_URL = "https://example.org/" + "/".join(["segment-of-a-very-long-address"] * 9) + "?query=" + "x" * 10
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis" * 4 + "end"
LONG_ARABIC_WORD = "الاستراتيجيات" * 12
TABLE = "\n".join([
    "| " + " | ".join(f"Column heading {n}" for n in range(1, 13)) + " |",
    "|" + "---|" * 12,
    "| " + " | ".join(f"value {n} with words" for n in range(1, 13)) + " |",
])
CODE = "    " + "result = compute(" + ", ".join(f"argument_number_{n}" for n in range(1, 20)) + ")"
HOSTILE_BODY = f"""نص عربي قبل رابط طويل جدا {LONG_URL} ثم كلمة طويلة {LONG_WORD} ثم {LONG_ARABIC_WORD}.

رابط [بنص عربي]({LONG_URL}) ورابط تلقائي <{LONG_URL}> وشيفرة `{LONG_WORD}`.

{TABLE}

{CODE}

> اقتباس فيه {LONG_WORD} و {LONG_URL}

- بند فيه {LONG_URL}
- {LONG_WORD}
- An English item in an Arabic list: its marker must not hang past the screen's edge

## عنوان فيه {LONG_WORD}

نص مع حاشية.[^1]

[^1]: حاشية فيها {LONG_URL}
"""


def hostile_article(lang: str, slug: str, title: str, date: str, tag: str, words: str) -> str:
    """An article whose every field and block holds something too wide for a phone."""
    return f"""---
title: "{title}"
slug: {slug}
lang: {lang}
date: {date}
author: "{LONG_WORD} {words}"
tags: [{tag}]
summary: "{words} {LONG_URL} {LONG_WORD}"
report:
  title: "{LONG_WORD}"
  prepared_by: "{LONG_WORD}"
sources:
- "{words} {LONG_URL}"
- "{LONG_WORD}"
translation_key: {slug}
---
{HOSTILE_BODY.replace("نص عربي", words)}"""


@pytest.fixture(scope="module", params=THEMES)
def hostile_site(request, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A two-language site whose articles are full of content that does not fit a phone, with each shipped theme."""
    root = tmp_path_factory.mktemp("hostile") / "site"
    root.mkdir()
    shutil.copy(REPO / "site.toml", root / "site.toml")
    shutil.copytree(REPO / "themes", root / "themes")
    use_theme(root, request.param)
    (root / "seeds").mkdir()
    site = SiteDir(root)
    title = f"Long Latin title {LONG_WORD} with more words after it"
    site.write("content/ar/hostile.md", hostile_article("ar", "hostile", title, "2017-09-28", "سوريا", "نص عربي"))
    site.write("content/ar/other.md", hostile_article("ar", "other", f"عنوان عربي {LONG_ARABIC_WORD}", "2018-01-05",
                                                      "سوريا", "نص عربي آخر"))
    site.write("content/en/hostile.md", hostile_article("en", "hostile", title, "2017-09-28", "Syria", "English text"))
    result = run_cli("build", "--root", str(root))
    assert result.code == 0, result.err
    return root / "output"


def every_page_kind(output: Path) -> list[str]:
    """One page of every kind in each language, and the root page."""
    pages = [""]
    for lang in ("ar", "en"):
        year = "2017"
        pages += [f"{lang}/", f"{lang}/{year}/09/hostile/", f"{lang}/tags/", f"{lang}/tags/syria/", f"{lang}/archive/",
                  f"{lang}/{year}/", f"{lang}/{year}/09/", f"{lang}/404.html"]
        hijri = sorted((output / lang / "hijri").glob("*/index.html"))
        assert hijri, f"no Hijri year page in {lang}"
        pages.append(f"{lang}/hijri/{hijri[0].parent.name}/")
    for page in pages:
        assert (output / page / "index.html").is_file() or (output / page).is_file(), page
    return pages


def test_no_page_is_wider_than_a_phone(browser, hostile_site):
    pages = every_page_kind(hostile_site)
    # The root page sends readers on at once: measure a copy that stays.
    root = (hostile_site / "index.html").read_text(encoding="utf-8")
    staying = re.sub(r'<meta http-equiv="refresh"[^>]*>', "", root)
    assert staying != root
    (hostile_site / "root-staying.html").write_text(staying, encoding="utf-8")
    pages[pages.index("")] = "root-staying.html"
    too_wide = []
    with serve(hostile_site) as base:
        for width in WIDTHS:
            context = browser.new_context(viewport={"width": width, "height": 800})
            page = context.new_page()
            for path in pages:
                page.goto(base + path, wait_until="load")
                measured = page.evaluate("({scroll: document.documentElement.scrollWidth, inner: innerWidth})")
                if measured["scroll"] > measured["inner"]:
                    too_wide.append((width, path, measured["scroll"]))
            context.close()
    assert too_wide == []


def test_the_wide_table_and_code_scroll_inside_their_own_box(browser, hostile_site):
    with serve(hostile_site) as base:
        context = browser.new_context(viewport={"width": 375, "height": 800})
        page = context.new_page()
        page.goto(base + "ar/2017/09/hostile/")
        boxes = page.evaluate("""() => [...document.querySelectorAll('.prose table, .prose pre')].map(e => ({
            tag: e.tagName, client: e.clientWidth, scroll: e.scrollWidth,
            overflow: getComputedStyle(e).overflowX}))""")
        context.close()
    assert [box["tag"] for box in boxes] == ["TABLE", "PRE"]
    for box in boxes:
        assert box["scroll"] > box["client"] and box["overflow"] == "auto", box  # wider than the box: it scrolls
