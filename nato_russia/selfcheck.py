"""Self-checks for the exercises: tell a student at once whether an answer is right.

Each question's answers are computed from the validated course data when the
check runs (:mod:`nato_russia.questions`), so the checks stay right when the
data are corrected or extended, and every tied answer is accepted. A check
never prints the answer: it says "right", or says what is wrong with the
*form* of the answer (text in quotes, a figure's label instead of the
table's code, a list where one value is asked) and gives a hint.

``check`` prints its verdict and returns None, so a check cell shows the
message and no ``Out[n]: True``; ``feedback`` gives the verdict to code
(the tests, an instructor's grading script).
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .questions import QUESTIONS
from .data import load_events
from .labels import COLUMN_LABELS

__all__ = ["QUESTIONS", "Feedback", "UnknownQuestionError", "check", "expected", "feedback"]


class UnknownQuestionError(LookupError):
    """A ``check("…")`` line names no question; the message lists the close matches."""


@dataclass(frozen=True)
class Feedback:
    right: bool
    message: str

    def __bool__(self) -> bool:
        return self.right


def _question(name: str):
    if name in QUESTIONS:
        return QUESTIONS[name]
    close = difflib.get_close_matches(str(name), list(QUESTIONS), n=3, cutoff=0.6)
    suggestion = f" Did you mean {' or '.join(repr(c) for c in close)}?" if close else ""
    raise UnknownQuestionError(
        f"no self-check called {name!r}.{suggestion} Copy the question name exactly as the exercise's check(...) line gives it."
    )


def expected(question: str, events: pd.DataFrame | None = None) -> set:
    """Every accepted answer to ``question`` (for tests and for instructors)."""
    return _question(question).answers(load_events() if events is None else events)


def _normalise(value: Any) -> Any:
    """One comparable form: stripped text, plain Python numbers, frozensets for lists of answers."""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, (pd.Series, pd.DataFrame)):
        return value  # never right as it stands: _diagnose says how to pick the value out
    if isinstance(value, (list, tuple, set, frozenset, pd.Index)) or type(value).__name__ == "ndarray":
        return frozenset(_normalise(item) for item in value)
    if isinstance(value, pd.Timestamp):
        return value
    if hasattr(value, "item"):  # numpy and pandas scalars
        return value.item()
    return value


def _same(answer: Any, accepted: Any) -> bool:
    if isinstance(answer, (pd.Series, pd.DataFrame)):
        return False
    if isinstance(answer, bool) or isinstance(accepted, bool):
        return answer is accepted
    if isinstance(answer, (int, float)) and isinstance(accepted, (int, float)):
        if isinstance(accepted, int) and isinstance(answer, float) and not answer.is_integer():
            return False
        return math.isclose(answer, accepted, rel_tol=0, abs_tol=0.005)  # a mean rounded to two decimals is right
    return answer == accepted


def _is_right(answer: Any, accepted: set) -> bool:
    return any(_same(answer, a) for a in accepted)


def _as_number(text: str):
    try:
        number = float(text.replace(",", "").replace("−", "-"))
    except ValueError:
        return None
    return int(number) if number.is_integer() else number


def _code_for_label(text: str, column: str | None) -> tuple[str, str] | None:
    """(label, code) when ``text`` is the readable name a figure shows for a code of ``column``."""
    mappings = [COLUMN_LABELS[column]] if column in COLUMN_LABELS else list(COLUMN_LABELS.values())
    for mapping in mappings:
        for code, label in mapping.items():
            if text.casefold() == label.casefold() and text != code:
                return label, code
    return None


def _diagnose(answer: Any, accepted: set, question) -> str:
    """What is wrong with the answer's form, or the question's hint; never the answer itself."""
    kinds = {type(a) for a in accepted}
    numeric = kinds <= {int, float}
    textual = kinds <= {str}
    if answer is Ellipsis:
        return "replace the ... with your answer (a value or the name of your variable), then run the cell again."
    if isinstance(answer, pd.DataFrame):
        return "your answer is a whole table; give one value (for a count, len(table); for a name, one cell of it)."
    if isinstance(answer, pd.Series):
        if numeric or textual:
            return "your answer is a column (a Series), not one value; pick the value out of it (.iloc[0], .max(), .idxmax())."
        return "your answer is a Series; give the values as a list, e.g. list(series.index) or list(series)."
    if isinstance(answer, str) and numeric and _as_number(answer) is not None:
        number = _as_number(answer)
        what = "a count is a number" if kinds <= {int} else "a mean or a share is a number"
        quotes = f"you typed text in quotes; {what}: remove the quotes."
        return quotes if _is_right(number, accepted) else f"{quotes} Then check the number too: {question.hint}"
    if isinstance(answer, str) and textual:
        traced = _code_for_label(answer.strip(), question.column)
        if traced:
            label, code = traced
            verdict = "" if _is_right(code, accepted) else f" That is not the one asked for either. Hint: {question.hint}"
            noun = f"this {question.column}" if question.column else "it"
            return (f"{label!r} is the label the figures show; the table spells {noun} {code!r}. "
                    f"Answer with the table's spelling.{verdict}")
        if any(answer.strip().casefold() == a.casefold() for a in accepted):
            return "nearly: check the capitals and the spelling against the table, letter by letter."
    if isinstance(_normalise(answer), frozenset) and (numeric or textual):
        return "the question asks for one value, not a list; pick one."
    return f"Hint: {question.hint}"


def feedback(question: str, answer: Any, events: pd.DataFrame | None = None) -> Feedback:
    """The verdict on ``answer`` for ``question`` and the message a student reads; prints nothing."""
    asked = _question(question)
    accepted = {_normalise(a) for a in expected(question, events)}
    if answer is not Ellipsis and _is_right(_normalise(answer), accepted):
        return Feedback(True, f"✓ Right ({question}).")
    advice = _diagnose(answer, accepted, asked)
    advice = advice[0].upper() + advice[1:]
    if answer is Ellipsis:
        return Feedback(False, f"… Not yet ({question}): {advice}")
    return Feedback(False, f"✗ Not yet ({question}): you answered {_shown(answer)}. {advice}")


def _shown(answer: Any) -> str:
    if isinstance(answer, (pd.DataFrame, pd.Series)):
        return f"a {type(answer).__name__} of {len(answer)} rows"
    text = repr(answer)
    return text if len(text) <= 80 else text[:77] + "…"


def check(question: str, answer: Any, events: pd.DataFrame | None = None) -> None:
    """Print whether ``answer`` is right for ``question``; returns None so the cell shows no ``Out[n]``."""
    print(feedback(question, answer, events).message)
