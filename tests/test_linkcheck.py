"""The link checker: small hand-written sites for each kind of problem, then the real sample site."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.linkcheck import LinkProblem, check_site, pages_outside_sitemap, refresh_url, site_report
from tests.conftest import run_cli

HEAD = '<!DOCTYPE html><html lang="ar"><head><meta charset="utf-8"><title>t</title>{head}</head><body>{body}</body></html>'


def write(output: Path, files: dict[str, str]) -> Path:
    """Write a built site: HTML bodies are wrapped in a page, other files are written as given."""
    for relative, text in files.items():
        path = output / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if relative.endswith(".html") and not text.startswith("<!DOCTYPE"):
            text = HEAD.format(head="", body=text)
        path.write_text(text, encoding="utf-8")
    return output


@pytest.fixture
def site(tmp_path: Path):
    def make(files: dict[str, str]) -> Path:
        return write(tmp_path / "output", files)
    return make


def test_a_sound_site_has_no_problems(site):
    output = site({
        "index.html": '<a href="/ar/">ar</a> <a href="ar/">relative</a> <a href="/ar/#main">anchor</a>',
        "ar/index.html": '<main id="main"><a href="../">up</a> <a href="2017/">year</a> <a href="#main">self</a>'
                         '<img src="/static/a.png" srcset="/static/a.png 1x, ../static/b.png 2x" alt=""></main>',
        "ar/2017/index.html": '<a href="/ar/2017/?page=2">query</a> <a href="/ar">no slash</a> <a href="#top">top</a>',
        "static/a.png": "", "static/b.png": "",
    })
    assert check_site(output, "/") == []


def test_a_missing_page(site):
    output = site({"index.html": '<a href="/ar/gone/">x</a> <a href="ar/old.html">y</a>', "ar/index.html": ""})
    assert check_site(output, "/") == [
        LinkProblem("index.html", "/ar/gone/", "no such page"),
        LinkProblem("index.html", "ar/old.html", "no such page"),
    ]


def test_a_missing_asset(site):
    output = site({"ar/index.html": '<link rel="stylesheet" href="/static/site.css"><img src="../static/logo.png" alt="">'
                                    '<script src="/static/app.js"></script><img srcset="/static/x.png 2x" alt="">'})
    assert [str(p) for p in check_site(output, "/")] == [
        "ar/index.html: ../static/logo.png (missing asset)",
        "ar/index.html: /static/app.js (missing asset)",
        "ar/index.html: /static/site.css (missing asset)",
        "ar/index.html: /static/x.png (missing asset)",
    ]


def test_a_bad_anchor_on_this_page_and_on_another(site):
    output = site({
        "ar/index.html": '<h2 id="one">1</h2><a href="#two">x</a><a href="/en/#intro">y</a><a href="/en/#later">z</a>',
        "en/index.html": '<h2 id="intro">Intro</h2><a name="later"></a>',
    })
    assert check_site(output, "/") == [LinkProblem("ar/index.html", "#two", "no such anchor")]


def test_arabic_anchors_percent_encoded_or_raw(site):
    encoded = "%D8%A7%D9%84%D8%AE%D9%84%D9%81%D9%8A%D8%A9"  # الخلفية
    output = site({
        "ar/a/index.html": '<h2 id="الخلفية">الخلفية</h2><a href="#الخلفية">raw</a>'
                           f'<a href="#{encoded}">encoded</a><a href="/ar/a/#{encoded}">full</a>',
        "ar/b/index.html": f'<a href="/ar/a/#{encoded}">x</a><a href="../a/#%D8%A7">missing</a>',
    })
    assert check_site(output, "/") == [LinkProblem("ar/b/index.html", "../a/#%D8%A7", "no such anchor")]


def test_percent_encoded_file_names(site):
    output = site({"ar/index.html": '<img src="/static/%D8%B4%D8%B9%D8%A7%D8%B1.png" alt=""><img src="/static/شعار.png" alt="">',
                   "static/شعار.png": ""})
    assert check_site(output, "/") == []


def test_external_and_special_links_are_not_checked(site):
    output = site({"index.html": '<a href="https://example.org/nowhere/">a</a><a href="http://x.test/#y">b</a>'
                                 '<a href="//cdn.test/x.js">c</a><a href="mailto:a@b.c">d</a><a href="tel:+961">e</a>'
                                 '<img src="data:image/png;base64,AAAA" alt=""><a href="javascript:void(0)">f</a><a href="">g</a>'})
    assert check_site(output, "/") == []


def test_a_site_served_under_a_sub_path(site):
    output = site({
        "index.html": '<a href="/repo/ar/">fine</a><a href="/ar/">forgot the base path</a><a href="../other/">above</a>',
        "ar/index.html": '<a href="/repo/">home</a><a href="/repo">home, no slash</a><a href="../../x/">escapes</a>'
                         '<a href="/repo/en/">missing</a>',
    })
    assert [str(p) for p in check_site(output, "/repo/")] == [
        "ar/index.html: ../../x/ (outside the site)",
        "ar/index.html: /repo/en/ (no such page)",
        "index.html: ../other/ (outside the site)",
        "index.html: /ar/ (outside the site)",
    ]


def test_links_written_with_the_sites_own_host(site):
    output = site({"ar/index.html": '<link rel="canonical" href="https://user.github.io/repo/ar/">'
                                    '<a href="https://user.github.io/repo/en/">missing</a>'
                                    '<a href="https://user.github.io/other-repo/">another site on the host</a>'})
    assert check_site(output, "/repo/") == []  # without the host, every http(s) link is external
    assert check_site(output, "https://user.github.io/repo/") == [
        LinkProblem("ar/index.html", "https://user.github.io/repo/en/", "no such page")]


def test_the_root_redirect_is_followed_and_404_pages_need_absolute_links(site):
    output = site({
        "index.html": HEAD.format(head='<meta http-equiv="refresh" content="0; url=/repo/en/">', body=""),
        "404.html": '<a href="/repo/ar/">fine</a><a href="ar/">relative</a><a href="#main">self</a><main id="main"></main>',
        "ar/index.html": "",
    })
    assert [str(p) for p in check_site(output, "/repo/")] == [
        "404.html: ar/ (relative link on a 404 page, which is served at any URL)",
        "index.html: /repo/en/ (no such page)",
    ]


def test_feed_and_sitemap_links(site):
    output = site({
        "ar/index.html": "",
        "ar/feed.xml": '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
                       '<link rel="self" href="/repo/ar/feed.xml"/><link href="/repo/ar/"/>'
                       '<entry><link href="/repo/ar/2017/09/gone/"/></entry><entry><link href="https://example.org/"/></entry></feed>',
        "sitemap.xml": '<?xml version="1.0" encoding="utf-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                       '<url><loc>https://user.github.io/repo/ar/</loc></url><url><loc>https://elsewhere.test/repo/en/</loc></url></urlset>',
    })
    assert [str(p) for p in check_site(output, "/repo/")] == [
        "ar/feed.xml: /repo/ar/2017/09/gone/ (no such page)",
        "sitemap.xml: https://elsewhere.test/repo/en/ (no such page)",
    ]


def test_css_urls_resolve_relative_to_the_sheet(site):
    output = site({"static/css/site.css": '@font-face { src: url("../fonts/a.woff2") format("woff2"), url(../fonts/b.woff2); }\n'
                                          "/* url(../fonts/commented-out.woff2) */ .x { background: url('data:image/png;base64,AA') }",
                   "static/fonts/a.woff2": ""})
    assert check_site(output, "/repo/") == [LinkProblem("static/css/site.css", "../fonts/b.woff2", "missing asset")]


def test_parsing_in_several_processes_finds_the_same(site):
    files = {f"ar/{n}/index.html": f'<a href="/ar/{n + 1}/">next</a><a href="/ar/0/#x{n}">anchor</a><p id="x{n}">'
             for n in range(40)}
    output = site(files)
    expected = [LinkProblem("ar/39/index.html", "/ar/40/", "no such page")] + sorted(
        LinkProblem(f"ar/{n}/index.html", f"/ar/0/#x{n}", "no such anchor") for n in range(1, 40))
    assert check_site(output, "/", workers=1) == sorted(expected)
    assert check_site(output, "/", workers=2) == sorted(expected)


def test_pages_outside_the_sitemap(site):
    output = site({
        "index.html": HEAD.format(head='<meta http-equiv="refresh" content="0; url=/repo/ar/">', body=""),
        "404.html": "", "ar/404.html": "",
        "ar/index.html": "", "ar/tags/index.html": "", "ar/2017/index.html": "", "ar/about.html": "",
        "en/draft/index.html": HEAD.format(head='<meta name="robots" content="noindex">', body=""),
    })
    assert pages_outside_sitemap(output, "/repo/") == []  # no sitemap.xml yet: the caller decides
    write(output, {"sitemap.xml": '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                                  "<url><loc>https://user.github.io/repo/ar/</loc></url>"
                                  "<url><loc>/repo/ar/tags</loc></url></urlset>"})
    assert pages_outside_sitemap(output, "/repo/") == ["ar/2017/index.html", "ar/about.html"]
    assert site_report(output, "https://user.github.io/repo/") == [
        "ar/2017/index.html: not listed in sitemap.xml", "ar/about.html: not listed in sitemap.xml"]


def test_a_sitemap_index_is_followed(site):
    output = site({
        "ar/index.html": "", "en/index.html": "",
        "sitemap.xml": '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                       "<sitemap><loc>https://user.github.io/repo/sitemap-ar.xml</loc></sitemap></sitemapindex>",
        "sitemap-ar.xml": '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                          "<url><loc>https://user.github.io/repo/ar/</loc></url></urlset>",
    })
    assert pages_outside_sitemap(output, "https://user.github.io/repo/") == ["en/index.html"]


def test_the_sample_site_has_no_broken_link(sample_site):
    output = sample_site / "output"
    assert [str(p) for p in check_site(output, "/")] == []
    assert pages_outside_sitemap(output, "/") == []  # [] too while the build writes no sitemap.xml


def test_the_sample_site_under_a_sub_path_has_no_broken_link(sample_site, tmp_path):
    out = tmp_path / "repo-output"
    result = run_cli("build", "--root", str(sample_site), "--base-url", "https://user.github.io/repo/",
                     "--output", str(out))
    assert result.code == 0, result.err
    assert [str(p) for p in check_site(out, "/repo/")] == []
    assert [str(p) for p in check_site(out, "https://user.github.io/repo/")] == []
    assert pages_outside_sitemap(out, "https://user.github.io/repo/") == []
    # The same files checked as if served at the root: every link misses its /repo/ prefix.
    assert {p.reason for p in check_site(out, "/")} == {"no such page", "missing asset"}


def test_a_link_no_url_parser_can_read_is_a_problem_not_a_traceback(site):
    # An IPv6 bracket never closed (or closed without opening) made urlsplit raise out of check --site.
    output = site({"index.html": '<a href="//[oops/">a</a> <a href="https://[::1/x">b</a> '
                                 '<img src="//::1]/y.png" alt=""> <a href="/">fine</a>'})
    assert [str(p) for p in check_site(output, "https://example.org/")] == [
        "index.html: //::1]/y.png (not a valid URL)",
        "index.html: //[oops/ (not a valid URL)",
        "index.html: https://[::1/x (not a valid URL)",
    ]


@pytest.mark.parametrize("content, url", [
    ("0; url=/ar/", "/ar/"),
    ("0;URL = '/ar/'", "/ar/"),
    ('0; url="/a b/" ignored', "/a b/"),
    # HTML's refresh parsing: only a quote that opens the URL closes it. A base path "/a&b'c/" (quotes are
    # legal in a URL path) was cut at its quote, and check --site blocked a sound site for "/a&b".
    ("0; url=/a&b'c(d);e=f/ar/", "/a&b'c(d);e=f/ar/"),
    ("0; url='/it\"s/'", '/it"s/'),
    ("5", ""),
])
def test_the_refresh_url_is_read_as_browsers_read_it(content, url):
    assert refresh_url(content) == url


def test_a_base_path_with_a_quote_is_followed_from_the_root_redirect(site):
    output = site({
        "index.html": HEAD.format(head='<meta http-equiv="refresh" content="0; url=/a&amp;b&#39;c/ar/">', body=""),
        "ar/index.html": "",
    })
    assert check_site(output, "https://example.org/a&b'c/") == []
