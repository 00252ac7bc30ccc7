"""Direction from content (generator/bidi.py): fields, Markdown bodies, feeds; a table of cases each."""

from __future__ import annotations

import time

import pytest

from generator import bidi
from generator.markup import make_converter, render_markdown

# (text, direction of the page around it) -> the field as the `isolate` filter writes it.
FIELDS = [
    # Arabic that begins with a Latin word is Arabic: the Latin word is isolated inside it.
    ("BBC عربي", "rtl", '<bdi dir="rtl"><bdi dir="ltr">BBC</bdi> عربي</bdi>'),
    ("ISW: تقرير عن سوريا", "rtl", '<bdi dir="rtl"><bdi dir="ltr">ISW</bdi>: تقرير عن سوريا</bdi>'),
    ("Reuters، 10 يوليو 2017.", "rtl", '<bdi dir="rtl"><bdi dir="ltr">Reuters</bdi>، 10 يوليو 2017.</bdi>'),
    # A quoted English title keeps its quotes and its number inside one isolate; the Arabic full stop stays out.
    ('تقرير "Global Risks 2024".', "rtl", '<bdi dir="rtl">تقرير <bdi dir="ltr">&#34;Global Risks 2024&#34;</bdi>.</bdi>'),
    ("تقرير (The Global Risks Report) السنوي", "rtl",
     '<bdi dir="rtl">تقرير <bdi dir="ltr">(The Global Risks Report)</bdi> السنوي</bdi>'),
    ("مقابلة مع John F. Kennedy، أمس", "rtl", '<bdi dir="rtl">مقابلة مع <bdi dir="ltr">John F. Kennedy</bdi>، أمس</bdi>'),
    # An abbreviation keeps its full stop when the sentence goes on; an acronym's full stop ends the sentence.
    ("مقابلة مع John F. Kennedy Jr. على قناة CNN.", "rtl",
     '<bdi dir="rtl">مقابلة مع <bdi dir="ltr">John F. Kennedy Jr.</bdi> على قناة <bdi dir="ltr">CNN</bdi>.</bdi>'),
    ("وزارة U.S. Department of State، ثم ISW. ثم", "rtl",
     '<bdi dir="rtl">وزارة <bdi dir="ltr">U.S. Department of State</bdi>، ثم <bdi dir="ltr">ISW</bdi>. ثم</bdi>'),
    # Phone numbers, URLs and e-mail addresses are one isolate each.
    ("هاتف +966 11 123 4567 للاستفسار", "rtl", '<bdi dir="rtl">هاتف <bdi dir="ltr">+966 11 123 4567</bdi> للاستفسار</bdi>'),
    ("راجع https://example.org/a-b/c/ أو info@example.org.", "rtl",
     '<bdi dir="rtl">راجع <bdi dir="ltr">https://example.org/a-b/c/</bdi> أو <bdi dir="ltr">info@example.org</bdi>.</bdi>'),
    ("لغة C++ ونظام Windows 10", "rtl", '<bdi dir="rtl">لغة <bdi dir="ltr">C++</bdi> ونظام <bdi dir="ltr">Windows 10</bdi></bdi>'),
    # A date and a number in Arabic text need nothing: they are not Latin runs.
    ("10 يوليو 2017", "rtl", '<bdi dir="rtl">10 يوليو 2017</bdi>'),
    # A field with no Arabic letters is left to right, in an Arabic page too; neutral-only text inherits.
    ("Global Risks 2024", "rtl", '<bdi dir="ltr">Global Risks 2024</bdi>'),
    ("2017", "rtl", '<bdi dir="rtl">2017</bdi>'),
    ("2017", "ltr", '<bdi dir="ltr">2017</bdi>'),
    # In an English page: Arabic text is Arabic; an English text quoting an Arabic term stays English.
    ("المرصد الاستراتيجي", "ltr", '<bdi dir="rtl">المرصد الاستراتيجي</bdi>'),
    ("The so-called جيش الفتح coalition", "ltr",
     '<bdi dir="ltr">The so-called <bdi dir="rtl">جيش الفتح</bdi> coalition</bdi>'),
    ("قال John Kerry إن الحرب انتهت", "ltr", '<bdi dir="rtl">قال <bdi dir="ltr">John Kerry</bdi> إن الحرب انتهت</bdi>'),
    # Persian and Urdu letters, and Arabic presentation forms, are Arabic script.
    ("گزارش BBC فارسی", "ltr", '<bdi dir="rtl">گزارش <bdi dir="ltr">BBC</bdi> فارسی</bdi>'),
    ("ﻣﺮﺣﺒﺎ Hello", "rtl", '<bdi dir="rtl">ﻣﺮﺣﺒﺎ <bdi dir="ltr">Hello</bdi></bdi>'),
    # Text that looks like markup stays text.
    ("<b>Bold</b> نص", "rtl", '<bdi dir="rtl"><bdi dir="ltr">&lt;b&gt;Bold&lt;/b&gt;</bdi> نص</bdi>'),
    # Review of issue 10: addresses ending in digits after a glued symbol stay whole, their final full stop out.
    ("زيارة www.example.org/page?id=5 الآن", "rtl",
     '<bdi dir="rtl">زيارة <bdi dir="ltr">www.example.org/page?id=5</bdi> الآن</bdi>'),
    ("راجع https://x.org/a?id=5&b=7. ثم", "rtl",
     '<bdi dir="rtl">راجع <bdi dir="ltr">https://x.org/a?id=5&amp;b=7</bdi>. ثم</bdi>'),
    # An opening quote after a colon goes with the quotation whose closing quote is inside the run.
    ('اقتباس: "The future is here" — William Gibson، كما قال.', "rtl",
     '<bdi dir="rtl">اقتباس: <bdi dir="ltr">&#34;The future is here&#34; — William Gibson</bdi>، كما قال.</bdi>'),
    ("وفق (Reuters) Agency، أمس", "rtl", '<bdi dir="rtl">وفق <bdi dir="ltr">(Reuters) Agency</bdi>، أمس</bdi>'),
    # An English sentence about Arabic names stays English on an English page.
    ("Interview with محمد بن سلمان about رؤية 2030", "ltr",
     '<bdi dir="ltr">Interview with <bdi dir="rtl">محمد بن سلمان</bdi> about <bdi dir="rtl">رؤية</bdi> 2030</bdi>'),
]


@pytest.mark.parametrize(("text", "page", "expected"), FIELDS)
def test_a_field_takes_its_direction_from_its_content(text, page, expected):
    assert bidi.isolate(text, page) == expected


def test_the_filter_takes_a_class_and_keeps_markup_as_it_is():
    assert bidi.isolate("BBC عربي", "rtl", "author") == '<bdi dir="rtl" class="author"><bdi dir="ltr">BBC</bdi> عربي</bdi>'
    assert bidi.isolate(None, "rtl") == '<bdi dir="rtl"></bdi>'


DIRECTIONS = [
    ("نص عربي", "ltr", "rtl"),
    ("BBC عربي", "rtl", "rtl"),
    ("BBC عربي", "ltr", "ltr"),  # as many Latin words as Arabic ones: the English page's direction
    ("Hello", "rtl", "ltr"),
    ("١٢٣ - 2017 ، ...", "rtl", ""),
    ("\x02wzxhzdk:0\x03", "rtl", ""),  # Python-Markdown's placeholder for stashed HTML is not Latin text
    ("פסח שמח", "ltr", "rtl"),  # Hebrew is right to left too
    # Beginning in English: English unless more than twice as many Arabic words.
    ("The minister (وزير الخارجية) met عادل الجبير in الرياض.", "ltr", "ltr"),
    ("Interview with محمد بن سلمان about رؤية 2030", "ltr", "ltr"),
    ("BBC: الحرب في سوريا انتهت", "ltr", "rtl"),
    ("قال John Kerry إن الحرب انتهت", "ltr", "rtl"),  # beginning in Arabic: the majority decides
]


@pytest.mark.parametrize(("text", "context", "expected"), DIRECTIONS)
def test_direction_of_text(text, context, expected):
    assert bidi.direction(text, context) == expected


def body(markdown_text: str) -> str:
    return str(render_markdown(make_converter(), markdown_text).html)


# Markdown body -> fragments its HTML must contain.
BODIES = [
    # Latin runs inside Arabic paragraphs, with their quotes and numbers; links, bold across elements.
    ('قال التقرير "Global Risks 2024" إن المخاطر كثيرة.',
     ['<p>قال التقرير <bdi dir="ltr">"Global Risks 2024"</bdi> إن المخاطر كثيرة.</p>']),
    ("نقلت [Reuters](https://reuters.com) الخبر.",
     ['<bdi dir="ltr"><a href="https://reuters.com">Reuters</a></bdi> الخبر.']),
    ("قال **John** Smith إن الوضع صعب.", ['قال <bdi dir="ltr"><strong>John</strong> Smith</bdi> إن']),
    ("كتب *Jane Doe، المحللة*، أن", ['<em><bdi dir="ltr">Jane Doe</bdi>، المحللة</em>']),
    # Code is left to right; a code span alone is given dir itself rather than a wrapper.
    ("الدالة `print(x)` تطبع.\n\n    for x in y:\n        pass\n",
     ['الدالة <code dir="ltr">print(x)</code> تطبع.', '<pre dir="ltr"><code>for x in y:']),
    # Footnote markers are isolates: 900[^1] is not ¹900, 2017.[^2] is not 2017.2.
    ("بلغ العدد 900[^1] عام 2017.[^2]\n\n[^1]: حاشية.\n[^2]: أخرى.",
     ['900<sup dir="rtl" id="fnref:1">', '2017.<sup dir="rtl" id="fnref:2">']),
    # An English quotation in an Arabic article is left to right; the Arabic around it says so too.
    ('نص عربي.\n\n> "The war is over," he said.\n\nنص آخر.',
     ['<p dir="rtl">نص عربي.</p>', '<blockquote dir="ltr">\n<p>"The war is over," he said.</p>', '<p dir="rtl">نص آخر.</p>']),
    # Lists, headings and table cells take their own direction inside an Arabic body.
    ("## العنوان\n\nمقدمة طويلة بالعربية هنا.\n\n- بند أول\n- Second item\n\n| الاسم | Name |\n|---|---|\n| علي | Ali |\n\n### English heading\n",
     ['<li dir="ltr">Second item</li>', '<th dir="ltr">Name</th>', '<td dir="ltr">Ali</td>',
      '<h3 dir="ltr" id="english-heading">English heading</h3>']),
    # An Arabic paragraph in an English body gets dir="rtl"; Arabic runs in English text are isolated.
    ("The so-called جيش الفتح coalition was formed in 2015 by several armed groups in the north.\n\n"
     "Another English paragraph, long enough to make this an English article.\n\nقال المتحدث إن الهدنة صامدة.",
     ['<p dir="ltr">The so-called <bdi dir="rtl">جيش الفتح</bdi> coalition', '<p dir="rtl">قال المتحدث']),
    # An address in escaped angle brackets (what the importer writes for a seed's "<https://x.org>"): the
    # brackets stay outside the isolate as a pair, the closing entity never pulled into the address.
    ("زوروا &lt;https://example.com/a&gt; أو &lt;www.example.org/b?c=1&gt; أو &lt;info@example.org&gt; اليوم.",
     ['زوروا &lt;<bdi dir="ltr">https://example.com/a</bdi>&gt; أو &lt;<bdi dir="ltr">www.example.org/b?c=1</bdi>&gt; '
      'أو &lt;<bdi dir="ltr">info@example.org</bdi>&gt; اليوم.']),
    ("راجع <https://example.com/a> اليوم.", ['<bdi dir="ltr"><a href="https://example.com/a">https://example.com/a</a></bdi> اليوم']),
    # A phone number keeps its groups in order.
    ("اتصلوا على +966 11 123 4567 أو 920000000.", ['<bdi dir="ltr">+966 11 123 4567</bdi> أو 920000000.']),
]


@pytest.mark.parametrize(("markdown_text", "fragments"), BODIES)
def test_markdown_bodies_get_direction_from_content(markdown_text, fragments):
    html = body(markdown_text)
    for fragment in fragments:
        assert fragment in html, html


def test_a_body_of_one_direction_carries_no_extra_attributes():
    # The page's own direction is inherited: an all-Arabic body is written as before.
    assert body("## مقدمة\n\nنص عربي فقط، 2017.\n\n- بند\n- آخر") == (
        '<h2 id="مقدمة">مقدمة</h2>\n<p>نص عربي فقط، 2017.</p>\n<ul>\n<li>بند</li>\n<li>آخر</li>\n</ul>')


def test_raw_html_placeholders_are_not_split_or_counted_as_latin():
    html = body("<div>raw</div>\n\nنص <span>inline</span> عربي.")
    assert "<div>raw</div>" in html  # the block placeholder was replaced back, so not broken or wrapped
    assert "wzxhzdk" not in html


def test_the_same_body_gives_the_same_bytes():
    text = 'قال "Global Risks 2024" و John Smith.\n\n> English quote.\n\nنص.[^1]\n\n[^1]: حاشية.'
    assert body(text) == body(text)


def test_feed_bodies_are_wrapped_in_the_language_direction():
    assert bidi.wrap_body("<p>نص</p>", "rtl") == '<div dir="rtl"><p>نص</p></div>'


def test_built_pages_decide_direction_by_content_and_never_automatically(make_site):
    site = make_site()
    site.article("ar", "mixed", title='تقرير "Global Risks 2024"', tags="سوريا",
                 body="نص مع John Smith.\n\n> An English quotation.", extra='summary: "ISW: تقرير موجز"')
    path = site.root / "content/ar/mixed.md"
    path.write_text(path.read_text(encoding="utf-8").replace("author: المرصد", "author: BBC عربي"), encoding="utf-8")
    assert site.build().code == 0
    article = site.read("ar/2017/09/mixed/index.html")
    assert '<h1 class="article-title"><bdi dir="rtl">تقرير <bdi dir="ltr">&#34;Global Risks 2024&#34;</bdi></bdi></h1>' in article
    assert '<bdi dir="rtl" class="author"><bdi dir="ltr">BBC</bdi> عربي</bdi>' in article
    assert '<blockquote dir="ltr">' in article and '<bdi dir="ltr">John Smith</bdi>' in article
    home = site.read("ar/index.html")
    assert '<p class="card-summary"><bdi dir="rtl"><bdi dir="ltr">ISW</bdi>: تقرير موجز</bdi></p>' in home
    for page in (site.root / "output").rglob("*.html"):
        assert 'dir="auto"' not in page.read_text(encoding="utf-8"), page


def test_full_content_feed_entries_carry_language_and_direction(make_site):
    site = make_site()
    site.write("site.toml", (site.root / "site.toml").read_text(encoding="utf-8").replace(
        'feed_content = "summary"', 'feed_content = "full"'))
    site.article("ar", "mixed", body="نص مع John Smith.")
    assert site.build().code == 0
    feed = site.read("ar/feed.xml")
    assert ('<content type="html" xml:base="https://warraq-observatory.github.io/ar/2017/09/mixed/" xml:lang="ar">&lt;div dir="rtl"&gt;&lt;p&gt;نص مع '
            '&lt;bdi dir="ltr"&gt;John Smith&lt;/bdi&gt;.&lt;/p&gt;&lt;/div&gt;</content>') in feed


@pytest.mark.parametrize(("page", "expected"), [
    ("rtl", '<p>قال <bdi dir="ltr">John Smith</bdi> إن الهدنة صامدة.</p>\n<blockquote dir="ltr">\n<p>An English quotation, in full.</p>'),
    ("ltr", '<p dir="rtl">قال <bdi dir="ltr">John Smith</bdi> إن الهدنة صامدة.</p>\n<blockquote>\n<p>An English quotation, in full.</p>'),
])
def test_a_converter_for_a_language_marks_what_differs_from_its_pages(page, expected):
    # The build makes one converter per language (reading.body_style), so even a short body whose words are
    # mostly English is judged against the page it goes in.
    html = str(render_markdown(make_converter(direction=page), "قال John Smith إن الهدنة صامدة.\n\n> An English quotation, in full.").html)
    assert html.startswith(expected), html


# ---------------------------------------------------------------------------
# The class string, found through Windows-1256 bytes
# ---------------------------------------------------------------------------

def test_every_code_point_gets_the_class_classify_gives_it():
    # classes() encodes to Windows-1256 and maps bytes, with an error handler for the characters it lacks: the
    # answer must be classify()'s for every code point (lone surrogates included), in any company.
    points = "".join(chr(point) for point in range(0x110000) if point not in (0, 1))
    assert bidi.classes(points) == "".join(bidi.classify(char) for char in points)
    # The two bytes that stand for the classes Windows-1256 has no character of: text holding them takes the
    # slow way, and they are neutral there.
    assert bidi.classes("a\x00ب\x01٣\u2029") == "LNRNAB"
    assert bidi.classes("\x02wzxhzdk:12\x03 ٣\u2029\ufffcé") == "N" * 13 + "ABNL"


@pytest.mark.parametrize("text,outer,runs", [
    ("تقرير BBC عربي عن Global Risks 2024 اليوم", "rtl", ["BBC", "Global Risks 2024"]),
    ("اتصل على +966 11 123 4567 أو (011) 123-4567.", "rtl", ["+966 11 123 4567", "(011) 123-4567"]),
    ("نص عربي فقط، بلا حروف لاتينية ولا أرقام", "rtl", []),
    ("Interview with محمد بن سلمان about رؤية 2030", "ltr", ["محمد بن سلمان", "رؤية"]),
    ("Plain English text, nothing else: 2024.", "ltr", []),
    ("«Windows (XP)» على الجهاز، و\"The war is over.\" قالها", "rtl", ["Windows (XP)", '"The war is over."']),
    ("ISW: تقرير عن U.S. Department و C++ و www.x.org/a?id=5 و a@b.org.", "rtl",
     ["ISW", "U.S. Department", "C++", "www.x.org/a?id=5", "a@b.org"]),
])
def test_runs_are_found_in_one_pass_over_the_class_string(text, outer, runs):
    # Each run starts at its first letter of the other script and ends where its stretch (between letters of
    # the page's script) says, wherever in the text the stretch lies.
    found = bidi.find_runs(text, bidi.classes(text), outer)
    assert [text[run.start:run.end] for run in found] == runs
    assert {run.direction for run in found} <= {"ltr" if outer == "rtl" else "rtl"}


def test_a_raw_html_block_in_a_body_of_unknown_direction_is_not_nested_in_a_paragraph():
    # Without a page direction every block with letters says its own; the <p> around a raw block's placeholder
    # has none, and a dir on it kept Python-Markdown from swapping it for the HTML: <p dir><p>…</p></p>.
    html = body('## English heading\n\nنص عربي\n\n<p id="kept">y</p>\n\n<div>z</div>\n\n12345\n\nنص')
    assert html.splitlines() == ['<h2 dir="ltr" id="english-heading">English heading</h2>',
                                 '<p dir="rtl">نص عربي</p>', '<p id="kept">y</p>', "", "<div>z</div>", "",
                                 "<p>12345</p>", '<p dir="rtl">نص</p>']


@pytest.mark.parametrize(("text", "expected"), [
    # A bracket pair around Arabic belongs to the Arabic: no run takes one of the two.
    ('نقلت (عن AFP) "Breaking news" اليوم.',
     'نقلت (عن <bdi dir="ltr">AFP</bdi>) <bdi dir="ltr">&#34;Breaking news&#34;</bdi> اليوم.'),
    ("وفق تقرير (صادر عن IMF) [Report 2024] الأخير.",
     'وفق تقرير (صادر عن <bdi dir="ltr">IMF</bdi>) <bdi dir="ltr">[Report 2024]</bdi> الأخير.'),
    ('قال [المصدر: BBC] "No comment" لاحقا.',
     'قال [المصدر: <bdi dir="ltr">BBC</bdi>] <bdi dir="ltr">&#34;No comment&#34;</bdi> لاحقا.'),
    ("النسخة (Windows XP) والنظام Windows (XP)",  # pairs around Latin alone still go with it
     'النسخة <bdi dir="ltr">(Windows XP)</bdi> والنظام <bdi dir="ltr">Windows (XP)</bdi>'),
    # Digits glued to Latin letters, before or after a glued symbol.
    ("شبكات 4K و3.5GHz و1080p وUS$100.",
     'شبكات <bdi dir="ltr">4K</bdi> و<bdi dir="ltr">3.5GHz</bdi> و<bdi dir="ltr">1080p</bdi> و'
     '<bdi dir="ltr">US$100</bdi>.'),
    # An abbreviation keeps its full stop; a name does not.
    ("قال John F. Kennedy Jr. على المنبر ثم Tom. وغادر.",
     'قال <bdi dir="ltr">John F. Kennedy Jr.</bdi> على المنبر ثم <bdi dir="ltr">Tom</bdi>. وغادر.'),
    # Phone numbers, a Gulf local one too; years in a row are no phone number.
    ("اتصلوا على 4444 5555 أو (011) 123-4567 في الأعوام 2019 2020 2021.",
     'اتصلوا على <bdi dir="ltr">4444 5555</bdi> أو <bdi dir="ltr">(011) 123-4567</bdi> في الأعوام 2019 2020 2021.'),
    # A clock, a ratio or a fraction glued to its unit is one run with it.
    ("يبدأ 10:30am بمقياس 1:1000m ونصف 1/2kg.",
     'يبدأ <bdi dir="ltr">10:30am</bdi> بمقياس <bdi dir="ltr">1:1000m</bdi> ونصف <bdi dir="ltr">1/2kg</bdi>.'),
    ("تقع في Fifth Ave. في نيويورك", 'تقع في <bdi dir="ltr">Fifth Ave.</bdi> في نيويورك'),
    # A third attack: an operator and its number ("p < 0.05", "F1 = 0.91"), grouped thousands, superscript and
    # subscript digits, "et al.", and a quotation's closing marks after a handle or a name and a colon.
    ("دلالة (p < 0.05) و(r = 0.45, p = 0.01) وF1 = 0.91 وAUC = 0.95.",
     'دلالة <bdi dir="ltr">(p &lt; 0.05)</bdi> و<bdi dir="ltr">(r = 0.45, p = 0.01)</bdi> و<bdi dir="ltr">F1 = 0.91'
     '</bdi> و<bdi dir="ltr">AUC = 0.95</bdi>.'),
    ("بلغ مؤشر Dow Jones 35,000 نقطة وانبعاثات CO₂ ومساحة 2,500 m² تقريبا.",
     'بلغ مؤشر <bdi dir="ltr">Dow Jones 35,000</bdi> نقطة وانبعاثات <bdi dir="ltr">CO₂</bdi> ومساحة 2,500 '
     '<bdi dir="ltr">m²</bdi> تقريبا.'),
    ("استشهد بـ Smith et al. (2020) ثم كتب @user: \"We won.\" وغادر.",
     'استشهد بـ <bdi dir="ltr">Smith et al.</bdi> (2020) ثم كتب <bdi dir="ltr">@user: &#34;We won.&#34;</bdi> وغادر.'),
])
def test_runs_keep_pairs_glued_numbers_and_full_stops_where_they_belong(text, expected):
    assert bidi.isolate_text(text, "rtl") == expected


def test_an_english_text_s_arabic_runs_leave_pairs_around_english_alone():
    assert bidi.isolate_text('He said (quoting الجزيرة): "نص عربي" today.', "ltr") == (
        'He said (quoting <bdi dir="rtl">الجزيرة</bdi>): <bdi dir="rtl">&#34;نص عربي&#34;</bdi> today.')


@pytest.mark.parametrize("text", ["ب " + "1" * 100_000 + "a", "ب " + "/" * 100_000 + "a", "ب " + "a." * 50_000 + "a. ب",
                                  "ب " + "x" * 100_000 + " ب"])
def test_long_runs_are_isolated_in_linear_time(text):
    # The e-mail pattern restarted inside a run without an @: 20,000 digits took 4 s, 100,000 took 113 s.
    started = time.perf_counter()
    bidi.isolate_text(text, "rtl")
    bidi.body_direction(text)
    assert time.perf_counter() - started < 2
