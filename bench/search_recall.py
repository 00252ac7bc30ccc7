"""Measure how much of what a canonical spelling finds an Arabic reader's variant spelling finds, with Warraq's
search fold and with plain Pagefind, in headless Chromium.

    python bench/search_recall.py [--articles 300] [--seed 1] [--keep DIR]

An archive is generated with bench/make_corpus.py (real Arabic vocabulary), and each Arabic article gets a
paragraph of topic words (TOPICS) written as texts write them: with و ب ل ف ال attached, hamza and ta marbuta as
the dictionary has them. The articles are indexed twice by generator/search.py's build_search: folded (what a
build writes) and plain (raw text, fold=False). Each query of QUERIES pairs a variant spelling (diacritics,
tatweel, hamza seats, ة/ه, ى/ي, prefixes) with its canonical spelling; for each, recall is the share of the
canonical query's results that the variant query also finds, on the same index (folded: both queries folded by
the search page's own search.js; plain: both typed as they are). The "plain" column shows which variants
Pagefind's own Arabic stemmer already folds. Prints a markdown table, the mean recall of each, and the time the
search stage took to index the archive (cold, no cache).

index_seconds(root) is the cold indexing time of a built corpus, used by bench/run.py.
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(REPO))
sys.path.insert(0, str(BENCH))

from make_corpus import make_corpus  # noqa: E402

# Canonical spellings of topic words, as a dictionary writes them.
TOPICS = """
المسؤول المسؤولية مسؤولية شيء الشاطئ بيئة البيئة هيئة الهيئة رئيس الرئيس الرئاسة سؤال المسائل إسرائيل
أحمد أمريكا الأمن الإعلام القرآن آثار الآثار الاقتصاد السياسة الحكومة المنطقة الدولة المدرسة الجامعة
مستشفى المستشفى الفتوى مصطفى الكبرى العراق سوريا لبنان المياه الطاقة الانتخابات البرلمان الإصلاح
الأزمة المواطنين اللاجئين الاستثمار التعليم الصحة القضاء الدستور الإنسان المرأة الأطفال مؤتمر المؤتمر
الاتفاق الهدنة الإرهاب المعارضة
""".split()
PREFIXES = ["", "", "", "و", "ب", "ل", "ف", "وب", "ول"]

# (variant typed, canonical spelling, what differs).
QUERIES = [
    ("مسئول", "مسؤول", "hamza seat ئ/ؤ"), ("المسئولية", "المسؤولية", "hamza seat ئ/ؤ"),
    ("مسئولية", "مسؤولية", "hamza seat ئ/ؤ"), ("شئ", "شيء", "hamza: ئ / يء"), ("شاطىء", "شاطئ", "hamza: ىء / ئ"),
    ("الشاطيء", "الشاطئ", "hamza: يء / ئ"), ("مءتمر", "مؤتمر", "hamza seat ء/ؤ"), ("رءيس", "رئيس", "hamza seat ء/ئ"),
    ("اسرائيل", "إسرائيل", "hamza on alef"), ("احمد", "أحمد", "hamza on alef"), ("امريكا", "أمريكا", "hamza on alef"),
    ("الامن", "الأمن", "hamza on alef"), ("الاعلام", "الإعلام", "hamza on alef"), ("القران", "القرآن", "madda"),
    ("اثار", "آثار", "madda"), ("الإقتصاد", "الاقتصاد", "hamza on alef (added)"), ("الأنتخابات", "الانتخابات", "hamza on alef (added)"),
    ("الاصلاح", "الإصلاح", "hamza on alef"), ("الانسان", "الإنسان", "hamza on alef"), ("الارهاب", "الإرهاب", "hamza on alef"),
    ("الحكومه", "الحكومة", "ة/ه"), ("السياسه", "السياسة", "ة/ه"), ("المنطقه", "المنطقة", "ة/ه"), ("الدوله", "الدولة", "ة/ه"),
    ("المدرسه", "المدرسة", "ة/ه"), ("بيئه", "بيئة", "ة/ه"), ("الهيئه", "الهيئة", "ة/ه"), ("المراه", "المرأة", "ة/ه + hamza"),
    ("مستشفي", "مستشفى", "ى/ي"), ("الفتوي", "الفتوى", "ى/ي"), ("مصطفي", "مصطفى", "ى/ي"), ("الكبري", "الكبرى", "ى/ي"),
    ("السِّيَاسَة", "السياسة", "diacritics"), ("الحُكُومَة", "الحكومة", "diacritics"), ("العِرَاق", "العراق", "diacritics"),
    ("مُؤْتَمَر", "مؤتمر", "diacritics"), ("الاقتصـــاد", "الاقتصاد", "tatweel"), ("البرلمـان", "البرلمان", "tatweel"),
    ("والحكومة", "الحكومة", "prefix و"), ("بالعراق", "العراق", "prefix ب"), ("للسياسة", "السياسة", "prefix ل (لل)"),
    ("فالاقتصاد", "الاقتصاد", "prefix ف"), ("كالدولة", "الدولة", "prefix ك"), ("وبالمياه", "المياه", "prefixes وب"),
    ("وللطاقة", "الطاقة", "prefixes ولل"), ("حكومة", "الحكومة", "article ال dropped"), ("عراق", "العراق", "article ال dropped"),
    ("اقتصاد", "الاقتصاد", "article ال dropped"), ("البرلمان", "برلمان", "article ال added"),
    ("وللمسئولية", "المسؤولية", "prefixes + hamza seat"), ("بالإقتصـاد", "الاقتصاد", "prefix + hamza + tatweel"),
    ("والحكومه", "الحكومة", "prefix + ة/ه"), ("لمستشفي", "مستشفى", "prefix + ى/ي"), ("واسرائيل", "إسرائيل", "prefix + hamza"),
    ("للمدرسه", "المدرسة", "prefix + ة/ه"), ("الرءاسة", "الرئاسة", "hamza seat ء/ئ"), ("والأطفال", "الأطفال", "prefix و"),
]

HARNESS = """<!DOCTYPE html><html lang="ar"><head><meta charset="utf-8"></head><body>
<script type="module" src="search.js"></script></body></html>"""

RECALL_JS = """async ([bundles, queries]) => {
    const open = async (dirs) => {
        const pf = await import(dirs[0] + 'pagefind.js');
        await pf.options({basePath: dirs[0], baseUrl: '/'});
        for (const dir of dirs.slice(1)) await pf.mergeIndex(dir);
        return pf;
    };
    const out = {};
    for (const [name, dirs] of Object.entries(bundles)) {
        const pf = await open(dirs);
        const ask = async (q) => (await pf.search(name === 'folded' ? warraqSearch.searchTerms(q) : q)).results.map(r => r.id);
        out[name] = [];
        for (const [variant, canonical] of queries) out[name].push([await ask(variant), await ask(canonical)]);
    }
    return out;
}"""


def add_topics(root: Path, seed: int) -> None:
    """Append to each Arabic article a paragraph of topic words with the prefixes texts attach."""
    rng = random.Random(seed)
    weights = [1 / (rank + 1) for rank in range(len(TOPICS))]
    for path in sorted((root / "content" / "ar").rglob("*.md")):
        words = []
        for topic in rng.choices(TOPICS, weights, k=10):
            prefix = rng.choice(PREFIXES)
            if topic.startswith("ال") and prefix.endswith("ل"):
                topic = topic[1:]  # ل + ال writes لل
            words.append(prefix + topic)
        with path.open("a", encoding="utf-8") as file:
            file.write("\n\n" + " ".join(words) + ".\n")


def load_site(root: Path):
    """The corpus's Site, and each article's body as its Markdown text (the words are the same)."""
    from generator.config import load_config
    from generator.content import load_articles
    from generator.site import build_site

    config = load_config(root)
    articles, _ = load_articles(config)
    site, _ = build_site(articles, config)
    bodies = {(a.lang, a.slug): SimpleNamespace(html=re.sub(r"\]\([^)]*\)", "]", a.body)) for a in articles}
    return site, bodies


def write_bundles(root: Path, site, bodies, out: Path, fold: bool) -> tuple[float, dict[str, list[str]]]:
    """Index the site into out/ (fold or plain); seconds taken, and each language's shard folders."""
    from generator.search import build_search

    started = time.perf_counter()
    pages = build_search(site, bodies, {}, None, fold=fold)
    seconds = time.perf_counter() - started
    shards: dict[str, list[str]] = {}
    for page in pages:
        target = out / page.url
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(page.content)
        lang, year = page.url.split("/")[1:3]
        folder = f"/{out.name}/pagefind/{lang}/{year}/"
        if folder not in shards.setdefault(lang, []):
            shards[lang].append(folder)
    return seconds, shards


def index_seconds(root: Path) -> float:
    """The search stage's cold time (records folded, Pagefind run, no cache) over a corpus project at root."""
    site, bodies = load_site(root)
    with tempfile.TemporaryDirectory() as scratch:
        seconds, _ = write_bundles(root, site, bodies, Path(scratch) / "folded", True)
    return seconds


def run_queries(served: Path, shards: dict[str, list[str]]) -> dict:
    from playwright.sync_api import sync_playwright

    from tests.browser import CHROMIUM_ARGS, find_chromium, serve

    (served / "harness.html").write_text(HARNESS, encoding="utf-8")
    shutil.copy(REPO / "themes/default/static/js/search.js", served / "search.js")
    with sync_playwright() as playwright, serve(served) as base:
        browser = playwright.chromium.launch(executable_path=find_chromium(), args=CHROMIUM_ARGS)
        page = browser.new_page()
        page.goto(base + "harness.html", wait_until="networkidle")
        page.wait_for_function("() => globalThis.warraqSearch")
        found = page.evaluate(RECALL_JS, [shards, [[v, c] for v, c, _ in QUERIES]])
        browser.close()
    return found


def recall(pair: list[list[str]]) -> float | None:
    variant, canonical = (set(ids) for ids in pair)
    return len(variant & canonical) / len(canonical) if canonical else None


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description="Recall of variant Arabic spellings, folded vs plain Pagefind.")
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="keep the corpus and bundles in this folder")
    args = parser.parse_args(argv)
    scratch = None if args.keep else tempfile.TemporaryDirectory(prefix="warraq-recall-")
    base = args.keep or Path(scratch.name)
    try:
        root = base / "corpus"
        make_corpus(args.articles, root, args.seed)
        add_topics(root, args.seed)
        site, bodies = load_site(root)
        served = base / "served"
        shutil.rmtree(served, ignore_errors=True)
        folded_seconds, folded = write_bundles(root, site, bodies, served / "folded", True)
        plain_seconds, plain = write_bundles(root, site, bodies, served / "plain", False)
        found = run_queries(served, {"folded": folded["ar"], "plain": plain["ar"]})
    finally:
        if scratch:
            scratch.cleanup()
    articles = sum(len(language.entries) for language in site.languages)
    print(f"{articles} articles ({args.articles} Arabic); indexing: folded {folded_seconds:.2f} s, "
          f"plain {plain_seconds:.2f} s\n")
    print("| variant | canonical | what differs | canonical finds | folded recall | plain Pagefind recall |")
    print("| --- | --- | --- | ---: | ---: | ---: |")
    totals = {"folded": [], "plain": []}
    stemmer_folds = []
    for index, (variant, canonical, kind) in enumerate(QUERIES):
        cells = []
        for name in ("folded", "plain"):
            value = recall(found[name][index])
            if value is not None:
                totals[name].append(value)
            cells.append("–" if value is None else f"{value:.0%}")
        if cells[1] == "100%":
            stemmer_folds.append(f"{variant} → {canonical} ({kind})")
        print(f"| {variant} | {canonical} | {kind} | {len(found['folded'][index][1])} / {len(found['plain'][index][1])} "
              f"| {cells[0]} | {cells[1]} |")
    print()
    for name in ("folded", "plain"):
        values = totals[name]
        print(f"mean recall, {name}: {sum(values) / len(values):.1%} over {len(values)} queries "
              f"(min {min(values):.0%})")
    print(f"\nPlain Pagefind (its Arabic stemmer) already finds everything for {len(stemmer_folds)} of "
          f"{len(QUERIES)} variants: " + ("; ".join(stemmer_folds) or "none"))
    return 0 if sum(totals["folded"]) / len(totals["folded"]) >= 0.95 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
