"""Page planning details that whole builds do not reach easily."""

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


def test_the_pager_shows_first_last_and_neighbours_only():
    from generator.plan import window_pages
    from generator.views import Link
    links = [Link(str(n), f"/p/{n}/") for n in range(1, 21)]
    assert [l.label for l in window_pages(links, 10)] == ["1", "8", "9", "10", "11", "12", "20"]
    assert [l.label for l in window_pages(links, 1)] == ["1", "2", "3", "20"]
    assert [l.label for l in window_pages(links[:3], 2)] == ["1", "2", "3"]
