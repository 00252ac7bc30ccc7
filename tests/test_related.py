"""Related articles (generator/related.py): scoring, ties, bounds, determinism, and the article page."""

from __future__ import annotations

import datetime
import random

from hypothesis import given, settings, strategies as st

from generator import related as R
from generator.authors import make_directory
from generator.content import Article
from generator.related import entry_keys, key_weights, related_entries, score, tag_weight
from generator.site import Entry
from generator.taxonomy import Tag

DAY = datetime.date(2020, 1, 1)


def entry(slug: str, days: int = 0, tags: tuple[str, ...] = (), author: str | None = None,
          report: str | None = None, lang: str = "ar") -> Entry:
    """An entry dated `days` after DAY with the given tag slugs, author and report title."""
    date = DAY + datetime.timedelta(days=days)
    article = Article(path=f"content/{lang}/{slug}.md", lang=lang, slug=slug, title=slug, date=date, body="",
                      author=author, tags=tags, report_title=report)
    return Entry(article=article, url=f"{lang}/{date:%Y/%m}/{slug}/",
                 tags=tuple(Tag(t, {lang: t}) for t in tags), hijri=None,
                 author=make_directory(()).resolve(author, lang) if author else None)


def slugs(found: tuple[Entry, ...]) -> list[str]:
    return [e.article.slug for e in found]


def related_slugs(entries: list[Entry], slug: str, count: int = 4) -> list[str]:
    url = next(e.url for e in entries if e.article.slug == slug)
    return slugs(related_entries(entries, count).get(url, ()))


def filler(n: int, tags: tuple[str, ...]) -> list[Entry]:
    """n unrelated-looking articles carrying the given tags, far away in date."""
    return [entry(f"filler-{i}", days=1000 + i, tags=tags) for i in range(n)]


def test_a_shared_rare_tag_beats_a_shared_common_tag_even_when_farther_in_date():
    entries = [
        entry("a", 0, ("common", "rare")),
        entry("far-rare", 300, ("rare",)),
        entry("near-common", 1, ("common",)),
        *filler(20, ("common",)),
    ]
    assert related_slugs(entries, "a")[:2] == ["far-rare", "near-common"]
    assert tag_weight(2, 22) == 100
    assert tag_weight(21, 22) < tag_weight(5, 22) < tag_weight(2, 22)


def test_same_report_beats_tags_and_same_author_beats_any_one_tag():
    entries = [
        entry("a", 0, ("t1", "t2"), author="سعاد الخطيب", report="التقرير الاستراتيجي العدد 47"),
        entry("same-report", 200, report="التقرير الاستراتيجي العدد 47"),
        entry("same-author", 100, author="سعاد الخطيب"),
        entry("two-rare-tags", 1, ("t1", "t2")),
        entry("one-rare-tag", 2, ("t1",)),
    ]
    # Report 400; two rare tags 100 + 78; author 150 (more than any one tag); one tag on three articles 78.
    assert related_slugs(entries, "a") == ["same-report", "two-rare-tags", "same-author", "one-rare-tag"]
    assert tag_weight(3, 5) == 78


def test_authors_and_reports_are_compared_by_folded_text():
    entries = [
        entry("a", 0, author="أحمد الشامي", report="تقرير الحالة"),
        entry("b", 5, author="احمد  الشامي"),
        entry("c", 9, report="تَقرير الحاله"),
        entry("d", 1, author="محمد"),
    ]
    assert related_slugs(entries, "a") == ["c", "b"]
    # Both spellings are the one author of one author page: the key is that page's slug.
    assert entries[0].author.slug == entries[1].author.slug
    assert ("author", entries[1].author.slug) in entry_keys(entries[1])


def test_a_report_is_the_same_report_here_as_on_its_page_whatever_its_digits():
    # reports.py makes "العدد ٤٧" and "العدد 47" one report page; related lists must count them one report too.
    entries = [
        entry("a", 0, ("t1",), report="التقرير الاستراتيجي العدد ٤٧"),
        entry("same-report", 300, report="التقرير الاستراتيجي العدد 47"),
        entry("one-tag", 1, ("t1",)),
    ]
    assert related_slugs(entries, "a") == ["same-report", "one-tag"]


def test_ties_go_to_the_nearer_date_then_the_newer_then_the_url():
    entries = [
        entry("a", 10, ("t",)),
        entry("older-by-3", 7, ("t",)),
        entry("newer-by-3", 13, ("t",)),
        entry("newer-by-1-z", 11, ("t",)),
        entry("newer-by-1-b", 11, ("t",)),
        entry("newer-by-9", 19, ("t",)),
    ]
    assert related_slugs(entries, "a", 5) == ["newer-by-1-b", "newer-by-1-z", "newer-by-3", "older-by-3", "newer-by-9"]


def test_an_article_is_never_its_own_related_and_the_count_is_a_bound():
    entries = [entry(f"x{i}", i, ("t",)) for i in range(10)]
    found = related_entries(entries, 3)
    assert len(found) == 10
    for e in entries:
        assert e.url not in [r.url for r in found[e.url]]
        assert len(found[e.url]) == 3
    assert related_entries(entries, 0) == {}
    assert related_entries(entries[:1], 4) == {}


def test_articles_with_nothing_in_common_get_no_list_rather_than_filler():
    entries = [entry("a", 0, ("t1",), author="أ"), entry("b", 1, ("t2",), author="ب"), entry("c", 2, ("t1",))]
    found = related_entries(entries, 4)
    assert entries[1].url not in found
    assert slugs(found[entries[0].url]) == ["c"]


def test_the_result_does_not_depend_on_the_order_the_articles_come_in():
    rng = random.Random(7)
    tags = [f"t{i}" for i in range(6)]
    entries = [entry(f"e{i:03d}", rng.randrange(60), tuple(rng.sample(tags, rng.randint(0, 3))),
                     author=rng.choice([None, "أ", "ب"]), report=rng.choice([None, None, "ر"]))
               for i in range(120)]
    expected = related_entries(entries, 4)
    for _ in range(5):
        shuffled = entries[:]
        rng.shuffle(shuffled)
        assert related_entries(shuffled, 4) == expected


def test_a_huge_tag_offers_only_the_window_nearest_in_date():
    # Every article shares one tag: each is offered at most WINDOW candidates, and the related ones are the
    # nearest in date (for one shared key, exactly what scoring all pairs would give).
    entries = [entry(f"x{i:04d}", i, ("everywhere",)) for i in range(3 * R.WINDOW)]
    found = related_entries(entries, 4)
    middle = entries[R.WINDOW]
    assert slugs(found[middle.url]) == [f"x{R.WINDOW + 1:04d}", f"x{R.WINDOW - 1:04d}",
                                       f"x{R.WINDOW + 2:04d}", f"x{R.WINDOW - 2:04d}"]
    place = [(("tag", "everywhere"), 0)]
    postings = {("tag", "everywhere"): list(range(len(entries)))}
    assert len(R.gather_candidates(place, postings)) == R.WINDOW


def test_a_rare_key_still_finds_its_articles_among_a_huge_tag():
    # Two articles far apart in a 500-article tag share a rare tag: the rare tag's list brings them together.
    entries = [entry(f"x{i:04d}", i, ("everywhere",)) for i in range(500)]
    entries[0] = entry("first", 0, ("everywhere", "rare"))
    entries[-1] = entry("last", 499, ("everywhere", "rare"))
    assert related_slugs(entries, "first")[0] == "last"


def test_scores_are_symmetric_and_weigh_what_is_shared():
    a = entry("a", 0, ("t1", "t2"), author="أ", report="ر")
    b = entry("b", 1, ("t2", "t3"), author="أ", report="ر")
    weights = key_weights({("tag", "t1"): [0], ("tag", "t2"): [0, 1], ("tag", "t3"): [1],
                           ("author", a.author.slug): [0, 1], ("report", "ر"): [0, 1]}, 2)
    assert score(entry_keys(a), entry_keys(b), weights) == R.REPORT_WEIGHT + R.AUTHOR_WEIGHT + R.TAG_WEIGHT
    assert score(entry_keys(a), entry_keys(b), weights) == score(entry_keys(b), entry_keys(a), weights)


archives = st.lists(
    st.tuples(st.integers(0, 40), st.sets(st.sampled_from("abcdefg"), max_size=3),
              st.sampled_from([None, "أ", "ب", "ج"]), st.sampled_from([None, None, "ر", "س"])),
    min_size=0, max_size=R.WINDOW)


@settings(max_examples=60, deadline=None)
@given(archives, st.integers(1, 6), st.randoms(use_true_random=False))
def test_related_lists_are_bounded_positive_ordered_and_stable_under_permutation(rows, count, rng):
    entries = [entry(f"e{i:02d}", days, tuple(sorted(tags)), author, report)
               for i, (days, tags, author, report) in enumerate(rows)]
    found = related_entries(entries, count)
    shuffled = entries[:]
    rng.shuffle(shuffled)
    assert related_entries(shuffled, count) == found
    keys = {e.url: entry_keys(e) for e in entries}
    postings: dict = {}
    for e in entries:
        for key in keys[e.url]:
            postings.setdefault(key, []).append(e.url)
    weights = key_weights(postings, len(entries))
    for e in entries:
        mine = found.get(e.url, ())
        assert len(mine) <= count
        assert e.url not in [r.url for r in mine]
        points = [score(keys[e.url], keys[r.url], weights) for r in mine]
        assert all(p > 0 for p in points)
        assert points == sorted(points, reverse=True)
        assert [score(keys[r.url], keys[e.url], weights) for r in mine] == points
        # With fewer articles than the window, every article sharing something is a candidate: the list is the
        # exact best, and an article left out scores no more than the last one in.
        others = [o for o in entries if o is not e and score(keys[e.url], keys[o.url], weights) > 0]
        assert len(mine) == min(count, len(others))
        if mine and len(mine) < len(others):
            outside = max(score(keys[e.url], keys[o.url], weights) for o in others if o not in mine)
            assert outside <= points[-1]


ARTICLE = """---
title: {title}
slug: {slug}
date: {date}
{author}tags: [{tags}]
---
نص المقال.
"""


def write(site, lang, slug, title, date, tags="", author=""):
    site.write(f"content/{lang}/{slug}.md", ARTICLE.format(title=title, slug=slug, date=date, tags=tags,
                                                         author=f"author: {author}\n" if author else ""))


def test_the_article_page_lists_related_articles_with_title_and_date(make_site):
    site = make_site()
    write(site, "ar", "raqqa", "معركة الرقة", "2017-09-28", "سوريا, الإرهاب")
    write(site, "ar", "deir", "دير الزور بعد الحصار", "2017-09-20", "سوريا")
    write(site, "ar", "moscow", "Moscow and Ankara", "2017-08-01", "الإرهاب")
    write(site, "ar", "alone", "مقال وحيد", "2017-07-01", "روسيا")
    write(site, "en", "raqqa", "The battle of Raqqa", "2017-09-28", "Syria")
    result = site.build()
    assert result.code == 0, result.err
    page = site.read("ar/2017/09/raqqa/index.html")
    aside = page[page.index('<nav class="related"'):]
    aside = aside[:aside.index("</nav>")]
    assert '<h2 id="related-title" class="section-title">مقالات ذات صلة</h2>' in aside
    assert 'aria-labelledby="related-title"' in aside
    # Both share a tag; deir is nearer in date. The Latin title is isolated inside the Arabic page.
    assert aside.index("/ar/2017/09/deir/") < aside.index("/ar/2017/08/moscow/")
    assert '<bdi dir="ltr">Moscow and Ankara</bdi>' in aside
    assert 'datetime="2017-09-20"' in aside
    # Same language only: the English article shares the tag but is not listed.
    assert "/en/" not in aside
    # Nothing in common: no list at all.
    assert 'class="related"' not in site.read("ar/2017/07/alone/index.html")
    assert 'class="related"' not in site.read("en/2017/09/raqqa/index.html")


def test_related_count_zero_turns_the_lists_off_and_a_bad_value_is_reported(make_site):
    site = make_site()
    write(site, "ar", "a", "أ", "2017-09-28", "سوريا")
    write(site, "ar", "b", "ب", "2017-09-20", "سوريا")
    toml = (site.root / "site.toml").read_text(encoding="utf-8")
    (site.root / "site.toml").write_text("related_count = 0\n" + toml, encoding="utf-8")
    assert site.build().code == 0
    assert 'class="related"' not in site.read("ar/2017/09/a/index.html")
    (site.root / "site.toml").write_text("related_count = 1\n" + toml, encoding="utf-8")
    assert site.build().code == 0
    assert site.read("ar/2017/09/a/index.html").count('class="related-item"') == 1
    (site.root / "site.toml").write_text("related_count = -1\n" + toml, encoding="utf-8")
    result = site.build()
    assert result.code == 1
    assert "site.toml:1: related_count must be a whole number from 0 to 20, not -1" in result.err
