"""The whole build, end to end on small sites: what the pages say, escaping, determinism, atomic output."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from tests.conftest import run_cli

SAMPLE_TITLE = 'مداولات دولية حول مرحلة ما بعد سقوط "داعش"'


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under folder with the hash of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def visible_text(html: str) -> str:
    """Rough text of a page: tags dropped, entities for quotes undone."""
    text = re.sub(r"<[^>]+>", " ", html).replace("&#34;", '"').replace("&quot;", '"').replace("&#39;", "'")
    return re.sub(r"\s+", " ", text)


def sample_article_path(root: Path) -> Path:
    [page] = [p for p in (root / "output" / "ar" / "2017" / "09").glob("*/index.html")]
    return page


def test_sample_seed_becomes_content_and_a_complete_arabic_site(sample_site):
    [content] = list((sample_site / "content" / "ar" / "2017").glob("*.md"))
    assert content.read_text(encoding="utf-8").startswith("---\ntitle: مداولات")
    page = sample_article_path(sample_site)
    html = page.read_text(encoding="utf-8")
    text = visible_text(html)
    assert '<html lang="ar" dir="rtl">' in html
    for expected in (SAMPLE_TITLE, "المرصد الاستراتيجي", "28 سبتمبر 2017", "8 محرم 1439 هـ", "4620",
                     "التقرير الاستراتيجي العدد 47", "لصالح القوات الحكومية"):
        assert expected in text, expected
    assert 'datetime="2017-09-28"' in html and html.count("<time ") == html.count('datetime="')
    assert "sources-title" not in html  # المصادر: was empty, so no heading


def test_sample_tags_link_to_tag_pages_that_list_the_article(sample_site):
    html = sample_article_path(sample_site).read_text(encoding="utf-8")
    article_url = "/" + sample_article_path(sample_site).parent.relative_to(sample_site / "output").as_posix() + "/"
    for slug in ("isis", "syria", "iraq", "russia", "united-states"):
        assert f'href="/ar/tags/{slug}/"' in html, slug
        tag_page = (sample_site / "output" / "ar" / "tags" / slug / "index.html").read_text(encoding="utf-8")
        assert f'href="{article_url}"' in tag_page, slug


def test_sample_archives_list_the_article(sample_site):
    article_url = "/" + sample_article_path(sample_site).parent.relative_to(sample_site / "output").as_posix() + "/"
    for archive in ("ar/2017/index.html", "ar/2017/09/index.html", "ar/hijri/1439/index.html"):
        html = (sample_site / "output" / archive).read_text(encoding="utf-8")
        assert f'href="{article_url}"' in html, archive
    index = (sample_site / "output" / "ar" / "archive" / "index.html").read_text(encoding="utf-8")
    assert 'href="/ar/2017/09/"' in index and 'href="/ar/hijri/1439/"' in index
    assert "سبتمبر 2017" in visible_text(index)


def test_tag_index_counts_use_arabic_plural_forms(make_site):
    site = make_site()
    for number in range(3):
        site.article("ar", f"s{number}", tags="سوريا")
    site.article("ar", "iraq-1", tags="العراق")
    site.article("ar", "iraq-2", tags="العراق")
    assert site.build().code == 0
    text = visible_text(site.read("ar/tags/index.html"))
    assert "3 مقالات" in text and "مقالان" in text
    assert "مقال واحد" not in text


def test_titles_with_markup_characters_are_shown_as_text(make_site):
    site = make_site()
    site.article("ar", "escaped", title="'<script>alert(1)</script> & \"تحليل\"'", body="<b>نص</b> & *نجمة*")
    assert site.build().code == 0
    html = site.read("ar/2017/09/escaped/index.html")
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp;" in html
    assert "&lt;script&gt;" in site.read("ar/index.html")


def test_arabic_indic_digits_when_configured(make_site):
    site = make_site()
    toml = site.root / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('digits = "latn"', 'digits = "arab"', 1), encoding="utf-8")
    site.article("ar", "digits", extra="views: 4620")
    assert site.build().code == 0
    text = visible_text(site.read("ar/2017/09/digits/index.html"))
    assert "٢٨ سبتمبر ٢٠١٧" in text and "٨ محرم ١٤٣٩ هـ" in text and "٤٦٢٠" in text
    assert "2017" not in text.split("نص المقال")[0].split("الخميس")[-1]


def test_levantine_month_names_with_ar_sy(make_site):
    site = make_site()
    toml = site.root / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('locale = "ar"', 'locale = "ar_SY"', 1), encoding="utf-8")
    site.article("ar", "levant")
    assert site.build().code == 0
    assert "28 أيلول 2017" in visible_text(site.read("ar/2017/09/levant/index.html"))


def test_hijri_adjustment_and_per_article_override(make_site):
    site = make_site()
    toml = site.root / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace("hijri_adjustment = 0", "hijri_adjustment = 1"), encoding="utf-8")
    site.article("ar", "adjusted")
    site.article("ar", "overridden", extra="hijri_date: 1439-01-07")
    assert site.build().code == 0
    assert "9 محرم 1439 هـ" in visible_text(site.read("ar/2017/09/adjusted/index.html"))
    assert "7 محرم 1439 هـ" in visible_text(site.read("ar/2017/09/overridden/index.html"))


def test_outside_the_umm_al_qura_table_no_hijri_date_and_a_warning(make_site):
    site = make_site()
    site.article("ar", "old", date="1900-05-01")
    result = site.build()
    assert result.code == 0
    assert "content/ar/old.md:1: warning: no Hijri date shown for 1900-05-01: outside the Umm al-Qura table" in result.err
    assert "هـ" not in visible_text(site.read("ar/1900/05/old/index.html")).split("نص المقال")[0]
    assert site.build("--strict").code == 1


def test_two_builds_are_byte_identical(make_site, tmp_path):
    site = make_site(with_sample_seed=True)
    site.article("ar", "second", tags="روسيا", date="2018-01-02")
    assert site.build().code == 0
    first = tree_digest(site.root / "output")
    assert site.build("--output", str(tmp_path / "again")).code == 0
    assert tree_digest(tmp_path / "again") == first


def test_a_template_error_names_the_template_line_and_keeps_output(make_site):
    site = make_site()
    site.article("ar", "one")
    assert site.build().code == 0
    before = tree_digest(site.root / "output")
    template = site.root / "themes" / "default" / "templates" / "tag_index.html"
    lines = template.read_text(encoding="utf-8").splitlines()
    lines.insert(3, "{{ no_such_variable }}")
    template.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = site.build()
    assert result.code == 1
    assert "themes/default/templates/tag_index.html:4: 'no_such_variable' is undefined" in result.err
    assert "Traceback" not in result.err
    assert tree_digest(site.root / "output") == before


def test_a_template_syntax_error_names_the_template_line(make_site):
    site = make_site()
    site.article("ar", "one")
    (site.root / "themes" / "default" / "templates" / "404.html").write_text("{% extends 'base.html' %}\n{% block content %}\n{% if %}\n", encoding="utf-8")
    result = site.build()
    assert result.code == 1
    assert result.err.startswith("themes/default/templates/404.html:3: ")


def test_drafts_stay_out_and_come_in_with_drafts_flag(make_site):
    site = make_site()
    site.article("ar", "hidden", extra="draft: true")
    assert site.build().code == 0
    assert not (site.root / "output" / "ar" / "2017" / "09" / "hidden").exists()
    assert site.build("--drafts").code == 0
    assert (site.root / "output" / "ar" / "2017" / "09" / "hidden" / "index.html").exists()


def test_root_pages_and_sub_path_links(make_site):
    site = make_site()
    site.article("ar", "one")
    assert site.build("--base-url", "https://user.github.io/repo/").code == 0
    root = site.read("index.html")
    assert 'href="/repo/ar/"' in root and "refresh" in root
    not_found = site.read("404.html")
    assert 'href="/repo/static/css/site.css"' in not_found
    article = site.read("ar/2017/09/one/index.html")
    assert 'href="/repo/ar/tags/"' in article and 'href="/' + 'ar/' not in article.replace('href="/repo/', "")


def test_check_validates_without_writing(make_site):
    site = make_site()
    site.article("ar", "one")
    result = run_cli("check", "--root", str(site.root))
    assert result.code == 0 and "check:" in result.out
    assert not (site.root / "output").exists()


def test_future_dated_articles_wait_unless_future_is_given(make_site):
    site = make_site()
    site.article("ar", "tomorrow", date="2999-01-01")
    site.article("ar", "today")
    assert site.build().code == 0
    assert not (site.root / "output" / "ar" / "2999").exists()
    assert site.build("--future").code == 0
    assert (site.root / "output" / "ar" / "2999" / "01" / "tomorrow" / "index.html").exists()


def test_the_root_404_is_bilingual_with_absolute_links_under_a_sub_path(make_site):
    site = make_site()
    site.article("ar", "one")
    assert site.build("--base-url", "https://user.github.io/repo/").code == 0
    html = site.read("404.html")
    assert '<html lang="ar" dir="rtl">' in html
    assert "الصفحة غير موجودة" in html or "غير موجودة" in html
    assert '<section class="not-found-other" lang="en" dir="ltr">' in html and "Page not found" in html
    assert 'href="/repo/en/"' in html and 'href="/repo/static/css/site.css"' in html
    assert 'rel="canonical"' not in html and 'hreflang="x-default"' not in html


def test_head_metadata_is_escaped_everywhere(make_site):
    site = make_site()
    site.article("ar", "quoted", title="'قال \"لا\" </script> & <b>'", tags="سوريا")
    assert site.build("--base-url", "https://example.org/").code == 0
    html = site.read("ar/2017/09/quoted/index.html")
    assert '<link rel="canonical" href="https://example.org/ar/2017/09/quoted/">' in html
    assert '<link rel="alternate" hreflang="ar" href="https://example.org/ar/2017/09/quoted/">' in html
    assert '<meta property="og:title" content="قال &#34;لا&#34; &lt;/script&gt; &amp; &lt;b&gt;">' in html
    assert '<meta property="article:published_time" content="2017-09-28">' in html
    assert '<meta property="article:tag" content="سوريا">' in html
    [ld] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(ld)
    assert data["@type"] == "NewsArticle" and data["headline"] == 'قال "لا" </script> & <b>'
    assert data["inLanguage"] == "ar" and data["datePublished"] == "2017-09-28"
    assert '"@type": "WebSite"' in site.read("ar/index.html")
    assert 'type="application/atom+xml"' in html and 'href="/ar/feed.xml"' in html
