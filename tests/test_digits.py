"""digits = "arab": every number the generator shows is in Arabic-Indic digits; addresses and machine fields stay ASCII."""

from __future__ import annotations

import datetime
import json
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from generator.markup import make_converter, render_markdown
from tests.browser import serve
from tests.conftest import REPO, run_cli

ASCII_DIGIT = re.compile(r"[0-9]")
NATIVE_DIGIT = re.compile(r"[٠-٩۰-۹]")
# Author text in these articles holds no digit, so any digit a page shows was written by the generator.
BODY = """نص المقال[^a] وبعده[^b].

1. أول
2. ثان
3. ثالث

[^a]: حاشية أولى.
[^b]: حاشية ثانية.
"""
# The English articles' body is English, so its footnotes are laid out left to right.
ENGLISH_BODY = """The text[^a] and after it[^b].

1. First
2. Second

[^a]: A first note.
[^b]: A second note.
"""


def write_site(root: Path, digits: str = "arab", page_size: int = 2, count: int = 14) -> Path:
    """A project with the real theme, the Arabic language in the given digits, and count articles spread over
    months, two Hijri years, tags, footnotes, ordered lists and sources."""
    root.mkdir(parents=True)
    config = (REPO / "site.toml").read_text(encoding="utf-8")
    config = config.replace('locale = "ar"\ndigits = "latn"', f'locale = "ar"\ndigits = "{digits}"', 1)
    config = config.replace("page_size = 10", f"page_size = {page_size}", 1)
    (root / "site.toml").write_text(config, encoding="utf-8")
    shutil.copytree(REPO / "themes", root / "themes")
    (root / "seeds").mkdir()
    tags = ["سوريا", "الإرهاب", "إيران", "تركيا", "ISIS"]
    for number in range(count):
        day = datetime.date(2017, 1, 5) + datetime.timedelta(days=23 * number)
        write_article(root, "ar", f"a{number}", day, f"[{tags[number % len(tags)]}, العراق]")
    write_article(root, "en", "english", datetime.date(2017, 3, 1), "[Syria]", ENGLISH_BODY)
    write_article(root, "en", "older", datetime.date(2017, 2, 1), "[Syria]", ENGLISH_BODY)
    return root


def write_article(root: Path, lang: str, slug: str, day: datetime.date, tags: str, body: str = BODY) -> None:
    folder = root / "content" / lang
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{slug}.md").write_text(f"""---
title: مقال عن المنطقة
slug: {slug}
date: {day.isoformat()}
author: المرصد
views: 4620
tags: {tags}
sources:
  - صحيفة الحياة
  - رويترز https://example.org/news/a
---
{body}""", encoding="utf-8")


@pytest.fixture(scope="module")
def arab_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = write_site(tmp_path_factory.mktemp("digits") / "site")
    result = run_cli("build", "--root", str(root))
    assert result.code == 0, result.err
    return root / "output"


class VisibleText(HTMLParser):
    """The text a reader sees or hears: text nodes outside script, style, code and pre, and the title,
    aria-label and alt attributes."""

    HIDDEN = {"script", "style", "code", "pre"}
    VOID = {"meta", "link", "br", "hr", "img", "input", "wbr", "source"}

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.open.append(tag)
        self.found.extend(value for name, value in attrs if name in ("title", "aria-label", "alt") and value)

    def handle_endtag(self, tag: str) -> None:
        while self.open and self.open.pop() != tag:
            pass

    def handle_data(self, data: str) -> None:
        if not self.HIDDEN.intersection(self.open) and data.strip():
            self.found.append(data.strip())


def visible_text(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.found


def arabic_pages(output: Path) -> list[Path]:
    return sorted(output.glob("ar/**/*.html")) + [output / "404.html", output / "index.html"]


def test_no_page_in_arab_digits_shows_a_latin_digit(arab_site):
    pages = arabic_pages(arab_site)
    kinds = {"page/2", "tags/syria", "hijri/1438", "2017/09", "404.html", "archive"}
    assert all(any(kind in str(page) for page in pages) for kind in kinds)
    offending = {str(page.relative_to(arab_site)): digits
                 for page in pages if (digits := [t for t in visible_text(page.read_text("utf-8")) if ASCII_DIGIT.search(t)])}
    assert offending == {}


def test_numbers_the_generator_writes_are_in_arabic_indic_digits(arab_site):
    home2 = arab_site.joinpath("ar/page/2/index.html").read_text("utf-8")
    assert "<title>أحدث المقالات · الصفحة ٢ · " in home2
    assert 'aria-current="page"><bdi>٢</bdi>' in home2
    index = arab_site.joinpath("ar/archive/index.html").read_text("utf-8")
    assert "٢٠١٧" in index and "١٤٣٨ هـ" in index
    article = arab_site.joinpath("ar/2017/01/a0/index.html").read_text("utf-8")
    assert "٤٦٢٠ مشاهدة" in article
    assert '<p class="not-found-code" aria-hidden="true"><bdi>٤٠٤</bdi></p>' in arab_site.joinpath("404.html").read_text("utf-8")


def test_footnote_markers_and_back_link_titles_are_localised_but_their_addresses_are_not(arab_site):
    article = arab_site.joinpath("ar/2017/01/a0/index.html").read_text("utf-8")
    assert re.search(r'<sup [^>]*id="fnref:a"[^>]*><a class="footnote-ref" href="#fn:a">١</a></sup>', article)
    assert '<a class="footnote-ref" href="#fn:b">٢</a>' in article
    assert 'href="#fnref:b" title="العودة إلى الحاشية ٢ في النص"' in article
    english = arab_site.joinpath("en/2017/03/english/index.html").read_text("utf-8")
    assert '<a class="footnote-ref" href="#fn:a">1</a>' in english  # English keeps latn digits
    assert 'title="Jump back to footnote 2 in the text"' in english


def test_the_converter_writes_footnotes_in_each_digit_set():
    text = "أ[^x] ب[^y]\n\n[^x]: ١\n[^y]: ٢\n"
    for digits, one, two in (("latn", "1", "2"), ("arab", "١", "٢"), ("arabext", "۱", "۲")):
        html = render_markdown(make_converter("back %d", digits), text).html
        assert f'href="#fn:x">{one}</a>' in html and f'href="#fn:y">{two}</a>' in html
        assert f'title="back {two}"' in html and 'id="fn:y"' in html


def test_addresses_and_machine_fields_stay_ascii(arab_site):
    for page in arabic_pages(arab_site):
        html = page.read_text("utf-8")
        for attribute in ("datetime", "href", "id", "content"):
            for value in re.findall(rf'\b{attribute}="([^"]*)"', html):
                if attribute in ("datetime", "href", "id") or re.fullmatch(r"\d{4}-\d\d-\d\d.*", value):
                    assert not NATIVE_DIGIT.search(value), (page, attribute, value)
        for block in re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S):
            data = json.loads(block)
            for key in ("datePublished", "dateModified"):
                if key in data:
                    assert re.fullmatch(r"\d{4}-\d\d-\d\d.*", data[key]), (page, data[key])
    times = re.findall(r'datetime="([^"]*)"', arab_site.joinpath("ar/index.html").read_text("utf-8"))
    assert times and all(re.fullmatch(r"\d{4}-\d\d-\d\d", value) for value in times)
    feed = arab_site.joinpath("ar/feed.xml").read_text("utf-8")
    for field in ("updated", "published", "id"):
        values = re.findall(rf"<{field}>([^<]*)</{field}>", feed)
        assert values and not any(NATIVE_DIGIT.search(value) for value in values), field
    assert not NATIVE_DIGIT.search(arab_site.joinpath("sitemap.xml").read_text("utf-8"))


def test_pages_say_which_digits_their_lists_count_in(arab_site):
    assert '<html lang="ar" dir="rtl" data-digits="arab">' in arab_site.joinpath("ar/index.html").read_text("utf-8")
    assert '<html lang="en" dir="ltr">' in arab_site.joinpath("en/index.html").read_text("utf-8")


def test_a_cached_body_is_converted_again_when_the_digits_change(tmp_path):
    root = write_site(tmp_path / "site", digits="latn", count=1)
    assert run_cli("build", "--root", str(root)).code == 0
    article = root / "output/ar/2017/01/a0/index.html"
    assert 'href="#fn:a">1</a>' in article.read_text("utf-8")
    config = root / "site.toml"
    config.write_text(config.read_text("utf-8").replace('locale = "ar"\ndigits = "latn"', 'locale = "ar"\ndigits = "arab"'),
                      encoding="utf-8")
    assert run_cli("build", "--root", str(root)).code == 0
    assert 'href="#fn:a">١</a>' in article.read_text("utf-8")


def test_list_markers_count_in_the_languages_digits_and_arrows_point_the_reading_way(browser, arab_site):
    with serve(arab_site) as base:
        page = browser.new_page()
        try:
            facts = {}
            for lang, path in (("ar", "ar/2017/01/a0/"), ("en", "en/2017/03/english/")):
                page.goto(base + path)
                facts[lang] = page.evaluate("""() => {
                    const style = (selector, property) => getComputedStyle(document.querySelector(selector))[property];
                    return {
                        body: style('.prose > ol', 'listStyleType'),
                        footnotes: style('.footnote ol', 'listStyleType'),
                        sources: style('.sources-list', 'listStyleType'),
                        backref: style('.footnote-backref', 'transform'),
                        pager: style('.article-pager .direction-arrow', 'transform'),
                    };
                }""")
            page.goto(base + "ar/page/2/")
            facts["pager"] = page.evaluate(
                "() => [...document.querySelectorAll('.pagination .direction-arrow')].map(e => getComputedStyle(e).transform)")
        finally:
            page.close()
    mirrored = "matrix(-1, 0, 0, 1, 0, 0)"
    assert facts["ar"] == {"body": "arabic-indic", "footnotes": "arabic-indic", "sources": "arabic-indic",
                           "backref": mirrored, "pager": mirrored}
    assert facts["en"] == {"body": "decimal", "footnotes": "decimal", "sources": "decimal",
                           "backref": "none", "pager": "none"}
    assert facts["pager"] == [mirrored, mirrored]
