"""Every chapter keeps the parts a course book needs, so none can quietly drop them."""

from __future__ import annotations

import re

import jupytext
import pytest

from book_extensions.toc import toc_chapters
from support import ROOT

CHAPTERS = toc_chapters(ROOT)
REQUIRED_SECTIONS = ["## Summary", "## Discussion questions", "## References"]


def source(path) -> str:
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_opens_with_label_title_and_learning_objectives(path):
    text = source(path)
    body = text.split("\n---\n", 1)[1]
    assert re.match(r"\s*\(chapter-[a-z-]+\)=\n# ", body), f"{path.name}: needs a (chapter-...)= label then the title"
    assert ":class: tip" in body and "Learning objectives" in body.split("\n## ", 1)[0], (
        f"{path.name}: learning objectives must come before the first section"
    )


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_has_at_least_two_captioned_figures(path):
    notebook = jupytext.read(path)
    captioned = [
        cell for cell in notebook.cells
        if cell.cell_type == "code" and cell.metadata.get("mystnb", {}).get("figure", {}).get("caption")
        and cell.metadata["mystnb"]["figure"].get("name", "").startswith("fig-")
    ]
    assert len(captioned) >= 2, f"{path.name}: {len(captioned)} captioned figure cells, need at least 2"


MIN_EXERCISES_PER_CHAPTER = 4
MIN_EXERCISES_IN_BOOK = 44


def exercise_labels(text: str) -> list[str]:
    """Labels of a chapter's exercises, plain and gated, in order of appearance."""
    return re.findall(r"^````?\{exercise(?:-start)?\}\n:label: (\S+)", text, re.M)


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_has_four_exercises_each_with_a_hidden_solution(path):
    text = source(path)
    exercises = exercise_labels(text)
    gated = re.findall(r"````?\{exercise-start\}\n:label: (\S+)", text)
    assert len(exercises) >= MIN_EXERCISES_PER_CHAPTER, (
        f"{path.name}: {len(exercises)} exercises, need at least {MIN_EXERCISES_PER_CHAPTER}"
    )
    assert gated, f"{path.name}: needs a coding exercise (gated exercise-start with a code solution)"
    for label in gated:
        solution = re.search(r"````\{solution-start\} " + re.escape(label) + r"\n:class: dropdown\n````\n(.*?)````\{solution-end\}",
                             text, re.S)
        assert solution and "```{code-cell}" in solution.group(1), f"{path.name}: coding exercise {label} needs a code solution"
    for label in exercises:
        match = re.search(r"````?\{solution(?:-start)?\} " + re.escape(label) + r"\n:class: dropdown", text)
        assert match, f"{path.name}: exercise {label} has no solution in a dropdown"
    bodies = re.findall(r"```\{exercise\}\n:label: \S+\n(.*?)\n```\n", text, re.S)
    assert any(re.search(r"`(matser2001|amo2010)`", body) for body in bodies), (
        f"{path.name}: needs a source-analysis exercise citing a seed document"
    )


def test_book_has_enough_exercises_and_every_label_is_unique():
    labels = [label for path in CHAPTERS for label in exercise_labels(source(path))]
    assert len(labels) >= MIN_EXERCISES_IN_BOOK, f"{len(labels)} exercises in the book, need at least {MIN_EXERCISES_IN_BOOK}"
    repeated = sorted({label for label in labels if labels.count(label) > 1})
    assert not repeated, f"exercise labels used more than once: {repeated}"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_chapter_has_summary_discussion_and_bibliography(path):
    text = source(path)
    for heading in REQUIRED_SECTIONS:
        assert f"\n{heading}\n" in text, f"{path.name}: missing '{heading}'"
    assert text.rstrip().endswith("```{footbibliography}\n```"), f"{path.name}: must end with its bibliography"
    assert "{footcite" in text, f"{path.name}: cites nothing"


@pytest.mark.parametrize("path", CHAPTERS, ids=lambda p: p.name)
def test_set_up_is_hidden_but_analysis_is_not(path):
    code_cells = [cell for cell in jupytext.read(path).cells if cell.cell_type == "code"]
    tags = [set(cell.metadata.get("tags", [])) for cell in code_cells]
    assert "hide-input" in tags[0], f"{path.name}: the first (set-up) cell should be tagged hide-input"
    hidden = sum(bool(t & {"hide-input", "remove-input", "remove-cell"}) for t in tags[1:])
    assert hidden <= len(code_cells) // 3, f"{path.name}: too much analysis hidden ({hidden} cells)"
