"""Most-read lists (generator/popularity.py): ordering, ties, articles without views, and the pages."""

from __future__ import annotations

import datetime
import random

from generator.content import Article
from generator.popularity import has_views, most_read
from generator.site import Entry

DAY = datetime.date(2020, 1, 1)


def entry(slug: str, views: int | None, days: int = 0) -> Entry:
    date = DAY + datetime.timedelta(days=days)
    article = Article(path=f"content/ar/{slug}.md", lang="ar", slug=slug, title=slug, date=date, body="", views=views)
    return Entry(article=article, url=f"ar/{date:%Y/%m}/{slug}/", tags=(), hijri=None)


def slugs(found: tuple[Entry, ...]) -> list[str]:
    return [e.article.slug for e in found]


def test_more_views_first_then_newer_then_url():
    entries = [entry("few", 10), entry("many", 900), entry("tie-old", 500, 1), entry("tie-new-b", 500, 5),
               entry("tie-new-a", 500, 5)]
    assert slugs(most_read(entries, 10)) == ["many", "tie-new-a", "tie-new-b", "tie-old", "few"]
    assert slugs(most_read(entries, 2)) == ["many", "tie-new-a"]


def test_articles_without_views_are_left_out_and_none_gives_an_empty_list():
    entries = [entry("none", None), entry("zero", 0), entry("one", 1)]
    assert slugs(most_read(entries, 5)) == ["one"]
    assert not has_views(entries[0]) and not has_views(entries[1])
    assert most_read([entry("none", None)], 5) == ()
    assert most_read(entries, 0) == ()


def test_the_order_the_articles_come_in_does_not_matter():
    rng = random.Random(3)
    entries = [entry(f"e{i:03d}", rng.choice([None, 0, *range(1, 30)]), rng.randrange(20)) for i in range(200)]
    expected = most_read(entries, 20)
    assert len(expected) == 20
    for _ in range(5):
        rng.shuffle(entries)
        assert most_read(entries, 20) == expected
    everything = most_read(entries, 1000)
    keys = [(-e.article.views, -e.article.date.toordinal(), e.url) for e in everything]
    assert keys == sorted(keys)


ARTICLE = """---
title: {title}
slug: {slug}
date: {date}
{views}tags: [{tags}]
---
نص المقال.
"""


def write(site, lang, slug, title, date, views=None, tags="سوريا"):
    site.write(f"content/{lang}/{slug}.md", ARTICLE.format(title=title, slug=slug, date=date, tags=tags,
                                                         views=f"views: {views}\n" if views is not None else ""))


def main_of(html: str) -> str:
    return html[html.index("<main"):html.index("</main>")]


def test_the_most_read_page_lists_articles_by_views_with_plural_counts(make_site):
    site = make_site()
    write(site, "ar", "one", "مقال بمشاهدة", "2017-09-01", 1)
    write(site, "ar", "two", "مقال بمشاهدتين", "2017-09-02", 2)
    write(site, "ar", "many", "Raqqa after the battle", "2017-09-03", 1500)
    write(site, "ar", "unseen", "مقال بلا مشاهدات", "2017-09-04")
    write(site, "en", "unseen", "No views here", "2017-09-04")
    result = site.build()
    assert result.code == 0, result.err
    page = main_of(site.read("ar/most-read/index.html"))
    assert '<h1 id="most-read-title">الأكثر قراءة</h1>' in page
    assert page.index("/ar/2017/09/many/") < page.index("/ar/2017/09/two/") < page.index("/ar/2017/09/one/")
    assert "/ar/2017/09/unseen/" not in page
    assert '<bdi class="count">1500 مشاهدة</bdi>' in page
    assert '<bdi class="count">مشاهدتان</bdi>' in page
    assert '<bdi class="count">مشاهدة واحدة</bdi>' in page
    # A Latin title inside the Arabic list is isolated, so its direction cannot scramble the count after it.
    assert '<bdi dir="ltr">Raqqa after the battle</bdi>' in page
    assert '<a href="/ar/most-read/">الأكثر قراءة</a>' in site.read("ar/2017/09/one/index.html")
    # English has no views at all: no page and no link.
    assert not (site.root / "output/en/most-read").exists()
    assert "most-read" not in site.read("en/index.html")


def test_english_counts_use_english_plural_forms(make_site):
    site = make_site()
    write(site, "ar", "a", "أ", "2017-09-01", 5, tags="")
    write(site, "en", "one", "One view", "2017-09-01", 1, tags="")
    write(site, "en", "two", "Two views", "2017-09-02", 2, tags="")
    assert site.build().code == 0
    page = main_of(site.read("en/most-read/index.html"))
    assert '<bdi class="count">1 view</bdi>' in page
    assert '<bdi class="count">2 views</bdi>' in page


def test_a_tag_s_first_page_and_the_home_page_show_its_top_five(make_site):
    site = make_site()
    toml = (site.root / "site.toml").read_text(encoding="utf-8")
    (site.root / "site.toml").write_text(toml.replace("page_size = 10", "page_size = 3"), encoding="utf-8")
    for number in range(1, 8):
        write(site, "ar", f"s{number}", f"سوريا {number}", f"2017-09-{number:02d}", number * 10)
    write(site, "ar", "iraq", "العراق", "2017-08-01", 10_000, tags="العراق")
    assert site.build().code == 0
    first = main_of(site.read("ar/tags/syria/index.html"))
    aside = first[first.index('<aside class="most-read"'):]
    assert "الأكثر قراءة في هذا الموضوع" in aside
    shown = [f"/ar/2017/09/s{n}/" for n in (7, 6, 5, 4, 3)]
    assert [aside.index(url) for url in shown] == sorted(aside.index(url) for url in shown)
    assert "/s2/" not in aside and "/ar/2017/08/iraq/" not in aside
    assert 'class="most-read"' not in site.read("ar/tags/syria/page/2/index.html")
    home = main_of(site.read("ar/index.html"))
    aside = home[home.index('<aside class="most-read"'):]
    assert aside.index("/ar/2017/08/iraq/") < aside.index("/ar/2017/09/s7/")
    assert aside.count('class="ranked-item"') == 5
    assert 'class="most-read"' not in site.read("ar/page/2/index.html")


def test_a_language_without_views_gets_no_lists(make_site):
    site = make_site()
    write(site, "ar", "a", "أ", "2017-09-01")
    write(site, "ar", "b", "ب", "2017-09-02")
    assert site.build().code == 0
    assert not (site.root / "output/ar/most-read").exists()
    for page in ("ar/index.html", "ar/tags/syria/index.html", "ar/2017/09/a/index.html"):
        assert "most-read" not in site.read(page)


LONG_TITLE = "Raqqa " + "Reconstruction" * 8 + " 2017"


def test_lists_fit_a_phone_keep_numbers_in_order_and_pass_axe(make_site, browser):
    """In Chromium at 320 px: the most-read page, a tag page, the home page and an article with related articles
    are no wider than the screen; in Arabic the view count is drawn whole, left of the date (right to left);
    axe finds no serious problem in the new lists."""
    from axe_playwright_python.sync_playwright import Axe

    from tests.browser import measure, serve, visual_order

    site = make_site()
    write(site, "ar", "long", LONG_TITLE, "2017-09-01", 1500)
    write(site, "ar", "short", "الرقة بعد المعركة", "2017-09-02", 2)
    write(site, "ar", "third", "دير الزور", "2017-09-03", 12345)
    assert site.build().code == 0
    output = site.root / "output"
    pages = ["ar/most-read/", "ar/tags/syria/", "ar/", "ar/2017/09/short/"]
    assert 'class="related"' in site.read("ar/2017/09/short/index.html")
    too_wide, failing = [], []
    with serve(output) as base:
        context = browser.new_context(viewport={"width": 320, "height": 800})
        page = context.new_page()
        for path in pages:
            page.goto(base + path, wait_until="load")
            measured = page.evaluate("({scroll: document.documentElement.scrollWidth, inner: innerWidth})")
            if measured["scroll"] > measured["inner"]:
                too_wide.append((path, measured["scroll"]))
            result = Axe().run(page, context={"include": [[".most-read, .ranked-list, .related"]]})
            failing += [(path, v["id"]) for v in result.response["violations"] if v["impact"] in ("serious", "critical")]
        page.goto(base + "ar/most-read/", wait_until="load")
        meta = ".ranked-item:nth-child(2) .ranked-meta"
        assert "1500" in page.inner_text(meta)
        drawn = measure(page, meta, ["1500", "سبتمبر"])
        # The count follows the date: on the same line to its left (right to left), or wrapped below it.
        assert (drawn["1500"]["line"], -drawn["1500"]["x"]) > (drawn["سبتمبر"]["line"], -drawn["سبتمبر"]["x"]), drawn
        page.set_viewport_size({"width": 1000, "height": 800})
        assert visual_order(page, meta, ["1500", "سبتمبر"]) == ["1500", "سبتمبر"]
        context.close()
    assert too_wide == []
    assert failing == []
