"""serve's fast render (fast_render.py): the page of an article whose body alone changed, rendered alone, is
byte for byte the page the full rebuild then writes; any other change is left to the rebuild."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.cache import Session
from generator.fast_render import prepare, render_edited
from generator.pipeline import build
from generator.serve import serve_options
from tests.conftest import SiteDir

FIRST_URL = "ar/2017/09/first/"


def make_project(make_site) -> tuple[SiteDir, Session]:
    """Three Arabic articles sharing tags (so that each lists the others as related), one with an English
    translation, built once as serve builds (drafts, the live-reload script, a session)."""
    site = make_site()
    site.article("ar", "first", title="العنوان الأول", tags="سوريا, العراق", body="نص المقال الأول.")
    site.article("ar", "second", title="العنوان الثاني", date="2017-09-29", tags="سوريا", body="نص.")
    site.article("ar", "third", title="العنوان الثالث", date="2017-09-27", tags="العراق", body="نص.")
    site.article("en", "first", title="The first title", tags="Syria", body="The body.")
    session = Session()
    rebuild(site, session)
    return site, session


def rebuild(site: SiteDir, session: Session) -> None:
    result = build(site.root, serve_options(site.root / "output"), session)
    assert not [problem for problem in result.warnings if not problem.is_warning]


def with_body(site: SiteDir, path: Path, body: str) -> None:
    """Keep the file's front matter, replace its body."""
    text = path.read_text(encoding="utf-8")
    head = text[:text.index("\n---\n", 4) + 5]
    path.write_text(head + body, encoding="utf-8")


# Markdown a writer puts in a body: Arabic and Latin words, numbers, headings (a table of contents), lists,
# footnotes, links, emphasis, code, quotes and allowed raw HTML; images excepted (they are front matter's
# business too: Article.images), see test_a_new_image_is_left_to_the_rebuild.
WORDS = st.sampled_from(["الرقة", "دمشق", "في", "عام", "2017", "Reuters", "UN", "COVID-19", "٣٥", "5G", "(BBC)",
                         "«اقتباس»", "“quoted”", "p < 0.05", "10:30", "+963 11 1234567"])
SENTENCE = st.lists(WORDS, min_size=1, max_size=8).map(" ".join)
BLOCK = st.one_of(
    SENTENCE,
    SENTENCE.map(lambda text: f"## {text}"),
    SENTENCE.map(lambda text: f"### {text}"),
    st.lists(SENTENCE, min_size=1, max_size=3).map(lambda items: "\n".join(f"- {item}" for item in items)),
    SENTENCE.map(lambda text: f"> {text}"),
    SENTENCE.map(lambda text: f"{text}[^n]\n\n[^n]: {text}"),
    SENTENCE.map(lambda text: f"[{text}](https://example.org/a) *{text}* `code` **{text}**"),
    SENTENCE.map(lambda text: f"<b>{text}</b> <script>alert(1)</script>"),
)
BODY = st.lists(BLOCK, min_size=1, max_size=6).map("\n\n".join)


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(bodies=st.lists(st.tuples(st.sampled_from(["ar/first", "ar/second", "ar/third", "en/first"]), BODY),
                       min_size=1, max_size=3))
def test_a_body_edit_renders_the_page_the_rebuild_writes(make_site, bodies):
    site, session = make_project(make_site)
    for name, body in bodies:
        path = site.root / "content" / f"{name}.md"
        with_body(site, path, body)
        page = render_edited(session.plan, path)
        assert page is not None
        rebuild(site, session)
        assert page.content == (site.root / "output" / page.name).read_bytes()


def test_the_page_shows_the_new_body_with_its_table_of_contents(make_site):
    site, session = make_project(make_site)
    path = site.root / "content" / "ar" / "first.md"
    with_body(site, path, "## فصل جديد\n\nنص جديد كليا.")
    page = render_edited(session.plan, path)
    assert page is not None and page.url == FIRST_URL and page.name == f"{FIRST_URL}index.html"
    html = page.content.decode("utf-8")
    assert "نص جديد كليا" in html and "نص المقال الأول" not in html
    assert 'href="#' in html  # the new heading's entry in the table of contents
    # Neighbours, related articles, tags and the translation link, as the last plan had them.
    for text in ("العنوان الثاني", "العنوان الثالث", "/ar/tags/", 'hreflang="en"'):
        assert text in html


@pytest.mark.parametrize("edit", [
    lambda text: text.replace("title: العنوان الأول", "title: عنوان آخر"),
    lambda text: text.replace("date: 2017-09-28", "date: 2017-09-30"),
    lambda text: text.replace("tags: [سوريا, العراق]", "tags: [سوريا]"),
    lambda text: text.replace("---\n", "---\nsummary: ملخص جديد\n", 1),
    lambda text: text.replace("---\n", "---\ndraft: true\n", 1),
    lambda text: text.replace("title: العنوان الأول", "title: [broken"),
    # Equal in Python, not as written: 1 == True == 1.0, and two orders of a mapping's keys.
    lambda text: text.replace("---\n", "---\nextra: {a: true, b: 2}\n", 1),
])
def test_a_front_matter_edit_is_left_to_the_rebuild(make_site, edit):
    site, session = make_project(make_site)
    path = site.root / "content" / "ar" / "first.md"
    path.write_text(edit(path.read_text(encoding="utf-8")) + "\nنص جديد.\n", encoding="utf-8")
    assert render_edited(session.plan, path) is None


@pytest.mark.parametrize(("before", "after"), [("{a: 1, b: 2}", "{a: true, b: 2}"), ("{a: 1, b: 2}", "{a: 1.0, b: 2}"),
                                               ("{a: 1, b: 2}", "{b: 2, a: 1}")])
def test_extra_values_equal_in_python_but_written_otherwise_are_left_to_the_rebuild(make_site, before, after):
    site, session = make_project(make_site)
    path = site.root / "content" / "ar" / "first.md"
    path.write_text(path.read_text(encoding="utf-8").replace("---\n", f"---\nextra: {before}\n", 1), encoding="utf-8")
    rebuild(site, session)
    path.write_text(path.read_text(encoding="utf-8").replace(f"extra: {before}", f"extra: {after}"), encoding="utf-8")
    assert render_edited(session.plan, path) is None


def test_a_body_slow_to_convert_is_left_to_the_rebuild(make_site, monkeypatch):
    from generator import fast_render
    site, session = make_project(make_site)
    path = site.root / "content" / "ar" / "first.md"
    monkeypatch.setattr(fast_render, "FAST_TIME_LIMIT", 0.01)
    with_body(site, path, "\n\n".join(f"فقرة رقم {number} فيها *تأكيد* و[رابط](https://x.org/{number})."
                                      for number in range(20_000)))
    assert render_edited(session.plan, path) is None
    with_body(site, path, "نص قصير.")
    assert render_edited(session.plan, path) is not None  # a new converter, the interrupted one dropped


def test_a_new_image_is_left_to_the_rebuild(make_site):
    site, session = make_project(make_site)
    path = site.root / "content" / "ar" / "first.md"
    with_body(site, path, "نص.\n\n![صورة](https://example.org/a.png)\n")
    assert render_edited(session.plan, path) is None


def test_files_that_are_no_article_of_the_last_build_are_left_to_the_rebuild(make_site):
    site, session = make_project(make_site)
    new = site.article("ar", "fourth", title="جديد")
    assert render_edited(session.plan, new) is None
    path = site.root / "content" / "ar" / "first.md"
    path.write_bytes(path.read_bytes().replace("نص المقال الأول".encode(), b"\xff\xfe broken"))
    assert render_edited(session.plan, path) is None
    path.unlink()
    assert render_edited(session.plan, path) is None


def test_a_failed_build_keeps_no_plan_and_a_good_one_keeps_it_again(make_site):
    site, session = make_project(make_site)
    assert session.plan is not None
    path = site.root / "content" / "ar" / "second.md"
    good = path.read_text(encoding="utf-8")
    path.write_text(good.replace("date: 2017-09-29", "date: 2017-13-45"), encoding="utf-8")
    with pytest.raises(Exception):
        build(site.root, serve_options(site.root / "output"), session)
    assert session.plan is None
    path.write_text(good, encoding="utf-8")
    rebuild(site, session)
    assert session.plan is not None


def test_templates_are_made_once_per_theme_not_once_per_build(make_site):
    site, session = make_project(make_site)
    prepare(session.plan)
    environments = session.plan.environments
    assert set(environments) == {"ar", "en"} and session.plan.converters
    with_body(site, site.root / "content" / "ar" / "second.md", "نص آخر.")
    rebuild(site, session)
    assert session.plan.environments is environments
    template = site.root / "themes" / "default" / "templates" / "article.html"
    template.write_text(template.read_text(encoding="utf-8") + "{# changed #}\n", encoding="utf-8")
    rebuild(site, session)
    assert session.plan.environments == {}
