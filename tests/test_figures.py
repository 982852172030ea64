"""Every figure the chapters produce (title, axis labels, caption, hover text, safe palette, labels), and the figure functions."""

from __future__ import annotations

import base64
import re

import nbformat
import numpy as np
import pandas as pd
import pytest

from book_extensions.plotly_offline import PLOTLY_MIME
from book_extensions.toc import toc_chapters
from nato_russia import (
    PERIODS, TOL_MUTED, agreements_chart, council_meetings, load_events, load_table, monthly_tone_index, show, timeline,
    tone_chart,
)
from nato_russia.figure_contract import DOCUMENT_COLUMN, KEY_EVENT, PERIOD_ANNOTATION
from support import ROOT

pytestmark = pytest.mark.build
NEUTRAL = {"white", "black", "grey", "gray", "#ffffff", "#000000"}
ALLOWED_COLOURS = {c.lower() for c in TOL_MUTED} | NEUTRAL


def figures_of(built_book, chapter):
    name = chapter.relative_to(ROOT).with_suffix(".ipynb")
    notebook = nbformat.read(built_book.executed / name, as_version=4)
    return [output["data"][PLOTLY_MIME] for cell in notebook.cells for output in cell.get("outputs", [])
            if PLOTLY_MIME in output.get("data", {})]


def colours_in(trace) -> set[str]:
    found = set()
    for part in ("marker", "line"):
        colour = (trace.get(part) or {}).get("color")
        for value in colour if isinstance(colour, list) else [colour]:
            if isinstance(value, str):
                found.add(value.lower())
    return found


def decoded(values) -> list:
    """Plotly's JSON keeps numeric arrays as base64 typed arrays ({"dtype", "bdata"}); lists stay lists."""
    if isinstance(values, dict) and "bdata" in values:
        return np.frombuffer(base64.b64decode(values["bdata"]), dtype=values["dtype"]).tolist()
    return list(values or [])


def axis_values(figure, letter: str) -> list:
    return [v for trace in figure["data"] for v in decoded(trace.get(letter)) if not isinstance(v, (dict, list))]


def is_quantity_axis(figure, letter: str) -> bool:
    axis = figure["layout"].get(f"{letter}axis") or {}
    values = axis_values(figure, letter)
    numeric = values and all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
    years = numeric and all(float(v).is_integer() and 1900 <= v <= 2100 for v in values)
    return bool(numeric and not years and axis.get("type") not in ("date", "category") and "ticktext" not in axis)


@pytest.mark.parametrize("chapter", toc_chapters(ROOT), ids=lambda p: p.name)
def test_figures_have_title_axis_labels_hover_and_safe_colours(built_book, chapter):
    """Titles, hover text, palette; quantities named on their axis, dates and names not (their ticks say it)."""
    for number, figure in enumerate(figures_of(built_book, chapter)):
        layout = figure["layout"]
        where = f"{chapter.name} figure {number}"
        assert (layout.get("title") or {}).get("text"), f"{where}: no title"
        for letter in ("x", "y"):
            axis_title = (((layout.get(f"{letter}axis") or {}).get("title")) or {}).get("text")
            if is_quantity_axis(figure, letter):
                assert axis_title, f"{where}: the {letter} axis shows quantities but has no title"
            else:
                assert not axis_title, f"{where}: {letter} axis title {axis_title!r} repeats what its tick labels say"
        assert layout.get("legend", {}).get("orientation") == "h", f"{where}: legend is not horizontal"
        hovering = [t for t in figure["data"] if t.get("hoverinfo") != "skip"]
        # hover text comes from a template, or from per-point text shown on hover (the maps' polygons)
        assert hovering and all(t.get("hovertemplate") or ("text" in str(t.get("hoverinfo", "")) and t.get("text"))
                                for t in hovering), f"{where}: traces without hover text"
        for trace in figure["data"]:
            assert colours_in(trace) <= ALLOWED_COLOURS, f"{where}: colours outside the palette {colours_in(trace) - ALLOWED_COLOURS}"


@pytest.mark.parametrize("chapter", toc_chapters(ROOT), ids=lambda p: p.name)
def test_count_axes_have_whole_number_ticks(built_book, chapter):
    """An axis whose plotted values are all whole numbers never shows a tick like 2.5."""
    for number, figure in enumerate(figures_of(built_book, chapter)):
        for letter in ("x", "y"):
            values = axis_values(figure, letter)
            if is_quantity_axis(figure, letter) and all(float(v).is_integer() for v in values):
                axis = figure["layout"][f"{letter}axis"]
                assert axis.get("tickformat") == "d" and float(axis.get("dtick", 0)).is_integer() and axis["dtick"] >= 1, \
                    f"{chapter.name} figure {number}: count axis {letter} without whole-number ticks ({axis.get('dtick')})"


CODE_PATTERN = re.compile(r"\b[a-z]+_[a-z_]+\b")


@pytest.mark.parametrize("chapter", toc_chapters(ROOT), ids=lambda p: p.name)
def test_no_data_code_is_shown_as_a_label(built_book, chapter):
    """Codes such as status_and_equality never appear in tick labels, legends, or the figure's table."""
    for number, figure in enumerate(figures_of(built_book, chapter)):
        shown = [str(v) for letter in ("x", "y") for v in axis_values(figure, letter) if isinstance(v, str)]
        shown += [str(t.get("name") or "") for t in figure["data"]]
        shown += [str(v) for axis in ("xaxis", "yaxis") for v in (figure["layout"].get(axis) or {}).get("ticktext", [])]
        table = (figure["layout"].get("meta") or {}).get("table") or {}
        shown += [cell for row in table.get("rows", []) for cell, column in zip(row, table.get("columns", []))
                  if column not in ("Source", DOCUMENT_COLUMN)]
        codes = sorted({m for text in shown for m in CODE_PATTERN.findall(text)})
        assert not codes, f"{chapter.name} figure {number}: codes shown as labels: {codes}"


@pytest.mark.parametrize("chapter", toc_chapters(ROOT), ids=lambda p: p.name)
def test_every_figure_on_the_page_has_a_caption(built_book, chapter):
    page = (built_book.html / chapter.relative_to(ROOT).with_suffix(".html")).read_text(encoding="utf-8")
    figures = re.findall(r"<figure[^>]*>(.*?)</figure>", page, re.S)
    with_plot = [f for f in figures if "plotly-graph-div" in f]
    assert len(with_plot) == page.count('class="plotly-graph-div"'), f"{chapter.name}: a figure is not in a <figure>"
    for figure in with_plot:
        caption = re.search(r"<figcaption>(.*?)</figcaption>", figure, re.S)
        assert caption and len(re.sub("<[^>]+>", "", caption.group(1)).strip()) > 40, f"{chapter.name}: figure without caption"
# ---- The figure functions themselves, on small hand-made tables (no build needed).



def agreement(**dates) -> dict:
    row = {"id": "x", "name": "An agreement", "short_name": "X", "kind": "treaty", "parties": ["RUS"], "proposed_date": None,
           "signed_date": None, "in_force_date": None, "suspended_date": None, "ended_date": None,
           "status_2010": "in_force", "notes": "", "sources": ["stent2014"]}
    row.update({k: pd.Timestamp(v) if isinstance(v, str) and v[:1].isdigit() else v for k, v in dates.items()})
    return row


def lifeline(row: dict) -> dict[str, tuple]:
    figure = agreements_chart(pd.DataFrame([row]), "Test")
    return {trace.name: (min(trace.x), max(trace.x)) for trace in figure.data}


def test_agreement_without_dates_is_not_drawn_but_named():
    figure = agreements_chart(pd.DataFrame([agreement(), agreement(id="y", short_name="Y", signed_date="2000-01-01")]), "Test")
    assert {trace.y[0] for trace in figure.data} == {0}
    assert list(figure.layout.yaxis.ticktext) == ["Y"]
    assert "X" in figure.layout.meta["description"]


def test_proposal_draws_a_proposed_phase():
    phases = lifeline(agreement(kind="proposal", status_2010="proposed", proposed_date="2008-06-05"))
    assert phases == {"Proposed, not signed": (pd.Timestamp("2008-06-05"), pd.Timestamp("2010-12-31"))}


def test_suspension_ends_with_resumption_and_runs_on_only_while_suspended():
    resumed = lifeline(agreement(signed_date="2002-05-28", in_force_date="2002-05-28", suspended_date="2008-08-19",
                                 resumed_date="2009-03-05"))
    assert resumed["Suspended"] == (pd.Timestamp("2008-08-19"), pd.Timestamp("2009-03-05"))
    unknown_end = lifeline(agreement(signed_date="2002-05-28", in_force_date="2002-05-28", suspended_date="2008-08-19"))
    assert "Suspended" not in unknown_end and "Suspended (end not in the data)" in unknown_end
    still = lifeline(agreement(signed_date="1990-11-19", in_force_date="1992-11-09", suspended_date="2007-12-12",
                               status_2010="suspended"))
    assert still["Suspended"] == (pd.Timestamp("2007-12-12"), pd.Timestamp("2010-12-31"))


def test_political_documents_are_adopted_not_in_force():
    phases = lifeline(agreement(kind="political_document", status_2010="adopted", signed_date="1997-05-27",
                                in_force_date="1997-05-27"))
    assert list(phases) == ["Adopted (political commitment)"]


def test_council_meetings_come_from_the_coded_column():
    meetings = council_meetings(load_events()).set_index("id")
    assert meetings.loc["2002-nrc-rome", "level"] == "summit"
    assert meetings.loc["2010-nrc-lisbon-summit", "level"] == "summit"
    assert meetings.loc["1997-pjc-first-ministerial", ["council", "level"]].tolist() == ["PJC", "ministers"]
    for not_a_meeting in ("1999-russia-leaves-pjc", "2008-nrc-frozen", "2009-nato-resumes-nrc", "1997-founding-act-signed"):
        assert not_a_meeting not in meetings.index


def test_timeline_labels_key_events_and_names_periods():
    events = load_events()
    chosen = events.index[::40]
    events["key"] = events.index.isin(chosen)
    figure = timeline(events, "Test")
    labels = [a for a in figure.layout.annotations if a.name == KEY_EVENT]
    assert len(labels) == len(chosen)
    assert {a.text for a in figure.layout.annotations if a.name == PERIOD_ANNOTATION} == set(PERIODS)


def test_tone_chart_names_its_extremes():
    events = load_events()
    index = monthly_tone_index(events)
    labels = [a.text for a in tone_chart(index, "Test", events=events).layout.annotations if a.name == KEY_EVENT]
    assert len(labels) == 2 and any(f"{index['index'].idxmax():%b %Y}" in text for text in labels)


def test_show_prints_dates_as_dates_and_codes_as_names():
    table = show(load_table("agreements")[["short_name", "signed_date", "status_2010"]].head(3))
    assert table.columns.tolist() == ["Short name", "Signed date", "Status 2010"]
    assert table["Signed date"].iloc[0] == "26 May 1972"
    assert "_" not in "".join(table["Status 2010"])


def test_primary_document_goes_into_hover_and_table():
    events = load_events().head(3).copy()
    events["url"] = ["https://www.nato.int/docu/one.htm", None, None]
    figure = timeline(events, "Test")
    assert figure.layout.meta["table"]["columns"][-1] == DOCUMENT_COLUMN
    custom = [row for trace in figure.data if trace.customdata is not None for row in trace.customdata]
    assert any(f"{DOCUMENT_COLUMN}: www.nato.int/docu/one.htm" in row[4] and row[5].startswith("https://") for row in custom)


def test_pages_carry_only_the_template_styles_their_figures_use():
    """The offline renderer drops plotly.py's styles for trace types a figure does not draw; the rest stays."""
    import json

    from book_extensions.plotly_offline import figure_html

    figure = timeline(load_events(), "A timeline")
    html = figure_html(json.loads(figure.to_json()), "probe")
    spec = json.loads(re.search(r'<script type="application/json" id="probe-spec"[^>]*>(.*?)</script>', html, re.S).group(1))
    template = spec["layout"]["template"]
    full = json.loads(figure.to_json())["layout"]["template"]
    assert set(template["data"]) == {trace.get("type", "scatter") for trace in spec["data"]} & set(full["data"])
    assert "scene" in full["layout"] and "scene" not in template["layout"]
    assert template["layout"]["xaxis"] == full["layout"]["xaxis"] and template["layout"]["font"] == full["layout"]["font"]


def test_pages_write_midnight_dates_as_plain_dates():
    """plotly.py writes '1997-05-27T00:00:00.000000'; the page carries '1997-05-27', which plotly.js reads the same."""
    import json

    from book_extensions.plotly_offline import figure_html, short_dates

    assert short_dates({"x": ["1997-05-27T00:00:00.000000", "1997-05-27T12:30:00", "Founding Act"], "n": 3}) == {
        "x": ["1997-05-27", "1997-05-27T12:30:00", "Founding Act"], "n": 3}
    html = figure_html(json.loads(timeline(load_events(), "A timeline").to_json()), "probe")
    assert "T00:00:00" not in html and re.search(r'"\d{4}-\d{2}-\d{2}"', html)


def test_timeline_draws_each_lanes_spans_as_one_trace():
    """Fewer traces draw faster: every span of a lane is one segment of a single line trace, broken by gaps."""
    events = load_events()
    figure = timeline(events, "Test")
    spans = [trace for trace in figure.data if trace.mode == "lines"]
    lanes_with_spans = events.loc[events["end_date"].notna(), "category"].nunique()
    assert len(spans) == lanes_with_spans
    assert sum(list(trace.x).count(None) for trace in spans) == events["end_date"].notna().sum()
