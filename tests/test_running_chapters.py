"""Chapters run outside the repository: from a seminar pack, and in Colab.

Colab opens one ``.ipynb`` from GitHub, without the repository: the committed
notebooks must be the notebook edition of their MyST source (same code cells,
in the same order, so that what nbval runs is what Colab runs), their set-up cell installs the
helpers from the repository, and the loader downloads ``data/`` when no
local copy exists. Here "Colab" is a folder holding only the notebook, the
helpers installed on their own (as pip would from git, without ``data/``),
and the published repository replaced by a web server on 127.0.0.1
(``tests/colab_runner.py``). nbval runs every chapter in that layout, in the
Binder venv's kernels (root ``conftest.py``); the Colab tests check its records.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import jupytext
import nbformat
import pytest
import yaml

from book_extensions.pack_requirements import normalise
from book_extensions.toc import toc_notebooks
from nato_russia.remote import DataUnavailableError, fetch_data
from support import ROOT, copy_repository, pack_pages, ran_notebooks

NOTEBOOKS = toc_notebooks(ROOT)


def code_cells(notebook) -> list[tuple]:
    return [(cell.source, tuple(cell.metadata.get("tags", []))) for cell in notebook.cells if cell.cell_type == "code"]


@pytest.mark.parametrize("source", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_notebook_is_the_notebook_edition_of_its_myst_source(source):
    """The .ipynb the Colab and Binder buttons open equals the rendering of its .md, and runs the same code."""
    from tools.sync_notebooks import edition_text

    committed = source.with_suffix(".ipynb")
    assert committed.is_file(), f"{committed.name} missing: run `python tools/sync_notebooks.py`"
    assert committed.read_text(encoding="utf-8") == edition_text(source, ROOT), (
        f"{committed.name} is out of date with {source.name}: run `python tools/sync_notebooks.py`")
    assert code_cells(jupytext.read(source)) == code_cells(nbformat.read(committed, as_version=4))
    assert "jupytext" not in nbformat.read(committed, as_version=4).metadata  # no pair for tools to re-sync


def test_sync_tool_rewrites_only_the_notebook_whose_text_changed(tmp_path):
    """`python tools/sync_notebooks.py` updates the edited chapter's .ipynb and touches no other file.

    jupytext's own command stamps every .md with the current time, which makes
    the next build re-execute every chapter; the tool must leave them alone.
    """
    import subprocess
    import sys

    copy = tmp_path / "repo"
    copy_repository(copy, "_static", "tests")  # data/ holds references.bib, which the notebook edition cites from
    edited = copy / "chapters" / "timeline.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace(
        "## Twenty years on one page\n", "## Twenty years on one page\n\nA sentence added by the test.\n", 1),
        encoding="utf-8")
    long_ago = 1_000_000_000  # 2001: older than any real edit, so a touched file shows
    paired_files = [p for source in toc_notebooks(copy) for p in (source, source.with_suffix(".ipynb"))]
    for path in paired_files:
        os.utime(path, (long_ago, long_ago))

    result = subprocess.run([sys.executable, str(ROOT / "tools" / "sync_notebooks.py"), "--root", str(copy)],
                            capture_output=True, text=True, check=True)

    assert result.stdout.splitlines() == ["updated chapters/timeline.ipynb"]
    changed = [p.relative_to(copy).as_posix() for p in paired_files if p.stat().st_mtime != long_ago]
    assert changed == ["chapters/timeline.ipynb"]
    assert "A sentence added by the test." in (copy / "chapters" / "timeline.ipynb").read_text(encoding="utf-8")
    assert code_cells(jupytext.read(edited)) == code_cells(nbformat.read(edited.with_suffix(".ipynb"), as_version=4))


def test_sync_tool_asks_for_a_build_when_a_chapter_s_code_changed(tmp_path):
    """New code means the values in the text may be stale: the tool says how to get them, and writes nothing."""
    import subprocess
    import sys

    copy = tmp_path / "repo"
    copy_repository(copy, "_static", "tests")  # data/ holds references.bib, which the notebook edition cites from
    edited = copy / "chapters" / "partners_1991_1996.md"
    edited.write_text(edited.read_text(encoding="utf-8").replace(
        "```{code-cell} ipython3\ncolumns = ", "```{code-cell} ipython3\nprint('new code')\ncolumns = ", 1), encoding="utf-8")
    before = edited.with_suffix(".ipynb").read_bytes()
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "sync_notebooks.py"), "--root", str(copy)],
                            capture_output=True, text=True)
    assert result.returncode == 2
    assert "chapters/partners_1991_1996.md: its code changed" in result.stderr
    assert "--executed /tmp/NAME-build/_build/jupyter_execute" in result.stderr
    assert edited.with_suffix(".ipynb").read_bytes() == before


def test_sync_tool_finds_nothing_to_do_in_the_repository():
    from tools.sync_notebooks import out_of_date

    assert out_of_date(ROOT) == {}, "run `python tools/sync_notebooks.py`"


@pytest.mark.parametrize("source", NOTEBOOKS, ids=lambda p: p.name)
def test_set_up_cell_installs_helpers_from_the_configured_repository(source):
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["repository"]
    first_code = next(c for c in jupytext.read(source).cells if c.cell_type == "code")
    wanted = f'%pip install --quiet "nato-russia-course @ git+{config["url"]}@{config["branch"]}"'
    assert wanted in first_code.source
    assert first_code.source.index("import nato_russia") < first_code.source.index("%pip install")


@pytest.mark.parametrize("source", NOTEBOOKS, ids=lambda p: p.name)
def test_notebook_runs_in_colab_with_data_from_the_repository(source, colab_runs):
    """The paired .ipynb alone in a folder, the helpers without data/, the repository on a local web server.

    nbval ran every chapter so, in the Binder venv's kernels (see the
    ``colab_runs`` fixture); here each chapter's record is checked.
    """
    run = colab_runs.get(str(source.resolve()))
    assert run is not None, f"{source.name} was not run as in Colab"
    assert not run["error"], f"{source.name} failed as in Colab:\n{run['error']}"
    output = run["printed"]
    assert f"helpers from {run['site_packages']}" in output, output[-500:]
    assert f"downloaded once from {run['base_url']}/data/" in output, output[-500:]
    assert {"/data/datapackage.json", "/data/events.csv", "/data/references.bib"} <= set(run["requested"])


def test_missing_data_and_no_network_give_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    unreachable = "http://127.0.0.1:9/data/"  # the discard port: nothing listens
    with pytest.raises(DataUnavailableError, match=re.escape(unreachable)) as error:
        fetch_data(unreachable)
    assert "NATO_RUSSIA_DATA" in str(error.value) and "clone the course repository" in str(error.value)
    assert not any(tmp_path.rglob("datapackage.json")), "a failed download must leave no partial copy"


PACK_PAGES = pack_pages(ROOT)


def pack_contents(pack: Path) -> set[str]:
    with zipfile.ZipFile(pack) as archive:
        return set(archive.namelist())


def expected_contents(folder: str, notebook: str) -> set[str]:
    data_files = {f"{folder}/data/{p.relative_to(ROOT / 'data').as_posix()}" for p in (ROOT / "data").rglob("*") if p.is_file()}
    helpers = {f"{folder}/nato_russia/{p.name}" for p in (ROOT / "nato_russia").glob("*.py")}
    return ({f"{folder}/{notebook}.ipynb", f"{folder}/requirements.txt", f"{folder}/README.md",
             f"{folder}/jupyter_server_config.json"} | data_files | helpers)


@pytest.mark.build
@pytest.mark.parametrize("page", PACK_PAGES, ids=lambda p: p.name)
def test_instructor_page_links_its_pack_named_as_instructor_material(built_book, page):
    name = page.stem
    html = (built_book.html / page.relative_to(ROOT).with_suffix(".html")).read_text(encoding="utf-8")
    assert f'href="../packs/{name}-instructor.zip"' in html
    assert "Seminar pack (instructor edition, with every solution)" in html
    assert pack_contents(built_book.html / "packs" / f"{name}-instructor.zip") == expected_contents(f"{name}-instructor", name)


@pytest.mark.build
@pytest.mark.parametrize("page", PACK_PAGES, ids=lambda p: p.name)
def test_student_page_links_the_student_pack(student_book, page):
    name = page.stem
    html = (student_book.html / page.relative_to(ROOT).with_suffix(".html")).read_text(encoding="utf-8")
    assert f'href="../packs/{name}.zip"' in html and "-instructor.zip" not in html
    assert "Seminar pack (student edition)" in html
    assert pack_contents(student_book.html / "packs" / f"{name}.zip") == expected_contents(name, name)
    assert sorted(p.name for p in (student_book.html / "packs").iterdir()) == sorted(f"{p.stem}.zip" for p in PACK_PAGES)


def pinned(requirements: str, name: str) -> str:
    return re.search(rf"^{re.escape(name)}==(\S+)$", requirements, re.M).group(1)


@pytest.mark.build
def test_every_student_pack_runs_in_a_fresh_environment_of_its_own_requirements(student_book, built_book, seminar_pack_runs):
    """Unzipped outside the repository, each pack runs in a new venv holding only its requirements.txt.

    The ``seminar_pack_runs`` fixture did the work in the background while
    other tests ran: it unzipped the student packs (the very bytes the
    student build wrote, checked here), made a venv with ``python -m venv --upgrade-deps``
    per distinct requirements.txt, installed it with ``pip install -r`` and
    executed every pack's notebook there, from the pack's folder.
    """
    runs = seminar_pack_runs
    assert ROOT not in runs.folder.parents
    built = {p.stem: p.read_bytes() for p in (student_book.html / "packs").glob("*.zip")}
    assert built == runs.zips, "the packs that ran are not the ones the student build wrote"
    for page in PACK_PAGES:  # the instructor packs need the same packages as the student ones
        student = (runs.folder / page.stem / "requirements.txt").read_text(encoding="utf-8")
        with zipfile.ZipFile(built_book.html / "packs" / f"{page.stem}-instructor.zip") as archive:
            assert archive.read(f"{page.stem}-instructor/requirements.txt").decode("utf-8") == student, page.stem

    for requirements, job in runs.jobs.items():
        jupyter, env = str(job.venv / "bin" / "jupyter"), job.env()
        version = subprocess.run([jupyter, "lab", "--version"], env=env, cwd=runs.folder, capture_output=True, text=True)
        assert version.returncode == 0 and version.stdout.strip() == pinned(requirements, "jupyterlab"), version
        # The venv holds exactly what requirements.txt pins (pip, setuptools and wheel aside): every
        # package the install pulled in is pinned, and nothing the notebook edition does not need.
        frozen = subprocess.run([str(job.python), "-m", "pip", "freeze", "--disable-pip-version-check"], env=env,
                                cwd=runs.folder, capture_output=True, text=True, check=True).stdout
        installed = {normalise(line.split("==")[0]): line.split("==")[1] for line in frozen.splitlines() if "==" in line}
        wanted = {normalise(line.split("==")[0]): line.split("==")[1] for line in requirements.splitlines()
                  if line and not line.startswith("#") and not line.startswith(("setuptools==", "pip==", "wheel=="))}
        assert installed == wanted
        # The notebook edition needs no MyST tooling: only a notebook whose own code imports myst_nb gets it.
        imported = re.search(r"^# Imported by the notebook or its helpers: (.*)$", requirements, re.M).group(1).split(", ")
        assert not {"jupytext", "jupyterlab-myst"} & set(installed)
        if "myst-nb" not in imported:
            assert not {"myst-nb", "myst-parser", "sphinx"} & set(installed)

        ran = ran_notebooks(job.log_path.read_text(encoding="utf-8"))
        for notebook in ran:
            folder = Path(notebook).parent
            assert (folder / "requirements.txt").read_text(encoding="utf-8") == requirements
            assert ran[notebook] == (str(job.venv), str(folder / "nato_russia" / "__init__.py")), notebook
    ran_everywhere = {Path(name).parent.name for job in runs.jobs.values()
                      for name in ran_notebooks(job.log_path.read_text(encoding="utf-8"))}
    assert ran_everywhere == {page.stem for page in PACK_PAGES}


@pytest.mark.build
def test_seminar_packs_are_reproducible_and_dated_by_the_build(built_book, student_book):
    """Same sources, same glue values and the same $SOURCE_DATE_EPOCH: the same bytes; every entry carries that date."""
    import time

    from book_extensions.packs import build_glue, build_pack
    from conftest import PACK_EPOCH

    def glue(docname):
        return build_glue(built_book.html, docname)

    instructor = (built_book.html / "packs" / "timeline-instructor.zip").read_bytes()
    assert build_pack(ROOT, "chapters/timeline", student=False, glue_of=glue, epoch=PACK_EPOCH) == instructor
    assert build_pack(ROOT, "chapters/timeline", student=True, glue_of=glue, epoch=PACK_EPOCH) == (
        student_book.html / "packs" / "timeline.zip").read_bytes()
    with zipfile.ZipFile(io.BytesIO(instructor)) as archive:
        assert {info.date_time for info in archive.infolist()} == {time.gmtime(PACK_EPOCH)[:6]}


def test_pack_requirements_come_from_the_code_and_are_pinned_as_the_book_pins_them():
    from book_extensions.pack_requirements import book_pins, pack_requirements

    from importlib import metadata

    requirements = pack_requirements(ROOT, "import pandas as pd\n%pip install nothing\n")
    direct, pulled_in = requirements.split("# Pulled in by the packages above")
    names = {line.split("==")[0] for line in direct.splitlines() if not line.startswith("#")}
    # the notebook's imports, the helpers' imports and dependencies, and what JupyterLab needs to run it
    assert names == {"pandas", "plotly", "frictionless", "pybtex", "jupyterlab", "ipykernel", "ipython", "krippendorff",
                     "jsonschema"}  # ipython: nato_russia.prose shows values with IPython outside the book; krippendorff:
    # a declared dependency of the helpers (pyproject.toml), for the measuring chapter; jsonschema: held back below the
    # release whose import is slow (pack_requirements.HELD_BACK)
    pins = book_pins(ROOT)
    assert all(line in pins.values() for line in direct.splitlines() if not line.startswith("#"))
    # everything those pull in, transitively, at the version the book was built with
    transitive = [line for line in pulled_in.splitlines()[1:] if line]
    assert {"numpy", "jupyter-server", "pyzmq", "tornado", "jinja2"} <= {line.split("==")[0] for line in transitive}
    assert all(line == f"{line.split('==')[0]}=={metadata.version(line.split('==')[0])}" for line in transitive)
    # the notebook edition is plain Jupyter: no MyST tooling, no Sphinx
    assert not {"myst-nb", "myst-parser", "jupytext", "jupyterlab-myst", "sphinx"} & {
        line.split("==")[0] for line in requirements.splitlines() if not line.startswith("#")}


def test_a_needed_but_unpinned_package_is_an_error(tmp_path):
    from book_extensions.pack_requirements import PackRequirementsError, pack_requirements

    for name in ("requirements.txt", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "nato_russia", tmp_path / "nato_russia")
    unpinned = "\n".join(line for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
                         if not line.startswith(("pybtex==", "ipykernel==")))
    (tmp_path / "requirements.txt").write_text(unpinned, encoding="utf-8")
    with pytest.raises(PackRequirementsError) as error:
        pack_requirements(tmp_path, "import pandas\nimport no_such_module_anywhere\n")
    message = str(error.value)
    assert "pybtex (nato_russia imports pybtex) is not pinned in requirements.txt: add `pybtex==" in message
    assert "ipykernel (" in message and "no_such_module_anywhere" in message


def test_pinning_a_release_rewrites_every_launch_reference(tmp_path):
    """tools/pin_release.py points the launch buttons and the Colab install at a tag, and nothing else."""
    import sys

    copy = tmp_path / "repo"
    copy_repository(copy)
    result = subprocess.run([sys.executable, str(ROOT / "tools" / "pin_release.py"), "v2099.1", "--root", str(copy)],
                            capture_output=True, text=True, check=True)
    config = yaml.safe_load((copy / "_config.yml").read_text(encoding="utf-8"))
    assert config["repository"]["branch"] == "v2099.1"
    for source in toc_notebooks(copy):
        for path in (source, source.with_suffix(".ipynb")):
            text = path.read_text(encoding="utf-8")
            assert "@v2099.1" in text and "@main" not in text, path
        assert code_cells(jupytext.read(source)) == code_cells(nbformat.read(source.with_suffix(".ipynb"), as_version=4))
    assert result.stdout.count("pinned") == 1 + 2 * len(NOTEBOOKS)
