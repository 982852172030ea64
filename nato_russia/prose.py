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
