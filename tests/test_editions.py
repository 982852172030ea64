"""Two editions from one source: the student edition leaks no solution and no teaching note.

The instructor edition is the session's ordinary build; the student edition
is built once more with ``BOOK_EDITION=student``. What counts as solution
text is read off the instructor edition (every element sphinx-exercise
renders as a solution, every teaching note), keeping only the sentences that
appear nowhere else on their page, so each check is also shown to find them
in the instructor edition: none can pass by looking at nothing.
"""

from __future__ import annotations

import json
import re
import zipfile
from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

import pytest
from bs4 import BeautifulSoup
from sphinx.search.en import SearchEnglish

from book_extensions.toc import toc_chapters
from support import ROOT, html_pages

pytestmark = pytest.mark.build
INSTRUCTOR_ONLY = ".solution, .teaching-note"
MIN_SENTENCE = 40
MYST_ROLE = re.compile(r"\{[\w:-]+\}`")


def normalise(text: str) -> str:
    return " ".join(text.split())


class PageText(NamedTuple):
    """A built page's text, scripts and styles left out."""

    instructor_only: str  # its solutions and teaching notes
    rest: str             # the page without them
    whole: str


@lru_cache(maxsize=None)
def page_text(path: Path) -> PageText:
    """Parsed once per page: several tests read the same built pages."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    for element in soup.select("script, style"):
        element.decompose()
    whole = normalise(soup.get_text(" "))
    hidden = [element.extract() for element in soup.select(INSTRUCTOR_ONLY)]
    return PageText(" ".join(element.get_text(" ") for element in hidden), normalise(soup.get_text(" ")), whole)


def instructor_only_sentences(html_dir: Path) -> dict[str, set[str]]:
    """Per page, sentences of solutions and teaching notes that the rest of the page lacks."""
    found = {}
    for path in html_pages(html_dir):
        hidden, rest, _ = page_text(path)
        sentences = {normalise(s) for s in re.split(r"(?<=[.!?])\s+|\n", hidden)}
        unique = {s for s in sentences if len(s) >= MIN_SENTENCE and s not in rest}
        if unique:
            found[path.relative_to(html_dir).as_posix()] = unique
    return found


@pytest.fixture(scope="module")
def secrets(built_book) -> dict[str, set[str]]:
    return instructor_only_sentences(built_book.html)


def test_instructor_edition_has_solutions_and_teaching_notes(built_book, secrets):
    chapters = [f"{p.relative_to(ROOT).with_suffix('').as_posix()}.html" for p in toc_chapters(ROOT)]
    assert all(chapter in secrets for chapter in chapters), set(chapters) - set(secrets)
    notes = [page for page in secrets if page.startswith("seminar/")]
    assert len(notes) >= 9, f"teaching notes found on only {notes}"


def test_student_edition_builds_cleanly(student_book):
    assert "WARNING:" not in student_book.log and "ERROR:" not in student_book.log, student_book.log[-4000:]


def test_no_solution_text_in_student_pages(student_book, secrets):
    leaks = []
    for page, sentences in secrets.items():
        text = page_text(student_book.html / page).whole
        leaks += [f"{page}: {s[:80]}" for s in sentences if s in text]
    assert not leaks, "\n".join(leaks[:20])


def test_student_pages_keep_exercises_but_no_solution_elements(student_book):
    for chapter in toc_chapters(ROOT):
        page = student_book.html / chapter.relative_to(ROOT).with_suffix(".html")
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        assert len(soup.select(".exercise")) >= 3, f"{page.name}: exercises lost"
        assert not soup.select(INSTRUCTOR_ONLY), f"{page.name}: a solution or teaching note survived"


@lru_cache(maxsize=4)
def search_terms(html_dir: Path) -> frozenset[str]:
    text = (html_dir / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1: text.rindex(")")])
    return frozenset(index["terms"])


def stems(text: str) -> set[str]:
    search = SearchEnglish({})
    return {search.stem(word.lower()) for word in re.findall(r"\w+", text)}


def test_search_index_has_no_word_found_only_in_solutions(built_book, student_book):
    """Words that occur only inside solutions or notes are in the instructor index, never the student one."""
    everywhere_else, hidden = set(), set()
    for path in html_pages(built_book.html):
        text = page_text(path)
        hidden |= stems(text.instructor_only)
        everywhere_else |= stems(text.rest)
    # Numbers and HTML-entity fragments ("209" from a press-release URL, "gt") are not words a solution
    # could give away; count only alphabetic words of three letters or more.
    only_hidden = {word for word in hidden - everywhere_else if word.isalpha() and len(word) >= 3}
    instructor, student = search_terms(built_book.html), search_terms(student_book.html)
    assert len(only_hidden & instructor) >= 50, "the check would find no leak: too few solution-only words"
    leaked = sorted(only_hidden & student)
    assert not leaked, f"solution-only words in the student search index: {leaked[:30]}"


def test_student_edition_has_no_sources_and_no_download_button(built_book, student_book):
    assert (built_book.html / "_sources" / "chapters" / "timeline.ipynb").is_file()
    assert not (student_book.html / "_sources").exists()
    instructor_page = (built_book.html / "chapters" / "timeline.html").read_text(encoding="utf-8")
    student_page = (student_book.html / "chapters" / "timeline.html").read_text(encoding="utf-8")
    assert "download-notebook-button" in instructor_page and "download-source-button" in instructor_page
    assert "download-notebook-button" not in student_page and "download-source-button" not in student_page
    assert "Student edition" in student_page and "Student edition" not in instructor_page


def notebook_text(pack: Path) -> str:
    with zipfile.ZipFile(pack) as archive:
        name = next(n for n in archive.namelist() if n.endswith(".ipynb"))
        notebook = json.loads(archive.read(name))
    return normalise(" ".join("".join(cell["source"]) for cell in notebook["cells"]))


def contains_line(text: str, line: str) -> bool:
    """``line`` in ``text`` as a whole run of words (``all_quarters = …`` is not in ``my_all_quarters = …``)."""
    return re.search(r"(?<![\w.])" + re.escape(line) + r"(?![\w])", text) is not None


def exercise_headings(text: str) -> list[str]:
    """The numbered exercise headings of a notebook edition ("### Exercise 4.1")."""
    return re.findall(r"#+ Exercise \d+\.\d+", text)


def source_solution_lines(markdown: str) -> set[str]:
    """Lines inside solution blocks and teaching notes of a MyST source, found independently of the packer."""
    lines, inside, found = markdown.split("\n"), None, set()
    metadata, after_cell_fence = False, False  # a code cell's YAML options go to its metadata, not its source
    for line in lines:
        if after_cell_fence and line == "---":
            metadata, after_cell_fence = True, False
            continue
        after_cell_fence = line.startswith("```{code-cell}")
        if metadata:
            metadata = line != "---"
            continue
        if inside is None:
            if re.match(r"`{3,}\{solution-start\}", line):
                inside = "gated"
            elif re.match(r"`{3}\{solution\}", line) or line.startswith("```{admonition} Teaching note"):
                inside = "plain"
            continue
        if (inside == "gated" and re.match(r"`{3,}\{solution-end\}", line)) or (inside == "plain" and line == "```"):
            inside = None
            continue
        # Lines with MyST roles (citations, glue, cross-references) read differently in the notebook edition.
        if len(line.strip()) >= MIN_SENTENCE and not line.startswith(":") and not MYST_ROLE.search(line):
            found.add(normalise(line))
    # A gated solution runs from its -start to its -end; a plain one to its closing fence (a plain {solution} must
    # not start a match that runs on to a later -end, swallowing the exercises in between).
    outside = normalise(re.sub(r"`{3,}\{solution-start\}.*?`{3,}\{solution-end\}\n`{3,}|```\{solution\}.*?\n```\n", "", markdown, flags=re.S))
    return {line for line in found if line not in outside}


@pytest.mark.parametrize("chapter", toc_chapters(ROOT), ids=lambda p: p.name)
def test_student_seminar_pack_has_no_solutions(built_book, student_book, chapter):
    name = chapter.stem
    secret_lines = source_solution_lines(chapter.read_text(encoding="utf-8"))
    assert len(secret_lines) >= 3, f"{chapter.name}: found too few solution lines to check"
    instructor = notebook_text(built_book.html / "packs" / f"{name}-instructor.zip")
    student = notebook_text(student_book.html / "packs" / f"{name}.zip")
    assert all(contains_line(instructor, line) for line in secret_lines)
    leaked = [line for line in secret_lines if contains_line(student, line)]
    assert not leaked, leaked[:5]
    assert exercise_headings(student) == exercise_headings(instructor) != []
