"""`new`: a draft article with complete front matter, a slug unique in its language, and translations."""

from __future__ import annotations

import datetime
import io

import pytest

from generator.config import load_config
from generator.content import load_articles, parse_front_matter
from generator.errors import BuildError
from generator.scaffold import new_article, run_new

TODAY = datetime.date(2024, 3, 5)


def languages_line(site) -> int:
    """Where site.toml's [languages.*] tables start (the shipped file may grow above them)."""
    lines = (site.root / "site.toml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if line.startswith("[languages"))


def problems_of(raised: pytest.ExceptionInfo[BuildError]) -> list[str]:
    return [str(problem) for problem in raised.value.problems]


def test_a_new_article_is_a_loadable_draft_in_its_year_folder(make_site):
    site = make_site()
    config = load_config(site.root)
    path = new_article(config, "  مداولات   دولية ", "ar", None, TODAY)
    assert path == site.root / "content" / "ar" / "2024" / "mdawlat-dwlya.md"
    text = path.read_text(encoding="utf-8")
    assert text == ("---\ntitle: مداولات دولية\nslug: mdawlat-dwlya\nlang: ar\ndate: 2024-03-05\nauthor: ''\n"
                    "tags: []\nsummary: ''\ntranslation_key: mdawlat-dwlya\ndraft: true\n---\n\n"
                    "اكتب نص المقال هنا.\n")
    articles, problems = load_articles(config, include_drafts=True)
    assert problems == []
    [article] = articles
    assert (article.title, article.slug, article.date, article.draft) == ("مداولات دولية", "mdawlat-dwlya", TODAY, True)
    assert load_articles(config)[0] == []  # a draft until the writer says otherwise
    assert site.build("--drafts").code == 0


def test_slugs_are_unique_within_the_language(make_site):
    site = make_site()
    site.article("ar", "mdawlat-dwlya")  # an older article holds the slug, in another folder
    config = load_config(site.root)
    second = new_article(config, "مداولات دولية", "ar", None, TODAY)
    third = new_article(config, "مداولات دولية", "ar", None, TODAY)
    assert (second.name, third.name) == ("mdawlat-dwlya-2.md", "mdawlat-dwlya-3.md")
    assert parse_front_matter(third.read_text(encoding="utf-8"))[0]["slug"] == "mdawlat-dwlya-3"
    english = new_article(config, "Hello World", "en", None, TODAY)
    assert english == site.root / "content" / "en" / "2024" / "hello-world.md"
    assert load_articles(config, include_drafts=True)[1] == []


def test_a_file_with_the_slug_as_name_is_never_overwritten(make_site):
    site = make_site()
    existing = site.write("content/ar/2024/mdawlat-dwlya.md", "---\ntitle: x\nslug: other\ndate: 2024-01-01\n---\nmine\n")
    path = new_article(load_config(site.root), "مداولات دولية", "ar", None, TODAY)
    assert path.name == "mdawlat-dwlya-2.md"
    assert existing.read_text(encoding="utf-8").endswith("mine\n")


def test_a_slug_never_reuses_a_translation_key_of_another_language(make_site):
    site = make_site()
    site.write("content/en/hello-world.md", "---\ntitle: Hello\nslug: hello-world\ndate: 2024-01-01\n---\n")
    path = new_article(load_config(site.root), "Hello World", "ar", None, TODAY)
    assert path.name == "hello-world-2.md"


def test_translation_of_shares_the_original_translation_key(make_site):
    site = make_site()
    site.article("ar", "asl", title="الأصل", extra="translation_key: report-47")
    config = load_config(site.root)
    path = new_article(config, "The Original", "en", "asl", TODAY)
    meta = parse_front_matter(path.read_text(encoding="utf-8"))[0]
    assert (meta["slug"], meta["lang"], meta["translation_key"]) == ("the-original", "en", "report-47")
    assert site.build("--drafts").code == 0
    html = site.read("en/2024/03/the-original/index.html")
    assert 'hreflang="ar"' in html and "/ar/2017/09/asl/" in html


def test_translation_of_an_article_without_a_key_uses_its_slug(make_site):
    site = make_site()
    site.article("ar", "asl")
    path = new_article(load_config(site.root), "Original", "en", "asl", TODAY)
    assert parse_front_matter(path.read_text(encoding="utf-8"))[0]["translation_key"] == "asl"


def test_errors(make_site):
    site = make_site()
    site.article("ar", "asl")
    config = load_config(site.root)
    with pytest.raises(BuildError) as raised:
        new_article(config, "Titre", "fr", None, TODAY)
    assert problems_of(raised) == [f'site.toml:{languages_line(site)}: language "fr" is not configured; configured: ar, en']
    with pytest.raises(BuildError) as raised:
        new_article(config, "Title", "en", "x", TODAY)
    assert problems_of(raised) == ['content:1: no article with slug "x" to translate']
    with pytest.raises(BuildError) as raised:
        new_article(config, "عنوان", "ar", "asl", TODAY)
    assert problems_of(raised) == ['content:1: no article with slug "asl" to translate '
                                   '(content/ar/ has it: a translation goes into another language)']
    with pytest.raises(BuildError) as raised:
        new_article(config, "؟!", "ar", None, TODAY)
    assert problems_of(raised) == ['content/ar:1: title "؟!" has no letters or digits to make a slug from']
    new_article(config, "First translation", "en", "asl", TODAY)
    with pytest.raises(BuildError) as raised:
        new_article(config, "Second translation", "en", "asl", TODAY)
    assert problems_of(raised) == ['content/en/2024/first-translation.md:1: already the "en" translation of '
                                   'content/ar/asl.md (translation_key "asl")']
    assert sorted(p.name for p in (site.root / "content" / "en" / "2024").iterdir()) == ["first-translation.md"]


def test_run_new_prints_the_path_or_the_problems(make_site):
    site = make_site()
    out, err = io.StringIO(), io.StringIO()
    assert run_new(site.root, "مقال", None, None, out, err, today=TODAY) == 0
    assert (out.getvalue(), err.getvalue()) == ("content/ar/2024/mqal.md\n", "")
    out, err = io.StringIO(), io.StringIO()
    assert run_new(site.root, "Article", "de", None, out, err, today=TODAY) == 1
    assert (out.getvalue(), err.getvalue()) == (
        "", f'site.toml:{languages_line(site)}: language "de" is not configured; configured: ar, en\n')
