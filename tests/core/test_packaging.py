"""A package that installs: the front-end files travel inside gilde/static/vendor (copied from
node_modules by the build and by `make frontend`), the build warns of nothing, and a second
`make demo` or `make test` installs nothing when nothing changed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
import tomllib
from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.core.checks import run_checks

from gilde.core import frontend

PROJECT = Path(__file__).resolve().parents[2]


def _node_modules(root: Path) -> Path:
    """A node_modules with every shipped file, each holding its own name."""
    for package, source, _target in frontend.FILES:
        path = root / package / source
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"{package}/{source}")
        (root / package / "package.json").write_text(json.dumps({"version": "1.2.3"}))
    return root


def test_every_npm_package_the_project_depends_on_is_shipped_with_its_licence():
    dependencies = json.loads((PROJECT / "package.json").read_text())["dependencies"]
    shipped = {package for package, _source, _target in frontend.FILES}
    licensed = {package for package, source, _t in frontend.FILES if "LICENSE" in source}

    assert set(dependencies) == shipped == licensed


def test_the_pages_read_htmx_and_pico_from_the_package_not_from_node_modules(settings):
    assert all("node_modules" not in str(folder) for folder in settings.STATICFILES_DIRS)
    for name in (
        "vendor/htmx/htmx.min.js",
        "vendor/pico/pico.min.css",
        "vendor/chartjs/chart.umd.min.js",
    ):
        found = finders.find(name)
        assert found is not None, f"{name}: run `make frontend`"
        assert Path(str(found)).is_relative_to(frontend.VENDOR_DIR)


def test_the_copy_takes_the_listed_files_and_notes_their_versions(tmp_path):
    vendor = tmp_path / "vendor"

    versions = frontend.vendor_copy(node_modules=_node_modules(tmp_path / "nm"), vendor_dir=vendor)

    assert versions == {
        "@picocss/pico": "1.2.3",
        "chart.js": "1.2.3",
        "cytoscape": "1.2.3",
        "htmx.org": "1.2.3",
        "jsqr": "1.2.3",
    }
    assert (vendor / "htmx" / "htmx.min.js").read_text() == "htmx.org/dist/htmx.min.js"
    assert json.loads((vendor / "versions.json").read_text()) == versions
    assert frontend.missing_files(vendor) == []


def test_a_copy_with_a_file_missing_keeps_the_previous_copy_whole(tmp_path):
    vendor = tmp_path / "vendor"
    node_modules = _node_modules(tmp_path / "nm")
    frontend.vendor_copy(node_modules=node_modules, vendor_dir=vendor)
    (node_modules / "htmx.org" / "dist" / "htmx.min.js").unlink()

    with pytest.raises(frontend.FrontendMissing, match="run `npm ci` first"):
        frontend.vendor_copy(node_modules=node_modules, vendor_dir=vendor)

    assert frontend.missing_files(vendor) == []


def test_a_build_without_node_modules_uses_the_copy_already_made_or_says_what_to_run(tmp_path):
    project = tmp_path / "gilde-0.1.0"  # an unpacked sdist: the copies, no node_modules
    with pytest.raises(frontend.FrontendMissing, match="run `npm ci`"):
        frontend.vendor_ensure(project_dir=project)
    assert "missing" in frontend.vendor_ensure(project_dir=project, required=False)

    frontend.vendor_copy(
        node_modules=_node_modules(tmp_path / "nm"),
        vendor_dir=project / "src" / "gilde" / "static" / "vendor",
    )

    assert frontend.vendor_ensure(project_dir=project) == "front-end files already in place"


def test_a_checkout_without_the_front_end_files_is_warned(monkeypatch, tmp_path):
    monkeypatch.setattr(frontend, "VENDOR_DIR", tmp_path / "vendor")

    warnings = [m for m in run_checks() if m.id == "gilde.W001"]

    assert len(warnings) == 1
    assert "make frontend" in str(warnings[0].hint)


def test_the_build_declares_its_licence_as_setuptools_77_wants():
    pyproject = tomllib.loads((PROJECT / "pyproject.toml").read_text())

    assert isinstance(pyproject["project"]["license"], str)
    assert "setuptools>=77" in pyproject["build-system"]["requires"]
    assert "static/**/*" in pyproject["tool"]["setuptools"]["package-data"]["*"]


@pytest.fixture
def make_project(tmp_path: Path) -> Path:
    """The Makefile with the files its install targets depend on, installed once already."""
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    shutil.copy(PROJECT / "Makefile", tmp_path / "Makefile")
    for name in ("pyproject.toml", "setup.py", "package.json", "package-lock.json"):
        (tmp_path / name).write_text("")
    (tmp_path / "src" / "gilde" / "core").mkdir(parents=True)
    (tmp_path / "src" / "gilde" / "core" / "frontend.py").write_text("")
    stamps = [
        ".venv/bin/python",
        "node_modules/.installed",
        "src/gilde/static/vendor/versions.json",
        ".venv/.installed",
        ".venv/.installed-test",
    ]
    later = time.time() + 10
    for offset, name in enumerate(stamps):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("")
        os.utime(tmp_path / name, (later + offset, later + offset))
    return tmp_path


def _planned(project: Path, target: str) -> str:
    done = subprocess.run(
        ["make", "-n", target], cwd=project, capture_output=True, text=True, check=True
    )
    return done.stdout


def test_a_second_make_demo_installs_nothing(make_project):
    planned = _planned(make_project, "demo")

    assert "pip install" not in planned and "npm ci" not in planned
    assert "gilde demo" in planned


def test_a_changed_lock_file_reinstalls_the_front_end_packages(make_project):
    later = time.time() + 60
    os.utime(make_project / "package-lock.json", (later, later))

    planned = _planned(make_project, "install-test")

    assert "npm ci" in planned and "frontend.py" in planned


def test_a_changed_pyproject_reinstalls_the_python_packages(make_project):
    later = time.time() + 60
    os.utime(make_project / "pyproject.toml", (later, later))

    planned = _planned(make_project, "demo")

    assert "pip install" in planned and "npm ci" not in planned
