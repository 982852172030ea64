"""Print tables the way the book shows them: dates as dates, codes as names, numbers rounded.

``show(frame)`` returns a copy for display only; keep computing with the
original frame (``show(frame, index=False)`` returns a pandas ``Styler`` that
leaves out a row index that means nothing, such as 0, 1, 2). Importing
:mod:`nato_russia` also sets pandas to print two decimals
(``display.precision``, and ``styler.format.precision`` for styled tables),
so a bare ``frame`` in a chapter prints 0.33, not 0.333333.

Every table is shown as text, never as markup: a plain frame's HTML is escaped
by pandas, but a ``Styler`` is not unless told (``styler.format.escape``), so
a title such as ``<img src=x onerror=…>`` typed into ``events.csv`` would
otherwise run as script on the page. Both the option and :func:`show` say so.
"""

from __future__ import annotations

import pandas as pd

from .labels import COLUMN_LABELS, label_codes
from .text import format_date

DISPLAY_PRECISION = 2


def use_book_display_options() -> None:
    """pandas display options for every chapter: two decimals, no wrapping of wide tables."""
    pd.set_option("display.precision", DISPLAY_PRECISION)
    pd.set_option("styler.format.precision", DISPLAY_PRECISION)
    pd.set_option("styler.format.escape", "html")  # cells of any Styler are text (see the module's docstring)
    pd.set_option("display.width", 120)


def date_text(value, precision: str = "day") -> str:
    """``25 Feb 1991``, ``Feb 1991`` or ``1991``; empty for a missing date (the tables' compact dates)."""
    return format_date(value, precision, short=True)


def _dates(values: pd.Series, precision: pd.Series | None) -> pd.Series:
    if precision is None:  # a month index and the like: say only what is known
        whole_months = values.dropna().dt.day.eq(1).all() and len(values.dropna()) > 1
        return values.map(lambda v: date_text(v, "month" if whole_months else "day"))
    return pd.Series([date_text(v, str(p) if pd.notna(p) else "day") for v, p in zip(values, precision)], index=values.index)


def _header(name) -> str:
    text = str(name).replace("_", " ")
    return text[:1].upper() + text[1:]


def show(data, decimals: int = DISPLAY_PRECISION, index: bool = True):
    """A display copy of a table or series: readable dates, names for codes, lists joined, numbers rounded.

    With ``index=False`` the copy is a ``Styler`` that hides the row index.
    """
    frame = data.to_frame() if isinstance(data, pd.Series) else data.copy()
    precision = frame["date_precision"] if "date_precision" in frame else None
    for column in frame.columns:
        values = frame[column]
        if pd.api.types.is_datetime64_any_dtype(values):
            frame[column] = _dates(values, precision if column == "date" else None)
        elif str(column) in COLUMN_LABELS:
            frame[column] = label_codes(values, COLUMN_LABELS[str(column)])
        elif values.dtype == object and values.map(lambda v: isinstance(v, list)).any():
            frame[column] = values.map(lambda v: ", ".join(map(str, v)) if isinstance(v, list) else v)
        elif pd.api.types.is_float_dtype(values):
            frame[column] = values.round(decimals)
    if isinstance(frame.index, pd.DatetimeIndex):
        frame.index = pd.Index(_dates(frame.index.to_series(), None), name=_header(frame.index.name or ""))
    elif frame.index.name is not None:
        if str(frame.index.name) in COLUMN_LABELS:
            frame.index = pd.Index(label_codes(frame.index.to_series(), COLUMN_LABELS[str(frame.index.name)]),
                                   name=frame.index.name)
        frame.index.name = _header(frame.index.name)
    frame.columns = [_header(c) for c in frame.columns] if not isinstance(frame.columns, pd.MultiIndex) else frame.columns
    if index:
        return frame
    # Escaped whatever pandas' options say: the values and headers come from data files.
    return frame.style.format(escape="html").format_index(escape="html", axis=1).hide(axis="index")
