"""The course data at build time: checked before any chapter runs, and a dependency of every page that runs code.

* ``data/`` is validated when the builder starts, before any chapter
  executes: a malformed file (a bad cell, a file in another encoding, an
  empty or cut-off CSV, a broken ``datapackage.json`` or ``references.bib``)
  stops the build with the loader's message, last (file, line, field, value,
  what a valid value looks like), and exit code 2, instead of a traceback
  from deep inside the first notebook that loads it. So does a table that
  the chapters or the helpers load but ``datapackage.json`` no longer
  declares. A stamp in the doctree folder skips the check while neither the
  data nor the loader has changed, so no-change rebuilds stay fast.
* Every page that runs code depends on the files in ``data/`` and on the
  helpers: editing a CSV makes Sphinx re-read those pages, so published
  figures can never be drawn from stale data.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from .execution_cache import HELPER_FOLDER, book_data_folder, files_in
from .stop import stop_build
from .toc import toc_notebooks

VALIDATED_STAMP = "course-data-validated.sha256"
# How the chapters and the helpers name the tables they load.
LOADS_TABLE = re.compile(r"""load_table\(\s*["'](\w+)["']""")
LOADERS = {"load_events(": "events", "load_epilogue(": "epilogue"}


def note_data_dependencies(app, docname: str, source: list[str]) -> None:
    """Every page that runs code (chapters, sessions, handouts, the codebook) depends on the data and the helpers."""
    if "```{code-cell}" in source[0]:
        srcdir = Path(app.srcdir)
        for path in [*files_in(srcdir / "data"), *sorted((srcdir / HELPER_FOLDER).glob("*.py"))]:
            app.env.note_dependency(str(path))


def tables_loaded(srcdir: Path) -> dict[str, str]:
    """Each table the book's notebooks and helpers load, with the first file that loads it."""
    found: dict[str, str] = {}
    for path in [*toc_notebooks(srcdir), *sorted((srcdir / HELPER_FOLDER).glob("*.py"))]:
        text = path.read_text(encoding="utf-8")
        names = LOADS_TABLE.findall(text) + [table for call, table in LOADERS.items() if call in text]
        for name in names:
            found.setdefault(name, path.relative_to(srcdir).as_posix())
    return found


def data_fingerprint(folder: Path, srcdir: Path) -> str:
    """A hash of the data files, of the loader that validates them and of the sources that name the tables."""
    from nato_russia import data, reading

    digest = hashlib.sha256()
    for path in [*files_in(folder), Path(data.__file__), Path(reading.__file__),
                 *toc_notebooks(srcdir), *sorted((srcdir / HELPER_FOLDER).glob("*.py"))]:
        digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def validate(app) -> None:
    """Validate the data once per change of their content (``builder-inited``; a stamp remembers)."""
    from nato_russia.data import DataValidationError, validate_all

    srcdir = Path(app.srcdir)
    folder = book_data_folder(srcdir)
    stamp = Path(app.doctreedir) / VALIDATED_STAMP
    fingerprint = data_fingerprint(folder, srcdir)
    if stamp.is_file() and stamp.read_text(encoding="utf-8") == fingerprint:
        return
    found = validate_all(folder)
    problems = [problem for listed in found.values() for problem in listed]
    if "datapackage.json" not in found:
        declared = set(found) - {"references.bib"}
        problems += [f"datapackage.json: no table {name!r} is declared, but {where} loads it: expected a resource "
                     f"named {name!r} (restore datapackage.json from the repository)"
                     for name, where in sorted(tables_loaded(srcdir).items()) if name not in declared]
    if problems:
        stop_build(f"The book was not built: the course data in {folder} do not match data/datapackage.json.",
                   str(DataValidationError(problems)))
    stamp.parent.mkdir(parents=True, exist_ok=True)
    stamp.write_text(fingerprint, encoding="utf-8")
