"""The command line as a user runs it: subcommands, options, exit codes, messages."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

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


def test_a_bad_seed_is_reported_the_others_import_and_the_exit_is_non_zero(make_site):
    site = make_site(with_sample_seed=True)
    site.write("seeds/broken.txt", "نص بلا عنوان ولا تسميات\n\nفقرة.\n")
    result = run_cli("--root", str(site.root))
    assert result.code == 1
    assert result.err.splitlines()[0].startswith("seeds/broken.txt:1: no header line with")
    assert list((site.root / "content" / "ar" / "2017").glob("*.md"))
    assert (site.root / "output" / "ar" / "index.html").exists()


def test_changed_seed_is_left_alone_then_force_reimports_with_a_backup(make_site):
    site = make_site(with_sample_seed=True)
    assert run_cli("import", "--root", str(site.root)).code == 0
    [content] = list((site.root / "content" / "ar" / "2017").glob("*.md"))
    content.write_text(content.read_text(encoding="utf-8").replace("4620", "9999"), encoding="utf-8")
    seed = site.root / "seeds" / "000_a58e77fe3571adb0.txt"
    seed.write_text(seed.read_text(encoding="utf-8").replace("4620", "4700"), encoding="utf-8")
    result = run_cli("import", "--root", str(site.root))
    assert result.code == 0 and "seed changed since import" in result.err
    assert "9999" in content.read_text(encoding="utf-8")  # the edited file is never overwritten
    assert run_cli("import", "--root", str(site.root), "--strict").code == 1
    forced = run_cli("import", "--root", str(site.root), "--force", str(seed))
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
