"""Seminar packs: a zip per chapter with its notebook, the data and the helpers.

A page asks for its pack with the ``{seminar-pack}`` directive, which renders
a download link. When the build finishes, ``packs/<name>.zip`` is written
into the site for every page that asked. A pack unzips into one folder that
runs anywhere with the packages in its ``requirements.txt``::

    <name>/<name>.ipynb    the chapter as a notebook (no outputs)
    <name>/data/           the whole data package: loading any table
                           validates the cross-table links, so every
                           chapter needs all of it
    <name>/nato_russia/    the shared helpers the notebook imports
    <name>/requirements.txt, <name>/README.md

In the student edition the notebook has no solutions and no teaching notes.
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

PACK_FOLDER = "packs"
HELPER_PACKAGE = "nato_russia"
DATA_FOLDER = "data"
FIXED_TIME = (2010, 11, 20, 0, 0, 0)  # the Lisbon NRC summit; any constant would do
PACK_REQUIREMENTS = ("jupyterlab", "jupytext", "pandas", "plotly", "frictionless", "pybtex", "krippendorff")

_FENCE = re.compile(r"^(`{3,}|:{3,})\{([a-z-]+)\}")


def pack_name(docname: str) -> str:
    return PurePosixPath(docname).name


def pack_uri(docname: str) -> str:
    """Where the pack of ``docname`` lives, relative to the site root."""
    return f"{PACK_FOLDER}/{pack_name(docname)}.zip"


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


# --- the directive -----------------------------------------------------------

class SeminarPackDirective(SphinxDirective):
    """``{seminar-pack}``: a download link to this page's seminar pack."""

    has_content = False

    def run(self):
        docname = self.env.docname
        self.env.seminar_pack_docs = getattr(self.env, "seminar_pack_docs", set()) | {docname}
        target = pack_uri(docname)
        depth = len(PurePosixPath(docname).parts) - 1
        href = "../" * depth + target
        link = nodes.reference("", "", nodes.literal(text=f"{pack_name(docname)}.zip"), refuri=href,
                               classes=["seminar-pack-link"])
        paragraph = nodes.paragraph(
            "", "",
            nodes.strong(text="Seminar pack: "), link,
            nodes.Text(" holds this page as a notebook with the course data and helper code; "
                       "unzip it and open the notebook in Jupyter, no clone needed."),
            classes=["seminar-pack"],
        )
        return [paragraph]


def _purge(app, env, docname) -> None:
    getattr(env, "seminar_pack_docs", set()).discard(docname)


def _merge(app, env, docnames, other) -> None:
    env.seminar_pack_docs = getattr(env, "seminar_pack_docs", set()) | (
        getattr(other, "seminar_pack_docs", set()) & set(docnames))


# --- writing the zips --------------------------------------------------------

def _requirements(srcdir: Path) -> str:
    """The pinned lines of the book's requirements.txt that a pack needs."""
    wanted = []
    for line in (srcdir / "requirements.txt").read_text(encoding="utf-8").splitlines():
        name = re.split(r"[=<>\[ ]", line.strip(), maxsplit=1)[0].lower()
        if name in PACK_REQUIREMENTS:
            wanted.append(line.strip())
    return "\n".join(wanted) + "\n"


def _readme(name: str, student: bool) -> str:
    edition = "student" if student else "instructor"
    return (
        f"# Seminar pack: {name}\n\n"
        f"From the course module \"NATO and Russia, 1991–2010\" ({edition} edition).\n\n"
        "1. Install the packages once: `python -m pip install -r requirements.txt`\n"
        f"2. Start Jupyter in this folder: `jupyter lab`, then open `{name}.ipynb`.\n\n"
        "The notebook imports the helpers in `nato_russia/`, which read and validate\n"
        "the tables in `data/` (see `data/datapackage.json` for every column).\n"
        "Text: CC BY 4.0. Code: MIT.\n"
    )


def _add(archive: zipfile.ZipFile, name: str, data: bytes) -> None:
    info = zipfile.ZipInfo(name, date_time=FIXED_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = 0o644 << 16
    archive.writestr(info, data)


def build_pack(srcdir: Path, docname: str, student: bool) -> bytes:
    """The bytes of one seminar pack."""
    name = pack_name(docname)
    source = srcdir / f"{docname}.md"
    notebook = jupytext.read(source)
    if student:
        notebook = strip_instructor_material(notebook)
    notebook.metadata.pop("jupytext", None)  # the pack holds no paired .md
    for number, cell in enumerate(notebook.cells):  # jupytext makes random ids; keep zips reproducible
        cell["id"] = f"cell-{number}"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        _add(archive, f"{name}/{name}.ipynb", nbformat.writes(notebook).encode("utf-8"))
        for path in sorted((srcdir / DATA_FOLDER).rglob("*")):  # data/geo/ holds the map outlines
            if path.is_file() and not path.name.startswith("."):
                _add(archive, f"{name}/{DATA_FOLDER}/{path.relative_to(srcdir / DATA_FOLDER).as_posix()}", path.read_bytes())
        for path in sorted((srcdir / HELPER_PACKAGE).glob("*.py")):
            _add(archive, f"{name}/{HELPER_PACKAGE}/{path.name}", path.read_bytes())
        _add(archive, f"{name}/requirements.txt", _requirements(srcdir).encode("utf-8"))
        _add(archive, f"{name}/README.md", _readme(name, student).encode("utf-8"))
    return buffer.getvalue()


def _write_packs(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    folder = Path(app.outdir) / PACK_FOLDER
    folder.mkdir(parents=True, exist_ok=True)
    for docname in sorted(getattr(app.env, "seminar_pack_docs", set())):
        (folder / f"{pack_name(docname)}.zip").write_bytes(
            build_pack(Path(app.srcdir), docname, is_student(app.config)))


def setup(app):
    app.setup_extension("book_extensions.editions")
    app.add_directive("seminar-pack", SeminarPackDirective)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("build-finished", _write_packs)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
