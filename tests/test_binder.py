"""Binder: the chapters open as notebooks and the environment is the pinned one."""

from __future__ import annotations

import json
import os
import subprocess

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
