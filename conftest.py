"""Run every notebook listed in ``_toc.yml`` (all chapters) as a test with nbval.

nbval only collects ``.ipynb`` files; the chapters are MyST Markdown. This
plugin lives in the root conftest.py (a conftest under ``tests/`` never sees
``chapters/``) and hands each chapter in the table of contents to a subclass
of nbval's collector that reads it with jupytext; test ids name the ``.md``
file. Adding a chapter to ``_toc.yml`` adds it to the tests.

When the session also tests Binder and Colab (``tests/conftest.py``), the
kernels are that fresh virtual environment's, made from ``requirements.txt``
alone, and each starts in Colab's layout (``tests/colab_runner.py``): the
notebook alone in a folder, the helpers without ``data/``, the data
downloaded from a local server. One run of each chapter serves nbval, Binder
and Colab: after its cells the kernel says which Python ran it and where the
helpers came from, and that, with what the chapter printed and fetched, is
recorded for the Binder and Colab tests. Otherwise the kernels are this
environment's, started in the chapter's folder.
"""

from __future__ import annotations

import os
from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import jupytext
from nbval.kernel import RunningKernel, start_new_kernel
from nbval.plugin import IPyNbCell, IPyNbFile, find_comment_markers, find_metadata_tags

from book_extensions.toc import toc_notebooks

ROOT = Path(__file__).resolve().parent


# TCP ports are chosen before they are bound, so a kernel started while other jobs start
# theirs can lose its port and die before its first reply. A second start is a fresh kernel:
# the notebook's cells have not run, so nothing is hidden by trying again.
KERNEL_START_ATTEMPTS = 2


class MystNotebookFile(IPyNbFile):
    """nbval's collector, reading a MyST Markdown notebook through jupytext.

    A text notebook stores no outputs, so there is nothing to compare them
    with: each cell passes when it runs without an error.
    """

    def setup(self):
        kernel = self.config.course_notebook_kernel
        if kernel is None:
            return super().setup()
        name, jupyter_path, env = kernel()
        self.source = Path(str(self.fspath)).resolve()
        self.printed, self.errors = [], []
        cwd, colab_variables = self.config.course_colab_layout.prepare(self.source)
        env = {**env, **colab_variables}
        # The kernelspec is looked up here; the kernel itself gets the fresh environment's variables.
        os.environ["JUPYTER_PATH"] = os.pathsep.join(filter(None, [str(jupyter_path), os.environ.get("JUPYTER_PATH")]))
        self.kernel = RunningKernel.__new__(RunningKernel)  # RunningKernel(...) takes no env
        for attempt in range(KERNEL_START_ATTEMPTS):
            try:
                self.kernel.km, self.kernel.kc = start_new_kernel(
                    startup_timeout=self.config.option.nbval_kernel_startup_timeout, kernel_name=name,
                    stderr=open(os.devnull, "w"), cwd=str(cwd), env=env)
                break
            except RuntimeError:  # "Kernel died before replying to kernel_info"
                if attempt == KERNEL_START_ATTEMPTS - 1:
                    raise
        self.kernel._ensure_iopub_up()
        self.setup_sanitize_files()

    def collect(self):
        self.nb = jupytext.read(str(self.fspath))
        code_cells = [cell for cell in self.nb.cells if cell.cell_type == "code"]
        for number, cell in enumerate(code_cells):
            options = defaultdict(bool, find_metadata_tags(cell.metadata))
            options.update(dict(find_comment_markers(cell.source)))
            options["check"] = False
            yield ChapterCell.from_parent(self, name=f"Cell {number}", cell_num=number, cell=cell, options=options)

    def teardown(self):
        if getattr(self, "source", None) is not None:  # ran in Colab's layout: keep the record
            from colab_runner import WHERE_HELPERS_CAME_FROM  # tests/ is on sys.path by now

            if self.kernel is not None and self.kernel.is_alive():
                self.printed.append(self._printed_by(WHERE_HELPERS_CAME_FROM))
            record = self.config.course_colab_layout.record(self.source, "".join(self.printed), "\n".join(self.errors))
            self.config.course_colab_runs[str(self.source)] = record
        super().teardown()

    def _printed_by(self, code: str) -> str:
        """Run ``code`` in this notebook's kernel, after its cells; what it printed."""
        msg_id = self.kernel.execute_cell_input(code, allow_stdin=False)
        self.kernel.await_reply(msg_id, timeout=60)
        printed = []
        while True:
            message = self.kernel.get_message(stream="iopub", timeout=60)
            if message["parent_header"].get("msg_id") != msg_id:
                continue
            if message["msg_type"] == "stream":
                printed.append(message["content"]["text"])
            elif message["msg_type"] == "status" and message["content"]["execution_state"] == "idle":
                return "".join(printed)


class ChapterCell(IPyNbCell):
    """nbval's cell; in Colab's layout it also keeps what the cell printed, and its error, for the Colab tests."""

    def runtest(self):
        try:
            super().runtest()
        except Exception as error:
            if hasattr(self.parent, "errors"):
                self.parent.errors.append(f"{self.name}: {str(error)[-2000:]}")
            raise
        finally:
            if hasattr(self.parent, "printed"):
                self.parent.printed.extend(out.get("text", "") for out in (self.test_outputs or [])
                                           if out.get("output_type") == "stream")


def pytest_configure(config):
    # tests/conftest.py sets course_notebook_kernel when the session tests Binder: a callable
    # that waits for that fresh environment and returns its kernel's name, the folder holding
    # its kernelspec and the variables its kernels run with.
    config.course_notebook_kernel = None
    config.course_colab_layout = None  # a colab_runner.ColabLayout, set with course_notebook_kernel
    config.course_colab_runs = {}      # chapter path -> its run's record (ColabLayout.record)


@lru_cache(maxsize=1)
def _notebooks_in_toc() -> frozenset[Path]:
    return frozenset(toc_notebooks(ROOT))


def pytest_collect_file(file_path: Path, parent):
    if file_path.suffix == ".md" and file_path.resolve() in _notebooks_in_toc():
        return MystNotebookFile.from_parent(parent, path=file_path)
    return None
