"""Listings as readers expect them: Hijri months, numbered page titles, a pager with gaps, counts in plural
forms, the tag index in alphabetical order."""

from __future__ import annotations

import datetime
import re
import shutil
from pathlib import Path

import pytest

from generator.dates import hijri_month_name
from generator.i18n import load_catalogs
from tests.conftest import REPO, run_cli

TAGS = ["سوريا", "الإرهاب", "إيران", "تركيا", "داعش", "العراق", "الولايات المتحدة", "الناتو", "NATO"]
# (date, how many articles that day): Dhu al-Hijjah 1438 holds September 10-20 2017 and August 25.
AR_DATES = ([datetime.date(2017, 9, day) for day in range(10, 21)]
            + [datetime.date(2017, 10, 1), datetime.date(2017, 8, 20), datetime.date(2017, 8, 25),
               datetime.date(2017, 6, 1), datetime.date(2016, 1, 10), datetime.date(2016, 1, 12),
               datetime.date(2016, 1, 14)])


def article(root: Path, lang: str, slug: str, day: datetime.date, tags: list[str]) -> None:
    folder = root / "content" / lang
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{slug}.md").write_text(
        f"---\ntitle: عنوان {slug}\nslug: {slug}\ndate: {day.isoformat()}\ntags: [{', '.join(tags)}]\n---\nنص.\n",
        encoding="utf-8")


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("archives") / "site"
    root.mkdir()
    config = (REPO / "site.toml").read_text(encoding="utf-8").replace("page_size = 10", "page_size = 1", 1)
    (root / "site.toml").write_text(config, encoding="utf-8")
    shutil.copytree(REPO / "themes", root / "themes")
    (root / "seeds").mkdir()
    for number, day in enumerate(AR_DATES):
        article(root, "ar", f"a{number:02d}", day, [TAGS[number % len(TAGS)], "سوريا"])
    article(root, "en", "e1", datetime.date(2017, 9, 10), ["Syria", "Iraq", "ISIS", "Turkey", "Iran", "Terrorism"])
    article(root, "en", "e2", datetime.date(2017, 6, 1), ["Syria"])
    result = run_cli("build", "--root", str(root))
    assert result.code == 0, result.err
    return root / "output"


def read(output: Path, path: str) -> str:
    return (output / path / "index.html").read_text("utf-8")


def headings(html: str) -> list[str]:
    return [re.sub(r"<[^>]+>", "", h) for h in re.findall(r'<h2 id="group-\d+"[^>]*>(.*?)</h2>', html)]


def card_slugs(html: str) -> list[str]:
    return re.findall(r'class="card-title"><a href="/ar/\d{4}/\d\d/(a\d\d)/"', html)


def test_a_hijri_year_page_is_grouped_by_hijri_month_newest_first(output):
    html = read(output, "ar/hijri/1438")
    assert headings(html) == ["ذو الحجة 1438 هـ", "ذو القعدة 1438 هـ", "رمضان 1438 هـ"]
    sections = re.split(r'<h2 id="group-\d+"', html)[1:]
    # September 20 down to 10, then August 25 (still Dhu al-Hijjah); August 20 is Dhu al-Qadah.
    assert [card_slugs(section) for section in sections] == [
        [f"a{n:02d}" for n in range(10, -1, -1)] + ["a13"], ["a12"], ["a14"]]
    assert headings(read(output, "ar/hijri/1437")) == ["ربيع الآخر 1437 هـ", "ربيع الأول 1437 هـ"]
    # English month names follow the romanisation dates.py documents.
    assert headings(read(output, "en/hijri/1438")) == [f"{hijri_month_name(12, 'en')} 1438 AH",
                                                       f"{hijri_month_name(9, 'en')} 1438 AH"]


def test_later_listing_pages_carry_their_number_in_the_title(output):
    title = lambda html: re.search(r"<title>(.*?)</title>", html).group(1)
    assert title(read(output, "ar")) == "ورّاق: المرصد"
    assert title(read(output, "ar/page/2")) == "أحدث المقالات · الصفحة 2 · ورّاق: المرصد"
    assert title(read(output, "ar/tags/syria")) == "سوريا · ورّاق: المرصد"
    assert title(read(output, "ar/tags/syria/page/3")) == "سوريا · الصفحة 3 · ورّاق: المرصد"
    assert title(read(output, "en/page/2")) == "Latest articles · Page 2 · Warraq Observatory"
    assert '<meta property="og:title" content="سوريا · الصفحة 3">' in read(output, "ar/tags/syria/page/3")
    home_titles = [title(read(output, "ar" if n == 1 else f"ar/page/{n}")) for n in range(1, len(AR_DATES) + 1)]
    assert len(set(home_titles)) == len(AR_DATES)


def pager(html: str) -> list[str]:
    nav = re.search(r'<nav class="pagination" aria-label="([^"]+)">(.*?)</nav>', html, re.S)
    assert nav.group(1) in ("التنقل بين الصفحات", "Pagination")
    found = re.findall(r'<li class="pagination-gap" aria-hidden="true">(…)</li>'
                       r'|aria-current="page"><bdi>(\d+)</bdi>'
                       r'|aria-label="[^"]+"><bdi>(\d+)</bdi>', nav.group(2))
    assert len(found) == nav.group(2).count("<li") - nav.group(2).count("pagination-step")
    return ["…" if gap else f"[{current}]" if current else other for gap, current, other in found]


def test_the_pager_shows_gaps_and_marks_the_current_page(output):
    last = len(AR_DATES)
    assert pager(read(output, "ar")) == ["[1]", "2", "3", "…", str(last)]
    assert pager(read(output, "ar/page/10")) == ["1", "…", "8", "9", "[10]", "11", "12", "…", str(last)]
    html = read(output, "ar/page/10")
    assert '<a class="pagination-number" href="/ar/page/9/" aria-label="الصفحة 9"><bdi>9</bdi></a>' in html
    assert html.count('aria-current="page"><bdi>') == 1


def test_counts_are_written_in_the_arabic_plural_forms(output):
    index = read(output, "ar/archive")
    months = re.findall(r'<bdi class="archive-month-name">([^<]+)</bdi> <span class="archive-month-count">'
                        r'<bdi class="count">([^<]+)</bdi>', index)
    assert months == [("أكتوبر 2017", "مقال واحد"), ("سبتمبر 2017", "11 مقالًا"), ("أغسطس 2017", "مقالان"),
                      ("يونيو 2017", "مقال واحد"), ("يناير 2016", "3 مقالات")]
    years = re.findall(r'<span class="archive-year-count"><bdi class="count">([^<]+)</bdi>', index)
    assert years == ["15 مقالًا", "3 مقالات"]
    english = read(output, "en/archive")
    assert '<span class="archive-month-count"><bdi class="count">1 article</bdi>' in english


def test_the_catalogs_carry_all_six_arabic_plural_forms():
    catalogs, problems = load_catalogs([REPO / "themes/default/locales"], ["ar", "en"], (), REPO)
    assert problems == []
    arabic = catalogs.translations("ar")
    said = {n: arabic.ngettext("%(num)s article", "%(num)s articles", n) % {"num": n} for n in (0, 1, 2, 3, 10, 11, 99, 100, 101, 102, 103, 111)}
    assert said == {0: "لا مقالات", 1: "مقال واحد", 2: "مقالان", 3: "3 مقالات", 10: "10 مقالات", 11: "11 مقالًا",
                    99: "99 مقالًا", 100: "100 مقال", 101: "101 مقال", 102: "102 مقال", 103: "103 مقالات",
                    111: "111 مقالًا"}
    english = catalogs.translations("en")
    assert [english.ngettext("%(num)s article", "%(num)s articles", n) % {"num": n} for n in (1, 2)] == [
        "1 article", "2 articles"]


def test_the_tag_index_is_in_the_languages_alphabetical_order(output):
    names = lambda html: re.findall(r'class="tag-name"[^>]*>([^<]+)<', html)
    assert names(read(output, "ar/tags")) == ["الإرهاب", "إيران", "تركيا", "داعش", "سوريا", "العراق", "الناتو",
                                             "الولايات المتحدة", "NATO"]
    assert names(read(output, "en/tags")) == ["Iran", "Iraq", "ISIS", "Syria", "Terrorism", "Turkey"]


def test_the_pages_with_gaps_months_and_counts_are_valid_html_and_pass_axe(browser, output):
    from axe_playwright_python.sync_playwright import Axe

    from tests.browser import serve
    from tests.test_accessibility import FAILING_IMPACTS, describe
    from tests.test_validity import run_checker

    pages = ["ar/page/10", "ar/hijri/1438", "ar/archive", "ar/tags", "en/page/2"]
    errors = [m for m in run_checker([output / p / "index.html" for p in pages], output) if m.get("type") == "error"]
    assert errors == []
    failing = []
    with serve(output) as base:
        for path in pages:
            page = browser.new_page()
            try:
                page.goto(f"{base}{path}/")
                failing += [describe(v, path) for v in Axe().run(page).response["violations"]
                            if v["impact"] in FAILING_IMPACTS]
            finally:
                page.close()
    assert failing == []
