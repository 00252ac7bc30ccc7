"""Python-Markdown setup: tables, footnotes, Arabic heading ids, table of contents; the limits on a body."""

import re
import signal
import sys
import threading
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.markup import NESTED_TOO_DEEPLY, MarkupError, MarkupPolicy, make_converter, render_markdown
from generator.parallel import map_parallel
from generator.time_limit import TimeLimitExceeded, time_limit
from tests.conftest import REPO

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


# ---------------------------------------------------------------------------
# Limits: a body too slow or too deep for Python-Markdown is an error naming the file, not a hung build
# ---------------------------------------------------------------------------

QUICK = MarkupPolicy(time_limit=0.3)
TOO_SLOW = "The message said: " + "[" * 20000  # over a minute in Python-Markdown 3.x (quadratic in the [)
SLOW_MESSAGE = ("Markdown took longer than 0.3 s to convert; look for a long run of [ or ( or of nested emphasis, "
                "or raise markdown_time_limit in site.toml")


def convert_timed(_state: object, text: str) -> tuple[str, float]:
    """What converting text under QUICK gives (the HTML or the error) and how long it took (s)."""
    started = time.perf_counter()
    try:
        outcome = str(render_markdown(make_converter(), text, QUICK).html)
    except MarkupError as error:
        outcome = str(error)
    return outcome, time.perf_counter() - started


@pytest.mark.parametrize("text", [TOO_SLOW, "*a" * 4000 + "[" * 20000, "[](" * 20000, "![" * 20000, "[^" * 20000])
def test_a_body_slower_than_the_limit_is_stopped_with_the_message(text):
    outcome, seconds = convert_timed(None, text)
    assert outcome == SLOW_MESSAGE
    assert seconds < 2


def test_the_limit_holds_outside_the_main_thread_as_serve_rebuilds_run():
    results: list[tuple[str, float]] = []
    thread = threading.Thread(target=lambda: results.append(convert_timed(None, TOO_SLOW)))
    thread.start()
    thread.join(10)
    assert not thread.is_alive()
    assert results[0][0] == SLOW_MESSAGE and results[0][1] < 2


def test_the_limit_holds_in_worker_processes_and_spares_the_other_bodies():
    results = map_parallel(convert_timed, [TOO_SLOW, "نص *عادي*", TOO_SLOW, "## عنوان"], lambda: None, min_items=2)
    outcomes = [outcome for outcome, _ in results]
    assert outcomes[0] == outcomes[2] == SLOW_MESSAGE
    assert "نص <em>عادي</em></p>" in outcomes[1] and 'id="عنوان">عنوان</h2>' in outcomes[3]


def test_a_limit_leaves_nothing_behind_when_the_work_ends_in_time():
    before = signal.getsignal(signal.SIGALRM)
    with time_limit(0.2):
        pass
    assert signal.getsignal(signal.SIGALRM) is before
    assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    time.sleep(0.3)  # no alarm arrives later

    errors: list[BaseException] = []

    def in_thread() -> None:
        try:
            with time_limit(0.1):
                pass
            time.sleep(0.3)  # nor a watchdog's exception
        except BaseException as error:  # noqa: BLE001 - what the test looks for
            errors.append(error)

    thread = threading.Thread(target=in_thread)
    thread.start()
    thread.join()
    assert errors == []


def test_a_time_limit_is_not_swallowed_by_except_exception():
    with pytest.raises(TimeLimitExceeded):
        with time_limit(0.1):
            while True:
                try:
                    time.sleep(0.01)
                except Exception:  # noqa: BLE001 - what Python-Markdown's code might do
                    pass


def test_a_converter_after_a_timeout_is_replaced_and_the_next_body_is_whole():
    converter = make_converter()
    with pytest.raises(MarkupError):
        render_markdown(converter, TOO_SLOW, QUICK)
    assert str(render_markdown(make_converter(), "نص[^1]\n\n[^1]: حاشية", QUICK).html).count("fn:1") == 2


def test_markdown_nested_too_deeply_for_python_is_a_markup_error():
    body = "\n".join("    " * level + "- item" for level in range(150))
    previous = sys.getrecursionlimit()
    sys.setrecursionlimit(400)  # the same overflow as 500 levels at the default limit, sooner
    try:
        with pytest.raises(MarkupError) as error:
            render_markdown(make_converter(), body)
    finally:
        sys.setrecursionlimit(previous)
    assert str(error.value) == NESTED_TOO_DEEPLY


def test_a_build_stops_on_a_slow_body_naming_its_file_and_line(make_site):
    site = make_site()
    toml = site.root / "site.toml"
    toml.write_text("markdown_time_limit = 0.5\n" + toml.read_text(encoding="utf-8"), encoding="utf-8")
    site.article("ar", "good")
    site.article("ar", "slow", body=TOO_SLOW)
    started = time.perf_counter()
    result = site.build()
    assert result.code == 1
    assert result.err.splitlines()[0] == (
        "content/ar/slow.md:8: Markdown took longer than 0.5 s to convert; look for a long run of [ or ( or of "
        "nested emphasis, or raise markdown_time_limit in site.toml")
    assert time.perf_counter() - started < 10
    assert not (site.root / "output").exists()


@pytest.mark.parametrize("value, shown", [("0", "0"), ("-1", "-1"), ('"10"', '"10"'), ("true", "true"),
                                          ("3601", "3601"), ("nan", "nan")])
def test_markdown_time_limit_must_be_a_number_of_seconds(make_site, value, shown):
    site = make_site()
    toml = site.root / "site.toml"
    toml.write_text(f"markdown_time_limit = {value}\n" + toml.read_text(encoding="utf-8"), encoding="utf-8")
    result = site.build()
    assert result.code == 1
    assert (f"site.toml:1: markdown_time_limit must be a number of seconds above 0 and at most 3600, not {shown}"
            in result.err.splitlines())


def test_a_body_never_repeats_an_id_the_article_page_gives_its_own_elements():
    """"## Main" as id="main" would be a second #main (the skip link's target): invalid HTML, a wrong jump."""
    from generator.sanitise import PAGE_IDS
    text = ("## Main\n\n## Main\n\n## Related title\n\n## الرئيسية\n\n"
            '<p id="main">x</p>\n\n<span id="toc-title">y</span> <span id="kept">z</span>\n')
    html = str(render_markdown(make_converter(), text).html)
    ids = re.findall(r' id="([^"]+)"', html)
    assert ids == ["main-section", "main-section_1", "related-title-section", "الرئيسية", "kept"], html
    assert not PAGE_IDS & set(ids)


def test_page_ids_are_every_id_the_shipped_article_page_gives_its_own_elements():
    from generator.sanitise import PAGE_IDS
    templates = [path for theme in ("default", "research") for name in ("base.html", "article.html")
                 if (path := REPO / "themes" / theme / "templates" / name).is_file()]
    assert len(templates) >= 3
    found = {match for path in templates for match in re.findall(r'\bid="([^"{}]+)"', path.read_text("utf-8"))}
    assert found and found <= PAGE_IDS, found - PAGE_IDS


def test_a_body_holds_each_id_once_whatever_its_raw_html_says():
    # Raw HTML could repeat a heading's or a footnote's id, or give one that is no id (" main ").
    text = ('## Main\n\nنص[^1]\n\n<p id="main-section">x</p>\n\n<p id="fn:1">y</p>\n\n<p id=" main ">z</p>\n\n'
            '<p id="dup">a</p>\n\n<p id="dup">b</p>\n\n## Main\n\n[^1]: حاشية.')
    html = str(render_markdown(make_converter(), text).html)
    ids = re.findall(r' id="([^"]*)"', html)
    # The raw id is the author's: the headings take others (and their table of contents links to those).
    assert ids == ["main-section_1", "fnref:1", "main-section", "dup", "main-section_2", "fn:1"], html
    assert '<h2 dir="ltr" id="main-section_1">Main</h2>' in html and '<li id="fn:1">' in html
    assert '<p id="main-section">x</p>' in html
    assert "<p>y</p>" in html and "<p>z</p>" in html and "<p>b</p>" in html


@pytest.mark.parametrize("raw_html", ["sanitise", "trusted"])
@pytest.mark.parametrize("raw", ['<h2 id="intro">Raw</h2>', '<h2 ID="intro">Raw</h2>', '<p>Text <span Id="intro">here</span>.</p>',
                                 '<p>Text <span id="intro">here</span>.</p>',
                                 "<div id='intro'>single quotes</div>", '<p id="&#105;ntro">an entity</p>'])
@pytest.mark.parametrize("where", ["before", "after"])
def test_a_heading_never_takes_an_id_raw_html_gives_and_its_toc_link_reaches_it(raw_html, raw, where):
    # A raw <h2 id="intro"> before "## Intro" kept the id, and the Markdown heading lost it (sanitised) or shared
    # it (trusted): either way the table of contents' #intro led to the raw element.
    headings = "## Intro\n\nنص.\n\n## ثانٍ\n\n## ثالث\n"
    text = f"{raw}\n\n{headings}" if where == "before" else f"{headings}\n{raw}\n"
    rendered = render_markdown(make_converter(), text, MarkupPolicy(raw_html=raw_html))
    html, toc = str(rendered.html), str(rendered.toc)
    ids = [value.lower() for value in re.findall(r""" id=["']([^"']*)["']""", html, flags=re.IGNORECASE)]
    assert len(ids) == len(set(ids)), html
    [heading] = re.findall(r'<h2[^>]* id="([^"]+)">Intro</h2>', html)
    assert heading == "intro_1" and f'href="#{heading}"' in toc
    assert 'href="#intro"' not in toc


def test_footnote_ids_of_every_form_stay_on_the_footnotes():
    # A second reference (fnref2:1) and a named note (fn:note): raw HTML earlier in the body took their ids.
    text = ('<p id="fnref2:1">raw</p>\n\nنص[^1] ثم[^1] و[^note]\n\n<div id="fn:note">x</div>\n\n'
            '[^1]: حاشية.\n[^note]: أخرى.')
    html = str(render_markdown(make_converter(), text).html)
    assert re.findall(r' id="([^"]*)"', html) == ["fnref:1", "fnref2:1", "fnref:note", "fn:1", "fn:note"], html
    assert '<p>raw</p>' in html and '<div>x</div>' in html


ID_WORDS = ["intro", "main", "Main", "b", "fn:1", "مقدمة", "intro_1"]
PIECES = st.one_of(
    st.sampled_from(ID_WORDS).map(lambda word: f"## {word}"),
    st.sampled_from(ID_WORDS).map(lambda word: f'<p id="{word}">raw</p>'),
    st.sampled_from(ID_WORDS).map(lambda word: f'<div ID="{word}">raw</div>'),
    st.sampled_from(ID_WORDS).map(lambda word: f'نص <span id="{word}">داخل</span> الفقرة.'),
)


@settings(max_examples=150, deadline=None)
@given(pieces=st.lists(PIECES, min_size=3, max_size=10), raw_html=st.sampled_from(["sanitise", "trusted"]))
def test_every_toc_link_reaches_its_heading_whatever_ids_raw_html_gives(pieces, raw_html):
    rendered = render_markdown(make_converter(), "\n\n".join(pieces) + "\n", MarkupPolicy(raw_html=raw_html))
    html, toc = str(rendered.html), str(rendered.toc)
    headings = re.findall(r'<h2[^>]* (?i:id)="([^"]+)"', html)  # the attribute's name is case-blind, its value not
    others = re.findall(r'<(?!h2)[a-z]+[^>]* (?i:id)="([^"]+)"', html)
    assert not set(headings) & set(others), html  # no heading shares an id with raw HTML
    assert len(headings) == len(set(headings)), html
    if raw_html == "sanitise":
        assert len(others) == len(set(others)), html  # sanitised, every id once
    for target in re.findall(r'href="#([^"]+)"', toc):
        assert target in headings, (target, html)


@pytest.mark.parametrize("raw", ['<p><a id="intro"></a>مرساة</p>', '<section id="intro">x</section>',
                                 '<p><a ID="intro" href="#x">x</a></p>'])
def test_an_id_the_sanitiser_removes_does_not_move_a_heading_s_id(raw):
    # The heading kept #intro before raw ids were avoided; sanitised, nothing else holds #intro: it keeps it,
    # and links to the page's #intro still reach it. Trusted, the raw id stays, and the heading moves aside.
    text = f"{raw}\n\n## Intro\n\n## ثانٍ\n\n## ثالث\n"
    sanitised = render_markdown(make_converter(), text)
    assert '<h2 dir="ltr" id="intro">Intro</h2>' in str(sanitised.html) and 'href="#intro"' in str(sanitised.toc)
    trusted = render_markdown(make_converter(), text, MarkupPolicy(raw_html="trusted"))
    assert '<h2 dir="ltr" id="intro_1">Intro</h2>' in str(trusted.html) and 'href="#intro_1"' in str(trusted.toc)
