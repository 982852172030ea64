"""The self-checks accept the right answer (ties included), reject others, never reveal the answer, and explain mistakes of form."""

from __future__ import annotations

import re

import pytest

from nato_russia.questions import tied_extremes, top_with_ties
from nato_russia.selfcheck import QUESTIONS, UnknownQuestionError, check, expected, feedback
from support import ROOT

CHAPTER_TEXT = "\n".join(path.read_text(encoding="utf-8") for path in (ROOT / "chapters").glob("*.md"))


@pytest.fixture(scope="module")
def events():
    """The validated events, loaded once: every check reads them (a check loads them itself when not given)."""
    from nato_russia import load_events

    return load_events()


def test_every_question_a_chapter_asks_exists_and_every_question_is_asked():
    asked = set(re.findall(r'check\("([a-z0-9-]+)"', CHAPTER_TEXT))
    assert asked and asked <= set(QUESTIONS)
    assert set(QUESTIONS) <= asked, "a self-check that no task uses"


@pytest.mark.parametrize("question", sorted(QUESTIONS))
def test_right_answers_pass_and_wrong_ones_get_a_hint(question, events):
    answers = expected(question, events)
    assert answers, f"{question}: no accepted answer"
    for answer in answers:
        assert feedback(question, answer, events).right is True
        if isinstance(answer, frozenset):  # a list in any order, as a list, is right too
            assert feedback(question, sorted(answer, key=str), events).right is True
    wrong = feedback(question, "surely not this", events)
    assert wrong.right is False and "Hint:" in wrong.message
    before_hint = wrong.message.split("Hint:")[0].replace("surely not this", "")
    assert not any(str(answer) in before_hint for answer in answers if not isinstance(answer, frozenset))


@pytest.mark.parametrize("question", sorted(QUESTIONS))
def test_the_scaffold_as_committed_is_told_not_yet_without_an_error(question, events):
    result = feedback(question, ..., events)
    assert result.right is False and "Replace the ... with your answer" in result.message


def test_numeric_answers_accept_numpy_and_pandas_integers():
    import numpy as np

    (count,) = expected("how-many-events")
    assert feedback("how-many-events", np.int64(count)).right


def test_a_number_in_quotes_is_told_to_drop_the_quotes_not_to_recount():
    (count,) = expected("how-many-events")
    message = feedback("how-many-events", str(count)).message
    assert "You typed text in quotes; a count is a number: remove the quotes" in message
    assert "check the number" not in message and "Hint" not in message
    wrong = feedback("how-many-events", str(count + 1)).message
    assert "remove the quotes" in wrong and "check the number too" in wrong


def test_a_figure_label_is_traced_back_to_the_code_the_table_spells():
    (code,) = expected("first-event-category")
    from nato_russia.labels import CATEGORY_LABELS

    result = feedback("first-event-category", CATEGORY_LABELS[code])
    assert result.right is False
    assert f"the table spells this category '{code}'" in result.message
    assert "not the one asked" not in result.message
    other = next(c for c in CATEGORY_LABELS if c != code)
    assert "not the one asked" in feedback("first-event-category", CATEGORY_LABELS[other]).message


def test_a_check_cell_shows_the_message_and_no_out_value(capsys):
    (count,) = expected("how-many-events")
    assert check("how-many-events", count) is None
    assert capsys.readouterr().out.strip() == "✓ Right (how-many-events)."


def test_a_misspelt_question_names_the_close_matches():
    with pytest.raises(UnknownQuestionError, match=r"no self-check called 'how-many-event'\. Did you mean 'how-many-events'"):
        check("how-many-event", 1)
    with pytest.raises(UnknownQuestionError, match="no self-check called 'zzz'. Copy"):
        check("zzz", 1)


def test_a_list_answer_accepts_every_tie_and_rejects_a_missing_year():
    import pandas as pd

    counts = pd.Series({1997: 5, 1999: 4, 2002: 4, 2008: 3})
    assert top_with_ties(counts, 2) == frozenset({1997, 1999, 2002})
    assert top_with_ties(counts, 1) == frozenset({1997})
    assert tied_extremes(counts.drop(1997)) == {1999, 2002}  # "which year": either tied year is right
    assert tied_extremes(counts, lowest=True) == {2008}


def test_a_column_where_one_value_is_asked_is_named():
    from nato_russia import load_events

    message = feedback("first-event-category", load_events()["category"]).message
    assert "Your answer is a column (a Series), not one value" in message
