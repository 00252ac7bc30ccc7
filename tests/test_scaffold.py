"""`new`: a draft article with complete front matter, a slug unique in its language, and translations."""

from __future__ import annotations

import datetime
import errno
import hashlib
import io
import os

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from generator import scaffold
from generator.config import MAX_SLUG_BYTES, load_config
from generator.content import load_articles, parse_front_matter, read_article
from generator.errors import BuildError
from generator.importer import SeedError, parse_seed, title_slug
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


def test_an_existing_slug_is_refused_and_force_adds_another(make_site):
    site = make_site()
    site.article("ar", "mdawlat-dwlya")  # an older article holds the slug, in another folder
    config = load_config(site.root)
    with pytest.raises(BuildError) as raised:
        new_article(config, "مداولات دولية", "ar", None, TODAY)
    assert problems_of(raised) == ['content/ar/mdawlat-dwlya.md:1: already an "ar" article with the slug '
                                   '"mdawlat-dwlya" (title "عنوان"); run new with --force to start another one']
    assert not (site.root / "content" / "ar" / "2024").exists() or not any((site.root / "content" / "ar" / "2024").iterdir())
    second = new_article(config, "مداولات دولية", "ar", None, TODAY, force=True)
    third = new_article(config, "مداولات دولية", "ar", None, TODAY, force=True)
    assert (second.name, third.name) == ("mdawlat-dwlya-2.md", "mdawlat-dwlya-3.md")
    assert parse_front_matter(third.read_text(encoding="utf-8"))[0]["slug"] == "mdawlat-dwlya-3"
    english = new_article(config, "Hello World", "en", None, TODAY)
    assert english == site.root / "content" / "en" / "2024" / "hello-world.md"
    assert load_articles(config, include_drafts=True)[1] == []


def test_new_run_twice_refuses_the_second_time(make_site):
    site = make_site()
    config = load_config(site.root)
    first = new_article(config, "Hello World", "en", None, TODAY)
    with pytest.raises(BuildError) as raised:
        new_article(config, "  hello   world ", "en", None, TODAY)
    assert problems_of(raised) == ['content/en/2024/hello-world.md:1: already an "en" article with the slug '
                                   '"hello-world" (title "Hello World"); run new with --force to start another one']
    assert first.read_text(encoding="utf-8").startswith("---\ntitle: Hello World\n")
    # The same title in another language is not a namesake (its slug is taken there as a translation_key).
    assert new_article(config, "Hello World", "ar", None, TODAY).name == "hello-world-2.md"


def test_the_same_title_once_normalised_is_refused_whatever_its_slug(make_site):
    site = make_site()
    toml = site.root / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('# slug_style = "ascii"', 'slug_style = "arabic"'),
                    encoding="utf-8")
    config = load_config(site.root)
    assert config.slug_style == "arabic"
    site.write("content/ar/2019/crisis.md", "---\ntitle: أزمة  المياه\nslug: crisis\ndate: 2019-01-01\n---\nنص.\n")
    site.article("ar", "talks", title="مداولات دوليّة")  # shadda
    for title, existing, slug in (("ازمة المياه", "content/ar/2019/crisis.md", "crisis"),  # hamza, spacing
                                  ("مداولات دولية", "content/ar/talks.md", "talks")):
        with pytest.raises(BuildError) as raised:
            new_article(config, title, "ar", None, TODAY)
        written = parse_front_matter((site.root / existing).read_text(encoding="utf-8"))[0]["title"]
        assert problems_of(raised) == [f'{existing}:1: already an "ar" article with the title "{written}" '
                                       f'(slug "{slug}"); run new with --force to start another one']
    assert new_article(config, "ازمة المياه", "ar", None, TODAY, force=True).name == "ازمة-المياه.md"


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
    html = site.read("en/2017/09/the-original/index.html")  # dated as its original
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
        new_article(config, " \u200f\u200e\x07 ", "ar", None, TODAY)
    assert problems_of(raised) == ['content/ar:1: the title is empty']
    with pytest.raises(BuildError) as raised:
        new_article(config, "caf\udce9", "ar", None, TODAY)  # "café" in Latin-1, read from a UTF-8 terminal
    assert problems_of(raised) == ['content/ar:1: the title is not valid UTF-8 text']
    new_article(config, "First translation", "en", "asl", TODAY)
    with pytest.raises(BuildError) as raised:
        new_article(config, "Second translation", "en", "asl", TODAY)
    assert problems_of(raised) == ['content/en/2017/first-translation.md:1: already the "en" translation of '
                                   'content/ar/asl.md (translation_key "asl")']
    assert sorted(p.name for p in (site.root / "content" / "en" / "2017").iterdir()) == ["first-translation.md"]


def test_run_new_prints_the_path_or_the_problems(make_site):
    site = make_site()
    out, err = io.StringIO(), io.StringIO()
    assert run_new(site.root, "مقال", None, None, out, err, today=TODAY) == 0
    assert (out.getvalue(), err.getvalue()) == ("content/ar/2024/mqal.md\n", "")
    out, err = io.StringIO(), io.StringIO()
    assert run_new(site.root, "Article", "de", None, out, err, today=TODAY) == 1
    assert (out.getvalue(), err.getvalue()) == (
        "", f'site.toml:{languages_line(site)}: language "de" is not configured; configured: ar, en\n')
    out, err = io.StringIO(), io.StringIO()
    assert run_new(site.root, "مقال", None, None, out, err, today=TODAY) == 1
    assert (out.getvalue(), err.getvalue()) == ("", 'content/ar/2024/mqal.md:1: already an "ar" article with the '
                                                    'slug "mqal" (title "مقال"); run new with --force to start '
                                                    'another one\n')
    out, err = io.StringIO(), io.StringIO()
    assert run_new(site.root, "مقال", None, None, out, err, today=TODAY, force=True) == 0
    assert (out.getvalue(), err.getvalue()) == ("content/ar/2024/mqal-2.md\n", "")


def test_run_new_reports_a_file_it_cannot_write(make_site, monkeypatch):
    site = make_site()

    def full_disk(path, text):
        raise OSError(errno.ENOSPC, "No space left on device", str(path))

    monkeypatch.setattr(scaffold, "create_whole", full_disk)
    out, err = io.StringIO(), io.StringIO()
    assert run_new(site.root, "مقال", None, None, out, err, today=TODAY) == 1
    assert (out.getvalue(), err.getvalue()) == ("", "content/ar/2024/mqal.md: cannot write: No space left on device\n")


def test_an_interrupted_new_leaves_no_file_behind(make_site, monkeypatch):
    """The text goes to a hidden temporary first and is linked into place whole: a kill or a full disk
    while writing never leaves a half-written article for the next build to choke on."""
    site = make_site()

    def killed(source, target):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "link", killed)
    with pytest.raises(KeyboardInterrupt):
        new_article(load_config(site.root), "مقال", "ar", None, TODAY)
    assert list((site.root / "content" / "ar" / "2024").iterdir()) == []
    monkeypatch.undo()
    path = new_article(load_config(site.root), "مقال", "ar", None, TODAY)
    assert sorted(p.name for p in path.parent.iterdir()) == ["mqal.md"]


def digest_slug(title: str) -> str:
    return "article-" + hashlib.sha256(title.encode("utf-8")).hexdigest()[:8]


def test_titles_without_letters_are_named_by_a_digest_as_import_names_them(make_site):
    site = make_site()
    config = load_config(site.root)
    for title in ("؟؟؟", "!!!", "😀🎉", "«»", "...—..."):
        path = new_article(config, title, "ar", None, TODAY)
        assert path.stem == digest_slug(title) == title_slug(title, "ascii", hashlib.sha256(title.encode()).hexdigest())
        assert parse_front_matter(path.read_text(encoding="utf-8"))[0]["title"] == title
    assert digest_slug("؟؟؟") == "article-c9e4703c"  # deterministic: the same title, the same slug, always
    with pytest.raises(BuildError) as raised:
        new_article(config, "؟؟؟", "ar", None, TODAY)
    assert problems_of(raised) == ['content/ar/2024/article-c9e4703c.md:1: already an "ar" article with the slug '
                                   '"article-c9e4703c" (title "؟؟؟"); run new with --force to start another one']
    articles, problems = load_articles(config, include_drafts=True)
    assert problems == [] and len(articles) == 5


TRICKY_TITLES = (
    "yes", "null", "~", "- a", "#x", ": x", "a: b", "a #b", "[x]", "{y: 1}", "&anchor", "*alias", "!tag", "%x",
    "@x", "`x`", "'single' \"double\"", '"', "'", "0x10", "1e3", "2024-01-01", "12:30", "---", "...", "|", ">",
    "قال: «لا»", "\u200fمقال\u200f عن \u202bالحرب\u202c", "تقرير Global Risks 2024 عن ٢٠٢٣", "a\x07b\x1b[31m",
    "line\nbreak\u2028and\x85more", "ﻻ ﷲ presentation forms", "tab\there",
)


def test_tricky_titles_round_trip_through_the_front_matter(make_site):
    site = make_site()
    config = load_config(site.root)
    expected = {}
    for title in TRICKY_TITLES:
        path = new_article(config, title, "ar", None, TODAY, force=True)
        expected[path.stem] = scaffold.clean_title(title)
    articles, problems = load_articles(config, include_drafts=True)
    assert problems == []
    assert {article.slug: article.title for article in articles} == expected
    assert expected["mqal-an-al-hrb"] == "مقال عن الحرب"  # the bidi marks go, as import drops them
    assert expected["tqryr-global-risks-2024-an-2023"] == "تقرير Global Risks 2024 عن ٢٠٢٣"
    assert "ab[31m" in expected.values()  # control characters go, as import drops them
    assert "line break and more" in expected.values()
    assert site.build("--drafts", "--strict").code == 0


def test_a_long_title_gives_a_slug_within_the_limit(make_site):
    site = make_site()
    config = load_config(site.root)
    arabic, latin = "مداولات دولية حول مرحلة ما بعد سقوط التنظيم " * 12, "International deliberations " * 18
    assert len(arabic) >= 500 and len(latin) >= 500
    for title in (arabic, latin, "ب" * 500, "x" * 500):
        path = new_article(config, title, "ar", None, TODAY, force=True)
        assert 0 < len(path.stem.encode("utf-8")) <= MAX_SLUG_BYTES
        assert read_article(path, "x.md", "ar", problems := []).title == " ".join(title.split()) and problems == []
    toml = site.root / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('# slug_style = "ascii"', 'slug_style = "arabic"'),
                    encoding="utf-8")
    path = new_article(load_config(site.root), "ب" * 500, "en", None, TODAY)
    assert 0 < len(path.stem.encode("utf-8")) <= MAX_SLUG_BYTES
    assert load_articles(load_config(site.root), include_drafts=True)[1] == []


SEED_LABELS = "\nالكاتب: المرصد\nالتاريخ: 28 سبتمبر 2017\n\nنص المقال.\n"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\r\n"), min_size=1, max_size=80))
def test_every_title_import_accepts_new_accepts_and_reads_back(make_site, tmp_path, text):
    # One site for every example (each example removes its file): copying the theme 150 times is slow.
    root = tmp_path / "site" if (tmp_path / "site" / "site.toml").is_file() else make_site().root
    config = load_config(root)
    try:
        seed = parse_seed(text + SEED_LABELS, "seed.txt")
    except SeedError:
        assume(False)
    path = new_article(config, seed.title, "ar", None, TODAY, force=True)
    try:
        problems = []
        article = read_article(path, "content/ar/2024/x.md", "ar", problems)
        assert problems == []
        assert article.title == " ".join(seed.title.split())
        digest = hashlib.sha256(article.title.encode("utf-8")).hexdigest()
        assert article.slug.startswith(title_slug(seed.title, config.slug_style, digest))
    finally:
        path.unlink()


def test_translation_of_carries_date_tags_and_author(make_site):
    site = make_site()
    site.article("ar", "asl", title="الأصل", date="2017-09-28",
                 tags="سوريا, داعش, سورية, Syria, اللاجئون", extra="author: مركز الدراسات\ntranslation_key: report-47")
    site.write("content/ar/asl.md", (site.root / "content/ar/asl.md").read_text(encoding="utf-8")
               .replace("author: المرصد\n", ""))
    config = load_config(site.root)
    path = new_article(config, "The Original", "en", "asl", TODAY)
    assert path == site.root / "content" / "en" / "2017" / "the-original.md"
    assert path.read_text(encoding="utf-8") == (
        "---\ntitle: The Original\nslug: the-original\nlang: en\ndate: 2017-09-28\nauthor: مركز الدراسات\n"
        "tags:\n- Syria\n- ISIS\n- سورية\n- اللاجئون\nsummary: ''\ntranslation_key: report-47\ndraft: true\n---\n\n"
        "Write the article here.\n")
    # And back: an English original's vocabulary tags get their Arabic names.
    site.write("content/en/2018/raqqa.md", "---\ntitle: Raqqa\nslug: raqqa\ndate: 2018-02-03\nauthor: Desk\n"
                                           "tags: [united-states, Iraq, Refugees]\n---\nText.\n")
    meta = parse_front_matter(new_article(config, "الرقة", "ar", "raqqa", TODAY).read_text(encoding="utf-8"))[0]
    assert (meta["date"], meta["author"], meta["tags"], meta["translation_key"]) == (
        "2018-02-03", "Desk", ["الولايات المتحدة", "العراق", "Refugees"], "raqqa")
    assert site.build("--drafts").code == 0


def test_translation_of_an_article_that_cannot_be_read_says_why(make_site):
    site = make_site()
    site.write("content/ar/broken.md", "---\ntitle: مكسور\nslug: broken\ndate: 2017-13-40\n---\nنص.\n")
    with pytest.raises(BuildError) as raised:
        new_article(load_config(site.root), "Broken", "en", "broken", TODAY)
    [problem] = problems_of(raised)
    assert problem.startswith("content/ar/broken.md:4: ")
    assert not (site.root / "content" / "en").exists() or list((site.root / "content" / "en").rglob("*.md")) == []


def test_the_command_line_refuses_a_second_new_and_force_adds_one(make_site):
    from tests.conftest import run_cli

    site = make_site()
    first = run_cli("new", "--root", str(site.root), "--lang", "en", "Hello: World")
    assert (first.code, first.err) == (0, "")
    path = first.out.strip()
    again = run_cli("new", "--root", str(site.root), "--lang", "en", "hello: world")
    assert (again.code, again.out, again.err) == (
        1, "", f'{path}:1: already an "en" article with the slug "hello-world" (title "Hello: World"); '
               "run new with --force to start another one\n")
    forced = run_cli("new", "--root", str(site.root), "--lang", "en", "--force", "hello: world")
    assert (forced.code, forced.out, forced.err) == (0, path.replace("hello-world.md", "hello-world-2.md") + "\n", "")


def test_the_refusal_quotes_a_title_holding_quotes_so_it_can_be_read(make_site):
    # 'title "قال "لا""' could not be told apart from the message's own quotes.
    site = make_site()
    site.write("content/en/2019/no.md", '---\ntitle: \'He said "no" \\ left\'\nslug: he-said-no-left\n'
                                        'date: 2019-01-01\n---\nText.\n')
    config = load_config(site.root)
    with pytest.raises(BuildError) as raised:
        new_article(config, 'He said "no" \\ left', "en", None, TODAY)
    assert problems_of(raised) == ['content/en/2019/no.md:1: already an "en" article with the slug "he-said-no-left" '
                                   '(title "He said \\"no\\" \\\\ left"); run new with --force to start another one']
