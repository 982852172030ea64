"""One look for every figure in the book: palette, hover text, timeline.

All figures are Plotly figures returned to the notebook; the book draws them
offline with its own copy of plotly.js (see ``book_extensions/plotly_offline``).
"""

from __future__ import annotations

import html
import math
import textwrap
from functools import lru_cache
from urllib.parse import urlsplit

import pandas as pd
import plotly.graph_objects as go

from .data import FIRST_DAY, LAST_DAY, PERIODS, data_dir
from .labels import CATEGORY_LABELS, ROLE_LABELS, STATUS_LABELS, label_codes
from .prose import at_extreme, counted, is_are, month_name, name_extreme, noun, signed

# Paul Tol's "muted" qualitative palette: nine colours that stay distinct for
# the common forms of colour blindness (https://personal.sron.nl/~pault/).
TOL_MUTED = ["#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499"]

CATEGORY_COLOURS = dict(zip(CATEGORY_LABELS, TOL_MUTED))
SEED_SYMBOL, OTHER_SYMBOL = "diamond", "circle"
FONT = "Helvetica Neue, Arial, sans-serif"
TITLE_WIDTH = 60  # characters per title line; _static/figures.js rewraps for the screen's width
KEY_LABEL_WIDTH = 22  # characters per line of a key event's label (two lines at most)
# Annotations with this name are placed by _static/figures.js so that none overlaps another.
KEY_EVENT = "key-event"
# The text box behind labels on the plot; figures.js switches it in dark mode.
LABEL_BACKGROUND = "rgba(255,255,255,0.8)"
# Trace meta telling figures.js that customdata holds EVENT_COLUMNS (for the tap/click panel).
EVENT_DETAILS = {"details": "event"}


@lru_cache(maxsize=1)
def _bibliography() -> dict:
    from pybtex.database import parse_file

    return dict(parse_file(str(data_dir() / "references.bib")).entries)


@lru_cache(maxsize=1)
def _plain_text_backend():
    # Looked up once: each pybtex plugin look-up scans every installed package's entry points.
    from pybtex.plugin import find_plugin

    return find_plugin("pybtex.backends", "text")()


def as_printed(latex: str) -> str:
    """A BibTeX value as the bibliography prints it: ``--`` an en dash, ``---`` an em dash, braces gone, accents decoded."""
    from pybtex.richtext import Text

    return Text.from_latex(latex).render(_plain_text_backend())


def source_label(key: str, pages: str | None = None) -> str:
    """A short human-readable citation, e.g. ``Matser (2001), Towards a New …, p. 20``."""
    entry = _bibliography().get(key)
    if entry is None:
        return key
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    if people:
        surnames = [as_printed(" ".join(person.last_names)) for person in people[:2]]
        who = surnames[0] + (" et al." if len(people) > 2 else (f" and {surnames[1]}" if len(people) == 2 else ""))
    else:
        who = as_printed(entry.fields.get("organization") or entry.fields.get("institution") or entry.fields.get("publisher", key))
    title = textwrap.shorten(as_printed(entry.fields.get("title", "")), width=60, placeholder="…")
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


def plotly_text(text: str) -> str:
    """Data as Plotly shows text: Plotly reads <b>, <br> and the like as markup, so the data's &, < and > are escaped.

    Plotly turns the entities back into the characters, so a title such as
    ``<img …>`` is shown as typed, not dropped as an unknown tag.
    """
    return html.escape(str(text), quote=False)


def _short_label(text: str, width: int = KEY_LABEL_WIDTH, lines: int = 2) -> str:
    """A label of at most ``lines`` lines of ``width`` characters, cut with an ellipsis."""
    wrapped = textwrap.wrap(text, width)
    if len(wrapped) > lines:
        wrapped = wrapped[: lines - 1] + [textwrap.shorten(" ".join(wrapped[lines - 1:]), width, placeholder="…")]
    return "<br>".join(plotly_text(line) for line in wrapped)


def _axis_values(fig: go.Figure, axis: str) -> list:
    values = []
    for trace in fig.data:
        found = getattr(trace, axis, None)
        values.extend([] if found is None else list(found))
    return values


def _is_quantity(values: list) -> bool:
    """Numbers that measure something; dates, names and years are labels whose ticks say what they are."""
    present = pd.Series(values, dtype=object).dropna()  # gaps (None, NaN) are not labels
    numbers = pd.to_numeric(present, errors="coerce")
    if not len(present) or numbers.isna().any():
        return False
    return not (numbers.eq(numbers.round()) & numbers.between(1900, 2100)).all()


def _whole_numbers(values: list) -> bool:
    numbers = pd.to_numeric(pd.Series(values, dtype=object), errors="coerce").dropna()
    return len(numbers) > 0 and bool(numbers.eq(numbers.round()).all())


def integer_step(top: float, most_ticks: int = 6) -> int:
    """The smallest of 1, 2, 5, 10, 20, 25, 50, … that gives at most ``most_ticks`` ticks from 0 to ``top``."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500):
        if top / step <= most_ticks:
            return step
    return int(10 ** math.ceil(math.log10(top / most_ticks)))


def _axis_top(fig: go.Figure, axis: str) -> float:
    """The largest value an axis must show: stacked bars add up per category."""
    bars = [t for t in fig.data if t.type == "bar" and getattr(t, axis, None) is not None]
    other = "x" if axis == "y" else "y"
    if fig.layout.barmode in ("stack", "relative") and len(bars) > 1:
        totals = pd.concat([pd.Series(list(getattr(t, axis)), index=list(getattr(t, other))) for t in bars])
        return float(totals.groupby(level=0).sum().max())
    return float(pd.to_numeric(pd.Series(_axis_values(fig, axis), dtype=object), errors="coerce").abs().max())


def style(fig: go.Figure, title: str, x_title: str, y_title: str, height: int = 480) -> go.Figure:
    """Apply the book's common layout: title, legend above the plot, axis titles only where they say something.

    An axis of dates, names or years gets no title (its tick labels already say
    what it is); an axis of quantities keeps its title, and counts get whole-number
    ticks. The axis names still go into the figure's text alternative. The
    bottom and left margins start with the room the labels will need
    (``_margins_for_labels``), so plotly.js draws the figure once.
    _static/figures.js fits the top margin to the title and legend as drawn and
    adapts the figure to narrow screens and dark mode.
    """
    fig.update_layout(
        template="simple_white",
        title={"text": _wrap(title, TITLE_WIDTH), "x": 0, "xanchor": "left", "xref": "container",
               "y": 1, "yanchor": "top", "yref": "container", "pad": {"t": 10, "l": 8}, "font": {"size": 17}},
        height=height,
        font={"family": FONT, "size": 13},
        hoverlabel={"align": "left", "font": {"family": FONT}},
        legend={"orientation": "h", "x": 0, "xanchor": "left", "y": 1, "yanchor": "bottom", "yref": "paper",
                "itemclick": "toggle", "itemdoubleclick": "toggleothers", "title": {"side": "top"}, "font": {"size": 12}},
        margin={"l": BASE_MARGIN, "r": 16, "t": _top_margin(fig, title), "b": BASE_MARGIN},
    )
    for axis, axis_title in (("x", x_title), ("y", y_title)):
        values, layout_axis = _axis_values(fig, axis), fig.layout[f"{axis}axis"]
        quantity = _is_quantity(values) and layout_axis.type not in ("date", "category") and layout_axis.ticktext is None
        update = {"automargin": True, "title": {"text": axis_title if quantity else None}}
        if quantity and _whole_numbers(values):
            update.update(tick0=0, dtick=integer_step(_axis_top(fig, axis)), tickformat="d")
        fig.update_xaxes(**update) if axis == "x" else fig.update_yaxes(**update)
    fig.update_layout(margin=_margins_for_labels(fig))
    if fig.layout.meta is None:  # a figure built in a chapter: describe what is plotted
        points = _plotted_points(fig, x_title, y_title)
        names = ", ".join(dict.fromkeys(str(name) for name in points["Series"] if name)) or "one series"
        describe(fig, f"{title}: {y_title} against {x_title}; {len(points)} plotted values ({names}).", points)
    return fig


# The room plotly.js's automargin gives the axes' labels, as drawn in Chromium with FONT at
# 13 px: set up front, the first drawing needs no second pass to make it (about a third of
# the drawing time). automargin stays on: where a reader's fonts need more, it adds more.
BASE_MARGIN = 8
X_LABELS_ROOM = 25  # one line of tick labels under the plot, with the tick and its gap
Y_TITLE_ROOM = 35  # a y-axis title beside the tick labels, with their ticks and gaps
DIGIT_WIDTH = 7.5  # px per character of a number's tick label (7.2 in Arial at 13 px)
YEAR_LINE_ROOM = 17  # the second line of day-by-day date labels, which carries the year
CORNER_ROOM = 4  # given both margins, automargin settles this much further out on each (measured)


def _largest_tick(fig: go.Figure) -> int | None:
    """The largest tick label of a y axis with whole-number ticks (None for any other y axis)."""
    axis = fig.layout.yaxis
    if axis.tickformat != "d" or not axis.dtick or axis.ticklabelposition not in (None, "outside"):
        return None
    top = axis.range[1] if axis.range else _axis_top(fig, "y") * 1.05  # autorange pads bars by about 5 %
    return int(math.floor(top / axis.dtick) * axis.dtick)


def _x_label_lines(values: list) -> int:
    """Lines of x tick labels plotly.js draws for these values; 0 when they are names, which may be long or rotated.

    Numbers and dates take one line; dates that all fall within six months are
    labelled by day, with the year on a second line.
    """
    present = pd.Series(values, dtype=object).dropna()
    if present.empty:
        return 0
    if pd.to_numeric(present, errors="coerce").notna().all():
        return 1
    dates = pd.to_datetime(present.astype(str), errors="coerce", format="mixed")
    if dates.isna().any():
        return 0
    return 2 if dates.max() - dates.min() < pd.Timedelta(days=183) else 1


def _margins_for_labels(fig: go.Figure) -> dict:
    """Bottom and left margins that already hold the tick labels and titles automargin would make room for.

    Only the common cases are estimated: a row of x tick labels, and a titled y axis
    of counts. Elsewhere (long category names, a titled x axis) the margin stays at
    its base and automargin finds the room on the first drawing, as before.
    """
    margin = {"b": fig.layout.margin.b, "l": fig.layout.margin.l}
    lines = _x_label_lines(_axis_values(fig, "x"))
    if lines and fig.layout.xaxis.showticklabels is not False and not fig.layout.xaxis.title.text:
        margin["b"] = max(margin["b"], BASE_MARGIN + X_LABELS_ROOM + YEAR_LINE_ROOM * (lines - 1))
    largest = _largest_tick(fig)
    if largest is not None and fig.layout.yaxis.title.text:
        margin["l"] = max(margin["l"], math.ceil(BASE_MARGIN + Y_TITLE_ROOM + DIGIT_WIDTH * len(str(largest))))
        if margin["b"] > BASE_MARGIN:
            margin = {side: room + CORNER_ROOM for side, room in margin.items()}
    return margin


def _top_margin(fig: go.Figure, title: str) -> int:
    """Room for the title and a horizontal legend above the plot, estimated for a 700-pixel-wide figure.

    figures.js measures the drawn title and legend and corrects this on every screen.
    """
    names = [t.name for t in fig.data if t.name and t.showlegend is not False]
    legend_rows = -(-sum(7 * len(name) + 40 for name in names) // 700) if names else 0
    return 24 * len(textwrap.wrap(title, TITLE_WIDTH)) + 22 * legend_rows + (20 if legend_rows else 0) + 16


def describe(fig: go.Figure, description: str, table: pd.DataFrame) -> go.Figure:
    """Attach a text alternative: one sentence on what the figure shows, and its rows.

    Both travel in ``layout.meta``; the book prints the sentence under the
    figure and the rows as a collapsible table, for screen readers, keyboard
    users and anyone who would rather read numbers than hover over them. A
    column named ``Primary document`` holds URLs, which figures.js turns into links.
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
    return f"<br><br>Primary document: {where}"


# The columns of an event's customdata, in order (EVENT_HOVER and figures.js read them by position).
EVENT_COLUMNS = ["when", "title", "summary", "sources", "document", "url"]


def hover_table(frame: pd.DataFrame) -> pd.DataFrame:
    """The text shown on hover for each event: when, title, summary, sources, primary document."""
    urls = _urls(frame)
    return pd.DataFrame(
        {
            "when": frame.apply(when_text, axis=1),
            "title": frame["title"].map(plotly_text),
            "summary": frame["summary"].map(plotly_text).map(_wrap),
            "sources": [_wrap("Source: " + sources_text(k, p)) for k, p in zip(frame["sources"], frame["source_pages"])],
            "document": urls.map(_document_line),
            "url": urls,
        },
        index=frame.index,
    )[EVENT_COLUMNS]


EVENT_HOVER = ("<b>%{customdata[1]}</b><br>%{customdata[0]}<br><br>%{customdata[2]}<br><br>"
               "<i>%{customdata[3]}</i>%{customdata[4]}<extra></extra>")
PERIOD_END = pd.Timestamp(LAST_DAY)
LANE_LABEL_OFFSET = 0.4  # a lane's name sits this far (in lanes) above its line
LANE_ROOM_ABOVE = 0.75  # room above the top lane for its name and the period names
GRID = "#e4e4e4"


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
                           showarrow=False, font={"size": 11}, opacity=0.8, name="period")


def _label_key_events(fig: go.Figure, rows: pd.DataFrame, lane_of: dict) -> None:
    """A short label beside each key event; figures.js moves labels apart so none overlaps another."""
    for _, row in rows.iterrows():
        fig.add_annotation(
            x=row["date"], y=lane_of[row["lane"]], text=_short_label(row["title"]), name=KEY_EVENT, showarrow=False,
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
        table["Primary document"] = hover["url"]
    describe(
        fig,
        f"Timeline of {counted(len(shown), 'event')} from {_date_range_text(shown['date'])}, one lane per category"
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
            "source": [_wrap("Source: " + sources_text(keys)) for keys in rows["sources"]],
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
    fig.update_xaxes(range=[pd.Timestamp(start), pd.Timestamp(end)], showgrid=True, gridcolor=GRID)
    fig.update_yaxes(showgrid=True, gridcolor=GRID)
    fig.update_layout(showlegend=False)
    return fig


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
        source = _wrap("Source: " + sources_text(row["sources"]))
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
                text += "<br>" + _short_label(in_month.loc[in_month["tone"].abs().idxmax(), "title"], lines=1, width=30)
        fig.add_annotation(x=month, y=index.loc[month, "index"], text=text, name=KEY_EVENT, showarrow=False,
                           xanchor="left", yanchor="bottom" if above else "top", yshift=4 if above else -4,
                           align="left", font={"size": 11}, bgcolor=LABEL_BACKGROUND, borderpad=1)
    low, high = float(index["index"].min()), float(index["index"].max())
    fig.update_yaxes(range=[min(low, 0) * 1.45 - 1, max(high, 0) * 1.45 + 1])  # room for the labels


def _seed_markers_text(discussed: int) -> str:
    """What the diamonds mark, in words that fit the count (none, one, several)."""
    if discussed == 0:
        return "No event shown is discussed by a seed document."
    return f"Diamonds mark the {counted(discussed, 'event')} a seed document discusses."


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
        f"Monthly cooperation–conflict index, {_date_range_text(index.index.to_series())}: bars above zero for "
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


def council_meetings(events: pd.DataFrame) -> pd.DataFrame:
    """The meetings of the Permanent Joint Council (1997–2002) and the NATO–Russia Council (from 2002)
    at the level of ministers or of heads of state and government, from the ``council_meeting``
    column of the events table (coded by hand from NATO's records; see the codebook).

    The dataset records a selection of meetings, not necessarily every one: the count shows what
    the course data hold.
    """
    coded = events[events["council_meeting"].notna() & (events["council_meeting"].astype(str) != "")]
    parts = coded["council_meeting"].astype(str).str.split("_", n=1)
    return coded[["id", "date", "title", "sources"]].assign(council=parts.str[0].str.upper(), level=parts.str[1])


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
