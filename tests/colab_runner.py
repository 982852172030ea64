"""Run notebooks as Colab would, one after another: ``python tests/colab_runner.py RESULTS NOTEBOOK...``.

Colab opens one ``.ipynb`` from GitHub, without the repository. For each
notebook this makes a folder holding only that notebook, puts a copy of the
helpers (the package alone, no ``data/``, as pip installs it from git) on
``PYTHONPATH``, serves the repository on 127.0.0.1 in place of
raw.githubusercontent.com, gives the kernel an empty cache (so the loader
must download ``data/``), executes the notebook and writes one JSON line per
notebook to RESULTS: what it printed, which files it asked the server for,
and the error, if any. The tests in ``test_running_chapters.py`` read them.
It runs in the background (see ``tests/conftest.py``) while other tests run.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import shutil
import sys
import tempfile
import threading
import traceback
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parent.parent
WHERE_HELPERS_CAME_FROM = "import nato_russia; print('helpers from', nato_russia.__file__)"


def serve_repository(requested: list[str]) -> str:
    class LoggingHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            requested.append(self.path)
            super().do_GET()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(LoggingHandler, directory=str(ROOT)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return f"http://127.0.0.1:{server.server_address[1]}"


def run_in_colab(notebook_path: Path, scratch: Path, site_packages: Path, base_url: str) -> tuple[str, str]:
    """Execute the notebook alone in a fresh folder; what it printed, and the error ('' when none)."""
    colab = scratch / "content"
    colab.mkdir(parents=True)
    shutil.copy(notebook_path, colab)
    notebook = nbformat.read(colab / notebook_path.name, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell(WHERE_HELPERS_CAME_FROM))
    # The kernel inherits this process's environment.
    os.environ.pop("NATO_RUSSIA_DATA", None)
    os.environ.update(PYTHONPATH=str(site_packages), NATO_RUSSIA_DATA_URL=f"{base_url}/data/",
                      XDG_CACHE_HOME=str(scratch / "cache"))
    error = ""
    try:
        NotebookClient(notebook, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(colab)}}).execute()
    except Exception:  # the test reports it, with the notebook's name
        error = traceback.format_exc(limit=3)[-3000:]
    printed = "".join(out.get("text", "") for cell in notebook.cells for out in cell.get("outputs", [])
                      if out.get("output_type") == "stream")
    return printed, error


def main(results: Path, notebooks: list[Path]) -> None:
    requested: list[str] = []
    base_url = serve_repository(requested)
    with tempfile.TemporaryDirectory(prefix="colab-") as scratch:
        site_packages = Path(scratch) / "site-packages"
        shutil.copytree(ROOT / "nato_russia", site_packages / "nato_russia")  # the package only: no data/
        with results.open("w", encoding="utf-8") as out:
            for number, notebook in enumerate(notebooks):
                requested.clear()
                printed, error = run_in_colab(notebook, Path(scratch) / str(number), site_packages, base_url)
                record = {"notebook": str(notebook), "base_url": base_url, "site_packages": str(site_packages),
                          "printed": printed, "requested": sorted(set(requested)), "error": error}
                out.write(json.dumps(record) + "\n")
                out.flush()


if __name__ == "__main__":
    main(Path(sys.argv[1]), [Path(name) for name in sys.argv[2:]])
