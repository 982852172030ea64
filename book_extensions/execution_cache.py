"""Where the executed notebooks are kept between builds, and how that cache is looked after.

myst-nb keeps executed notebooks in jupyter-cache (``execute_notebooks:
cache``), which matches a notebook by its code cells only. The cache lives
in a folder named after a fingerprint of everything else a chapter's code
reads (``data/``, the ``nato_russia`` helpers, the pinned requirements), so
an edit to prose re-executes nothing, an edit to a chapter's code
re-executes that chapter, and an edit to the data or the helpers starts a
fresh folder. ``$COURSE_EXECUTION_CACHE`` puts the folders elsewhere, so
that two builds of the same sources (the instructor and the student
edition) execute each chapter once.

Nothing a build has not replaced is thrown away: folders of other
fingerprints are removed only when a build has *succeeded* with a new one,
so a build that stops on a typo in ``events.csv`` leaves the last good
cache, and fixing the typo executes nothing. A damaged cache is found
before any chapter runs: an executed notebook that cannot be read is
removed from the cache (its chapter runs again); a damaged ``global.db``,
which cannot be mended, stops the build with the folder to delete.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
from pathlib import Path

from .stop import stop_build

EXECUTION_CACHE_ENV_VAR = "COURSE_EXECUTION_CACHE"
HELPER_FOLDER = "nato_russia"
FINGERPRINT_LENGTH = 16


def files_in(folder: Path) -> list[Path]:
    """Every file below ``folder`` (subfolders such as data/geo/ included), hidden files excepted."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts))


def book_data_folder(srcdir: Path) -> Path:
    """The data the chapters will load: ``$NATO_RUSSIA_DATA`` if set, else the book's ``data/``."""
    from nato_russia.data import DATA_ENV_VAR

    return Path(os.environ.get(DATA_ENV_VAR) or srcdir / "data")


def execution_fingerprint(srcdir: Path) -> str:
    """A hash of what the chapters' code reads besides its cells: data, helpers, pinned requirements."""
    digest = hashlib.sha256()
    data = book_data_folder(srcdir)
    inputs = [*(("data", path) for path in files_in(data)),
              *((HELPER_FOLDER, path) for path in sorted((srcdir / HELPER_FOLDER).glob("*.py"))),
              *(("", path) for path in [srcdir / "requirements.txt"] if path.is_file())]
    for folder, path in inputs:
        name = path.relative_to(data if folder == "data" else srcdir / folder).as_posix()
        digest.update(f"{folder}/{name}".encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()[:FINGERPRINT_LENGTH]


def cache_base(app) -> Path:
    return Path(os.environ.get(EXECUTION_CACHE_ENV_VAR) or Path(app.outdir).parent / ".jupyter_cache")


def configure(app, config) -> None:
    """Point myst-nb's jupyter-cache at the folder of the current fingerprint (``config-inited``)."""
    if config.nb_execution_mode == "cache":
        config.nb_execution_cache_path = str(cache_base(app) / execution_fingerprint(Path(app.srcdir)))


def check(app) -> None:
    """Before any chapter runs (``builder-inited``): a damaged cache is mended or named."""
    if app.config.nb_execution_mode != "cache":
        return
    folder = Path(app.config.nb_execution_cache_path)
    database = folder / "global.db"
    if database.exists():
        problem = _database_problem(database)
        if problem:
            stop_build("The book was not built: its execution cache (the chapters' executed notebooks) is damaged.",
                       f"{database}: {problem}: expected a SQLite database written by jupyter-cache.\n"
                       f"Delete the folder {folder} and build again: every chapter then runs once more "
                       "(about a minute); nothing else is lost.")
    for notebook in sorted(folder.glob("executed/*/base.ipynb")):
        if not _readable_notebook(notebook):
            _forget(folder, notebook)


def _database_problem(database: Path) -> str | None:
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as connection:
            verdict = connection.execute("PRAGMA quick_check").fetchone()[0]
            connection.execute("SELECT count(*) FROM nbcache").fetchone()
    except sqlite3.Error as error:
        return f"SQLite cannot read it ({error})"
    return None if verdict == "ok" else f"SQLite's integrity check says {verdict!r}"


def _readable_notebook(path: Path) -> bool:
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        return False
    return isinstance(notebook, dict) and isinstance(notebook.get("cells"), list)


def _forget(folder: Path, notebook: Path) -> None:
    """Remove an unreadable executed notebook and its record: its chapter simply runs again."""
    from jupyter_cache import get_cache
    from sphinx.util import logging

    cache = get_cache(folder)
    hashkey = notebook.parent.name
    records = [record for record in cache.list_cache_records() if record.hashkey == hashkey]
    for record in records:
        cache.remove_cache(record.pk)
    shutil.rmtree(notebook.parent, ignore_errors=True)
    logging.getLogger(__name__).info(
        f"execution cache: {notebook.relative_to(folder)} could not be read; removed, so its chapter runs again")


def remove_superseded(app, exception) -> None:
    """After a successful build (``build-finished``), the folders of other fingerprints are no longer needed."""
    if exception is not None or app.config.nb_execution_mode != "cache":
        return
    current = Path(app.config.nb_execution_cache_path)
    if current.parent.is_dir():
        for old in current.parent.iterdir():
            if old.is_dir() and old != current and len(old.name) == FINGERPRINT_LENGTH:
                shutil.rmtree(old, ignore_errors=True)
