"""Seminar packs: a zip per chapter with its notebook, the data and the helpers.

A page asks for its pack with the ``{seminar-pack}`` directive, which renders
a download link that says which edition the pack is. When the build
finishes, the pack is written into the site's ``packs/`` folder for every
page that asked: ``<chapter>.zip`` in the student edition (no solutions, no
teaching notes), ``<chapter>-instructor.zip`` in the instructor edition
(every solution included, hence the name). A pack unzips into one folder
that runs anywhere with the packages in its ``requirements.txt``::

    <pack>/<chapter>.ipynb the chapter as a notebook (no outputs)
    <pack>/data/           the whole data package: loading any table
                           validates the cross-table links, so every
                           chapter needs all of it
    <pack>/nato_russia/    the shared helpers the notebook imports
    <pack>/requirements.txt, <pack>/README.md

The notebook is the page's notebook edition (``notebook_edition.py``):
plain Markdown with the values, citations, links and exercise numbers the
book shows, and no MyST markup, so no JupyterLab extension is needed.

``requirements.txt`` is worked out from the code (``pack_requirements.py``):
what the notebook and the helpers import, plus JupyterLab and the kernel,
with every package these pull in, each at the version the book was built
with. A needed package that the book does not pin stops the build while
the page is read. ``jupyter_server_config.json`` gives the kernels
CurveZMQ keys, as the book's build does, so they start without the warning
about plain-text TCP, and keeps JupyterLab from fetching news or checking
for updates.

Zip entries are dated ``$SOURCE_DATE_EPOCH`` if set (then rebuilding gives
identical bytes), else with the time of the build.
"""

from __future__ import annotations

import io
import json
import os
import time
import zipfile
from collections.abc import Callable
from pathlib import Path, PurePosixPath

import jupytext
import nbformat
from docutils import nodes
from sphinx.util import logging
from sphinx.util.docutils import SphinxDirective

from .editions import is_student
from .notebook_edition import (INSTRUCTOR, METADATA_KEY, STUDENT, NotebookEditionError, notebook_text, read_glue_file,
                               render_notebook,
                               with_other_pages)
from .pack_requirements import HELPER_PACKAGE, PackRequirementsError, notebook_code, pack_requirements
from .stop import stop_build

logger = logging.getLogger(__name__)

PACK_FOLDER = "packs"
DATA_FOLDER = "data"
INSTRUCTOR_SUFFIX = "-instructor"
SERVER_CONFIG = "jupyter_server_config.json"
# CurveZMQ keys for every kernel, as book_extensions.kernels gives the build's kernels: without them
# ipykernel warns that the kernel "is running over TCP without encryption". JupyterLab fetches no
# announcements and checks for no update: nothing in a pack reaches another host.
SERVER_CONFIG_TEXT = json.dumps({"KernelManager": {"transport_encryption": "auto"},
                                 "LabApp": {"news_url": None, "check_for_updates_class": "jupyterlab.NeverCheckForUpdate"}},
                                indent=2) + "\n"
GLUE_FOLDER = "jupyter_execute"  # where myst-nb keeps the executed notebooks and their glue values


def notebook_name(docname: str) -> str:
    return PurePosixPath(docname).name


def pack_name(docname: str, student: bool) -> str:
    """``timeline`` in the student edition, ``timeline-instructor`` (with solutions) otherwise."""
    return notebook_name(docname) + ("" if student else INSTRUCTOR_SUFFIX)


def pack_uri(docname: str, student: bool) -> str:
    """Where the pack of ``docname`` lives, relative to the site root."""
    return f"{PACK_FOLDER}/{pack_name(docname, student)}.zip"


# --- the directive -----------------------------------------------------------

class SeminarPackDirective(SphinxDirective):
    """``{seminar-pack}``: a download link to this page's seminar pack."""

    has_content = False

    def run(self):
        docname = self.env.docname
        student = is_student(self.config)
        try:  # fail now, while reading, rather than write a pack that cannot run
            pack_requirements(Path(self.env.srcdir), notebook_code(jupytext.read(self.env.doc2path(docname))))
        except PackRequirementsError as error:
            stop_build(f"The book was not built: the seminar pack of {docname} needs unpinned packages.", str(error))
        self.env.seminar_pack_docs = getattr(self.env, "seminar_pack_docs", set()) | {docname}
        depth = len(PurePosixPath(docname).parts) - 1
        href = "../" * depth + pack_uri(docname, student)
        link = nodes.reference("", "", nodes.literal(text=f"{pack_name(docname, student)}.zip"), refuri=href,
                               classes=["seminar-pack-link"])
        label = "Seminar pack (student edition): " if student else "Seminar pack (instructor edition, with every solution): "
        paragraph = nodes.paragraph(
            "", "",
            nodes.strong(text=label), link,
            nodes.Text(" holds this page as a notebook with the course data and helper code; "
                       "unzip it, install its requirements.txt and open the notebook in JupyterLab, no clone needed."),
            classes=["seminar-pack"],
        )
        return [paragraph]


def _purge(app, env, docname) -> None:
    getattr(env, "seminar_pack_docs", set()).discard(docname)


def _merge(app, env, docnames, other) -> None:
    env.seminar_pack_docs = getattr(env, "seminar_pack_docs", set()) | (
        getattr(other, "seminar_pack_docs", set()) & set(docnames))


# --- writing the zips --------------------------------------------------------

def pack_readme(docname: str, student: bool) -> str:
    notebook = f"{notebook_name(docname)}.ipynb"
    if student:
        edition = "student edition: exercises without solutions, no teaching notes"
    else:
        edition = (f"instructor edition: every exercise's solution is in the notebook. For students, "
                   f"use the student edition's pack, `{pack_name(docname, student=True)}.zip`")
    return (
        f"# Seminar pack: {notebook_name(docname)}\n\n"
        f"From the course module \"NATO and Russia, 1991–2010\" ({edition}).\n\n"
        "## Run it\n\n"
        "You need Python 3.11 or newer. In a terminal, in this folder (on Debian or\n"
        "Ubuntu, first `sudo apt-get install python3-venv`):\n\n"
        "```bash\n"
        "python3 -m venv --upgrade-deps .venv\n"
        ". .venv/bin/activate                # Windows: py -m venv --upgrade-deps .venv, then .venv\\Scripts\\activate\n"
        "python -m pip install -r requirements.txt\n"
        f"jupyter lab {notebook} --config={SERVER_CONFIG}\n"
        "```\n\n"
        "The first install takes a minute or two on a good connection (the environment\n"
        "then holds about 500 MB); next time, activate it and run the last line again.\n"
        f"(`{SERVER_CONFIG}` gives the notebook's kernel encrypted connections.)\n"
        "Run the cells from the top (Run → Run All Cells).\n\n"
        "The notebook imports the helpers in `nato_russia/`, which read and validate\n"
        "the tables in `data/` (see `data/datapackage.json` for every column).\n"
        "`requirements.txt` lists what the code imports and what JupyterLab needs to\n"
        "show the notebook, with every package they pull in, at the versions the course\n"
        "book was built with.\n\n"
        "Text: CC BY 4.0. Code: MIT.\n"
    )


def pack_date(epoch: int | None = None) -> tuple[int, int, int, int, int, int]:
    """The date of a pack's entries: ``epoch`` if given, else ``$SOURCE_DATE_EPOCH``, else now (UTC)."""
    if epoch is None:
        epoch = int(os.environ["SOURCE_DATE_EPOCH"]) if os.environ.get("SOURCE_DATE_EPOCH") else int(time.time())
    epoch = max(epoch, 315532800)  # zip dates start in 1980
    return time.gmtime(epoch - epoch % 2)[:6]  # zip dates count in 2-second steps


def _add(archive: zipfile.ZipFile, name: str, data: bytes, date: tuple) -> None:
    info = zipfile.ZipInfo(name, date_time=date)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def committed_glue(srcdir: Path, docname: str) -> dict[str, str]:
    """The glue values recorded in the committed notebook beside ``docname`` (``tools/sync_notebooks.py``)."""
    committed = srcdir / f"{docname}.ipynb"
    if not committed.is_file():
        return {}
    return dict(nbformat.read(committed, as_version=4).metadata.get(METADATA_KEY, {}).get("glue", {}))


def build_pack(srcdir: Path, docname: str, student: bool, glue_of: Callable[[str], dict[str, str]] | None = None,
               epoch: int | None = None) -> bytes:
    """The bytes of one seminar pack (raises :class:`PackRequirementsError` if a requirement is unpinned).

    ``glue_of(docname)``: the values the build computed for a page (by
    default those recorded in its committed notebook); ``epoch``: the
    entries' date (see :func:`pack_date`).
    """
    name, notebook_file = pack_name(docname, student), f"{notebook_name(docname)}.ipynb"
    glue_of = glue_of or (lambda page: committed_glue(srcdir, page))
    source = srcdir / f"{docname}.md"
    glue = with_other_pages(glue_of(docname), source, srcdir, glue_of)
    notebook = render_notebook(source, STUDENT if student else INSTRUCTOR, glue)
    date = pack_date(epoch)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _add(archive, f"{name}/{notebook_file}", notebook_text(notebook).encode("utf-8"), date)
        for path in sorted((srcdir / DATA_FOLDER).rglob("*")):  # data/geo/ holds the map outlines
            if path.is_file() and not path.name.startswith("."):
                _add(archive, f"{name}/{DATA_FOLDER}/{path.relative_to(srcdir / DATA_FOLDER).as_posix()}", path.read_bytes(), date)
        for path in sorted((srcdir / HELPER_PACKAGE).glob("*.py")):
            _add(archive, f"{name}/{HELPER_PACKAGE}/{path.name}", path.read_bytes(), date)
        _add(archive, f"{name}/requirements.txt", pack_requirements(srcdir, notebook_code(notebook)).encode("utf-8"), date)
        _add(archive, f"{name}/{SERVER_CONFIG}", SERVER_CONFIG_TEXT.encode("utf-8"), date)
        _add(archive, f"{name}/README.md", pack_readme(docname, student).encode("utf-8"), date)
    return buffer.getvalue()


def build_glue(outdir: Path, docname: str) -> dict[str, str]:
    """The glue values this build computed for ``docname`` (myst-nb's ``jupyter_execute/<docname>.glue.json``)."""
    path = Path(outdir).parent / GLUE_FOLDER / f"{docname}.glue.json"
    return read_glue_file(path) if path.is_file() else {}


def _write_packs(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    folder = Path(app.outdir) / PACK_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    student = is_student(app.config)
    epoch = int(os.environ["SOURCE_DATE_EPOCH"]) if os.environ.get("SOURCE_DATE_EPOCH") else int(time.time())
    for docname in sorted(getattr(app.env, "seminar_pack_docs", set())):
        try:
            pack = build_pack(Path(app.srcdir), docname, student, glue_of=lambda page: build_glue(Path(app.outdir), page),
                              epoch=epoch)
        except NotebookEditionError as error:  # e.g. a link to a page this build left out: a warning (-W: an error)
            logger.warning(f"no seminar pack for {docname}: {error}", type="packs", subtype="notebook-edition")
            continue
        (folder / f"{pack_name(docname, student)}.zip").write_bytes(pack)


def setup(app):
    app.setup_extension("book_extensions.editions")
    app.add_directive("seminar-pack", SeminarPackDirective)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("build-finished", _write_packs)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
