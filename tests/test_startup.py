"""What a command loads: --version, --help and a build with nothing to do import none of the stages that read
and render (Jinja, Markdown, PyYAML, Babel, Pillow...), since Python's start and imports are most of their time.
Checked in a fresh interpreter, by the modules it holds after the command: not by timing."""

from __future__ import annotations

import json
import os
import subprocess
import sys

from tests.conftest import REPO

# Libraries (and the generator's modules that load them) that a command with nothing to render must not import.
HEAVY = ("jinja2", "markdown", "babel", "yaml", "frontmatter", "PIL", "pygments", "nh3", "hijridate", "pyuca",
         "watchfiles", "generator.pipeline", "generator.theme", "generator.reading", "generator.importer",
         "generator.config_reader", "generator.content", "generator.markup", "generator.plan", "generator.arabic")

# Runs cli.main with the given arguments in this interpreter, then prints its exit code and what it imported.
PROBE = """
import json, sys
from generator.cli import main
try:
    code = main(sys.argv[1:])
except SystemExit as stop:
    code = stop.code
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def imported_by(*args: str) -> tuple[int, set[str]]:
    """Run the command line in a fresh interpreter: (its exit code, the heavy modules it imported)."""
    done = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True, text=True, cwd=REPO,
                          env={**os.environ, "PYTHONPATH": str(REPO)}, check=True)
    report = json.loads(done.stdout.strip().splitlines()[-1])
    heavy = {name for name in report["modules"] if any(name == h or name.startswith(h + ".") for h in HEAVY)}
    return report["code"], heavy


def test_version_and_help_import_no_stage():
    for args in (["--version"], ["--help"], ["build", "--help"], ["check", "--help"], ["serve", "--help"]):
        code, heavy = imported_by(*args)
        assert code == 0 and heavy == set(), args


def test_a_build_with_nothing_to_do_imports_no_stage_that_reads_or_renders(make_site):
    site = make_site()
    site.article("ar", "first", tags="syria", body="نص **المقال** الأول.\n\n```python\nx = 1\n```\n")
    site.article("en", "first", title="First", body="The *first* article.")
    assert site.build().code == 0
    code, heavy = imported_by("build", "--root", str(site.root), "--quiet")
    assert code == 0 and heavy == set()
    # An edit is built as before: the check finds it, and the stages are imported then.
    site.article("ar", "first", tags="syria", body="نص معدّل.")
    code, heavy = imported_by("build", "--root", str(site.root), "--quiet")
    assert code == 0 and {"jinja2", "markdown", "generator.pipeline"} <= heavy
    assert "نص معدّل" in next((site.root / "output" / "ar").rglob("first/index.html")).read_text(encoding="utf-8")


def test_a_verbose_build_without_seeds_does_not_load_the_importer(make_site):
    # -v lists the seeds imported already; with no seed there is nothing to list, and the importer (PyYAML, the
    # tag matcher, the date reader) cost every -v build 0.17 s, the benchmark's included.
    site = make_site()
    site.article("ar", "first")
    assert site.build().code == 0
    site.article("ar", "first", body="نص معدّل.")
    code, heavy = imported_by("build", "--root", str(site.root), "-v")
    assert code == 0 and "generator.pipeline" in heavy and "generator.importer" not in heavy


def test_the_cached_configuration_is_the_one_site_toml_gives(make_site):
    """A build whose site.toml is as the last build read it takes its Config from the cache (no Babel); a changed
    site.toml, or another --base-url, is validated again, its problems reported as always."""
    site = make_site()
    site.article("ar", "first")
    assert site.build().code == 0
    toml = site.root / "site.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("page_size = 10 ", "page_size = 0 ", 1), encoding="utf-8")
    failed = site.build()
    assert failed.code == 1 and "site.toml:6: page_size must be a whole number from 1 to 1000, not 0" in failed.err
    toml.write_text(text, encoding="utf-8")
    assert site.build().code == 0
    code, heavy = imported_by("build", "--root", str(site.root), "--quiet")
    assert code == 0 and heavy == set()
    code, heavy = imported_by("build", "--root", str(site.root), "--quiet", "--base-url", "https://example.org/blog/")
    assert code == 0 and "babel" in heavy
    assert "https://example.org/blog/" in (site.root / "output" / "sitemap.xml").read_text(encoding="utf-8")
