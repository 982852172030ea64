"""The primer's self-checks accept the right answer (ties included), reject others, and never reveal the answer."""

from __future__ import annotations

import re

import pytest

from nato_russia.selfcheck import QUESTIONS, check, expected
from support import ROOT

PRIMER = (ROOT / "chapters" / "python_primer.md").read_text(encoding="utf-8")


def test_every_question_in_the_primer_exists():
    asked = set(re.findall(r'check\("([a-z0-9-]+)"', PRIMER))
    assert asked and asked <= set(QUESTIONS)
    assert set(QUESTIONS) <= asked, "a self-check that no task uses"


@pytest.mark.parametrize("question", sorted(QUESTIONS))
def test_right_answers_pass_and_wrong_ones_get_a_hint(question, capsys):
    answers = expected(question)
    assert answers, f"{question}: no accepted answer"
    for answer in answers:
        assert check(question, answer) is True
    assert check(question, "surely not this") is False
    out = capsys.readouterr().out
    wrong = out.strip().splitlines()[-1]
    assert "Hint:" in wrong
    assert not any(str(answer) in wrong.split("Hint:")[0].replace("surely not this", "") for answer in answers)


def test_numeric_answers_accept_numpy_and_pandas_integers():
    import numpy as np

    (count,) = expected("how-many-events")
    assert check("how-many-events", np.int64(count))


def test_unknown_question_is_a_clear_error():
    with pytest.raises(KeyError, match="no self-check called"):
        check("no-such-question", 1)
