"""Reading articles: front matter validation, drafts, dates as text, the shared front-matter reader."""

import datetime

import pytest

from generator.config import load_config
from generator.content import FrontMatterError, load_articles, parse_article, parse_front_matter, slug_problem


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


# ---------------------------------------------------------------------------
# The front-matter schema: what passes (the refusals are in tests/data/broken/front_matter_types/)
# ---------------------------------------------------------------------------

def read(front: str, body: str = "نص.") -> tuple[object, list[str]]:
    """parse_article on a file with this front matter; the article (or None) and the problems as text."""
    problems: list = []
    article = parse_article(f"---\n{front}\n---\n{body}\n", "content/ar/x.md", "ar", problems)
    return article, [str(p) for p in problems]


@pytest.mark.parametrize("written, draft", [("true", True), ("false", False), ("True", True), ("FALSE", False)])
def test_draft_takes_true_or_false(written, draft):
    article, problems = read(f"title: t\ndate: 2017-09-28\ndraft: {written}")
    assert problems == [] and article.draft is draft


@pytest.mark.parametrize("written, message", [
    ("yes", "draft must be true or false; yes is YAML 1.1 for true, write draft: true"),
    ("off", "draft must be true or false; off is YAML 1.1 for false, write draft: false"),
    ("1", "draft must be true or false, not 1"),
    ("'yes'", 'draft must be true or false without quotes, not the text "yes"'),
    ("[true]", "draft must be true or false, not a list or mapping"),
    ("", "draft must be true or false, not an empty value"),
])
def test_a_draft_spelled_any_other_way_is_an_error_never_published(written, message):
    article, problems = read(f"title: t\ndate: 2017-09-28\ndraft: {written}")
    assert article is None and problems == [f"content/ar/x.md:4: {message}"]


def test_quoted_values_are_text_and_dates_may_carry_their_tag():
    article, problems = read('title: "yes"\ndate: !!timestamp 2017-09-28\nauthor: "1984"\ntags: ["no", "3", سوريا]\n'
                             "views: 1000000000000\nslug: syria-2017\nsummary: ''")
    assert problems == []
    assert (article.title, article.author, article.tags) == ("yes", "1984", ("no", "3", "سوريا"))
    assert article.date == datetime.date(2017, 9, 28) and article.views == 10**12 and article.summary == ""


def test_empty_optional_values_are_absent_and_an_empty_title_is_missing():
    article, problems = read("title: t\ndate: 2017-09-28\nauthor:\ntags:\nviews:\nreport:\nextra:")
    assert problems == [] and article.author is None and article.tags == () and article.views is None
    assert read("title:\ndate: 2017-09-28")[1] == ['content/ar/x.md:2: missing "title" in front matter']
    assert read("title: '  '\ndate: 2017-09-28")[1] == ['content/ar/x.md:2: missing "title" in front matter']


def test_a_null_report_as_the_importer_writes_it_is_no_report():
    for written in ("report: null", "report: ~", "report: {title: null, prepared_by: ~}"):
        article, problems = read(f"title: t\ndate: 2017-09-28\n{written}")
        assert problems == [] and (article.report_title, article.report_by) == (None, None), written


def test_views_are_digits_from_zero_to_a_trillion():
    assert read("title: t\ndate: 2017-09-28\nviews: 0")[0].views == 0
    for written, message in (("-1", 'views must be a whole number, not "-1"'),
                             ("0x10", 'views must be a whole number, not "0x10"'),
                             ("1_000", 'views must be a whole number, not "1_000"'),
                             ("4.5", 'views must be a whole number, not "4.5"'),
                             ("true", 'views must be a whole number, not "true"'),
                             ("null", "views must be a whole number; null reads as nothing (null) in YAML: remove "
                                      "the line if there is no count"),
                             ("1000000000001", "views must be at most 1000000000000, not a number 13 digits long")):
        assert read(f"title: t\ndate: 2017-09-28\nviews: {written}")[1] == [f"content/ar/x.md:4: {message}"], written


def test_extra_keeps_plain_values_nested_a_few_levels():
    article, problems = read("title: t\ndate: 2017-09-28\nextra: {a: {b: [1, yes, null, 2017-01-02, x]}}")
    assert problems == []
    assert article.extra == {"a": {"b": [1, True, None, "2017-01-02", "x"]}}


def test_a_yaml_error_names_the_line_where_the_construct_opened():
    assert read('title: "unclosed\ndate: 2017-09-28')[1] == [
        "content/ar/x.md:2: invalid YAML front matter: while scanning a quoted scalar found unexpected end of stream"]


def test_front_matter_may_follow_blank_lines_and_a_file_without_it_misses_title_and_date():
    problems: list = []
    article = parse_article("\n\n---\ntitle: t\ndate: 2017-09-28\n---\nنص\n", "content/ar/x.md", "ar", problems)
    assert problems == [] and article.title == "t" and article.body == "نص"
    article = parse_article("just text\n", "content/ar/x.md", "ar", problems)
    assert [str(p) for p in problems] == ['content/ar/x.md:1: missing "title" in front matter',
                                          'content/ar/x.md:1: missing "date" in front matter']


def test_parse_front_matter_refuses_what_cannot_be_read():
    with pytest.raises(FrontMatterError) as error:
        parse_front_matter("---\na: " + "[" * 3000 + "]" * 3000 + "\n---\n")
    assert (error.value.line, error.value.message) == (2, "front matter nested too deeply (more than 20 levels)")


@pytest.mark.parametrize("slug", ["syria", "syria-2017", "a1-b2", "سوريا", "سوريا-اليوم", "syria-سوريا", "۲۰۱۷-سال",
                                  "a" * 200, "ت" * 100])
def test_the_slug_rule_takes_ascii_or_letters_of_any_script(slug):
    assert slug_problem(slug) is None


@pytest.mark.parametrize("slug, message", [
    ("Syria", 'slug "Syria" must be lower-case ASCII letters, digits and single hyphens'),
    ("abc\n", 'slug "abc\\n" must be lower-case ASCII letters, digits and single hyphens'),
    ("a--b", 'slug "a--b" must be lower-case ASCII letters, digits and single hyphens'),
    ("a.b", 'slug "a.b" must be lower-case ASCII letters, digits and single hyphens'),
    ("", 'slug "" must be lower-case ASCII letters, digits and single hyphens'),
    ("سوريا/اليوم", 'slug "سوريا/اليوم" must be letters and digits joined by single hyphens (lower case; no spaces, dots or slashes)'),
    ("سوريا اليوم", 'slug "سوريا اليوم" must be letters and digits joined by single hyphens (lower case; no spaces, dots or slashes)'),
    ("سوريا-", 'slug "سوريا-" must be letters and digits joined by single hyphens (lower case; no spaces, dots or slashes)'),
    ("Éte", 'slug "Éte" must be letters and digits joined by single hyphens (lower case; no spaces, dots or slashes)'),
    ("e\u0301te", 'slug "e\u0301te" is not in Unicode NFC form; retype it or write "\u00e9te"'),
    # A slug names a folder of output/: past the file system's 255 bytes the build died on "File name too long".
    ("a" * 201, f'slug "{"a" * 40}…" is 201 bytes long; a slug names a folder and may be at most 200 bytes '
                "(about 100 Arabic letters)"),
    ("ت" * 101, f'slug "{"ت" * 40}…" is 202 bytes long; a slug names a folder and may be at most 200 bytes '
                "(about 100 Arabic letters)"),
])
def test_the_slug_rule_refuses_the_rest(slug, message):
    assert slug_problem(slug) == message


def test_a_date_with_a_number_too_large_for_a_date_is_a_bad_date_not_a_crash():
    assert read("title: t\ndate: 2017-" + "9" * 400 + "-28")[1] == [
        'content/ar/x.md:3: bad date: cannot read date "2017-' + "9" * 55 + '…": a number in it is too large for a date']


@pytest.mark.parametrize("written, suggestion", [
    ('"a, b"', "[a, b]"),
    ("isis,syria", "[isis, syria]"),
    ("داعش، سوريا", "[داعش, سوريا]"),
])
def test_tags_written_as_one_text_with_commas_is_an_error_not_one_tag_named_with_commas(written, suggestion):
    article, problems = read(f"title: t\ndate: 2017-09-28\ntags: {written}")
    shown = written.strip('"')
    assert article is None and problems == [
        f'content/ar/x.md:4: tags must be a list; "{shown}" is one text with commas, write tags: {suggestion}'
    ]


def test_one_tag_alone_and_commas_inside_a_list_item_are_still_fine():
    assert read("title: t\ndate: 2017-09-28\ntags: سوريا")[0].tags == ("سوريا",)
    assert read('title: t\ndate: 2017-09-28\ntags: ["Washington, D.C."]')[0].tags == ("Washington, D.C.",)


def test_tabs_and_line_breaks_in_text_stay_allowed():
    article, problems = read('title: "a\\tb"\ndate: 2017-09-28\nsummary: "one\\ntwo"')
    assert problems == [] and article.summary == "one\ntwo"


def test_control_characters_written_as_yaml_escapes_are_dropped_from_every_text_field():
    # YAML refuses them raw but "\x07" writes them: they reached <title>, og: tags and JSON-LD as they were
    # (HTML forbids them) while the feeds dropped them, so page and feed disagreed.
    article, problems = read('title: "Bell\\x07 ring"\ndate: 2017-09-28\nauthor: "A\\x1bB"\n'
                             'summary: "s\\x85s\\tt"\ntags: ["ok", "t\\x00"]')
    assert problems == []
    assert (article.title, article.author, article.summary, article.tags) == ("Bell ring", "AB", "ss\tt", ("ok", "t"))



def test_control_characters_in_the_body_are_dropped_tabs_and_line_breaks_kept():
    # Raw in the Markdown they reached the HTML (which forbids them); the full-content feed dropped them.
    article, problems = read("title: t\ndate: 2017-09-28", body="a\x01b\x7fc\td\n\ne\x9bf")
    assert problems == [] and article.body == "abc\td\n\nef"
