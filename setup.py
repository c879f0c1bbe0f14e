"""Build step (everything else is in pyproject.toml): before the package's files are collected, the
front-end files are copied from node_modules into gilde/static/vendor, so the wheel carries them."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from setuptools import setup
from setuptools.command.build_py import build_py
from setuptools.command.sdist import sdist

HERE = Path(__file__).resolve().parent


def _vendor(*, required: bool) -> str:
    # Loaded from its file: the gilde package (and Django) need not be importable while building.
    spec = importlib.util.spec_from_file_location(
        "gilde_frontend", HERE / "src" / "gilde" / "core" / "frontend.py"
    )
    assert spec is not None and spec.loader is not None  # noqa: S101 - the file is in the tree
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    result: str = module.vendor_ensure(project_dir=HERE, required=required)
    return result


class BuildPy(build_py):
    def run(self) -> None:
        # An editable (development) install may come before `npm ci`; a wheel may not.
        self.announce(_vendor(required=not getattr(self, "editable_mode", False)), level=2)
        self.__dict__.pop("data_files", None)  # list the package data again, with the copies
        super().run()


class Sdist(sdist):
    def run(self) -> None:
        self.announce(_vendor(required=True), level=2)
        super().run()


cmdclass: dict[str, Any] = {"build_py": BuildPy, "sdist": Sdist}
setup(cmdclass=cmdclass)
