"""Colab's layout for a notebook: alone in a folder, the helpers without ``data/``, the repository on a web server.

Colab opens one ``.ipynb`` from GitHub, without the repository. For each
notebook, :class:`ColabLayout` makes a folder holding only that notebook
(the kernel's working directory), puts a copy of the helpers (the package
alone, no ``data/``, as pip installs it from git) on ``PYTHONPATH``, serves
the repository on 127.0.0.1 in place of raw.githubusercontent.com and gives
the kernel an empty cache, so that the loader must download ``data/``.

nbval runs every chapter so, in the Binder venv's kernels (root
``conftest.py``): one run of each notebook checks both that
``requirements.txt`` alone suffices (Binder) and that the notebook runs on
its own (Colab). Each run leaves a record: what it printed (its cells, then
which Python ran it and where the helpers came from), which files it asked
the server for, and its error. The ``colab_runs`` fixture gathers them for
the Binder and Colab tests; a chapter that nbval did not run in the session
(a run of selected tests) is run there by ``python tests/colab_runner.py
RESULTS KERNEL NOTEBOOK...``, which writes the same records as JSON lines.
"""

from __future__ import annotations

import functools
import http.server
import json
import shutil
import sys
import tempfile
import threading
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run after a chapter's cells: which Python ran it and where its helpers came from.
WHERE_HELPERS_CAME_FROM = "import sys, nato_russia; print('python from', sys.prefix); print('helpers from', nato_russia.__file__)"


class ColabLayout:
    """The server, the helpers' copy and one fresh folder per notebook (see the module's docstring)."""

    def __init__(self, scratch: Path):
        self.scratch = scratch
        self.site_packages = scratch / "site-packages"
        shutil.copytree(ROOT / "nato_russia", self.site_packages / "nato_russia")  # the package only: no data/
        self.requested: list[str] = []
        requested = self.requested

        class LoggingHandler(http.server.SimpleHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                requested.append(self.path)
                super().do_GET()

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(LoggingHandler, directory=str(ROOT)))
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        self.base_url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._count = 0

    def prepare(self, source: Path) -> tuple[Path, dict[str, str]]:
        """A new folder holding only ``source``'s paired .ipynb, and the variables its kernel needs."""
        self._count += 1
        folder = self.scratch / str(self._count)
        (folder / "content").mkdir(parents=True)
        shutil.copy(source.with_suffix(".ipynb"), folder / "content")
        self.requested.clear()  # notebooks run one after another
        return folder / "content", {"PYTHONPATH": str(self.site_packages), "NATO_RUSSIA_DATA_URL": f"{self.base_url}/data/",
                                    "XDG_CACHE_HOME": str(folder / "cache")}

    def record(self, source: Path, printed: str, error: str = "") -> dict:
        return {"notebook": str(source), "base_url": self.base_url, "site_packages": str(self.site_packages),
                "printed": printed, "requested": sorted(set(self.requested)), "error": error}

    def close(self) -> None:
        self._server.shutdown()


def main(results: Path, kernel: str, sources: list[Path]) -> None:
    """Run each notebook in Colab's layout in ``kernel`` (its kernelspec found on $JUPYTER_PATH); one record per line."""
    import os

    import jupytext
    import nbformat
    from nbclient import NotebookClient

    with tempfile.TemporaryDirectory(prefix="colab-") as scratch, results.open("w", encoding="utf-8") as out:
        layout = ColabLayout(Path(scratch))
        for source in map(Path.resolve, sources):
            folder, variables = layout.prepare(source)
            notebook = jupytext.read(source)
            notebook.cells.append(nbformat.v4.new_code_cell(WHERE_HELPERS_CAME_FROM))
            os.environ.update(variables)  # the kernel inherits this process's environment
            error = ""
            try:
                NotebookClient(notebook, timeout=180, kernel_name=kernel, resources={"metadata": {"path": str(folder)}}).execute()
            except Exception:  # the test reports it, with the notebook's name
                error = traceback.format_exc(limit=3)[-3000:]
            printed = "".join(out.get("text", "") for cell in notebook.cells for out in cell.get("outputs", [])
                              if out.get("output_type") == "stream")
            out.write(json.dumps(layout.record(source, printed, error)) + "\n")
            out.flush()
        layout.close()


if __name__ == "__main__":
    main(Path(sys.argv[1]), sys.argv[2], [Path(name) for name in sys.argv[3:]])
