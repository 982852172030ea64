"""One look for every figure in the book: palette, hover text, timeline.

All figures are Plotly figures returned to the notebook; the book draws them
offline with its own copy of plotly.js (see ``book_extensions/plotly_offline``).
"""

from __future__ import annotations

import textwrap
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go

from .data import data_dir

# Paul Tol's "muted" qualitative palette: nine colours that stay distinct for
# the common forms of colour blindness (https://personal.sron.nl/~pault/).
TOL_MUTED = ["#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499"]

CATEGORY_LABELS = {
    "institution": "Institutions",
    "enlargement": "Enlargement",
    "summit": "Summits and meetings",
    "arms_control": "Arms control",
    "cooperation": "Practical cooperation",
    "leadership": "Leadership changes",
    "crisis": "Crises",
    "conflict": "Wars and campaigns",
    "energy": "Energy",
}
CATEGORY_COLOURS = dict(zip(CATEGORY_LABELS, TOL_MUTED))
SEED_SYMBOL, OTHER_SYMBOL = "diamond", "circle"
FONT = "Helvetica Neue, Arial, sans-serif"


@lru_cache(maxsize=1)
def _bibliography() -> dict:
    from pybtex.database import parse_file

    return dict(parse_file(str(data_dir() / "references.bib")).entries)


def source_label(key: str, pages: str | None = None) -> str:
    """A short human-readable citation, e.g. ``Matser (2001), Towards a New …, p. 20``."""
    entry = _bibliography().get(key)
    if entry is None:
        return key
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    if people:
        who = " ".join(people[0].last_names).replace("{", "").replace("}", "")
        who += " et al." if len(people) > 2 else (f" and {' '.join(people[1].last_names)}" if len(people) == 2 else "")
    else:
        who = entry.fields.get("organization") or entry.fields.get("institution") or entry.fields.get("publisher", key)
    title = entry.fields.get("title", "").replace("{", "").replace("}", "")
    title = textwrap.shorten(title, width=60, placeholder="…")
    label = f"{who} ({entry.fields.get('year', 'n.d.')}), {title}"
    return f"{label}, p. {pages}" if pages else label


def sources_text(keys: list[str], page_items: list[str] | None = None) -> str:
    """All sources of one row, each with its page where known, joined for hover text."""
    pages = dict(item.split("=", 1) for item in (page_items or []))
    return "; ".join(source_label(key, pages.get(key)) for key in keys)


def format_date(date: pd.Timestamp, precision: str = "day") -> str:
    """A date written as precisely as it is known: 27 May 1997, May 1997 or 1997."""
    return {"day": f"{date.day} {date:%B %Y}", "month": f"{date:%B %Y}", "year": f"{date:%Y}"}[precision]


def when_text(row) -> str:
    """Date, or date range for spans, at the row's precision."""
    start = format_date(row["date"], row["date_precision"])
    if pd.isna(row.get("end_date")):
        return start
    return f"{start} – {format_date(row['end_date'], row['date_precision'])}"


def _wrap(text: str, width: int = 70) -> str:
    return "<br>".join(textwrap.wrap(text, width))


def style(fig: go.Figure, title: str, x_title: str, y_title: str, height: int = 480) -> go.Figure:
    """Apply the book's common layout: title, axis labels, font, legend, hover."""
    fig.update_layout(
        template="simple_white",
        title={"text": title, "x": 0, "xanchor": "left"},
        xaxis_title=x_title,
        yaxis_title=y_title,
        height=height,
        font={"family": FONT, "size": 13},
        hoverlabel={"align": "left", "font": {"family": FONT}},
        legend={"itemclick": "toggle", "itemdoubleclick": "toggleothers"},
        margin={"l": 10, "r": 10, "t": 60, "b": 10},
    )
    return fig


def hover_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The text shown on hover for each event: when, title, summary, sources."""
    return pd.DataFrame(
        {
            "when": frame.apply(when_text, axis=1),
            "title": frame["title"],
            "summary": frame["summary"].map(_wrap),
            "sources": [_wrap("Source: " + sources_text(k, p)) for k, p in zip(frame["sources"], frame["source_pages"])],
        },
        index=frame.index,
    )


EVENT_HOVER = "<b>%{customdata[1]}</b><br>%{customdata[0]}<br><br>%{customdata[2]}<br><br><i>%{customdata[3]}</i><extra></extra>"


def timeline(events: pd.DataFrame, title: str, start: str | None = None, end: str | None = None, height: int = 520) -> go.Figure:
    """Events as markers on one lane per category; spans drawn as bars.

    Click a category in the legend to hide it, double-click to show it alone.
    Diamonds mark events that one of the two seed documents discusses.
    """
    shown = events
    if start is not None:
        shown = shown[shown["date"] >= pd.Timestamp(start)]
    if end is not None:
        shown = shown[shown["date"] <= pd.Timestamp(end)]
    hover = hover_table(shown)
    fig = go.Figure()
    for category, label in CATEGORY_LABELS.items():
        rows = shown[shown["category"] == category]
        if rows.empty:
            continue
        colour = CATEGORY_COLOURS[category]
        spans = rows[rows["end_date"].notna()]
        for _, span in spans.iterrows():  # a span is a thick line from start to end
            fig.add_trace(
                go.Scatter(
                    x=[span["date"], span["end_date"]], y=[label, label], mode="lines",
                    line={"color": colour, "width": 8}, opacity=0.45, legendgroup=category,
                    showlegend=False, hoverinfo="skip",
                )
            )
        fig.add_trace(
            go.Scatter(
                x=rows["date"], y=[label] * len(rows), mode="markers", name=label, legendgroup=category,
                marker={
                    "color": colour, "size": 11, "line": {"color": "white", "width": 1},
                    "symbol": [SEED_SYMBOL if seeds else OTHER_SYMBOL for seeds in rows["seed"]],
                },
                customdata=hover.loc[rows.index].to_numpy(), hovertemplate=EVENT_HOVER,
            )
        )
    style(fig, title, "Date", "Category of event", height)
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(CATEGORY_LABELS.values())), showgrid=True)
    fig.update_layout(legend_title_text="Category (click to filter)", hovermode="closest")
    return fig
