"""Run every notebook listed in ``_toc.yml`` (all chapters) as a test with nbval.

nbval only collects ``.ipynb`` files; the chapters are MyST Markdown. This
plugin lives in the root conftest.py (a conftest under ``tests/`` never sees
``chapters/``) and hands each chapter in the table of contents to a subclass
of nbval's collector that reads it with jupytext. The kernel starts in the
chapter's folder, as it does in Binder, and test ids name the ``.md`` file.
Adding a chapter to ``_toc.yml`` adds it to the tests.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import jupytext
from nbval.plugin import IPyNbCell, IPyNbFile, find_comment_markers, find_metadata_tags

from book_extensions.toc import toc_notebooks

ROOT = Path(__file__).resolve().parent


class MystNotebookFile(IPyNbFile):
    """nbval's collector, reading a MyST Markdown notebook through jupytext.

    A text notebook stores no outputs, so there is nothing to compare them
    with: each cell passes when it runs without an error.
    """

    def collect(self):
        self.nb = jupytext.read(str(self.fspath))
        code_cells = [cell for cell in self.nb.cells if cell.cell_type == "code"]
        for number, cell in enumerate(code_cells):
            options = defaultdict(bool, find_metadata_tags(cell.metadata))
            options.update(dict(find_comment_markers(cell.source)))
            options["check"] = False
            yield IPyNbCell.from_parent(self, name=f"Cell {number}", cell_num=number, cell=cell, options=options)


@lru_cache(maxsize=1)
def _notebooks_in_toc() -> frozenset[Path]:
    return frozenset(toc_notebooks(ROOT))


def pytest_collect_file(file_path: Path, parent):
    if file_path.suffix == ".md" and file_path.resolve() in _notebooks_in_toc():
        return MystNotebookFile.from_parent(parent, path=file_path)
    return None
