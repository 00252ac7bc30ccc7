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


@pytest.mark.parametrize(("written", "shown"), [
    ("true", "true"), ("false", "false"), ('"10"', '"10"'), ("1.5", "1.5"), ("[10]", "an array"),
    ("{ n = 10 }", "a table"), ("1979-05-27", "1979-05-27"), ("07:32:00", "07:32:00"),
])
def test_a_wrong_value_is_shown_as_toml_spells_it(tmp_path, written, shown):
    # Python's spelling (True, '10') is not what the user wrote, nor what they should write.
    text = f"page_size = {written}\nhijri_adjustment = {written}\nmarkdown_time_limit = {written}\n" + MINIMAL
    expected = [f"site.toml:1: page_size must be a whole number from 1 to 1000, not {shown}",
                f"site.toml:2: hijri_adjustment must be a whole number from -2 to 2, not {shown}",
                f"site.toml:3: markdown_time_limit must be a number of seconds above 0 and at most 3600, not {shown}"]
    # 1.5 seconds is a time limit.
    assert problems_of(write_config(tmp_path, text)) == (expected[:2] if written == "1.5" else expected)


def test_invalid_toml_names_its_line(tmp_path):
    assert problems_of(write_config(tmp_path, 'base_url = "/"\npage_size = = 3\n'))[0].startswith(
        "site.toml:2: invalid TOML")


@pytest.mark.parametrize(("written", "shown"), [
    ("true", "true"), ("10.5", "10.5"), ("0", "0"), ("[]", "an array"), ("1979-05-27", "1979-05-27"),
    ("{ a = 1 }", "a table"), ('""', '""'), ('"arr"', '"arr" (did you mean "ar"?)'),
])
def test_a_default_language_that_is_not_a_language_code_is_an_error(tmp_path, written, shown):
    # true, 10.5 and a date stopped the build with a traceback; 0 and [] built as if the key were absent.
    text = f"default_language = {written}\n" + MINIMAL
    assert problems_of(write_config(tmp_path, text)) == [
        f'site.toml:1: default_language must be one of the languages ("ar"), not {shown}']


def test_unknown_locale_and_default_language(tmp_path):
    text = 'default_language = "fr"\n[languages.ar]\nlocale = "xx_QQ"\n'
    assert problems_of(write_config(tmp_path, text)) == [
        'site.toml:1: default_language must be one of the languages ("ar"), not "fr"',
        'site.toml:3: [languages.ar] locale "xx_QQ" is not a locale Babel knows (e.g. "ar", "ar_SY", "en")',
    ]


def test_tag_slugs_must_be_ascii_and_unique(tmp_path):
    text = MINIMAL + '[[tags]]\nslug = "سوريا"\nar = "سوريا"\n[[tags]]\nslug = "iraq"\n[[tags]]\nslug = "iraq"\n'
    messages = problems_of(write_config(tmp_path, text))
    assert any('tag slug "سوريا" must be lower-case ASCII' in m for m in messages)
    assert any('tag slug "iraq" is defined twice' in m for m in messages)


def test_missing_site_toml(tmp_path):
    assert problems_of(tmp_path) == [f"site.toml:1: no site.toml in {tmp_path} (is --root right?)"]


@pytest.mark.parametrize("written, stored", [
    ("https://user.github.io/repo/", "https://user.github.io/repo/"),
    ("http://localhost:8000/", "http://localhost:8000/"),
    ("/", "/"),
    ("/my blog/", "/my%20blog/"),
    ("https://example.org/مدونة/", "https://example.org/%D9%85%D8%AF%D9%88%D9%86%D8%A9/"),
    ("/a%20b/", "/a%20b/"),
    ("https://[2001:db8::1]:8443/x/", "https://[2001:db8::1]:8443/x/"),
    ("http://127.0.0.1:8000/", "http://127.0.0.1:8000/"),
    ("HTTPS://Example.ORG/Repo/", "HTTPS://Example.ORG/Repo/"),
])
def test_base_url_is_an_http_url_or_a_path_with_spaces_and_non_ascii_percent_encoded(tmp_path, written, stored):
    config = load_config(write_config(tmp_path, f'base_url = "{written}"\n' + MINIMAL))
    assert config.base_url == stored


@pytest.mark.parametrize("written, message", [
    ("ftp://example.org/", 'base_url must be an absolute http(s) URL such as "https://user.github.io/repo/" or a path '
                           'starting with "/", not "ftp://example.org/"'),
    ("repo/", 'base_url must be an absolute http(s) URL such as "https://user.github.io/repo/" or a path '
              'starting with "/", not "repo/"'),
    ("//cdn.example.org/", 'base_url must be an absolute http(s) URL such as "https://user.github.io/repo/" or a path '
                           'starting with "/", not "//cdn.example.org/"'),
    ("https:///x/", 'base_url must be an absolute http(s) URL such as "https://user.github.io/repo/" or a path '
                    'starting with "/", not "https:///x/"'),
    ("/blog/?lang=ar", 'base_url may not carry a query (?) or a fragment (#): "/blog/?lang=ar"'),
    ("https://x.org/#top", 'base_url may not carry a query (?) or a fragment (#): "https://x.org/#top"'),
    ("/a/../b/", 'base_url may not hold "." or ".." segments: "/a/../b/"'),
    ("https://مثال.com/", 'base_url host must be ASCII; write it in its ASCII form "xn--mgbh0fb.com": "https://مثال.com/"'),
])
def test_base_url_refusals(tmp_path, written, message):
    assert problems_of(write_config(tmp_path, f'base_url = "{written}"\n' + MINIMAL)) == [f"site.toml:1: {message}"]


HOST_REFUSED = ('base_url host must be a host name, an IPv4 address or an IPv6 address in brackets, with an '
                'optional port from 1 to 65535')


@pytest.mark.parametrize("written, message", [
    # A bracket left open or an IPv6 address that is not one made urlsplit raise (a traceback, not a problem).
    ("https://[::1/", f'{HOST_REFUSED}: "https://[::1/"'),
    ("https://[zz]/", f'{HOST_REFUSED}: "https://[zz]/"'),
    ("https://::1]/", f'{HOST_REFUSED}: "https://::1]/"'),
    ("https://[::1]x/", f'{HOST_REFUSED}: "https://[::1]x/"'),
    # Ports that are not ports were written into every URL as they were.
    ("https://example.org:abc/", f'{HOST_REFUSED}: "https://example.org:abc/"'),
    ("https://example.org:99999/", f'{HOST_REFUSED}: "https://example.org:99999/"'),
    ("https://example.org:0/", f'{HOST_REFUSED}: "https://example.org:0/"'),
    ("https://example.org:/a/", f'{HOST_REFUSED}: "https://example.org:/a/"'),
    ("https://example.org:80:81/", f'{HOST_REFUSED}: "https://example.org:80:81/"'),
    ("https://exa%41mple.org/", f'{HOST_REFUSED}: "https://exa%41mple.org/"'),
    ("https://-bad-.org/", f'{HOST_REFUSED}: "https://-bad-.org/"'),
    # A user name or password would be published in every feed, sitemap entry and canonical link.
    ("https://user:secret@example.org/", 'base_url may not carry a user name or password (it would be published in '
                                         'every full URL): "https://user:secret@example.org/"'),
    ("https://@example.org/", 'base_url may not carry a user name or password (it would be published in '
                              'every full URL): "https://@example.org/"'),
    # Spaces at either end are a typo, not a sub-path "/%20/" (the trailing one was encoded into every URL).
    ("https://example.org/ ", 'base_url may not start or end with a space: "https://example.org/ "'),
    (" https://example.org/", 'base_url may not start or end with a space: " https://example.org/"'),
    ("/blog/\u00a0", 'base_url may not start or end with a space: "/blog/\u00a0"'),
])
def test_base_url_host_port_userinfo_and_spaces_refused(tmp_path, written, message):
    assert problems_of(write_config(tmp_path, f'base_url = "{written}"\n' + MINIMAL)) == [f"site.toml:1: {message}"]


def test_command_line_base_url_with_a_broken_ipv6_host_is_a_problem_not_a_traceback(tmp_path):
    with pytest.raises(BuildError) as raised:
        load_config(write_config(tmp_path, 'base_url = "/"\n' + MINIMAL), base_url="https://[::1/")
    assert [str(problem) for problem in raised.value.problems] == [
        f'--base-url:1: {HOST_REFUSED.replace("base_url", "--base-url")}: "https://[::1/"']


@pytest.mark.parametrize("cname", ["news.example.org", "example.org", "xn--mgbh0fb.example", "a-b.example.org."])
def test_cname_takes_a_host_name(tmp_path, cname):
    assert load_config(write_config(tmp_path, f'cname = "{cname}"\n' + MINIMAL)).cname == cname


@pytest.mark.parametrize("cname, hint", [
    ("example", ""), ("news.example.org/", ""), ("-x.example.org", ""), ("x.example.123", ""),
    ("news example.org", ""), ("موقع.com", '; write it in its ASCII form "xn--4gbrim.com"'),
])
def test_cname_refuses_what_is_not_a_host_name(tmp_path, cname, hint):
    assert problems_of(write_config(tmp_path, f'cname = "{cname}"\n' + MINIMAL)) == [
        f'site.toml:1: cname must be a bare domain such as "news.example.org", not "{cname}"{hint}']


@pytest.mark.parametrize("theme", ["../default", "/etc", ".", "..", ".hidden", "a/b", "a\\\\b"])
def test_theme_is_one_folder_name_under_themes(tmp_path, theme):
    # Shown as TOML spells it, backslashes escaped.
    assert problems_of(write_config(tmp_path, f'theme = "{theme}"\n' + MINIMAL)) == [
        f'site.toml:1: theme must be the name of a folder in themes/, not "{theme}"']


@pytest.mark.parametrize("code", ["..", "xx", "EN", "a", "ar/x", "ar sy", "../../etc"])
def test_language_codes_are_codes_babel_knows(tmp_path, code):
    text = f'[languages."{code}"]\nlocale = "ar"\n'
    assert problems_of(write_config(tmp_path, text)) == [
        f'site.toml:1: [languages] code "{code}" is not a language code Babel knows (e.g. "ar", "en", "fa")']


def test_language_codes_with_a_region_are_taken(tmp_path):
    config = load_config(write_config(tmp_path, '[languages.ar-SY]\nlocale = "ar_SY"\n[languages.fa]\nlocale = "fa"\n'))
    assert [language.code for language in config.languages] == ["ar-SY", "fa"]


def test_site_toml_that_is_not_utf8_names_the_line_of_the_bad_byte(tmp_path):
    write_config(tmp_path, MINIMAL)
    (tmp_path / "site.toml").write_bytes(MINIMAL.encode() + b'name = "caf\xe9"\n')
    assert problems_of(tmp_path) == ["site.toml:5: not UTF-8 text (byte 0xe9); save the file as UTF-8"]
    (tmp_path / "site.toml").write_bytes(b"\xff\xfe" + MINIMAL.encode("utf-16-le"))
    assert problems_of(tmp_path) == ["site.toml:1: UTF-16 text (byte-order mark 0xff 0xfe); save the file as UTF-8"]


def test_a_site_toml_that_is_a_fifo_or_a_device_is_refused_unread(tmp_path):
    import os

    write_config(tmp_path, MINIMAL)
    (tmp_path / "site.toml").unlink()
    os.mkfifo(tmp_path / "site.toml")
    assert problems_of(tmp_path) == ["site.toml:1: is a named pipe (FIFO), not a regular file"]
    (tmp_path / "site.toml").unlink()
    (tmp_path / "site.toml").symlink_to("/dev/zero")
    assert problems_of(tmp_path) == ["site.toml:1: is a character device, not a regular file"]


def test_tags_entries_must_be_tables_with_text_words(tmp_path):
    assert problems_of(write_config(tmp_path, 'tags = ["syria"]\n' + MINIMAL)) == [
        'site.toml:1: tags must be an array of tables: [[tags]], not "syria"']
    text = MINIMAL + '[[tags]]\nslug = "syria"\nwords = [1, 2]\nnames = "x"\n'
    assert problems_of(write_config(tmp_path, text)) == [
        "site.toml:7: [[tags]] words must be a list of text such as [\"سوريا\", \"Syria\"]",
        "site.toml:8: [[tags]] names must be a table such as names = { fa = \"...\" }",
    ]


def test_a_tag_slug_too_long_for_a_folder_name_is_refused(tmp_path):
    # The tag's pages live in output/<lang>/tags/<slug>/: past 255 bytes the build died on "File name too long".
    text = MINIMAL + f'[[tags]]\nslug = "{"a" * 201}"\nar = "ا"\n[[tags]]\nslug = "{"b" * 200}"\nar = "ب"\n'
    messages = problems_of(write_config(tmp_path, text))
    assert [m.split(": ", 1)[1] for m in messages] == [
        f'tag slug "{"a" * 40}…" is 201 bytes long; a slug names a folder and may be at most 200 bytes'
    ]


@pytest.mark.parametrize("base_url, option, warned", [
    ("https://user.github.io/repo/", None, True),
    ("/", "https://user.github.io/", True),
    ("https://News.Example.org/", None, False),
    ("https://user.github.io/", "https://news.example.org/", False),  # the Pages workflow passes the domain
    ("/", None, False),  # no host: the one no-host warning says it already
])
def test_a_cname_that_is_not_the_host_of_base_url_is_a_warning(tmp_path, base_url, option, warned):
    # Pages serves the site at the custom domain and redirects github.io there: feeds, sitemap and canonical
    # links naming github.io would all point at a redirect.
    config = load_config(write_config(tmp_path, f'base_url = "{base_url}"\ncname = "news.example.org"\n' + MINIMAL),
                         base_url=option)
    shown = option or base_url
    expected = [f'site.toml:2: warning: cname "news.example.org" is not the host of {shown}: feeds, the sitemap and '
                f'canonical links will name {shown.split("/")[2]}, which GitHub Pages redirects to the custom domain; '
                f'set base_url to "https://news.example.org/"'] if warned else []
    assert [str(w) for w in config.warnings if "cname" in str(w)] == expected


@pytest.mark.parametrize(("written", "message"), [
    ("base_url = true", 'base_url must be an absolute http(s) URL such as "https://user.github.io/repo/" or a path '
                        'starting with "/", not true'),
    ("feed_content = { a = 1 }", 'feed_content must be "summary" or "full", not a table'),
    ("theme = true", "theme must be the name of a folder in themes/, not true"),
    ("cname = 5", 'cname must be a bare domain such as "news.example.org", not 5'),
    ("slug_style = 1", 'slug_style must be "ascii" or "arabic", not 1'),
    ("raw_html = false", 'raw_html must be "sanitise" or "trusted", not false'),
])
def test_a_top_level_value_of_the_wrong_kind_is_shown_as_toml_spells_it(tmp_path, written, message):
    assert problems_of(write_config(tmp_path, written + "\n" + MINIMAL)) == [f"site.toml:1: {message}"]


def test_a_language_s_values_of_the_wrong_kind_are_each_reported_once(tmp_path):
    text = "[languages.ar]\nlocale = true\ndigits = 1\n"
    assert problems_of(write_config(tmp_path, text)) == [
        "site.toml:2: [languages.ar] locale must be text in quotes, not true",
        "site.toml:3: [languages.ar] digits must be text in quotes, not 1",
    ]


@pytest.mark.parametrize("table", ["tags", "authors"])
@pytest.mark.parametrize(("written", "message"), [
    # 0, nan and a date were slugs "0", "nan", "1979-05-27"; names were Python's text of the value.
    ("slug = 0", "{kind} slug 0 must be lower-case ASCII letters, digits and hyphens"),
    ("slug = nan", "{kind} slug nan must be lower-case ASCII letters, digits and hyphens"),
    ("slug = 1979-05-27", "{kind} slug 1979-05-27 must be lower-case ASCII letters, digits and hyphens"),
    ('slug = "x"\nar = true', "[[{table}]] name ar must be text in quotes, not true"),
    ('slug = "x"\nar = "س"\nen = { a = 1 }', "[[{table}]] name en must be text in quotes, not a table"),
])
def test_a_tag_or_author_slug_or_name_of_the_wrong_kind_is_an_error(tmp_path, table, written, message):
    text = 'default_language = "ar"\n[languages.ar]\n[languages.en]\n' + f"[[{table}]]\n{written}\n"
    kind = table.removesuffix("s")
    problems = [problem.split(": ", 1)[1] for problem in problems_of(write_config(tmp_path, text))]
    assert message.format(kind=kind, table=table) in problems, problems


def test_a_theme_name_longer_than_a_file_name_is_a_missing_theme(tmp_path):
    # The file system's "File name too long" was a traceback.
    name = "x" * 5000
    assert problems_of(write_config(tmp_path, f'theme = "{name}"\n' + MINIMAL)) == [
        f'site.toml:1: theme "{name}" not found: no folder themes/{name}/']


def test_each_tag_s_and_language_s_problems_are_at_its_own_lines(tmp_path):
    # They were reported at the first [[tags]] entry's slug, or at the first language's digits line.
    text = ('default_language = "ar"\n[languages.ar]\ndigits = "latn"\n[languages.en]\ndigits = "x"\n'
            'locale = "qq_ZZ"\n[[tags]]\nslug = "a"\nar = "أ"\n[[tags]]\nslug = "b"\nar = "ب"\n[[tags]]\n'
            'slug = "Iraq"\nen = 1.5\nwords = [1]\nnames = { fa = 1 }\ncolour = "x"\n')
    assert problems_of(write_config(tmp_path, text)) == [
        'site.toml:5: [languages.en] digits must be "latn", "arab" or "arabext", not "x"',
        'site.toml:6: [languages.en] locale "qq_ZZ" is not a locale Babel knows (e.g. "ar", "ar_SY", "en")',
        'site.toml:14: tag slug "Iraq" must be lower-case ASCII letters, digits and hyphens',
        "site.toml:15: [[tags]] name en must be text in quotes, not 1.5",
        'site.toml:16: [[tags]] words must be a list of text such as ["سوريا", "Syria"]',
        "site.toml:17: [[tags]] name fa must be text in quotes, not 1",
        'site.toml:18: unknown key "colour" in [[tags]]',
    ]


def test_a_tag_name_that_is_another_tag_s_is_an_error(tmp_path):
    # The first tag took every article written so; the second could not be named by it, silently.
    text = ('default_language = "ar"\n[languages.ar]\n[languages.en]\n[[tags]]\nslug = "isis"\nar = "داعش"\n'
            'en = "ISIS"\n[[tags]]\nslug = "syria"\nar = "دَاعش"\nen = "Syria"\n[[tags]]\nslug = "iraq"\nen = "Syria"\n'
            '[[tags]]\nslug = "x"\nar = "isis"\n')
    assert problems_of(write_config(tmp_path, text)) == [
        'site.toml:10: [[tags]] name ar "دَاعش" of tag "syria" is already the tag "isis"\'s (as Arabic folds it)',
        'site.toml:14: [[tags]] name en "Syria" of tag "iraq" is already the tag "syria"\'s (as Arabic folds it)',
        'site.toml:17: [[tags]] name ar "isis" of tag "x" is already the tag "isis"\'s (as Arabic folds it)',
    ]


@pytest.mark.parametrize(("written", "shown", "char"), [
    ('name = "a\\u0000b"', '"a\\u0000b"', "0000"), ('title = "a\\nb"', '"a\\nb"', "000A"),
    ('description = "x\\u001b[31m"', '"x\\u001b[31m"', "001B"),
])
def test_a_control_character_in_a_configured_text_is_an_error(tmp_path, written, shown, char):
    # A NUL in a language's name was published in every page's <title>.
    key = written.split(" ", 1)[0]
    assert problems_of(write_config(tmp_path, MINIMAL + written + "\n")) == [
        f"site.toml:5: {key} {shown} holds a control character (U+{char}); remove it"]


def test_an_author_name_that_is_another_author_s_is_an_error(tmp_path):
    # An article by exactly the second spelling was filed under the first author, the second had no page.
    text = ('default_language = "ar"\n[languages.ar]\n[[authors]]\nslug = "observatory"\nar = "المرصد الاستراتيجي"\n'
            '[[authors]]\nslug = "obs2"\nar = "المرصد الإستراتيجي"\n')
    assert problems_of(write_config(tmp_path, text)) == [
        'site.toml:8: [[authors]] name ar "المرصد الإستراتيجي" of author "obs2" is already the author "observatory"\'s '
        "(as Arabic folds it)"]


def test_a_control_character_is_reported_at_the_line_of_its_own_table_entry(tmp_path):
    # It was reported at the first line with the key's name: another language's, the first tag's.
    text = ('default_language = "ar"\n[languages.ar]\ndescription = "عربي"\n[languages.en]\ndescription = "a\\tb"\n'
            '[[tags]]\nslug = "a"\nar = "أ"\n[[tags]]\nslug = "b"\nar = "ب\\u0000"\n"x\\ny" = 1\n')
    # A quoted key is not found as written (its escape is in the file): its entry's header line stands in.
    assert problems_of(write_config(tmp_path, text)) == [
        'site.toml:5: description "a\\tb" holds a control character (U+0009); remove it',
        'site.toml:9: "x\\ny" "x\\ny" holds a control character (U+000A); remove it',
        'site.toml:9: unknown key "x\\ny" in [[tags]]',
        'site.toml:11: ar "ب\\u0000" holds a control character (U+0000); remove it',
    ]
