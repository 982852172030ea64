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

``requirements.txt`` is worked out from the code (``pack_requirements.py``):
what the notebook and the helpers import, plus JupyterLab, Jupytext,
jupyterlab-myst and the kernel, and jsonschema held where the book holds it,
at the versions the book pins. A needed
package that the book does not pin stops the build while the page is read.

Zip entries carry a fixed timestamp so that rebuilding gives identical bytes.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path, PurePosixPath

import jupytext
import nbformat
from docutils import nodes
from sphinx.util.docutils import SphinxDirective

from .editions import TEACHING_NOTE_CLASS, is_student
from .pack_requirements import HELPER_PACKAGE, PackRequirementsError, notebook_code, pack_requirements
from .stop import stop_build

PACK_FOLDER = "packs"
DATA_FOLDER = "data"
FIXED_TIME = (2010, 11, 20, 0, 0, 0)  # the Lisbon NRC summit; any constant would do
INSTRUCTOR_SUFFIX = "-instructor"

_FENCE = re.compile(r"^(`{3,}|:{3,})\{([a-z-]+)\}")


def notebook_name(docname: str) -> str:
    return PurePosixPath(docname).name


def pack_name(docname: str, student: bool) -> str:
    """``timeline`` in the student edition, ``timeline-instructor`` (with solutions) otherwise."""
    return notebook_name(docname) + ("" if student else INSTRUCTOR_SUFFIX)


def pack_uri(docname: str, student: bool) -> str:
    """Where the pack of ``docname`` lives, relative to the site root."""
    return f"{PACK_FOLDER}/{pack_name(docname, student)}.zip"


# --- removing instructor material from a MyST notebook ----------------------

def _block_end(lines: list[str], start: int, fence: str) -> int:
    """Index of the line closing the directive opened at ``lines[start]``."""
    char = fence[0]
    for index in range(start + 1, len(lines)):
        stripped = lines[index].strip()
        if stripped and set(stripped) == {char} and len(stripped) >= len(fence):
            return index
    return len(lines) - 1


def _is_teaching_note(lines: list[str], start: int, fence: str) -> bool:
    options = lines[start + 1:_block_end(lines, start, fence)]
    return any(line.strip().startswith(":class:") and TEACHING_NOTE_CLASS in line.split() for line in options)


def strip_instructor_material(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of a MyST notebook without solutions and teaching notes.

    Handles the three forms the book uses: ``{solution}`` blocks inside a
    Markdown cell, gated ``{solution-start}`` … ``{solution-end}`` blocks that
    span cells (code cells included), and ``{admonition}`` blocks with the
    ``teaching-note`` class.
    """
    kept = []
    inside_gated = False
    for cell in notebook.cells:
        if cell.cell_type != "markdown":
            if not inside_gated:
                kept.append(cell)
            continue
        lines = cell.source.split("\n")
        out: list[str] = []
        index = 0
        while index < len(lines):
            match = _FENCE.match(lines[index].strip())
            if inside_gated:
                if match and match.group(2) == "solution-end":
                    index = _block_end(lines, index, match.group(1)) + 1
                    inside_gated = False
                else:
                    index += 1
                continue
            if match and match.group(2) == "solution-start":
                inside_gated = True
                index = _block_end(lines, index, match.group(1)) + 1
                continue
            if match and (match.group(2) == "solution" or
                          (match.group(2) == "admonition" and _is_teaching_note(lines, index, match.group(1)))):
                index = _block_end(lines, index, match.group(1)) + 1
                continue
            out.append(lines[index])
            index += 1
        text = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()
        if text:
            kept.append(nbformat.from_dict({**cell, "source": text}))
    return nbformat.from_dict({**notebook, "cells": kept})


# Directives that only the book's build knows: JupyterLab (jupyterlab-myst)
# would show "Unknown Directive" boxes. In a pack each becomes this text.
BOOK_ONLY_DIRECTIVES = {
    "seminar-pack": "",  # the link to this very pack
    "footbibliography": "*The works cited in this notebook are listed in `data/references.bib`.*",
}


def replace_book_only_directives(notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of a MyST notebook with :data:`BOOK_ONLY_DIRECTIVES` replaced by their plain text."""
    cells = []
    for cell in notebook.cells:
        if cell.cell_type == "markdown":
            lines, out, index = cell.source.split("\n"), [], 0
            while index < len(lines):
                match = _FENCE.match(lines[index].strip())
                if match and match.group(2) in BOOK_ONLY_DIRECTIVES:
                    out.append(BOOK_ONLY_DIRECTIVES[match.group(2)])
                    index = _block_end(lines, index, match.group(1)) + 1
                else:
                    out.append(lines[index])
                    index += 1
            text = re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()
            if not text:
                continue
            cell = nbformat.from_dict({**cell, "source": text})
        cells.append(cell)
    return nbformat.from_dict({**notebook, "cells": cells})


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
        f"jupyter lab {notebook}\n"
        "```\n\n"
        "The first install takes a minute or two on a good connection (the environment\n"
        "then holds about 500 MB); next time, activate it and run `jupyter lab`.\n"
        "Run the cells from the top (Run → Run All Cells).\n\n"
        "The notebook imports the helpers in `nato_russia/`, which read and validate\n"
        "the tables in `data/` (see `data/datapackage.json` for every column).\n"
        "`requirements.txt` lists what the code imports and what JupyterLab needs to\n"
        "show the notebook, at the versions the course book was built with.\n\n"
        "Text: CC BY 4.0. Code: MIT.\n"
    )


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def build_pack(srcdir: Path, docname: str, student: bool) -> bytes:
    """The bytes of one seminar pack (raises :class:`PackRequirementsError` if a requirement is unpinned)."""
    name, notebook_file = pack_name(docname, student), f"{notebook_name(docname)}.ipynb"
    source = srcdir / f"{docname}.md"
    notebook = jupytext.read(source)
    if student:
        notebook = strip_instructor_material(notebook)
    notebook = replace_book_only_directives(notebook)
    notebook.metadata.pop("jupytext", None)  # the pack holds no paired .md
    for number, cell in enumerate(notebook.cells):  # jupytext makes random ids; keep zips reproducible
        cell["id"] = f"cell-{number}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _add(archive, f"{name}/{notebook_file}", nbformat.writes(notebook).encode("utf-8"))
        for path in sorted((srcdir / DATA_FOLDER).rglob("*")):  # data/geo/ holds the map outlines
            if path.is_file() and not path.name.startswith("."):
                _add(archive, f"{name}/{DATA_FOLDER}/{path.relative_to(srcdir / DATA_FOLDER).as_posix()}", path.read_bytes())
        for path in sorted((srcdir / HELPER_PACKAGE).glob("*.py")):
            _add(archive, f"{name}/{HELPER_PACKAGE}/{path.name}", path.read_bytes())
        _add(archive, f"{name}/requirements.txt", pack_requirements(srcdir, notebook_code(notebook)).encode("utf-8"))
        _add(archive, f"{name}/README.md", pack_readme(docname, student).encode("utf-8"))
    return buffer.getvalue()


def _write_packs(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    folder = Path(app.outdir) / PACK_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    student = is_student(app.config)
    for docname in sorted(getattr(app.env, "seminar_pack_docs", set())):
        (folder / f"{pack_name(docname, student)}.zip").write_bytes(build_pack(Path(app.srcdir), docname, student))


def setup(app):
    app.setup_extension("book_extensions.editions")
    app.add_directive("seminar-pack", SeminarPackDirective)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("build-finished", _write_packs)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
