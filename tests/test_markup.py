"""Python-Markdown setup: tables, footnotes, Arabic heading ids, table of contents."""

from generator.markup import make_converter, render_markdown

LONG = "## مقدمة\n\nنص.\n\n## الخلفية التاريخية\n\n### التفاصيل\n\n## مقدمة\n"


def test_arabic_headings_get_arabic_ids_not_underscores():
    html = render_markdown(make_converter(), LONG).html
    assert '<h2 id="مقدمة">' in html
    assert '<h2 id="الخلفية-التاريخية">' in html
    assert '<h2 id="مقدمة_1">' in html  # a repeated heading still gets a unique id
    assert 'id="_1"' not in html


def test_toc_only_for_long_articles():
    assert 'href="#الخلفية-التاريخية"' in render_markdown(make_converter(), LONG).toc
    assert render_markdown(make_converter(), "## وحيد\n\nنص.").toc == ""


def test_tables_and_footnotes():
    html = render_markdown(make_converter("عودة إلى الحاشية %d"), "| أ | ب |\n|---|---|\n| 1 | 2 |\n\nنص[^1]\n\n[^1]: حاشية").html
    assert "<table>" in html and "<td>1</td>" in html
    assert 'class="footnote-ref"' in html and "حاشية" in html
    assert 'title="عودة إلى الحاشية 1"' in html


def test_converter_reuse_does_not_leak_between_articles():
    converter = make_converter()
    render_markdown(converter, "نص[^1]\n\n[^1]: أولى\n\n## عنوان")
    second = render_markdown(converter, "## عنوان\n\nنص آخر.")
    assert "footnote" not in second.html
    assert '<h2 id="عنوان">' in second.html
