"""The book's one look for a figure: palette, fonts, title, legend, axes, margins, and a text alternative."""

from __future__ import annotations

import math
import textwrap

import pandas as pd
import plotly.graph_objects as go

from .figure_contract import BASE_MARGIN
from .labels import CATEGORY_LABELS
from .text import wrap_lines


# Paul Tol's "muted" qualitative palette: nine colours that stay distinct for
# the common forms of colour blindness (https://personal.sron.nl/~pault/).
TOL_MUTED = ["#332288", "#88CCEE", "#44AA99", "#117733", "#999933", "#DDCC77", "#CC6677", "#882255", "#AA4499"]

CATEGORY_COLOURS = dict(zip(CATEGORY_LABELS, TOL_MUTED))
SEED_SYMBOL, OTHER_SYMBOL = "diamond", "circle"
FONT = "Helvetica Neue, Arial, sans-serif"
TITLE_WIDTH = 60  # characters per title line; figures.js rewraps for the screen's width
# The text box behind labels on the plot; figures.js switches it in dark mode.
LABEL_BACKGROUND = "rgba(255,255,255,0.8)"
GRID = "#e4e4e4"


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
    figures.js fits the top margin to the title and legend as drawn and
    adapts the figure to narrow screens and dark mode.
    """
    fig.update_layout(
        template="simple_white",
        title={"text": wrap_lines(title, TITLE_WIDTH), "x": 0, "xanchor": "left", "xref": "container",
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
    column named ``DOCUMENT_COLUMN`` ("Primary document") holds URLs, which figures.js turns into links.
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
