"""site.toml: defaults, validation, suggestions for unknown keys."""

from pathlib import Path

import pytest

from generator.config import load_config
from generator.errors import BuildError

MINIMAL = """
[languages.ar]
locale = "ar_SY"
digits = "arab"
"""


def write_config(tmp_path: Path, text: str) -> Path:
    (tmp_path / "themes" / "default").mkdir(parents=True, exist_ok=True)
    (tmp_path / "site.toml").write_text(text, encoding="utf-8")
    return tmp_path


def problems_of(root: Path) -> list[str]:
    with pytest.raises(BuildError) as caught:
        load_config(root)
    return [str(p) for p in caught.value.problems]


def test_defaults_fill_everything_not_written(tmp_path):
    config = load_config(write_config(tmp_path, MINIMAL))
    assert config.default_language == "ar"
    assert config.page_size == 10 and config.hijri_adjustment == 0 and config.theme == "default"
    arabic = config.language("ar")
    assert (arabic.locale, arabic.digits, arabic.direction) == ("ar_SY", "arab", "rtl")
    assert config.base_path == "/"


def test_the_shipped_site_toml_is_valid_and_bilingual():
    config = load_config(Path(__file__).resolve().parent.parent)
    assert [l.code for l in config.languages] == ["ar", "en"]
    assert config.language("en").direction == "ltr"
    assert {"isis", "syria", "iraq", "russia", "united-states"} <= {t.slug for t in config.tags}


@pytest.mark.parametrize("base_url, base_path", [
    ("/", "/"), ("", "/"), ("https://user.github.io/repo/", "/repo/"), ("https://example.org", "/"),
    ("/repo", "/repo/"), ("https://user.github.io/a/b", "/a/b/"),
])
def test_base_path_comes_from_base_url(tmp_path, base_url, base_path):
    config = load_config(write_config(tmp_path, f'base_url = "{base_url}"\n' + MINIMAL))
    assert config.base_path == base_path


def test_command_line_base_url_wins(tmp_path):
    config = load_config(write_config(tmp_path, 'base_url = "/a/"\n' + MINIMAL), base_url="https://x.io/b/")
    assert config.base_path == "/b/"


def test_unknown_keys_are_errors_that_suggest_the_nearest(tmp_path):
    text = 'page_sise = 5\n' + MINIMAL + 'titel = "x"\n'
    assert problems_of(write_config(tmp_path, text)) == [
        'site.toml:1: unknown key "page_sise" (did you mean "page_size"?)',
        'site.toml:6: unknown key "titel" in [languages.ar] (did you mean "title"?)',
    ]


def test_every_problem_is_reported_together(tmp_path):
    text = 'page_size = 0\nhijri_adjustment = 3\ntheme = "nope"\n' + MINIMAL.replace('"arab"', '"hindi"')
    assert problems_of(write_config(tmp_path, text)) == [
        "site.toml:1: page_size must be a whole number from 1 to 1000, not 0",
        "site.toml:2: hijri_adjustment must be a whole number from -2 to 2, not 3",
        'site.toml:3: theme "nope" not found: no folder themes/nope/',
        'site.toml:7: [languages.ar] digits must be "latn", "arab" or "arabext", not "hindi"',
    ]


def test_invalid_toml_names_its_line(tmp_path):
    assert problems_of(write_config(tmp_path, 'base_url = "/"\npage_size = = 3\n'))[0].startswith(
        "site.toml:2: invalid TOML")


def test_unknown_locale_and_default_language(tmp_path):
    text = 'default_language = "fr"\n[languages.ar]\nlocale = "xx_QQ"\n'
    assert problems_of(write_config(tmp_path, text)) == [
        'site.toml:1: default_language "fr" is not one of the languages [\'ar\']',
        'site.toml:2: [languages.ar] locale "xx_QQ" is not a locale Babel knows (e.g. "ar", "ar_SY", "en")',
    ]


def test_tag_slugs_must_be_ascii_and_unique(tmp_path):
    text = MINIMAL + '[[tags]]\nslug = "سوريا"\nar = "سوريا"\n[[tags]]\nslug = "iraq"\n[[tags]]\nslug = "iraq"\n'
    messages = problems_of(write_config(tmp_path, text))
    assert any('tag slug "سوريا" must be lower-case ASCII' in m for m in messages)
    assert any('tag slug "iraq" is defined twice' in m for m in messages)


def test_missing_site_toml(tmp_path):
    assert problems_of(tmp_path) == [f"site.toml:1: no site.toml in {tmp_path} (is --root right?)"]
