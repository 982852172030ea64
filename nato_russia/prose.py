"""Computed values for chapter prose: glue them so the text cannot disagree with the data.

The book pastes glued values into sentences with myst-nb's ``{glue:text}`` role.
Colab has no myst-nb, so there the values are only returned (and shown on request).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

try:  # the book build and the test suite run with myst-nb installed
    from myst_nb import glue as _myst_glue
except ModuleNotFoundError:  # Colab: nothing to paste into, so nothing to store
    _myst_glue = None


def plain(value):
    """A value whose text form reads well in a sentence: no numpy repr, dates as 3 March 1999."""
    if isinstance(value, pd.Timestamp):
        return f"{value.day} {value:%B %Y}"
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        return value.item()  # numpy scalar -> Python int/float/bool
    return value


def glue(name: str, value, display: bool = False):
    """Store ``value`` under ``name`` for ``{glue:text}`name``` and return it."""
    value = plain(value)
    if _myst_glue is not None:
        _myst_glue(name, value, display=display)
    elif display:
        from IPython.display import display as show

        show(value)
    return value


def join_words(items: Iterable, conjunction: str = "and") -> str:
    """'a', 'a and b', 'a, b and c': a computed list written as English."""
    words = [str(plain(item)) for item in items]
    if not words:
        return "none"
    if len(words) == 1:
        return words[0]
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def event_date(events: pd.DataFrame, which: str = "first") -> str:
    """The date of the first or last event in ``events``, written as precisely as it is known."""
    from .figures import format_date  # figures imports plotly; only needed here

    row = events.sort_values("date").iloc[0 if which == "first" else -1]
    return format_date(row["date"], row["date_precision"])


def month_name(timestamp) -> str:
    """'November 2008' for a month-start timestamp of the tone index."""
    return f"{pd.Timestamp(timestamp):%B %Y}"


MINUS = "\u2212"  # the session plans print scores with a true minus sign, as in "−8"


def signed(value, digits: int = 0) -> str:
    """A tone score or mean as the seminar guide prints it: '+2.30', '−0.72', '0'."""
    text = f"{float(plain(value)):+.{digits}f}"
    if float(text) == 0:
        return f"{0:.{digits}f}"
    return text.replace("-", MINUS)


def event_row(events: pd.DataFrame, event_id: str, table: str = "data/events.csv") -> pd.Series:
    """The row of ``events`` with this id, or a clear error naming the table and the id."""
    found = events[events["id"] == event_id]
    if found.empty:
        raise KeyError(f"{table} has no event with id {event_id!r} (ids look like '1999-allied-force')")
    return found.iloc[0]


def glue_events(prefix: str, events: pd.DataFrame, named_ids: dict[str, str]) -> None:
    """Glue ``{prefix}-{name}-tone`` (signed) and ``{prefix}-{name}-date`` for each named event id."""
    from .figures import format_date

    for name, event_id in named_ids.items():
        row = event_row(events, event_id)
        glue(f"{prefix}-{name}-tone", signed(row["tone"]))
        glue(f"{prefix}-{name}-date", format_date(row["date"], row["date_precision"]))


def scored_list(rows: pd.DataFrame, with_date: bool = True) -> str:
    """'Title (3 March 1999, −7), …' for the rows, oldest first, as English."""
    from .figures import format_date

    ordered = rows.sort_values("date")
    return join_words(
        f"{row.title} ({format_date(row.date, row.date_precision) + ', ' if with_date else ''}{signed(row.tone)})"
        for row in ordered.itertuples()
    )
