"""What makes page rendering cheap without changing a byte: messages compiled as their translations, filters
worked out once per text, each language's compiled templates kept apart, a card without macro calls, and
word counting without a regex over the whole body."""

from __future__ import annotations

import random
import re
from types import SimpleNamespace

import jinja2
import pytest
from babel.messages.catalog import Catalog
from jinja2.ext import _gettext_alias
from markupsafe import Markup

from generator.config import load_config
from generator.dates import DateDisplay
from generator.i18n import compile_translations, install_constant_translations
from generator.pipeline import load_theme_catalogs
from generator.reading_time import count_words
from generator.theme import format_number, install_quick_gettext, load_theme, make_environments
from tests.test_digits import write_site
from tests.test_theme import configure


def translations_for_tests():
    """Arabic translations with markup, a percent sign and a plural, to compile templates against."""
    catalog = Catalog(locale="ar")
    catalog.add("Tags", "الوسوم & <b>المواضيع</b>")
    catalog.add("Rate: 100%%", "النسبة: ١٠٠٪%%")
    catalog.add("Page %(number)s", "الصفحة %(number)s")
    catalog.add("Broken %(name)s", "معطوب %(name)s")
    catalog.add(("%(num)s article", "%(num)s articles"), ("صفر", "واحد", "اثنان", "قليل %(num)s", "كثير %(num)s",
                                                        "مئة %(num)s"))
    return compile_translations(catalog)


def environments() -> tuple[jinja2.Environment, jinja2.Environment]:
    """(Jinja's own newstyle gettext, Warraq's quick gettext with messages compiled as translations)."""
    translations = translations_for_tests()
    stock = jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    stock.install_gettext_translations(translations, newstyle=True)
    fast = jinja2.Environment(extensions=["jinja2.ext.i18n"], autoescape=True)
    fast.install_gettext_translations(translations, newstyle=True)
    install_quick_gettext(fast, translations)
    install_constant_translations(fast, translations)
    assert stock.globals["_"] is _gettext_alias
    return stock, fast


@pytest.mark.parametrize("source", [
    "{{ _('Tags') }}|{{ gettext('Tags') }}|{{ _( 'Tags' ) }}|{{ _(\"Untranslated <i>\") }}",
    "<p title=\"{{ _('Tags') }}\">{{ _('Rate: 100%%') }}</p>",
    "{% set label = _('Tags') %}{{ label ~ '<' }}{{ label + '<' }}{{ label|length }}{{ label is string }}",
    "{{ _('Page %(number)s', number='<2>') }}{{ _('Tags')|upper }}{{ [_('Tags'), 'x<']|join(', ') }}",
    "{% macro chips(label) %}<ul aria-label=\"{{ label }}\"></ul>{% endmacro %}{{ chips(_('Tags')) }}",
    "{% for n in [0, 1, 2, 3, 11, 100] %}{% trans count=n, num=n %}{{ num }} article{% pluralize %}"
    "{{ num }} articles{% endtrans %};{% endfor %}",
    "{% autoescape false %}{{ _('Tags') + '<' }}{% endautoescape %}{{ _('Tags') + '<' }}",
])
def test_messages_compiled_as_translations_print_what_gettext_prints(source) -> None:
    stock, fast = environments()
    assert fast.from_string(source).render() == stock.from_string(source).render()


def test_a_constant_message_is_translated_when_compiling_and_others_when_rendering() -> None:
    _, fast = environments()
    compiled = fast.compile("{{ _('Tags') }} {{ gettext('Rate: 100%%') }} {{ _('Page %(number)s', number=n) }}",
                            raw=True)
    assert "الوسوم &amp; <b>المواضيع</b>" not in compiled  # the translation is markup: printed as it is
    assert "الوسوم & <b>المواضيع</b>" in compiled and "النسبة: ١٠٠٪%" in compiled
    assert compiled.count("context.call(") == 1  # only the message with a variable is looked up per page
    # Not gettext: a method or a filter of the same name, or a message formatting rejects without values.
    fast.filters["_"] = lambda value, message: value
    for source in ("{{ x._('Tags') }}", "{{ 'a'|_('Tags') }}", "{{ _('Broken %(name)s') }}", "{{ _('Tags', n=1) }}"):
        assert "الوسوم" not in fast.compile(source, raw=True), source
    with pytest.raises(KeyError):
        fast.from_string("{{ _('Broken %(name)s') }}").render()  # fails when rendered, as Jinja's own does


def test_filters_remembered_per_text_still_tell_markup_and_numbers_apart(make_site) -> None:
    site = make_site()
    config = load_config(site.root)
    theme = load_theme(config)
    catalogs, _ = load_theme_catalogs(theme, config)
    environment = make_environments(theme, config, catalogs)["ar"]
    isolate, number = environment.filters["isolate"], environment.filters["number"]
    arabic = next(language for language in config.languages if language.code == "ar")
    assert isolate("Syria <b>") == '<bdi dir="ltr">Syria &lt;b&gt;</bdi>' == isolate("Syria <b>")
    assert isolate(Markup("Syria <b>x</b>")) == '<bdi dir="ltr">Syria <b>x</b></bdi>'
    assert isolate("سوريا", "author") == '<bdi dir="rtl" class="author">سوريا</bdi>' != isolate("سوريا")
    for value in (12345, 12345, 1, 1.0, 1.5, 2, 2.50):
        assert number(value) == format_number(value, arabic), value


def test_each_language_keeps_its_own_compiled_templates(tmp_path) -> None:
    """The 404 page's `{{ 404|number }}` is worked out when compiling: with one folder of compiled templates for
    every language, the English page printed the Arabic page's digits."""
    root = write_site(tmp_path / "site", digits="arab", count=2)
    from tests.conftest import run_cli
    for _ in range(2):  # compiled, then read back from the build cache
        (root / "content" / "ar" / "extra.md").write_text(f"---\ntitle: إضافة {_}\ndate: 2017-09-28\n---\nنص.\n",
                                                          encoding="utf-8")
        result = run_cli("build", "--root", str(root))
        assert result.code == 0, result.err
        assert '<bdi>٤٠٤</bdi>' in (root / "output" / "ar" / "404.html").read_text(encoding="utf-8")
        assert '<bdi>404</bdi>' in (root / "output" / "en" / "404.html").read_text(encoding="utf-8")


# The card macro before it held date() and tag_chips() written out.
CARD_WITH_MACROS = """{% import "_macros.html" as m with context %}
{%- macro card(a, level=2, show_tags=true) -%}
<article class="card{% if a.draft %} is-draft{% endif %}"{% if a.lang != lang.code %} lang="{{ a.lang }}"{% endif %}>
  <h{{ level }} class="card-title"><a href="{{ a.url }}">{{ a.title|isolate }}</a></h{{ level }}>
  <p class="card-meta">
    {% if a.draft %}<span class="badge">{{ _("Draft") }}</span>{% endif %}
    {% if a.author %}{% if a.author_url %}<a class="author-link" href="{{ a.author_url }}">{{ a.author|isolate("author") }}</a>{% else %}{{ a.author|isolate("author") }}{% endif %}{% endif %}
    {{ m.date(a.date) }}
  </p>
  {% if a.summary %}
  <p class="card-summary">{{ a.summary|isolate }}</p>
  {% endif %}
  {% if show_tags %}
  {{ m.tag_chips(a.tags, _("Topics")) }}
  {% endif %}
</article>
{%- endmacro %}
{{ card(a, level, show_tags) }}"""
CARD = """{% import "_macros.html" as m with context %}{{ m.card(a, level, show_tags) }}"""


@pytest.mark.parametrize("show_hijri", [True, False])
def test_a_card_prints_what_the_date_and_tag_chips_macros_print(make_site, show_hijri) -> None:
    site = make_site()
    if not show_hijri:
        configure(site, '[theme]\nname = "default"\n\n[theme.params]\nshow_hijri = false\n')
    config = load_config(site.root)
    theme = load_theme(config)
    catalogs, _ = load_theme_catalogs(theme, config)
    tag = SimpleNamespace(url="/ar/tags/syria/", name="سوريا <1>")
    dates = [DateDisplay("2017-09-28", "28 سبتمبر 2017", "8 محرم 1439", "1439-01-08", "full"),
             DateDisplay("1900-01-01", "1 January 1900", None, None, "full")]
    printed = []
    for lang, environment in make_environments(theme, config, catalogs).items():
        for number in range(24):
            article = SimpleNamespace(
                draft=number % 2 == 0, lang=("ar", "en")[number % 3 == 0], url=f"/a/{number}/", title=f"T <{number}>",
                author=("", "المرصد")[number % 4 > 1], author_url=("", "/authors/x/")[number % 5 > 2],
                date=dates[number % 2], summary=("", "ملخص & more")[number % 3 > 0],
                tags=[tag, SimpleNamespace(url="/en/tags/iraq/", name="Iraq")][:number % 3])
            values = dict(a=article, level=2 + number % 2, show_tags=number % 4 != 1,
                          lang=SimpleNamespace(code="ar"))
            printed.append(environment.from_string(CARD).render(values))
            assert printed[-1] == environment.from_string(CARD_WITH_MACROS).render(values), (lang, number)
    shown = "".join(printed)
    assert ('class="date-hijri"' in shown) == show_hijri and 'class="chips"' in shown and 'class="badge"' in shown


def words_by_regex(text: str) -> int:
    """count_words's definition, as one regex did it (on text without tags)."""
    return len(re.findall(r"\S*[^\W_]\S*", text))


def test_words_are_counted_as_the_regex_defines_them() -> None:
    cases = ["", "  ", "a", "a_b", "_ _", "— …", "٣ ـ ", "\u064b\u064b", "word— -- _x_ __ ...a", "a\x1cb",
             "\u00a0a\u00a0\u2003b", "ـــ", "وَالكِتابُ، (قال) «نعم» - 2030!", "x\u200fy \u200f"]
    generator = random.Random(14)
    alphabet = "a_ \u00a0\u2003\x1c\n\t-.,،؟ـ٣\u064b\u0651ب()x9%&<>"
    cases += ["".join(generator.choice(alphabet) for _ in range(generator.randint(0, 40))) for _ in range(3000)]
    for text in cases:
        escaped = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
        assert count_words(f"<p>{escaped}</p>") == words_by_regex(f" {text} "), repr(text)
