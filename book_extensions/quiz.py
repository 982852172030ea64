"""Self-check quizzes at the end of the chapters, for readers of the published book (no kernel needed).

The questions live in ``data/quiz_questions.csv`` (declared in
``data/datapackage.json``, explained in the data codebook), never in code:

* ``{quiz} <chapter-id>`` (a Sphinx directive) renders a chapter's questions
  as HTML forms: one ``<fieldset>`` with a ``<legend>`` per question, radio
  buttons or a text box for a number, a Check button, and a live region where
  ``static/quiz.js`` writes the feedback (right or not, the note on the chosen
  option, the explanation and its sources). The script and ``static/quiz.css``
  are added to the pages that have a quiz only; the page carries no inline
  script or event handler, so a strict Content-Security-Policy can forbid them.
* ``quiz_markdown(chapter_id)`` gives the same quiz as plain Markdown, with
  each answer in a ``<details>`` element, for notebooks that have no book around them.
* ``quiz_problems()`` checks what the table's schema cannot: that an answer
  letter names an option, that a number question has a number, that each
  option has its note, that a chapter's questions are numbered 1, 2, 3… and
  that each chapter asks at least five, on its history and on its figures.
  The build stops on any of them with file, line, field and value.
"""

from __future__ import annotations

import csv
import html
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from sphinx.util.docutils import SphinxDirective

TABLE = "quiz_questions"
FILE_NAME = "quiz_questions.csv"
LETTERS = "ABCDEF"
MIN_QUESTIONS = 5
STATIC = Path(__file__).resolve().parent / "static"
SCRIPT, STYLE = "quiz.js", "quiz.css"
QUIZ_CLASS = "course-quiz"


@dataclass(frozen=True)
class Question:
    chapter: str
    number: int
    kind: str  # "choice" or "number"
    topic: str  # "history", "figure" or "method"
    question: str
    answer: str  # an option's letter, or a whole number
    explanation: str
    options: list[str] = field(default_factory=list)
    option_notes: list[str] = field(default_factory=list)
    figure: str = ""
    sources: list[str] = field(default_factory=list)

    @property
    def element_id(self) -> str:
        return f"quiz-{self.chapter.replace('_', '-')}-{self.number}"

    @property
    def right_option(self) -> str:
        return self.options[LETTERS.index(self.answer)] if self.kind == "choice" else self.answer


def _text(value) -> str:
    import pandas as pd

    return "" if pd.isna(value) else str(value)


def _lines(folder: Path) -> dict[tuple[str, str], int]:
    """The line each (chapter, number) row starts on, counting a quoted line break as the file does."""
    text = (folder / FILE_NAME).read_text(encoding="utf-8-sig")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    reader.fieldnames  # reads the header: line_num is then 1
    lines, start = {}, reader.line_num + 1
    for row in reader:
        lines[(row["chapter"], row["number"])] = start
        start = reader.line_num + 1
    return lines


def all_questions(folder: Path | None = None) -> list[Question]:
    """Every question, validated by the course loader (raises ``DataValidationError`` on a bad table)."""
    from nato_russia import load_table

    frame = load_table(TABLE, folder)
    return [
        Question(chapter=str(row.chapter), number=int(row.number), kind=str(row.kind), topic=str(row.topic),
                 question=_text(row.question), answer=_text(row.answer), explanation=_text(row.explanation),
                 options=list(row.options), option_notes=list(row.option_notes), figure=_text(row.figure),
                 sources=list(row.sources))
        for row in frame.itertuples(index=False)
    ]


def _row_problems(question: Question) -> list[tuple[str, str]]:
    """(field, what is wrong) for one question."""
    found = []
    if question.kind == "choice":
        letters = LETTERS[:len(question.options)]
        if len(question.options) < 2:
            found.append(("options", f"{len(question.options)} option given: expected at least 2, separated by |"))
        if len(question.options) > len(LETTERS):
            found.append(("options", f"{len(question.options)} options given: expected at most {len(LETTERS)}"))
        if question.answer not in letters:
            found.append(("answer", f"{question.answer!r} is not the letter of an option: expected one of {', '.join(letters)}"))
        if question.option_notes and len(question.option_notes) != len(question.options):
            found.append(("option_notes", f"{len(question.option_notes)} notes for {len(question.options)} options: "
                                          "expected one note per option, in the same order, separated by |"))
    else:
        if not question.answer.lstrip("-").isdigit():
            found.append(("answer", f"{question.answer!r} is not a number: expected a whole number, e.g. 1997"))
        if question.options or question.option_notes:
            found.append(("options" if question.options else "option_notes",
                          "a number question has no options: expected the field empty"))
    return found


def quiz_problems(folder: Path | None = None) -> list[str]:
    """Every problem the schema cannot see, as ``quiz_questions.csv, line N, field 'f': …`` lines."""
    from nato_russia import data_dir

    folder = folder or data_dir()
    questions = all_questions(folder)
    lines = _lines(folder)
    problems = []
    for question in questions:
        line = lines.get((question.chapter, str(question.number)), "?")
        problems += [f"{FILE_NAME}, line {line}, field '{name}': {what}" for name, what in _row_problems(question)]
    chapters = {}
    for question in questions:
        chapters.setdefault(question.chapter, []).append(question)
    for chapter, asked in chapters.items():
        numbers = [q.number for q in asked]
        if numbers != list(range(1, len(numbers) + 1)):
            problems.append(f"{FILE_NAME}, chapter '{chapter}', field 'number': {numbers} "
                            f"expected the rows numbered 1 to {len(numbers)}, in order")
        if len(asked) < MIN_QUESTIONS:
            problems.append(f"{FILE_NAME}, chapter '{chapter}': {len(asked)} questions: expected at least {MIN_QUESTIONS}")
        if not any(q.topic == "figure" for q in asked):
            problems.append(f"{FILE_NAME}, chapter '{chapter}', field 'topic': no 'figure' question: "
                            "expected at least one question on reading the chapter's figures")
        if not any(q.sources for q in asked):
            problems.append(f"{FILE_NAME}, chapter '{chapter}', field 'sources': no question cites a source: "
                            "expected at least one question on the history, with its sources")
    return problems


def chapter_questions(chapter_id: str, folder: Path | None = None) -> list[Question]:
    questions = [q for q in all_questions(folder) if q.chapter == chapter_id]
    if not questions:
        raise ValueError(f"{FILE_NAME}: no question for chapter {chapter_id!r}: expected rows whose chapter is "
                         f"{chapter_id!r} (the name of the chapter's file without .md)")
    return sorted(questions, key=lambda q: q.number)


def sources_line(keys: list[str]) -> str:
    """The works a question rests on, as the figures' hover texts name them."""
    from nato_russia.citations import source_label

    return "; ".join(source_label(key) for key in keys)


# --- HTML -------------------------------------------------------------------------------------------------------

def _e(text: str) -> str:
    return html.escape(text, quote=True)


CODE_SPAN = re.compile(r"`([^`]+)`")  # `events.head()` in a question is code, shown as code


def _inline(text: str) -> str:
    """Escaped text in which each `code span` becomes <code>."""
    parts = CODE_SPAN.split(text)
    return "".join(_e(part) if index % 2 == 0 else f"<code>{_e(part)}</code>" for index, part in enumerate(parts))


def question_html(question: Question) -> str:
    qid = question.element_id
    parts = [f'<form class="course-quiz-question" id="{qid}" data-kind="{question.kind}" '
             f'data-answer="{_e(question.answer)}" data-right="{_e(question.right_option)}" novalidate>',
             "<fieldset>",
             f'<legend><span class="course-quiz-number">Question {question.number}.</span> {_inline(question.question)}</legend>']
    if question.figure:
        parts.append(f'<p class="course-quiz-figure">Read it off the figure <a href="#{_e(question.figure)}">above</a>.</p>')
    if question.kind == "choice":
        parts.append('<div class="course-quiz-options">')
        for index, option in enumerate(question.options):
            letter = LETTERS[index]
            note = question.option_notes[index] if question.option_notes else ""
            parts.append(
                f'<div class="course-quiz-option"><input type="radio" name="{qid}" id="{qid}-{letter.lower()}" '
                f'value="{letter}" data-note="{_e(note.replace("`", ""))}"><label for="{qid}-{letter.lower()}">'
                f'<span class="course-quiz-letter">{letter}.</span> {_inline(option)}</label></div>')
        parts.append("</div>")
    else:
        parts.append(f'<p class="course-quiz-entry"><label for="{qid}-answer">Your answer (a number)</label> '
                     f'<input type="text" inputmode="numeric" autocomplete="off" class="course-quiz-answer" '
                     f'id="{qid}-answer" name="{qid}"></p>')
    parts.append('<button type="submit" class="course-quiz-check">Check</button>')
    parts.append('<div class="course-quiz-feedback" role="status" aria-live="polite"></div>')
    parts.append(f'<div class="course-quiz-explanation" hidden><p>{_inline(question.explanation)}</p>')
    if question.sources:
        parts.append(f'<p class="course-quiz-sources">Sources: {_e(sources_line(question.sources))}</p>')
    parts.append("</div></fieldset></form>")
    return "\n".join(parts)


def quiz_html(chapter_id: str, folder: Path | None = None) -> str:
    questions = chapter_questions(chapter_id, folder)
    return (f'<div class="{QUIZ_CLASS}" data-chapter="{_e(chapter_id)}">\n'
            '<p class="course-quiz-intro">Choose or type an answer and press Check (or Enter): the feedback '
            'appears under the question. Nothing is recorded.</p>\n'
            + "\n".join(question_html(q) for q in questions) + "\n</div>\n")


# --- Markdown ---------------------------------------------------------------------------------------------------

def _md(text: str) -> str:
    """Text with Markdown's and HTML's special characters escaped, so data never becomes markup; `code spans` kept."""
    parts = CODE_SPAN.split(text)
    return "".join(_md_plain(part) if index % 2 == 0 else f"`{part}`" for index, part in enumerate(parts))


def _md_plain(text: str) -> str:
    text = html.escape(text, quote=False)
    for char in "\\`*_[]#|":
        text = text.replace(char, "\\" + char)
    return text


def quiz_markdown(chapter_id: str, folder: Path | None = None) -> str:
    """A chapter's quiz as plain Markdown: numbered questions, options as a list, each answer in <details>."""
    blocks = []
    for question in chapter_questions(chapter_id, folder):
        lines = [f"**{question.number}.** {_md(question.question)}"]
        if question.figure:
            lines.append("(Read it off the chapter's figure above.)")
        lines.append("")
        if question.kind == "choice":
            lines += [f"- {LETTERS[i]}. {_md(option)}" for i, option in enumerate(question.options)]
        else:
            lines.append("Answer with a number.")
        answer = (f"**{question.answer}.** {_md(question.right_option)}" if question.kind == "choice"
                  else f"**{question.answer}**")
        lines += ["", "<details><summary>Answer</summary>", "", answer, "", _md(question.explanation)]
        if question.kind == "choice" and question.option_notes:
            lines += [""] + [f"- {LETTERS[i]}. {_md(note)}" for i, note in enumerate(question.option_notes)]
        if question.sources:
            lines += ["", f"Sources: {_md(sources_line(question.sources))}"]
        lines += ["", "</details>"]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


# --- Sphinx -----------------------------------------------------------------------------------------------------

class QuizDirective(SphinxDirective):
    """``{quiz} <chapter-id>``: the chapter's questions from data/quiz_questions.csv."""

    required_arguments = 1
    has_content = False

    def run(self):
        from docutils import nodes

        from nato_russia import data_dir
        from nato_russia.data import DataValidationError

        chapter_id = self.arguments[0]
        try:
            markup = quiz_html(chapter_id)
        except (ValueError, DataValidationError) as error:  # DataValidationError is a ValueError too
            raise self.error(str(error)) from None
        self.env.note_dependency(str(data_dir() / FILE_NAME))
        return [nodes.raw("", markup, format="html", classes=[QUIZ_CLASS])]


def _check(app) -> None:
    """Stop the build on a quiz problem the schema cannot see (a broken table is reported by course_data)."""
    from nato_russia.data import DataValidationError

    from .stop import stop_build

    try:
        problems = quiz_problems()
    except DataValidationError:
        return
    if problems:
        stop_build("The book was not built: the quiz questions have problems.", "\n".join(problems))


def _add_static_folder(app, config) -> None:
    if str(STATIC) not in map(str, config.html_static_path):
        config.html_static_path.append(str(STATIC))


def _add_assets(app, pagename, templatename, context, doctree) -> None:
    if doctree is not None and any(QUIZ_CLASS in node.get("classes", []) for node in doctree.findall(
            lambda node: node.tagname == "raw")):
        app.add_js_file(SCRIPT, defer="defer")
        app.add_css_file(STYLE)


def setup(app):
    app.add_directive("quiz", QuizDirective)
    app.connect("config-inited", _add_static_folder)
    app.connect("builder-inited", _check)
    app.connect("html-page-context", _add_assets)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
