"""Search (generator/search.py, generator/arabic/search_fold.py): the fold, the records, and the Pagefind
bundles a build writes (per language and year, only article text, deterministic, cached, stale files gone)."""

from __future__ import annotations

import datetime
import gzip
import hashlib
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from generator.arabic.normalise import fold_for_matching
from generator.arabic.search_fold import MAX_WORD, fold_word, index_terms, peel, search_terms
from generator.content import Article
from generator import search
from generator.search import BUNDLE_FILES, RECORDS_FOLDER, SearchFailed, article_record, html_text, read_answers
from generator.site import Entry
from tests.conftest import run_cli


# ---------------------------------------------------------------------------
# The fold
# ---------------------------------------------------------------------------

@pytest.mark.parametrize("variant,canonical", [
    ("مسئول", "مسؤول"), ("المسئولية", "المسؤولية"), ("شئ", "شيء"), ("شاطىء", "شاطئ"), ("بريء", "برئ"),
    ("إسرائيل", "اسرائيل"), ("آمال", "امال"), ("أحمد", "احمد"), ("ٱلله", "الله"),
    ("مدرسه", "مدرسة"), ("مستشفي", "مستشفى"), ("السِّيَاسَةُ", "السياسة"), ("الـــعـــراق", "العراق"),
    ("ﻻ", "لا"), ("١٩٤٨", "1948"), ("۱۴۰۲", "1402"), ("Syria", "syria"), ("نص\u200f", "نص"),
])
def test_variant_spellings_fold_to_one_word(variant, canonical):
    assert fold_word(variant) == fold_word(canonical)


@pytest.mark.parametrize("word,peeled", [
    ("للسياسة", "سياسه"), ("والاقتصاد", "اقتصاد"), ("بالعراق", "عراق"), ("فالكتاب", "كتاب"),
    ("وللمدرسة", "مدرسه"), ("كالبحر", "بحر"), ("السياسة", "سياسه"), ("سياسة", "سياسه"), ("وبالمياه", "مياه"),
    ("والحكومة", "حكومه"), ("وزارة", "زاره"),
    # At least three letters stay.
    ("وال", "وال"), ("الله", "الله"), ("ولد", "ولد"), ("والد", "الد"),
    # A lone ب ك ل ف stays: too many words begin with those letters.
    ("لبنان", "لبنان"), ("ولبنان", "لبنان"), ("كبير", "كبير"), ("بيان", "بيان"), ("فتوى", "فتوي"),
    ("لمستشفى", "لمستشفي"),
])
def test_prefixes_are_peeled_while_three_letters_stay(word, peeled):
    assert peel(fold_word(word)) == peeled


def test_the_index_and_the_query_hold_each_word_folded_and_peeled():
    assert index_terms("وللسِّياسة، والاقتصاد في العراق") == "سياسه اقتصاد في عراق"
    assert search_terms("للسياسة والاقتصاد بالعراق") == "سياسه اقتصاد عراق"
    assert search_terms("  ؟!  ") == ""


def test_the_search_fold_differs_from_tag_matching_only_in_hamza_seats():
    # Tags match on fold_for_matching, whose behaviour this module must not change; search folds ؤ and ئ
    # further, to the bare hamza, so that the two seats meet.
    assert fold_for_matching("مسؤول") == "مسوول" and fold_for_matching("مسئول") == "مسيول"
    assert fold_word("مسؤول") == fold_word("مسئول") == "مسءول"
    for word in ("السياسة", "أحمد", "مستشفى", "الـعراق"):
        assert fold_word(word) == fold_for_matching(word)


ARABIC = st.sampled_from(list("ءآأؤإئابةتثجحخدذرسشصضطظعغفقكلمنهوىيًٌٍَُِّْـٰٱ٠١٢٫ ﻻﷲ\u200c\u200d\u200f\ufeff"))


@given(st.text(ARABIC | st.characters(), max_size=40))
def test_the_fold_never_raises_and_is_idempotent(text):
    folded = fold_word(text)
    assert fold_word(folded) == folded
    terms = search_terms(text)
    assert search_terms(terms) == terms
    assert all(peel(word) == word for word in terms.split())


@given(st.text(ARABIC, max_size=30))
def test_a_query_sends_what_the_index_holds_for_the_same_text(text):
    assert search_terms(text) == index_terms(text)


@given(st.lists(st.text(st.one_of(ARABIC, st.sampled_from(list("abc"))), max_size=90), max_size=6))
def test_the_index_holds_the_query_terms_of_a_text_less_words_too_long_to_search(chunks):
    """A run over MAX_WORD characters (a pasted blob) is left out of the index: Pagefind's time grows fast with a
    word's length, and no reader types such a word."""
    text = " ".join(chunks)
    indexed = index_terms(text)
    assert indexed.split() == [word for word in search_terms(text).split() if len(word) <= MAX_WORD]


def test_a_blob_in_an_article_is_not_indexed_but_the_words_around_it_are():
    blob, longest = "ك" * 400_000, "ب" * MAX_WORD
    assert index_terms(f"العراق {blob} والسياسة {longest}") == f"عراق سياسه {longest}"


@given(st.sampled_from(["سياسة", "اقتصاد", "مدرسة", "عراق", "مسؤول", "شاطئ", "حكومة"]),
       st.sampled_from(["", "ال", "وال", "بال", "فال", "كال", "لل", "و", "ولل", "وبال"]),
       st.sampled_from(["", "\u064e", "\u0640"]))
def test_a_word_with_any_prefix_or_mark_reaches_the_same_term(word, prefix, mark):
    spelled = prefix + mark.join(word)
    assert search_terms(spelled) == index_terms(word)


# ---------------------------------------------------------------------------
# Records: only the article's own text
# ---------------------------------------------------------------------------

def test_a_record_holds_title_summary_and_body_text_and_shows_title_date_summary():
    article = Article(path="content/ar/a.md", lang="ar", slug="a", title="السياسة", date=datetime.date(2020, 1, 2),
                      body="", summary="ملخص", tags=("اقتصاد",))
    entry = Entry(article, "ar/2020/01/a/", (), None)
    record = article_record(entry, "<p>في <a href='/x'>العراق</a> &amp; <code>x&lt;y</code></p>")
    assert record.url == "ar/2020/01/a/" and record.lang == "ar"
    assert record.content == "سياسه ملخص في عراق x y"
    assert dict(record.meta) == {"title": "السياسة", "date": "2020-01-02", "summary": "ملخص"}
    assert article_record(entry, "<p>العراق</p>", fold=False).content == "السياسة ملخص العراق"


def test_html_text_drops_tags_and_decodes_entities():
    assert html_text("<h2 id='x'>عنوان</h2>\n<p>a&nbsp;b &quot;c&quot;</p>") == 'عنوان a b "c"'


def test_a_pagefind_error_is_reported_in_one_line():
    import base64
    answer = base64.b64encode(json.dumps({"message_id": 2, "payload": {"type": "Error", "message": "bad"}}).encode())

    class Pipe:
        def __init__(self, data):
            self.data = [data]

        def read1(self, size):
            return self.data.pop() if self.data else b""

    assert read_answers(Pipe(answer + b","), 3) == ("bad", [])
    assert read_answers(Pipe(b""), 3) == ("the service exited before writing the index", [])
    assert str(SearchFailed("search: Pagefind failed: bad")) == "search: Pagefind failed: bad"


# ---------------------------------------------------------------------------
# The bundles a build writes
# ---------------------------------------------------------------------------

def make_archive(make_site):
    site = make_site()
    site.article("ar", "old", title="مقال قديم عن السياسة", date="2019-03-04", body="نص عن الاقتصاد في العراق.")
    site.article("ar", "new", title="مقال جديد", date="2021-05-06", body="نص عن الشاطئ.", tags='"syria"')
    site.article("en", "english", title="An English article", date="2021-05-06", body="About water.")
    return site


def bundle_files(output: Path) -> dict[str, bytes]:
    return {path.relative_to(output).as_posix(): path.read_bytes()
            for path in sorted((output / "pagefind").rglob("*")) if path.is_file()}


def fragments(output: Path, folder: str) -> list[dict]:
    found = []
    for path in sorted((output / "pagefind" / folder / "fragment").glob("*.pf_fragment")):
        data = gzip.decompress(path.read_bytes())
        found.append(json.loads(data[len(b"pagefind_dcd"):]))
    return found


def test_a_build_writes_one_bundle_per_language_and_year_holding_only_article_text(make_site):
    site = make_archive(make_site)
    assert site.build().code == 0
    output = site.root / "output"
    shards = sorted(path.relative_to(output / "pagefind").as_posix()
                    for path in (output / "pagefind").glob("*/*") if path.is_dir())
    assert shards == ["ar/2019", "ar/2021", "en/2021"]
    entry = json.loads((output / "pagefind/ar/2019/pagefind-entry.json").read_text())
    assert entry["version"] == "1.5.2" and list(entry["languages"]) == ["ar"]
    assert entry["languages"]["ar"]["page_count"] == 1
    assert list(json.loads((output / "pagefind/en/2021/pagefind-entry.json").read_text())["languages"]) == ["en"]
    (old,) = fragments(output, "ar/2019")
    assert old["url"] == "ar/2019/03/old/"
    assert old["meta"]["title"] == "مقال قديم عن السياسة" and old["meta"]["date"] == "2019-03-04"
    assert old["content"] == "مقال قديم عن سياسه نص عن اقتصاد في عراق"
    # Menus, the footer and the site's name are no part of any record.
    for record in fragments(output, "ar/2021") + fragments(output, "en/2021"):
        for chrome in ("الموضوعات", "الأرشيف", "Topics", "Archive", "Warraq", "سوريا", "syria"):
            assert chrome not in record["content"]
    # Only what the search page uses: no Pagefind UI files.
    assert all(BUNDLE_FILES.fullmatch(name.split("/", 3)[3]) for name in bundle_files(output))
    search_page = site.read("ar/search/index.html")
    assert 'data-bundles="/ar/pagefind/' not in search_page
    assert 'data-bundles="/pagefind/ar/2021/ /pagefind/ar/2019/"' in search_page


def test_the_search_page_is_accessible_without_script(make_site):
    site = make_archive(make_site)
    assert site.build("--base-url", "https://x.github.io/repo/").code == 0
    page = site.read("ar/search/index.html")
    assert '<form class="search-form" role="search" action="/repo/ar/search/" method="get"' in page
    assert '<label for="search-query">ابحث في المقالات</label>' in page
    assert 'role="status" aria-live="polite"' in page
    assert "<noscript><p class=\"search-note\">يحتاج البحث إلى جافاسكربت" in page
    assert 'data-bundles="/repo/pagefind/ar/2021/ /repo/pagefind/ar/2019/"' in page
    assert 'data-count-two="نتيجتان"' in page and 'data-count-many="{n} نتيجة"' in page
    assert '<script type="module" src="/repo/' in page
    english = site.read("en/search/index.html")
    assert 'data-count-one="{n} result"' in english and 'dir="ltr"' in english
    assert 'action="/repo/en/search/"' in site.read("en/index.html")


def test_two_builds_write_the_same_bundle_bytes(make_site, tmp_path):
    site = make_archive(make_site)
    assert site.build().code == 0
    first = bundle_files(site.root / "output")
    import shutil
    shutil.rmtree(site.root / "output")
    shutil.rmtree(site.root / ".warraq-cache")
    assert site.build().code == 0
    assert bundle_files(site.root / "output") == first


def test_an_edit_reindexes_one_shard_and_stale_files_are_removed(make_site):
    site = make_archive(make_site)
    assert site.build().code == 0
    cache = site.root / ".warraq-cache" / "search"
    before = bundles_in(cache)
    old_fragments = set((site.root / "output/pagefind/ar/2021/fragment").iterdir())
    site.article("ar", "new", title="مقال جديد معدل", date="2021-05-06", body="نص عن البحر.")
    assert site.build().code == 0
    after = bundles_in(cache)
    # Two of three shards are read back untouched from the cache; one is indexed anew.
    assert len(after) == 3 and len(set(before.items()) & set(after.items())) == 2
    new_fragments = set((site.root / "output/pagefind/ar/2021/fragment").iterdir())
    assert new_fragments.isdisjoint(old_fragments)
    (site.root / "content/ar/old.md").unlink()
    assert site.build().code == 0
    assert not (site.root / "output/pagefind/ar/2019").exists()
    assert sorted(path.name for path in (site.root / "output/pagefind/ar").iterdir()) == ["2021"]
    assert len(bundles_in(cache)) == 2
    # The records of a year with no article left are gone too.
    assert sorted(path.name for path in (cache / RECORDS_FOLDER).iterdir()) == ["ar-2021.pickle", "en-2021.pickle"]
    assert 'data-bundles="/pagefind/ar/2021/"' in site.read("ar/search/index.html")


def test_a_pagefind_failure_while_pages_render_stops_the_build_and_leaves_output_as_it_was(make_site, tmp_path,
                                                                                          monkeypatch):
    # Pagefind indexes in threads while the pages are rendered: its failure must still stop the build with its
    # own line, before anything reaches output/, with no thread or half-made bundle left behind.
    import threading
    site = make_archive(make_site)
    assert site.build().code == 0
    before = {path: path.read_bytes() for path in sorted((site.root / "output").rglob("*")) if path.is_file()}
    cached = set((site.root / ".warraq-cache" / "search").iterdir())
    failing = tmp_path / "pagefind"
    failing.write_text("#!/bin/sh\nexit 3\n")
    failing.chmod(0o755)
    monkeypatch.setattr(search, "pagefind_binary", lambda: str(failing))
    site.article("ar", "new", title="مقال جديد معدل", date="2021-05-06", body="نص عن البحر.")
    threads = threading.active_count()
    result = site.build()
    assert (result.code, result.err) == (1, "search: Pagefind failed: the service exited before writing the index\n")
    assert threading.active_count() == threads
    assert {path: path.read_bytes() for path in sorted((site.root / "output").rglob("*")) if path.is_file()} == before
    # The edited shard's bundle was never made, not even in part (the stale one may have gone: it is unused).
    assert set((site.root / ".warraq-cache" / "search").iterdir()) <= cached
    monkeypatch.undo()
    assert site.build().code == 0
    assert any("البحر" in page.read_text(encoding="utf-8") for page in (site.root / "output/ar").rglob("index.html"))


def test_an_edit_indexed_beside_forked_render_workers_gives_a_cold_build_s_bytes(make_site, tmp_path, monkeypatch):
    # The edited year is indexed in a thread while the pages render in forked workers (which inherit Pagefind's
    # pipes): the build must neither hang nor leave Pagefind running, and must give a cold build's bytes.
    import shutil
    from generator import parallel
    monkeypatch.setattr(parallel, "MIN_ITEMS", 2)
    site = make_archive(make_site)
    assert site.build().code == 0
    site.article("ar", "new", title="مقال جديد معدل", date="2021-05-06", body="نص عن البحر.", tags='"syria"')
    result = site.build()
    assert result.code == 0, result.err
    children = [path for path in Path("/proc").iterdir() if path.name.isdigit()
                and (path / "stat").read_text().rsplit(")", 1)[1].split()[1] == str(os.getpid())
                and (path / "comm").read_text().strip() == "pagefind"]
    assert children == []
    cold = tmp_path / "cold"
    shutil.copytree(site.root, cold, ignore=shutil.ignore_patterns("output", ".warraq-cache"))
    assert run_cli("--root", str(cold)).code == 0
    assert tree_bytes(site.root / "output") == tree_bytes(cold / "output")


def tree_bytes(folder: Path) -> dict[str, bytes]:
    return {path.relative_to(folder).as_posix(): path.read_bytes() for path in sorted(folder.rglob("*"))
            if path.is_file()}


def bundles_in(cache: Path) -> dict[str, int]:
    """The cached bundles (not the records folder), with their inode."""
    return {path.name: path.stat().st_ino for path in cache.iterdir() if path.name != RECORDS_FOLDER}


def test_reindexing_a_year_folds_only_the_edited_article(make_site, monkeypatch):
    site = make_archive(make_site)
    site.article("ar", "third", title="مقال ثالث", date="2021-07-08", body="نص عن الجبال.")
    assert site.build().code == 0
    first = bundle_files(site.root / "output")
    folded: list[str] = []
    real = search.article_record
    monkeypatch.setattr(search, "article_record", lambda entry, *rest: folded.append(entry.url) or real(entry, *rest))
    site.article("ar", "new", title="مقال جديد معدل", date="2021-05-06", body="نص عن البحر.")
    assert site.build().code == 0
    # The 2021 shard is indexed again with its other article's text taken from the records file.
    assert folded == ["ar/2021/05/new/"]
    texts = {record["url"]: record["content"] for record in fragments(site.root / "output", "ar/2021")}
    assert texts == {"ar/2021/05/new/": "مقال جديد معدل نص عن بحر", "ar/2021/07/third/": "مقال ثالث نص عن جبال"}
    # And the bundle is the one a cold build makes.
    warm = bundle_files(site.root / "output")
    assert warm != first
    import shutil
    shutil.rmtree(site.root / "output")
    shutil.rmtree(site.root / ".warraq-cache")
    folded.clear()
    assert site.build().code == 0
    assert bundle_files(site.root / "output") == warm and len(folded) == 4


def test_a_warm_build_reads_only_the_reindexed_shard_s_files(make_site, monkeypatch):
    site = make_archive(make_site)
    assert site.build().code == 0
    output = site.root / "output"
    cache = site.root / ".warraq-cache" / "search"
    # The bundles' manifests list the hash of exactly the files published.
    published = sorted(hashlib.sha256(data).digest() for data in bundle_files(output).values())
    assert sorted(sha for key in bundles_in(cache) for _, sha in search.read_manifest(cache / key)) == published
    before = set(bundles_in(cache))
    loaded: list[str] = []
    real = search.load_bundle_file
    monkeypatch.setattr(search, "load_bundle_file",
                        lambda bundle, name, sha: loaded.append(bundle.name) or real(bundle, name, sha))
    site.article("en", "english", title="An English article", date="2021-05-06", body="About the sea.")
    assert site.build().code == 0
    # Only the new en/2021 bundle's files are read; the two unchanged shards' files stay in output/ unread.
    new = set(bundles_in(cache)) - before
    assert len(new) == 1 and loaded and set(loaded) == new
    assert [record["content"] for record in fragments(output, "en/2021")] == ["an english article about the sea"]


def test_a_changed_cached_bundle_file_is_one_message(make_site):
    site = make_archive(make_site)
    assert site.build().code == 0
    cache = site.root / ".warraq-cache" / "search"
    import shutil
    shutil.rmtree(site.root / "output")
    for key in bundles_in(cache):
        (cache / key / "pagefind-entry.json").write_text("{}")
    result = site.build()
    assert result.code == 1
    assert "search: " in result.err and "pagefind-entry.json changed after it was indexed; delete " in result.err
    assert "Traceback" not in result.err


def test_a_cached_bundle_holds_only_what_the_search_page_uses_and_its_manifest(make_site):
    site = make_archive(make_site)
    assert site.build().code == 0
    cache = site.root / ".warraq-cache" / "search"
    for key in bundles_in(cache):
        bundle = cache / key
        names = sorted(path.relative_to(bundle).as_posix() for path in bundle.rglob("*") if path.is_file())
        # Pagefind's UI files (pagefind-ui.js and the like) are not kept; the manifest hashes every other file.
        assert search.MANIFEST in names and not any("-ui" in name for name in names)
        assert all(BUNDLE_FILES.fullmatch(name) for name in names if name != search.MANIFEST)
        manifest = search.read_manifest(bundle)
        assert [name for name, _ in manifest] == search.bundle_names(bundle)
        assert all(hashlib.sha256((bundle / name).read_bytes()).digest() == sha for name, sha in manifest)


def test_a_language_without_articles_gets_a_search_page_with_no_bundle(make_site):
    site = make_site()
    site.article("ar", "only", title="مقال", date="2020-01-01")
    assert site.build().code == 0
    assert 'data-bundles=""' in site.read("en/search/index.html")
    assert not (site.root / "output/pagefind/en").exists()


def test_folding_waits_for_pagefind_so_that_at_most_one_shard_s_records_wait(make_site, monkeypatch):
    # A cold build folds every year's records in the build's thread while Pagefind indexes them in others. If
    # folding ran ahead, a large archive held every year's records at once (a hundred megabytes at 5,000
    # articles): before each shard is folded, at most one per indexer may be submitted and unfinished.
    import threading
    import time
    site = make_site()
    for year in range(2010, 2018):
        site.article("ar", f"a{year}", title=f"مقال عام {year}", date=f"{year}-03-04", body="نص عن الاقتصاد.")
    lock = threading.Lock()
    submitted, finished, unfinished_at_fold = [0], [0], []
    real_index, real_records = search.index_shard, search.shard_records

    def slow_index(*args, **kwargs):
        time.sleep(0.1)  # Pagefind slower than the fold, as on a large archive
        real_index(*args, **kwargs)
        with lock:
            finished[0] += 1

    def counted_records(*args, **kwargs):
        with lock:
            unfinished_at_fold.append(submitted[0] - finished[0])
            submitted[0] += 1
        return real_records(*args, **kwargs)

    monkeypatch.setattr(search, "index_shard", slow_index)
    monkeypatch.setattr(search, "shard_records", counted_records)
    assert site.build().code == 0
    indexers = min(8, os.cpu_count() or 1)
    assert len(unfinished_at_fold) == 8 and finished[0] == 8
    assert max(unfinished_at_fold) <= indexers
    # The bound is reached (the fold did wait), not merely never needed.
    assert max(unfinished_at_fold) == indexers
    assert len([path for path in (site.root / "output" / "pagefind" / "ar").iterdir()]) == 8


def test_a_failed_year_stops_the_folding_of_the_others(make_site, tmp_path, monkeypatch):
    # A cold build of many years that meets a Pagefind failure stops with its line once the failure is known,
    # rather than folding and indexing every other year first (minutes at 20,000 articles).
    site = make_site()
    for year in range(2010, 2018):
        site.article("ar", f"a{year}", title=f"مقال عام {year}", date=f"{year}-03-04", body="نص عن الاقتصاد.")
    failing = tmp_path / "pagefind"
    failing.write_text("#!/bin/sh\nexit 3\n")
    failing.chmod(0o755)
    monkeypatch.setattr(search, "pagefind_binary", lambda: str(failing))
    folded: list[int] = []
    real_records = search.shard_records
    monkeypatch.setattr(search, "shard_records",
                        lambda shard, *rest: folded.append(shard.year) or real_records(shard, *rest))
    result = site.build()
    assert (result.code, result.err) == (1, "search: Pagefind failed: the service exited before writing the index\n")
    assert not (site.root / "output").exists()
    # The indexers' first years, one waiting, and at most one more folded while the failure came in.
    assert len(folded) <= min(8, os.cpu_count() or 1) + 2 < 8, folded


def test_a_bundle_removal_cut_short_leaves_no_part_of_the_bundle_under_its_key(make_site, monkeypatch):
    # A build killed while it deleted an unused bundle left the bundle under its key with files missing; a later
    # build whose shard had that key again took it as whole and stopped, unable to read them. A removal cut
    # short now leaves only a folder under a name that is no key, which the next build removes.
    site = make_archive(make_site)
    assert site.build().code == 0
    cache = site.root / ".warraq-cache" / "search"
    key = sorted(bundles_in(cache))[0]
    real_rmtree = search.shutil.rmtree

    def killed_halfway(path, ignore_errors=False):
        next(path for path in Path(path).rglob("*") if path.is_file()).unlink()
        raise KeyboardInterrupt  # the build dies here

    monkeypatch.setattr(search.shutil, "rmtree", killed_halfway)
    with pytest.raises(KeyboardInterrupt):
        search.remove_entries([cache / key])
    monkeypatch.setattr(search.shutil, "rmtree", real_rmtree)
    assert not (cache / key).exists()
    leftovers = [path.name for path in cache.iterdir() if path.name.startswith(key)]
    assert len(leftovers) == 1 and leftovers[0] != key
    # The next build indexes that shard again, removes the leftover, and gives a cold build's bytes.
    shutil.rmtree(site.root / "output")
    assert site.build().code == 0
    assert not [path for path in cache.iterdir() if path.name.startswith(key) and path.name != key]
    warm = tree_bytes(site.root / "output")
    shutil.rmtree(site.root / "output")
    shutil.rmtree(site.root / ".warraq-cache")
    assert site.build().code == 0
    assert tree_bytes(site.root / "output") == warm


def test_an_edit_s_pagefind_runs_while_the_cache_is_read_and_the_other_files_are_staged(make_site, monkeypatch):
    # Pagefind's re-index of the edited year is the longest path of a one-article rebuild: the build starts it
    # before reading the cache's page table and memo, and stages the rest of the site while it runs.
    from generator import pipeline
    from generator.cache import BuildCache

    site = make_archive(make_site)
    assert site.build().code == 0
    events: list[str] = []
    run_pagefind, start_search, stage_others = search.run_pagefind, pipeline.start_search, pipeline.stage_others
    load_memo, prepare_memo = BuildCache.load_memo, BuildCache.prepare_memo

    def slow_pagefind(records, output):
        time.sleep(0.5)
        files = run_pagefind(records, output)
        events.append("pagefind done")
        return files

    def record(name, call):
        def recorded(*args, **kwargs):
            result = call(*args, **kwargs)
            events.append(name)
            return result
        return recorded

    monkeypatch.setattr(search, "run_pagefind", slow_pagefind)
    monkeypatch.setattr(pipeline, "start_search", record("search started", start_search))
    monkeypatch.setattr(BuildCache, "load_memo", record("memo read", load_memo))
    monkeypatch.setattr(BuildCache, "prepare_memo", record("memo pickled", prepare_memo))
    monkeypatch.setattr(pipeline, "stage_others", lambda staging, others, known: events.append(
        "staged " + " ".join(sorted(page.url.split("/")[0] for page in others))) or stage_others(staging, others, known))
    site.article("ar", "new", title="مقال جديد", date="2021-05-06", body="نص عن البحر.", tags='"syria"')
    before = tree_bytes(site.root / "output")
    assert site.build().code == 0
    assert events.index("search started") < events.index("memo read")
    first = next(event for event in events if event.startswith("staged"))
    assert "robots.txt" in first and "pagefind" not in first
    assert events.index(first) < events.index("memo pickled") < events.index("pagefind done")
    # The search files are staged last, and the output is a cold build's.
    assert events[-1].startswith("staged pagefind")
    shutil.rmtree(site.root / ".warraq-cache")
    warm = tree_bytes(site.root / "output")
    assert site.build().code == 0 and tree_bytes(site.root / "output") == warm != before
