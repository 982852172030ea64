"""Binder: the chapters open as notebooks and the environment is the pinned one."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from book_extensions.toc import toc_notebooks
from support import ROOT, run_notebooks


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
def test_fresh_environment_from_requirements_alone_runs_every_chapter(binder_environment, tmp_path):
    """What Binder does: a new environment from requirements.txt, then the chapters, in the repository's layout.

    Nothing of this test process's environment is reused: the virtual
    environment started empty, pip installed requirements.txt from the copied
    repository root (``-e .`` included; see the ``binder_environment``
    fixture), and each notebook runs in a kernel of that environment with the
    chapter's folder as working directory.
    """
    repo = binder_environment.requirements.parent
    env = binder_environment.env(JUPYTER_DATA_DIR=str(tmp_path / "jupyter-data"),
                                 JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"),
                                 NATO_RUSSIA_DATA_URL="http://127.0.0.1:9/data/")
    notebooks = [p.relative_to(ROOT) for p in toc_notebooks(ROOT)]
    ran = run_notebooks(binder_environment.python, notebooks, cwd=repo, env=env)
    for notebook in notebooks:
        assert ran[str(notebook)] == (str(binder_environment.venv), str(repo / "nato_russia" / "__init__.py")), notebook
