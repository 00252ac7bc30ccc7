"""The search page in real Chromium: Arabic queries typed in variant spellings find the article, under a Pages
sub-path and at "/", in both themes, with no request to another host; and the browser's query fold
(static/js/search.js) agrees with the Python one (generator/arabic/search_fold.py) over many words."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from playwright.sync_api import expect

from generator.arabic.search_fold import fold_word, search_terms
from tests.browser import serve

REPO = Path(__file__).resolve().parent.parent
SEARCH_JS = (REPO / "themes" / "default" / "static" / "js" / "search.js").read_text(encoding="utf-8")

ARTICLES = {
    "responsible": ("المسؤول عن السياسة الاقتصادية", "2019-03-04",
                    "تحدّث المسؤول الأول عن الاقتصاد في العراق عن السياسة النقدية والطاقة."),
    "beach": ("شيء عن الشاطئ", "2021-07-08", "على شاطئ البحر يجلس الصيادون كل صباح مع شيء من الخبز."),
    "school": ("مدرسة جديدة في القرية", "2021-01-02", "افتتحت المدرسة الابتدائية أبوابها لأطفال القرية."),
}
# (query typed, slug of the article it must find): diacritics, tatweel, hamza seats, ة/ه, ى/ي, و ب ل ال.
QUERIES = [
    ("مسئول", "responsible"),
    ("السِّيَاسَة", "responsible"),
    ("للسياسه", "responsible"),
    ("والاقتصاد", "responsible"),
    ("بالعراق", "responsible"),
    ("اقتصـــاد", "responsible"),
    ("شئ", "beach"),
    ("شاطىء", "beach"),
    ("والشاطئ", "beach"),
    ("مدرسه", "school"),
    ("بالمدرسة", "school"),
    ("القريه", "school"),
]


def build_site(make_site, base_url: str, theme: str = "default") -> Path:
    site = make_site()
    for slug, (title, day, body) in ARTICLES.items():
        site.article("ar", slug, title=title, date=day, body=body, extra=f"summary: ملخص {title}")
    site.article("en", "english-report", title="An English report", date="2020-05-06",
                 body="The ministry published the annual report on water.")
    if theme != "default":
        toml = site.root / "site.toml"
        toml.write_text(re.sub(r'(?m)^theme = .*$', f'theme = "{theme}"', toml.read_text(encoding="utf-8")),
                        encoding="utf-8")
    result = site.build("--base-url", base_url)
    assert result.code == 0, result.err
    return site.root / "output"


def search(page, query: str) -> list[str]:
    """Type query into the search box and return the result links' paths once the count is shown."""
    box = page.get_by_label(re.compile("ابحث في المقالات|Search the articles"))
    box.fill("")
    box.type(query)
    page.keyboard.press("Enter")
    expect(page.locator("#search-status")).to_have_text(re.compile(r"[0-9٠-٩]|لا نتائج|نتيجة|نتيجتان"))
    page.wait_for_timeout(50)
    return page.eval_on_selector_all("#search-results a", "links => links.map(a => new URL(a.href).pathname)")


@pytest.mark.parametrize("prefix,theme", [("/repo/", "default"), ("/", "default"), ("/repo/", "research")])
def test_variant_arabic_queries_find_the_article(browser, make_site, prefix, theme):
    base_url = f"https://x.github.io{prefix}" if prefix != "/" else "/"
    output = build_site(make_site, base_url, theme)
    with serve(output, prefix) as base:
        page = browser.new_page()
        requests: list[str] = []
        errors: list[str] = []
        page.on("request", lambda request: requests.append(request.url))
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.on("response", lambda response: errors.append(f"{response.status} {response.url}")
                if response.status >= 400 else None)
        page.goto(base + "ar/search/", wait_until="networkidle")
        assert page.locator("html").get_attribute("dir") == "rtl"
        for query, slug in QUERIES:
            found = search(page, query)
            assert any(path.startswith(prefix + "ar/") and path.endswith(f"/{slug}/") for path in found), (query, found)
        assert search(page, "زرافة") == []
        assert page.locator("#search-status").text_content() == "لا نتائج"
        origin = urlsplit(base).netloc
        assert {urlsplit(url).netloc for url in requests} == {origin}
        assert errors == []
        page.close()


def test_a_result_shows_title_date_and_summary_and_links_to_the_article(browser, make_site):
    output = build_site(make_site, "https://x.github.io/repo/")
    with serve(output, "/repo/") as base:
        page = browser.new_page()
        page.goto(base + "ar/search/?q=" + "المدرسة", wait_until="networkidle")
        expect(page.locator("#search-results li")).to_have_count(1)
        result = page.locator("#search-results li")
        assert result.locator("a").text_content() == "مدرسة جديدة في القرية"
        assert result.locator("time").get_attribute("datetime") == "2021-01-02"
        assert "ملخص مدرسة جديدة في القرية" in result.locator("p").text_content()
        assert page.locator("#search-status").text_content() == "نتيجة واحدة"
        # The query stays in the address, and the link opens the article under the sub-path.
        assert "q=" in page.url
        result.locator("a").click()
        page.wait_for_load_state()
        assert page.url == base + "ar/2021/01/school/"
        page.close()


def test_the_english_search_page_finds_english_articles_only(browser, make_site):
    output = build_site(make_site, "https://x.github.io/repo/")
    with serve(output, "/repo/") as base:
        page = browser.new_page()
        page.goto(base + "en/search/", wait_until="networkidle")
        assert page.locator("html").get_attribute("dir") == "ltr"
        assert search(page, "reports") == ["/repo/en/2020/05/english-report/"]
        assert page.locator("#search-status").text_content() == "1 result"
        assert search(page, "الشاطئ") == []
        page.close()


def test_the_header_form_leads_to_the_search_page_with_the_query(browser, make_site):
    output = build_site(make_site, "https://x.github.io/repo/")
    with serve(output, "/repo/") as base:
        page = browser.new_page()
        page.goto(base + "ar/", wait_until="networkidle")
        page.locator("#header-search-query").fill("مسئول")
        page.keyboard.press("Enter")
        expect(page.locator("#search-results li")).to_have_count(1)
        assert urlsplit(page.url).path == "/repo/ar/search/"
        page.close()


# ---------------------------------------------------------------------------
# The browser's fold agrees with Python's
# ---------------------------------------------------------------------------

REAL_WORDS = [
    "مسؤول", "مسئول", "مسؤولية", "شيء", "شئ", "للسياسة", "والاقتصاد", "بالعراق", "السِّيَاسَة", "الـــعـــراق",
    "إسرائيل", "آمال", "أحمد", "ٱلله", "مستشفى", "مدرسة", "شاطىء", "هيئة", "ﻻ", "ﷲ", "كتاب", "فالكتاب",
    "وللمدرسة", "٢٠٢٠", "۱۴۰۲", "٣٫٥", "Syria's", "ÉCOLE", "naïve", "می‌دهیم", "a\u200db", "👍🏽", "\ufeffنص",
    "ب", "ال", "لل", "وال", "بيت", "لبنان", "x_y", "قرآن", "القُرْآن",
]
ALPHABET = st.characters(codec="utf-8", categories=("L", "M", "N", "P", "Zs"), max_codepoint=0x7ff) | \
    st.sampled_from(list("ءآأؤإئابةتثجحخدذرسشصضطظعغفقكلمنهوىيًٌٍَُِّْـٰٱ٠١٢٣٤٥٦٧٨٩٫٬ ۰۱۲ﻻﷲ\u200c\u200d\u200f\ufeff"))


@pytest.fixture(scope="module")
def fold_page(browser):
    page = browser.new_page()
    page.set_content("<html><body></body></html>")
    page.add_script_tag(content=SEARCH_JS, type="module")
    page.wait_for_function("() => globalThis.warraqSearch")
    yield page
    page.close()


def browser_folds(page, texts: list[str]) -> list[tuple[str, str]]:
    return [tuple(pair) for pair in page.evaluate(
        "texts => texts.map(t => [warraqSearch.foldWord(t), warraqSearch.searchTerms(t)])", texts)]


def test_the_browser_folds_real_words_as_python_does(fold_page):
    assert browser_folds(fold_page, REAL_WORDS) == [(fold_word(w), search_terms(w)) for w in REAL_WORDS]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.text(ALPHABET, max_size=24), min_size=20, max_size=20))
def test_the_browser_folds_any_text_as_python_does(fold_page, texts):
    assert browser_folds(fold_page, texts) == [(fold_word(t), search_terms(t)) for t in texts]
