"""Refresh ``book_extensions/vendor/``: the official plotly.js partial bundles at plotly's own version.

    python tools/vendor_plotly_bundles.py [basic cartesian ...]

Runs ``npm pack plotly.js-<name>-dist-min@<version>`` (no install, no
node_modules), where ``<version>`` is the plotly.js bundled with the installed
``plotly`` Python package, and copies the bundle, LICENSE and package.json.
Only needed after upgrading ``plotly``; the build itself never calls npm.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

from plotly.offline import get_plotlyjs_version

VENDOR = Path(__file__).resolve().parent.parent / "book_extensions" / "vendor"
DEFAULT_BUNDLES = ["basic", "cartesian"]


def vendor(name: str, version: str) -> Path:
    package = f"plotly.js-{name}-dist-min"
    target = VENDOR / package
    with tempfile.TemporaryDirectory() as scratch:
        subprocess.run(["npm", "pack", f"{package}@{version}"], cwd=scratch, check=True, capture_output=True)
        with tarfile.open(Path(scratch) / f"{package}-{version}.tgz") as archive:
            archive.extractall(scratch, filter="data")
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir(parents=True)
        for file in ("LICENSE", "package.json", f"plotly-{name}.min.js"):
            shutil.copyfile(Path(scratch) / "package" / file, target / file)
    return target


def main() -> None:
    version = get_plotlyjs_version()
    for name in sys.argv[1:] or DEFAULT_BUNDLES:
        print(f"{vendor(name, version)}: plotly.js {version}")
    print("Update the version in book_extensions/vendor/README.md.")


if __name__ == "__main__":
    main()
