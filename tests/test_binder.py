"""Binder: the chapters open as notebooks and the environment is the pinned one."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from book_extensions.toc import toc_notebooks
from support import ROOT, ran_notebooks


def test_postbuild_makes_jupytext_the_default_viewer_for_markdown(tmp_path):
    env = {**os.environ, "NB_PYTHON_PREFIX": str(tmp_path)}
    subprocess.run(["bash", str(ROOT / "postBuild")], check=True, env=env, cwd=ROOT)
    overrides = json.loads((tmp_path / "share/jupyter/lab/settings/overrides.json").read_text())
    viewers = overrides["@jupyterlab/docmanager-extension:plugin"]["defaultViewers"]
    assert viewers == {"markdown": "Jupytext Notebook", "myst": "Jupytext Notebook"}


def test_binder_sees_requirements_and_runtime_at_the_root():
    # A binder/ or .binder/ folder would make Binder ignore the root files.
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists()
    assert (ROOT / "runtime.txt").read_text().strip() == "python-3.11"
    requirements = (ROOT / "requirements.txt").read_text()
    for package in ("jupytext==", "plotly==", "pandas==", "-e ."):
        assert package in requirements


@pytest.mark.binder
def test_fresh_environment_from_requirements_alone_runs_every_chapter(binder_environment):
    """What Binder does: a new environment from requirements.txt, then the chapters, in the repository's layout.

    Nothing of this test process's environment is reused: the virtual
    environment started empty, pip installed requirements.txt from the copied
    repository root (``-e .`` included), and each notebook ran in a kernel of
    that environment with the chapter's folder as working directory (all in
    the background, see the ``binder_environment`` fixture).
    """
    repo = binder_environment.requirements.parent
    ran = ran_notebooks(binder_environment.log_path.read_text(encoding="utf-8"))
    for notebook in toc_notebooks(ROOT):
        name = str(notebook.relative_to(ROOT))
        assert ran.get(name) == (str(binder_environment.venv), str(repo / "nato_russia" / "__init__.py")), name
