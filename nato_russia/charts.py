"""Charts of measures: the monthly cooperation–conflict index and the councils' meetings per year."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .citations import sources_text
from .figure_contract import KEY_EVENT
from .measures import council_meetings
from .prose import at_extreme, counted, month_name, name_extreme, noun, signed
from .style import GRID, LABEL_BACKGROUND, TOL_MUTED, describe, integer_step, style
from .text import date_range_text, format_date, short_label


def _extreme_labels(fig: go.Figure, index: pd.DataFrame, events: pd.DataFrame | None) -> None:
    """Name the highest and the lowest month on the chart, with the event that weighed most in it."""
    if index["index"].abs().sum() == 0:
        return
    # Every month tied at the extreme gets its label (figures.js keeps the labels apart): naming one would hide the others.
    # A month at zero is no extreme: if no month is above (below) zero, that side gets no label.
    highs = at_extreme(index["index"], "highest").index if index["index"].max() > 0 else []
    lows = at_extreme(index["index"], "lowest").index if index["index"].min() < 0 else []
    for month, above in [(month, True) for month in highs] + [(month, False) for month in lows]:
        text = f"{month:%b %Y}: {index.loc[month, 'index']:+.0f}".replace("-", "−")
        if events is not None:
            in_month = events[events["date"].dt.to_period("M") == month.to_period("M")]
            if len(in_month):
                text += "<br>" + short_label(in_month.loc[in_month["tone"].abs().idxmax(), "title"], lines=1, width=30)
        fig.add_annotation(x=month, y=index.loc[month, "index"], text=text, name=KEY_EVENT, showarrow=False,
                           xanchor="left", yanchor="bottom" if above else "top", yshift=4 if above else -4,
                           align="left", font={"size": 11}, bgcolor=LABEL_BACKGROUND, borderpad=1)
    low, high = float(index["index"].min()), float(index["index"].max())
    fig.update_yaxes(range=[min(low, 0) * 1.45 - 1, max(high, 0) * 1.45 + 1])  # room for the labels


def _extreme_months_text(values: pd.Series) -> str:
    """'Highest month: June 2003 (+9); lowest: April 2007 and July 2007 (−6 each).', every tied month named."""
    high = (f"Highest {noun(len(at_extreme(values, 'highest')), 'month')}: {name_extreme(values, 'highest', month_name, signed)}"
            if values.max() > 0 else "No month of net cooperation")
    low = f"lowest: {name_extreme(values, 'lowest', month_name, signed)}" if values.min() < 0 else "no month of net conflict"
    return f"{high}; {low}."


def tone_chart(index: pd.DataFrame, title: str, label: str = "Coded events", events: pd.DataFrame | None = None) -> go.Figure:
    """Monthly index as bars (cooperation above zero, conflict below) and its smoothed line; extremes named.

    Pass ``events`` to name, beside the highest and the lowest month, the
    event with the largest tone score in it.
    """
    colours = [TOL_MUTED[2] if value >= 0 else TOL_MUTED[6] for value in index["index"]]
    fig = go.Figure()
    fig.add_trace(go.Bar(
        x=index.index, y=index["index"], marker={"color": colours}, name="Monthly sum of tone",
        customdata=index[["events"]].to_numpy(),
        hovertemplate="%{x|%B %Y}<br>Index: %{y:+.0f}<br>Events: %{customdata[0]}<extra></extra>",
    ))
    fig.add_trace(go.Scatter(
        x=index.index, y=index["smoothed"], mode="lines", name=f"{label}: rolling mean",
        line={"color": TOL_MUTED[0], "width": 2.5},
        hovertemplate="%{x|%B %Y}<br>Rolling mean: %{y:+.1f}<extra></extra>",
    ))
    style(fig, title, "Month", "Cooperation (+) / conflict (−) score")
    _extreme_labels(fig, index, events)
    active = index[index["events"] > 0]
    describe(
        fig,
        f"Monthly cooperation–conflict index, {date_range_text(index.index.to_series())}: bars above zero for "
        f"months of net cooperation ({int((index['index'] > 0).sum())}), below zero for net conflict "
        f"({int((index['index'] < 0).sum())}), and a line for the rolling mean. "
        f"The months shown hold {counted(int(active['events'].sum()), 'event')}. "
        f"{_extreme_months_text(index['index'])}",
        pd.DataFrame({"Month": index.index.strftime("%B %Y"), "Events": index["events"],
                      "Index": index["index"].round(1), "Rolling mean": index["smoothed"].round(2)})[index["events"] > 0],
    )
    fig.add_hline(y=0, line={"color": "grey", "width": 1})
    half_month = pd.Timedelta(days=16)
    fig.update_xaxes(showgrid=False, range=[index.index.min() - half_month, index.index.max() + half_month])
    fig.update_yaxes(showgrid=True, gridcolor=GRID)
    return fig


COUNCIL_SERIES = {("PJC", "ministers"): TOL_MUTED[1], ("PJC", "summit"): TOL_MUTED[0],
                  ("NRC", "ministers"): TOL_MUTED[5], ("NRC", "summit"): TOL_MUTED[7]}


def councils_chart(events: pd.DataFrame, title: str, start: int = 1997, end: int = 2010) -> go.Figure:
    """Meetings of the PJC and the NRC at ministerial and summit level per year, as stacked bars (see ``council_meetings``)."""
    meetings = council_meetings(events).assign(year=lambda f: f["date"].dt.year)
    meetings = meetings[meetings["year"].between(start, end)]
    years = list(range(start, end + 1))
    fig = go.Figure()
    for (council, level), colour in COUNCIL_SERIES.items():
        rows = meetings[(meetings["council"] == council) & (meetings["level"] == level)]
        per_year = rows.groupby("year")["title"].agg(list).reindex(years)
        counts = [len(titles) if isinstance(titles, list) else 0 for titles in per_year]
        if not any(counts):  # a level at which the data record no meeting of that council
            continue
        names = ["<br>".join(titles) if isinstance(titles, list) else "none recorded" for titles in per_year]
        fig.add_trace(go.Bar(
            x=years, y=counts, name=f"{council}, {level}", marker={"color": colour},
            customdata=[[name] for name in names],
            hovertemplate=f"<b>%{{x}}: %{{y}} {council} meeting(s) of {level}</b><br>%{{customdata[0]}}<extra></extra>",
        ))
    fig.update_layout(barmode="stack")
    style(fig, title, "Year", "Meetings recorded", height=420)
    fig.update_xaxes(dtick=1 if end - start <= 8 else 2, range=[start - 0.6, end + 0.6])
    busiest = meetings["year"].value_counts()
    top = int(busiest.max()) if len(busiest) else 0
    fig.update_yaxes(showgrid=True, gridcolor=GRID, range=[0, max(3, top + 1)], dtick=integer_step(max(3, top + 1)))
    describe(
        fig,
        f"Meetings of the Permanent Joint Council and the NATO–Russia Council at ministerial or summit level, "
        f"{start}–{end}, as recorded in the course data: {len(meetings)} in all"
        + (f", at most {busiest.iloc[0]} in one year." if len(busiest) else "."),
        pd.DataFrame({"Date": meetings["date"].map(format_date), "Council": meetings["council"],
                      "Level": meetings["level"], "Event": meetings["title"],
                      "Source": [sources_text(k) for k in meetings["sources"]]}),
    )
    return fig
