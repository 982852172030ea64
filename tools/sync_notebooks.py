"""Rewrite the committed ``.ipynb`` of every MyST notebook whose notebook edition changed, and nothing else.

    python tools/sync_notebooks.py                    # write the notebooks that are out of date
    python tools/sync_notebooks.py --check            # only list them; exit 1 if any
    python tools/sync_notebooks.py --executed /tmp/me-build/_build/jupyter_execute

Each notebook in ``_toc.yml`` has a ``.ipynb`` beside it (no outputs) for
Colab and Binder: its notebook edition (``book_extensions/notebook_edition.py``),
which reads like the book in any Jupyter without extensions. The ``.md`` is
the only source; the ``.ipynb`` is no jupytext pair and is never edited by
hand. The instructor edition is committed (solutions folded), as the
published book shows them and as the public ``.md`` holds them; every code
cell is kept, in order.

The values pasted into the text (``{glue:text}``) are the ones the book
computed: read from a build's executed notebooks (``--executed``, by
default ``_build/jupyter_execute``) when that build ran the page's current
code, else kept from the committed ``.ipynb`` when the page's code has not
changed since (editing prose needs no build). When neither holds, build the
book first and pass its ``jupyter_execute`` folder. No ``.md`` is touched.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jupytext
import nbformat

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from book_extensions.notebook_edition import (INSTRUCTOR, METADATA_KEY, NotebookEditionError,  # noqa: E402
                                              code_fingerprint, notebook_text, read_glue_file, render_notebook,
                                              with_other_pages)
from book_extensions.toc import toc_notebooks  # noqa: E402

BUILD_HINT = ("build the book (jupyter-book build . --path-output /tmp/NAME-build), then run "
              "`python tools/sync_notebooks.py --executed /tmp/NAME-build/_build/jupyter_execute`")


def glue_for(source: Path, root: Path, executed: list[Path]) -> tuple[dict[str, str], str]:
    """The glue values for ``source`` (from an execution of its current code), and that code's fingerprint."""
    myst = jupytext.read(source)
    fingerprint = code_fingerprint(myst)
    docname = source.relative_to(root).with_suffix("").as_posix()
    for folder in executed:
        ran = folder / f"{docname}.ipynb"
        if ran.is_file() and code_fingerprint(nbformat.read(ran, as_version=4)) == fingerprint:
            glue_file = folder / f"{docname}.glue.json"
            return (read_glue_file(glue_file) if glue_file.is_file() else {}), fingerprint
    committed = source.with_suffix(".ipynb")
    if committed.is_file():
        record = nbformat.read(committed, as_version=4).metadata.get(METADATA_KEY, {})
        if record.get("code_sha256") == fingerprint:
            return dict(record.get("glue", {})), fingerprint
    if "{glue" not in source.read_text(encoding="utf-8"):
        return {}, fingerprint
    raise NotebookEditionError(f"{source.relative_to(root)}: its code changed since the values in its text were "
                               f"computed, and no build ran the new code: {BUILD_HINT}")


def edition_text(source: Path, root: Path, executed: list[Path] = ()) -> str:
    """The committed notebook ``source`` should have: its instructor notebook edition, with what it was made from."""
    glue, fingerprint = glue_for(source, root, executed)
    glue = with_other_pages(glue, source, root, lambda docname: glue_for(root / f"{docname}.md", root, executed)[0])
    notebook = render_notebook(source, INSTRUCTOR, glue)
    notebook.metadata[METADATA_KEY] = {"source": source.relative_to(root).as_posix(), "edition": INSTRUCTOR,
                                       "code_sha256": fingerprint, "glue": dict(sorted(glue.items()))}
    return notebook_text(notebook)


def out_of_date(root: Path, executed: list[Path] = ()) -> dict[Path, str]:
    """Committed notebooks whose content differs from their ``.md``'s notebook edition, with their new content.

    ``executed``: builds' ``jupyter_execute`` folders, first match first (default: ``ROOT/_build/jupyter_execute``).
    """
    root = Path(root).resolve()
    executed = list(executed) or [folder for folder in [root / "_build" / "jupyter_execute"] if folder.is_dir()]
    stale = {}
    for source in toc_notebooks(root):
        committed = source.with_suffix(".ipynb")
        text = edition_text(source, root, executed)
        if not committed.is_file() or committed.read_text(encoding="utf-8") != text:
            stale[committed] = text
    return stale


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="list out-of-date notebooks; write nothing")
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root (default: this checkout)")
    parser.add_argument("--executed", type=Path, action="append", default=[],
                        help="a build's jupyter_execute folder (default: ROOT/_build/jupyter_execute); may be repeated")
    args = parser.parse_args()
    try:
        stale = out_of_date(args.root, args.executed)
    except NotebookEditionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for paired, text in stale.items():
        if not args.check:
            paired.write_text(text, encoding="utf-8")
        print(("out of date: " if args.check else "updated ") + str(paired.relative_to(args.root.resolve())))
    if not stale:
        print("every committed notebook matches its .md")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
