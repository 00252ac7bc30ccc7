"""A finished file of the site: its URL and bytes. Its own module so that the writer, the feeds and the no-change
build use it without loading the template engine (generator.theme imports Jinja)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RenderedPage:
    """A page's final bytes and where they go."""

    url: str
    content: bytes
