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
