"""Binder: the chapters open as notebooks and the environment is the pinned one."""

from __future__ import annotations

import json
import os
import subprocess

import pytest

from book_extensions.toc import toc_notebooks
from support import ROOT


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
def test_fresh_environment_from_requirements_alone_runs_every_chapter(binder_environment, colab_runs):
    """What Binder does: a new environment from requirements.txt, then the chapters.

    Nothing of this test process's environment is reused: the virtual
    environment started empty and pip installed requirements.txt from a copy
    of the repository (``-e .`` included), in the background (see the
    ``binder_environment`` fixture). Every chapter ran in kernels of that
    environment, each in Colab's layout, so that one run serves both tests
    (see the ``colab_runs`` fixture); here each run's record says which
    Python ran it. In the repository's layout, which Binder opens, the
    helpers find ``data/`` beside themselves.
    """
    job = binder_environment
    repo = job.requirements.parent
    probe = "import sys, nato_russia.data as d; print(sys.prefix, d.__file__, d.data_dir())"
    where = subprocess.run([str(job.python), "-c", probe], env=job.env(), cwd=repo / "chapters",
                           capture_output=True, text=True, check=True)
    assert where.stdout.split() == [str(job.venv), str(repo / "nato_russia" / "data.py"), str(repo / "data")]
    spec = json.loads((job.jupyter_path / "kernels" / job.kernel / "kernel.json").read_text(encoding="utf-8"))
    assert spec["argv"][0] == str(job.python)

    for notebook in toc_notebooks(ROOT):
        run = colab_runs.get(str(notebook.resolve()))
        assert run is not None, f"{notebook.name} did not run in the Binder environment"
        assert not run["error"], f"{notebook.name} failed in the Binder environment:\n{run['error']}"
        assert f"python from {job.venv}\n" in run["printed"], run["printed"][-500:]
