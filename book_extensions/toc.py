"""Read the book's table of contents (``_toc.yml``): used by the tests and the nbval plugin."""

from __future__ import annotations

from pathlib import Path

import yaml

CHAPTER_FOLDER = "chapters"


def toc_files(root: Path) -> list[str]:
    """Every file named in ``root/_toc.yml`` (root page first), without suffix."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    found = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                found.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return found


def toc_chapters(root: Path) -> list[Path]:
    """The executable chapters: the table of contents' files under ``chapters/``."""
    return [root / f"{name}.md" for name in toc_files(root) if name.startswith(f"{CHAPTER_FOLDER}/")]


def is_notebook(path: Path) -> bool:
    """A MyST Markdown file that myst-nb will execute: jupytext front matter with a kernelspec."""
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n"):
        return False
    front_matter = yaml.safe_load(text.split("\n---", 1)[0][4:]) or {}
    return "jupytext" in front_matter and "kernelspec" in front_matter


def toc_notebooks(root: Path) -> list[Path]:
    """Every executable page in the table of contents (chapters and reference notebooks)."""
    pages = [root / f"{name}.md" for name in toc_files(root)]
    return [page for page in pages if page.is_file() and is_notebook(page)]
