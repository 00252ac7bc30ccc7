"""What only a browser can tell: direction, fonts, failed requests and console errors, in real Chromium."""

from __future__ import annotations

import pytest

from tests.browser import serve

pytest.importorskip("playwright.sync_api", reason="pip install -r requirements-dev.txt")


def visit(browser, url: str) -> dict:
    """Load a page; return what went wrong on the way and what the page computed."""
    page = browser.new_page()
    failed: list[str] = []
    errors: list[str] = []
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.on("response", lambda response: failed.append(f"{response.status} {response.url}") if response.status >= 400 else None)
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url, wait_until="networkidle")
    facts = page.evaluate("""async () => {
        await document.fonts.ready;
        return {
            direction: getComputedStyle(document.body).direction,
            lang: document.documentElement.lang,
            loadedFonts: [...document.fonts].filter(f => f.status === 'loaded').map(f => f.family.replace(/"/g, '')),
            title: document.querySelector('h1') ? document.querySelector('h1').textContent.trim() : '',
            text: document.body.innerText,
            links: [...document.querySelectorAll('a[href]')].map(a => a.href),
        };
    }""")
    page.close()
    return {**facts, "failed": failed, "errors": errors}


def article_url(sample_site) -> str:
    found = sorted((sample_site / "output" / "ar" / "2017" / "09").glob("*/index.html"))
    assert found, "the sample article was not built"
    return f"ar/2017/09/{found[0].parent.name}/"


def test_arabic_pages_are_rtl_with_the_font_loaded_and_nothing_broken(browser, sample_site):
    with serve(sample_site / "output") as base:
        for path in ("ar/", article_url(sample_site), "ar/tags/", "ar/tags/syria/", "ar/archive/", "ar/2017/",
                     "ar/2017/09/", "ar/hijri/1439/"):
            facts = visit(browser, base + path)
            assert facts["failed"] == [], path
            assert facts["errors"] == [], path
            assert facts["direction"] == "rtl", path
            assert facts["lang"] == "ar", path
            assert "Noto Naskh Arabic" in facts["loadedFonts"], (path, facts["loadedFonts"])


def test_the_article_page_shows_the_sample_facts(browser, sample_site):
    with serve(sample_site / "output") as base:
        facts = visit(browser, base + article_url(sample_site))
    text = facts["text"]
    assert facts["title"] == 'مداولات دولية حول مرحلة ما بعد سقوط "داعش"'
    for expected in ("المرصد الاستراتيجي", "28 سبتمبر 2017", "8 محرم 1439 هـ", "4620", "التقرير الاستراتيجي العدد 47"):
        assert expected in text, expected
    assert "لصالح القوات الحكومية" in text  # the broken paragraph was joined


def test_english_pages_are_ltr_from_the_same_templates(browser, sample_site):
    with serve(sample_site / "output") as base:
        facts = visit(browser, base + "en/2017/09/international-deliberations-on-the-post-isis-phase/")
    assert facts["direction"] == "ltr" and facts["lang"] == "en"
    assert facts["failed"] == [] and facts["errors"] == []


def test_the_root_page_sends_readers_to_the_default_language(browser, sample_site):
    with serve(sample_site / "output") as base:
        page = browser.new_page()
        page.goto(base)
        page.wait_for_url(base + "ar/", timeout=10000)
        assert page.evaluate("document.documentElement.dir") == "rtl"
        page.close()


def test_clicking_the_switcher_on_an_article_lands_on_its_translation(browser, sample_site):
    with serve(sample_site / "output") as base:
        page = browser.new_page()
        page.goto(base + article_url(sample_site), wait_until="networkidle")
        assert page.evaluate("getComputedStyle(document.body).direction") == "rtl"
        page.click(".lang-switch a[hreflang=en]")
        page.wait_for_load_state("networkidle")
        assert page.url == base + "en/2017/09/international-deliberations-on-the-post-isis-phase/"
        assert page.evaluate("getComputedStyle(document.body).direction") == "ltr"
        assert page.evaluate("document.documentElement.lang") == "en"
        assert "Strategic Observatory" in page.inner_text("main")
        page.click(".lang-switch a[hreflang=ar]")
        page.wait_for_load_state("networkidle")
        assert page.url == base + article_url(sample_site)
        page.close()
