"""Regenerate the paired ``.ipynb`` of every MyST notebook whose text changed, and nothing else.

    python tools/sync_notebooks.py          # write the notebooks that are out of date
    python tools/sync_notebooks.py --check  # only list them; exit 1 if any

Each notebook in ``_toc.yml`` has a paired ``.ipynb`` (no outputs) for Colab
and Binder. This does what ``jupytext --to ipynb --update`` does (cell ids
and the ``.md`` itself are kept as they are), but compares contents, not
timestamps: a notebook whose ``.md`` did not change is not rewritten, and no
``.md`` is touched. ``jupytext`` on the command line also stamps each ``.md``
with the current time (for its Jupyter contents manager), which makes the
next book build re-read and re-execute every chapter.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import jupytext
from jupytext.combine import combine_inputs_with_outputs

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from book_extensions.toc import toc_notebooks  # noqa: E402


def paired_text(source: Path) -> str:
    """What ``jupytext --to ipynb --update`` would write for ``source``."""
    notebook = jupytext.read(source)
    paired = source.with_suffix(".ipynb")
    if paired.is_file():
        text_format = {"extension": source.suffix,
                       "format_name": notebook.metadata["jupytext"]["text_representation"]["format_name"]}
        notebook = combine_inputs_with_outputs(notebook, jupytext.read(paired), fmt=text_format)
    text = jupytext.writes(notebook, fmt="ipynb")
    return text if text.endswith("\n") else text + "\n"


def out_of_date(root: Path) -> dict[Path, str]:
    """Paired notebooks whose content differs from their ``.md``, with their new content."""
    stale = {}
    for source in toc_notebooks(root):
        paired = source.with_suffix(".ipynb")
        text = paired_text(source)
        if not paired.is_file() or paired.read_text(encoding="utf-8") != text:
            stale[paired] = text
    return stale


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="list out-of-date notebooks; write nothing")
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root (default: this checkout)")
    args = parser.parse_args()
    stale = out_of_date(args.root)
    for paired, text in stale.items():
        if not args.check:
            paired.write_text(text, encoding="utf-8")
        print(("out of date: " if args.check else "updated ") + str(paired.relative_to(args.root)))
    if not stale:
        print("every paired notebook matches its .md")
    return 1 if args.check and stale else 0


if __name__ == "__main__":
    sys.exit(main())
