"""The URL scheme and the output-path guard."""

import datetime

import pytest

from generator import urls


def test_scheme_matches_the_design():
    day = datetime.date(2017, 9, 28)
    assert urls.article("ar", day, "slug") == "ar/2017/09/slug/"
    assert urls.tag("en", "syria") == "en/tags/syria/"
    assert urls.tag("en", "syria", 3) == "en/tags/syria/page/3/"
    assert urls.year("ar", 2017) == "ar/2017/"
    assert urls.month("ar", 2017, 9) == "ar/2017/09/"
    assert urls.hijri_year("ar", 1439) == "ar/hijri/1439/"
    assert urls.home("ar") == "ar/" and urls.home("ar", 2) == "ar/page/2/"


def test_href_works_under_a_sub_path():
    assert urls.href("/repo/", "ar/2017/") == "/repo/ar/2017/"
    assert urls.href("/", "") == "/"


def test_output_paths_are_index_files_inside_output(tmp_path):
    assert urls.output_path(tmp_path, "ar/2017/") == tmp_path / "ar" / "2017" / "index.html"
    assert urls.output_path(tmp_path, "") == tmp_path / "index.html"
    assert urls.output_path(tmp_path, "ar/404.html") == tmp_path / "ar" / "404.html"


@pytest.mark.parametrize("url", ["../etc/", "ar/../../x/", "/etc/passwd", "ar\\..\\x"])
def test_no_output_path_escapes_output(tmp_path, url):
    with pytest.raises(ValueError, match="outside output/"):
        urls.output_path(tmp_path, url)


@pytest.mark.parametrize(("base_url", "path", "expected"), [
    # A sub-path, as on GitHub Pages.
    ("https://user.github.io/repo/", "/repo/ar/2017/09/x/", "https://user.github.io/repo/ar/2017/09/x/"),
    # An Arabic sub-path (config.check_base_url encodes it; a path given raw is encoded here too).
    ("https://example.org/%D9%85%D8%B1%D8%B5%D8%AF/", "/مرصد/ar/", "https://example.org/%D9%85%D8%B1%D8%B5%D8%AF/ar/"),
    ("https://example.org/%d9%85/", "/%d9%85/ar/", "https://example.org/%D9%85/ar/"),  # escapes in upper case
    # A space, an Arabic slug, a "%" that starts no escape, an escaped unreserved letter.
    ("https://example.org/", "/my site/ar/2017/09/الرقة/", "https://example.org/my%20site/ar/2017/09/%D8%A7%D9%84%D8%B1%D9%82%D8%A9/"),
    ("https://example.org/", "/ar/100%/%41b/", "https://example.org/ar/100%25/Ab/"),
    # A port is kept, a default port dropped; scheme and host in lower case (the normal form a feed id needs).
    ("http://localhost:8000/", "/ar/", "http://localhost:8000/ar/"),
    ("HTTPS://News.Example.ORG:443/", "/ar/", "https://news.example.org/ar/"),
    ("http://example.org:80/", "/ar/", "http://example.org/ar/"),
    # A custom domain at the root.
    ("https://news.example.org", "/en/", "https://news.example.org/en/"),
])
def test_absolute_urls_are_full_and_percent_encoded(base_url: str, path: str, expected: str) -> None:
    assert urls.absolute(base_url, path) == expected
    assert urls.has_host(base_url)


@pytest.mark.parametrize("base_url", ["/", "", "/repo/", "/مرصد/", "/a b/"])
def test_without_a_host_there_is_no_full_url(base_url: str) -> None:
    assert urls.absolute(base_url, "/ar/") == ""
    assert not urls.has_host(base_url)


def test_encoding_is_idempotent() -> None:
    for path in ("/ar/2017/09/الرقة بعد/", "/a%2fb/%zz/", "/ar/(x)/:@!$&'*+,;=/~"):
        once = urls.encode_path(path)
        assert urls.encode_path(once) == once
        assert all(char.isascii() and char not in ' "<>\\^`{|}' for char in once), once
