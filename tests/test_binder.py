"""Binder: the chapters open as notebooks and the environment is the pinned one."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

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


RUNNER = '''
import sys
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

for name in sys.argv[1:]:
    path = Path(name)
    notebook = jupytext.read(path)
    notebook.cells.append(nbformat.v4.new_code_cell(
        "import sys, nato_russia; print('PREFIX', sys.prefix); print('HELPERS', nato_russia.__file__)"))
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    printed = "".join(out.get("text", "") for out in notebook.cells[-1].outputs)
    print(name, printed.replace("\\n", " | "), flush=True)
'''


@pytest.mark.binder
def test_fresh_environment_from_requirements_alone_runs_every_chapter(tmp_path):
    """What Binder does: a new environment from requirements.txt, then the chapters, in the repository's layout.

    Nothing of this test process's environment is reused: the virtual
    environment starts empty, pip installs requirements.txt from the copied
    repository root (``-e .`` included), and each notebook runs in a kernel
    of that environment with the chapter's folder as working directory.
    """
    repo = tmp_path / "repo"
    shutil.copytree(ROOT, repo, ignore=shutil.ignore_patterns(
        "_build", ".git", "node_modules", "*.egg-info", "__pycache__", ".pytest_cache", "*.ipynb"))
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = venv / "bin" / "python"
    env = {key: value for key, value in os.environ.items() if key not in ("PYTHONPATH", "NATO_RUSSIA_DATA", "VIRTUAL_ENV")}
    env.update(PATH=f"{venv / 'bin'}:{env['PATH']}", JUPYTER_DATA_DIR=str(tmp_path / "jupyter-data"),
               JUPYTER_CONFIG_DIR=str(tmp_path / "jupyter-config"), NATO_RUSSIA_DATA_URL="http://127.0.0.1:9/data/")
    install = subprocess.run([str(python), "-m", "pip", "install", "-q", "-r", "requirements.txt"],
                             cwd=repo, env=env, capture_output=True, text=True)
    assert install.returncode == 0, install.stdout[-3000:] + install.stderr[-3000:]
    notebooks = [str(p.relative_to(ROOT)) for p in toc_notebooks(ROOT)]
    run = subprocess.run([str(python), "-c", RUNNER, *notebooks], cwd=repo, env=env, capture_output=True, text=True)
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-5000:]
    for notebook in notebooks:
        line = next(line for line in run.stdout.splitlines() if line.startswith(notebook))
        assert f"PREFIX {venv}" in line and f"HELPERS {repo / 'nato_russia'}" in line, line
