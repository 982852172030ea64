"""Charts along the time axis: events by category, terms of office, NATO's growth, agreements' lifelines."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from .citations import sources_text
from .data import LAST_DAY, PERIODS
from .figure_contract import DOCUMENT_COLUMN, EVENT_DETAILS, KEY_EVENT, PERIOD_ANNOTATION
from .hover import EVENT_HOVER, hover_table
from .labels import CATEGORY_LABELS, ROLE_LABELS, STATUS_LABELS, label_codes
from .prose import at_extreme, counted, is_are, name_extreme, noun
from .style import CATEGORY_COLOURS, GRID, LABEL_BACKGROUND, OTHER_SYMBOL, SEED_SYMBOL, TOL_MUTED, describe, style
from .text import date_range_text, format_date, short_label, wrap_lines

PERIOD_END = pd.Timestamp(LAST_DAY)
LANE_LABEL_OFFSET = 0.4  # a lane's name sits this far (in lanes) above its line
LANE_ROOM_ABOVE = 0.75  # room above the top lane for its name and the period names


def _lanes(fig: go.Figure, labels: list[str]) -> dict[str, int]:
    """One horizontal lane per label, top first; each lane's name written just above it inside the plot.

    Names inside the plot take no width from it, so a phone keeps most of
    its width for the data. Returns the y position of each lane.
    """
    count = len(labels)
    position = {label: count - 1 - number for number, label in enumerate(labels)}
    fig.update_yaxes(
        tickmode="array", tickvals=[position[label] + LANE_LABEL_OFFSET for label in labels], ticktext=labels,
        ticklabelposition="inside", ticks="", showline=False, zeroline=False, showgrid=False,
        minor={"tickmode": "array", "tickvals": list(range(count)), "showgrid": True, "gridcolor": GRID, "ticks": ""},
        range=[-0.6, count - 1 + LANE_ROOM_ABOVE], fixedrange=True, tickfont={"size": 12}, automargin=True,
    )
    fig.update_xaxes(showgrid=True, gridcolor=GRID)
    return position


def _shade_periods(fig: go.Figure, lo: pd.Timestamp, hi: pd.Timestamp) -> None:
    """Shade every other period of Part I and name each one at the top of the plot (only when several are shown)."""
    shown = [(name, max(pd.Timestamp(a), lo), min(pd.Timestamp(b), hi)) for name, (a, b) in PERIODS.items()
             if pd.Timestamp(a) <= hi and pd.Timestamp(b) >= lo]
    if len(shown) < 2:
        return
    for number, (name, begin, finish) in enumerate(shown):
        if number % 2 == 0:  # grey at low opacity reads on light and dark backgrounds alike
            fig.add_vrect(x0=begin, x1=finish, fillcolor="#888888", opacity=0.13, line_width=0, layer="below")
        fig.add_annotation(x=begin + (finish - begin) / 2, y=1, xref="x", yref="paper", yanchor="top", text=name,
                           showarrow=False, font={"size": 11}, opacity=0.8, name=PERIOD_ANNOTATION)


def _label_key_events(fig: go.Figure, rows: pd.DataFrame, lane_of: dict) -> None:
    """A short label beside each key event; figures.js moves labels apart so none overlaps another."""
    for _, row in rows.iterrows():
        fig.add_annotation(
            x=row["date"], y=lane_of[row["lane"]], text=short_label(row["title"]), name=KEY_EVENT, showarrow=False,
            xanchor="left", yanchor="bottom", xshift=-3, yshift=7, align="left", font={"size": 11},
            bgcolor=LABEL_BACKGROUND, borderpad=1,
        )


def _key(frame: pd.DataFrame) -> pd.Series:
    return frame["key"].fillna(False).astype(bool) if "key" in frame else pd.Series(False, index=frame.index)


def timeline(events: pd.DataFrame, title: str, start: str | None = None, end: str | None = None, height: int = 520) -> go.Figure:
    """Events as markers on one lane per category; spans drawn as bars; key events labelled; periods shaded.

    Click a category in the legend to hide it, double-click to show it alone.
    Diamonds mark events that one of the two seed documents discusses. Events
    whose ``key`` column is true carry a short label on the chart.
    """
    lo = pd.Timestamp(start) if start is not None else pd.Timestamp(list(PERIODS.values())[0][0])
    hi = pd.Timestamp(end) if end is not None else PERIOD_END
    shown = events[events["date"].between(lo, hi)].assign(lane=lambda f: f["category"].astype(str).map(CATEGORY_LABELS))
    hover = hover_table(shown)
    fig = go.Figure()
    lane_of = _lanes(fig, [label for code, label in CATEGORY_LABELS.items() if (shown["category"] == code).any()])
    for category, label in CATEGORY_LABELS.items():
        rows = shown[shown["category"] == category]
        if rows.empty:
            continue
        colour = CATEGORY_COLOURS[category]
        spans = rows[rows["end_date"].notna()]
        if not spans.empty:  # spans as thick lines, start to end: one trace per lane, broken by gaps (fewer traces draw faster)
            starts, ends = list(spans["date"]), [min(end, hi) for end in spans["end_date"]]
            fig.add_trace(go.Scatter(
                x=[when for start, end in zip(starts, ends) for when in (start, end, None)],
                y=[lane_of[label], lane_of[label], None] * len(spans), mode="lines",
                line={"color": colour, "width": 8}, opacity=0.45, legendgroup=category, showlegend=False, hoverinfo="skip",
            ))
        fig.add_trace(go.Scatter(
            x=rows["date"], y=[lane_of[label]] * len(rows), mode="markers", name=label, legendgroup=category,
            marker={"color": colour, "size": 11, "line": {"color": "white", "width": 1},
                    "symbol": [SEED_SYMBOL if seeds else OTHER_SYMBOL for seeds in rows["seed"]]},
            customdata=hover.loc[rows.index].to_numpy(), hovertemplate=EVENT_HOVER, meta=EVENT_DETAILS,
        ))
    key_rows = shown[_key(shown)]
    _label_key_events(fig, key_rows, lane_of)
    _shade_periods(fig, lo, hi)
    style(fig, title, "Date", "Category of event", height)
    counts = shown["lane"].value_counts()
    busiest = (f"; the busiest {noun(len(at_extreme(counts, 'highest')), 'lane')} "
               f"{is_are(len(at_extreme(counts, 'highest')))} "
               f"{name_extreme(counts, 'highest', lambda lane: f'“{lane.lower()}”', lambda n: counted(n, 'event'))}") if len(counts) else ""
    labelled = (f" {counted(len(key_rows), 'key event')} {is_are(len(key_rows))} labelled: {'; '.join(key_rows['title'])}."
                if len(key_rows) else "")
    table = pd.DataFrame({"Date": hover["when"], "Event": shown["title"], "Category": shown["lane"],
                          "Source": [sources_text(k, p) for k, p in zip(shown["sources"], shown["source_pages"])]})
    if hover["url"].ne("").any():
        table[DOCUMENT_COLUMN] = hover["url"]
    describe(
        fig,
        f"Timeline of {counted(len(shown), 'event')} from {date_range_text(shown['date'])}, one lane per category"
        f"{busiest}. {_seed_markers_text(int(shown['seed'].map(bool).sum()))}{labelled}",
        table,
    )
    fig.update_xaxes(type="date", range=[lo, hi])
    fig.update_layout(legend_title_text="Category (click to filter)", hovermode="closest")
    return fig


def terms_chart(holders: pd.DataFrame, title: str, start: str = "1991-01-01", end: str = "2010-12-31") -> go.Figure:
    """Terms of office as horizontal bars, one lane per role, clipped to the period shown."""
    lo, hi = pd.Timestamp(start), pd.Timestamp(end)
    shown = holders[(holders["start_date"] <= hi) & (holders["end_date"].fillna(PERIOD_END) >= lo)].copy()
    shown["bar_start"] = shown["start_date"].clip(lower=lo)
    shown["bar_end"] = shown["end_date"].fillna(PERIOD_END).clip(upper=hi)
    fig = go.Figure()
    lane_of = _lanes(fig, [label for role, label in ROLE_LABELS.items() if (shown["role"] == role).any()])
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
            "source": [wrap_lines("Source: " + sources_text(keys)) for keys in rows["sources"]],
        })
        fig.add_trace(go.Bar(
            y=[lane_of[label]] * len(rows), x=(rows["bar_end"] - rows["bar_start"]).dt.total_seconds() * 1000,
            base=rows["bar_start"], orientation="h", name=label, width=0.5,
            marker={"color": TOL_MUTED[number], "line": {"color": "white", "width": 2}},
            text=rows["person"].str.split().str[-1], textposition="inside", insidetextanchor="middle",
            customdata=custom.to_numpy(),
            hovertemplate="<b>%{customdata[0]}</b><br>" + label + "<br>%{customdata[1]}<br><br><i>%{customdata[2]}</i><extra></extra>",
        ))
    fig.update_xaxes(type="date")
    style(fig, title, "Date", "Office")
    ordered = shown.sort_values(["role", "start_date"])
    describe(
        fig,
        f"Terms of office of {len(shown)} office holders in {shown['role'].nunique()} roles, "
        f"{lo:%B %Y} to {hi:%B %Y}, one horizontal bar per term.",
        pd.DataFrame({"Office": label_codes(ordered["role"], ROLE_LABELS), "Holder": ordered["person"],
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
        "joined": rounds["joined"].map(lambda s: wrap_lines(s, 60)),
        "members": rounds["members"],
        "source": [wrap_lines("Source: " + sources_text(sorted(set(keys)))) for keys in rounds["sources"]],
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
    fig.update_xaxes(range=[pd.Timestamp(start), pd.Timestamp(end)], showgrid=True, gridcolor=GRID)
    fig.update_yaxes(showgrid=True, gridcolor=GRID)
    fig.update_layout(showlegend=False)
    return fig




def _seed_markers_text(discussed: int) -> str:
    """What the diamonds mark, in words that fit the count (none, one, several)."""
    if discussed == 0:
        return "No event shown is discussed by a seed document."
    return f"Diamonds mark the {counted(discussed, 'event')} a seed document discusses."



# Phase name → (line dash, colour). Political documents and memoranda are adopted, not "in force":
# they are commitments, not treaties that enter into force.
AGREEMENT_PHASES = {
    "Proposed, not signed": ("dashdot", TOL_MUTED[1]),
    "Signed, not yet in force": ("dot", TOL_MUTED[5]),
    "In force": ("solid", TOL_MUTED[3]),
    "Adopted (political commitment)": ("solid", TOL_MUTED[2]),
    "Suspended": ("dash", TOL_MUTED[6]),
}
NOT_BINDING = {"political_document", "memorandum"}
SUSPENDED_NO_END = "Suspended (end not in the data)"


def _date_of(row, column: str):
    value = row.get(column)
    return value if value is not None and pd.notna(value) else None


def _phase_segments(row) -> tuple[list[tuple[str, pd.Timestamp, pd.Timestamp]], list[tuple[str, pd.Timestamp]]]:
    """The dated phases of one agreement, and its point events (suspended without a known end, ended).

    proposed → signed → in force (or adopted) → suspended → resumed → ended. A
    suspension lasts to the end of 2010 only when the agreement was still
    suspended then; it ends at ``resumed_date`` when the data give one;
    otherwise it is marked as a point and the earlier phase continues.
    """
    stop = _date_of(row, "ended_date") or PERIOD_END
    adopted = row["kind"] in NOT_BINDING or row["status_2010"] == "adopted"
    signed, in_force = _date_of(row, "signed_date"), _date_of(row, "in_force_date")
    if adopted and signed is not None and in_force is None:
        in_force = signed  # a political text takes effect when it is adopted
    suspended, resumed = _date_of(row, "suspended_date"), _date_of(row, "resumed_date")
    points = []
    if suspended is not None and resumed is None and row["status_2010"] != "suspended":
        points.append((SUSPENDED_NO_END, suspended))
        suspended = None
    milestones = [(_date_of(row, "proposed_date"), "Proposed, not signed"),
                  (None if adopted and signed == in_force else signed, "Signed, not yet in force"),
                  (in_force, "Adopted (political commitment)" if adopted else "In force"),
                  (suspended, "Suspended"),
                  (resumed, "Adopted (political commitment)" if adopted else "In force")]
    dated = [(date, phase) for date, phase in milestones if date is not None and date < stop]
    segments = [(phase, begin, min(following[0], stop)) for (begin, phase), following in zip(dated, dated[1:] + [(stop, None)])]
    if _date_of(row, "ended_date") is not None:
        points.append(("Ended", stop))
    return segments, points


def agreements_chart(agreements: pd.DataFrame, title: str, start: str = "1990-01-01", end: str = "2011-06-30") -> go.Figure:
    """One lifeline per agreement: proposed, signed, in force or adopted, suspended; a cross where one ended.

    An agreement without any date is listed in the description but drawn
    nowhere (an empty row would suggest a lifeline the data do not have).
    """
    fig = go.Figure()
    first_date = agreements[["proposed_date", "signed_date", "in_force_date", "suspended_date", "ended_date"]].min(axis=1)
    ordered = agreements.assign(first=first_date).sort_values("first")
    drawn, undated = ordered[ordered["first"].notna()], ordered[ordered["first"].isna()]
    lane_of = _lanes(fig, drawn["short_name"].tolist())
    in_legend = set()
    for _, row in drawn.iterrows():
        source = wrap_lines("Source: " + sources_text(row["sources"]))
        status = STATUS_LABELS.get(str(row["status_2010"]), str(row["status_2010"]))
        lane = lane_of[row["short_name"]]
        segments, points = _phase_segments(row)
        for phase, begin, finish in segments:
            dash, colour = AGREEMENT_PHASES[phase]
            fig.add_trace(go.Scatter(
                x=[begin, finish], y=[lane] * 2, mode="lines+markers",
                line={"color": colour, "width": 6, "dash": dash}, marker={"size": 7},
                name=phase, legendgroup=phase, showlegend=phase not in in_legend,
                customdata=[[row["name"], phase.lower(), format_date(begin), source, status]] * 2,
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]} from %{customdata[2]}"
                              "<br>Status at the end of 2010: %{customdata[4]}<br><br><i>%{customdata[3]}</i><extra></extra>",
            ))
            in_legend.add(phase)
        for what, when in points:
            fig.add_trace(go.Scatter(
                x=[when], y=[lane], mode="markers", name=what, legendgroup=what, showlegend=what not in in_legend,
                marker={"symbol": "x" if what == "Ended" else "line-ns-open", "size": 12, "line": {"width": 3},
                        "color": "black" if what == "Ended" else TOL_MUTED[6]},
                customdata=[[row["name"], what.lower(), format_date(when), source]],
                hovertemplate="<b>%{customdata[0]}</b><br>%{customdata[1]}: %{customdata[2]}<br><br><i>%{customdata[3]}</i><extra></extra>",
            ))
            in_legend.add(what)
    style(fig, title, "Date", "Agreement", height=max(380, 44 * len(drawn) + 150))
    status = label_codes(ordered["status_2010"], STATUS_LABELS).value_counts()
    left_out = f" Not drawn, because the data give no date: {', '.join(undated['short_name'])}." if len(undated) else ""
    describe(
        fig,
        f"Lifelines of {len(drawn)} agreements: dash-dotted while proposed, dotted while signed only, solid in force "
        f"or adopted, dashed while suspended, a cross where one ended. Status at the end of 2010: "
        + ", ".join(f"{n} {name}" for name, n in status.items()) + "." + left_out,
        pd.DataFrame({"Agreement": ordered["name"],
                      **{label: ordered[column].map(lambda d: format_date(d) if pd.notna(d) else "")
                         for label, column in [("Proposed", "proposed_date"), ("Signed", "signed_date"),
                                               ("In force or adopted", "in_force_date"),
                                               ("Suspended", "suspended_date"), ("Ended", "ended_date")]},
                      "Status at the end of 2010": label_codes(ordered["status_2010"], STATUS_LABELS),
                      "Source": [sources_text(k) for k in ordered["sources"]]}),
    )
    fig.update_xaxes(type="date", range=[pd.Timestamp(start), pd.Timestamp(end)])
    return fig
