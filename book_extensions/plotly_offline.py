"""Draw Plotly figures in the book from the book's own copy of plotly.js.

Three parts work together:

* ``PlotlyMimeRenderer`` is a myst-nb mime-render plugin (registered through
  the ``myst_nb.mime_renderers`` entry point in ``pyproject.toml``). It turns
  Plotly's ``application/vnd.plotly.v1+json`` output into a ``<div>`` with
  the figure's JSON beside it, and asks for plotly.js on that page only.
  Notebooks need no renderer code, so JupyterLab, VS Code and Colab keep
  their own native Plotly rendering.
* The bundle: the renderer collects the trace types of every figure on the
  page and loads the smallest official plotly.js bundle that holds them all
  (``basic``: bar, pie, scatter, about 1.2 MB, instead of the full 4.8 MB).
  Partial bundles are vendored in ``book_extensions/vendor/`` at the version
  the installed ``plotly`` bundles; a page with any other trace type gets the
  full ``plotly.min.js`` that ships inside the ``plotly`` package.
* ``static/draw-figures.js`` draws each figure when it comes within reach of
  the viewport (an IntersectionObserver), so the first screen's figure is
  drawn first, and then dispatches ``course-figure-drawn`` on the figure;
  ``static/figures.js`` then fits it to the screen and the theme, places its
  labels and adds the tap panel. Both load only on pages with a figure, after
  ``figure-contract.js``, the names and numbers the figures' Python and
  script share (``nato_russia/figure_contract.py``), written by the build.
  ``setup`` (a Sphinx extension) copies the bundles the pages use into
  ``_static/vendor/`` of the built site.
"""

from __future__ import annotations

import html
import json
import re
import shutil
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from docutils import nodes
from sphinx.util import logging

PLOTLY_MIME = "application/vnd.plotly.v1+json"
FIGURE_CLASS = "plotly-graph-div"
HERE = Path(__file__).resolve().parent
VENDOR = HERE / "vendor"
STATIC = HERE / "static"
DRAW_SCRIPT = "draw-figures.js"
FIGURES_SCRIPT = "figures.js"  # fits, themes and labels each figure after drawing
CONTRACT_SCRIPT = "figure-contract.js"  # written at build time from nato_russia/figure_contract.py
FULL = "full"
TRACE_MODULE = re.compile(rb'moduleType:"trace",name:"(\w+)"')
BUNDLE_VERSION = re.compile(rb"plotly\.js (?:\([^)]*\) )?v(\d+\.\d+\.\d+)")
logger = logging.getLogger(__name__)


def plotly_js_source() -> Path:
    """The full plotly.min.js bundled with the installed plotly package."""
    import plotly

    return Path(plotly.__file__).parent / "package_data" / "plotly.min.js"


def plotly_js_version() -> str:
    from plotly.offline import get_plotlyjs_version

    return get_plotlyjs_version()


def bundle_version(path: Path) -> str:
    """The version a plotly.js bundle declares in its header comment."""
    with path.open("rb") as handle:
        found = BUNDLE_VERSION.search(handle.read(400))
    if not found:
        raise ValueError(f"{path}: no 'plotly.js … vX.Y.Z' header; is this a plotly.js bundle?")
    return found.group(1).decode()


@dataclass(frozen=True)
class Bundle:
    """One plotly.js bundle: its name, file, version and the trace types it registers."""

    name: str
    source: Path
    version: str
    trace_types: frozenset[str]

    @property
    def static_path(self) -> str:
        """Path below ``_static``, versioned so browsers cache it safely."""
        return f"vendor/plotly-{self.version}.min.js" if self.name == FULL else f"vendor/plotly-{self.name}-{self.version}.min.js"

    @property
    def size(self) -> int:
        return self.source.stat().st_size


def _read_bundle(name: str, source: Path) -> Bundle:
    types = frozenset(t.decode() for t in TRACE_MODULE.findall(source.read_bytes()))
    return Bundle(name, source, bundle_version(source), types)


@lru_cache(maxsize=4)
def bundles(vendor: Path = VENDOR) -> tuple[Bundle, ...]:
    """Light bundles (smallest first) whose version matches plotly's, then the full bundle."""
    expected = plotly_js_version()
    light = []
    for source in sorted(vendor.glob("plotly.js-*-dist-min/plotly-*.min.js")):
        bundle = _read_bundle(source.name.removeprefix("plotly-").removesuffix(".min.js"), source)
        if bundle.version != expected:
            logger.warning(f"{source}: plotly.js {bundle.version}, but the installed plotly bundles {expected}; "
                           "using the full bundle instead. Run `python tools/vendor_plotly_bundles.py`.",
                           type="plotly_offline", subtype="bundle_version")
            continue
        light.append(bundle)
    full = _read_bundle(FULL, plotly_js_source())
    return (*sorted(light, key=lambda b: b.size), full)


def figure_trace_types(figure_json: dict) -> set[str]:
    """The trace types a figure uses (Plotly's default type is ``scatter``)."""
    return {trace.get("type") or "scatter" for trace in figure_json.get("data", [])}


def choose_bundle(trace_types: set[str], available: tuple[Bundle, ...] | None = None) -> Bundle:
    """The smallest bundle that registers every trace type; the full bundle otherwise."""
    available = available or bundles()
    for bundle in available:
        if set(trace_types) <= bundle.trace_types:
            return bundle
    return available[-1]


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
    """Description and table rows from ``layout.meta`` (set by ``nato_russia.style.describe``)."""
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


# Parts of a template's layout that style kinds of plot the book does not draw on a
# figure unless one of its traces needs them (plotly.py's templates style them all).
SUBPLOT_TEMPLATE_KEYS = {"scene": ("scatter3d", "surface", "mesh3d"), "polar": ("scatterpolar", "scatterpolargl", "barpolar"),
                         "ternary": ("scatterternary",), "geo": ("scattergeo", "choropleth")}


def slim_template(template: dict, data: list[dict]) -> dict:
    """The template without defaults for trace types (and 3-D, polar, ternary axes) absent from the figure.

    plotly.py writes its whole template (styles for some twenty trace types)
    into every figure; only the types drawn take effect, so the rest is page
    weight: about 6 KB per figure.
    """
    types = {trace.get("type", "scatter") for trace in data}
    slim = dict(template)
    if isinstance(slim.get("data"), dict):
        slim["data"] = {kind: styles for kind, styles in slim["data"].items() if kind in types}
    if isinstance(slim.get("layout"), dict):
        slim["layout"] = {key: value for key, value in slim["layout"].items()
                          if key not in SUBPLOT_TEMPLATE_KEYS or types & set(SUBPLOT_TEMPLATE_KEYS[key])}
    return slim


MIDNIGHT = re.compile(r"^(\d{4}-\d{2}-\d{2})[T ]00:00:00(?:\.0+)?$")


def short_dates(value):
    """Dates at midnight as plain dates: plotly.js reads ``1997-05-27`` as ``1997-05-27T00:00:00.000000``.

    plotly.py writes every pandas date with its time and microseconds; on a
    timeline page that is some 16 bytes for each of several hundred points.
    """
    if isinstance(value, str):
        found = MIDNIGHT.match(value)
        return found.group(1) if found else value
    if isinstance(value, list):
        return [short_dates(item) for item in value]
    if isinstance(value, dict):
        return {key: short_dates(item) for key, item in value.items()}
    return value


def figure_html(figure_json: dict, element_id: str) -> str:
    """HTML for one figure: a sized, focusable div, its text alternative and its JSON.

    The text alternative is the figure's description (read out through
    ``aria-describedby`` and shown under the figure) and its plotted rows as
    a collapsible table, so keyboard and screen-reader users get everything
    a mouse user gets from hovering. ``static/draw-figures.js`` draws the
    figure from the JSON once it nears the viewport.
    """
    layout = dict(figure_json.get("layout", {}))
    meta = layout.pop("meta", None)  # shown as HTML below; plotly.js does not need it
    if "template" in layout:
        layout["template"] = slim_template(layout["template"], figure_json.get("data", []))
    height = layout.get("height") or 450
    payload = _script_safe(
        json.dumps(
            {
                "data": short_dates(figure_json.get("data", [])),
                "layout": short_dates(layout),
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
        + f'<script type="application/json" id="{element_id}-spec" class="plotly-spec">{payload}</script>\n'
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
        # One bundle per page, the smallest that holds the trace types of all
        # its figures so far (the last figure's choice wins). Deferred scripts
        # run in order, before DOMContentLoaded: plotly.js, then the drawer.
        document = renderer.renderer.document
        needed = set(document.get("plotly_trace_types", [])) | figure_trace_types(figure_json)
        document["plotly_trace_types"] = sorted(needed)
        bundle = choose_bundle(needed)
        env.plotly_bundles = {**getattr(env, "plotly_bundles", {}), env.docname: bundle.name}
        renderer.add_js_file("plotly", bundle.static_path, {"defer": "defer"})
        renderer.add_js_file("figure-contract", CONTRACT_SCRIPT, {"defer": "defer"})
        renderer.add_js_file("figures", FIGURES_SCRIPT, {"defer": "defer"})
        renderer.add_js_file("draw-figures", DRAW_SCRIPT, {"defer": "defer"})
        return [
            nodes.raw(
                "",
                figure_html(figure_json, element_id),
                format="html",
                classes=["output", "plotly-figure"],
            )
        ]


def _copy_bundles(app, exception) -> None:
    """Copy the bundles that pages use into ``_static/vendor/`` (never committed there)."""
    if exception is not None or app.builder.format != "html":
        return
    used = set(getattr(app.env, "plotly_bundles", {}).values())
    for bundle in bundles():
        if bundle.name in used:
            target = Path(app.outdir) / "_static" / bundle.static_path
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(bundle.source, target)


def _add_static_folder(app, config) -> None:
    config.html_static_path.append(str(STATIC))  # draw-figures.js and figures.js, cache-busted by Sphinx


def _write_contract(app) -> None:
    """Write figure-contract.js into the site's ``_static`` before any page is written (no inline script needed)."""
    if app.builder.format != "html":
        return
    from nato_russia.figure_contract import as_script

    target = Path(app.outdir) / "_static" / CONTRACT_SCRIPT
    target.parent.mkdir(parents=True, exist_ok=True)
    if not target.is_file() or target.read_text(encoding="utf-8") != as_script():
        target.write_text(as_script(), encoding="utf-8")


def _purge(app, env, docname) -> None:
    getattr(env, "plotly_bundles", {}).pop(docname, None)


def _merge(app, env, docnames, other) -> None:
    env.plotly_bundles = {**getattr(env, "plotly_bundles", {}),
                          **{d: b for d, b in getattr(other, "plotly_bundles", {}).items() if d in docnames}}


def setup(app):
    app.connect("config-inited", _add_static_folder)
    app.connect("builder-inited", _write_contract)
    app.connect("env-purge-doc", _purge)
    app.connect("env-merge-info", _merge)
    app.connect("build-finished", _copy_bundles)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.1"}
