"""Theme settings: [theme.params], menus, extra_css / extra_head, "default:" template inheritance, article.extra,
and the research theme's report-style home."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from generator.config import load_config
from generator.errors import BuildError
from generator.theme import load_theme
from tests.conftest import SiteDir, run_cli

BASE_URL = "https://example.org/repo/"


def configure(site: SiteDir, theme: str = "", rest: str = "") -> None:
    """Replace site.toml's `theme = "default"` line: with `theme = "x"` in its place, or with a [theme] table at
    the end (tables must follow the top-level keys); then append rest."""
    path = site.root / "site.toml"
    text = path.read_text(encoding="utf-8")
    table = theme.startswith("[")
    text, count = re.subn(r'^theme = "default".*$', "" if table else theme.strip(), text, count=1, flags=re.MULTILINE)
    assert count == 1
    path.write_text(text + "\n" + (theme + "\n" if table else "") + rest, encoding="utf-8")


def line_of(site: SiteDir, text: str) -> int:
    """The 1-based line of site.toml that holds text."""
    lines = (site.root / "site.toml").read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


def child_theme(site: SiteDir, name: str, parent: str = "default", manifest: str = "") -> None:
    """themes/<name>/ with a theme.toml extending parent (or the manifest given)."""
    site.write(f"themes/{name}/theme.toml", manifest or f'extends = "{parent}"\n')


def articles(site: SiteDir) -> None:
    site.article("ar", "first", title="الأول", date="2017-09-28", tags="سوريا")
    site.article("en", "first", title="First", date="2017-09-28", tags="Syria")


# ---------- [theme.params] ----------

def test_documented_defaults_reach_templates_and_site_values_replace_them(make_site):
    site = make_site()
    articles(site)
    assert site.build().code == 0
    assert 'class="date-hijri"' in site.read("ar/index.html")  # show_hijri defaults to true
    assert "site-logo" not in site.read("ar/index.html")  # logo defaults to ""
    site.write("themes/default/static/img/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>')
    configure(site, '[theme]\nname = "default"\n\n[theme.params]\nshow_hijri = false\nlogo = "img/logo.svg"\n')
    result = site.build("--base-url", BASE_URL)
    assert result.code == 0, result.err
    home = site.read("ar/index.html")
    assert 'class="date-hijri"' not in home
    assert '<img class="site-logo" src="/repo/static/img/logo.svg" alt="">' in home


def test_a_logo_named_with_spaces_and_arabic_is_a_valid_url(make_site):
    # static() wrote the path as given: a space in src is invalid HTML (Nu) and "%" started a bogus escape.
    site = make_site()
    articles(site)
    site.write("themes/default/static/img/شعار 100%.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>')
    configure(site, '[theme]\nname = "default"\n\n[theme.params]\nlogo = "img/شعار 100%.svg"\n')
    result = site.build("--base-url", BASE_URL)
    assert result.code == 0, result.err
    assert ('<img class="site-logo" src="/repo/static/img/%D8%B4%D8%B9%D8%A7%D8%B1%20100%25.svg" alt="">'
            in site.read("ar/index.html"))


MISSING = "is not a file the site publishes in themes/centre/static/ or themes/default/static/ (or static/static/)"
NOT_A_PATH = 'must be a path inside a theme\'s static/ folder, such as "img/logo.svg"'


@pytest.mark.parametrize(("value", "reason"), [
    ("img/missing.svg", MISSING),
    ("img/Logo.svg", MISSING),  # img/logo.svg is there: another name on a case-sensitive host (GitHub Pages)
    ("img", MISSING),  # a folder
    ("img/link.svg", MISSING),  # a link out of the project, which the build does not copy
    ("../../site.toml", NOT_A_PATH), ("/etc/hostname", NOT_A_PATH), ("img\\other.svg", NOT_A_PATH),
    # Found by the file system, but the page's URL would carry them as written.
    ("img/other.svg/", NOT_A_PATH), ("./img/other.svg", NOT_A_PATH), ("img//other.svg", NOT_A_PATH),
])
def test_a_logo_that_is_not_a_static_file_stops_the_build_at_its_line(make_site, tmp_path, value, reason):
    # A missing logo used to publish a broken image on every page, said only by `check --site`.
    site = make_site()
    articles(site)
    assert site.build().code == 0
    before = site.read("ar/index.html")
    child_theme(site, "centre")
    site.write("themes/centre/static/img/other.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>')
    site.write("themes/default/static/img/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>')
    (tmp_path / "outside.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg"/>', encoding="utf-8")
    (site.root / "themes/centre/static/img/link.svg").symlink_to(tmp_path / "outside.svg")
    configure(site, f'[theme]\nname = "centre"\n\n[theme.params]\nshow_hijri = false\nlogo = {json.dumps(value)}\n')
    for result in (site.build(), run_cli("check", "--root", str(site.root))):
        assert result.code == 1, result.out
        assert f"site.toml:{line_of(site, 'logo =')}: [theme.params] logo {json.dumps(value)} {reason}" in result.err
    assert site.read("ar/index.html") == before  # output/ as the last good build left it


@pytest.mark.parametrize("where", ["themes/default/static/img/logo.svg", "static/static/img/logo.svg"])
def test_a_logo_in_a_parent_theme_or_the_site_s_own_static_static_is_found(make_site, where):
    # The site's static/static/img/logo.svg is published at /static/img/logo.svg: a logo without a theme of one's own.
    site = make_site()
    articles(site)
    child_theme(site, "centre")
    site.write(where, '<svg xmlns="http://www.w3.org/2000/svg"/>')
    configure(site, '[theme]\nname = "centre"\n\n[theme.params]\nlogo = "img/logo.svg"\n')
    result = site.build()
    assert result.code == 0, result.err
    assert '<img class="site-logo" src="/static/img/logo.svg" alt="">' in site.read("ar/index.html")
    (site.root / where).unlink()  # gone after a good build: the next one says so
    result = site.build()
    assert result.code == 1 and f'[theme.params] logo "img/logo.svg" {MISSING}' in result.err


def test_a_theme_s_own_default_logo_must_be_there_and_a_child_keeps_the_parent_s_static_file(make_site):
    site = make_site()
    articles(site)
    child_theme(site, "centre", manifest='extends = "default"\n\n[params.logo]\ndefault = "img/mark.svg"\n'
                                          'description = "the centre\'s mark"\n')
    configure(site, 'theme = "centre"\n')
    result = site.build()
    assert result.code == 1
    assert f'themes/centre/theme.toml:3: [theme.params] logo "img/mark.svg" {MISSING}' in result.err
    site.write("themes/centre/static/img/mark.svg", '<svg xmlns="http://www.w3.org/2000/svg"/>')
    assert site.build().code == 0, site.build().err
    assert '<img class="site-logo" src="/static/img/mark.svg" alt="">' in site.read("ar/index.html")


def test_static_file_in_theme_toml_must_be_true_or_false(make_site):
    site = make_site()
    child_theme(site, "tuned", manifest='extends = "default"\n\n[params.mark]\ndefault = ""\ndescription = "m"\n'
                                        'static_file = "yes"\n')
    configure(site, 'theme = "tuned"\n')
    with pytest.raises(BuildError) as caught:
        load_theme(load_config(site.root))
    assert [str(p) for p in caught.value.problems] == [
        'themes/tuned/theme.toml:3: [params.mark] static_file must be true or false, not "yes"']


def test_params_are_read_only_and_documented_by_every_theme_of_the_chain(make_site):
    site = make_site()
    configure(site, '[theme]\nname = "research"\n\n[theme.params]\nreport_summaries = false\n')
    theme = load_theme(load_config(site.root))
    assert dict(theme.params) == {"logo": "", "report_summaries": False, "show_hijri": True}
    with pytest.raises(TypeError):
        theme.params["logo"] = "x"  # type: ignore[index]


def test_an_unknown_param_is_a_warning_that_names_the_documented_ones(make_site):
    site = make_site()
    articles(site)
    configure(site, '[theme]\nname = "default"\n\n[theme.params]\nshow_hijri = true\nshow_hirji = false\n')
    result = site.build()
    assert result.code == 0, result.err
    line = line_of(site, "show_hirji")
    assert f'site.toml:{line}: warning: [theme.params] show_hirji is not a param of theme "default" (did you mean ' \
           f'"show_hijri"?); it documents: logo, show_hijri' in result.err + result.out
    assert site.build("--strict").code == 1


@pytest.mark.parametrize(("written", "shown", "kind"), [
    ('show_hijri = "no"', '"no"', "true or false"),
    ("show_hijri = 1", "1", "true or false"),
    ("logo = false", "false", "text in quotes"),
    ('logo = ["a.svg"]', "an array", "text in quotes"),
    ("logo = 1979-05-27T07:32:00Z", "1979-05-27T07:32:00+00:00", "text in quotes"),
])
def test_a_param_of_another_kind_than_its_default_is_an_error_at_its_line(make_site, written, shown, kind):
    site = make_site()
    articles(site)
    configure(site, f'[theme]\nname = "default"\n\n[theme.params]\n{written}\n')
    result = site.build()
    name = written.split(" ", 1)[0]
    description = {"show_hijri": "show the Hijri (Umm al-Qura) date beside the Gregorian one",
                   "logo": 'an image under a theme\'s static/ folder ("img/logo.svg") shown before the site\'s title; '
                           '"" for the title alone'}[name]
    assert result.code == 1
    assert f"site.toml:{line_of(site, written)}: [theme.params] {name} must be {kind}, not {shown} " \
           f"({name}: {description})" in result.err


def test_a_whole_number_is_accepted_where_the_default_is_a_decimal(make_site):
    site = make_site()
    child_theme(site, "tuned", manifest='extends = "default"\n[params.ratio]\ndefault = 1.5\ndescription = "r"\n')
    configure(site, '[theme]\nname = "tuned"\n\n[theme.params]\nratio = 2\n')
    assert load_theme(load_config(site.root)).params["ratio"] == 2


def test_invalid_toml_in_theme_toml_is_reported_at_its_line(make_site):
    site = make_site()
    child_theme(site, "tuned", manifest='extends = "default"\n\n[params.ratio\ndefault = 1.5\n')
    configure(site, 'theme = "tuned"\n')
    with pytest.raises(BuildError) as caught:
        load_theme(load_config(site.root))
    [problem] = caught.value.problems
    assert str(problem).startswith("themes/tuned/theme.toml:3: invalid TOML")


def test_theme_toml_problems_are_all_reported_at_their_lines(make_site):
    # A misspelt "extend" was ignored (the build then failed on a missing catalog of "(theme)"), a parent that
    # does not exist was reported at line 1, and a bad extends hid every other problem.
    site = make_site()
    child_theme(site, "typo", manifest='name = "typo"\nextend = "default"\n')
    child_theme(site, "orphan", manifest='name = "orphan"\n\nextends = "nosuch"\n')
    child_theme(site, "both", manifest='extends = 5\n[params.ratio]\ndefault = 1.5\n')
    for theme, expected in [
        ("typo", ['themes/typo/theme.toml:2: unknown key "extend" (did you mean "extends"?)']),
        ("orphan", ['themes/orphan/theme.toml:3: theme "nosuch" does not exist']),
        ("both", ["themes/both/theme.toml:1: extends must name a folder in themes/, not 5",
                  "themes/both/theme.toml:2: [params.ratio] must have a default and a description (text)"]),
    ]:
        toml = site.root / "site.toml"
        toml.write_text(re.sub(r'^theme = ".*$', f'theme = "{theme}"', toml.read_text(encoding="utf-8"), count=1,
                               flags=re.MULTILINE), encoding="utf-8")
        with pytest.raises(BuildError) as caught:
            load_theme(load_config(site.root))
        assert [str(p) for p in caught.value.problems] == expected


def test_a_param_documented_without_a_description_is_an_error_in_theme_toml(make_site):
    site = make_site()
    child_theme(site, "tuned", manifest='extends = "default"\n\n[params.ratio]\ndefault = 1.5\n')
    configure(site, 'theme = "tuned"\n')
    with pytest.raises(BuildError) as caught:
        load_theme(load_config(site.root))
    assert [str(p) for p in caught.value.problems] == [
        "themes/tuned/theme.toml:3: [params.ratio] must have a default and a description (text)"]


def test_theme_as_a_table_keeps_its_keys_checked(make_site):
    site = make_site()
    configure(site, '[theme]\nname = "default"\nextra_ccs = []\n')
    with pytest.raises(BuildError) as caught:
        load_config(site.root)
    assert [str(p) for p in caught.value.problems] == [
        f'site.toml:{line_of(site, "extra_ccs")}: unknown key "extra_ccs" in [theme] (did you mean "extra_css"?)']


# ---------- Menus ----------

MENU = """
[[menus.ar]]
name = "الموضوعات"
url = "/ar/tags/"
weight = 2

[[menus.ar]]
name = "الرئيسية"
url = "/ar/"
weight = 1

[[menus.ar]]
name = "المصدر"
url = "https://github.com/example/warraq"
weight = 3
"""


def nav_links(html: str) -> list[str]:
    """The <a> tags of the header's main navigation."""
    nav = html.split('<nav class="site-nav"', 1)[1].split("</nav>", 1)[0]
    return re.findall(r"<a [^>]*>", nav)


@pytest.mark.parametrize("theme", ["default", "research"])
def test_a_language_menu_replaces_the_nav_in_weight_order_with_base_path_and_current_item(make_site, theme):
    site = make_site()
    articles(site)
    configure(site, f'theme = "{theme}"\n', MENU)
    result = site.build("--base-url", BASE_URL)
    assert result.code == 0, result.err
    assert nav_links(site.read("ar/tags/index.html")) == [
        '<a href="/repo/ar/">', '<a href="/repo/ar/tags/" aria-current="page">',
        '<a href="https://github.com/example/warraq" rel="external">']
    assert nav_links(site.read("ar/index.html"))[0] == '<a href="/repo/ar/" aria-current="page">'
    assert "الرئيسية" in site.read("ar/index.html").split('<nav class="site-nav"', 1)[1].split("</nav>")[0]
    # English has no menu of its own: the theme's three links, unchanged.
    assert nav_links(site.read("en/index.html")) == [
        '<a href="/repo/en/" aria-current="page">', '<a href="/repo/en/tags/">', '<a href="/repo/en/archive/">']


def test_menu_items_of_equal_weight_keep_the_order_written(make_site):
    site = make_site()
    articles(site)
    configure(site, "", '[[menus.en]]\nname = "B"\nurl = "/en/b/"\n\n[[menus.en]]\nname = "A"\nurl = "/en/a/"\n')
    assert [item.name for item in load_config(site.root).menu("en")] == ["B", "A"]


@pytest.mark.parametrize(("entry", "message"), [
    ('name = "x"\nurl = "ar/tags/"',
     '[[menus.ar]] url must be a site path starting with "/" (such as "/ar/tags/") or an http(s) address, '
     'not "ar/tags/"'),
    ('name = "x"\nurl = "javascript:alert(1)"',
     '[[menus.ar]] url must be a site path starting with "/" (such as "/ar/tags/") or an http(s) address, '
     'not "javascript:alert(1)"'),
    ('name = "x"\nurl = "//evil.example/"',
     '[[menus.ar]] url must be a site path starting with "/" (such as "/ar/tags/") or an http(s) address, '
     'not "//evil.example/"'),
    ('name = "x"\nurl = "/ar/../../etc/"',
     '[[menus.ar]] url must be a site path starting with "/" (such as "/ar/tags/") or an http(s) address, '
     'not "/ar/../../etc/"'),
    ('name = "x"\nurl = "/a b/"',
     '[[menus.ar]] url must be a site path starting with "/" (such as "/ar/tags/") or an http(s) address, '
     'not "/a b/"'),
    ('name = ""\nurl = "/ar/"', "[[menus.ar]] name must be the item's label in quotes, not \"\""),
    ('name = "x"\nurl = "/ar/"\nweight = "1"', "[[menus.ar]] weight must be a whole number (lower comes first), not \"1\""),
    ('name = "x"\nurl = "/ar/"\nwieght = 1', 'unknown key "wieght" in [[menus.ar]] (did you mean "weight"?)'),
])
def test_a_bad_menu_item_is_an_error_at_its_line(make_site, entry, message):
    site = make_site()
    configure(site, "", "[[menus.ar]]\nname = \"ok\"\nurl = \"/ar/\"\n\n[[menus.ar]]\n" + entry + "\n")
    with pytest.raises(BuildError) as caught:
        load_config(site.root)
    key = entry.splitlines()[-1].split(" ", 1)[0] if "wieght" in entry or "weight" in entry else (
        "url" if "url must" in message else "name")
    lines = (site.root / "site.toml").read_text(encoding="utf-8").splitlines()
    second = [n for n, line in enumerate(lines, 1) if line == "[[menus.ar]]"][1]
    expected = next(n for n, line in enumerate(lines, 1) if n > second and line.startswith(key))
    assert [str(p) for p in caught.value.problems] == [f"site.toml:{expected}: {message}"]


def test_a_menu_for_a_language_that_is_not_configured_is_an_error(make_site):
    site = make_site()
    configure(site, "", '[[menus.fr]]\nname = "x"\nurl = "/fr/"\n')
    with pytest.raises(BuildError) as caught:
        load_config(site.root)
    assert [str(p) for p in caught.value.problems] == [
        f"site.toml:{line_of(site, '[[menus.fr]]')}: [[menus.fr]] is for a language that is not configured; "
        f"languages are \"ar\", \"en\""]


# ---------- extra_css and extra_head ----------

def test_extra_css_comes_after_the_themes_css_and_extra_head_is_included(make_site):
    site = make_site()
    articles(site)
    child_theme(site, "brand")
    site.write("themes/brand/static/css/brand.css", ":root { --accent: #6b1f4f; }\n")
    site.write("themes/brand/templates/partials/head.html", '<meta name="theme-color" content="#6b1f4f">\n')
    configure(site, '[theme]\nname = "brand"\nextra_css = ["css/brand.css"]\nextra_head = "partials/head.html"\n')
    result = site.build("--base-url", BASE_URL)
    assert result.code == 0, result.err
    head = site.read("en/index.html").split("</head>", 1)[0]
    site_css = head.index('href="/repo/static/css/site.css"')
    brand_css = head.index('<link rel="stylesheet" href="/repo/static/css/brand.css">')
    assert site_css < brand_css < head.index('<meta name="theme-color" content="#6b1f4f">')
    assert (site.root / "output/static/css/brand.css").is_file()


def test_extra_css_may_come_from_the_sites_own_static_folder(make_site):
    site = make_site()
    articles(site)
    site.write("static/css/site-own.css", "body { outline: 0; }\n")
    configure(site, '[theme]\nname = "default"\nextra_css = ["css/site-own.css"]\n')
    result = site.build("--base-url", BASE_URL)
    assert result.code == 0, result.err
    assert '<link rel="stylesheet" href="/repo/css/site-own.css">' in site.read("ar/index.html")
    assert (site.root / "output/css/site-own.css").is_file()


@pytest.mark.parametrize(("written", "message"), [
    ('extra_css = ["css/missing.css"]',
     'extra_css "css/missing.css" is not a file in static/ or in themes/default/static/'),
    ('extra_head = "partials/missing.html"',
     'extra_head "partials/missing.html" is not a template in the templates/ folder of themes/default/'),
])
def test_a_hook_naming_a_missing_file_is_an_error(make_site, written, message):
    site = make_site()
    configure(site, f'[theme]\nname = "default"\n{written}\n')
    with pytest.raises(BuildError) as caught:
        load_theme(load_config(site.root))
    assert [str(p) for p in caught.value.problems] == [f"site.toml:{line_of(site, written)}: {message}"]


@pytest.mark.parametrize(("written", "message"), [
    ('extra_css = ["../site.toml"]', 'extra_css must name .css files in static/ or a theme\'s static/, such as '
                                     '"css/brand.css", not "../site.toml"'),
    ('extra_css = ["/css/x.css"]', 'extra_css must name .css files in static/ or a theme\'s static/, such as '
                                   '"css/brand.css", not "/css/x.css"'),
    ('extra_css = "css/x.css"', 'extra_css must be a list of stylesheet paths in static/ or a theme\'s static/, '
                                'such as ["css/brand.css"]'),
    ('extra_head = "<script>alert(1)</script>"', 'extra_head must name a template of the theme, such as '
                                                 '"partials/head.html", not "<script>alert(1)</script>"'),
])
def test_a_hook_that_is_not_a_plain_path_is_an_error(make_site, written, message):
    site = make_site()
    configure(site, f'[theme]\nname = "default"\n{written}\n')
    with pytest.raises(BuildError) as caught:
        load_config(site.root)
    assert [str(p) for p in caught.value.problems] == [f"site.toml:{line_of(site, written)}: {message}"]


# ---------- A child theme extends its parent's template of the same name ----------

ONE_BLOCK = """{% extends "default:base.html" %}
{% block masthead %}
<div class="wrap masthead"><p class="site-title"><a href="{{ links.home }}">Child: {{ site_title }}</a></p></div>
{% endblock %}
"""


def test_a_child_theme_overrides_one_block_and_inherits_everything_else(make_site, tmp_path):
    site = make_site()
    articles(site)
    assert site.build("--output", str(tmp_path / "parent")).code == 0
    child_theme(site, "child")
    site.write("themes/child/templates/base.html", ONE_BLOCK)
    configure(site, 'theme = "child"\n')
    result = site.build("--output", str(tmp_path / "child"))
    assert result.code == 0, result.err
    compared = 0
    for page in sorted((tmp_path / "parent").rglob("*.html")):
        relative = page.relative_to(tmp_path / "parent")
        # Whitespace aside (the block's indentation is the child's own).
        parent = " ".join(page.read_text(encoding="utf-8").split())
        child = " ".join((tmp_path / "child" / relative).read_text(encoding="utf-8").split())
        if "masthead" not in parent:  # the bilingual root page has no masthead
            assert child == parent, relative
            continue
        before, _, rest = parent.partition('<div class="wrap masthead">')
        after = rest.split("</div>", 1)[1]
        child_before, _, child_rest = child.partition('<div class="wrap masthead">')
        assert child_before == before and child_rest.split("</div>", 1)[1] == after, relative
        assert child_rest.startswith('<p class="site-title"><a href="/') and "Child: " in child_rest
        compared += 1
    assert compared > 10


@pytest.mark.parametrize(("name", "template", "message"), [
    ("base.html", '{% extends "base.html" %}',
     '{% extends "base.html" %} extends this template itself; to extend the parent theme\'s base.html, write '
     '{% extends "default:base.html" %}'),
    ("base.html", '{% extends "child:base.html" %}',
     '{% extends "child:base.html" %} extends this template itself; to extend the parent theme\'s base.html, '
     'write {% extends "default:base.html" %}'),
    ("base.html", '{% extends "parent:base.html" %}',
     '{% extends "parent:base.html" %}: no theme "parent" in this theme\'s chain (child, default)'),
    ("home.html", '{% extends "default:house.html" %}',
     '{% extends "default:house.html" %}: theme "default" has no template "house.html"'),
    ("mine.html", '{% extends "mine.html" %}', '{% extends "mine.html" %} extends this template itself'),
])
def test_an_extends_that_cannot_work_is_an_error_at_its_line(make_site, name, template, message):
    site = make_site()
    child_theme(site, "child")
    site.write(f"themes/child/templates/{name}", "{#- a comment line -#}\n" + template + "\n")
    configure(site, 'theme = "child"\n')
    with pytest.raises(BuildError) as caught:
        load_theme(load_config(site.root))
    assert [str(p) for p in caught.value.problems] == [f"themes/child/templates/{name}:2: {message}"]


def test_the_former_recursion_is_reported_by_the_build_without_a_traceback(make_site):
    site = make_site()
    articles(site)
    child_theme(site, "child")
    site.write("themes/child/templates/base.html", '{% extends "base.html" %}\n{% block masthead %}x{% endblock %}\n')
    configure(site, 'theme = "child"\n')
    result = site.build()
    assert result.code == 1
    assert "RecursionError" not in result.err and "Traceback" not in result.err
    assert result.err.startswith('themes/child/templates/base.html:1: {% extends "base.html" %} extends this '
                                 "template itself")


def test_templates_that_extend_each_other_in_a_loop_are_an_error(make_site):
    site = make_site()
    child_theme(site, "child")
    site.write("themes/child/templates/a.html", '{% extends "b.html" %}\n')
    site.write("themes/child/templates/b.html", '\n{% extends "child:a.html" %}\n')
    configure(site, 'theme = "child"\n')
    with pytest.raises(BuildError) as caught:
        load_theme(load_config(site.root))
    assert [str(p) for p in caught.value.problems] == [
        "themes/child/templates/a.html:1: templates extend each other in a loop: themes/child/templates/a.html -> "
        "themes/child/templates/b.html -> themes/child/templates/a.html"]


def test_a_grandchild_extends_the_research_theme_which_extends_the_default(make_site):
    site = make_site()
    articles(site)
    child_theme(site, "centre", parent="research")
    site.write("themes/centre/templates/base.html", '{% extends "research:base.html" %}\n'
                                                    '{% block masthead %}<p>Centre</p>{% endblock %}\n')
    configure(site, 'theme = "centre"\n')
    result = site.build("--strict")
    assert result.code == 0, result.err
    home = site.read("ar/index.html")
    assert "<p>Centre</p>" in home and "css/research.css" in home and "css/site.css" in home


# ---------- article.extra ----------

def test_article_extra_reaches_templates(make_site):
    site = make_site()
    site.article("ar", "with-extra", extra='template: noted.html\nextra:\n  note: "ملاحظة المحرر"\n  pages: [3, 4]')
    child_theme(site, "child")
    site.write("themes/child/templates/noted.html", '{% extends "article.html" %}\n{% block content %}'
                                                    '<p class="note">{{ article.extra.note }} {{ article.extra.pages|join("-") }}'
                                                    '</p>{{ super() }}{% endblock %}\n')
    site.article("ar", "plain", date="2017-09-27")
    configure(site, 'theme = "child"\n')
    result = site.build()
    assert result.code == 0, result.err
    assert '<p class="note">ملاحظة المحرر 3-4</p>' in site.read("ar/2017/09/with-extra/index.html")
    assert "article-body" in site.read("ar/2017/09/with-extra/index.html")


@pytest.mark.parametrize(("name", "why"), [
    ("nothere.html", "no such template in themes/child/templates/, themes/default/templates/"),
    ("default:noted.html", 'theme "default" has no template "noted.html"'),
    ("other:article.html", 'no theme "other" in this theme\'s chain (child, default)'),
    ("../templates/article.html", "give a file name under the theme's templates/ folder"),
    ("/etc/passwd", "give a file name under the theme's templates/ folder"),
    ("default:../x.html", "give a file name under the theme's templates/ folder"),
    # Longer than a file name may be: the file system's "File name too long" was a traceback.
    ("x" * 300 + ".html", "no such template in themes/child/templates/, themes/default/templates/"),
    ("default:" + "x" * 300 + ".html", f'theme "default" has no template "{"x" * 300}.html"'),
    # A partial exists, and rendered as the article's page it printed an empty file.
    ("_macros.html", "themes/default/templates/_macros.html prints nothing of its own (it only defines macros)"),
    ("default:_macros.html", "themes/default/templates/_macros.html prints nothing of its own"),
    ("partials/head.html", "themes/child/templates/partials/head.html prints nothing of its own"),
])
def test_an_article_s_template_that_loads_nothing_is_an_error_at_its_line(make_site, name, why):
    site = make_site()
    child_theme(site, "child")
    site.write("themes/child/templates/noted.html", '{% extends "article.html" %}\n')
    site.write("themes/child/templates/partials/head.html",
               '{% import "_macros.html" as m %}\n\n{% macro head() %}<meta name="x">{% endmacro %}\n')
    # What a template does, not its name: a page template may start with _.
    site.write("themes/child/templates/_page.html", '{% extends "article.html" %}\n')
    configure(site, 'theme = "child"\n')
    site.article("ar", "fine", extra="template: noted.html", date="2017-09-27")
    site.article("ar", "fine-too", extra="template: _page.html", date="2017-09-26")
    source = site.article("ar", "odd", extra=f'template: "{name}"')
    line = source.read_text(encoding="utf-8").splitlines().index(f'template: "{name}"') + 1
    assert line > 1
    for result in (run_cli("check", "--root", str(site.root)), site.build()):
        assert result.code == 1
        problems = [row for row in result.err.splitlines() if ".md:" in row]
        assert len(problems) == 1, result.err
        assert problems[0].startswith(f'{source.relative_to(site.root)}:{line}: template "{name}": {why}')
    assert not (site.root / "output").exists()


# ---------- The research theme's report-style home ----------

def report_articles(site: SiteDir) -> None:
    """Two articles of issue 48 (the newest report), one of issue 47, and a newer one without a report."""
    def report(issue: int) -> str:
        return f'report:\n  title: "التقرير الاستراتيجي العدد {issue}"\n  prepared_by: "المرصد الاستراتيجي"\n' \
               f"summary: ملخص {issue}"
    site.article("ar", "old", title="مقال العدد ٤٧", date="2017-08-01", extra=report(47))
    site.article("ar", "first-48", title="الأول في العدد ٤٨", date="2017-09-01", extra=report(48))
    site.article("ar", "second-48", title="الثاني في العدد ٤٨", date="2017-09-10", extra=report(48))
    site.article("ar", "news", title="خبر بلا تقرير", date="2017-09-20")


def test_the_research_home_leads_with_the_latest_report_and_its_articles(make_site):
    site = make_site()
    report_articles(site)
    configure(site, 'theme = "research"\n')
    result = site.build("--strict")
    assert result.code == 0, result.err
    home = site.read("ar/index.html")
    issue = home.split('<section class="report-issue"', 1)[1].split("</section>", 1)[0]
    assert "التقرير الاستراتيجي العدد 48" in issue and "المرصد الاستراتيجي" in issue
    assert re.findall(r'<h3 class="report-entry-title"><a href="/ar/2017/09/([a-z0-9-]+)/">', issue) == [
        "second-48", "first-48"]
    assert "ملخص 48" in issue
    more = home.split('<section class="more-research"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r'href="/ar/2017/0\d/([a-z0-9-]+)/"', more) == ["news", "old"]
    assert re.findall(r"<h1[ >]", home) == ["<h1 "]


def test_the_research_home_without_reports_is_a_plain_listing(make_site):
    site = make_site()
    articles(site)
    configure(site, '[theme]\nname = "research"\n\n[theme.params]\nreport_summaries = false\n')
    assert site.build("--strict").code == 0
    home = site.read("ar/index.html")
    assert "report-issue" not in home and "<h1>أحدث المقالات</h1>" in home


def test_report_summaries_param_hides_the_summaries(make_site):
    site = make_site()
    report_articles(site)
    configure(site, '[theme]\nname = "research"\n\n[theme.params]\nreport_summaries = false\n')
    assert site.build().code == 0
    assert "report-entry-summary" not in site.read("ar/index.html")


@pytest.mark.parametrize("theme", ["default", "research"])
def test_both_shipped_themes_build_twice_byte_identically(make_site, tmp_path, theme):
    site = make_site()
    report_articles(site)
    configure(site, f'theme = "{theme}"\n', MENU)
    copy = SiteDir(tmp_path / "copy")
    shutil.copytree(site.root, copy.root)  # a second project: no build cache shared between the two builds
    for project, run in ((site, "one"), (copy, "two")):
        assert project.build("--output", str(tmp_path / run)).code == 0
    one = {p.relative_to(tmp_path / "one"): p.read_bytes() for p in (tmp_path / "one").rglob("*") if p.is_file()}
    two = {p.relative_to(tmp_path / "two"): p.read_bytes() for p in (tmp_path / "two").rglob("*") if p.is_file()}
    assert one == two


def test_the_research_theme_documents_its_params() -> None:
    text = (Path(__file__).resolve().parent.parent / "themes/research/theme.toml").read_text(encoding="utf-8")
    assert 'extends = "default"' in text and "[params.report_summaries]" in text


def test_menus_logo_and_hooks_keep_every_page_valid_html(make_site):
    """The Nu HTML Checker over a research-theme site that uses every setting (tests/test_validity.py's runner)."""
    from tests.test_validity import is_error, run_checker

    site = make_site()
    report_articles(site)
    child_theme(site, "brand", parent="research")
    site.write("themes/brand/static/img/logo.svg", '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1 1"/>')
    site.write("themes/brand/static/css/brand.css", ":root { --accent: #6b1f4f; }\n")
    site.write("themes/brand/templates/partials/head.html", '<meta name="theme-color" content="#6b1f4f">\n')
    configure(site, '[theme]\nname = "brand"\nextra_css = ["css/brand.css"]\nextra_head = "partials/head.html"\n\n'
                    '[theme.params]\nlogo = "img/logo.svg"\nshow_hijri = false\n', MENU)
    result = site.build("--base-url", BASE_URL, "--strict")
    assert result.code == 0, result.err
    output = (site.root / "output").resolve()
    errors = [m for m in run_checker(sorted(output.rglob("*.html")), output) if is_error(m)]
    assert errors == []


def test_a_template_link_that_leaves_the_project_is_an_error_and_nothing_is_published(make_site, tmp_path):
    """Jinja follows links: a theme's link to a file or folder outside the project would publish it."""
    site = make_site()
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "passwd").write_text("root:x:0:0", encoding="utf-8")
    templates = site.root / "themes" / "default" / "templates"
    (templates / "leak.html").symlink_to(secret / "passwd")
    (templates / "private").symlink_to(secret, target_is_directory=True)
    (templates / "inside.html").symlink_to(templates / "base.html")  # a link inside the project is fine
    site.article("ar", "leak", extra="template: leak.html")
    result = site.build()
    assert result.code == 1
    assert result.err.splitlines()[:2] == [
        f"themes/default/templates/leak.html:1: is a symbolic link to {secret / 'passwd'}, outside the project; "
        "a template must be inside it",
        f"themes/default/templates/private:1: is a symbolic link to {secret}, outside the project; "
        "a template must be inside it",
    ]
    assert not (site.root / "output").exists()
