"""Related articles: for each article, the few of its language that share the most with it.

What two articles share is a set of keys: each tag (by slug), the author (by the slug of their page,
authors.py, so that "أحمد" and "احمد" are one author) and the report (by its title folded as reports.py
groups reports).
The score of two articles is the sum of the weights of the keys they share, in whole numbers (so that
sums never depend on the order they are added in):

    score(a, b) = 400 · [same report] + 150 · [same author] + Σ over shared tags t of weight(t)
    weight(t)   = max(1, round(100 · ln(1 + N / n_t) / ln(1 + N / 2)))

N is the number of articles in the language and n_t the number carrying tag t. A tag on only two
articles (the rarest tag two articles can share) weighs 100; a tag on half of 20,000 articles weighs
12, on all of them 8: a rare tag in common says more than a common one. A shared author (150) outweighs
any one shared tag, and a shared report (400) outweighs a shared author with two shared tags. The score is
symmetric: score(a, b) = score(b, a).

An article's related articles are the `count` with the highest score, ties broken by the nearer date,
then the newer article, then the URL: fully deterministic, whatever order the articles come in. An
article is never its own related article; articles with nothing in common (score 0) are never related,
so an article that shares nothing gets no list rather than filler.

Candidates come from an inverted index (key -> articles carrying it, in date order), never from all
pairs. A key carried by more than WINDOW articles (a tag on 10,000 articles, an author of thousands)
offers as candidates only the WINDOW articles nearest in date along its list, and so do the articles
with exactly the same keys (the best matches a large tag could hide); every candidate is then scored
exactly on all the keys it shares, each distinct pair of key sets once. The work is thus at most
(keys per article + 1) × WINDOW candidates per article, O(N) for the archive; the one approximation is
that an article sharing only some large keys, far away in date, can lose its place to a nearer one.
"""

from __future__ import annotations

import math
from collections import defaultdict
from functools import lru_cache
from typing import Hashable, Mapping, Sequence

from generator.reports import fold_title
from generator.site import Entry

REPORT_WEIGHT = 400
AUTHOR_WEIGHT = 150
# The weight of a tag shared by exactly two articles; commoner tags weigh less (down to 1).
TAG_WEIGHT = 100
# The most candidates one key offers an article: those nearest in date along its list.
WINDOW = 16
# The ranking packs (MAX_SCORE - score, days apart, position) into one integer (related_entries).
MAX_SCORE = 1 << 20
POSITION = (1 << 21) - 1

Key = tuple[str, Hashable]


def author_key(entry: Entry) -> str | None:
    """The identity an author is compared by: the slug of their page (authors.py), so that related lists and
    author pages agree on who is one author ([[authors]] spellings, hamza or ta marbuta variants)."""
    return entry.author.slug if entry.author else None


@lru_cache(maxsize=4096)
def report_key(title: str | None) -> str | None:
    """The identity a report is compared by: its title folded as reports.py groups it (so "العدد ٤٧" and
    "العدد 47" are one report here as on its page); None when there is none. A report's title repeats on
    each of its articles, so each spelling is folded once."""
    return fold_title(title) if title else None


def entry_keys(entry: Entry) -> frozenset[Key]:
    """What an entry can share with another: ("tag", slug) for each tag, ("author", slug), ("report", folded title)."""
    keys: list[Key] = [("tag", tag.slug) for tag in entry.tags]
    author, report = author_key(entry), report_key(entry.article.report_title)
    if author:
        keys.append(("author", author))
    if report:
        keys.append(("report", report))
    return frozenset(keys)


def tag_weight(carriers: int, total: int) -> int:
    """The weight of a tag carried by `carriers` of `total` articles: TAG_WEIGHT for two carriers, less for more
    (see the module's formula), never below 1."""
    if total <= 2 or carriers <= 2:
        return TAG_WEIGHT
    return max(1, round(TAG_WEIGHT * math.log(1 + total / carriers) / math.log(1 + total / 2)))


def key_weights(postings: Mapping[Key, Sequence[int]], total: int) -> dict[Key, int]:
    """Each key's weight: a report's and an author's fixed, a tag's by its rarity among `total` articles."""
    fixed = {"report": REPORT_WEIGHT, "author": AUTHOR_WEIGHT}
    return {key: fixed[key[0]] if key[0] in fixed else tag_weight(len(carriers), total)
            for key, carriers in postings.items()}


def score(keys_a: frozenset[Key], keys_b: frozenset[Key], weights: Mapping[Key, int]) -> int:
    """The score of two articles given their keys (entry_keys): the sum of the weights of the keys they share."""
    return sum(map(weights.__getitem__, keys_a & keys_b))


def related_entries(entries: Sequence[Entry], count: int) -> dict[str, tuple[Entry, ...]]:
    """url -> up to `count` related entries, best first, for each entry of one language that has any (entries
    with none are left out); count 0 gives {}. Entries may come in any order: the result is the same."""
    if count <= 0 or len(entries) < 2:
        return {}
    # One fixed order (newest first, then URL) makes positions, windows and so the result independent of input order.
    ordered = sorted(entries, key=lambda e: (-e.article.date.toordinal(), e.url))
    keys = [entry_keys(entry) for entry in ordered]
    postings: dict[Key, list[int]] = defaultdict(list)
    # (key, position of the article in that key's list), to find its window without searching.
    places: list[list[tuple[Key, int]]] = []
    # Articles with exactly the same keys share all they can: the nearest of them are always candidates.
    same_keys: dict[frozenset[Key], list[int]] = defaultdict(list)
    positions: list[int] = []
    for index, found in enumerate(keys):
        positions.append(len(same_keys[found]))
        same_keys[found].append(index)
        place = []
        for key in found:
            carriers = postings[key]
            place.append((key, len(carriers)))
            carriers.append(index)
        places.append(place)
    weights = key_weights(postings, len(ordered))
    days = [entry.article.date.toordinal() for entry in ordered]
    groups = [0] * len(ordered)
    for number, members in enumerate(same_keys.values()):
        for index in members:
            groups[index] = number
    related: dict[str, tuple[Entry, ...]] = {}
    # Articles with the same keys score alike: a group of them scores each other group once, and forgets it after
    # (a cache for the whole archive would hold millions of pairs at 20,000 articles).
    for mine, members in same_keys.items():
        if not mine:
            continue  # no tag, author or report: nothing to share (and no "same keys" with other such articles)
        known: dict[int, int] = {}
        for index in members:
            candidates = gather_candidates(places[index], postings)
            candidates.update(nearest(members, positions[index]))
            candidates.discard(index)
            if not candidates:
                continue
            for other in candidates:
                group = groups[other]
                if group not in known:
                    known[group] = MAX_SCORE - min(score(mine, keys[other], weights), MAX_SCORE - 1)
            day = days[index]
            # One integer per candidate, compared in C: higher score, then nearer date, then position in `ordered`
            # (newer first, then URL). Scores stay below MAX_SCORE, days apart below 2**22, positions below 2**21.
            ranked = [(known[groups[other]] << 43) | (abs(days[other] - day) << 21) | other for other in candidates]
            # A full sort of a few dozen integers in C beats heapq.nsmallest's Python loop.
            related[ordered[index].url] = tuple(ordered[found & POSITION] for found in sorted(ranked)[:count])
    return related


def gather_candidates(place: Sequence[tuple[Key, int]], postings: Mapping[Key, Sequence[int]]) -> set[int]:
    """The articles an article's keys offer: all carriers of a key with at most WINDOW of them, else the
    WINDOW nearest along its list (which is in date order)."""
    candidates: set[int] = set()
    for key, position in place:
        candidates.update(nearest(postings[key], position))
    return candidates


def nearest(carriers: Sequence[int], position: int) -> Sequence[int]:
    """All of carriers when they are at most WINDOW, else the WINDOW around `position` (fewer on one side
    at either end of the list)."""
    if len(carriers) <= WINDOW:
        return carriers
    start = min(max(0, position - WINDOW // 2), len(carriers) - WINDOW)
    return carriers[start:start + WINDOW]
