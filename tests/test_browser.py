"""What only a browser can tell: direction, fonts, failed requests and console errors, in real Chromium."""

from __future__ import annotations

import pytest

from generator import bidi
from generator.markup import make_converter, render_markdown
from tests.browser import measure, serve, visual_order

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


# ---------------------------------------------------------------------------
# Visual order of mixed-direction text (generator/bidi.py), measured with DOM Ranges in Chromium
# ---------------------------------------------------------------------------

def field(text: str, page_direction: str = "rtl") -> str:
    return str(bidi.isolate(text, page_direction))


def body(markdown_text: str) -> str:
    return str(render_markdown(make_converter(), markdown_text).html)


# (case, page direction, box width, HTML from the generator, the tokens as they must be drawn: left to right,
#  line by line). The tokens of an Arabic line are listed from its left end, i.e. the reverse of reading.
VISUAL_CASES = [
    ("author beginning with a Latin word", "rtl", "30em", field("BBC عربي"), ["عربي", "BBC"]),
    ("report title with a colon", "rtl", "30em", field("ISW: تقرير عن سوريا"),
     ["سوريا", "عن", "تقرير", ":", "ISW"]),
    ("source with an Arabic comma and a date", "rtl", "30em", field("Reuters، 10 يوليو 2017."),
     [".", "2017", "يوليو", "10", "،", "Reuters"]),
    ("phone number", "rtl", "30em", field("هاتف +966 11 123 4567 للاستفسار"),
     ["للاستفسار", "+966", "11", "123", "4567", "هاتف"]),
    ("URL and e-mail", "rtl", "40em", field("راجع https://example.org/a-b/ أو info@example.org."),
     [".#3", "info", "@example.org", "أو", "https", "example.org/a-b/", "راجع"]),
    ("quoted English title with its year", "rtl", "30em", field('صدر تقرير "Global Risks 2024" أمس.'),
     [".", "أمس", '"#1', "Global", "Risks", "2024", '"#2', "تقرير", "صدر"]),
    ("English quotation ending with a period in an Arabic article", "rtl", "40em",
     body('نص عربي قبل الاقتباس.\n\n> "The war is over," he said.'),
     ["الاقتباس", "قبل", "عربي", "نص", '"The', "war", "over", ',"', "said", ".#2"]),
    ("footnote marker after a number", "rtl", "30em", body("بلغ عدد الضحايا 900[^1] شخص.\n\n[^1]: حاشية."),
     ["شخص", "1", "900", "الضحايا"]),
    ("footnote marker after a year and a full stop", "rtl", "30em", body("صدر في عام 2017.[^1] ثم\n\n[^1]: حاشية."),
     ["ثم", "1#2", ".", "2017", "عام"]),  # 1#2: the marker, not the 1 of 2017
    ("Arabic term in an English sentence", "ltr", "30em", field("The so-called جيش الفتح coalition, 2015", "ltr"),
     ["The", "so-called", "الفتح", "جيش", "coalition", "2015"]),
    ("Latin name split over two inline elements", "rtl", "30em", body("قال **John** Smith إن الوضع صعب."),
     ["صعب", "الوضع", "إن", "John", "Smith", "قال"]),
    # Review of issue 10: an address ending in digits after a glued symbol, a quotation whose opening quote
    # comes after a colon and whose closing one is followed by more English, an English title with an
    # Arabic name longer than its English words.
    ("web address ending in digits", "rtl", "40em", field("زيارة www.example.org/page?id=5 الآن"),
     ["الآن", "www", "id=", "5", "زيارة"]),
    ("quotation with its author after a colon", "rtl", "40em",
     field('اقتباس: "The future is here" — William Gibson، كما قال.'),
     [".", "قال", "كما", "،", '"#1', "The", "here", '"#2', "Gibson", ":", "اقتباس"]),
    ("English title with a long Arabic name", "ltr", "40em",
     field("Interview with محمد بن سلمان about رؤية 2030", "ltr"),
     ["Interview", "with", "سلمان", "بن", "محمد", "about", "رؤية", "2030"]),
    # Found by an attack on bidi.py: a bracket pair around Arabic with a Latin word inside, then an English
    # quotation; a number glued to Latin letters; «» quotes around English; a name before a full stop; years
    # in a row; a currency sign with its amount.
    ("bracketed source then an English quotation", "rtl", "40em",
     field('قالت (وفقا لـ Reuters): "Nothing changed" يوم أمس.'),
     ["أمس", "Nothing", "changed", ")", "Reuters", "وفقا", "قالت"]),
    ("number glued to Latin letters", "rtl", "30em", field("شبكات 5G الجديدة"), ["الجديدة", "5", "G", "شبكات"]),
    ("English quotation in guillemets", "rtl", "40em", field("قال المتحدث «The war is over.» ثم غادر."),
     [".#2", "غادر", "«", "The", "over", ".#1", "»", "المتحدث"]),
    ("name before a full stop", "rtl", "40em", field("وصل المدرب الجديد Tom. وقال إنه سعيد."),
     ["سعيد", "وقال", ".#1", "Tom", "الجديد"]),
    ("years in a row", "rtl", "30em", field("الأعوام 2019 2020 2021 شهدت"),
     ["شهدت", "2021", "2020", "2019", "الأعوام"]),
    ("currency sign with its amount", "rtl", "30em", field("السعر US$100 للقطعة"),
     ["للقطعة", "US", "100", "السعر"]),
    # A second attack: a clock glued to its unit, a Gulf local phone number.
    ("clock glued to its unit", "rtl", "30em", field("يبدأ الاجتماع 10:30am في القاعة"),
     ["القاعة", "10", "30am", "الاجتماع"]),
    ("local phone number", "rtl", "30em", field("للاستفسار اتصل على 4444 5555 يوميا"),
     ["يوميا", "4444", "5555", "على"]),
    # A third attack: a statistic, grouped thousands, a quotation's full stop after a handle.
    ("statistic in brackets", "rtl", "30em", field("كانت النتيجة (p < 0.05) في المجموعة"),
     ["المجموعة", "p", "0.05", "النتيجة"]),
    ("grouped thousands after a name", "rtl", "30em", field("بلغ مؤشر Dow Jones 35,000 نقطة"),
     ["نقطة", "Dow", "35", "000", "مؤشر"]),
    ("quotation after a handle", "rtl", "40em", field('كتب @user: "We won." ثم غادر'),
     ["غادر", "@user", "won", ".", "كتب"]),
]


def show(browser, html: str, direction: str, width: str):
    """A page holding html in a box of the given width, in Arabic or English."""
    page = browser.new_page()
    lang = "ar" if direction == "rtl" else "en"
    page.set_content(f'<!DOCTYPE html><html lang="{lang}" dir="{direction}"><head><meta charset="utf-8"><style>'
                     f'body {{ font: 20px/1.6 serif; margin: 0; }} #box {{ width: {width}; }} p {{ margin: 0; }}'
                     f'</style></head><body><div id="box">{html}</div></body></html>')
    return page


@pytest.mark.parametrize(("case", "direction", "width", "html", "expected"), VISUAL_CASES, ids=[c[0] for c in VISUAL_CASES])
def test_mixed_text_is_drawn_in_reading_order(browser, case, direction, width, html, expected):
    page = show(browser, html, direction, width)
    try:
        assert visual_order(page, "#box", expected) == expected, html
    finally:
        page.close()


# The markup before bidi.py (dir="auto" isolates, nothing in bodies) drew these wrong: the check catches it.
OLD_MARKUP = [
    ("author beginning with a Latin word", "<bdi>BBC عربي</bdi>"),
    ("report title with a colon", "<bdi>ISW: تقرير عن سوريا</bdi>"),
    ("source with an Arabic comma and a date", "<bdi>Reuters، 10 يوليو 2017.</bdi>"),
    ("phone number", "<bdi>هاتف +966 11 123 4567 للاستفسار</bdi>"),
    ("footnote marker after a number", '<p>بلغ عدد الضحايا 900<sup id="fnref:1"><a href="#fn:1">1</a></sup> شخص.</p>'),
    ("footnote marker after a year and a full stop", '<p>صدر في عام 2017.<sup id="fnref:1"><a href="#fn:1">1</a></sup> ثم</p>'),
    ("English quotation ending with a period in an Arabic article",
     '<p>نص عربي قبل الاقتباس.</p>\n<blockquote>\n<p>"The war is over," he said.</p>\n</blockquote>'),
]


# What bidi.py wrote for these cases before the attack that found them: the check catches each.
OLD_MARKUP += [
    ("bracketed source then an English quotation",
     '<bdi dir="rtl">قالت (وفقا لـ <bdi dir="ltr">Reuters): "Nothing changed"</bdi> يوم أمس.</bdi>'),
    ("number glued to Latin letters", '<bdi dir="rtl">شبكات 5<bdi dir="ltr">G</bdi> الجديدة</bdi>'),
    ("English quotation in guillemets",
     '<bdi dir="rtl">قال المتحدث «<bdi dir="ltr">The war is over</bdi>.» ثم غادر.</bdi>'),
    ("name before a full stop", '<bdi dir="rtl">وصل المدرب الجديد <bdi dir="ltr">Tom.</bdi> وقال إنه سعيد.</bdi>'),
    ("years in a row", '<bdi dir="rtl">الأعوام <bdi dir="ltr">2019 2020 2021</bdi> شهدت</bdi>'),
    ("currency sign with its amount", '<bdi dir="rtl">السعر <bdi dir="ltr">US$</bdi>100 للقطعة</bdi>'),
    ("clock glued to its unit", '<bdi dir="rtl">يبدأ الاجتماع 10:<bdi dir="ltr">30am</bdi> في القاعة</bdi>'),
    ("local phone number", '<bdi dir="rtl">للاستفسار اتصل على 4444 5555 يوميا</bdi>'),
    ("statistic in brackets", '<bdi dir="rtl">كانت النتيجة (<bdi dir="ltr">p</bdi> &lt; 0.05) في المجموعة</bdi>'),
    ("grouped thousands after a name", '<bdi dir="rtl">بلغ مؤشر <bdi dir="ltr">Dow Jones 35</bdi>,000 نقطة</bdi>'),
    ("quotation after a handle", '<bdi dir="rtl">كتب <bdi dir="ltr">@user: "We won</bdi>." ثم غادر</bdi>'),
]


@pytest.mark.parametrize(("case", "old_html"), OLD_MARKUP, ids=[c[0] for c in OLD_MARKUP])
def test_the_old_markup_drew_these_cases_wrong(browser, case, old_html):
    [(_, direction, width, _, expected)] = [c for c in VISUAL_CASES if c[0] == case]
    page = show(browser, old_html, direction, width)
    try:
        assert visual_order(page, "#box", expected) != expected
    finally:
        page.close()


def test_a_quoted_title_keeps_its_quotes_when_it_wraps(browser):
    html = field('قال معدّو التقرير إن "Global Risks Report 2024" يرسم صورة قاتمة للعالم.')
    page = show(browser, html, "rtl", "11em")
    try:
        boxes = measure(page, "#box", ['"#1', "Global", "Report", "2024", '"#2'])
        # Each quote is drawn beside the word it belongs to, on that word's line, on the outside.
        assert boxes['"#1']["line"] == boxes["Global"]["line"] and boxes['"#1']["right"] <= boxes["Global"]["x"] + 1
        assert boxes['"#2']["line"] == boxes["2024"]["line"] and boxes['"#2']["x"] >= boxes["2024"]["right"] - 1
        assert boxes["Global"]["line"] < boxes["2024"]["line"], "the box is narrow enough to wrap the title"
    finally:
        page.close()


def test_an_article_page_draws_its_mixed_fields_in_reading_order(browser, make_site):
    site = make_site()
    site.article("ar", "mixed", title='تقرير "Global Risks 2024" عن المخاطر', tags="",
                 body="نص عربي مع John Smith.\n\n> An English quotation, in full.\n\nرقم 900[^1] هنا.\n\n[^1]: حاشية.",
                 extra='summary: "ISW: تقرير موجز"')
    text = (site.root / "content/ar/mixed.md").read_text(encoding="utf-8").replace("author: المرصد", "author: BBC عربي")
    (site.root / "content/ar/mixed.md").write_text(text, encoding="utf-8")
    assert site.build().code == 0
    with serve(site.root / "output") as base:
        page = browser.new_page()
        page.goto(base + "ar/2017/09/mixed/")
        try:
            assert visual_order(page, ".article-title", ['"#1', "Global", "2024", '"#2', "تقرير"]) == \
                ['"#1', "Global", "2024", '"#2', "تقرير"]
            assert visual_order(page, ".article-meta .author", ["عربي", "BBC"]) == ["عربي", "BBC"]
            assert page.evaluate("getComputedStyle(document.querySelector('.prose blockquote')).direction") == "ltr"
            assert visual_order(page, ".prose blockquote", ["An", "full", "."]) == ["An", "full", "."]
            assert visual_order(page, ".prose p:nth-of-type(2)", ["هنا", "1", "900", "رقم"]) == ["هنا", "1", "900", "رقم"]
        finally:
            page.close()
        page = browser.new_page()
        page.goto(base + "ar/")
        try:
            assert visual_order(page, ".card-summary", ["موجز", "تقرير", "ISW"]) == ["موجز", "تقرير", "ISW"]
        finally:
            page.close()


def test_arabic_inside_english_text_is_set_a_size_up_without_uneven_lines(browser, make_site):
    # Naskh's letter bodies are small: at the Latin size an Arabic name in an English sentence looks a size
    # smaller (review of issue 10). Arabic pages set Arabic 1.1 times larger; English pages do it for the runs.
    site = make_site()
    site.article("en", "names", title="Interview with محمد بن سلمان about رؤية 2030", tags="",
                 body="He met عادل الجبير in الرياض.\n\nHe met Adel in Riyadh.")
    assert site.build().code == 0
    with serve(site.root / "output") as base:
        page = browser.new_page(viewport={"width": 375, "height": 800})
        page.goto(base + "en/2017/09/names/")
        try:
            sizes = page.evaluate("""() => {
                const size = e => parseFloat(getComputedStyle(e).fontSize);
                const p = document.querySelector('.prose p'), run = p.querySelector('bdi[dir=rtl]');
                const title = document.querySelector('.article-title bdi[dir=rtl]');
                const [first, second] = document.querySelectorAll('.prose p');
                return {run: size(run) / size(p), title: size(title) / size(title.parentElement.closest('h1')),
                        heights: [first.getBoundingClientRect().height, second.getBoundingClientRect().height]};
            }""")
            assert sizes["run"] == pytest.approx(1.1, abs=0.01)
            assert sizes["title"] == pytest.approx(1.1, abs=0.01)
            assert sizes["heights"][0] == pytest.approx(sizes["heights"][1], abs=0.5)  # one line each, same leading
        finally:
            page.close()
