"""A warm build is byte-identical to a cold one after any sequence of edits (Hypothesis, stateful).

A small bilingual site (Arabic articles, English translations, tags, authors, reports, views) is edited by
random rules: an article's body, title, date (within its month, to another month, to another year), tags,
author, report or views; a new article, a new translation, a deleted article; broken front matter and its
repair; a comment in a template, one changed msgstr in a catalog; page_size, related_count and feed_content
in site.toml; a file touched without a change; nothing at all. After every step the site is built warm (with
the cache, into output/) and cold (no cache, into an empty folder), and the two trees must hold the same
files with the same bytes (the marker included), or both builds must stop with the same problems. Each
step's edited files are either left just written or dated back (with an mtime of their own, as edits are),
so that both ways the cache trusts a file, its stat or its bytes, are exercised.

A bounded, derandomized run is part of the suite; a longer one, once in a while:

    WARRAQ_HYPOTHESIS=long python -m pytest tests/test_warm_cold.py -q -p no:randomly -s

(WARRAQ_HYPOTHESIS_EXAMPLES=N sets the number of sequences.)
"""

from __future__ import annotations

import hashlib
import importlib.util
import json
import os
import random
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Callable

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from generator import parallel
from generator.errors import BuildError
from generator.pipeline import BuildOptions, build

REPO = Path(__file__).resolve().parent.parent
TEMPLATES = sorted(path.name for path in (REPO / "themes" / "default" / "templates").glob("*.html"))
CATALOGS = ("themes/default/locales/ar/LC_MESSAGES/messages.po", "themes/default/locales/en/LC_MESSAGES/messages.po")
# Vocabulary tags by slug and by a name in either language, and one the vocabulary lacks (a warning).
TAGS = ("syria", "isis", "العراق", "Russia", "terrorism", "محلي")
AUTHORS = ("المرصد الاستراتيجي", "Strategic Observatory", "سعاد الخطيب", "Layla Haddad", "")
REPORTS = ("", "التقرير الفصلي العدد 47", "التقرير الفصلي العدد ٤٧", "Annual report")
BODIES = (
    "نص المقال الأول عن سوريا.",
    "فقرة فيها English words وأرقام 2017 ورابط [المصدر](https://example.org/a).",
    "## الخلفية\n\nفقرة.\n\n## التطورات\n\nفقرة ثانية فيها حاشية[^1].\n\n## الخلاصة\n\nخاتمة.\n\n[^1]: حاشية.",
    "A plain English paragraph about Iraq.\n\n- one\n- two",
    "كلمات " * 400,
)
YEARS = (2016, 2017, 2019)
# Hypothesis keeps its notes outside the project, whose tree is shared; no example database, so every run of
# the suite plays the same sequences (derandomize).
set_hypothesis_home_dir(os.path.join(tempfile.gettempdir(), "warraq-hypothesis"))
EXAMPLES = {"ci": 4, "long": int(os.environ.get("WARRAQ_HYPOTHESIS_EXAMPLES", "60"))}
STEPS = {"ci": 8, "long": 25}
PROFILE = os.environ.get("WARRAQ_HYPOTHESIS", "ci")


@dataclass(frozen=True)
class Art:
    """One article file as the test writes it."""

    lang: str
    slug: str
    title: str
    date: str
    tags: tuple[str, ...]
    body: str
    key: str
    author: str = ""
    report: str = ""
    views: int | None = None

    def text(self) -> str:
        """The file's Markdown with front matter (strings as JSON, which YAML reads as written)."""
        lines = ["---", f"title: {json.dumps(self.title, ensure_ascii=False)}", f"slug: {self.slug}",
                 f"date: {self.date}", f"tags: {json.dumps(list(self.tags), ensure_ascii=False)}",
                 f"translation_key: {self.key}"]
        if self.author:
            lines.append(f"author: {json.dumps(self.author, ensure_ascii=False)}")
        if self.report:
            lines.append(f"report: {{title: {json.dumps(self.report, ensure_ascii=False)}, prepared_by: فريق}}")
        if self.views is not None:
            lines.append(f"views: {self.views}")
        return "\n".join([*lines, "---", self.body, ""])

    @property
    def path(self) -> str:
        """The file, relative to the project."""
        return f"content/{self.lang}/{self.slug}.md"


def tree_digest(folder: Path) -> dict[str, str]:
    """Every file under folder with the hash of its bytes."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def build_outcome(root: Path, output: Path, use_cache: bool) -> str | None:
    """Build; None when it succeeded, else the problems it stopped with."""
    try:
        build(root, BuildOptions(output=output, use_cache=use_cache))
    except BuildError as error:
        return str(error)
    return None


def differences(warm: Path, cold: Path) -> str:
    """A short account of how two output trees differ, for the assertion message."""
    first, second = tree_digest(warm), tree_digest(cold)
    names = sorted(set(first) | set(second))
    lines = [f"{name}: warm {first.get(name, 'missing')[:8]}, cold {second.get(name, 'missing')[:8]}"
             for name in names if first.get(name) != second.get(name)]
    for name in [n for n in names if n in first and n in second and first[n] != second[n]][:2]:
        a, b = (warm / name).read_bytes(), (cold / name).read_bytes()
        at = next((i for i, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
        around = slice(max(0, at - 120), at + 120)
        lines.append(f"{name} at byte {at}:\n  warm {a[around].decode(errors='replace')!r}\n"
                     f"  cold {b[around].decode(errors='replace')!r}")
    return "\n".join(lines)


class WarmColdSite(RuleBasedStateMachine):
    """A site under random edits; after each, warm and cold builds must agree byte for byte."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="warraq-warm-cold-"))
        self.root = self.folder / "site"
        (self.root / "content" / "ar").mkdir(parents=True)
        (self.root / "content" / "en").mkdir(parents=True)
        (self.root / "seeds").mkdir()
        shutil.copy(REPO / "site.toml", self.root / "site.toml")
        shutil.copytree(REPO / "themes", self.root / "themes")
        self.articles: dict[tuple[str, str], Art] = {}
        self.problems: str | None = None
        self.counter = 0
        self.step = 0
        self.touched: set[Path] = set()
        self.past = time.time() - 3600
        for number, (year, tags) in enumerate([(2016, ("syria", "isis")), (2016, ("syria",)), (2017, ("العراق",)),
                                               (2019, ())], start=1):
            self.save(Art("ar", f"a{number}", f"المقال {number}", f"{year}-0{number}-1{number}", tags,
                          BODIES[number % len(BODIES)], f"k{number}", AUTHORS[number % 3], REPORTS[number % 3],
                          number * 10))
        self.save(Art("en", "a1", "Article one", "2016-01-11", ("syria",), BODIES[3], "k1", "Strategic Observatory"))
        self.save(Art("en", "e-only", "English only", "2017-05-05", ("Russia",), BODIES[1], "k-e"))
        self.date_back(self.past)
        self.rng = random.Random(0)

    @initialize(rng=st.randoms(use_true_random=False))
    def choose_ages(self, rng: random.Random) -> None:
        """Hypothesis' own random source, for whether each step's edits are dated back."""
        self.rng = rng

    # -- state ------------------------------------------------------------------------------------------------

    def save(self, article: Art) -> None:
        """Record an article and write its file."""
        self.articles[(article.lang, article.slug)] = article
        self.write(article.path, article.text())

    def write(self, relative: str, text: str) -> None:
        """Write a file of the project, remembered as edited in this step."""
        path = self.root / relative
        path.write_text(text, encoding="utf-8")
        self.touched.add(path)

    def date_back(self, when: float) -> None:
        """Give the files edited in this step an mtime in the past (each step its own second)."""
        for path in self.touched:
            if path.exists():
                os.utime(path, (when, when))
        self.touched.clear()

    def pick(self, data: st.DataObject) -> Art:
        """One of the site's articles, drawn by Hypothesis."""
        return self.articles[data.draw(st.sampled_from(sorted(self.articles)), label="article")]

    def edit_file(self, relative: str, change: Callable[[str], str]) -> None:
        """Rewrite a file of the project as change(its text)."""
        path = self.root / relative
        self.write(relative, change(path.read_text(encoding="utf-8")))

    def set_setting(self, name: str, value: str) -> None:
        """Set a top-level key of site.toml (uncommenting it when it is only documented there)."""
        def change(text: str) -> str:
            changed, count = re.subn(rf"^#?\s*{name} = [^\n#]*", f"{name} = {value} ", text, count=1, flags=re.M)
            assert count == 1, name
            return changed
        self.edit_file("site.toml", change)

    # -- the comparison ---------------------------------------------------------------------------------------

    def compare(self) -> None:
        """Build warm into output/ and cold into an empty folder; both must give the same bytes or problems."""
        cold = self.folder / "cold"
        shutil.rmtree(cold, ignore_errors=True)
        warm_problems = build_outcome(self.root, self.root / "output", use_cache=True)
        cold_problems = build_outcome(self.root, cold, use_cache=False)
        assert warm_problems == cold_problems
        self.problems = cold_problems
        if cold_problems is None:
            assert tree_digest(self.root / "output") == tree_digest(cold), differences(self.root / "output", cold)

    # -- rules: articles --------------------------------------------------------------------------------------

    @precondition(lambda self: self.articles)
    @rule(data=st.data(), body=st.sampled_from(BODIES), suffix=st.integers(0, 3))
    def change_body(self, data: st.DataObject, body: str, suffix: int) -> None:
        """A new body (a long one, headings and footnotes, Latin runs), or the same with lines added."""
        article = self.pick(data)
        self.save(replace(article, body=body + f"\n\nتعديل {suffix}." * suffix))

    @precondition(lambda self: self.articles)
    @rule(data=st.data(), title=st.sampled_from(("عنوان جديد", "New title", "عنوان: مع نقطتين", "Iraq و العراق")))
    def change_title(self, data: st.DataObject, title: str) -> None:
        """A new title (colons, mixed scripts)."""
        self.save(replace(self.pick(data), title=title))

    @precondition(lambda self: self.articles)
    @rule(data=st.data(), year=st.sampled_from(YEARS), month=st.integers(1, 12), day=st.integers(1, 28))
    def change_date(self, data: st.DataObject, year: int, month: int, day: int) -> None:
        """A new date: the same month, another month, or another year."""
        self.save(replace(self.pick(data), date=f"{year}-{month:02d}-{day:02d}"))

    @precondition(lambda self: self.articles)
    @rule(data=st.data(), tag=st.sampled_from(TAGS))
    def add_tag(self, data: st.DataObject, tag: str) -> None:
        """One more tag (vocabulary or not)."""
        article = self.pick(data)
        if tag not in article.tags:
            self.save(replace(article, tags=(*article.tags, tag)))

    @precondition(lambda self: any(article.tags for article in self.articles.values()))
    @rule(data=st.data())
    def remove_tag(self, data: st.DataObject) -> None:
        """One tag fewer."""
        keys = sorted(key for key, article in self.articles.items() if article.tags)
        article = self.articles[data.draw(st.sampled_from(keys), label="article")]
        tag = data.draw(st.sampled_from(article.tags), label="tag")
        self.save(replace(article, tags=tuple(t for t in article.tags if t != tag)))

    @precondition(lambda self: self.articles)
    @rule(data=st.data(), author=st.sampled_from(AUTHORS), report=st.sampled_from(REPORTS),
          views=st.sampled_from((None, 0, 5, 1000)))
    def change_author_report_views(self, data: st.DataObject, author: str, report: str, views: int | None) -> None:
        """Another author, report (two spellings of one report among them) and view count."""
        self.save(replace(self.pick(data), author=author, report=report, views=views))

    @rule(lang=st.sampled_from(("ar", "en")), year=st.sampled_from(YEARS), month=st.integers(1, 12),
          tags=st.lists(st.sampled_from(TAGS), max_size=2, unique=True), body=st.sampled_from(BODIES))
    def add_article(self, lang: str, year: int, month: int, tags: list[str], body: str) -> None:
        """A new article in either language."""
        self.counter += 1
        self.save(Art(lang, f"n{self.counter}", f"جديد {self.counter}" if lang == "ar" else f"New {self.counter}",
                      f"{year}-{month:02d}-15", tuple(tags), body, f"new-{self.counter}"))

    @precondition(lambda self: self.untranslated())
    @rule(data=st.data())
    def add_translation(self, data: st.DataObject) -> None:
        """The translation of an article that has none, in the other language (same key and date)."""
        original = self.articles[data.draw(st.sampled_from(self.untranslated()), label="original")]
        lang = "en" if original.lang == "ar" else "ar"
        slug = original.slug if (lang, original.slug) not in self.articles else f"{original.slug}-t"
        self.save(replace(original, lang=lang, slug=slug, title=f"ترجمة {original.title}" if lang == "ar"
                          else f"Translation of {original.slug}"))

    def untranslated(self) -> list[tuple[str, str]]:
        """The articles with no translation yet (and a free slug for one)."""
        keys = {(article.lang, article.key) for article in self.articles.values()}
        return sorted(key for key, article in self.articles.items()
                      if ("en" if article.lang == "ar" else "ar", article.key) not in keys
                      and ("en" if article.lang == "ar" else "ar", article.slug + "-t") not in self.articles)

    @precondition(lambda self: len(self.articles) > 1)
    @rule(data=st.data())
    def delete_article(self, data: st.DataObject) -> None:
        """An article removed (its translation, if any, stays)."""
        article = self.pick(data)
        del self.articles[(article.lang, article.slug)]
        (self.root / article.path).unlink()

    @precondition(lambda self: self.articles)
    @rule(data=st.data(), broken=st.sampled_from(("invalid YAML", "unknown key", "impossible date")))
    def break_article(self, data: st.DataObject, broken: str) -> None:
        """Front matter both builds must stop on (the warm one must then not have spoilt the cache); the next
        save of the article, or fix_articles, writes it whole again."""
        article = self.pick(data)
        lines = article.text().split("\n")
        if broken == "invalid YAML":
            lines[1] = "title: [unclosed"
        elif broken == "unknown key":
            lines.insert(1, "colour: red")
        else:
            lines[3] = "date: 2017-02-31"
        self.write(article.path, "\n".join(lines))

    @rule()
    def fix_articles(self) -> None:
        """Every broken article written whole again."""
        for article in self.articles.values():
            if (self.root / article.path).read_text(encoding="utf-8") != article.text():
                self.write(article.path, article.text())

    # -- rules: theme and settings ----------------------------------------------------------------------------

    @rule(template=st.sampled_from(TEMPLATES))
    def edit_template(self, template: str) -> None:
        """An HTML comment printed by one template (a child template prints only inside its blocks)."""
        self.counter += 1
        comment = f"<!-- edit {self.counter} -->"

        def change(text: str) -> str:
            # Inside the first block when the template has blocks (so that the comment is printed), else at its end.
            at = text.find("{% endblock")
            return text[:at] + comment + text[at:] if at >= 0 else text + comment + "\n"
        self.edit_file(f"themes/default/templates/{template}", change)

    @rule(catalog=st.sampled_from(CATALOGS), index=st.integers(0, 200))
    def edit_catalog(self, catalog: str, index: int) -> None:
        """One msgstr (plural forms included) changed in one language's catalog."""
        self.counter += 1
        mark = self.counter

        def change(text: str) -> str:
            found = list(re.finditer(r'^msgstr(\[\d\])? "(.+)"$', text, flags=re.M))
            chosen = found[index % len(found)]
            return text[:chosen.end(2)] + f" ~{mark}" + text[chosen.end(2):]
        self.edit_file(catalog, change)

    @rule(size=st.integers(1, 4))
    def change_page_size(self, size: int) -> None:
        """Articles per listing page, small enough for several pages."""
        self.set_setting("page_size", str(size))

    @rule(count=st.integers(0, 5))
    def change_related_count(self, count: int) -> None:
        """Related articles under each article (0 turns them off)."""
        self.set_setting("related_count", str(count))

    @rule(content=st.sampled_from(("summary", "full")))
    def change_feed_content(self, content: str) -> None:
        """Summaries or full bodies in the Atom feeds."""
        self.set_setting("feed_content", f'"{content}"')

    @precondition(lambda self: self.articles)
    @rule(data=st.data())
    def touch_article(self, data: st.DataObject) -> None:
        """A save that changes nothing but the file's modification time."""
        path = self.root / self.pick(data).path
        os.utime(path)
        self.touched.add(path)

    @rule()
    def nothing(self) -> None:
        """No edit: the warm build is the unchanged-build shortcut."""

    # -- after each step --------------------------------------------------------------------------------------

    @invariant()
    def warm_equals_cold(self) -> None:
        """Build and compare, the files edited by the step left just written, or dated back as older edits are
        (the cache trusts an old file's size and mtime, and compares a recent one's bytes)."""
        self.step += 1
        if self.rng.random() < 0.5:
            self.date_back(self.past + self.step)
        self.touched.clear()
        self.compare()

    def teardown(self) -> None:
        """Remove the project."""
        shutil.rmtree(self.folder, ignore_errors=True)


WarmColdSite.TestCase.settings = settings(
    max_examples=EXAMPLES[PROFILE], stateful_step_count=STEPS[PROFILE], deadline=None, database=None,
    derandomize=PROFILE == "ci", suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
TestWarmColdSite = WarmColdSite.TestCase


@dataclass(frozen=True)
class Choose:
    """Stands for Hypothesis' data object in the fixed sequence: draws the element at index (from the end when
    negative) of a sampled_from strategy."""

    index: int

    def draw(self, strategy: st.SearchStrategy, label: str | None = None) -> object:
        """The chosen element of a sampled_from strategy."""
        elements = strategy.elements  # type: ignore[attr-defined]
        return elements[self.index % len(elements)]


def test_every_kind_of_edit_in_one_fixed_sequence():
    """Each kind of edit once, in an order that makes them meet (a tag added to a new translation, a date
    moved across years on a translated article), with a warm-to-cold comparison after each."""
    machine = WarmColdSite()
    edits = [
        ("change_body", lambda: machine.change_body(Choose(0), BODIES[2], 2)),
        ("change_title", lambda: machine.change_title(Choose(1), "Iraq و العراق")),
        # ar/a1, which has a translation, to another year and month; then another article within its year.
        ("change_date", lambda: machine.change_date(Choose(0), 2019, 12, 28)),
        ("change_date", lambda: machine.change_date(Choose(2), 2016, 2, 1)),
        ("add_tag", lambda: machine.add_tag(Choose(-1), "محلي")),
        ("remove_tag", lambda: machine.remove_tag(Choose(0))),
        ("change_author_report_views",
         lambda: machine.change_author_report_views(Choose(3), "Layla Haddad", REPORTS[2], 1000)),
        ("add_article", lambda: machine.add_article("ar", 2017, 3, ["isis"], BODIES[4])),
        ("add_translation", lambda: machine.add_translation(Choose(-1))),
        ("add_tag", lambda: machine.add_tag(Choose(-1), "terrorism")),
        ("delete_article", lambda: machine.delete_article(Choose(0))),
        ("break_article", lambda: machine.break_article(Choose(0), "invalid YAML")),
        ("break_article", lambda: machine.break_article(Choose(1), "impossible date")),
        ("change_title", lambda: machine.change_title(Choose(0), "عنوان جديد")),  # mends one of the two
        ("fix_articles", lambda: machine.fix_articles()),
        ("edit_template", lambda: machine.edit_template("_macros.html")),
        ("edit_template", lambda: machine.edit_template("home.html")),
        ("edit_catalog", lambda: machine.edit_catalog(CATALOGS[0], 3)),
        ("edit_catalog", lambda: machine.edit_catalog(CATALOGS[1], 0)),
        ("change_page_size", lambda: machine.change_page_size(1)),
        ("change_related_count", lambda: machine.change_related_count(0)),
        ("change_related_count", lambda: machine.change_related_count(3)),
        ("change_feed_content", lambda: machine.change_feed_content("full")),
        ("touch_article", lambda: machine.touch_article(Choose(0))),
        ("nothing", lambda: machine.nothing()),
    ]
    failed = []
    try:
        machine.warm_equals_cold()
        for number, (_, edit) in enumerate(edits):
            edit()
            machine.rng = random.Random(number)
            machine.warm_equals_cold()
            if machine.problems:
                failed.append(edits[number][0])
    finally:
        machine.teardown()
    # Only the two broken articles stop the builds (the comparison of problems is exercised, not everything).
    assert failed == ["break_article", "break_article", "change_title"]


def test_a_benchmark_corpus_rebuilt_without_a_change_writes_nothing(tmp_path: Path):
    """The benchmark's corpus (bench/make_corpus.py), large enough for worker processes: a cold build, then a
    build with nothing changed but one file's mtime (so that the unchanged-build shortcut is not taken) keeps
    every file, and output/ is what a build without the cache makes."""
    spec = importlib.util.spec_from_file_location("bench_make_corpus", REPO / "bench" / "make_corpus.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    root = tmp_path / "corpus"
    module.make_corpus(40, root, seed=1)
    first = build(root, BuildOptions())
    assert parallel.worker_count(first.pages) > 1 or (os.cpu_count() or 1) == 1
    os.utime(sorted((root / "content" / "en").rglob("*.md"))[0])
    again = build(root, BuildOptions())
    assert (again.written, again.pages_rendered) == (0, 0)
    build(root, BuildOptions(output=tmp_path / "cold", use_cache=False))
    assert tree_digest(root / "output") == tree_digest(tmp_path / "cold")
