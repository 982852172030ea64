"""Draw Plotly figures in the book from the book's own copy of plotly.js.

Two parts work together:

* ``PlotlyMimeRenderer`` is a myst-nb mime-render plugin (registered through
  the ``myst_nb.mime_renderers`` entry point in ``pyproject.toml``). It turns
  Plotly's ``application/vnd.plotly.v1+json`` output into a ``<div>`` and a
  ``Plotly.newPlot`` call, and asks for plotly.js on that page only. Notebooks
  need no renderer code, so JupyterLab, VS Code and Colab keep their own
  native Plotly rendering.
* ``setup`` is a Sphinx extension: it copies the plotly.min.js that ships
  inside the installed ``plotly`` package into ``_static/vendor/`` of the
  built site (never committed, so its version always matches plotly).
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path

from docutils import nodes

PLOTLY_MIME = "application/vnd.plotly.v1+json"
FIGURE_CLASS = "plotly-graph-div"


def plotly_js_source() -> Path:
    """The plotly.min.js bundled with the installed plotly package."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def plotly_js_static_path() -> str:
    """Path of plotly.js below ``_static``, versioned so browsers cache it safely."""
    from plotly.offline import get_plotlyjs_version

    return f"vendor/plotly-{get_plotlyjs_version()}.min.js"


def _figure_id(docname: str, cell_index: int | None, output_index: int | None) -> str:
    """A stable id from page and cell, so rebuilds are byte-identical."""
    slug = re.sub(r"[^a-z0-9]+", "-", docname.lower()).strip("-")
    return f"plotly-{slug}-{cell_index}-{output_index}"


def _script_safe(text: str) -> str:
    """Keep JSON from closing the surrounding <script> element early.

    ``<`` only occurs inside JSON strings, where ``\\u003c`` means the same.
    """
    return text.replace("<", "\\u003c")


def _text_alternative(meta: dict | None, title: str) -> tuple[str, list[str], list[list[str]]]:
    """Description and table rows from ``layout.meta`` (set by ``nato_russia.figures.describe``)."""
    meta = meta if isinstance(meta, dict) else {}
    table = meta.get("table") or {}
    description = meta.get("description") or f"Interactive chart: {title}."
    return description, table.get("columns", []), table.get("rows", [])


def _table_html(element_id: str, title: str, columns: list[str], rows: list[list[str]]) -> str:
    if not columns:
        return ""
    esc = html.escape
    head = "".join(f'<th scope="col">{esc(str(c))}</th>' for c in columns)
    body = "".join("<tr>" + "".join(f"<td>{esc(str(v))}</td>" for v in row) + "</tr>" for row in rows)
    return (
        f'<details class="plotly-data" id="{element_id}-data"><summary>Show the data as a table '
        f"({len(rows)} rows)</summary>"
        f'<div class="table-wrapper" tabindex="0" role="region" aria-label="Data table: {esc(title, quote=True)}">'
        f'<table class="table plotly-data-table">'
        f"<caption>Data behind: {esc(title)}</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody>"
        "</table></div></details>\n"
    )


def figure_html(figure_json: dict, element_id: str) -> str:
    """HTML for one figure: a sized, focusable div, its text alternative and the call that draws it.

    The text alternative is the figure's description (read out through
    ``aria-describedby`` and shown under the figure) and its plotted rows as
    a collapsible table, so keyboard and screen-reader users get everything
    a mouse user gets from hovering.
    """
    layout = dict(figure_json.get("layout", {}))
    meta = layout.pop("meta", None)  # shown as HTML below; plotly.js does not need it
    height = layout.get("height") or 450
    payload = _script_safe(
        json.dumps(
            {
                "data": figure_json.get("data", []),
                "layout": layout,
                # No "Share chart" (it offers to upload the data to Plotly's cloud) and no
                # box/lasso select, which select nothing in this book.
                "config": {"responsive": True, "displaylogo": False, "showSendToCloud": False,
                           "modeBarButtonsToRemove": ["sendChartToCloud", "select2d", "lasso2d"]},
            },
            sort_keys=True,
            separators=(",", ":"),
        )
    )
    title = (layout.get("title") or {}).get("text", "Interactive chart")
    description, columns, rows = _text_alternative(meta, title)
    return (
        f'<div id="{element_id}" class="{FIGURE_CLASS}" role="figure" tabindex="0" '
        f'aria-label="{html.escape(title, quote=True)}" aria-describedby="{element_id}-description" '
        f'style="height:{int(height)}px;width:100%;"></div>\n'
        f'<p id="{element_id}-description" class="plotly-description">{html.escape(description)}</p>\n'
        + _table_html(element_id, title, columns, rows)
        + f'<script type="application/json" id="{element_id}-spec">{payload}</script>\n'
        "<script>document.addEventListener('DOMContentLoaded',function(){"
        f"var spec=JSON.parse(document.getElementById('{element_id}-spec').textContent);"
        f"Plotly.newPlot('{element_id}',spec.data,spec.layout,spec.config).then(function(gd){{"
        # _static/figures.js listens for this event (layout, theme, keyboard, details panel)
        "gd.dispatchEvent(new CustomEvent('course-figure-drawn',{bubbles:true}));});"
        "});</script>\n"
    )


class PlotlyMimeRenderer:
    """myst-nb plugin: render Plotly JSON outputs as offline figures (HTML only)."""

    # Prefer Plotly's JSON over any fallback text/html or text/plain output.
    mime_priority_overrides = [("html", PLOTLY_MIME, 5)]

    @staticmethod
    def handle_mime(renderer, data, inline):
        if data.mime_type != PLOTLY_MIME or inline:
            return None
        env = renderer.renderer.sphinx_env
        if env is None:  # plain docutils: leave it to myst-nb's default handling
            return None
        content = data.content
        figure_json = json.loads(content) if isinstance(content, (str, bytes)) else content
        element_id = _figure_id(env.docname, data.cell_index, data.output_index)
        # Load plotly.js on this page only; deferred scripts run before
        # DOMContentLoaded, when the figures are drawn.
        renderer.add_js_file("plotly", plotly_js_static_path(), {"defer": "defer"})
        return [
            nodes.raw(
                "",
                figure_html(figure_json, element_id),
                format="html",
                classes=["output", "plotly-figure"],
            )
        ]


def _copy_plotly_js(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / plotly_js_static_path()
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(plotly_js_source(), target)


def setup(app):
    app.connect("build-finished", _copy_plotly_js)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
