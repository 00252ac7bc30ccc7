"""Reading articles: front matter validation, drafts, dates as text, the shared front-matter reader."""

import datetime

from generator.config import load_config
from generator.content import load_articles, parse_front_matter


def test_valid_article_is_read_with_every_field(make_site):
    site = make_site()
    site.article("ar", "one", title="عنوان <مهم>", date="2017-09-28", tags="سوريا, Iraq",
                 extra="views: 12\nreport: {title: تقرير, prepared_by: المرصد}\nsources: [https://example.org]\n"
                       "hijri_date: 1439-01-09\nextra: {colour: red}")
    articles, problems = load_articles(load_config(site.root))
    assert problems == []
    [article] = articles
    assert article.title == "عنوان <مهم>"
    assert article.date == datetime.date(2017, 9, 28)
    assert article.tags == ("سوريا", "Iraq")
    assert article.views == 12 and article.report_title == "تقرير" and article.report_by == "المرصد"
    assert article.sources == ("https://example.org",)
    assert article.hijri_date == (1439, 1, 9)
    assert article.extra == {"colour": "red"}
    assert article.translation_key == "one"  # defaults to the slug


def test_drafts_are_left_out_unless_asked_for(make_site):
    site = make_site()
    site.article("ar", "draft-one", extra="draft: true")
    site.article("ar", "published")
    config = load_config(site.root)
    assert [a.slug for a in load_articles(config)[0]] == ["published"]
    assert [a.slug for a in load_articles(config, include_drafts=True)[0]] == ["draft-one", "published"]


def test_dates_written_as_arabic_text_are_read(make_site):
    site = make_site()
    site.article("ar", "arabic-date", date="٢٨ أيلول ٢٠١٧")
    [article], problems = load_articles(load_config(site.root))
    assert problems == [] and article.date == datetime.date(2017, 9, 28)


def test_slug_defaults_to_the_file_name(make_site):
    site = make_site()
    site.write("content/ar/2017/from-file-name.md", "---\ntitle: ت\ndate: 2017-01-01\n---\nنص\n")
    [article], _ = load_articles(load_config(site.root))
    assert article.slug == "from-file-name"


def test_front_matter_dates_stay_text_so_bad_ones_are_ours_to_report():
    meta, body = parse_front_matter("---\ndate: 2017-13-01\ntitle: x\n---\nbody\n")
    assert meta == {"date": "2017-13-01", "title": "x"}
    assert body == "body"


def test_crlf_and_bom_files_are_read(make_site):
    site = make_site()
    path = site.root / "content" / "ar" / "crlf.md"
    path.write_bytes("\ufeff---\r\ntitle: ت\r\ndate: 2017-01-01\r\n---\r\nنص\r\n".encode("utf-8"))
    [article], problems = load_articles(load_config(site.root))
    assert problems == [] and article.title == "ت" and article.body == "نص"
