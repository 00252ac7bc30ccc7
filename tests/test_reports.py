"""Reports and series: grouped by folded title, one identity across languages through translations, in
report order (report.part, then date), linked from their articles and from the research home."""

from __future__ import annotations

import datetime
import re

from generator.content import Article
from generator.reports import group_reports
from generator.site import Entry
from tests.conftest import SiteDir, build_twice

BASE = "https://warraq-observatory.github.io/"
ISSUE_47 = "التقرير الاستراتيجي العدد 47"
ISSUE_47_SLUG = "al-tqryr-al-astratyjy-al-add-47"


def write(site: SiteDir, lang: str, slug: str, report: str | None, date: str = "2017-09-28", part: str = "",
          key: str = "", by: str = "المرصد الاستراتيجي") -> None:
    """An article naming report (its title written as given), with report.part when part is given."""
    lines = [f"title: {slug}", f"slug: {slug}", f"date: {date}"]
    if key:
        lines.append(f"translation_key: {key}")
    if report is not None:
        lines += ["report:", f'  title: "{report}"', f'  prepared_by: "{by}"']
        if part:
            lines.append(f"  part: {part}")
    site.write(f"content/{lang}/{slug}.md", "---\n" + "\n".join(lines) + "\n---\nنص.\n")


def cards(html: str, lang: str = "ar") -> list[str]:
    return re.findall(rf'<h2 class="card-title"><a href="/{lang}/\d{{4}}/\d{{2}}/([a-z0-9-]+)/">', html)


def hreflangs(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="alternate" hreflang="([a-z-]+)" href="([^"]+)">', html))


def test_articles_naming_one_report_in_any_spelling_share_its_page(make_site):
    site = make_site()
    write(site, "ar", "one", ISSUE_47, date="2017-09-01")
    # Hamza on the alef, Arabic-Indic digits, a diacritic and a double space: the same report folded.
    write(site, "ar", "two", "التقرير الإستراتيجيّ  العدد ٤٧", date="2017-09-02")
    write(site, "ar", "three", "التقرير الاستراتيجي العدد 48", date="2017-09-03")
    write(site, "ar", "none", None, date="2017-09-04")
    result = site.build("--strict")
    assert result.code == 0, result.err
    page = site.read(f"ar/reports/{ISSUE_47_SLUG}/index.html")
    assert cards(page) == ["one", "two"]
    # The title as its newest article writes it, isolated.
    assert '<h1><bdi dir="rtl" class="report-title">التقرير الإستراتيجيّ  العدد ٤٧</bdi></h1>' in page
    assert cards(site.read("ar/reports/al-tqryr-al-astratyjy-al-add-48/index.html")) == ["three"]
    index = site.read("ar/reports/index.html")
    # Numbered reports, highest number first.
    assert re.findall(r'<li><a href="/ar/reports/([a-z0-9-]+)/">', index) == [
        "al-tqryr-al-astratyjy-al-add-48", ISSUE_47_SLUG]
    assert "تقريران" in index


def test_report_order_puts_parts_first_then_the_others_by_date(make_site):
    site = make_site()
    write(site, "ar", "late-no-part", ISSUE_47, date="2017-09-20")
    write(site, "ar", "early-no-part", ISSUE_47, date="2017-09-01")
    write(site, "ar", "part-two", ISSUE_47, date="2017-08-01", part="2")
    write(site, "ar", "part-one", ISSUE_47, date="2017-09-25", part="1")
    write(site, "ar", "part-ten", ISSUE_47, date="2017-07-01", part="10")
    assert site.build("--strict").code == 0
    page = site.read(f"ar/reports/{ISSUE_47_SLUG}/index.html")
    assert cards(page) == ["part-one", "part-two", "part-ten", "early-no-part", "late-no-part"]


def test_the_reports_index_puts_numbered_reports_first_then_the_newest(make_site):
    site = make_site()
    write(site, "en", "a", "Annual review", date="2018-01-01")
    write(site, "en", "b", "Strategic Report, Issue 9", date="2016-01-01")
    write(site, "en", "c", "Strategic Report No. 12", date="2015-01-01")
    write(site, "en", "d", "Gulf series", date="2019-01-01")
    assert site.build("--strict").code == 0
    index = site.read("en/reports/index.html")
    assert re.findall(r'<li><a href="/en/reports/([a-z0-9-]+)/">', index) == [
        "strategic-report-no-12", "strategic-report-issue-9", "gulf-series", "annual-review"]
    assert '<bdi dir="ltr" class="report-title">Gulf series</bdi>' in index


def test_a_bad_part_is_reported_at_its_line(make_site):
    site = make_site()
    write(site, "ar", "words", ISSUE_47, part="two")
    write(site, "ar", "zero", ISSUE_47, part="0")
    write(site, "ar", "quoted", ISSUE_47, part='"3"')
    write(site, "ar", "fraction", ISSUE_47, part="1.5")
    write(site, "ar", "listed", ISSUE_47, part="[1, 2]")
    result = site.build()
    assert result.code == 1
    rule = "report part must be a whole number from 1 to 9999"
    assert result.err.splitlines()[:-1] == [
        f'content/ar/fraction.md:8: {rule} (the article\'s place in the report), not "1.5"',
        f'content/ar/listed.md:8: {rule} (the article\'s place in the report), not a list or mapping',
        f'content/ar/quoted.md:8: {rule} without quotes (the article\'s place in the report), not "3"',
        f'content/ar/words.md:8: {rule} (the article\'s place in the report), not "two"',
        f'content/ar/zero.md:8: {rule} (the article\'s place in the report), not "0"',
    ]


def test_an_unknown_report_key_names_part(make_site):
    site = make_site()
    site.write("content/ar/x.md", '---\ntitle: x\nslug: x\ndate: 2017-09-28\nreport:\n  title: "t"\n  prt: 2\n---\nنص.\n')
    result = site.build()
    assert result.code == 1
    assert 'content/ar/x.md:7: unknown key "prt" in report (did you mean "part"?); report has title, ' \
           "prepared_by and part" in result.err


def test_the_article_links_its_report_page(make_site):
    site = make_site()
    write(site, "ar", "one", ISSUE_47)
    write(site, "ar", "two", None)
    assert site.build("--strict").code == 0
    article = site.read("ar/2017/09/one/index.html")
    assert (f'<span class="report-label">للاطلاع على التقرير كاملاً:</span> <a class="report-link" '
            f'href="/ar/reports/{ISSUE_47_SLUG}/"><bdi dir="rtl" class="report-title">{ISSUE_47}</bdi></a>') in article
    assert '<a href="/ar/reports/" class="is-section">' not in article
    assert '<a href="/ar/reports/">التقارير</a>' in article  # navigation and footer
    assert "report-link" not in site.read("ar/2017/09/two/index.html")


def test_a_translations_report_is_the_same_report_in_the_other_language(make_site):
    site = make_site()
    write(site, "ar", "one", ISSUE_47, key="k1")
    write(site, "en", "one-en", "Strategic Report, Issue 47", key="k1", by="Strategic Observatory")
    write(site, "en", "alone", "An English-only series")
    assert site.build("--strict").code == 0
    ar = site.read(f"ar/reports/{ISSUE_47_SLUG}/index.html")
    en = site.read("en/reports/strategic-report-issue-47/index.html")
    expected = {"ar": f"{BASE}ar/reports/{ISSUE_47_SLUG}/", "en": f"{BASE}en/reports/strategic-report-issue-47/",
                "x-default": f"{BASE}ar/reports/{ISSUE_47_SLUG}/"}
    assert hreflangs(ar) == expected and hreflangs(en) == expected
    # The English-only series has no Arabic page: its switcher goes to the Arabic reports index.
    alone = site.read("en/reports/an-english-only-series/index.html")
    assert '<a href="/ar/reports/" hreflang="ar" lang="ar">العربية</a> <span class="lang-note">' in alone


def test_the_research_home_links_the_latest_reports_page(make_site):
    site = make_site()
    write(site, "ar", "one", ISSUE_47, date="2017-09-01")
    write(site, "ar", "two", "التقرير الاستراتيجي العدد 48", date="2017-09-10")
    path = site.root / "site.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('theme = "default"', 'theme = "research"', 1),
                    encoding="utf-8")
    assert site.build("--strict").code == 0
    home = site.read("ar/index.html")
    assert ('<h1 id="report-issue-title" class="report-issue-title"><a href="/ar/reports/al-tqryr-al-astratyjy-al-add-48/">'
            in home)
    assert (site.root / "output/ar/reports/al-tqryr-al-astratyjy-al-add-48/index.html").exists()


def entry(lang: str, slug: str, title: str | None, day: int, key: str = "") -> Entry:
    article = Article(path=f"content/{lang}/{slug}.md", lang=lang, slug=slug, title=slug,
                      date=datetime.date(2017, 9, day), body="", report_title=title, translation_key=key or slug)
    return Entry(article=article, url=f"{lang}/{slug}/", tags=(), hijri=None)


def test_grouping_is_deterministic_whatever_order_translations_come_in():
    ar = (entry("ar", "a", "تقرير أ", 2, "k"), entry("ar", "b", "تقرير ب", 1, "j"))
    en = (entry("en", "a-en", "Report A", 2, "k"), entry("en", "b-en", "Report B", 1, "j"))
    translations = {"k": {"ar": ar[0], "en": en[0]}, "j": {"ar": ar[1], "en": en[1]}}
    one = group_reports([("ar", ar), ("en", en)], translations)
    two = group_reports([("ar", ar), ("en", en)], dict(reversed(list(translations.items()))))
    assert one == two
    keys = {code: [group.key for group in groups] for code, groups in one.by_language.items()}
    assert keys["ar"] == keys["en"] and len(set(keys["ar"])) == 2
    assert one.find("ar", "تقرير ا").slug == "tqryr-a"  # folded: hamza or not
    assert one.find("en", "report a").title == "Report A"
    assert one.find("en", None) is None


def test_report_pages_build_byte_identically_twice(make_site, tmp_path):
    site = make_site()
    write(site, "ar", "one", ISSUE_47, key="k", part="1")
    write(site, "en", "one-en", "Strategic Report, Issue 47", key="k")
    write(site, "ar", "two", "سلسلة الخليج", date="2017-10-01")
    one, two = build_twice(site, tmp_path)
    assert one == two and any("reports" in str(path) for path in one)
