"""Page planning details that whole builds do not reach easily."""

import pytest

from generator.plan import PageSpec, check_collisions, make_source


def test_two_pages_for_one_file_are_an_error_naming_both_sources():
    pages = [
        PageSpec("ar/2017/09/x/", "article.html", "ar", {"source_path": "content/ar/a.md"}),
        PageSpec("ar/2017/09/x/", "article.html", "ar", {"source_path": "content/ar/b.md"}),
        PageSpec("ar/", "home.html", "ar", {}),
    ]
    [problem] = check_collisions(pages)
    assert str(problem) == 'content/ar/b.md:1: two pages would be written to "ar/2017/09/x/": this one and content/ar/a.md'


def test_sources_link_their_web_address_and_keep_their_text():
    source = make_source("رويترز: https://example.org/news/1.")
    assert source.text == "رويترز: https://example.org/news/1."
    assert source.url == "https://example.org/news/1"
    assert make_source("صحيفة الحياة، 2017").url is None


def test_the_pager_shows_first_last_and_neighbours_with_a_gap_for_skipped_pages():
    from generator.plan import pager_items
    hrefs = [f"/p/{n}/" for n in range(1, 21)]

    def shown(number, count=20, digits="latn"):
        return [item.label for item in pager_items(hrefs[:count], number, digits)]

    assert shown(10) == ["1", "…", "8", "9", "10", "11", "12", "…", "20"]
    assert shown(1) == ["1", "2", "3", "…", "20"]
    assert shown(20) == ["1", "…", "18", "19", "20"]
    assert shown(2, count=3) == ["1", "2", "3"]
    assert shown(1, count=1) == ["1"]
    # A gap would hide one page only: the page is shown instead of "…".
    assert shown(4) == ["1", "2", "3", "4", "5", "6", "…", "20"]
    assert shown(17) == ["1", "…", "15", "16", "17", "18", "19", "20"]
    assert shown(10, digits="arab") == ["١", "…", "٨", "٩", "١٠", "١١", "١٢", "…", "٢٠"]


def test_pager_items_link_every_page_but_gaps_and_mark_the_current_one():
    from generator.plan import pager_items
    hrefs = [f"/p/{n}/" for n in range(1, 21)]
    items = pager_items(hrefs, 10, "arab")
    assert [item.url for item in items] == ["/p/1/", None, "/p/8/", "/p/9/", "/p/10/", "/p/11/", "/p/12/", None, "/p/20/"]
    assert [item.label for item in items if item.current] == ["١٠"]
    assert not any(item.current for item in items if item.url is None)


@pytest.mark.parametrize(("text", "url"), [
    # An address in angle brackets or quotes (as the importer keeps a seed's "<https://x.org/>"): the brackets
    # went into the link ("https://evil.org/>"), and a tag written after an address too.
    ("<https://evil.org/>", "https://evil.org/"),
    ("https://ex.org/<script>", "https://ex.org/"),
    ("«https://x.org/b»", "https://x.org/b"),
    ('"https://x.org/c".', "https://x.org/c"),
    ("راجع (https://x.org/a)، ثم", "https://x.org/a"),
    ("https://en.wikipedia.org/wiki/Foo_(bar)", "https://en.wikipedia.org/wiki/Foo_(bar)"),
    ("(https://en.wikipedia.org/wiki/Foo_(bar)).", "https://en.wikipedia.org/wiki/Foo_(bar)"),
    ("https://x.org/d?q=1&y=2", "https://x.org/d?q=1&y=2"),
    ("“https://x.org/q”", "https://x.org/q"), ("‘https://x.org/s’", "https://x.org/s"),
    ("https://x.org/a\u202eb", "https://x.org/a"), ("https://x.org/bb\\", "https://x.org/bb"),
])
def test_a_source_s_link_is_the_address_alone(text, url):
    assert make_source(text).url == url
