"""Chapters run outside the repository: from a seminar pack, and in Colab.

Colab opens one ``.ipynb`` from GitHub, without the repository: the paired
notebooks must match their MyST source, their set-up cell installs the
helpers from the repository, and the loader downloads ``data/`` when no
local copy exists. Here "Colab" is a folder holding only the notebook, the
helpers installed on their own (as pip would from git, without ``data/``),
and the published repository replaced by a web server on 127.0.0.1.
"""

from __future__ import annotations

import functools
import http.server
import re
import shutil
import threading
import zipfile
from pathlib import Path

import jupytext
import nbformat
import pytest
import yaml
from nbclient import NotebookClient

from book_extensions.toc import toc_chapters, toc_notebooks
from nato_russia.remote import DataUnavailableError, fetch_data
from support import ROOT

NOTEBOOKS = toc_notebooks(ROOT)
ALL_CHAPTERS = toc_chapters(ROOT)


def cells_of(notebook) -> list[tuple]:
    return [(cell.cell_type, cell.source, tuple(cell.metadata.get("tags", []))) for cell in notebook.cells]


@pytest.mark.parametrize("source", NOTEBOOKS, ids=lambda p: p.name)
def test_paired_notebook_matches_its_myst_source(source):
    paired = source.with_suffix(".ipynb")
    assert paired.is_file(), f"{paired.name} missing: run `jupytext --to ipynb --update {source.relative_to(ROOT)}`"
    assert cells_of(jupytext.read(source)) == cells_of(nbformat.read(paired, as_version=4)), (
        f"{paired.name} is out of sync with {source.name}: run `jupytext --to ipynb --update {source.relative_to(ROOT)}`"
    )


@pytest.mark.parametrize("source", NOTEBOOKS, ids=lambda p: p.name)
def test_set_up_cell_installs_helpers_from_the_configured_repository(source):
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"]
    first_code = next(c for c in jupytext.read(source).cells if c.cell_type == "code")
    wanted = f'%pip install --quiet "nato-russia-course @ git+{config["url"]}@{config["branch"]}"'
    assert wanted in first_code.source
    assert first_code.source.index("import nato_russia") < first_code.source.index("%pip install")


@pytest.fixture()
def fake_repository():
    """The repository served on 127.0.0.1, standing in for raw.githubusercontent.com; records requests."""
    requested = []

    class LoggingHandler(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):
            requested.append(self.path)
            super().do_GET()

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(LoggingHandler, directory=str(ROOT)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", requested
    server.shutdown()


def execute(notebook_path: Path, cwd: Path) -> nbformat.NotebookNode:
    notebook = nbformat.read(notebook_path, as_version=4)
    notebook.cells.append(nbformat.v4.new_code_cell("import nato_russia; print('helpers from', nato_russia.__file__)"))
    NotebookClient(notebook, timeout=180, kernel_name="python3", resources={"metadata": {"path": str(cwd)}}).execute()
    return notebook


def printed(notebook) -> str:
    return "".join(out.get("text", "") for cell in notebook.cells for out in cell.get("outputs", [])
                   if out.get("output_type") == "stream")


@pytest.mark.parametrize("source", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_in_colab_with_data_from_the_repository(source, fake_repository, tmp_path, monkeypatch):
    base_url, requested = fake_repository
    site_packages = tmp_path / "site-packages"
    shutil.copytree(ROOT / "nato_russia", site_packages / "nato_russia")  # the package only: no data/
    colab = tmp_path / "content"
    colab.mkdir()
    shutil.copy(source.with_suffix(".ipynb"), colab)
    monkeypatch.delenv("NATO_RUSSIA_DATA", raising=False)
    monkeypatch.setenv("PYTHONPATH", str(site_packages))
    monkeypatch.setenv("NATO_RUSSIA_DATA_URL", f"{base_url}/data/")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    notebook = execute(colab / source.with_suffix(".ipynb").name, colab)

    output = printed(notebook)
    assert f"helpers from {site_packages}" in output, output[-500:]
    assert f"downloaded once from {base_url}/data/" in output
    assert {"/data/datapackage.json", "/data/events.csv", "/data/references.bib"} <= set(requested)


def test_missing_data_and_no_network_give_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    unreachable = "http://127.0.0.1:9/data/"  # the discard port: nothing listens
    with pytest.raises(DataUnavailableError, match=re.escape(unreachable)) as error:
        fetch_data(unreachable)
    assert "NATO_RUSSIA_DATA" in str(error.value) and "clone the course repository" in str(error.value)
    assert not any(tmp_path.rglob("datapackage.json")), "a failed download must leave no partial copy"


@pytest.mark.build
@pytest.mark.parametrize("chapter", ALL_CHAPTERS, ids=lambda p: p.name)
def test_chapter_page_links_its_seminar_pack(built_book, chapter):
    name = chapter.stem
    page = (built_book.html / chapter.relative_to(ROOT).with_suffix(".html")).read_text(encoding="utf-8")
    assert f'href="../packs/{name}.zip"' in page
    with zipfile.ZipFile(built_book.html / "packs" / f"{name}.zip") as archive:
        names = set(archive.namelist())
    data_files = {f"{name}/data/{p.relative_to(ROOT / 'data').as_posix()}" for p in (ROOT / "data").rglob("*") if p.is_file()}
    helpers = {f"{name}/nato_russia/{p.name}" for p in (ROOT / "nato_russia").glob("*.py")}
    assert {f"{name}/{name}.ipynb", f"{name}/requirements.txt", f"{name}/README.md"} | data_files | helpers == names


@pytest.mark.build
def test_seminar_pack_runs_on_its_own(built_book, tmp_path, monkeypatch):
    """Unzipped anywhere, a pack's notebook runs with its own helpers and data."""
    with zipfile.ZipFile(built_book.html / "packs" / "timeline.zip") as archive:
        archive.extractall(tmp_path)
    monkeypatch.delenv("NATO_RUSSIA_DATA", raising=False)
    monkeypatch.setenv("NATO_RUSSIA_DATA_URL", "http://127.0.0.1:9/data/")  # any download would fail
    folder = tmp_path / "timeline"
    output = printed(execute(folder / "timeline.ipynb", folder))
    assert f"helpers from {folder / 'nato_russia'}" in output


@pytest.mark.build
def test_seminar_packs_are_reproducible(built_book, tmp_path):
    from book_extensions.packs import build_pack

    assert build_pack(ROOT, "chapters/timeline", student=False) == (built_book.html / "packs" / "timeline.zip").read_bytes()


def test_pinning_a_release_rewrites_every_launch_reference(tmp_path):
    """tools/pin_release.py points the launch buttons and the Colab install at a tag, and nothing else."""
    import subprocess
    import sys

    copy = tmp_path / "repo"
    shutil.copytree(ROOT, copy, ignore=shutil.ignore_patterns("_build", ".git", "node_modules", "*.egg-info", "__pycache__"))
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "pin_release.py"), "v2099.1", "--root", str(copy)],
                            capture_output=True, text=True, check=True)
    config = yaml.safe_load((copy / "_config.yml").read_text(encoding="utf-8"))
    assert config["repository"]["branch"] == "v2099.1"
    for source in toc_notebooks(copy):
        for path in (source, source.with_suffix(".ipynb")):
            text = path.read_text(encoding="utf-8")
            assert "@v2099.1" in text and "@main" not in text, path
        assert cells_of(jupytext.read(source)) == cells_of(nbformat.read(source.with_suffix(".ipynb"), as_version=4))
    assert result.stdout.count("pinned") == 1 + 2 * len(NOTEBOOKS)
