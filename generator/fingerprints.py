"""Exact keys of pages' inputs: a page's template, language and context pickled and hashed, with each article
view and long body standing in for its digest. Used by rendering only, so that reading the build cache (a
no-change build) does not load the views and markupsafe."""

from __future__ import annotations

import hashlib
import io
import pickle
from typing import Any, Callable, Mapping

from markupsafe import Markup

from generator.cache import digested
from generator.views import ArticleView, Pagination

# Markup this long (an article body) is hashed once and referred to by digest in page fingerprints.
LARGE_TEXT = 512


class Fingerprinter:
    """Exact keys of page contexts for one process. Contexts are pickled for hashing with each article view
    and each long Markup text (a body) standing in for its digest: a view appears on many pages (its own,
    listings, archives) and is hashed once per process. Mutable on purpose: it remembers those digests."""

    def __init__(self, global_fingerprint: bytes) -> None:
        self.global_fingerprint = global_fingerprint
        # id -> (digest, the object itself: kept alive so that its id is not reused by another object).
        self.digests: dict[int, tuple[bytes, Any]] = {}
        # Two picklers made once and reused (making one per page costs more than pickling small contexts):
        # one for pages, one for the views they contain, since a pickler cannot dump inside its own dump.
        self.page = _ContextPickler(self)
        self.view = _ContextPickler(self)

    def page_fingerprint(self, template: str, lang: str, context: Mapping[str, Any]) -> bytes:
        """An exact key of a page's inputs: everything global (templates, catalogs, configuration, code,
        library versions) and the page's own template, language and context."""
        return hashlib.sha256(self.global_fingerprint + self.page.pickle((template, lang, context))).digest()

    def digest(self, obj: Any, serialise: Callable[[], bytes]) -> bytes:
        """The digest of obj's serialisation, computed once per object."""
        known = self.digests.get(id(obj))
        if known is None:
            known = self.digests[id(obj)] = (hashlib.sha256(serialise()).digest(), obj)
        return known[0]


class _ContextPickler(pickle.Pickler):
    """A pickler for hashing: a dispatch table, unlike persistent_id, costs a Python call only for the few
    types it names, not for every object pickled."""

    def __init__(self, fingerprinter: Fingerprinter) -> None:
        self.stream = io.BytesIO()
        super().__init__(self.stream, protocol=pickle.HIGHEST_PROTOCOL)
        # No memo: whether two equal values are one object or two must not change the digest.
        self.fast = True
        self.fingerprinter = fingerprinter
        self.dispatch_table = {ArticleView: self.reduce_view, Markup: self.reduce_markup,
                               Pagination: self.reduce_pagination}

    def pickle(self, value: Any) -> bytes:
        self.stream.seek(0)
        self.stream.truncate()
        self.dump(value)
        return self.stream.getvalue()

    def reduce_view(self, view: ArticleView) -> tuple[Any, ...]:
        if view.source:
            # Every field but the neighbour links is made from what view.source digests and from what the
            # global fingerprint covers (configuration, catalogs, code): pickling the view itself cost a
            # one-article rebuild half a second at 6,500 articles.
            return _digested_view, (view.source, view.previous, view.next)
        fingerprinter = self.fingerprinter
        return digested, (fingerprinter.digest(view, lambda: fingerprinter.view.pickle(tuple(vars(view).items()))),)

    def reduce_pagination(self, pagination: Pagination) -> tuple[Any, ...]:
        # The links to every page of a listing can be one tuple shared by all its pages: hash it once.
        links = self.fingerprinter.digest(pagination.pages,
                                          lambda: pickle.dumps(pagination.pages, pickle.HIGHEST_PROTOCOL))
        fields = tuple((name, value) for name, value in vars(pagination).items() if name != "pages")
        return _digested_pagination, (fields, links)

    def reduce_markup(self, text: Markup) -> tuple[Any, ...]:
        if len(text) <= LARGE_TEXT:
            return Markup, (str(text),)
        return digested, (self.fingerprinter.digest(text, lambda: text.encode("utf-8", "surrogatepass")),)


def _digested_view(source: bytes, previous: Any, following: Any) -> tuple[Any, ...]:
    """What a view digested by its source unpickles to (fingerprint pickles are hashed, never loaded)."""
    return source, previous, following


def _digested_pagination(fields: tuple[Any, ...], links: bytes) -> tuple[Any, ...]:
    """What a digested pagination unpickles to (fingerprint pickles are hashed, never loaded)."""
    return fields, links
