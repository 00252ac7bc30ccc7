"""A build that defers search (BuildOptions.defer_search, `serve`'s first pass after an edit): the edited year's
shard stays as output/ has it, from the very bundle the cache kept, its records are left for index_pending, and
the next build of any kind (with the shard indexed by index_pending or not) gives the bytes of a cold build; a
shard that output/ does not have yet is never deferred."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from generator.cache import CACHE_DIR
from generator.guard import STAGING
from generator.pipeline import BuildOptions, build
from generator import search
from generator.search import CACHE_FOLDER, PENDING_FOLDER, RECORDS_FOLDER, Shard, index_pending, last_bundles
from tests.conftest import SiteDir


def make_archive(make_site) -> SiteDir:
    site = make_site()
    site.article("ar", "old", title="مقال قديم عن السياسة", date="2019-03-04", body="نص عن الاقتصاد في العراق.")
    site.article("ar", "new", title="مقال جديد", date="2021-05-06", body="نص عن الشاطئ.")
    site.article("ar", "other", title="مقال آخر", date="2021-08-09", body="نص عن الجبال.")
    site.article("en", "english", title="An English article", date="2021-05-06", body="About water.")
    return site


def tree(folder: Path) -> dict[str, str]:
    """Every file under folder (the staging folder aside) with the hash of its bytes."""
    return {path.relative_to(folder).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(folder.rglob("*")) if path.is_file() and STAGING not in path.parts}


def search_tree(site: SiteDir) -> dict[str, str]:
    return {name: sha for name, sha in tree(site.root / "output").items() if name.startswith("pagefind/")}


def cold_tree(site: SiteDir, scratch: Path) -> dict[str, str]:
    """What a cold build of the site's input writes: a copy of the project without cache or output/."""
    copy = SiteDir(scratch)
    shutil.copytree(site.root, copy.root, ignore=shutil.ignore_patterns("output", CACHE_DIR))
    assert copy.build().code == 0
    return tree(copy.root / "output")


def deferring(site: SiteDir):
    return build(site.root, BuildOptions(output=site.root / "output", defer_search=True))


def shards_of(deferred: tuple[str, ...]) -> list[str]:
    """The <lang>-<yyyy> of each pending records file a deferring build named."""
    return sorted(Path(path).name.rsplit("-", 1)[0] for path in deferred)


def cached_bundles(site: SiteDir) -> set[str]:
    return {path.name for path in (site.root / CACHE_DIR / CACHE_FOLDER).iterdir() if path.name != RECORDS_FOLDER}


def test_a_deferred_shard_stays_as_output_has_it_and_the_next_build_indexes_it(make_site, tmp_path):
    site = make_archive(make_site)
    assert site.build().code == 0
    before, bundles = search_tree(site), cached_bundles(site)
    site.article("ar", "new", title="مقال جديد معدل", date="2021-05-06", body="نص عن البحر.")
    result = deferring(site)
    assert shards_of(result.search_deferred) == ["ar-2021"]
    assert all(Path(path).parent == site.root / CACHE_DIR / PENDING_FOLDER for path in result.search_deferred)
    # The page is the edited one; the search files are all as they were, and the old bundle is still cached.
    assert "مقال جديد معدل" in site.read("ar/2021/05/new/index.html")
    assert search_tree(site) == before
    assert cached_bundles(site) == bundles
    # Nothing changed since, yet the next build (a crash in between: no second pass) indexes the shard: it is
    # not skipped as unchanged, and its output is a cold build's.
    run = site.build()
    assert run.code == 0, run.err
    assert "nothing written" not in run.out
    after = search_tree(site)
    assert {name for name in after if after[name] != before.get(name)} >= {"pagefind/ar/2021/pagefind-entry.json"}
    assert {name: sha for name, sha in after.items() if not name.startswith("pagefind/ar/2021/")} \
        == {name: sha for name, sha in before.items() if not name.startswith("pagefind/ar/2021/")}
    assert tree(site.root / "output") == cold_tree(site, tmp_path / "cold")
    # The deferred shard's old bundle is gone from the cache now; the other two are the same.
    assert len(cached_bundles(site)) == 3 and len(cached_bundles(site) & bundles) == 2
    # And a build with nothing changed now writes nothing.
    assert "nothing written" in site.build().out


def test_two_edits_deferred_in_a_row_keep_the_bundle_output_has(make_site, tmp_path):
    site = make_archive(make_site)
    assert site.build().code == 0
    before = search_tree(site)
    site.article("ar", "new", title="مقال جديد معدل", date="2021-05-06", body="نص عن البحر.")
    assert shards_of(deferring(site).search_deferred) == ["ar-2021"]
    site.article("ar", "old", title="مقال قديم معدل", date="2019-03-04", body="نص عن النهر.")
    assert shards_of(deferring(site).search_deferred) == ["ar-2019", "ar-2021"]
    assert search_tree(site) == before
    # serve's second build, without index_pending before it (it failed, say): it indexes both shards itself.
    assert build(site.root, BuildOptions(output=site.root / "output")).search_deferred == ()
    assert tree(site.root / "output") == cold_tree(site, tmp_path / "cold")


def test_a_shard_output_does_not_have_is_indexed_at_once(make_site, tmp_path):
    site = make_archive(make_site)
    assert site.build().code == 0
    site.article("ar", "newer", title="مقال أحدث", date="2023-01-02", body="نص عن الصحراء.")
    result = deferring(site)
    # The 2021 and 2019 shards are unchanged; the 2023 one is new, so it is indexed now.
    assert result.search_deferred == ()
    assert (site.root / "output/pagefind/ar/2023/pagefind-entry.json").is_file()
    assert tree(site.root / "output") == cold_tree(site, tmp_path / "cold")


def test_a_shard_whose_bundle_left_the_cache_is_indexed_at_once(make_site, tmp_path):
    site = make_archive(make_site)
    assert site.build().code == 0
    site.article("ar", "new", title="مقال جديد معدل", date="2021-05-06", body="نص عن البحر.")
    for name in cached_bundles(site):
        shutil.rmtree(site.root / CACHE_DIR / CACHE_FOLDER / name)
    assert deferring(site).search_deferred == ()
    assert tree(site.root / "output") == cold_tree(site, tmp_path / "cold")


class Row:
    def __init__(self, sha256: bytes) -> None:
        self.sha256 = sha256


def test_the_last_bundle_is_the_one_whose_manifest_matches_output_s_record_exactly(make_site):
    site = make_archive(make_site)
    assert site.build().code == 0
    folder = site.root / CACHE_DIR / CACHE_FOLDER
    candidates = sorted(path for path in folder.iterdir() if path.name != RECORDS_FOLDER)
    output = site.root / "output"
    last = {name: Row(bytes.fromhex(sha)) for name, sha in tree(output).items()}
    shards = [Shard("ar", 2021, ()), Shard("ar", 2019, ()), Shard("ar", 2030, ())]
    found = last_bundles(shards, last, candidates)
    assert sorted(found) == ["pagefind/ar/2019/", "pagefind/ar/2021/"]
    assert found["pagefind/ar/2021/"] != found["pagefind/ar/2019/"]
    # One file of the record differs (a hand edit the record saw, say): that shard has no last bundle.
    entry = "pagefind/ar/2021/pagefind-entry.json"
    last[entry] = Row(b"\0" * 32)
    assert sorted(last_bundles(shards, last, candidates)) == ["pagefind/ar/2019/"]
    del last[entry]
    assert sorted(last_bundles(shards, last, candidates)) == ["pagefind/ar/2019/"]


def test_index_pending_makes_the_bundle_the_next_build_applies_without_pagefind(make_site, tmp_path, monkeypatch):
    site = make_archive(make_site)
    assert site.build().code == 0
    site.article("ar", "new", title="مقال جديد معدل", date="2021-05-06", body="نص عن البحر.")
    deferred = deferring(site).search_deferred
    assert index_pending(deferred)
    assert not any(Path(path).exists() for path in deferred)
    # Nothing is left in the pending folder: the bundle was made there and renamed into the cache.
    assert list((site.root / CACHE_DIR / PENDING_FOLDER).iterdir()) == []

    def no_pagefind(*args, **kwargs):
        raise AssertionError("indexed again")

    monkeypatch.setattr(search, "run_pagefind", no_pagefind)
    assert build(site.root, BuildOptions(output=site.root / "output")).search_deferred == ()
    monkeypatch.undo()
    assert tree(site.root / "output") == cold_tree(site, tmp_path / "cold")


def test_index_pending_leaves_a_bundle_a_build_made_meanwhile_and_tells_a_failure(make_site):
    site = make_archive(make_site)
    assert site.build().code == 0
    site.article("ar", "new", title="مقال جديد معدل", date="2021-05-06", body="نص عن البحر.")
    deferred = deferring(site).search_deferred
    kept = dict.fromkeys(deferred)
    # A build of the same input runs first: it indexes the shard itself.
    assert build(site.root, BuildOptions(output=site.root / "output")).search_deferred == ()
    bundles = {path.name: path.stat().st_ino for path in (site.root / CACHE_DIR / CACHE_FOLDER).iterdir()}
    assert index_pending(list(kept))
    assert {path.name: path.stat().st_ino for path in (site.root / CACHE_DIR / CACHE_FOLDER).iterdir()} == bundles
    # Records that cannot be read: False, nothing in the cache, the file gone.
    broken = site.root / CACHE_DIR / PENDING_FOLDER / f"ar-2030-{'0' * 32}.records"
    broken.write_bytes(b"not a pickle")
    assert not index_pending([str(broken)])
    assert not broken.exists() and not (site.root / CACHE_DIR / CACHE_FOLDER / ("0" * 32)).exists()


def test_indexing_a_shard_another_indexed_meanwhile_keeps_the_first_bundle(tmp_path):
    records = [search.SearchRecord("ar/2021/05/new/", "ar", "نص عن بحر", (("title", "مقال"),))]
    search.index_shard(records, tmp_path, "k")
    first = (tmp_path / "k").stat().st_ino
    manifest = search.read_manifest(tmp_path / "k")
    search.index_shard(records, tmp_path, "k", scratch=tmp_path)
    assert (tmp_path / "k").stat().st_ino == first and search.read_manifest(tmp_path / "k") == manifest
    assert [path.name for path in tmp_path.iterdir()] == ["k"]


def test_serve_clears_what_an_interrupted_indexing_left(tmp_path):
    pending = tmp_path / PENDING_FOLDER
    (pending / "k.tmp1234" / "bundle").mkdir(parents=True)
    (pending / f"ar-2021-{'0' * 32}.records").write_bytes(b"")
    search.clear_pending(tmp_path)
    assert not pending.exists()
    search.clear_pending(tmp_path)  # nothing there: no error
