"""What a reader sees on hovering over or tapping an event: when, title, summary, sources, primary document."""

from __future__ import annotations

import textwrap
from urllib.parse import urlsplit

import pandas as pd

from .citations import sources_text
from .figure_contract import DOCUMENT_COLUMN, EVENT_COLUMNS
from .text import plotly_text, when_text, wrap_lines



def _urls(frame: pd.DataFrame) -> pd.Series:
    """The primary document's URL of each row ('' where there is none, or no url column)."""
    if "url" not in frame:
        return pd.Series("", index=frame.index)
    return frame["url"].astype(object).where(frame["url"].notna(), "").astype(str)


def _document_line(url: str) -> str:
    """The hover text's last line: where the primary document is (the panel under the figure links it)."""
    if not url:
        return ""
    where = textwrap.shorten(urlsplit(url).netloc + urlsplit(url).path, 48, placeholder="…")
    return f"<br><br>{DOCUMENT_COLUMN}: {where}"




def hover_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The text shown on hover for each event: when, title, summary, sources, primary document."""
    urls = _urls(frame)
    return pd.DataFrame(
        {
            "when": frame.apply(when_text, axis=1),
            "title": frame["title"].map(plotly_text),
            "summary": frame["summary"].map(plotly_text).map(wrap_lines),
            "sources": [wrap_lines("Source: " + sources_text(k, p)) for k, p in zip(frame["sources"], frame["source_pages"])],
            "document": urls.map(_document_line),
            "url": urls,
        },
        index=frame.index,
    )[EVENT_COLUMNS]


EVENT_HOVER = ("<b>%{customdata[1]}</b><br>%{customdata[0]}<br><br>%{customdata[2]}<br><br>"
               "<i>%{customdata[3]}</i>%{customdata[4]}<extra></extra>")
