"""Fenced code blocks (highlight.py): highlighted into CSS classes, left to right in Arabic pages, line numbers
on request, unknown languages as plain code, sanitised, themed light and dark with readable contrast."""

from __future__ import annotations

import re

import pytest

from generator import cache as caching
from generator.markup import MarkupPolicy, make_converter, render_markdown
from generator.sanitise import TRUSTED
from tests.conftest import REPO

# The issue's example: an Arabic article with a Python block whose comment is Arabic.
ISSUE_EXAMPLE = """هذه مقدمة عربية تشرح الدالة التالية.

```python
# حساب المتوسط الحسابي
def mean(values):
    return sum(values) / len(values)
```

وهذا نص بعد الشيفرة.
"""


def convert(text: str, direction: str = "rtl", line_numbers: bool = False, policy: MarkupPolicy = MarkupPolicy()) -> str:
    return str(render_markdown(make_converter(direction=direction, line_numbers=line_numbers), text, policy).html)


def code_block(html: str) -> str:
    """The first highlighted block of html, from its <div> to its </div> (the outermost)."""
    start = html.index('<div dir="ltr" class="codehilite">')
    end = html.index("</code></pre></div>", start) + len("</code></pre></div>")
    return html[start:end]


def test_the_issue_example_is_highlighted_code_left_to_right():
    html = convert(ISSUE_EXAMPLE)
    block = code_block(html)
    # The Arabic comment is a comment of the code, not a heading; keywords and names are classes, not styles.
    assert '<span class="c1"># حساب المتوسط الحسابي</span>' in block
    assert '<span class="k">def</span>' in block and '<span class="nf">mean</span>' in block
    assert '<span class="nb">sum</span>' in block
    assert "<h1" not in html and "style=" not in html
    # Nothing of bidi.py's inside the code: no isolates, no dir but the block's own.
    assert "<bdi" not in block and block.count("dir=") == 1
    assert html.startswith('<p>هذه مقدمة') and html.rstrip().endswith("<p>وهذا نص بعد الشيفرة.</p>")


@pytest.mark.parametrize("fence", ["```", "~~~", "````"])
def test_every_fence_is_a_code_block(fence):
    html = convert(f"نص.\n\n{fence}python\nx = 1  # تعليق\n{fence}\n")
    assert '<span class="n">x</span>' in code_block(html)
    assert '<span class="c1"># تعليق</span>' in html


@pytest.mark.parametrize("info", ["nosuchlanguage", "", "{.nosuchlanguage}", "text"])
def test_an_unknown_or_missing_language_is_plain_code(info):
    # Never guessed: unlabelled code stays plain (a guess would colour prose or the wrong language).
    html = convert(f"```{info}\ndef f(): return '<b>' # ملاحظة\n```\n")
    block = code_block(html)
    assert "<code>def f(): return '&lt;b&gt;' # ملاحظة\n</code>" in block
    assert "<span class=" not in block


def test_an_indented_code_block_stays_a_plain_left_to_right_block():
    # No language to highlight: bidi.py's <pre dir="ltr"> as before, not a highlighted block.
    html = convert("نص عربي.\n\n    # تعليق\n    x = 1\n")
    assert '<pre dir="ltr"><code># تعليق\nx = 1\n</code></pre>' in html and "codehilite" not in html


def test_line_numbers_per_block_in_hugo_and_markdown_syntax():
    for info in ('python {linenos=true}', '{.python linenums="true"}', 'python {linenos=true hl_lines="2"}',
                 'python {linenos=table}', 'python {linenos=inline}', '{.python linenums=1}'):
        html = convert(f"```{info}\na = 1\nb = 2\n```\n")
        assert '<table class="codehilitetable">' in html, info
        # The numbers sit in their own cell, so copying the code never copies them.
        assert '<td class="linenos"><div class="linenodiv"><pre><span class="normal">1</span>\n<span class="normal">2</span></pre>' in html
        assert '<td class="code">' in html
    assert '<span class="hll"><span class="n">b</span>' in convert('```python {hl_lines="2"}\na = 1\nb = 2\n```\n')
    assert "codehilitetable" not in convert("```python\na = 1\n```\n")


@pytest.mark.parametrize("info", ['python {hl_lines="2-3"}', "python {hl_lines=[2,3]}", 'python {hl_lines="2 3"}',
                                  '{.python hl_lines="2-3"}', 'python {hl_lines=["2-3"]}'])
def test_highlighted_lines_in_hugo_ranges_and_lists(info):
    # Hugo writes hl_lines as "2-3" or [2,3]; codehilite reads only "2 3", and silently highlighted nothing.
    html = convert(f"```{info}\na = 1\nb = 2\nc = 3\nd = 4\n```\n")
    assert [name for name in "abcd" if f'<span class="hll"><span class="n">{name}</span>' in html] == ["b", "c"]


def test_the_site_default_for_line_numbers_and_a_block_that_declines():
    assert "codehilitetable" in convert("```python\na = 1\n```\n", line_numbers=True)
    assert "codehilitetable" not in convert('```python {linenos=false}\na = 1\n```\n', line_numbers=True)


def test_other_options_are_ignored_never_an_error():
    # A formatter or style by name could stop the build (an unknown style raises) or change the output format.
    html = convert('```{.python pygments_formatter="img" pygments_style="nope" noclasses="true" use_pygments="false"}\n'
                   "x = 1\n```\n")
    assert '<span class="n">x</span>' in code_block(html) and "style=" not in html


@pytest.mark.parametrize("info, highlighted", [
    ('python title="mean.py"', True), ("nosuchlanguage extra words", False), ('"><script>alert(1)</script>', False),
    ("python {linenos=true", True), ("{.python linenos=true", True), ('{"><script>alert(1)</script>}', False),
])
def test_an_info_string_python_markdown_cannot_read_still_makes_a_code_block(info, highlighted):
    # Python-Markdown reads only "lang" or "{attributes}" after a fence; anything else (a title, a stray quote)
    # made the block inline code in a paragraph, and its closing fence opened a block that swallowed the next.
    html = convert(f"نص.\n\n```{info}\nx = 1  # تعليق\n```\n\nبعد.\n\n```python\ny = 2\n```\n")
    first = code_block(html)
    assert ('<span class="n">x</span>' in first) is highlighted, first
    assert "x = 1  # تعليق" in first or '<span class="c1"># تعليق</span>' in first
    assert "script" not in html and "title=" not in html and "<p>```" not in html
    assert '<p>بعد.</p>' in html and '<span class="n">y</span>' in html


def test_a_fence_shown_inside_another_block_stays_as_written():
    html = convert("````text\n```python {linenos=true}\nx = 1\n```\n````\n")
    assert "<code>```python {linenos=true}\nx = 1\n```\n</code>" in html


def test_the_sanitiser_keeps_the_highlighting_and_still_removes_scripts():
    text = ISSUE_EXAMPLE + '\n<script>alert(1)</script>\n\n<span class="k" onclick="alert(2)">x</span>\n\n' \
        "```html\n<script>alert(3)</script>\n```\n"
    sanitised, trusted = convert(text), convert(text, policy=MarkupPolicy(raw_html=TRUSTED))
    assert code_block(sanitised) == code_block(trusted)
    assert "alert(1)" not in sanitised and "onclick" not in sanitised
    # Script in a code block is shown as text, highlighted, never run.
    assert '<span class="p">&lt;</span><span class="nt">script</span><span class="p">&gt;</span><span class="nx">alert</span>' \
        in sanitised and "<script" not in sanitised
    with_numbers = "```python {linenos=true}\nx = 1\n```\n"
    # The same tree: the parser only writes the <tbody> every browser adds to a table anyway.
    sanitised = convert(with_numbers).replace("<tbody>", "").replace("</tbody>", "")
    assert sanitised == convert(with_numbers, policy=MarkupPolicy(raw_html=TRUSTED))


def test_code_in_an_english_page_and_in_a_body_of_unknown_direction():
    assert 'dir="ltr" class="codehilite"' in convert("Some English.\n\n```python\nx = 1\n```\n", direction="ltr")
    html = convert(ISSUE_EXAMPLE, direction="")
    assert '<span class="c1"># حساب المتوسط الحسابي</span>' in code_block(html)


def test_a_new_pygments_changes_the_body_cache_key(monkeypatch):
    before = caching.markup_fingerprint()
    real = caching.library_version
    monkeypatch.setattr(caching, "library_version", lambda name: "99.0" if name == "pygments" else real(name))
    assert caching.markup_fingerprint() != before
    assert "pygments" in caching.LIBRARIES and "highlight.py" in caching.MARKUP_MODULES


# ---------------------------------------------------------------------------
# The stylesheet: every token colour readable on the block, light and dark
# ---------------------------------------------------------------------------

def luminance(colour: str) -> float:
    red, green, blue = (int(colour[i:i + 2], 16) / 255 for i in (1, 3, 5))
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in (red, green, blue)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def variables(css: str) -> tuple[dict[str, str], dict[str, str]]:
    """The custom properties of the light :root and of the dark one (the first prefers-color-scheme block)."""
    light_root = css[css.index(":root {"):css.index("@media (prefers-color-scheme: dark)")]
    dark_root = css[css.index("@media (prefers-color-scheme: dark)"):]
    dark_root = dark_root[:dark_root.index("\n}\n")]
    code = css[css.index("Code blocks (generator/highlight.py)"):]
    code_light = code[:code.index("@media (prefers-color-scheme: dark)")]
    code_dark = code[code.index("@media (prefers-color-scheme: dark)"):]
    found = []
    for theme_part, code_part in ((light_root, code_light), (dark_root, code_dark)):
        found.append(dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6});", theme_part + code_part)))
    return found[0], found[1]


def test_token_colours_are_readable_light_and_dark():
    css = (REPO / "themes/default/static/css/site.css").read_text(encoding="utf-8")
    for palette in variables(css):
        background = palette["surface-2"]
        colours = {name: value for name, value in palette.items()
                   if name.startswith("code-") and name not in ("code-line",)}
        assert len(colours) == 9, colours
        for name, value in colours.items():
            assert contrast(value, background) >= 4.5, (name, value, background)
            if name != "code-line-number":  # a highlighted line's text sits on its own background
                assert contrast(value, palette["code-line"]) >= 4.5, (name, value)
        assert contrast(palette["ink"], palette["code-line"]) >= 4.5


# ---------------------------------------------------------------------------
# In Chromium: the block reads left to right in an Arabic page, light and dark
# ---------------------------------------------------------------------------

BLOCK_BOXES = """() => {
    const block = document.querySelector('.article-body .codehilite');
    const pre = block.querySelector('pre');
    const code = pre.querySelector('code');
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    const first = walker.nextNode();
    const range = document.createRange();
    range.setStart(first, 0);
    range.setEnd(first, 1);
    const hash = range.getBoundingClientRect();
    const preBox = pre.getBoundingClientRect();
    const style = getComputedStyle(pre);
    const blockStyle = getComputedStyle(block);
    return {
        page: document.documentElement.dir, first: first.data[0], hashLeft: hash.left,
        contentLeft: preBox.left + parseFloat(style.borderLeftWidth) + parseFloat(style.paddingLeft),
        contentRight: preBox.right - parseFloat(style.borderRightWidth) - parseFloat(style.paddingRight),
        direction: blockStyle.direction, bidi: blockStyle.unicodeBidi,
        keyword: getComputedStyle(block.querySelector('.k')).color,
        comment: getComputedStyle(block.querySelector('.c1')).color,
        background: blockStyle.backgroundColor,
    };
}"""


def rgb(colour: str) -> str:
    return "rgb({}, {}, {})".format(*(int(colour[i:i + 2], 16) for i in (1, 3, 5)))


@pytest.fixture(scope="module")
def code_site(tmp_path_factory):
    from tests.conftest import SiteDir
    import shutil
    root = tmp_path_factory.mktemp("code") / "site"
    root.mkdir()
    shutil.copy(REPO / "site.toml", root / "site.toml")
    shutil.copytree(REPO / "themes", root / "themes")
    site = SiteDir(root)
    site.article("ar", "code", title="مقال فيه شيفرة", body=ISSUE_EXAMPLE)
    result = site.build()
    assert result.code == 0, result.err
    return root / "output"


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_code_starts_at_the_left_edge_of_its_block_in_an_arabic_page(browser, code_site, scheme):
    from tests.browser import serve
    css = (REPO / "themes/default/static/css/site.css").read_text(encoding="utf-8")
    palette = variables(css)[0 if scheme == "light" else 1]
    with serve(code_site) as base:
        context = browser.new_context(viewport={"width": 900, "height": 900}, color_scheme=scheme)
        page = context.new_page()
        page.goto(base + "ar/2017/09/code/")
        boxes = page.evaluate(BLOCK_BOXES)
        context.close()
    assert boxes["page"] == "rtl" and boxes["first"] == "#"
    # In an RTL page the first character would hug the right edge; left to right, it is at the left one.
    assert abs(boxes["hashLeft"] - boxes["contentLeft"]) < 1.5, boxes
    assert boxes["contentRight"] - boxes["hashLeft"] > 300, boxes
    assert (boxes["direction"], boxes["bidi"]) == ("ltr", "isolate")
    assert boxes["keyword"] == rgb(palette["code-keyword"]) and boxes["comment"] == rgb(palette["code-comment"])
    assert boxes["background"] == rgb(palette["surface-2"])
