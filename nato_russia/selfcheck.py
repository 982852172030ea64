"""Self-checks for the Python on-ramp: tell a student at once whether an answer is right.

Each question's answer is computed from the validated course data when the
check runs, so the checks stay right when the data are corrected or extended.
A check never prints the answer: it says "right", or gives a hint.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import pandas as pd

from .data import load_events


@dataclass(frozen=True)
class Question:
    answers: Callable[[pd.DataFrame], set]  # every accepted answer (ties included)
    hint: str


def _most_common(series: pd.Series) -> set:
    counts = series.value_counts()
    return set(counts[counts == counts.max()].index.astype(str))


def _titles_with_extreme_tone(events: pd.DataFrame, lowest: bool) -> set:
    extreme = events["tone"].min() if lowest else events["tone"].max()
    return set(events.loc[events["tone"] == extreme, "title"])


QUESTIONS: dict[str, Question] = {
    "how-many-events": Question(
        lambda e: {len(e)},
        "Count the rows of the DataFrame: len(events), or events.shape[0].",
    ),
    "first-event-category": Question(
        lambda e: {str(e.iloc[0]["category"])},
        "The events are sorted by date; look at the category of the first row: events.iloc[0].",
    ),
    "enlargement-events": Question(
        lambda e: {int((e["category"] == "enlargement").sum())},
        'Filter with events[events["category"] == "enlargement"], then count the rows.',
    ),
    "events-in-1999": Question(
        lambda e: {int((e["date"].dt.year == 1999).sum())},
        'Compare events["date"].dt.year with 1999 and count the matching rows.',
    ),
    "most-common-category": Question(
        lambda e: _most_common(e["category"].astype(str)),
        'events["category"].value_counts() lists categories from the most to the least common.',
    ),
    "most-negative-event": Question(
        lambda e: _titles_with_extreme_tone(e, lowest=True),
        'Sort with events.sort_values("tone") and read the title of the first row (copy it exactly).',
    ),
}


def expected(question: str, events: pd.DataFrame | None = None) -> set:
    """Every accepted answer to ``question`` (for tests and for instructors)."""
    if question not in QUESTIONS:
        raise KeyError(f"no self-check called {question!r}; questions: {sorted(QUESTIONS)}")
    return QUESTIONS[question].answers(load_events() if events is None else events)


def _normalise(value: Any) -> Any:
    if isinstance(value, str):
        return value.strip()
    if hasattr(value, "item"):  # numpy and pandas scalars
        return value.item()
    return value


def check(question: str, answer: Any, events: pd.DataFrame | None = None) -> bool:
    """Print whether ``answer`` is right for ``question`` and return True or False."""
    right = _normalise(answer) in {_normalise(a) for a in expected(question, events)}
    if right:
        print(f"✓ Right ({question}).")
    else:
        print(f"✗ Not yet ({question}): you answered {answer!r}. Hint: {QUESTIONS[question].hint}")
    return right
