"""The command line as a user runs it: subcommands, options, exit codes, messages."""

from __future__ import annotations

import datetime
import itertools
import re
import subprocess
import sys
from pathlib import Path

import pytest

import generator
from generator.cli import make_parser, parse_arguments
from tests.conftest import REPO, run_cli


def test_no_command_imports_then_builds(make_site):
    site = make_site(with_sample_seed=True)
    result = run_cli("--root", str(site.root))
    assert result.code == 0, result.err
    assert result.out.startswith("imported content/ar/2017/")
    assert result.out.strip().splitlines()[-1].startswith("built ")
    assert (site.root / "output" / "ar" / "index.html").exists()
    again = run_cli("--root", str(site.root), "--verbose")
    assert "already imported seeds/000_a58e77fe3571adb0.txt" in again.out
    assert "imported content" not in again.out


STAGE_LINE = re.compile(r"stages: (.+)")
BUILD_TIME = re.compile(r"^built .*, (\d+\.\d\d) s$", re.M)


def test_verbose_prints_each_stage_s_time_adding_up_to_the_build_s(make_site):
    site = make_site(with_sample_seed=True)
    quiet = run_cli("--root", str(site.root))
    assert quiet.code == 0, quiet.err
    assert "stages:" not in quiet.out and "search:" not in quiet.out  # only under -v
    site.write("content/en/2016/other.md", "---\ntitle: Other\ndate: 2016-10-01\n---\n\nText.\n")
    site.write("content/ar/2015/older.md", "---\ntitle: أقدم\ndate: 2015-10-01\n---\n\nنص.\n")
    several = run_cli("--root", str(site.root), "-v")  # two new years: two shards indexed
    [search] = [line for line in several.out.splitlines() if line.startswith("search: ")]
    assert re.fullmatch(r"search: Pagefind indexed 2 shards \(2 articles\) in \d+\.\d\d s of its time, the longest "
                        r"pagefind/(ar/2015|en/2016)/ \(1 article, \d+\.\d\d s\)", search), search
    site.write("content/ar/2017/extra.md", "---\ntitle: مقال آخر\ndate: 2017-10-01\n---\n\nنص.\n")
    loud = run_cli("--root", str(site.root), "-v")
    assert loud.code == 0, loud.err
    [line] = STAGE_LINE.findall(loud.out)
    stages = [(name, float(seconds)) for name, seconds in re.findall(r"([a-z ]+) (\d+\.\d\d) s(?:, |$)", line)]
    assert [name for name, _ in stages] == ["start", "survey", "read", "model", "search", "plan", "pages", "cards",
                                            "stage", "search wait", "apply"]
    # Each stage is timed once, back to back: they add up to the summary line's time (each rounded to 0.01 s).
    total = float(BUILD_TIME.search(loud.out).group(1))
    assert abs(sum(seconds for _, seconds in stages) - total) <= 0.01 * len(stages)
    # The search stage's Pagefind run, beside the stages: the one shard the new article is in, re-indexed.
    [search] = [line for line in loud.out.splitlines() if line.startswith("search: ")]
    assert re.fullmatch(r"search: Pagefind indexed pagefind/ar/2017/ \(2 articles\) in \d+\.\d\d s, beside the stages",
                        search), search
    # A build the no-change check answers ran no stage: it says nothing of them.
    unchanged = run_cli("--root", str(site.root), "-v")
    assert "nothing written" in unchanged.out and "stages:" not in unchanged.out


def test_a_bad_seed_is_reported_the_others_import_and_the_exit_is_non_zero(make_site):
    site = make_site(with_sample_seed=True)
    site.write("seeds/broken.txt", "نص بلا عنوان ولا تسميات\n\nفقرة.\n")
    result = run_cli("--root", str(site.root))
    assert result.code == 1
    assert result.err.splitlines()[0].startswith("seeds/broken.txt:1: no header line with")
    assert list((site.root / "content" / "ar" / "2017").glob("*.md"))
    assert (site.root / "output" / "ar" / "index.html").exists()


def test_changed_seed_is_left_alone_then_force_reimports_with_a_backup(make_site, monkeypatch):
    site = make_site(with_sample_seed=True)
    monkeypatch.chdir(site.root.parent)
    assert run_cli("import", "--root", str(site.root)).code == 0
    [content] = list((site.root / "content" / "ar" / "2017").glob("*.md"))
    content.write_text(content.read_text(encoding="utf-8").replace("4620", "9999"), encoding="utf-8")
    seed = site.root / "seeds" / "000_a58e77fe3571adb0.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("4620", "4700"), encoding="utf-8")
    result = run_cli("import", "--root", str(site.root))
    assert result.code == 0 and "seed changed since import" in result.err
    assert "9999" in content.read_text(encoding="utf-8")  # the edited file is never overwritten
    assert run_cli("import", "--root", str(site.root), "--strict").code == 1
    # As the hint says it, from the project folder, though the command runs from elsewhere with --root.
    hint = next(line for line in result.err.splitlines() if "--force" in line).rsplit("--force ", 1)[1].rstrip(")")
    assert hint == "seeds/000_a58e77fe3571adb0.txt" and not (Path.cwd() / hint).exists()
    forced = run_cli("import", "--root", str(site.root), "--force", hint)
    assert forced.code == 0, forced.err
    assert "views: 4700" in content.read_text(encoding="utf-8")
    assert "9999" in content.with_name(content.name + ".bak").read_text(encoding="utf-8")


def test_quiet_prints_only_problems(make_site):
    site = make_site(with_sample_seed=True)
    result = run_cli("--root", str(site.root), "--quiet")
    assert result.code == 0 and result.out == "" and result.err == ""


@pytest.mark.parametrize("command", ["build", "import", "check"])
def test_every_subcommand_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        run_cli(command, "--help")
    assert exit_info.value.code == 0
    assert "--root" in capsys.readouterr().out


def test_new_help_does_not_promise_a_transliterated_slug(capsys):
    # With slug_style = "arabic" the slug keeps the title's Arabic letters.
    with pytest.raises(SystemExit):
        run_cli("new", "--help")
    text = " ".join(capsys.readouterr().out.split())
    assert "transliterated" not in text
    assert 'the article\'s title (its slug is made from it as slug_style in site.toml says)' in text


def test_options_work_before_and_after_the_command(make_site, tmp_path):
    site = make_site()
    site.article("ar", "one")
    assert run_cli("--root", str(site.root), "build", "--output", str(tmp_path / "a")).code == 0
    assert run_cli("build", "--root", str(site.root), "--output", str(tmp_path / "b")).code == 0
    assert (tmp_path / "a" / "ar" / "index.html").exists() and (tmp_path / "b" / "ar" / "index.html").exists()


def test_build_py_reports_bad_input_without_a_traceback(make_site):
    site = make_site()
    site.write("content/ar/bad.md", "---\ntitle: [unclosed\n---\n")
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--root", str(site.root)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert result.stderr.startswith("content/ar/bad.md:2: invalid YAML front matter")
    assert "Traceback" not in result.stderr


def test_missing_site_toml_is_a_clear_error(tmp_path: Path):
    result = run_cli("--root", str(tmp_path))
    assert result.code == 1
    assert result.err.startswith("site.toml:1: no site.toml in")


def test_check_writes_nothing_not_even_imported_content(make_site):
    site = make_site(with_sample_seed=True)
    site.article("ar", "one")
    result = run_cli("check", "--root", str(site.root))
    assert result.code == 0
    assert not (site.root / "content" / "ar" / "2017").exists()
    assert not (site.root / "output").exists()


def test_cname_is_written_for_a_custom_domain(make_site):
    site = make_site()
    toml = site.root / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace('cname = ""', 'cname = "news.example.org"'), encoding="utf-8")
    assert site.build().code == 0
    assert (site.root / "output" / "CNAME").read_text() == "news.example.org\n"
    assert (site.root / "output" / ".nojekyll").exists()


def test_check_site_finds_no_broken_link_in_a_good_site_and_writes_nothing(make_site):
    site = make_site(with_sample_seed=True)
    assert run_cli("import", "--root", str(site.root)).code == 0
    result = run_cli("check", "--site", "--root", str(site.root), "--base-url", "https://user.github.io/repo/")
    assert result.code == 0, result.err
    assert not (site.root / "output").exists()


def test_check_site_reports_a_broken_link_as_page_colon_link(make_site):
    site = make_site()
    site.article("ar", "one", body="[رابط مكسور](/ar/nowhere/) و[مرساة](#no-such-id)")
    result = run_cli("check", "--site", "--root", str(site.root))
    assert result.code == 1
    assert "ar/2017/09/one/index.html: /ar/nowhere/ (no such page)" in result.err
    assert "ar/2017/09/one/index.html: #no-such-id (no such anchor)" in result.err


def test_check_site_checks_output_itself_when_the_last_build_is_current_and_builds_afresh_otherwise(make_site,
                                                                                                     monkeypatch):
    import generator.commands as commands
    site = make_site()
    site.article("ar", "one", body="[رابط مكسور](/ar/nowhere/)")
    site.write("content/ar/z-draft.md", "---\ntitle: مسودة\nslug: draft\ndate: 2017-09-29\ndraft: true\n---\n"
               "[رابط آخر](/ar/elsewhere/)\n")
    assert site.build().code == 0
    real_build = commands.build
    built: list[bool] = []  # each build check runs: whether it wrote a site (aside) or only read (the drafts)
    monkeypatch.setattr(commands, "build", lambda root, options, *rest, **named: built.append(options.write)
                        or real_build(root, options, *rest, **named))
    broken = "ar/2017/09/one/index.html: /ar/nowhere/ (no such page)"

    def check_site(*extra: str) -> str:
        built.clear()
        before = {path: path.read_bytes() for path in (site.root / "output").rglob("*") if path.is_file()}
        result = run_cli("check", "--site", "--root", str(site.root), *extra)
        assert {path: path.read_bytes() for path in (site.root / "output").rglob("*") if path.is_file()} == before
        assert "elsewhere" not in result.err  # the draft is read, never published
        return f"{result.code} {built}: {result.err}"

    # Nothing changed since the build: output/ is the site as published, checked where it is.
    assert check_site().startswith("1 [False]: ") and broken in check_site()
    # output/ built with the drafts is not the site as published: that site is built aside.
    assert site.build("--drafts").code == 0
    assert check_site().startswith("1 [True, False]: ") and broken in check_site()
    # An edit not built yet: output/ is stale, and the edited site is the one checked.
    assert site.build().code == 0
    site.article("ar", "one", body="بلا روابط.")
    assert check_site().startswith("0 [True, False]: ")
    # output/ changed by hand (a file added, deleted or edited): what it holds is not what a build would make,
    # so the site is built aside; checked in place, each would hide a problem or report one a build has not.
    site.article("ar", "one", body="[رابط مكسور](/ar/nowhere/)")
    assert site.build().code == 0
    ghost = site.root / "output/ar/nowhere/index.html"
    ghost.parent.mkdir(parents=True)
    ghost.write_text("<html><body>يد</body></html>")
    found = check_site()
    assert found.startswith("1 [True, False]: ") and broken in found and "sitemap" not in found
    ghost.unlink()
    ghost.parent.rmdir()
    assert check_site().startswith("1 [False]: ")
    home = site.root / "output/ar/index.html"
    home.write_text(home.read_text(encoding="utf-8").replace("</body>", '<a href="/ar/by-hand/">x</a></body>'),
                    encoding="utf-8")
    found = check_site()
    assert found.startswith("1 [True, False]: ") and "by-hand" not in found
    (site.root / "output/ar/2017/09/one/index.html").unlink()
    found = check_site()
    assert found.startswith("1 [True, False]: ") and broken in found
    # A base URL other than the last build's makes another site (output/ made whole again first: a build
    # trusts its record, so only deleting output/ puts back a file deleted by hand).
    import shutil
    shutil.rmtree(site.root / "output")
    assert site.build().code == 0
    assert check_site().startswith("1 [False]: ")
    found = check_site("--base-url", "https://user.github.io/repo/")
    assert found.startswith("1 [True, False]: ") and "one/index.html: /ar/nowhere/ (outside the site)" in found


# ---------------------------------------------------------------------------
# A command line that tells the truth: --version, each command's own options, one drafts flag for serve,
# summaries whose parts add up, check reading drafts, closing lines that agree with the exit code.
# ---------------------------------------------------------------------------

# Every option any command has, with the value it takes (none for a switch).
VALUES = {"--root": ["."], "--output": ["out"], "--base-url": ["https://x.org/"], "--drafts": [], "--no-drafts": [],
          "--future": [], "--strict": [], "-q": [], "--quiet": [], "-v": [], "--verbose": [], "--no-wait": [],
          "--force": ["seeds/a.txt"], "--site": [], "--port": ["9000"], "--lang": ["en"], "--translation-of": ["x"]}
# The options each command uses, and so accepts (written out here, not read from the code under test).
ACCEPTED = {
    "build": {"--root", "--output", "--base-url", "--drafts", "--future", "--strict", "-q", "--quiet", "-v",
              "--verbose", "--no-wait"},
    "import": {"--root", "--strict", "-q", "--quiet", "-v", "--verbose", "--no-wait", "--force"},
    "check": {"--root", "--base-url", "--strict", "-q", "--quiet", "--no-wait", "--site"},
    "serve": {"--root", "--output", "--base-url", "--drafts", "--no-drafts", "--future", "--strict", "--port"},
    "new": {"--root", "--lang", "--translation-of", "--force"},
}
# What each accepted option sets, as (attribute, value) on the parsed arguments.
SETS = {"--root": ("root", Path(".")), "--output": ("output", Path("out")), "--base-url": ("base_url", "https://x.org/"),
        "--drafts": ("drafts", True), "--no-drafts": ("drafts", False), "--future": ("future", True),
        "--strict": ("strict", True), "-q": ("quiet", True), "--quiet": ("quiet", True), "-v": ("verbose", True),
        "--verbose": ("verbose", True), "--no-wait": ("no_wait", True), "--force": ("force", [Path("seeds/a.txt")]),
        "--site": ("site", True), "--port": ("port", 9000), "--lang": ("lang", "en"),
        "--translation-of": ("translation_of", "x")}
POSITIONAL = {"new": ["A title"]}


def option_args(command: str, flag: str) -> list[str]:
    """The flag with its value as the command takes it (new's --force is a switch, import's takes files)."""
    return [flag] if (command, flag) == ("new", "--force") else [flag, *VALUES[flag]]


def parse(argv: list[str]):
    return parse_arguments(make_parser(), argv)


@pytest.mark.parametrize("command,flag", list(itertools.product(ACCEPTED, VALUES)))
def test_each_command_accepts_exactly_the_options_it_uses(command, flag, capsys):
    after = [command, *POSITIONAL.get(command, []), *option_args(command, flag)]
    before = [*option_args(command, flag), command, *POSITIONAL.get(command, [])]
    # Before the command, only the top level's (build's) options are known, and only where the command uses them.
    for argv, accepted in ((after, flag in ACCEPTED[command]),
                           (before, flag in ACCEPTED[command] and flag in ACCEPTED["build"])):
        if accepted:
            name, value = SETS[flag] if (command, flag) != ("new", "--force") else ("force", True)
            assert getattr(parse(argv), name) == value, argv
        else:
            with pytest.raises(SystemExit) as exit_info:
                parse(argv)
            assert exit_info.value.code == 2, argv
            message = capsys.readouterr().err.splitlines()[-1]
            assert message.startswith("python build.py: error: "), message
            # An unknown option's value before the command reads as the command: argparse says so itself.
            if argv is after or not VALUES[flag]:
                assert f"`{command}`" in message and flag in message, message


def test_an_option_before_the_command_says_which_command_refuses_it(capsys):
    with pytest.raises(SystemExit):
        parse(["--output", "out", "import"])
    assert capsys.readouterr().err.splitlines()[-1] == \
        "python build.py: error: --output does not apply to `import` (see python build.py import --help)"
    with pytest.raises(SystemExit):
        parse(["new", "A title", "--strict"])
    assert capsys.readouterr().err.splitlines()[-1] == \
        "python build.py: error: unrecognized arguments: --strict (the options of `new`: python build.py new --help)"


def test_an_option_after_the_command_wins_over_the_same_before_it():
    assert parse(["--root", "a", "build", "--root", "b"]).root == Path("b")
    assert parse(["--root", "a", "check"]).root == Path("a")
    assert parse(["--drafts", "serve", "--no-drafts"]).drafts is False


def test_defaults_of_every_command():
    assert vars(parse([])) == dict(command="build", root=Path("."), output=None, base_url=None, drafts=False,
                                   future=False, strict=False, quiet=False, verbose=False, no_wait=False)
    assert vars(parse(["serve"])) == dict(command="serve", root=Path("."), output=None, base_url=None, drafts=True,
                                          future=False, strict=False, port=8000)
    assert vars(parse(["new", "T"])) == dict(command="new", root=Path("."), title="T", lang=None,
                                             translation_of=None, force=False)


def test_quiet_and_verbose_together_are_a_usage_error_wherever_they_are_given(capsys):
    for argv in (["-q", "-v"], ["-q", "build", "-v"], ["import", "-v", "--quiet"]):
        with pytest.raises(SystemExit) as exit_info:
            parse(argv)
        assert exit_info.value.code == 2
        assert capsys.readouterr().err.splitlines()[-1] == \
            "python build.py: error: -q/--quiet and -v/--verbose cannot be used together"


def help_flags(text: str) -> set[str]:
    """The flags in the options section of a --help text (the column before each option's help)."""
    flags: set[str] = set()
    for line in text.split("options:", 1)[1].splitlines():
        if re.match(r"  -", line):
            invocation = re.split(r"\s{2,}", line.strip())[0]
            flags |= set(re.findall(r"(?<![\w-])(--?[a-z][a-z-]*)", invocation))
    return flags


@pytest.mark.parametrize("command", [None, *ACCEPTED])
def test_help_lists_exactly_the_accepted_options(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        run_cli(*([command] if command else []), "--help")
    assert exit_info.value.code == 0
    expected = ACCEPTED[command or "build"] | {"-h", "--help"} | (set() if command else {"--version"})
    assert help_flags(capsys.readouterr().out) == expected


def test_help_documents_the_exit_codes(capsys):
    with pytest.raises(SystemExit):
        run_cli("--help")
    lines = capsys.readouterr().out.splitlines()
    start = lines.index("exit codes:")
    codes = [line.split()[0] for line in lines[start + 1:] if re.match(r"  \d", line)]
    assert codes == ["0", "1", "2", "130"]
    assert "  0    success (warnings alone do not fail, unless --strict)" in lines
    assert "  130  interrupted (Ctrl-C)" in lines


def test_version_is_printed_from_the_one_version_and_exits_0():
    result = subprocess.run([sys.executable, str(REPO / "build.py"), "--version"], capture_output=True, text=True,
                            timeout=60)
    assert (result.returncode, result.stdout, result.stderr) == (0, f"warraq {generator.__version__}\n", "")
    assert re.fullmatch(r"\d+\.\d+\.\d+", generator.__version__)
    # One place: no other module spells the version out.
    spelled = [path.name for path in (REPO / "generator").glob("*.py")
               if generator.__version__ in path.read_text(encoding="utf-8")]
    assert spelled == ["__init__.py"]


def test_serve_has_one_drafts_flag_shown_by_default(monkeypatch, tmp_path):
    import generator.serve

    seen: list[bool] = []
    monkeypatch.setattr(generator.serve, "serve", lambda root, port, include_drafts, **kw: seen.append(include_drafts) or 0)
    for argv in (["serve"], ["serve", "--drafts"], ["serve", "--no-drafts"], ["--drafts", "serve"],
                 ["serve", "--no-drafts", "--drafts"]):
        assert run_cli(*argv, "--root", str(tmp_path)).code == 0
    assert seen == [True, True, False, True, True]


def test_new_passes_force_to_run_new(monkeypatch, tmp_path):
    import generator.scaffold

    calls: list[dict] = []
    monkeypatch.setattr(generator.scaffold, "run_new", lambda *args, **kw: calls.append(kw) or 0)
    assert run_cli("new", "عنوان", "--root", str(tmp_path)).code == 0
    assert run_cli("new", "عنوان", "--force", "--root", str(tmp_path)).code == 0
    assert [call["force"] for call in calls] == [False, True]


SUMMARY = re.compile(r"built (\d+) files? \((\d+) articles?, (\d+) listings?, (\d+) feeds?, (\d+) other\): "
                     r"(\d+ written|nothing written), (\d+) unchanged, (\d+) warnings?, \d+\.\d\d s")


def summary_numbers(line: str) -> dict[str, int]:
    """The numbers of a build's summary line, checked for the right plurals."""
    match = SUMMARY.fullmatch(line)
    assert match, line
    total, articles, listings, feeds, other, written, unchanged, warnings = match.groups()
    numbers = dict(total=int(total), articles=int(articles), listings=int(listings), feeds=int(feeds),
                   other=int(other), written=0 if written == "nothing written" else int(written.split()[0]),
                   unchanged=int(unchanged), warnings=int(warnings))
    for word, key in (("files", "total"), ("articles", "articles"), ("listings", "listings"), ("feeds", "feeds"),
                      ("warnings", "warnings")):
        singular = f" {word[:-1]}" if word != "files" else " file"
        assert (f"{numbers[key]}{singular}," in line or f"{numbers[key]}{singular} " in line
                or f"{numbers[key]}{singular})" in line) == (numbers[key] == 1), (word, line)
    return numbers


def output_files(root: Path) -> int:
    """The files a build left in output/, without the folder's own marker."""
    return sum(1 for path in (root / "output").rglob("*") if path.is_file() and path.name != ".warraq-output")


def test_the_summary_parts_add_up_to_the_total_fresh_edited_and_unchanged(make_site):
    site = make_site()
    site.article("ar", "one", tags="سوريا")
    fresh = run_cli("--root", str(site.root))
    assert fresh.code == 0, fresh.err
    [line] = fresh.out.splitlines()
    first = summary_numbers(line)
    assert first["articles"] == 1 and " (1 article, " in line
    assert first["total"] == first["articles"] + first["listings"] + first["feeds"] + first["other"]
    assert first["total"] == first["written"] + first["unchanged"] == output_files(site.root)
    assert (first["written"], first["unchanged"], first["warnings"]) == (first["total"], 0, 0)
    site.article("ar", "two", title="ثان", tags="سوريا")
    second = summary_numbers(run_cli("--root", str(site.root)).out.splitlines()[-1])
    assert second["articles"] == 2
    assert second["total"] == second["articles"] + second["listings"] + second["feeds"] + second["other"]
    assert second["total"] == second["written"] + second["unchanged"] == output_files(site.root)
    assert 0 < second["written"] < second["total"] and second["unchanged"] > 0
    site.article("ar", "two", title="ثان معدل", tags="سوريا")  # one edit
    edited = summary_numbers(run_cli("--root", str(site.root)).out.splitlines()[-1])
    assert edited["total"] == second["total"] == edited["written"] + edited["unchanged"]
    assert 0 < edited["written"] < second["written"]
    same = run_cli("--root", str(site.root))
    assert " nothing written, " in same.out
    unchanged = summary_numbers(same.out.splitlines()[-1])
    assert (unchanged["written"], unchanged["unchanged"]) == (0, edited["total"])
    assert {k: v for k, v in unchanged.items() if k not in ("written", "unchanged")} == \
        {k: v for k, v in edited.items() if k not in ("written", "unchanged")}


def draft_site(make_site, draft_problem: bool = False, future_problem: bool = False):
    """A published article, a draft and a future-dated article; either may take the published one's slug."""
    site = make_site()
    site.article("ar", "one")
    site.write("content/ar/z-draft.md", "---\ntitle: مسودة\nslug: " + ("one" if draft_problem else "draft")
               + "\ndate: 2017-09-29\ndraft: true\n---\nنص.\n")
    site.write("content/ar/z-later.md", "---\ntitle: لاحقا\nslug: " + ("one" if future_problem else "later")
               + f"\ndate: {datetime.date.today() + datetime.timedelta(days=60)}\n---\nنص.\n")
    return site


CHECK_FINE = re.compile(r"check: fine: (\d+) files \((\d+) articles?, (\d+) listings?, (\d+) feeds?, (\d+) other\), "
                        r"(\d+ drafts?) and (\d+ future articles?) among them, (\d+ warnings?), \d+\.\d\d s")


def test_check_reads_drafts_and_future_articles_and_says_so(make_site):
    site = draft_site(make_site)
    result = run_cli("check", "--root", str(site.root))
    assert result.code == 0 and result.err == ""
    match = CHECK_FINE.fullmatch(result.out.splitlines()[-1])
    assert match, result.out
    total, articles, listings, feeds, other = map(int, match.groups()[:5])
    assert articles == 3 and total == articles + listings + feeds + other
    assert match.groups()[5:] == ("1 draft", "1 future article", "0 warnings")


def test_check_marks_problems_in_drafts_and_future_articles_and_fails(make_site):
    site = draft_site(make_site, draft_problem=True, future_problem=True)
    assert site.build().code == 0  # the publishing build leaves both out
    result = run_cli("check", "--root", str(site.root))
    assert result.code == 1
    assert result.out == ""
    assert result.err.splitlines() == [
        'content/ar/z-draft.md:3: (draft) duplicate slug "one": content/ar/one.md has it too',
        'content/ar/z-later.md:3: (future) duplicate slug "one": content/ar/one.md has it too',
        "check: problems: 2 errors, 0 warnings",
    ]


def test_check_marks_a_draft_or_future_article_whose_front_matter_cannot_be_read(make_site):
    # A front matter error leaves no article to ask "draft?": the mark must come from the raw front matter,
    # or the most common problem in a fresh draft is reported as if it were on the published site.
    site = make_site()
    site.article("ar", "one")
    later = datetime.date.today() + datetime.timedelta(days=60)
    site.write("content/ar/z-draft.md", "---\ntitle: مسودة\nslug: draft\ndate: 2017-13-45\ndraft: true\n---\nنص.\n")
    site.write("content/ar/z-later.md", f"---\ntitle: لاحقا\nslug: later\ndate: {later}T10:00:00\n"
                                       "summary: [1, 2]\n---\nنص.\n")
    site.write("content/ar/z-plain.md", "---\ntitle: عادي\nslug: plain\ndate: 2017-09-01\nsummary: [1]\n---\nنص.\n")
    result = run_cli("check", "--root", str(site.root))
    assert result.code == 1
    assert result.err.splitlines() == [
        'content/ar/z-draft.md:4: (draft) bad date: cannot read date "2017-13-45": month must be in 1..12',
        "content/ar/z-later.md:5: (future) summary must be text, not a list",
        "content/ar/z-plain.md:5: summary must be text, not a list",
        "check: problems: 3 errors, 0 warnings",
    ]


def test_check_site_gates_on_the_site_as_published_and_still_reads_the_drafts(make_site):
    site = draft_site(make_site, draft_problem=True)
    result = run_cli("check", "--site", "--root", str(site.root))
    assert result.code == 1
    assert result.err.splitlines() == [
        'content/ar/z-draft.md:3: (draft) duplicate slug "one": content/ar/one.md has it too',
        "check: problems: 1 error, 0 warnings",
    ]


def test_check_site_ends_with_its_problems_never_with_fine(make_site):
    site = make_site()
    site.article("ar", "one", body="[رابط مكسور](/ar/nowhere/) و[مرساة](#no-such-id)")
    result = run_cli("check", "--site", "--root", str(site.root))
    assert result.code == 1
    assert "fine" not in result.out + result.err
    assert result.err.splitlines()[-1] == "check: problems: 2 site problems as published, 0 warnings"


def test_warnings_under_strict_end_build_and_check_with_problems(make_site):
    import os

    site = make_site()
    site.article("ar", "one")
    os.mkfifo(site.root / "content" / "ar" / "pipe.md")
    warning = "content/ar/pipe.md:1: warning: is a named pipe (FIFO), not a regular file; skipped"
    built = site.build()
    assert built.code == 0 and built.err.splitlines() == [warning]
    assert summary_numbers(built.out.splitlines()[-1])["warnings"] == 1
    checked = run_cli("check", "--root", str(site.root))
    assert checked.code == 0 and checked.err.splitlines() == [warning]
    assert CHECK_FINE.fullmatch(checked.out.splitlines()[-1]).group(8) == "1 warning"
    strict = site.build("--strict")
    assert strict.code == 1 and strict.out == ""
    assert strict.err.splitlines() == [
        warning, "build stopped: 0 errors, 1 warning (errors under --strict); output/ left as it was"]
    strict_check = run_cli("check", "--strict", "--root", str(site.root))
    assert strict_check.code == 1 and strict_check.out == ""
    assert strict_check.err.splitlines() == [warning, "check: problems: 0 errors, 1 warning (errors under --strict)"]


def test_a_check_error_ends_with_problems(make_site):
    site = make_site()
    site.write("content/ar/bad.md", "---\ntitle: [unclosed\n---\n")
    result = run_cli("check", "--root", str(site.root))
    assert result.code == 1 and result.out == ""
    assert result.err.splitlines()[-1] == "check: problems: 1 error, 0 warnings"


def test_a_build_whose_import_failed_ends_with_the_import_problems(make_site):
    site = make_site(with_sample_seed=True)
    site.write("seeds/broken.txt", "نص بلا عنوان ولا تسميات\n\nفقرة.\n")
    result = run_cli("--root", str(site.root))
    assert result.code == 1
    assert result.out.splitlines()[-1].startswith("built ")
    assert result.err.splitlines()[-1] == \
        "build: problems in the import: 1 error, 0 warnings; the site was built from content/ as it is"


def test_import_with_nothing_to_do_still_reports_a_broken_site_toml(make_site, monkeypatch):
    # With every seed imported, import skipped everything, site.toml included, and exited 0.
    from generator import import_record

    monkeypatch.setattr(import_record, "RACY_NS", 0)  # the files were all written just now
    site = make_site(with_sample_seed=True)
    assert run_cli("import", "--root", str(site.root)).code == 0
    assert run_cli("import", "--root", str(site.root)).code == 0
    assert (site.root / import_record.IMPORT_RECORD).exists()
    toml = site.root / "site.toml"
    toml.write_text(toml.read_text(encoding="utf-8") + 'page_size = "x\n', encoding="utf-8")
    result = run_cli("import", "--root", str(site.root))
    assert result.code == 1 and "invalid TOML" in result.err, result.err
