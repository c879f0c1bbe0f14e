"""The front-end files Gilde ships: copied from the npm packages (package-lock.json) into
gilde/static/vendor, so a built wheel serves styled pages without Node or node_modules.

Standard library only: the build (setup.py) and `make frontend` run this file on its own, before
Gilde or Django is installed (`python3 src/gilde/core/frontend.py`)."""

from __future__ import annotations

import json
import shutil
import sys
from pathlib import Path

# (npm package, file inside it, where it goes under gilde/static/vendor). Only what the pages load,
# with each package's licence beside it: Pico's css folder alone holds 20 MB of colour variants.
FILES: tuple[tuple[str, str, str], ...] = (
    ("htmx.org", "dist/htmx.min.js", "htmx/htmx.min.js"),
    ("htmx.org", "LICENSE", "htmx/LICENSE"),
    ("@picocss/pico", "css/pico.min.css", "pico/pico.min.css"),
    ("@picocss/pico", "LICENSE.md", "pico/LICENSE.md"),
    ("chart.js", "dist/chart.umd.min.js", "chartjs/chart.umd.min.js"),
    ("chart.js", "LICENSE.md", "chartjs/LICENSE.md"),
    # The check-in page's QR reader where the browser has no BarcodeDetector (Safari, Firefox).
    ("jsqr", "dist/jsQR.js", "jsqr/jsQR.js"),
    ("jsqr", "LICENSE", "jsqr/LICENSE"),
    # The network map (loaded by that page only).
    ("cytoscape", "dist/cytoscape.min.js", "cytoscape/cytoscape.min.js"),
    ("cytoscape", "LICENSE", "cytoscape/LICENSE"),
)
VERSIONS_FILE = "versions.json"

PACKAGE_DIR = Path(__file__).resolve().parent.parent
VENDOR_DIR = PACKAGE_DIR / "static" / "vendor"


class FrontendMissing(Exception):
    """The npm packages are not installed and no copy of their files is there either."""


def missing_files(vendor_dir: Path | None = None) -> list[str]:
    """The shipped files absent from vendor_dir (empty when the pages have all they load)."""
    folder = VENDOR_DIR if vendor_dir is None else vendor_dir
    return [target for _package, _source, target in FILES if not (folder / target).is_file()]


def vendor_copy(*, node_modules: Path, vendor_dir: Path = VENDOR_DIR) -> dict[str, str]:
    """Replace vendor_dir with fresh copies from node_modules; returns {package: version}.

    Nothing is touched when a file is missing, so a failed copy leaves the previous one whole."""
    sources = [(node_modules / package / source, target) for package, source, target in FILES]
    absent = [str(path) for path, _target in sources if not path.is_file()]
    if absent:
        raise FrontendMissing(f"{absent[0]} is missing: run `npm ci` first.")
    versions = {
        package: json.loads((node_modules / package / "package.json").read_text())["version"]
        for package in sorted({package for package, _source, _target in FILES})
    }
    staging = vendor_dir.with_name(vendor_dir.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    for path, target in sources:
        (staging / target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, staging / target)
    (staging / VERSIONS_FILE).write_text(json.dumps(versions, indent=2, sort_keys=True) + "\n")
    shutil.rmtree(vendor_dir, ignore_errors=True)
    staging.rename(vendor_dir)
    return versions


def vendor_ensure(*, project_dir: Path, required: bool = True) -> str:
    """For a build: copy from the checkout's node_modules when it is there; otherwise keep the
    copy already made (a wheel built from an sdist). Returns what was done, in one line."""
    node_modules = project_dir / "node_modules"
    vendor_dir = project_dir / "src" / "gilde" / "static" / "vendor"
    if node_modules.is_dir():
        versions = vendor_copy(node_modules=node_modules, vendor_dir=vendor_dir)
        return "front-end files copied: " + ", ".join(f"{p} {v}" for p, v in versions.items())
    if not missing_files(vendor_dir):
        return "front-end files already in place"
    if required:
        raise FrontendMissing(
            "The front-end files (htmx, Pico CSS, Chart.js) are missing: run `npm ci` in "
            f"{project_dir} before building."
        )
    return "front-end files missing: run `npm ci` and `make frontend`"


if __name__ == "__main__":
    try:
        print(vendor_ensure(project_dir=PACKAGE_DIR.parent.parent))
    except FrontendMissing as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(1) from exc
