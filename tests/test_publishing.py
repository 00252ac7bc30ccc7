"""The GitHub Pages workflow as shipped: the actions, permissions and build command it relies on."""

import yaml

from tests.conftest import REPO


def load_workflow() -> dict:
    return yaml.safe_load((REPO / ".github/workflows/pages.yml").read_text(encoding="utf-8"))


def test_workflow_builds_with_the_pages_base_url_and_deploys():
    workflow = load_workflow()
    assert workflow["permissions"] == {"contents": "read", "pages": "write", "id-token": "write"}
    assert workflow["concurrency"]["group"] == "pages"
    steps = workflow["jobs"]["build"]["steps"]
    uses = [step.get("uses", "").split("@")[0] for step in steps]
    assert "actions/configure-pages" in uses and "actions/upload-pages-artifact" in uses
    build = next(step["run"] for step in steps if "build.py" in step.get("run", ""))
    assert '--base-url "${{ steps.pages.outputs.base_url }}/"' in build
    upload = next(step for step in steps if step.get("uses", "").startswith("actions/upload-pages-artifact"))
    assert upload["with"]["path"] == "output"
    deploy = workflow["jobs"]["deploy"]
    assert deploy["needs"] == "build"
    assert deploy["steps"][0]["uses"].startswith("actions/deploy-pages")


def test_workflow_installs_what_the_build_needs():
    steps = load_workflow()["jobs"]["build"]["steps"]
    assert any(step.get("run") == "pip install -r requirements.txt" for step in steps)


def test_workflow_restores_the_build_cache_and_last_output():
    # The cache keeps no page bytes: without output/ restored beside it, every page would render again.
    steps = load_workflow()["jobs"]["build"]["steps"]
    cache = next(step for step in steps if step.get("uses", "").startswith("actions/cache"))
    assert set(cache["with"]["path"].split()) == {".warraq-cache", "output"}
    assert steps.index(cache) < next(i for i, step in enumerate(steps) if "build.py" in step.get("run", ""))
