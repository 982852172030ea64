"""The chapters' self-check quizzes as data: valid, placed in every chapter, true to the data, and safe to render.

The questions live in ``data/quiz_questions.csv``; ``book_extensions/quiz.py``
renders them (HTML for the book, Markdown for plain notebooks) and checks
what the schema cannot. A broken row is named by file, line, field and value.
"""

from __future__ import annotations

import csv
import re

import pandas as pd
import pytest

from book_extensions.quiz import FILE_NAME, MIN_QUESTIONS, all_questions, quiz_html, quiz_markdown, quiz_problems
from book_extensions.toc import toc_chapters
from nato_russia import load_table
from support import ROOT
from test_data_loader import broken_data, edit_csv, load_error  # noqa: F401 (broken_data is a fixture)

CHAPTERS = [path.stem for path in toc_chapters(ROOT)]
QUIZ_CHAPTERS = ["timeline", "python_primer", "prologue_1990", "partners_1991_1996", "founding_act_1997_1999",
                 "at_twenty_2000_2002", "drift_2003_2007", "reset_2008_2010", "reading_sources", "measuring"]
# Answers that the data can prove: a phrase of the question -> the accession date whose new members it counts.
COUNTED_ACCESSIONS = {"joined NATO on 12 March 1999": "1999-03-12", "joined NATO on 29 March 2004": "2004-03-29"}


def line_of(folder, chapter: str, number: int) -> int:
    """The line of the CSV file that holds a question (header = line 1)."""
    with (folder / FILE_NAME).open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            if (row["chapter"], row["number"]) == (chapter, str(number)):
                return line
    raise AssertionError(f"no question {chapter} {number}")


def test_the_quiz_table_is_valid_and_every_chapter_asks_enough():
    assert quiz_problems() == []
    questions = all_questions()
    assert sorted({q.chapter for q in questions}) == sorted(QUIZ_CHAPTERS)
    assert set(QUIZ_CHAPTERS) <= set(CHAPTERS), sorted(set(QUIZ_CHAPTERS) - set(CHAPTERS))
    for chapter in QUIZ_CHAPTERS:
        asked = [q for q in questions if q.chapter == chapter]
        assert len(asked) >= MIN_QUESTIONS, chapter
        assert any(q.topic == "figure" for q in asked) and any(q.topic == "history" for q in asked), chapter


def test_right_answers_are_spread_over_the_options():
    letters = [q.answer for q in all_questions() if q.kind == "choice"]
    assert len(set(letters)) >= 3, f"the right answer is nearly always {max(set(letters), key=letters.count)}"


@pytest.mark.parametrize("chapter", QUIZ_CHAPTERS)
def test_each_chapter_ends_with_its_quiz_before_the_summary(chapter):
    text = (ROOT / "chapters" / f"{chapter}.md").read_text(encoding="utf-8")
    assert f"\n## Check your understanding\n\n```{{quiz}} {chapter}\n```\n\n## Summary\n" in text
    labels = set(re.findall(r"^\s*name: (fig-[a-z0-9-]+)$", text, re.M))
    for question in (q for q in all_questions() if q.chapter == chapter and q.figure):
        assert question.figure in labels, f"{chapter} question {question.number}: no figure {question.figure!r} in the chapter"


def test_answers_that_count_data_match_the_data():
    members = load_table("nato_members")
    checked = 0
    for question in all_questions():
        for phrase, day in COUNTED_ACCESSIONS.items():
            if phrase in question.question:
                joined = int((members["accession_date"] == pd.Timestamp(day)).sum())
                assert question.kind == "number" and int(question.answer) == joined, (question.question, joined)
                checked += 1
    assert checked == len(COUNTED_ACCESSIONS)


def test_an_answer_letter_beyond_the_options_names_file_line_and_field(broken_data):
    line = line_of(broken_data, "timeline", 1)
    edit_csv(broken_data / FILE_NAME, line, "answer", "F")
    assert f"{FILE_NAME}, line {line}, field 'answer': 'F' is not the letter of an option: expected one of A, B, C, D" \
        in quiz_problems(broken_data)


def test_a_number_question_without_a_number_is_named(broken_data):
    line = line_of(broken_data, "timeline", 3)
    edit_csv(broken_data / FILE_NAME, line, "answer", "C")
    assert f"{FILE_NAME}, line {line}, field 'answer': 'C' is not a number: expected a whole number, e.g. 1997" \
        in quiz_problems(broken_data)


def test_notes_that_do_not_match_the_options_are_named(broken_data):
    line = line_of(broken_data, "measuring", 2)
    edit_csv(broken_data / FILE_NAME, line, "option_notes", "Right.|Wrong.")
    assert f"{FILE_NAME}, line {line}, field 'option_notes': 2 notes for 4 options" in "\n".join(quiz_problems(broken_data))


def test_a_chapter_with_too_few_questions_is_named(broken_data):
    path = broken_data / FILE_NAME
    rows = list(csv.DictReader(path.open(encoding="utf-8", newline="")))
    kept = [row for row in rows if not (row["chapter"] == "measuring" and int(row["number"]) > 3)]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(kept)
    assert f"{FILE_NAME}, chapter 'measuring': 3 questions: expected at least {MIN_QUESTIONS}" in quiz_problems(broken_data)


def test_schema_errors_in_the_quiz_name_file_line_and_field(broken_data):
    line = line_of(broken_data, "reset_2008_2010", 2)
    edit_csv(broken_data / FILE_NAME, line, "kind", "essay")
    other = line_of(broken_data, "timeline", 4)
    edit_csv(broken_data / FILE_NAME, other, "sources", "nosuchkey1999")
    message = load_error(broken_data, "quiz_questions")
    assert f"{FILE_NAME}, line {line}, field 'kind': 'essay' breaks the rule 'enum': expected one of choice, number" in message
    assert f"{FILE_NAME}, line {other}, field 'sources': 'nosuchkey1999' is not defined in references.bib" in message


def test_a_figure_question_must_name_its_figure(broken_data):
    line = line_of(broken_data, "timeline", 1)
    edit_csv(broken_data / FILE_NAME, line, "figure", "")
    assert f"{FILE_NAME}, line {line}, field 'figure': is empty, but topic is 'figure'" in load_error(broken_data, "quiz_questions")


def test_markup_in_a_question_is_shown_as_text(broken_data):
    line = line_of(broken_data, "timeline", 2)
    edit_csv(broken_data / FILE_NAME, line, "question", "Is <img src=x onerror=alert(1)> a diamond?")
    markup, markdown = quiz_html("timeline", broken_data), quiz_markdown("timeline", broken_data)
    assert "&lt;img src=x onerror=alert(1)&gt;" in markup and "<img" not in markup
    assert "&lt;img src=x onerror=alert(1)&gt;" in markdown and "<img" not in markdown


def test_the_markdown_quiz_numbers_questions_and_hides_answers_in_details():
    questions = [q for q in all_questions() if q.chapter == "prologue_1990"]
    markdown = quiz_markdown("prologue_1990")
    assert markdown.count("<details><summary>Answer</summary>") == len(questions)
    assert markdown.count("</details>") == len(questions)
    for question in questions:
        assert f"**{question.number}.** " in markdown
        before, answer = markdown.split(f"**{question.number}.** ", 1)[1].split("<details><summary>Answer</summary>", 1)
        assert question.explanation.split(":")[0] not in before, "the explanation must stay hidden until opened"
        assert f"**{question.answer}" in answer.split("</details>")[0]
    first = questions[0]
    assert all(f"- {letter}. " in markdown for letter in "ABCD"[:len(first.options)])
    assert "Sources: " in markdown


def test_the_html_quiz_is_a_form_per_question_with_a_live_region_and_no_inline_script():
    markup = quiz_html("timeline")
    questions = [q for q in all_questions() if q.chapter == "timeline"]
    assert markup.count("<fieldset>") == markup.count("<legend>") == len(questions)
    assert markup.count('aria-live="polite"') == len(questions)
    assert markup.count('<button type="submit" class="course-quiz-check">Check</button>') == len(questions)
    assert "<script" not in markup and not re.search(r"\son[a-z]+=", markup)
    for radio in re.findall(r'<input type="radio"[^>]*id="([^"]+)"', markup):
        assert f'<label for="{radio}">' in markup, f"radio {radio} has no label"
