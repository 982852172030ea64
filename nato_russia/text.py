"""Text for figures and tables: dates written as precisely as they are known, wrapped lines, Plotly-safe data.

``format_date`` is the one date formatter: figures write the month in full
(``27 May 1997``), tables abbreviate it (``27 Feb 1991``) with ``short=True``.
"""

from __future__ import annotations

import html
import textwrap

import pandas as pd

KEY_LABEL_WIDTH = 22  # characters per line of a key event's label (two lines at most)


def format_date(date, precision: str = "day", short: bool = False) -> str:
    """A date written as precisely as it is known: 27 May 1997, May 1997 or 1997 (27 Feb 1991 if ``short``); '' if missing."""
    if pd.isna(date):
        return ""
    date = pd.Timestamp(date)
    month = f"{date:%b %Y}" if short else f"{date:%B %Y}"
    return {"day": f"{date.day} {month}", "month": month, "year": f"{date:%Y}"}[precision]


def when_text(row) -> str:
    """Date, or date range for spans, at the row's precision."""
    start = format_date(row["date"], row["date_precision"])
    if pd.isna(row.get("end_date")):
        return start
    return f"{start} – {format_date(row['end_date'], row['date_precision'])}"


def wrap_lines(text: str, width: int = 70) -> str:
    """``text`` in lines of at most ``width`` characters, joined with Plotly's line break."""
    return "<br>".join(textwrap.wrap(text, width))


def plotly_text(text: str) -> str:
    """Data as Plotly shows text: Plotly reads <b>, <br> and the like as markup, so the data's &, < and > are escaped.

    Plotly turns the entities back into the characters, so a title such as
    ``<img …>`` is shown as typed, not dropped as an unknown tag.
    """
    return html.escape(str(text), quote=False)


def short_label(text: str, width: int = KEY_LABEL_WIDTH, lines: int = 2) -> str:
    """A label of at most ``lines`` lines of ``width`` characters, cut with an ellipsis."""
    wrapped = textwrap.wrap(text, width)
    if len(wrapped) > lines:
        wrapped = wrapped[: lines - 1] + [textwrap.shorten(" ".join(wrapped[lines - 1:]), width, placeholder="…")]
    return "<br>".join(plotly_text(line) for line in wrapped)


def date_range_text(dates: pd.Series) -> str:
    """'May 1997 to June 2002': the first and the last month of ``dates``."""
    return f"{dates.min():%B %Y} to {dates.max():%B %Y}" if len(dates) else "no dates"
