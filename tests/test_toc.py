"""The table of contents and the chapters agree: every chapter is a real notebook."""

from __future__ import annotations

import subprocess
import sys

from pathlib import Path

import jupytext
import pytest

from book_extensions.toc import toc_chapters as _toc_chapters
from book_extensions.toc import toc_files as _toc_files
from book_extensions.toc import toc_notebooks

ROOT = Path(__file__).resolve().parent.parent


def toc_files():
    return _toc_files(ROOT)


def toc_chapters():
    return _toc_chapters(ROOT)


@pytest.mark.parametrize("name", toc_files())
def test_every_toc_entry_exists(name):
    assert (ROOT / f"{name}.md").is_file(), f"_toc.yml lists {name!r} but {name}.md does not exist"


def test_toc_has_chapters():
    assert toc_chapters(), "_toc.yml lists no file under chapters/"


@pytest.mark.parametrize("path", toc_chapters(), ids=lambda p: p.name)
def test_chapter_is_an_executable_myst_notebook(path):
    """Without jupytext front matter myst-nb renders a .md as plain Markdown and never runs it."""
    text = path.read_text(encoding="utf-8")
    assert text.startswith("---\n"), f"{path.name}: no YAML front matter"
    notebook = jupytext.read(path)
    assert notebook.metadata.get("jupytext", {}).get("text_representation", {}).get("format_name") == "myst", (
        f"{path.name}: front matter must declare jupytext format_name: myst"
    )
    assert notebook.metadata.get("kernelspec", {}).get("name") == "python3", f"{path.name}: no python3 kernelspec"
    assert any(cell.cell_type == "code" for cell in notebook.cells), f"{path.name}: no code cells to execute"


def is_bare(config) -> bool:
    """Whether this session is `pytest` with no paths and nothing deselected (CI's run)."""
    option = config.option
    return (not option.file_or_dir and not option.keyword and not option.markexpr and not option.deselect
            and not getattr(option, "lf", False) and not getattr(option, "failedfirst", False)
            and Path(config.invocation_params.dir).resolve() == ROOT)


def test_bare_pytest_collects_every_toc_chapter(request):
    """`pytest` with no arguments must run each chapter: adding one to the TOC adds its test.

    When this session is such a run, its own collection is the evidence;
    otherwise a bare `pytest --collect-only` runs in a subprocess.
    """
    if is_bare(request.config):
        collected = "\n".join(item.nodeid for item in request.session.items)
    else:
        result = subprocess.run(
            [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
            cwd=ROOT, capture_output=True, text=True,
        )
        assert result.returncode == 0, result.stdout + result.stderr
        collected = result.stdout
    assert set(toc_chapters()) <= set(toc_notebooks(ROOT))
    for chapter in toc_notebooks(ROOT):
        relative = chapter.relative_to(ROOT).as_posix()
        assert f"{relative}::Cell 0" in collected, f"{relative} is in _toc.yml but nbval does not collect it"
    assert "_build/" not in collected, "copies of chapters under _build must not be collected"
