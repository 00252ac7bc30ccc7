"""Most read: the articles with the most views (front matter `views`), per language and per tag.

Only articles that give a view count above zero take part; an article without `views` (or with 0) is
left out, so a language whose articles carry no views has no most-read list at all. Order: more views
first, then the newer article, then the URL, so that lists are deterministic whatever order the articles
come in. Picking the top `limit` of n articles costs O(n log limit) (a heap), never a full sort.
"""

from __future__ import annotations

from heapq import nsmallest
from typing import Iterable

from generator.site import Entry

# How many articles the language's most-read page lists, and how many a tag's first page (and the home page) shows.
PAGE_LIMIT = 20
SHORT_LIMIT = 5


def has_views(entry: Entry) -> bool:
    """Whether an entry takes part in most-read lists: it gives a view count above zero."""
    return entry.article.views is not None and entry.article.views > 0


def most_read(entries: Iterable[Entry], limit: int) -> tuple[Entry, ...]:
    """The `limit` entries with the most views, most first (ties: newer, then URL); entries without views are left
    out, so the result may be shorter than limit, or empty."""
    if limit <= 0:
        return ()
    counted = (entry for entry in entries if has_views(entry))
    return tuple(nsmallest(limit, counted, key=lambda e: (-(e.article.views or 0), -e.article.date.toordinal(), e.url)))
