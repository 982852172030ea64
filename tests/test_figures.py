"""Every figure the chapters produce: title, axis labels, caption, hover text, safe palette."""

from __future__ import annotations

import re

import nbformat
import pytest

from book_extensions.plotly_offline import PLOTLY_MIME
from book_extensions.toc import toc_chapters
from nato_russia import TOL_MUTED
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


@pytest.mark.parametrize("chapter", toc_chapters(ROOT), ids=lambda p: p.name)
def test_figures_have_title_axis_labels_hover_and_safe_colours(built_book, chapter):
    for number, figure in enumerate(figures_of(built_book, chapter)):
        layout = figure["layout"]
        where = f"{chapter.name} figure {number}"
        assert (layout.get("title") or {}).get("text"), f"{where}: no title"
        for axis in ("xaxis", "yaxis"):
            assert ((layout.get(axis) or {}).get("title") or {}).get("text"), f"{where}: no {axis} label"
        hovering = [t for t in figure["data"] if t.get("hoverinfo") != "skip"]
        assert hovering and all(t.get("hovertemplate") for t in hovering), f"{where}: traces without hover text"
        for trace in figure["data"]:
            assert colours_in(trace) <= ALLOWED_COLOURS, f"{where}: colours outside the palette {colours_in(trace) - ALLOWED_COLOURS}"


@pytest.mark.parametrize("chapter", toc_chapters(ROOT), ids=lambda p: p.name)
def test_every_figure_on_the_page_has_a_caption(built_book, chapter):
    page = (built_book.html / chapter.relative_to(ROOT).with_suffix(".html")).read_text(encoding="utf-8")
    figures = re.findall(r"<figure[^>]*>(.*?)</figure>", page, re.S)
    with_plot = [f for f in figures if "plotly-graph-div" in f]
    assert len(with_plot) == page.count('class="plotly-graph-div"'), f"{chapter.name}: a figure is not in a <figure>"
    for figure in with_plot:
        caption = re.search(r"<figcaption>(.*?)</figcaption>", figure, re.S)
        assert caption and len(re.sub("<[^>]+>", "", caption.group(1)).strip()) > 40, f"{chapter.name}: figure without caption"
