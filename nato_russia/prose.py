"""Computed values for chapter prose: glue them so the text cannot disagree with the data.

The book pastes glued values into sentences with myst-nb's ``{glue:text}`` role.
Colab has no myst-nb, so there the values are only returned (and shown on request).
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterable

import pandas as pd

from .text import format_date

try:  # the book build and the test suite run with myst-nb installed
    # Imported by name, not with an import statement, so that a seminar pack's requirements
    # (book_extensions/pack_requirements.py) do not count it: a student's notebook carries the
    # values the book computed in its text, and needs no myst-nb.
    _myst_glue = importlib.import_module("myst_nb").glue
except ModuleNotFoundError:  # Colab, Binder, a pack: nothing to paste into, so nothing to store
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


def noun(count, singular: str, plural: str | None = None) -> str:
    """The noun that agrees with ``count``: 'event' for exactly 1, else 'events'.

    The regular English plural is formed on the last word ('key event' ->
    'key events', 'category' -> 'categories'); pass ``plural`` for any other.
    """
    if plain(count) == 1:
        return singular
    if plural is not None:
        return plural
    if re.search(r"[^aeiou]y$", singular):
        return singular[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", singular):
        return singular + "es"
    return singular + "s"


def counted(count, singular: str, plural: str | None = None) -> str:
    """'1 event', '2 events', '0 events': a count with the noun that agrees with it."""
    return f"{plain(count)} {noun(count, singular, plural)}"


def is_are(count) -> str:
    """The verb that agrees with a count: 'is' for exactly 1, else 'are'."""
    return "is" if plain(count) == 1 else "are"


def is_or_is_not(holds: bool, count=1) -> str:
    """'is' when the computed comparison holds, 'is not' when it does not ('are', 'are not' for a count other than 1)."""
    verb = is_are(count)
    return verb if bool(holds) else f"{verb} not"


EXTREMES = {"lowest": "min", "highest": "max"}


def at_extreme(values: pd.Series, which: str = "lowest") -> pd.Series:
    """Every entry of ``values`` at its lowest (or highest) value, in their order: a tie keeps them all.

    ``idxmin`` and ``idxmax`` return only the first of tied entries; a sentence
    naming "the lowest month" from them hides the others.
    """
    if which not in EXTREMES:
        raise ValueError(f"which={which!r}: use 'lowest' or 'highest'")
    present = values.dropna()
    if present.empty:
        raise ValueError("no values to compare: the series is empty or all missing")
    return present[present == getattr(present, EXTREMES[which])()]


def name_extreme(values: pd.Series, which: str = "lowest", name=str, score=None) -> str:
    """Every item at the lowest (highest) value, named: 'August 2008' or, on a tie, 'April 2007 and July 2007'.

    ``name`` writes an index label (e.g. :func:`month_name`); ``score``, when
    given, writes the value after the names: 'August 2008 (−23)',
    'April 2007 and July 2007 (−6 each)'.
    """
    found = at_extreme(values, which)
    names = join_words(name(label) for label in found.index)
    if score is None:
        return names
    return f"{names} ({score(found.iloc[0])}{' each' if len(found) > 1 else ''})"


def standing_in_whole(part: pd.Series, whole: pd.Series, which: str = "lowest", name=str, score=None,
                      whole_name: str = "the whole index", count=1) -> str:
    """Whether the extreme of ``part`` is also that of ``whole``, as a predicate chosen by the data.

    'is also the lowest of the whole index'; on a tie with items outside the
    part '…, tied with March 1999'; otherwise 'is not the lowest of the whole
    index: the lowest is August 2008 (−23)' (every tied item named). ``count``
    is the number of subjects the verb agrees with ('are also', 'are not').
    """
    part_value, whole_value = at_extreme(part, which).iloc[0], at_extreme(whole, which)
    holds = part_value == whole_value.iloc[0]
    phrase = f"{is_or_is_not(holds, count)} {'also ' if holds else ''}the {which} of {whole_name}"
    if holds:
        others = [label for label in whole_value.index if label not in set(part.dropna().index)]
        return phrase + (f", tied with {join_words(name(label) for label in others)}" if others else "")
    return f"{phrase}: the {which} {is_are(len(whole_value))} {name_extreme(whole, which, name, score)}"


def by_count(items: Iterable, none: str, one: str, many: str, name=str) -> str:
    """A clause chosen by how many ``items`` there are, the items written into its ``{}``.

    by_count(years, none="every year has one", one="the only year without one is {}",
    many="the years without one are {}") never reads out an empty list as "none".
    """
    words = [name(item) for item in items]
    if not words:
        return none
    return (one if len(words) == 1 else many).format(join_words(words))


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
    for name, event_id in named_ids.items():
        row = event_row(events, event_id)
        glue(f"{prefix}-{name}-tone", signed(row["tone"]))
        glue(f"{prefix}-{name}-date", format_date(row["date"], row["date_precision"]))


def scored_list(rows: pd.DataFrame, with_date: bool = True) -> str:
    """'Title (3 March 1999, −7), …' for the rows, oldest first, as English."""
    ordered = rows.sort_values("date")
    return join_words(
        f"{row.title} ({format_date(row.date, row.date_precision) + ', ' if with_date else ''}{signed(row.tone)})"
        for row in ordered.itertuples()
    )
