"""Tests for slug_style = "arabic": Arabic-letter slugs from the importer and `new`, output paths in
Arabic letters, and every full URL (canonical, og:url, JSON-LD, hreflang, feeds, sitemap) percent-encoded."""

import datetime
import json
import re
from urllib.parse import quote, unquote

import pytest

from generator.config import load_config
from generator.errors import BuildError
from generator.scaffold import new_article
from generator.urls import absolute, encode_path

SEED = (
    "الرقة بعد داعش: مَن يحكم المدينة؟ الكاتب: المرصد الاستراتيجي التاريخ: الموافق لـ28 سبتمبر 2017 "
    "المشاهدات: 10\n\n"
    "نقل التقرير عن مسؤول إيراني قوله: «ما این کار را انجام می\u200cدهیم» وأضاف تحليلاً عن الرقة.\n\n"
    "للاطلاع على التقرير كاملاً: التقرير الاستراتيجي العدد 48 إعداد: المرصد الاستراتيجي\n"
)
SLUG = "الرقة-بعد-داعش-من-يحكم-المدينة"
ENCODED = quote(SLUG)


def use_settings(site, **settings: str) -> None:
    """Set top-level keys in the site's site.toml (before the first table)."""
    path = site.root / "site.toml"
    text = path.read_text(encoding="utf-8")
    lines = "".join(f'{key} = "{value}"\n' for key, value in settings.items())
    text = re.sub(r'^base_url = .*\n', "", text, flags=re.M)
    path.write_text(lines + text, encoding="utf-8")


def test_percent_encoding_of_full_urls() -> None:
    assert encode_path("/ar/2017/09/الرقة/") == "/ar/2017/09/%D8%A7%D9%84%D8%B1%D9%82%D8%A9/"
    assert absolute("https://example.org/repo/", "/repo/ar/2017/09/الرقة/") == (
        "https://example.org/repo/ar/2017/09/%D8%A7%D9%84%D8%B1%D9%82%D8%A9/"
    )
    # ASCII paths are unchanged and an existing escape is not encoded twice.
    assert absolute("https://example.org/", "/en/2017/09/raqqa-after-isis/") == "https://example.org/en/2017/09/raqqa-after-isis/"
    assert encode_path("/ar/%D8%A7/ب/") == "/ar/%D8%A7/%D8%A8/"
    assert absolute("/", "/ar/ب/") == ""  # no host, no full URL: the link is left out


def test_slug_style_must_be_known(make_site) -> None:
    site = make_site()
    use_settings(site, slug_style="latin", base_url="/")
    with pytest.raises(BuildError) as raised:
        load_config(site.root)
    assert [str(problem) for problem in raised.value.problems] == [
        'site.toml:1: slug_style must be "ascii" or "arabic", not "latin"'
    ]


def test_default_slug_style_is_ascii(make_site) -> None:
    site = make_site()
    assert load_config(site.root).slug_style == "ascii"
    site.write("seeds/raqqa.txt", SEED)
    assert site.build().code == 0
    [path] = (site.root / "content" / "ar" / "2017").glob("*.md")
    assert path.name == "al-rqa-bad-daash-mn-yhkm-al-mdyna.md"


def test_new_article_with_arabic_slug(make_site) -> None:
    site = make_site()
    use_settings(site, slug_style="arabic", base_url="/")
    config = load_config(site.root)
    path = new_article(config, "مؤتمر «جنيف ٢» للسلام", "ar", None, datetime.date(2024, 3, 5))
    assert path == site.root / "content" / "ar" / "2024" / "مؤتمر-جنيف-2-للسلام.md"
    assert "slug: مؤتمر-جنيف-2-للسلام\n" in path.read_text(encoding="utf-8")


def test_imported_article_has_an_arabic_slug_and_encoded_full_urls(make_site) -> None:
    site = make_site()
    use_settings(site, slug_style="arabic", base_url="https://example.org/repo/")
    site.write("seeds/raqqa.txt", SEED)
    site.write("content/en/raqqa.md", "---\ntitle: Raqqa after ISIS\nslug: raqqa-after-isis\ndate: 2017-09-28\n"
                                      f"translation_key: {SLUG}\n---\nText.\n")
    result = site.build()
    assert result.code == 0, result.err
    source = site.root / "content" / "ar" / "2017" / f"{SLUG}.md"
    text = source.read_text(encoding="utf-8")
    assert f"slug: {SLUG}\n" in text and "date: 2017-09-28\n" in text
    # The Persian half-space survives the import (normalisation keeps ZWNJ between letters).
    assert "می\u200cدهیم" in text

    page = site.read(f"ar/2017/09/{SLUG}/index.html")
    full = f"https://example.org/repo/ar/2017/09/{ENCODED}/"
    assert f'<link rel="canonical" href="{full}">' in page
    assert f'<meta property="og:url" content="{full}">' in page
    ld = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))
    assert ld["url"] == ld["mainEntityOfPage"] == full
    assert f'hreflang="ar" href="{full}"' in page
    assert 'hreflang="en" href="https://example.org/repo/en/2017/09/raqqa-after-isis/"' in page
    # Links inside pages may stay readable: browsers encode them, and they resolve to the same file.
    home = site.read("ar/index.html")
    assert f'href="/repo/ar/2017/09/{SLUG}/"' in home or f'href="/repo/ar/2017/09/{ENCODED}/"' in home

    sitemap = site.read("sitemap.xml")
    assert f"<loc>{full}</loc>" in sitemap
    assert not re.search("[\u0600-\u06ff]", "".join(re.findall(r'(?:<loc>|href=")([^<"]*)', sitemap)))
    feed = site.read("ar/feed.xml")
    assert f'href="{full}"' in feed
    assert not re.search("[\u0600-\u06ff]", "".join(re.findall(r'href="([^"]*)"', feed)))
    # Every encoded URL decodes back to the folder that was written.
    assert (site.root / "output" / unquote(full.removeprefix("https://example.org/repo/")) / "index.html").is_file()
