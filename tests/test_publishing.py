"""The GitHub Pages workflow as shipped: current actions, the schedule, the cache, the gate, and the README
that describes it. Its build and check commands are also run, as written, on a copy of the project."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.conftest import REPO

WORKFLOW = REPO / ".github/workflows/pages.yml"
# The first major of each action that runs on Node 24 (GitHub retired Node 20 for actions), and for the
# Pages actions the majors of GitHub's own starter workflows. An older major in the workflow fails here.
CURRENT_MAJORS = {
    "actions/checkout": 5,
    "actions/setup-python": 6,
    "actions/cache": 5,
    "actions/upload-pages-artifact": 4,
    "actions/deploy-pages": 5,
}
# Actions whose newest major still runs on Node 20: using them would make every run warn.
NODE_20_ONLY = {"actions/configure-pages"}


def load_workflow() -> dict:
    # PyYAML reads the key `on` as the boolean True (YAML 1.1); the workflow means the string.
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    workflow["on"] = workflow.pop(True)
    return workflow


def build_steps() -> list[dict]:
    return load_workflow()["jobs"]["build"]["steps"]


def all_uses() -> dict[str, int]:
    """action -> major version, over every job."""
    used = {}
    for job in load_workflow()["jobs"].values():
        for step in job["steps"]:
            if "uses" in step:
                name, _, version = step["uses"].partition("@")
                assert re.fullmatch(r"v\d+", version), f"{step['uses']}: pin a major (vN), as GitHub's starters do"
                used[name] = int(version[1:])
    return used


def step_index(steps: list[dict], predicate) -> int:
    return next(i for i, step in enumerate(steps) if predicate(step))


def runs(text: str):
    return lambda step: text in step.get("run", "")


def uses(action: str):
    return lambda step: step.get("uses", "").startswith(action + "@")


def test_every_action_is_a_current_major_on_node_24():
    used = all_uses()
    assert set(CURRENT_MAJORS) <= set(used), "checkout, setup-python, cache, upload and deploy are all needed"
    for action, major in used.items():
        assert action not in NODE_20_ONLY, f"{action} runs on Node 20 only"
        assert major >= CURRENT_MAJORS.get(action, 0), f"{action}@v{major} is older than v{CURRENT_MAJORS[action]}"


def test_permissions_and_one_deployment_at_a_time():
    workflow = load_workflow()
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"] == {"group": "pages", "cancel-in-progress": False}


def test_runs_on_push_by_hand_and_daily_for_future_dated_articles():
    triggers = load_workflow()["on"]
    assert triggers["push"] == {"branches": ["main"]}
    assert "workflow_dispatch" in triggers
    (schedule,) = triggers["schedule"]
    minute, hour, day, month, weekday = schedule["cron"].split()
    # Once a day: a fixed minute and hour, every day of every month.
    assert minute.isdigit() and hour.isdigit() and 0 <= int(minute) < 60 and 0 <= int(hour) < 24
    assert (day, month, weekday) == ("*", "*", "*")


def test_python_is_set_up_with_pip_caching_before_installing():
    steps = build_steps()
    setup = steps[step_index(steps, uses("actions/setup-python"))]
    assert setup["with"]["cache"] == "pip"
    assert setup["with"]["cache-dependency-path"] == "requirements.txt"
    # tomllib, which reads site.toml, is in the standard library from 3.11.
    assert tuple(map(int, str(setup["with"]["python-version"]).split("."))) >= (3, 11)
    install = step_index(steps, lambda step: step.get("run") == "pip install -r requirements.txt")
    assert steps.index(setup) < install < step_index(steps, runs("build.py --base-url"))


def test_the_build_cache_and_last_output_are_restored_before_the_build():
    # The cache keeps no page bytes: without output/ restored beside it, every page would render again.
    steps = build_steps()
    cache = steps[step_index(steps, uses("actions/cache"))]
    assert set(cache["with"]["path"].split()) == {".warraq-cache", "output"}
    # A key per run, restored by prefix: the newest cache is restored, and every run can save its own
    # (a key that already exists is never saved again, so a key per commit would freeze scheduled runs).
    assert "${{ github.run_id }}" in cache["with"]["key"]
    assert cache["with"]["key"].startswith(cache["with"]["restore-keys"])
    assert steps.index(cache) < step_index(steps, runs("build.py --base-url"))


def test_builds_and_checks_with_the_pages_address_then_uploads_what_it_checked():
    steps = build_steps()
    address = step_index(steps, lambda step: step.get("id") == "pages")
    assert "repos/$GITHUB_REPOSITORY/pages" in steps[address]["run"]
    build = step_index(steps, runs("python build.py --base-url"))
    check = step_index(steps, runs("python build.py check --site"))
    upload = step_index(steps, uses("actions/upload-pages-artifact"))
    assert address < build < check < upload, "the site check is the gate between the build and the upload"
    for index in (build, check):
        assert '--base-url "${{ steps.pages.outputs.base_url }}"' in steps[index]["run"]
    assert steps[upload]["with"]["path"] == "output"


def test_nojekyll_is_published_since_the_build_writes_it(make_site):
    site = make_site()
    assert site.build().code == 0
    assert (site.root / "output" / ".nojekyll").is_file()
    steps = build_steps()
    upload = steps[step_index(steps, uses("actions/upload-pages-artifact"))]
    # upload-pages-artifact v4 and later leave out every dotfile unless told.
    assert upload["with"]["include-hidden-files"] is True


def test_deploy_follows_the_build_in_the_pages_environment():
    deploy = load_workflow()["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["environment"]["name"] == "github-pages"
    assert deploy["environment"]["url"] == "${{ steps.deployment.outputs.page_url }}"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages@")


def publishing_section() -> str:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    return readme.split("## Publishing on GitHub Pages", 1)[1].split("\n## ", 1)[0]


def test_readme_names_the_actions_and_versions_the_workflow_uses():
    section = publishing_section()
    named = {name: int(major) for name, major in re.findall(r"(actions/[\w-]+)@v(\d+)", section)}
    assert named == all_uses()
    assert load_workflow()["on"]["schedule"][0]["cron"] in section
    assert "check --site" in section and "include-hidden-files" in section


def workflow_command(text: str, base_url: str) -> list[str]:
    """A `run:` line of the workflow as a command line, with the Pages address filled in."""
    (line,) = [line for line in text.splitlines() if line.startswith("python build.py")]
    line = line.replace("${{ steps.pages.outputs.base_url }}", base_url)
    return [sys.executable, *line.split()[1:]]


@pytest.mark.parametrize("base_url", ["https://user.github.io/repo/", "https://news.example.org/"])
def test_the_workflows_build_and_gate_pass_on_the_sample_project(tmp_path: Path, base_url: str):
    # What the runner does after checkout: the workflow's own commands, on a fresh copy of the project.
    project = tmp_path / "project"
    shutil.copytree(REPO, project, ignore=shutil.ignore_patterns(
        ".git", "output", ".warraq-cache", "__pycache__", ".pytest_cache", "tests", "bench"))
    shutil.rmtree(project / "content", ignore_errors=True)
    steps = build_steps()
    for predicate in (runs("python build.py --base-url"), runs("python build.py check --site")):
        command = workflow_command(steps[step_index(steps, predicate)]["run"].replace('"', ""), base_url)
        done = subprocess.run(command, cwd=project, capture_output=True, text=True, timeout=300)
        assert done.returncode == 0, done.stdout + done.stderr
        assert "Traceback" not in done.stderr
    sitemap = (project / "output" / "sitemap.xml").read_text(encoding="utf-8")
    assert f"<loc>{base_url}ar/</loc>" in sitemap
