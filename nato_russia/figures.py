"""One look for every figure in the book: palette, hover text, timeline.

All figures are Plotly figures returned to the notebook; the book draws them
offline with its own copy of plotly.js (see ``book_extensions/plotly_offline``).
"""

from __future__ import annotations

import textwrap
from functools import lru_cache

import pandas as pd
import plotly.graph_objects as go

from .data import FIRST_DAY, LAST_DAY, data_dir

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
    if fig.layout.meta is None:  # a figure built in a chapter: describe what is plotted
        points = _plotted_points(fig, x_title, y_title)
        names = ", ".join(dict.fromkeys(str(name) for name in points["Series"] if name)) or "one series"
        describe(fig, f"{title}: {y_title} against {x_title}; {len(points)} plotted values ({names}).", points)
    return fig


def describe(fig: go.Figure, description: str, table: pd.DataFrame) -> go.Figure:
    """Attach a text alternative: one sentence on what the figure shows, and its rows.

    Both travel in ``layout.meta``; the book prints the sentence under the
    figure and the rows as a collapsible table, for screen readers, keyboard
    users and anyone who would rather read numbers than hover over them.
    """
    rows = table.astype(object).where(table.notna(), "").astype(str)
    fig.update_layout(meta={"description": description,
                            "table": {"columns": [str(c) for c in table.columns], "rows": rows.to_numpy().tolist()}})
    return fig


def _plotted_points(fig: go.Figure, x_title: str, y_title: str) -> pd.DataFrame:
    """Every point of every named trace: the fallback table for figures built by hand."""
    frames = []
    for trace in fig.data:
        x, y = getattr(trace, "x", None), getattr(trace, "y", None)
        if x is None or y is None:
            continue
        frames.append(pd.DataFrame({"Series": trace.name or "", x_title: list(x), y_title: list(y)}))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=["Series", x_title, y_title])


def _date_range_text(dates: pd.Series) -> str:
    return f"{dates.min():%B %Y} to {dates.max():%B %Y}" if len(dates) else "no dates"


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
    counts = shown["category"].astype(str).map(CATEGORY_LABELS).value_counts()
    busiest = f"; the busiest lane is {counts.index[0].lower()} ({counts.iloc[0]} events)" if len(counts) else ""
    describe(
        fig,
        f"Timeline of {len(shown)} events from {_date_range_text(shown['date'])}, one lane per category"
        f"{busiest}. Diamonds mark the {int(shown['seed'].map(bool).sum())} events a seed document discusses.",
        pd.DataFrame({"Date": hover["when"], "Event": shown["title"],
                      "Category": shown["category"].astype(str).map(CATEGORY_LABELS),
                      "Source": [sources_text(k, p) for k, p in zip(shown["sources"], shown["source_pages"])]}),
    )
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(CATEGORY_LABELS.values())), showgrid=True)
    fig.update_layout(legend_title_text="Category (click to filter)", hovermode="closest")
    return fig


ROLE_LABELS = {
    "russian_president": "President of Russia",
    "russian_foreign_minister": "Russian foreign minister",
    "us_president": "President of the United States",
    "nato_secretary_general": "NATO Secretary General",
    "russian_envoy_to_nato": "Russia's envoy to NATO",
}
PERIOD_END = pd.Timestamp(LAST_DAY)


def terms_chart(holders: pd.DataFrame, title: str, start: str = "1991-01-01", end: str = "2010-12-31") -> go.Figure:
    """Terms of office as horizontal bars, one lane per role, clipped to the period shown."""
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    shown = holders[(holders["start_date"] <= hi) & (holders["end_date"].fillna(PERIOD_END) >= lo)].copy()
    shown["bar_start"] = shown["start_date"].clip(lower=lo)
    shown["bar_end"] = shown["end_date"].fillna(PERIOD_END).clip(upper=hi)
    fig = go.Figure()
    for number, (role, label) in enumerate(ROLE_LABELS.items()):
        rows = shown[shown["role"] == role]
        if rows.empty:
            continue
        term = rows.apply(
            lambda r: f"{format_date(r['start_date'])} – {format_date(r['end_date']) if pd.notna(r['end_date']) else 'after 2010'}",
            axis=1,
        )
        custom = pd.DataFrame({
            "person": rows["person"] + rows["acting"].map({True: " (acting)", False: ""}),
            "term": term,
            "source": [_wrap("Source: " + sources_text(keys)) for keys in rows["sources"]],
        })
        fig.add_trace(go.Bar(
            y=[label] * len(rows), x=(rows["bar_end"] - rows["bar_start"]).dt.total_seconds() * 1000,
            base=rows["bar_start"], orientation="h", name=label,
            marker={"color": TOL_MUTED[number], "line": {"color": "white", "width": 2}},
            text=rows["person"].str.split().str[-1], textposition="inside", insidetextanchor="middle",
            customdata=custom.to_numpy(),
            hovertemplate="<b>%{customdata[0]}</b><br>" + label + "<br>%{customdata[1]}<br><br><i>%{customdata[2]}</i><extra></extra>",
        ))
    style(fig, title, "Date", "Office")
    ordered = shown.sort_values(["role", "start_date"])
    describe(
        fig,
        f"Terms of office of {len(shown)} office holders in {shown['role'].nunique()} roles, "
        f"{lo:%B %Y} to {hi:%B %Y}, one horizontal bar per term.",
        pd.DataFrame({"Office": ordered["role"].map(ROLE_LABELS), "Holder": ordered["person"],
                      "From": ordered["start_date"].map(format_date),
                      "To": [format_date(d) if pd.notna(d) else "after 2010" for d in ordered["end_date"]],
                      "Source": [sources_text(k) for k in ordered["sources"]]}),
    )
    fig.update_xaxes(type="date", range=[lo, hi])
    fig.update_layout(barmode="overlay", showlegend=False, uniformtext={"minsize": 9, "mode": "hide"})
    return fig


def enlargement_chart(members: pd.DataFrame, title: str, start: str = "1949-01-01", end: str = "2010-12-31") -> go.Figure:
    """Number of NATO members over time as a step line, with each round marked."""
    rounds = (
        members.sort_values("accession_date")
        .groupby("accession_date", as_index=False)
        .agg(joined=("name", lambda names: ", ".join(names)), added=("iso3", "size"),
             round=("enlargement_round", "first"), sources=("sources", "sum"))
    )
    rounds["members"] = rounds["added"].cumsum()
    steps_x = list(rounds["accession_date"]) + [pd.Timestamp(end)]
    steps_y = list(rounds["members"]) + [rounds["members"].iloc[-1]]
    fig = go.Figure(go.Scatter(x=steps_x, y=steps_y, mode="lines", line={"shape": "hv", "color": TOL_MUTED[0], "width": 3},
                               name="Members", hoverinfo="skip"))
    custom = pd.DataFrame({
        "when": rounds["accession_date"].map(format_date),
        "joined": rounds["joined"].map(lambda s: _wrap(s, 60)),
        "members": rounds["members"],
        "source": [_wrap("Source: " + sources_text(sorted(set(keys)))) for keys in rounds["sources"]],
    })
    fig.add_trace(go.Scatter(
        x=rounds["accession_date"], y=rounds["members"], mode="markers", name="Accession",
        marker={"size": 11, "color": TOL_MUTED[6], "symbol": "diamond", "line": {"color": "white", "width": 1}},
        customdata=custom.to_numpy(),
        hovertemplate="<b>%{customdata[0]}</b>: %{customdata[2]} members<br>Joined: %{customdata[1]}<br><br><i>%{customdata[3]}</i><extra></extra>",
    ))
    style(fig, title, "Date", "Number of member states")
    describe(
        fig,
        f"NATO membership as a step line: {rounds['members'].iloc[0]} founding members in "
        f"{rounds['accession_date'].iloc[0]:%Y}, {rounds['members'].iloc[-1]} after the last accession shown "
        f"({format_date(rounds['accession_date'].iloc[-1])}), in {len(rounds)} dated steps.",
        pd.DataFrame({"Date": custom["when"], "States joining": rounds["joined"], "Members after": rounds["members"],
                      "Source": [sources_text(sorted(set(keys))) for keys in rounds["sources"]]}),
    )
    fig.update_xaxes(range=[pd.Timestamp(start), pd.Timestamp(end)])
    fig.update_layout(showlegend=False)
    return fig


AGREEMENT_PHASES = {
    "signed, not in force": ("signed_date", "in_force_date", "dot"),
    "in force": ("in_force_date", "suspended_date", "solid"),
    "suspended": ("suspended_date", None, "dash"),
}


def _phase_segments(row) -> list[tuple[str, pd.Timestamp, pd.Timestamp]]:
    """The dated phases of one agreement: signed → in force → suspended → ended."""
    stop = row["ended_date"] if pd.notna(row["ended_date"]) else PERIOD_END
    milestones = [(row["signed_date"], "signed, not in force"), (row["in_force_date"], "in force"),
                  (row["suspended_date"], "suspended")]
    dated = [(date, phase) for date, phase in milestones if pd.notna(date)]
    segments = []
    for (begin, phase), following in zip(dated, dated[1:] + [(stop, None)]):
        segments.append((phase, begin, min(following[0], stop)))
    return segments


def agreements_chart(agreements: pd.DataFrame, title: str, start: str = "1990-01-01", end: str = "2011-06-30") -> go.Figure:
    """One lifeline per agreement: dotted while signed only, solid in force, dashed suspended."""
    fig = go.Figure()
    shown_phase = set()
    ordered = agreements.sort_values("signed_date", na_position="last")
    colours = {"signed, not in force": TOL_MUTED[5], "in force": TOL_MUTED[3], "suspended": TOL_MUTED[6]}
    for _, row in ordered.iterrows():
        source = _wrap("Source: " + sources_text(row["sources"]))
        for phase, begin, finish in _phase_segments(row):
            fig.add_trace(go.Scatter(
                x=[begin, finish], y=[row["short_name"]] * 2, mode="lines+markers",
                line={"color": colours[phase], "width": 6, "dash": AGREEMENT_PHASES[phase][2]},
                marker={"size": 7}, name=phase, legendgroup=phase, showlegend=phase not in shown_phase,
                customdata=[[row["name"], phase, format_date(begin), source, row["status_2010"].replace("_", " ")]] * 2,
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} from %{customdata[2]}"
                              "<br>Status at end of 2010: %{customdata[4]}<br><br><i>%{customdata[3]}</i><extra></extra>",
            ))
            shown_phase.add(phase)
        if pd.notna(row["ended_date"]):
            fig.add_trace(go.Scatter(
                x=[row["ended_date"]], y=[row["short_name"]], mode="markers", name="ended", legendgroup="ended",
                marker={"symbol": "x", "size": 11, "color": "black"}, showlegend="ended" not in shown_phase,
                customdata=[[row["name"], format_date(row["ended_date"]), source]],
                hovertemplate="<b>%{customdata[0]}</b><br>ended %{customdata[1]}<br><br><i>%{customdata[2]}</i><extra></extra>",
            ))
            shown_phase.add("ended")
    style(fig, title, "Date", "Agreement", height=max(420, 34 * len(ordered) + 140))
    status = ordered["status_2010"].astype(str).str.replace("_", " ").value_counts()
    describe(
        fig,
        f"Lifelines of {len(ordered)} agreements: dotted while signed only, solid in force, dashed suspended, "
        f"a cross where one ended. Status at the end of 2010: "
        + ", ".join(f"{n} {name}" for name, n in status.items()) + ".",
        pd.DataFrame({"Agreement": ordered["name"],
                      **{label: ordered[column].map(lambda d: format_date(d) if pd.notna(d) else "")
                         for label, column in [("Signed", "signed_date"), ("In force", "in_force_date"),
                                               ("Suspended", "suspended_date"), ("Ended", "ended_date")]},
                      "Status 2010": ordered["status_2010"].astype(str).str.replace("_", " "),
                      "Source": [sources_text(k) for k in ordered["sources"]]}),
    )
    fig.update_xaxes(range=[pd.Timestamp(start), pd.Timestamp(end)])
    fig.update_yaxes(categoryorder="array", categoryarray=list(reversed(ordered["short_name"].tolist())))
    return fig


def monthly_tone_index(events: pd.DataFrame, tone: pd.Series | None = None, weights: dict | None = None,
                       window: int = 6) -> pd.DataFrame:
    """A monthly cooperation–conflict index from coded events.

    Each event contributes its tone score (``tone`` overrides the coded scores,
    e.g. after a student recodes some events), times an optional weight per
    category (default 1). Events are counted in the month they began. The
    index is the monthly sum; ``smoothed`` is its centred ``window``-month
    rolling mean. Months without events score 0. The months run from the
    first period's start (the 1990 prologue) to the last period's end.
    """
    scores = (tone if tone is not None else events["tone"]).astype(float)
    factor = events["category"].astype(str).map(weights or {}).fillna(1.0)
    monthly = (
        pd.DataFrame({"month": events["date"].dt.to_period("M"), "score": scores * factor})
        .groupby("month")["score"].agg(["sum", "size"])
        .reindex(pd.period_range(FIRST_DAY, LAST_DAY, freq="M"), fill_value=0)
        .rename(columns={"sum": "index", "size": "events"})
    )
    monthly["smoothed"] = monthly["index"].rolling(window, center=True, min_periods=1).mean()
    monthly.index = monthly.index.to_timestamp()
    monthly.index.name = "month"
    return monthly


def tone_chart(index: pd.DataFrame, title: str, label: str = "Coded events") -> go.Figure:
    """Monthly index as bars (cooperation above zero, conflict below) and its smoothed line."""
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
    active = index[index["events"] > 0]
    describe(
        fig,
        f"Monthly cooperation–conflict index, {_date_range_text(index.index.to_series())}: bars above zero for "
        f"months of net cooperation ({int((index['index'] > 0).sum())}), below zero for net conflict "
        f"({int((index['index'] < 0).sum())}), and a line for the rolling mean. "
        f"{int(active['events'].sum())} events fall in the months shown.",
        pd.DataFrame({"Month": index.index.strftime("%B %Y"), "Events": index["events"],
                      "Index": index["index"].round(1), "Rolling mean": index["smoothed"].round(2)})[index["events"] > 0],
    )
    fig.add_hline(y=0, line={"color": "grey", "width": 1})
    return fig
