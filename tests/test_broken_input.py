"""Each folder under tests/data/broken/ is a broken site; the build must stop with exactly its expected.txt."""

import shutil
from pathlib import Path

import pytest


CASES = sorted(p for p in (Path(__file__).parent / "data" / "broken").iterdir() if p.is_dir())


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_broken_site_reports_every_problem_and_writes_nothing(make_site, case):
    site = make_site()
    shutil.copytree(case, site.root, dirs_exist_ok=True, ignore=shutil.ignore_patterns("expected.txt"))
    (site.root / "output").mkdir()
    (site.root / "output" / "keep.html").write_text("last good build", encoding="utf-8")
    result = site.build()
    expected = (case / "expected.txt").read_text(encoding="utf-8").splitlines()
    assert result.code == 1
    assert "Traceback" not in result.err
    assert result.err.splitlines()[:-1] == expected
    assert result.err.splitlines()[-1].startswith("build stopped:")
    # The last good build is untouched.
    assert [p.name for p in (site.root / "output").iterdir()] == ["keep.html"]
