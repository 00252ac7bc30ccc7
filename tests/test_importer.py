"""Tests for generator.importer: seed parsing, Markdown escaping, and importing into content/."""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import json
import os
import shutil
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from generator.arabic import transliterate
from generator.config import Config, Language, TagDef
from generator.content import load_articles
from generator.errors import Problem
from generator.importer import (
    STAGING_PREFIX,
    ImportReport,
    Seed,
    SeedError,
    decode_seed,
    escape_markdown,
    import_seeds,
    parse_seed,
    render_markdown,
    seed_text_digest,
    unescape_markdown,
)
from tests.conftest import REPO, run_cli

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "seeds" / "000_a58e77fe3571adb0.txt"
FIXTURES = Path(__file__).resolve().parent / "data" / "seeds"
SAMPLE_TITLE = 'مداولات دولية حول مرحلة ما بعد سقوط "داعش"'
# The extensions generator/markup.py uses, so escaping is checked against the real renderer.
EXTENSIONS = ["tables", "footnotes", "toc", "sane_lists"]

VOCABULARY = (
    TagDef(slug="daesh", names={"ar": "داعش", "en": "ISIS"}, words=("داعش", "تنظيم الدولة")),
    TagDef(slug="syria", names={"ar": "سوريا", "en": "Syria"}, words=("سوريا", "دمشق")),
    TagDef(slug="iraq", names={"ar": "العراق", "en": "Iraq"}, words=("العراق", "بغداد")),
    TagDef(slug="russia", names={"ar": "روسيا", "en": "Russia"}, words=("روسيا", "الروس", "موسكو")),
    TagDef(
        slug="usa",
        names={"ar": "الولايات المتحدة", "en": "United States"},
        words=("أمريكي", "الأمريكيين", "واشنطن"),
    ),
    TagDef(slug="egypt", names={"ar": "مصر", "en": "Egypt"}, words=("مصر", "القاهرة")),
    TagDef(slug="geneva", names={"ar": "جنيف", "en": "Geneva"}, words=("Geneva", "جنيف")),
)


def make_config(root: Path) -> Config:
    """A two-language site rooted at root, with the test tag vocabulary."""
    languages = (
        Language(code="ar", locale="ar", digits="latn", name="العربية", direction="rtl", title="t", description="d"),
        Language(code="en", locale="en", digits="latn", name="English", direction="ltr", title="t", description="d"),
    )
    return Config(root=root, base_url="/", languages=languages, default_language="ar", tags=VOCABULARY)


def parse_fixture(name: str) -> Seed:
    """Parse a fixture seed from tests/data/seeds/ the way import_seeds reads it (bytes as UTF-8)."""
    return parse_seed((FIXTURES / name).read_bytes().decode("utf-8"), name)


def site_with_seeds(tmp_path: Path, *names: str) -> Config:
    """A site in tmp_path whose seeds/ holds the sample and/or the named fixtures."""
    seeds = tmp_path / "seeds"
    seeds.mkdir()
    for name in names:
        source = SAMPLE if name == SAMPLE.name else FIXTURES / name
        shutil.copyfile(source, seeds / name)
    return make_config(tmp_path)


def front_matter(path: Path) -> dict:
    """The YAML front matter of a written content file."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n")
    return yaml.safe_load(text.split("---\n", 2)[1])


def body_of(path: Path) -> str:
    """The Markdown body of a written content file."""
    return path.read_text(encoding="utf-8").split("---\n", 2)[2]


def folder_fingerprint(folder: Path) -> dict[str, tuple[str, int]]:
    """Every file under folder with its content hash and modification time."""
    return {
        path.relative_to(folder).as_posix(): (hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns)
        for path in sorted(folder.rglob("*"))
    }


class TextAndTags(HTMLParser):
    """Collects the tag names and the visible text of rendered HTML."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append(tag)

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def render(block: str) -> TextAndTags:
    """Render a Markdown block as the site would and parse the resulting HTML."""
    parser = TextAndTags()
    parser.feed(markdown.markdown(block, extensions=EXTENSIONS))
    return parser


# ---------------------------------------------------------------------------
# The sample seed
# ---------------------------------------------------------------------------


def test_sample_seed_header_footer_and_sources() -> None:
    seed = parse_seed(SAMPLE.read_text(encoding="utf-8"), SAMPLE.name)
    assert seed.title == SAMPLE_TITLE
    assert seed.author == "المرصد الاستراتيجي"
    assert seed.date == datetime.date(2017, 9, 28)
    assert seed.views == 4620
    assert seed.lang == "ar"
    assert seed.report_title == "التقرير الاستراتيجي العدد 47"
    assert seed.report_by == "المرصد الاستراتيجي"
    assert seed.sources == ()
    assert seed.name == SAMPLE.name


def test_sample_seed_joins_the_paragraph_broken_inside_a_quotation() -> None:
    seed = parse_seed(SAMPLE.read_text(encoding="utf-8"), SAMPLE.name)
    assert len(seed.paragraphs) == 6
    broken = [p for p in seed.paragraphs if "لصالح القوات" in p]
    assert len(broken) == 1
    assert "لصالح القوات الحكومية، التي ستحصل على تفوق غير مشكوك فيه\"." in broken[0]
    assert broken[0].startswith("وكان الرئيس الروسي بوتين")
    # The footer and the sources label are not body text.
    assert not any("للاطلاع" in p or "المصادر" in p for p in seed.paragraphs)


def test_sample_seed_imports_with_tags_and_loads_cleanly(tmp_path: Path) -> None:
    config = site_with_seeds(tmp_path, SAMPLE.name)
    report = import_seeds(config)
    slug = transliterate(SAMPLE_TITLE)
    path = tmp_path / "content" / "ar" / "2017" / f"{slug}.md"
    assert report == ImportReport(created=(path,), skipped=(), problems=())
    meta = front_matter(path)
    assert list(meta) == [
        "title", "slug", "lang", "date", "author", "views", "tags", "summary", "report", "sources",
        "translation_key", "seed", "seed_sha256",
    ]
    assert meta["tags"] == ["داعش", "سوريا", "العراق", "روسيا", "الولايات المتحدة"]
    assert meta["date"] == datetime.date(2017, 9, 28)
    assert meta["report"] == {"title": "التقرير الاستراتيجي العدد 47", "prepared_by": "المرصد الاستراتيجي"}
    assert meta["seed_sha256"] == hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    assert meta["translation_key"] == meta["slug"] == slug
    # The content loader (the next pipeline stage) accepts what the importer wrote.
    articles, problems = load_articles(config)
    assert problems == []
    assert [(a.title, a.slug, a.date) for a in articles] == [(SAMPLE_TITLE, slug, datetime.date(2017, 9, 28))]



def test_a_seed_without_some_labels_imports_into_an_article_the_build_reads(tmp_path: Path) -> None:
    """Any header label may be missing: the article must load all the same (a seed without views once gave
    `views: null`, which the content reader refuses, and every build stopped on it)."""
    config = site_with_seeds(tmp_path, "missing_labels.txt")
    report = import_seeds(config)
    assert report.problems == () and len(report.created) == 1
    meta = front_matter(report.created[0])
    assert "views" not in meta and meta["author"] is None
    articles, problems = load_articles(config)
    assert problems == [] and [(a.author, a.views) for a in articles] == [(None, None)]
    (tmp_path / "seeds" / "views_only.txt").write_text("عنوان آخر التاريخ: 3 مارس 2019 المشاهدات: 1٬234\n\nفقرة.\n",
                                                            encoding="utf-8")
    report = import_seeds(config)
    assert report.problems == () and front_matter(report.created[0])["views"] == 1234


def test_an_import_removes_the_staging_folders_of_killed_imports(tmp_path: Path) -> None:
    config = site_with_seeds(tmp_path, "missing_labels.txt")
    leftover = tmp_path / "content" / f"{STAGING_PREFIX}99999999"
    leftover.mkdir(parents=True)
    (leftover / "seed-1.tmp").write_text("half an article", encoding="utf-8")
    report = import_seeds(config)
    assert report.problems == () and len(report.created) == 1
    assert sorted(p.name for p in (tmp_path / "content").iterdir()) == ["ar"]

# ---------------------------------------------------------------------------
# Header variants and text clean-up
# ---------------------------------------------------------------------------


def test_labels_on_separate_lines_with_arabic_indic_digits() -> None:
    seed = parse_fixture("separate_lines.txt")
    assert seed.title == "عنوان على سطر وحده"
    assert seed.author == "مركز الدراسات"
    assert seed.date == datetime.date(2019, 3, 3)
    assert seed.views == 3217
    assert seed.paragraphs == ("نص المقال الأول.",)


def test_missing_labels_are_none() -> None:
    seed = parse_fixture("missing_labels.txt")
    assert (seed.title, seed.author, seed.views) == ("عنوان بلا كاتب", None, None)
    assert seed.date == datetime.date(2019, 3, 3)
    assert (seed.report_title, seed.report_by, seed.sources) == (None, None, ())


def test_views_with_thousands_separators() -> None:
    for written in ("4,620", "٤٬٦٢٠", "٤٦٢٠"):
        seed = parse_seed(f"عنوان المشاهدات: {written}\n\nنص.\n", "v.txt")
        assert seed.views == 4620


def test_title_containing_a_label_word_keeps_it() -> None:
    seed = parse_seed("دروس التاريخ: قراءة جديدة الكاتب: أ التاريخ: 1 يناير 2020\n\nنص.\n", "t.txt")
    assert seed.title == "دروس التاريخ: قراءة جديدة"
    assert seed.date == datetime.date(2020, 1, 1)


def test_crlf_bom_and_bidi_marks_are_removed() -> None:
    raw = (FIXTURES / "crlf_bom.txt").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    seed = parse_fixture("crlf_bom.txt")
    assert seed.title == "عنوان ويندوز"
    assert seed.views == 7
    assert seed.paragraphs == ("سطر أول سطر ثان.", "فقرة ثانية.")


def test_crlf_keeps_line_numbers_for_errors() -> None:
    text = "\ufeffعنوان\r\nالكاتب: أ\r\n\r\nالمشاهدات: كثيرة\r\n\r\nنص.\r\n"
    with pytest.raises(SeedError) as caught:
        parse_seed(text, "x.txt")
    assert caught.value.line == 4


def test_presentation_forms_are_normalised_and_tagged(tmp_path: Path) -> None:
    seed = parse_fixture("presentation_forms.txt")
    assert seed.title == "داعش في العراق"
    assert seed.paragraphs == ("لا نقاش في ذلك.",)
    config = site_with_seeds(tmp_path, "presentation_forms.txt")
    (path,) = import_seeds(config).created
    assert front_matter(path)["tags"] == ["داعش", "العراق"]


def test_english_seed() -> None:
    seed = parse_fixture("english.txt")
    assert seed.lang == "en"
    assert seed.title == "Post-ISIS deliberations: what *next*?"
    assert (seed.author, seed.date, seed.views) == ("Strategic Observatory", datetime.date(2017, 9, 28), 1234)
    assert (seed.report_title, seed.report_by) == ("Strategic Report No. 47", "Strategic Observatory")
    assert seed.sources == (
        "https://example.org/a", "https://example.org/b", "https://example.org/c", "Reuters, 29 September 2017",
    )
    assert seed.paragraphs == (
        "International actors are discussing the phase after the fall of the group, and the talks continue in Geneva.",
        "Background",
        "The talks began in 2016.",
    )


def test_english_seed_imports_under_en_with_english_tag_names(tmp_path: Path) -> None:
    config = site_with_seeds(tmp_path, "english.txt")
    report = import_seeds(config)
    path = tmp_path / "content" / "en" / "2017" / "post-isis-deliberations-what-next.md"
    assert report.created == (path,)
    meta = front_matter(path)
    assert meta["lang"] == "en"
    # "ISIS" is the tag's English name (names match as well as words), found in the title.
    assert meta["tags"] == ["ISIS", "Geneva"]
    assert meta["sources"][0] == "https://example.org/a"


def test_footer_with_only_prepared_by_and_sources_on_the_label_line() -> None:
    seed = parse_fixture("joining.txt")
    assert (seed.report_title, seed.report_by) == (None, "وحدة الرصد")
    assert seed.sources == ("مصدر على السطر نفسه", "https://example.org/list-item")


def test_only_the_last_sources_label_starts_the_sources() -> None:
    seed = parse_seed("عنوان الكاتب: أ\n\nالمصادر: متعددة في هذا الملف.\n\nنص.\n\nالمصادر:\nhttps://a.test\n", "s.txt")
    assert seed.paragraphs == ("المصادر: متعددة في هذا الملف.", "نص.")
    assert seed.sources == ("https://a.test",)


# ---------------------------------------------------------------------------
# Joining and lists
# ---------------------------------------------------------------------------


def test_joining_rules() -> None:
    assert parse_fixture("joining.txt").paragraphs == (
        # A short line without final punctuation is a subheading: kept apart from what follows.
        "الموقف الروسي",
        # A trailing comma continues the sentence.
        "وكان الرئيس قد قال إن الأزمة، تتطلب حلا سياسيا.",
        # An open « is closed in the next block, even though the first ends a sentence.
        "قال الوزير: «إن الحل قريب. ولن ننتظر طويلا».",
        # A long block with no final punctuation continues.
        "فقرة بلا نقطة في آخرها لكنها طويلة بما يكفي لتكون فقرة كاملة وليست عنوانا فرعيا قصيرا وهذه فقرة تكملها.",
        "نهاية.",
    )


def test_paragraphs_ending_sentences_stay_apart() -> None:
    seed = parse_seed("عنوان الكاتب: أ\n\nجملة تامة.\n\nجملة أخرى؟\n\nوثالثة: \n\nرابعة\n", "s.txt")
    assert seed.paragraphs == ("جملة تامة.", "جملة أخرى؟", "وثالثة:", "رابعة")


def test_lists() -> None:
    seed = parse_fixture("lists.txt")
    assert seed.paragraphs == (
        "هناك أسباب عدة:",
        "1. الأول\n2. الثاني\n3. الثالث",
        "وهناك نقاط أخرى:",
        "- نقطة أ\n- نقطة ب\n- نقطة ج\n- نقطة د",
        "1. بند عربي\n2. بند عربي ثان",
        "- بند طويل يكمل هنا.",
        "خاتمة.",
    )
    html_text = markdown.markdown("\n\n".join(seed.paragraphs), extensions=EXTENSIONS)
    assert html_text.count("<ol>") == 2 and html_text.count("<ul>") == 2
    assert html_text.count("<li>") == 10


def test_a_year_at_a_line_start_is_not_a_list() -> None:
    seed = parse_seed("عنوان الكاتب: أ\n\n2017- 2018 كانتا سنتين صعبتين.\n", "y.txt")
    assert seed.paragraphs == ("2017- 2018 كانتا سنتين صعبتين.",)


# ---------------------------------------------------------------------------
# Escaping
# ---------------------------------------------------------------------------


def test_escaped_paragraphs_render_exactly_as_written() -> None:
    seed = parse_fixture("escaping.txt")
    source = (FIXTURES / "escaping.txt").read_text(encoding="utf-8")
    originals = [" ".join(block.split("\n")) for block in source.split("\n\n")[1:] if block.strip()]
    assert len(seed.paragraphs) == len(originals) == 10
    for block, original in zip(seed.paragraphs, originals):
        parsed = render(block)
        assert parsed.tags == ["p"], block
        assert "".join(parsed.text) == original.strip()


def test_escaping_keeps_script_as_text() -> None:
    seed = parse_fixture("escaping.txt")
    html_text = markdown.markdown("\n\n".join(seed.paragraphs), extensions=EXTENSIONS)
    assert "&lt;script&gt;" in html_text and "&lt;تحليل&gt;" in html_text
    for tag in ("<script", "<em>", "<strong>", "<h1", "<blockquote>", "<a ", "<img", "<code>", "<table", "<ol", "<ul"):
        assert tag not in html_text


@pytest.mark.parametrize(
    "text",
    ["a\\b", "&amp; <b>", "*x* _y_ `z`", "[a](b) ![c](d)", "# h", "- x", "+ y", "12. z", "> q", "| a |", "~~s~~", "{x}"],
)
def test_escape_round_trip(text: str) -> None:
    escaped = escape_markdown(text)
    assert unescape_markdown(escaped) == text
    assert "".join(render(escaped).text) == text


# ---------------------------------------------------------------------------
# Errors
# ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "line", "message"),
    [
        ("bad_date.txt", 3, 'cannot read date "32 سبتمبر 2017": day is out of range for month'),
        ("bad_views.txt", 1, 'cannot read views "كثيرة": expected a whole number'),
        (
            "no_header.txt",
            2,
            "no header line with الكاتب:/التاريخ:/المشاهدات: (or Author:/Date:/Views:) found; "
            "the first line of a seed is the title followed by these labels",
        ),
        ("empty_title.txt", 1, "empty title: the header line must start with the article's title"),
        ("empty_body.txt", 2, "no article text after the header"),
    ],
)
def test_seed_errors(name: str, line: int, message: str) -> None:
    with pytest.raises(SeedError) as caught:
        parse_fixture(name)
    assert (caught.value.line, caught.value.message, str(caught.value)) == (line, message, message)


def test_empty_seed_is_an_error() -> None:
    with pytest.raises(SeedError, match="the seed is empty"):
        parse_seed(" \n\n", "e.txt")


def test_unparseable_seed_reported_and_others_imported(tmp_path: Path) -> None:
    config = site_with_seeds(tmp_path, SAMPLE.name, "bad_date.txt", "lists.txt")
    report = import_seeds(config)
    assert [str(problem) for problem in report.problems] == [
        'seeds/bad_date.txt:3: cannot read date "32 سبتمبر 2017": day is out of range for month'
    ]
    assert not report.problems[0].is_warning
    assert [path.relative_to(tmp_path).as_posix() for path in report.created] == [
        f"content/ar/2017/{transliterate(SAMPLE_TITLE)}.md",
        "content/ar/2021/qaima-al-asbab.md",
    ]


def test_non_utf8_seed_is_an_error(tmp_path: Path) -> None:
    config = site_with_seeds(tmp_path)
    (tmp_path / "seeds" / "cp1256.txt").write_bytes("عنوان الكاتب: أ\n\nنص.\n".encode("cp1256"))
    report = import_seeds(config)
    assert report.created == ()
    assert [str(p) for p in report.problems] == [
        "seeds/cp1256.txt:1: not UTF-8 text (byte 0xda); save the seed as UTF-8"
    ]


# ---------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------


def test_render_markdown_front_matter_text() -> None:
    seed = Seed(
        title="عنوان", author=None, date=datetime.date(2017, 9, 28), views=None, lang="ar",
        paragraphs=("أولى.", "ثانية."), report_title=None, report_by=None, sources=(), name="s.txt",
    )
    assert render_markdown(seed, "anwan", ["داعش"], "ab12") == (
        "---\n"
        "title: عنوان\n"
        "slug: anwan\n"
        "lang: ar\n"
        "date: 2017-09-28\n"
        "author: null\n"
        "tags:\n"
        "- داعش\n"
        "summary: أولى.\n"
        "report: null\n"
        "sources: []\n"
        "translation_key: anwan\n"
        "seed: s.txt\n"
        "seed_sha256: ab12\n"
        "---\n"
        "\n"
        "أولى.\n"
        "\n"
        "ثانية.\n"
    )


def test_summary_is_plain_text_cut_at_a_word_boundary() -> None:
    words = " ".join(f"كلمة{n}" for n in range(60)) + " *نجمة* <وسم>."
    seed = Seed(
        title="t", author=None, date=None, views=None, lang="ar", paragraphs=(escape_markdown(words),),
        report_title=None, report_by=None, sources=(), name="s.txt",
    )
    summary = yaml.safe_load(render_markdown(seed, "t", [], "0").split("---\n")[1])["summary"]
    assert summary.endswith("…") and len(summary) <= 201
    assert words.startswith(summary[:-1]) and words[len(summary) - 1] == " "
    short = Seed(**{**seed.__dict__, "paragraphs": (escape_markdown("قصير *جدا* <هنا>"),)})
    assert yaml.safe_load(render_markdown(short, "t", [], "0").split("---\n")[1])["summary"] == "قصير *جدا* <هنا>"


# ---------------------------------------------------------------------------
# Importing: skip, warn, force, slugs, seeds/ untouched
# ---------------------------------------------------------------------------


def test_unchanged_seed_is_skipped_and_edited_content_kept(tmp_path: Path) -> None:
    config = site_with_seeds(tmp_path, SAMPLE.name)
    (path,) = import_seeds(config).created
    edited = path.read_text(encoding="utf-8") + "\nفقرة أضافها المحرر.\n"
    path.write_text(edited, encoding="utf-8")
    report = import_seeds(config)
    assert report == ImportReport(created=(), skipped=(tmp_path / "seeds" / SAMPLE.name,), problems=())
    assert path.read_text(encoding="utf-8") == edited


def test_changed_seed_warns_and_leaves_content_alone(tmp_path: Path) -> None:
    config = site_with_seeds(tmp_path, SAMPLE.name)
    (path,) = import_seeds(config).created
    before = path.read_bytes()
    seed = tmp_path / "seeds" / SAMPLE.name
    seed.write_bytes(seed.read_bytes() + "\nمصدر جديد\n".encode())
    report = import_seeds(config)
    rel = path.relative_to(tmp_path).as_posix()
    assert report.created == report.skipped == ()
    assert report.problems == (
        Problem(
            f"seeds/{SAMPLE.name}", 1,
            f"seed changed since import; {rel} left alone (use: python build.py import --force seeds/{SAMPLE.name})",
            is_warning=True,
        ),
    )
    assert str(report.problems[0]).startswith(f"seeds/{SAMPLE.name}:1: warning: seed changed since import; ")
    assert path.read_bytes() == before
    assert sorted(p.name for p in path.parent.iterdir()) == [path.name]


def test_a_renamed_seed_is_not_imported_a_second_time_and_the_warning_says_how_to_name_it(tmp_path: Path) -> None:
    config = site_with_seeds(tmp_path, SAMPLE.name)
    (path,) = import_seeds(config).created
    seed = tmp_path / "seeds" / SAMPLE.name
    renamed = seed.with_name(SAMPLE.stem.upper() + ".TXT")
    seed.rename(renamed)
    report = import_seeds(config)
    rel = path.relative_to(tmp_path).as_posix()
    assert report.created == ()
    assert report.problems == (Problem(
        f"seeds/{renamed.name}", 1,
        f'has the same text as seed "{SAMPLE.name}", imported as {rel} and no longer in seeds/; not imported a '
        f'second time (if you renamed that seed, write seed: "{renamed.name}" in the front matter of {rel})',
        is_warning=True),)
    assert sorted(p.name for p in (tmp_path / "content").rglob("*.md")) == [path.name]
    # Said again by every import until it is dealt with (an import with a problem is not recorded) ...
    assert import_seeds(config).problems == report.problems
    # ... as the warning says: then the seed is the article's again, and a change to it is seen as one.
    path.write_text(path.read_text(encoding="utf-8").replace(f"seed: {SAMPLE.name}", f'seed: "{renamed.name}"'),
                    encoding="utf-8")
    assert import_seeds(config).problems == ()
    renamed.write_bytes(renamed.read_bytes() + "\nمصدر جديد\n".encode())
    assert "seed changed since import" in import_seeds(config).problems[0].message


def test_a_copied_seed_makes_one_article_whichever_comes_first(tmp_path: Path) -> None:
    config = site_with_seeds(tmp_path, SAMPLE.name)
    copy = tmp_path / "seeds" / ("00-copy-" + SAMPLE.name)  # before the original in name order
    copy.write_bytes((tmp_path / "seeds" / SAMPLE.name).read_bytes())
    report = import_seeds(config)
    (path,) = report.created
    assert [problem.path for problem in report.problems] == [f"seeds/{SAMPLE.name}"]
    assert report.problems[0].message.startswith(f'has the same text as seed "{copy.name}", imported as ')
    assert report.problems[0].message.endswith("not imported a second time (delete this copy, or change it to "
                                               "import it as an article of its own)")
    (tmp_path / "seeds" / SAMPLE.name).write_bytes(copy.read_bytes() + "\nفقرة تختلف.\n".encode())
    assert len(import_seeds(config).created) == 1  # no longer the same seed: an article of its own


# The same text as other programs save it: what an archive exported again (another editor, Windows) looks like.
SAVED_AS = {
    "BOM": lambda text: b"\xef\xbb\xbf" + text.encode("utf-8"),
    "CRLF": lambda text: text.replace("\n", "\r\n").encode("utf-8"),
    "CR": lambda text: text.replace("\n", "\r").encode("utf-8"),
    "BOM and CRLF": lambda text: b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"),
    "UTF-16 LE": lambda text: text.encode("utf-16"),  # with its byte-order mark, as Notepad's "Unicode"
    "UTF-16 BE, CRLF": lambda text: b"\xfe\xff" + text.replace("\n", "\r\n").encode("utf-16-be"),
}


@pytest.mark.parametrize("saved_as", SAVED_AS)
def test_a_seed_saved_again_with_other_line_ends_or_encoding_is_still_imported(tmp_path: Path, saved_as: str) -> None:
    # Its bytes changed, its text did not: it used to be "changed since import" (the warning advising --force,
    # which re-imports over an edited article), and a copy of it under another name a second article.
    config = site_with_seeds(tmp_path, SAMPLE.name)
    (path,) = import_seeds(config).created
    text = SAMPLE.read_text(encoding="utf-8")
    assert f"seed_sha256: {hashlib.sha256(SAMPLE.read_bytes()).hexdigest()}" in path.read_text(encoding="utf-8")
    edited = path.read_bytes() + "\nفقرة أضافها المحرر.\n".encode()
    path.write_bytes(edited)
    (tmp_path / "seeds" / SAMPLE.name).write_bytes(SAVED_AS[saved_as](text))
    copy = tmp_path / "seeds" / "zz-exported-again.txt"
    copy.write_bytes(SAVED_AS[saved_as](text))
    report = import_seeds(config)
    assert report.created == ()
    assert [(problem.path, problem.message.split(";")[0]) for problem in report.problems] == [
        ("seeds/zz-exported-again.txt", f'has the same text as seed "{SAMPLE.name}", imported as '
                                        f"{path.relative_to(tmp_path).as_posix()}")]
    assert path.read_bytes() == edited
    # A real change to it is still one.
    (tmp_path / "seeds" / SAMPLE.name).write_bytes(SAVED_AS[saved_as](text + "\nمصدر جديد\n"))
    assert "seed changed since import" in import_seeds(config).problems[0].message


def test_a_seed_with_a_bom_and_crlf_records_its_text_s_digest_and_its_twin_is_not_imported(tmp_path: Path) -> None:
    text = SAMPLE.read_text(encoding="utf-8")
    config = site_with_seeds(tmp_path)
    (tmp_path / "seeds" / "a.txt").write_bytes(SAVED_AS["BOM and CRLF"](text))
    (tmp_path / "seeds" / "b.txt").write_bytes(text.encode("utf-8"))  # the same text, in the same run
    report = import_seeds(config)
    (path,) = report.created
    recorded = hashlib.sha256(text.encode("utf-8")).hexdigest()
    assert f"seed_sha256: {recorded}" in path.read_text(encoding="utf-8")
    assert [problem.path for problem in report.problems] == ["seeds/b.txt"]


def test_an_article_recorded_with_its_crlf_seed_s_own_digest_is_still_matched(tmp_path: Path) -> None:
    # Imported by an earlier version, which recorded the file's SHA-256 as it was (CRLF): neither changed nor new.
    crlf = SAVED_AS["CRLF"](SAMPLE.read_text(encoding="utf-8"))
    config = site_with_seeds(tmp_path)
    (tmp_path / "seeds" / SAMPLE.name).write_bytes(crlf)
    (path,) = import_seeds(config).created
    text = path.read_text(encoding="utf-8")
    old = text.replace(hashlib.sha256(SAMPLE.read_bytes()).hexdigest(), hashlib.sha256(crlf).hexdigest())
    assert old != text
    path.write_text(old, encoding="utf-8")
    (tmp_path / "seeds" / "copy.txt").write_bytes(crlf)
    report = import_seeds(config)
    assert report.created == () and [problem.path for problem in report.problems] == ["seeds/copy.txt"]
    # Saved again another way since (LF ends, UTF-16): neither changed nor new, though the record is the CRLF
    # file's own digest.
    (tmp_path / "seeds" / "copy.txt").unlink()
    for saved_as in ("CRLF", "UTF-16 LE", "BOM"):
        (tmp_path / "seeds" / SAMPLE.name).write_bytes(SAVED_AS[saved_as](SAMPLE.read_text(encoding="utf-8")))
        (tmp_path / "seeds" / "copy-lf.txt").write_bytes(SAMPLE.read_bytes())
        report = import_seeds(config)
        assert report.created == (), saved_as
        assert [(problem.path, problem.message[:22]) for problem in report.problems] == [
            ("seeds/copy-lf.txt", "has the same text as s")], saved_as
        assert path.read_text(encoding="utf-8") == old


@settings(max_examples=200, deadline=None)
@given(text=st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00\ufeff")),
       saved_as=st.sampled_from(sorted(SAVED_AS)))
def test_the_text_digest_is_the_same_however_the_text_is_saved(text: str, saved_as: str) -> None:
    plain = text.encode("utf-8")
    assert seed_text_digest(decode_seed(plain)) == hashlib.sha256(plain).hexdigest()  # a plain file's own digest
    assert seed_text_digest(decode_seed(SAVED_AS[saved_as](text))) == hashlib.sha256(plain).hexdigest()


def test_a_link_to_a_seed_is_named_as_the_link(tmp_path: Path) -> None:
    config = site_with_seeds(tmp_path, SAMPLE.name)
    import_seeds(config)
    (tmp_path / "seeds" / "link.txt").symlink_to(SAMPLE.name)
    (problem,) = import_seeds(config).problems
    assert problem.path == "seeds/link.txt" and f'seed "{SAMPLE.name}"' in problem.message


def test_a_seed_forced_in_with_a_copy_of_it_makes_one_article(tmp_path: Path) -> None:
    config = site_with_seeds(tmp_path, SAMPLE.name)
    import_seeds(config)
    seed = tmp_path / "seeds" / SAMPLE.name
    seed.write_bytes(seed.read_bytes() + "\nمصدر جديد\n".encode())
    (tmp_path / "seeds" / "z-copy.txt").write_bytes(seed.read_bytes())
    report = import_seeds(config, force=[seed])
    assert len(report.created) == 1 and [problem.path for problem in report.problems] == ["seeds/z-copy.txt"]
    assert len(list((tmp_path / "content").rglob("*.md"))) == 1


def test_a_seed_name_from_front_matter_cannot_forge_a_line(tmp_path: Path) -> None:
    config = site_with_seeds(tmp_path, SAMPLE.name)
    (path,) = import_seeds(config).created
    forged = "x\x1b[31m\nfake.md:1: error: injected"
    path.write_text(path.read_text(encoding="utf-8").replace(f"seed: {SAMPLE.name}", f"seed: {json.dumps(forged)}"),
                    encoding="utf-8")
    (tmp_path / "seeds" / SAMPLE.name).rename(tmp_path / "seeds" / "other.txt")
    (problem,) = import_seeds(config).problems
    assert "\n" not in str(problem) and "\x1b" not in str(problem)
    assert '"x\\u001b[31m\\nfake.md:1: error: injected"' in str(problem)


def counted_reads(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The content files whose front matter the import reads from now on."""
    from generator import importer
    reads: list[Path] = []
    real = importer.read_front_matter
    monkeypatch.setattr(importer, "read_front_matter", lambda path: reads.append(path) or real(path))
    return reads


def test_an_import_reads_only_the_front_matter_changed_since_the_last(tmp_path: Path, monkeypatch) -> None:
    from generator import import_record, importer
    monkeypatch.setattr(import_record, "RACY_NS", 0)  # the files written here are trusted by their stat at once
    config = site_with_seeds(tmp_path, SAMPLE.name, "missing_labels.txt")
    first, second = import_seeds(config).created
    before = importer.index_content(config)
    reads = counted_reads(monkeypatch)
    assert importer.index_content(config) == before and reads == []
    # An edit is read again (its size or change time differs), and the index follows it.
    first.write_text(first.read_text(encoding="utf-8").replace("slug: ", "slug: edited-"), encoding="utf-8")
    index = importer.index_content(config)
    assert reads == [first] and any(slug.startswith("edited-") for slug in index.slugs["ar"])
    assert importer.index_content(config) == index and reads == [first]
    # A damaged index costs the reading of every file, never a wrong answer.
    (tmp_path / import_record.IMPORT_INDEX).write_bytes(b"not a pickle")
    assert importer.index_content(config) == index and sorted(reads[1:]) == sorted([first, second])


def test_the_import_index_is_kept_under_what_decides_what_it_reads(tmp_path: Path, monkeypatch) -> None:
    import pickle

    from generator import import_record, importer
    monkeypatch.setattr(import_record, "RACY_NS", 0)
    config = site_with_seeds(tmp_path, SAMPLE.name, "missing_labels.txt")
    created = import_seeds(config).created
    before = importer.index_content(config)
    reads = counted_reads(monkeypatch)
    # Another Warraq (or PyYAML) may read front matter otherwise: its index is not this one's.
    monkeypatch.setattr(importer, "index_key", lambda: b"another version")
    assert importer.index_content(config) == before and sorted(reads) == sorted(created)
    # Entries of another shape (a later layout, a damaged file) are misses, never a crash.
    index = tmp_path / import_record.IMPORT_INDEX
    key, entries = pickle.loads(index.read_bytes())
    index.write_bytes(pickle.dumps((key, {name: (*entry[:3], 2049, *entry[3:]) for name, entry in entries.items()})))
    reads.clear()
    assert importer.index_content(config) == before and sorted(reads) == sorted(created)
    reads.clear()
    assert importer.index_content(config) == before and reads == []


def test_a_file_that_cannot_be_read_is_not_recorded_as_having_no_seed(tmp_path: Path, monkeypatch) -> None:
    from generator import import_record, importer
    monkeypatch.setattr(import_record, "RACY_NS", 0)
    config = site_with_seeds(tmp_path, SAMPLE.name)
    (path,) = import_seeds(config).created
    (tmp_path / import_record.IMPORT_INDEX).unlink(missing_ok=True)
    # A passing read error (EIO, a network file system's ESTALE): no fields this time, and none recorded.
    monkeypatch.setattr(importer, "read_front_matter", lambda _: {})
    monkeypatch.setattr(importer, "read_seed_line", lambda _: None)
    assert path.stem in importer.index_content(config).slugs["ar"] and importer.index_content(config).by_seed == {}
    monkeypatch.undo()
    monkeypatch.setattr(import_record, "RACY_NS", 0)
    assert set(importer.index_content(config).by_seed) == {SAMPLE.name}


def test_a_file_changed_just_now_is_read_again_by_the_next_import(tmp_path: Path, monkeypatch) -> None:
    from generator import importer
    config = site_with_seeds(tmp_path, SAMPLE.name)
    (path,) = import_seeds(config).created
    importer.index_content(config)
    reads = counted_reads(monkeypatch)
    importer.index_content(config)
    assert reads == [path]  # written within the last 2 s: its stat may not show a second change within its grain


def test_force_reimports_with_backup_and_keeps_the_slug(tmp_path: Path) -> None:
    config = site_with_seeds(tmp_path, SAMPLE.name)
    (path,) = import_seeds(config).created
    first = path.read_bytes()
    seed = tmp_path / "seeds" / SAMPLE.name
    seed.write_text(seed.read_text(encoding="utf-8").replace("مداولات دولية", "عنوان جديد", 1), encoding="utf-8")
    report = import_seeds(config, force=[Path("seeds") / SAMPLE.name])
    assert report == ImportReport(created=(path,), skipped=(), problems=())
    assert path.with_name(path.name + ".bak").read_bytes() == first
    meta = front_matter(path)
    assert meta["title"].startswith("عنوان جديد")
    assert meta["slug"] == path.stem == transliterate(SAMPLE_TITLE)
    assert meta["seed_sha256"] == hashlib.sha256(seed.read_bytes()).hexdigest()
    # A second forced re-import keeps the first backup and writes .bak.1.
    second = path.read_bytes()
    seed.write_bytes(seed.read_bytes() + b"\nhttps://example.org/new\n")
    import_seeds(config, force=[seed])
    assert path.with_name(path.name + ".bak").read_bytes() == first
    assert path.with_name(path.name + ".bak.1").read_bytes() == second
    assert front_matter(path)["sources"] == ["https://example.org/new"]


def test_force_of_an_unparseable_seed_leaves_content_alone(tmp_path: Path) -> None:
    config = site_with_seeds(tmp_path, SAMPLE.name)
    (path,) = import_seeds(config).created
    before = path.read_bytes()
    seed = tmp_path / "seeds" / SAMPLE.name
    seed.write_text(seed.read_text(encoding="utf-8").replace("28 سبتمبر", "32 سبتمبر"), encoding="utf-8")
    report = import_seeds(config, force=[seed])
    assert [(p.path, p.line, p.is_warning) for p in report.problems] == [(f"seeds/{SAMPLE.name}", 2, False)]
    assert path.read_bytes() == before
    assert not path.with_name(path.name + ".bak").exists()


def test_force_naming_no_seed_is_an_error(tmp_path: Path) -> None:
    config = site_with_seeds(tmp_path, SAMPLE.name)
    report = import_seeds(config, force=[tmp_path / "seeds" / "missing.txt"])
    assert [str(p) for p in report.problems] == ["seeds/missing.txt:1: --force names no seed file in seeds/"]


def test_slugs_are_unique_within_a_language(tmp_path: Path) -> None:
    config = site_with_seeds(tmp_path, "missing_labels.txt")
    base = transliterate("عنوان بلا كاتب")
    seeds = tmp_path / "seeds"
    # The same title, another text (the same bytes would be the same seed, imported once).
    (seeds / "missing_labels_again.txt").write_bytes((seeds / "missing_labels.txt").read_bytes() + "\nفقرة.\n".encode())
    # An existing article in another year already uses the slug; another file holds the next
    # path under a different front-matter slug, so that path must not be written either.
    taken = tmp_path / "content" / "ar" / "2015" / "old.md"
    taken.parent.mkdir(parents=True)
    taken.write_text(f"---\ntitle: قديم\nslug: {base}\ndate: 2015-01-01\n---\n\nنص.\n", encoding="utf-8")
    occupied = tmp_path / "content" / "ar" / "2019" / f"{base}-2.md"
    occupied.parent.mkdir(parents=True)
    occupied.write_text("---\ntitle: يدوي\nslug: hand-written\ndate: 2019-01-01\n---\n\nنص.\n", encoding="utf-8")
    occupied_before = occupied.read_bytes()
    report = import_seeds(config)
    assert [p.name for p in report.created] == [f"{base}-3.md", f"{base}-4.md"]
    assert [front_matter(p)["slug"] for p in report.created] == [f"{base}-3", f"{base}-4"]
    assert occupied.read_bytes() == occupied_before


def test_same_title_in_another_language_does_not_clash(tmp_path: Path) -> None:
    config = site_with_seeds(tmp_path, "english.txt")
    other = tmp_path / "content" / "ar" / "2017" / "post-isis-deliberations-what-next.md"
    other.parent.mkdir(parents=True)
    other.write_text("---\ntitle: x\ndate: 2017-01-01\n---\n\nنص.\n", encoding="utf-8")
    (path,) = import_seeds(config).created
    assert path.relative_to(tmp_path).as_posix() == "content/en/2017/post-isis-deliberations-what-next.md"


def test_untitled_slug_falls_back_to_the_hash(tmp_path: Path) -> None:
    config = site_with_seeds(tmp_path)
    seed = tmp_path / "seeds" / "symbols.txt"
    seed.write_text("«؟» الكاتب: أ التاريخ: 1 يناير 2020\n\nنص.\n", encoding="utf-8")
    (path,) = import_seeds(config).created
    assert path.name == f"article-{hashlib.sha256(seed.read_bytes()).hexdigest()[:8]}.md"


def test_undated_seed_is_imported_with_a_warning(tmp_path: Path) -> None:
    config = site_with_seeds(tmp_path)
    (tmp_path / "seeds" / "undated.txt").write_text("بلا تاريخ الكاتب: أ\n\nنص.\n", encoding="utf-8")
    report = import_seeds(config)
    assert [p.relative_to(tmp_path).as_posix() for p in report.created] == ["content/ar/bla-tarykh.md"]
    assert [str(p) for p in report.problems] == [
        "seeds/undated.txt:1: warning: no date in the seed; add one to content/ar/bla-tarykh.md"
    ]


def test_broken_content_files_are_ignored_by_the_scan(tmp_path: Path) -> None:
    config = site_with_seeds(tmp_path, "lists.txt")
    broken = tmp_path / "content" / "ar" / "broken.md"
    broken.parent.mkdir(parents=True)
    broken.write_text("---\ntitle: [unclosed\n---\n", encoding="utf-8")
    assert len(import_seeds(config).created) == 1
    assert broken.read_text(encoding="utf-8") == "---\ntitle: [unclosed\n---\n"


def test_seeds_folder_is_never_modified(tmp_path: Path) -> None:
    names = [SAMPLE.name, *(p.name for p in sorted(FIXTURES.glob("*.txt")))]
    config = site_with_seeds(tmp_path, *names)
    seeds = tmp_path / "seeds"
    before = folder_fingerprint(seeds)
    first = import_seeds(config)
    assert len(first.created) == 9
    import_seeds(config)
    import_seeds(config, force=[seeds / name for name in names])
    assert folder_fingerprint(seeds) == before


def test_a_seed_whose_article_has_broken_front_matter_is_not_imported_again(tmp_path):
    root = tmp_path / "site"
    root.mkdir()
    shutil.copy(REPO / "site.toml", root / "site.toml")
    shutil.copytree(REPO / "themes", root / "themes")
    shutil.copytree(REPO / "seeds", root / "seeds")
    assert run_cli("import", "--root", str(root)).code == 0
    [content] = list((root / "content" / "ar" / "2017").glob("*.md"))
    content.write_text(content.read_text(encoding="utf-8").replace("title: ", "title: [broken ", 1), encoding="utf-8")
    assert run_cli("import", "--root", str(root)).code == 0
    assert list((root / "content" / "ar" / "2017").glob("*.md")) == [content]


SHORT_SEED = "عنوان جديد الكاتب: أحمد التاريخ: 3 مارس 2018 المشاهدات: 12\n\n{body}\n"


def test_a_content_file_that_cannot_be_written_is_an_error_naming_the_seed_not_a_traceback(make_site) -> None:
    site = make_site()
    site.write("seeds/zz.txt", SHORT_SEED.format(body="نص المقال."))
    site.write("content/ar/2018", "a file where the year folder goes")
    run = run_cli("import", "--root", str(site.root))
    assert run.code == 1 and "Traceback" not in run.err
    assert run.err.splitlines() == ["seeds/zz.txt:1: cannot write content/ar/2018: File exists"]


def test_a_full_disk_during_import_leaves_no_partial_article_and_the_next_import_takes_the_same_slug(make_site):
    # RLIMIT_FSIZE makes a write past the limit fail with EFBIG, as a full disk fails with ENOSPC: the article
    # must never exist half-written (it would break every later build and push the seed to a "-2" slug).
    import subprocess
    import sys
    site = make_site()
    site.write("seeds/zz.txt", SHORT_SEED.format(body="نص المقال الطويل. " * 4000))
    limit = "import resource, signal; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); " \
            "resource.setrlimit(resource.RLIMIT_FSIZE, (20000, resource.RLIM_INFINITY)); "
    code = f"{limit}import sys; from generator.cli import main; sys.exit(main(['import', '--root', {str(site.root)!r}]))"
    run = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=60)
    assert run.returncode == 1 and "Traceback" not in run.stderr
    assert run.stderr.splitlines() == ["seeds/zz.txt:1: cannot write content/ar/2018/anwan-jdyd.md: File too large"]
    assert sorted(p.name for p in (site.root / "content" / "ar" / "2018").iterdir()) == []
    again = run_cli("import", "--root", str(site.root))
    assert again.code == 0 and again.out.splitlines() == ["imported content/ar/2018/anwan-jdyd.md"]


def test_control_characters_in_a_seed_become_spaces_so_the_article_builds(make_site) -> None:
    # Text pasted from old word processors carries form feeds, bells and escape codes; no page can show them,
    # and front matter refuses them, so the importer must not write them.
    site = make_site()
    site.write("seeds/zz.txt", "عنوان\x07 جديد\x0c الكاتب: أحمد\x1b التاريخ: 3 مارس 2018 المشاهدات: 12\n\n"
                               "نص\x07 المقال\x0cهنا\x85و\x7f.\n")
    run = site.build()
    assert run.code == 0, run.err
    path = site.root / "content" / "ar" / "2018" / "anwan-jdyd.md"
    meta = front_matter(path)
    assert (meta["title"], meta["author"]) == ("عنوان جديد", "أحمد")
    assert body_of(path).strip() == "نص المقال هنا و."


def test_an_import_that_left_every_seed_imported_reads_nothing_again(tmp_path: Path, monkeypatch) -> None:
    """Seeds stay in seeds/ after their import: while no seed or content file changes (by path, size and change
    time), an import does not read every article's front matter again; a deleted article, a new seed or a
    seed with a problem makes it look again, and a problem is reported by every import until it is fixed."""
    from generator import import_record, importer

    monkeypatch.setattr(import_record, "RACY_NS", 0)  # the files were all written just now
    config = site_with_seeds(tmp_path, SAMPLE.name)
    [article] = import_seeds(config).created
    seeds = tuple(sorted((tmp_path / "seeds").glob("*.txt")))
    read = importer.index_content
    calls: list[int] = []
    monkeypatch.setattr(importer, "index_content", lambda config: calls.append(1) or read(config))
    assert import_seeds(config) == ImportReport(created=(), skipped=seeds, problems=())
    assert calls == []
    article.unlink()  # deleted: the seed is imported again
    assert import_seeds(config).created == (article,)
    assert calls == [1]
    (tmp_path / "seeds" / "broken.txt").write_bytes(b"\xff\xfe\xfa not UTF-8")
    for expected_calls in (2, 3):
        report = import_seeds(config)
        assert [problem.path for problem in report.problems] == ["seeds/broken.txt"]
        assert len(calls) == expected_calls
    (tmp_path / "seeds" / "broken.txt").unlink()  # back to the state the last clean import recorded
    assert import_seeds(config) == ImportReport(created=(), skipped=seeds, problems=())
    assert len(calls) == 3


@pytest.mark.parametrize("views", ["99999999999999999999999999999", "1000000000001", "١٠٠٠٠٠٠٠٠٠٠٠٠١"])
def test_views_beyond_what_the_build_reads_are_refused_at_import(views: str) -> None:
    # The seed imported, and every build after stopped on the article's views line.
    text = f"عنوان الكاتب: زيد التاريخ: 28 سبتمبر 2017 المشاهدات: {views}\n\nنص المقال.\n"
    with pytest.raises(SeedError) as caught:
        parse_seed(text, "x.txt")
    assert caught.value.line == 1
    assert caught.value.message.endswith("more than 1,000,000,000,000 views")
    assert parse_seed(text.replace(views, "1000000000000"), "x.txt").views == 10**12


@pytest.mark.parametrize(("header", "message"), [
    # Read before as an author "ب التاريخ: 28 سبتمبر 2017", dated the 29th.
    ("عنوان مكرر الكاتب: أ الكاتب: ب التاريخ: 28 سبتمبر 2017 التاريخ: 29 سبتمبر 2017",
     "the header gives التاريخ: more than once"),
    ("عنوان الكاتب: أ التاريخ: 28 سبتمبر 2017 المشاهدات: 5 المشاهدات: 7", "the header gives المشاهدات: more than once"),
    # Read before as the title "Mixed labels Author: X" with no author.
    ("Mixed labels Author: X التاريخ: 2017-09-28", "the header mixes Author: with التاريخ:-style labels"),
    # The repeat at the end of the title, or the other language's label inside a value.
    ("عنوان أول الكاتب: أ الكاتب: ب التاريخ: 28 سبتمبر 2017", "the header gives الكاتب: more than once"),
    ("Title twelve Author: X Author: Y Date: 28 September 2017", "the header gives Author: more than once"),
    ("عنوان ثالث المشاهدات: 5 المشاهدات: 6 التاريخ: 28 سبتمبر 2017", "the header gives المشاهدات: more than once"),
    ("عنوان رابع الكاتب: أ Date: 28 September 2017", "the header gives Date: more than once"),
])
def test_a_header_that_gives_a_label_twice_or_in_two_languages_is_refused(header: str, message: str) -> None:
    with pytest.raises(SeedError) as caught:
        parse_seed(f"{header}\n\nنص المقال.\n", "x.txt")
    assert (caught.value.line, caught.value.message.startswith(message)) == (1, True), caught.value.message


def test_a_title_that_holds_a_label_word_still_reads() -> None:
    seed = parse_seed("قراءة في التاريخ: الرقة الكاتب: زيد التاريخ: 28 سبتمبر 2017\n\nنص المقال.\n", "x.txt")
    assert (seed.title, seed.author, seed.date.isoformat()) == ("قراءة في التاريخ: الرقة", "زيد", "2017-09-28")


def test_a_seed_named_in_capitals_is_imported(make_site):
    # Windows tools write X.TXT; it was passed over without a word.
    site = make_site(with_sample_seed=True)
    [seed] = (site.root / "seeds").glob("*.txt")
    seed.rename(seed.with_name("SEED.TXT"))
    result = run_cli("import", "--root", str(site.root))
    assert result.code == 0, result.err
    [content] = (site.root / "content" / "ar").rglob("*.md")
    assert "seed: SEED.TXT" in content.read_text(encoding="utf-8")


@pytest.mark.parametrize(("text", "line", "message"), [
    # A label given again right under the header's label lines was dropped, or ended the header early.
    ("عنوان أول\nالكاتب: أ\nالتاريخ: 1 مارس 2018\nالكاتب: ب\n\nنص.\n", 4, "the header gives الكاتب: more than once"),
    ("Title\nAuthor: A\nDate: 1 March 2018\nAuthor: B\n\nText.\n", 4, "the header gives Author: more than once"),
    ("عنوان\nالكاتب: أ\nالتاريخ: 5 مارس 2018\nالتاريخ: 6 مارس 2018\n\nنص.\n", 4, "the header gives التاريخ:"),
    ("Author: A\nAuthor: B\nDate: 1 March 2018\n\nText.\n", 2, "the header gives Author: more than once"),
    # A one-line header, then a label line that repeats one of its labels.
    ("عنوان الكاتب: زيد التاريخ: 1 مارس 2018\nالكاتب: عمرو\n\nنص.\n", 2, "the header gives الكاتب: more than once"),
])
def test_a_label_repeated_on_its_own_line_is_refused(text: str, line: int, message: str) -> None:
    with pytest.raises(SeedError) as caught:
        parse_seed(text, "x.txt")
    assert (caught.value.line, caught.value.message.startswith(message)) == (line, True), caught.value.message


@pytest.mark.parametrize(("text", "title"), [
    # A title on its own line that holds a label word, above the real label lines: it was read as a label.
    ("قراءة في التاريخ: دروس من الماضي\nالكاتب: زيد\nالتاريخ: 1 مارس 2018\n\nنص.\n", "قراءة في التاريخ: دروس من الماضي"),
    ("دراسة في الكاتب: والقارئ\nالكاتب: زيد\nالتاريخ: 1 مارس 2018\n\nنص.\n", "دراسة في الكاتب: والقارئ"),
    ("Notes on the Date: a primer\nAuthor: Zaid\nDate: 1 March 2018\n\nText.\n", "Notes on the Date: a primer"),
])
def test_a_title_line_with_a_label_word_above_the_label_lines_is_the_title(text: str, title: str) -> None:
    seed = parse_seed(text, "x.txt")
    assert (seed.title, seed.date.isoformat()) == (title, "2018-03-01")


def test_a_body_paragraph_after_a_blank_line_may_start_with_a_label_word() -> None:
    seed = parse_seed("عنوان\nالكاتب: زيد\nالتاريخ: 1 مارس 2018\n\nالتاريخ: كان درسا.\n", "x.txt")
    assert (seed.author, seed.date.isoformat()) == ("زيد", "2018-03-01")


def test_a_file_edited_while_an_import_reads_is_not_recorded_as_seen(tmp_path: Path, monkeypatch) -> None:
    """The record is the state before the import read anything: an article deleted (or edited) while it read
    makes the next import look again, as without the record."""
    from generator import import_record, importer

    monkeypatch.setattr(import_record, "RACY_NS", 0)
    config = site_with_seeds(tmp_path, SAMPLE.name)
    [article] = import_seeds(config).created
    read = importer.index_content

    def delete_while_reading(config: Config):
        index = read(config)
        article.unlink()  # after it was read: this import still finds the seed imported
        return index

    monkeypatch.setattr(importer, "index_content", delete_while_reading)
    (config.root / import_record.IMPORT_RECORD).unlink()  # so that this import reads
    assert import_seeds(config).created == ()
    monkeypatch.setattr(importer, "index_content", read)
    # The deleted article is imported again, as without the record (which was taken before the deletion).
    assert import_seeds(config).created == (article,)


def test_a_seed_link_pointed_at_another_file_is_a_change(tmp_path: Path, monkeypatch) -> None:
    from generator import import_record

    monkeypatch.setattr(import_record, "RACY_NS", 0)
    config = site_with_seeds(tmp_path)
    raw = tmp_path / "raw"
    raw.mkdir()
    text = SAMPLE.read_text(encoding="utf-8")
    (raw / "x1.txt").write_text(text, encoding="utf-8")
    (raw / "x2.txt").write_text(text.replace("4620", "4621"), encoding="utf-8")
    for name in ("x1.txt", "x2.txt"):
        os.utime(raw / name, ns=(1_600_000_000_000_000_000,) * 2)
    (tmp_path / "seeds" / "d.txt").symlink_to("../raw/x1.txt")
    import_seeds(config)
    import_seeds(config)  # records the state
    seeds, _ = import_record.list_seeds(config.seeds_dir)
    assert import_record.is_imported(config.root, seeds)
    (tmp_path / "seeds" / "d.txt").unlink()
    (tmp_path / "seeds" / "d.txt").symlink_to("../raw/x2.txt")
    assert not import_record.is_imported(config.root, seeds)
    assert "seed changed since import" in str(import_seeds(config).problems)


@pytest.mark.parametrize(("text", "line", "message"), [
    # A one-line header given again on the label lines under it: it was swallowed into the title.
    ("عنوان المقال الكاتب: فلان التاريخ: 1 مارس 2018\nالكاتب: فلان\nالتاريخ: 1 مارس 2018\n\nنص.\n", 2,
     "the header gives الكاتب: more than once"),
    ("عنوان المقال الكاتب: فلان\nالكاتب: فلان\n\nنص.\n", 2, "the header gives الكاتب: more than once"),
    ("Title Date: 1 March 2018\n\nDate: 2 March 2018\n\nText.\n", 3, "the header gives Date: more than once"),
    # A label line of the other language, or a line that is no label between label lines: the rest of the
    # header went into the body.
    ("عنوان المقال الكاتب: فلان التاريخ: 1 مارس 2018\nViews: 300\n\nنص.\n", 2, "the header mixes Views:"),
    ("Some Title\nAuthor: John\nالتاريخ: 1 مارس 2018\n\nText.\n", 3, "the header mixes التاريخ:"),
    ("عنوان المقال\nالكاتب: فلان\nالمصدر: الجزيرة\nالتاريخ: 1 مارس 2018\n\nنص.\n", 3,
     '"المصدر: الجزيرة" is no header label, but header labels follow it'),
])
def test_a_header_broken_across_lines_is_refused(text: str, line: int, message: str) -> None:
    with pytest.raises(SeedError) as caught:
        parse_seed(text, "x.txt")
    assert (caught.value.line, caught.value.message.startswith(message)) == (line, True), caught.value.message


@pytest.mark.parametrize(("text", "title", "author", "views"), [
    # Separators between a header's parts are not part of the title or of a value.
    ("عنوان الكاتب: فلان | التاريخ: 1 مارس 2018 | المشاهدات: 5\n\nنص.\n", "عنوان", "فلان", 5),
    ("عنوان المقال - الكاتب: فلان - التاريخ: 1 مارس 2018\n\nنص.\n", "عنوان المقال", "فلان", None),
    ("عنوان\nالكاتب: فلان، التاريخ: 1 مارس 2018 المشاهدات: 4620 مشاهدة\n\nنص.\n", "عنوان", "فلان", 4620),
    ("Title here | Author: John Smith | Date: 1 March 2018 | Views: 1,200 views\n\nText.\n", "Title here",
     "John Smith", 1200),
    # A title that holds a label word whose value reads as no such field.
    ("قراءة في التاريخ: الرقة التاريخ: 1 مارس 2018 المشاهدات: 5\n\nنص.\n", "قراءة في التاريخ: الرقة", None, 5),
])
def test_header_separators_and_label_words_in_titles(text, title, author, views) -> None:
    seed = parse_seed(text, "x.txt")
    assert (seed.title, seed.author, seed.views, seed.date.isoformat()) == (title, author, views, "2018-03-01")


def test_a_seed_in_a_language_the_site_lacks_is_refused(tmp_path: Path) -> None:
    # It was imported into content/en/, and every build stopped on a folder of no configured language.
    config = site_with_seeds(tmp_path)
    (tmp_path / "seeds" / "e.txt").write_text("Title Author: John Date: 1 March 2018\n\nText.\n", encoding="utf-8")
    arabic_only = dataclasses.replace(config, languages=tuple(l for l in config.languages if l.code == "ar"))
    report = import_seeds(arabic_only)
    assert report.created == ()
    assert [str(problem) for problem in report.problems] == [
        'seeds/e.txt:1: the seed\'s labels are the "en" ones, and site.toml has no [languages.en]: add the language '
        "or write the labels in one it has"]
    assert not (tmp_path / "content" / "en").exists()
