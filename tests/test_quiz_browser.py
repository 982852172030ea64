"""The chapters' quizzes as a reader uses them: keyboard only, on a 390 px phone in dark mode, in both editions.

On every chapter page the first question is answered right and the second
wrong, with keys alone (arrows and Space choose an option, Tab reaches Check,
Enter presses it; a number is typed and Enter sent). The feedback in the
question's live region must say so, explain, and name the right answer when
the reader was wrong; axe-core must find no serious or critical violation in
the quiz with its feedback showing.
"""

from __future__ import annotations

import pytest

from book_extensions.quiz import LETTERS, all_questions
from page_visits import AXE_RUN
from test_accessibility import axe_script
from test_quiz import QUIZ_CHAPTERS

PHONE = {"width": 390, "height": 844}
FEEDBACK = "#{} .course-quiz-feedback"
OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


def plain(text: str) -> str:
    """Text as the page shows it: a `code span` of the data file is shown as code, without its backticks."""
    return text.replace("`", "")


def answer_with_keys(page, question, right: bool) -> None:
    """Answer one question with the keyboard only; ``right`` chooses the right answer or a wrong one."""
    qid = question.element_id
    if question.kind == "choice":
        target = question.answer if right else next(letter for letter in LETTERS[:len(question.options)]
                                                     if letter != question.answer)
        page.focus(f"#{qid}-a")
        page.keyboard.press("Space")  # checks A
        for _ in range(LETTERS.index(target)):
            page.keyboard.press("ArrowDown")  # moves the check to the next option
        assert page.is_checked(f"#{qid}-{target.lower()}")
        page.keyboard.press("Tab")
        assert page.evaluate("() => document.activeElement.className") == "course-quiz-check"
        page.keyboard.press("Enter")
    else:
        page.focus(f"#{qid}-answer")
        page.keyboard.type(question.answer if right else str(int(question.answer) + 1))
        page.keyboard.press("Enter")


def check_quiz_page(browser, url: str, chapter: str) -> None:
    questions = [q for q in all_questions() if q.chapter == chapter]
    context = browser.new_context(viewport=PHONE, color_scheme="dark", device_scale_factor=1)
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(f"{url}/chapters/{chapter}.html", wait_until="load")
        assert page.get_attribute("html", "data-theme") == "dark"
        assert page.locator("form.course-quiz-question").count() == len(questions)
        page.locator(f"#{questions[0].element_id}").scroll_into_view_if_needed()

        answer_with_keys(page, questions[0], right=True)
        page.wait_for_function(f"() => document.querySelector('{FEEDBACK.format(questions[0].element_id)}').textContent")
        said = page.text_content(FEEDBACK.format(questions[0].element_id))
        assert said.startswith("Right.") and plain(questions[0].explanation) in said, said

        answer_with_keys(page, questions[1], right=False)
        page.wait_for_function(f"() => document.querySelector('{FEEDBACK.format(questions[1].element_id)}').textContent")
        said = page.text_content(FEEDBACK.format(questions[1].element_id))
        assert said.startswith("Not right.") and plain(questions[1].explanation) in said, said
        assert (f"The right answer is {questions[1].answer}: {plain(questions[1].right_option)}." in said
                if questions[1].kind == "choice" else f"the answer is {questions[1].answer}." in said), said

        assert page.evaluate(OVERFLOW) <= 0, "the quiz makes the phone page scroll sideways"
        page.add_script_tag(path=str(axe_script()))
        violations = [v for v in page.evaluate(AXE_RUN) if any("course-quiz" in node or "quiz-" in node
                                                                for node in v["nodes"])]
        assert not violations, violations
        assert not errors, errors
    finally:
        context.close()


@pytest.mark.browser
@pytest.mark.parametrize("chapter", QUIZ_CHAPTERS)
def test_quiz_answers_with_the_keyboard_on_a_phone_in_dark_mode_instructor(browser, site, chapter):
    check_quiz_page(browser, site, chapter)


@pytest.mark.browser
@pytest.mark.parametrize("chapter", QUIZ_CHAPTERS)
def test_quiz_answers_with_the_keyboard_on_a_phone_in_dark_mode_student(browser, student_site, chapter):
    check_quiz_page(browser, student_site, chapter)
