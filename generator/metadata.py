"""Structured data for search engines and social cards: JSON-LD that stays valid whatever the titles hold."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from generator.config import Language
from generator.views import ArticleView


def to_script_json(data: dict[str, Any]) -> Markup:
    """JSON for a <script type="application/ld+json">: "<", ">" and "&" escaped so that a title holding
    "</script>" cannot end the script early; sorted keys keep builds byte-identical."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=None)
    return Markup(text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026"))


def article_json_ld(article: ArticleView, canonical: str, language: Language, home: str) -> Markup:
    """A NewsArticle: headline, dates, author, language and publisher. canonical and home are full URLs, or ""
    when base_url names no host: then the URL fields (url, mainEntityOfPage, publisher's url) are left out,
    since schema.org URLs must be absolute."""
    publisher = {"@type": "Organization", "name": language.title, **with_url("url", home)}
    return to_script_json({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.title,
        "description": article.summary,
        "datePublished": article.date.iso,
        "dateModified": article.date.iso,
        "inLanguage": language.code,
        **with_url("url", canonical),
        **with_url("mainEntityOfPage", canonical),
        "author": {"@type": "Organization" if not article.author else "Person",
                   "name": article.author or language.title},
        "publisher": publisher,
        "keywords": [tag.name for tag in article.tags],
    })


def with_url(key: str, url: str) -> dict[str, str]:
    """{key: url} for a full URL, {} for "" (no host known)."""
    return {key: url} if url else {}


@dataclass(frozen=True)
class ArticleJsonLd:
    """An article page's JSON-LD, written when the page is rendered: most pages of a rebuild are not, and
    their fingerprints see these inputs rather than the JSON made from them."""

    article: ArticleView
    canonical: str
    language: Language
    home: str

    def __html__(self) -> str:
        return str(article_json_ld(self.article, self.canonical, self.language, self.home))

    def __str__(self) -> str:
        return self.__html__()


def website_json_ld(language: Language, canonical: str) -> Markup:
    """A WebSite, for the home pages; without url when canonical is "" (no host known)."""
    return to_script_json({
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": language.title,
        "description": language.description,
        "inLanguage": language.code,
        **with_url("url", canonical),
    })
