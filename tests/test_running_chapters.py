"""Chapters run outside the repository: from a seminar pack, and in Colab.

Colab opens one ``.ipynb`` from GitHub, without the repository: the paired
notebooks must match their MyST source, their set-up cell installs the
helpers from the repository, and the loader downloads ``data/`` when no
local copy exists. Here "Colab" is a folder holding only the notebook, the
helpers installed on their own (as pip would from git, without ``data/``),
and the published repository replaced by a web server on 127.0.0.1
(``tests/colab_runner.py``). nbval runs every chapter in that layout, in the
Binder venv's kernels (root ``conftest.py``); the Colab tests check its records.
"""

from __future__ import annotations

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

from book_extensions.toc import toc_notebooks
from nato_russia.remote import DataUnavailableError, fetch_data
from support import ROOT, copy_repository, pack_pages, ran_notebooks

NOTEBOOKS = toc_notebooks(ROOT)


def cells_of(notebook) -> list[tuple]:
    return [(cell.cell_type, cell.source, tuple(cell.metadata.get("tags", []))) for cell in notebook.cells]


@pytest.mark.parametrize("source", NOTEBOOKS, ids=lambda p: p.name)
def test_paired_notebook_matches_its_myst_source(source):
    paired = source.with_suffix(".ipynb")
    assert paired.is_file(), f"{paired.name} missing: run `python tools/sync_notebooks.py`"
    assert cells_of(jupytext.read(source)) == cells_of(nbformat.read(paired, as_version=4)), (
        f"{paired.name} is out of sync with {source.name}: run `python tools/sync_notebooks.py`"
    )


def test_sync_tool_rewrites_only_the_notebook_whose_text_changed(tmp_path):
    """`python tools/sync_notebooks.py` updates the edited chapter's .ipynb and touches no other file.

    jupytext's own command stamps every .md with the current time, which makes
    the next build re-execute every chapter; the tool must leave them alone.
    """
    import subprocess
    import sys

    copy = tmp_path / "repo"
    copy_repository(copy, "data", "_static", "tests")
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
    assert cells_of(jupytext.read(edited)) == cells_of(nbformat.read(edited.with_suffix(".ipynb"), as_version=4))


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
    return {f"{folder}/{notebook}.ipynb", f"{folder}/requirements.txt", f"{folder}/README.md"} | data_files | helpers


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
        listing = subprocess.run([jupyter, "labextension", "list"], env=env, cwd=runs.folder, capture_output=True, text=True)
        extensions = re.sub(r"\x1b\[[0-9;]*m", "", listing.stdout + listing.stderr)
        for extension in ("jupyterlab-myst", "jupyterlab-jupytext"):  # MyST markup and text notebooks in JupyterLab
            assert re.search(rf"{extension} v\S+ enabled OK", extensions), extensions

        ran = ran_notebooks(job.log_path.read_text(encoding="utf-8"))
        for notebook in ran:
            folder = Path(notebook).parent
            assert (folder / "requirements.txt").read_text(encoding="utf-8") == requirements
            assert ran[notebook] == (str(job.venv), str(folder / "nato_russia" / "__init__.py")), notebook
    ran_everywhere = {Path(name).parent.name for job in runs.jobs.values()
                      for name in ran_notebooks(job.log_path.read_text(encoding="utf-8"))}
    assert ran_everywhere == {page.stem for page in PACK_PAGES}


@pytest.mark.build
def test_seminar_packs_are_reproducible(built_book, student_book):
    from book_extensions.packs import build_pack

    assert build_pack(ROOT, "chapters/timeline", student=False) == (built_book.html / "packs" / "timeline-instructor.zip").read_bytes()
    assert build_pack(ROOT, "chapters/timeline", student=True) == (student_book.html / "packs" / "timeline.zip").read_bytes()


def test_pack_requirements_come_from_the_code_and_are_pinned_as_the_book_pins_them():
    from book_extensions.pack_requirements import book_pins, pack_requirements

    requirements = pack_requirements(ROOT, "import pandas as pd\nfrom myst_nb import glue\n%pip install nothing\n")
    names = {line.split("==")[0] for line in requirements.splitlines() if not line.startswith("#")}
    # the notebook's imports, the helpers' imports and dependencies, and what JupyterLab needs
    assert names == {"myst-nb", "pandas", "plotly", "frictionless", "pybtex", "jupyterlab", "jupytext", "jupyterlab-myst",
                     "ipykernel", "ipython", "krippendorff", "jsonschema"}  # ipython: nato_russia.prose shows values with IPython
    # outside the book; krippendorff: a declared dependency of the helpers (pyproject.toml), for the measuring chapter;
    # jsonschema: held back below the release whose import is slow (pack_requirements.HELD_BACK)
    pins = book_pins(ROOT)
    assert all(line in pins.values() for line in requirements.splitlines() if not line.startswith("#"))


@pytest.mark.build
@pytest.mark.parametrize("student", [True, False], ids=["student", "instructor"])
def test_pack_notebooks_hold_no_directive_that_only_the_book_knows(student, built_book, student_book):
    """JupyterLab would show an "Unknown Directive" box for {seminar-pack} and {footbibliography}.

    Read from the packs each edition's build wrote.
    """
    from book_extensions.packs import BOOK_ONLY_DIRECTIVES, pack_name

    built = student_book if student else built_book
    for page in PACK_PAGES:
        docname = page.relative_to(ROOT).with_suffix("").as_posix()
        folder = pack_name(docname, student)
        with zipfile.ZipFile(built.html / "packs" / f"{folder}.zip") as archive:
            notebook = nbformat.reads(archive.read(f"{folder}/{page.stem}.ipynb").decode("utf-8"), as_version=4)
        text = "\n".join(cell.source for cell in notebook.cells)
        assert "{seminar-pack}" in page.read_text(encoding="utf-8")
        assert not [name for name in BOOK_ONLY_DIRECTIVES if "{" + name + "}" in text], page.name
        if "{footbibliography}" in page.read_text(encoding="utf-8"):
            assert "data/references.bib" in text


def test_a_needed_but_unpinned_package_is_an_error(tmp_path):
    from book_extensions.pack_requirements import PackRequirementsError, pack_requirements

    for name in ("requirements.txt", "pyproject.toml"):
        shutil.copy(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "nato_russia", tmp_path / "nato_russia")
    unpinned = "\n".join(line for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()
                         if not line.startswith(("pybtex==", "jupyterlab-myst==")))
    (tmp_path / "requirements.txt").write_text(unpinned, encoding="utf-8")
    with pytest.raises(PackRequirementsError) as error:
        pack_requirements(tmp_path, "import pandas\nimport no_such_module_anywhere\n")
    message = str(error.value)
    assert "pybtex (nato_russia imports pybtex) is not pinned in requirements.txt: add `pybtex==" in message
    assert "jupyterlab-myst (" in message and "no_such_module_anywhere" in message


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
        assert cells_of(jupytext.read(source)) == cells_of(nbformat.read(source.with_suffix(".ipynb"), as_version=4))
    assert result.stdout.count("pinned") == 1 + 2 * len(NOTEBOOKS)
