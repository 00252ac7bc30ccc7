"""Reading time (reading_time.py): words of the body without code, at a documented speed per language, shown on
article pages with the language's plural forms and digits."""

from __future__ import annotations

import re

import pytest

from generator.markup import make_converter, render_markdown
from generator.reading_time import DEFAULT_WORDS_PER_MINUTE, WORDS_PER_MINUTE, count_words, reading_minutes


def html_of(markdown_text: str) -> str:
    return str(render_markdown(make_converter(direction="rtl"), markdown_text).html)


def test_words_are_counted_whole_with_their_marks_and_without_markup():
    # Diacritics (marks, not \w) keep an Arabic word whole; a dash or an ellipsis alone is no word.
    assert count_words("<p>كَتَبَ الطَّالِبُ الدَّرْسَ — …</p>") == 3
    assert count_words("<p>One <em>two</em> <a href='x'>three</a>&nbsp;four &amp; 2017</p>") == 5
    assert count_words("") == 0


def test_code_blocks_are_left_out_and_inline_code_is_read():
    code = "\n".join(f"value_{n} = compute({n})  # تعليق" for n in range(500))
    html = html_of(f"نص قصير من أربع كلمات.\n\n```python\n{code}\n```\n\n    indented = 1\n\nثم `inline_code` هنا.")
    assert count_words(html) == 8
    assert count_words(html_of(f"```python {{linenos=true}}\n{code}\n```\n")) == 0


@pytest.mark.parametrize("lang, words, minutes", [
    ("ar", 0, 1), ("ar", 144, 1), ("ar", 215, 1), ("ar", 216, 2), ("ar", 144 * 11, 11),
    ("en", 238 * 5, 5), ("en", 238 * 5 + 118, 5), ("en", 238 * 5 + 119, 6),
    ("fr", 200 * 3, 3),
])
def test_minutes_round_to_the_nearest_at_the_language_speed(lang, words, minutes):
    assert reading_minutes("<p>" + "كلمة " * words + "</p>", lang) == minutes


def test_the_documented_speeds():
    # Brysbaert 2019 (English, silent, non-fiction) and the IReST ratio for Arabic (README "Reading time").
    assert WORDS_PER_MINUTE == {"en": 238, "ar": 144} and DEFAULT_WORDS_PER_MINUTE == 200
    assert round(238 * 138 / 228) == WORDS_PER_MINUTE["ar"]


def reading_time_shown(site, relative: str) -> str:
    match = re.search(r'<bdi class="reading-time">([^<]*)</bdi>', site.read(relative))
    assert match, relative
    return match.group(1)


# Arabic has six plural forms (0, 1, 2, 3-10, 11-99, 100-102): each count takes its own.
ARABIC_FORMS = {1: "دقيقة قراءة", 2: "دقيقتا قراءة", 3: "٣ دقائق قراءة", 10: "١٠ دقائق قراءة",
                11: "١١ دقيقة قراءة", 100: "١٠٠ دقيقة قراءة"}


def test_article_pages_show_it_in_each_language_with_its_plurals_and_digits(make_site):
    site = make_site()
    toml = site.root / "site.toml"
    # Arabic pages in Arabic-Indic digits; English pages keep Latin ones.
    text = toml.read_text(encoding="utf-8").replace('locale = "ar"\ndigits = "latn"', 'locale = "ar"\ndigits = "arab"')
    assert text != toml.read_text(encoding="utf-8")
    toml.write_text(text, encoding="utf-8")
    for minutes in ARABIC_FORMS:
        site.article("ar", f"m{minutes}", body="كلمة " * (144 * minutes) + "\n\n```python\n" + "x = 1\n" * 3000 + "```\n")
    site.article("en", "one", title="One", body="word " * 100)
    site.article("en", "five", title="Five", body="word " * (238 * 5))
    result = site.build()
    assert result.code == 0, result.err
    for minutes, shown in ARABIC_FORMS.items():
        assert reading_time_shown(site, f"ar/2017/09/m{minutes}/index.html") == shown
    assert reading_time_shown(site, "en/2017/09/one/index.html") == "1 min read"
    assert reading_time_shown(site, "en/2017/09/five/index.html") == "5 min read"
    assert "<dt>مدة القراءة</dt>" in site.read("ar/2017/09/m1/index.html")
    assert "<dt>Reading time</dt>" in site.read("en/2017/09/one/index.html")


def test_templates_see_whole_minutes(make_site):
    site = make_site()
    site.article("ar", "short", body="كلمة " * 500)
    site.write("themes/default/templates/article.html", "{{ article.reading_time }}|{{ article.reading_time is integer }}")
    result = site.build()
    assert result.code == 0, result.err
    assert site.read("ar/2017/09/short/index.html") == "3|True"


def test_a_cached_body_is_read_once_for_its_reading_time_and_its_text(make_site, monkeypatch):
    from generator.cache import BodyStore
    site = make_site()
    for n in range(3):
        site.article("ar", f"a{n}", body="كلمة " * (300 * (n + 1)))
    template = site.root / "themes/default/templates/article.html"
    template.write_text("{{ article.body|safe }}", encoding="utf-8")
    assert site.build().code == 0
    loaded: list[bytes] = []
    original = BodyStore.html
    monkeypatch.setattr(BodyStore, "html", lambda self, key: loaded.append(key) or original(self, key))

    def loads_when_every_article_page_renders(text: str) -> list[bytes]:
        loaded.clear()
        template.write_text(text, encoding="utf-8")
        assert site.build().code == 0  # every article page renders again, from cached bodies
        return sorted(loaded)

    without = loads_when_every_article_page_renders("<p>{{ article.body|safe }}")
    assert len(set(without)) == 3
    # Asking for the reading time reads no body a second time.
    assert loads_when_every_article_page_renders("{{ article.reading_time }}:{{ article.body|safe }}") == without
    assert site.read("ar/2017/09/a2/index.html").startswith("6:<p>كلمة")
