"""Each page gets the smallest official plotly.js bundle that holds its trace types.

The light bundles are vendored (book_extensions/vendor/) at the version the
installed plotly bundles; a page with any other trace type gets plotly's own
full bundle. A two-page fixture site (one scatter page, one sankey page) built
with Sphinx and myst-nb proves the whole path, down to drawing in Chromium.
"""

from __future__ import annotations

import functools
import http.server
import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import nbformat
import pytest
from plotly.offline import get_plotlyjs_version

from book_extensions.plotly_offline import (
    FULL, VENDOR, bundle_version, bundles, choose_bundle, figure_trace_types, plotly_js_source,
)
from support import FIGURE_SPEC, ROOT, html_pages

LOADED = re.compile(r'<script[^>]+src="[^"]*(vendor/plotly-[^"?]+\.min\.js)')


def test_vendored_bundles_are_plotlys_own_version_with_licence():
    folders = sorted(VENDOR.glob("plotly.js-*-dist-min"))
    assert [f.name for f in folders] == ["plotly.js-basic-dist-min", "plotly.js-cartesian-dist-min"]
    expected = get_plotlyjs_version()
    readme = (VENDOR / "README.md").read_text(encoding="utf-8")
    for folder in folders:
        package = json.loads((folder / "package.json").read_text(encoding="utf-8"))
        bundle = folder / package["main"]
        assert package["name"] == folder.name
        assert package["version"] == bundle_version(bundle) == expected, f"{folder.name}: re-run tools/vendor_plotly_bundles.py"
        assert "MIT" in (folder / "LICENSE").read_text(encoding="utf-8") and package["license"] == "MIT"
        assert f"| `{folder.name}/` | `{folder.name}` | {expected} |" in readme, "README gives another version"
    assert bundle_version(plotly_js_source()) == expected


def test_bundles_run_from_smallest_to_full_and_know_their_trace_types():
    found = bundles()
    assert [b.name for b in found] == ["basic", "cartesian", FULL]
    assert [b.size for b in found] == sorted(b.size for b in found)
    assert found[0].trace_types == {"bar", "pie", "scatter"}
    assert {"histogram", "box", "heatmap"} <= found[1].trace_types
    assert {"sankey", "parcoords", "choropleth", "scattergl"} <= found[2].trace_types
    assert all(b.trace_types < found[2].trace_types for b in found[:2])


@pytest.mark.parametrize("types, expected", [
    ({"scatter"}, "basic"), ({"scatter", "bar", "pie"}, "basic"), ({"scatter", "histogram"}, "cartesian"),
    ({"sankey"}, FULL), ({"parcoords", "scatter"}, FULL), ({"no-such-trace"}, FULL),
])
def test_choose_bundle_takes_the_smallest_that_holds_every_type(types, expected):
    assert choose_bundle(types).name == expected


def test_a_trace_without_a_type_is_a_scatter():
    assert figure_trace_types({"data": [{"x": [1]}, {"type": "bar"}]}) == {"scatter", "bar"}
    assert figure_trace_types({"layout": {}}) == set()


@pytest.mark.build
def test_every_page_of_the_book_loads_the_bundle_its_figures_need(built_book):
    checked = 0
    for page in html_pages(built_book.html):
        text = page.read_text(encoding="utf-8")
        specs = [json.loads(raw) for _, raw in FIGURE_SPEC.findall(text)]
        loaded = LOADED.findall(text)
        if not specs:
            assert loaded == [], f"{page.name} loads plotly.js without a figure"
            continue
        types = set().union(*(figure_trace_types(spec) for spec in specs))
        assert loaded == [choose_bundle(types).static_path], f"{page.name}: {types} -> {loaded}"
        assert (built_book.html / "_static" / loaded[0]).is_file()
        checked += 1
    assert checked >= 8


@pytest.mark.build
def test_only_pages_with_figures_load_the_figure_scripts_after_the_contract_they_share(built_book):
    """figure-contract.js (written from nato_russia/figure_contract.py) comes before figures.js, on figure pages only."""
    from nato_russia.figure_contract import as_script

    assert (built_book.html / "_static" / "figure-contract.js").read_text(encoding="utf-8") == as_script()
    with_figures = 0
    for page in html_pages(built_book.html):
        text = page.read_text(encoding="utf-8")
        scripts = [name for name in re.findall(r'<script[^>]+src="[^"]*?_static/([\w.-]+\.js)', text)
                   if name in ("figure-contract.js", "figures.js", "draw-figures.js")]
        if FIGURE_SPEC.search(text):
            assert scripts == ["figure-contract.js", "figures.js", "draw-figures.js"], f"{page.name}: {scripts}"
            with_figures += 1
        else:
            assert scripts == [], f"{page.name} has no figure but loads {scripts}"
    assert with_figures >= 8


FIXTURE_CONF = """
extensions = ["myst_nb", "book_extensions.plotly_offline"]
nb_execution_mode = "off"
exclude_patterns = ["_build"]
html_theme = "basic"
"""


def _notebook(figure: dict) -> nbformat.NotebookNode:
    cell = nbformat.v4.new_code_cell("figure", outputs=[
        nbformat.v4.new_output("display_data", data={"application/vnd.plotly.v1+json": figure, "text/plain": "Figure"})])
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# A page"), cell])
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    return notebook


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory):
    """A two-page Sphinx site: a scatter figure and a sankey figure, outputs stored, nothing executed."""
    source = tmp_path_factory.mktemp("bundles-site")
    (source / "conf.py").write_text(FIXTURE_CONF, encoding="utf-8")
    (source / "index.md").write_text("# Fixture\n\n```{toctree}\nscatter\nsankey\n```\n", encoding="utf-8")
    scatter = {"data": [{"type": "scatter", "x": [1, 2, 3], "y": [3, 1, 2]}], "layout": {"title": {"text": "Scatter"}}}
    sankey = {"data": [{"type": "sankey", "node": {"label": ["NATO", "Russia", "NRC"]},
                        "link": {"source": [0, 1], "target": [2, 2], "value": [1, 1]}}],
              "layout": {"title": {"text": "Sankey"}}}
    nbformat.write(_notebook(scatter), source / "scatter.ipynb")
    nbformat.write(_notebook(sankey), source / "sankey.ipynb")
    output = source / "_build"
    build = subprocess.run([sys.executable, "-m", "sphinx", "-b", "html", "-W", "-q", str(source), str(output)],
                           capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert build.returncode == 0, build.stdout + build.stderr
    return output


@pytest.mark.build
def test_fixture_pages_get_the_basic_and_the_full_bundle(fixture_site):
    version = get_plotlyjs_version()
    assert LOADED.findall((fixture_site / "scatter.html").read_text(encoding="utf-8")) == [f"vendor/plotly-basic-{version}.min.js"]
    assert LOADED.findall((fixture_site / "sankey.html").read_text(encoding="utf-8")) == [f"vendor/plotly-{version}.min.js"]
    shipped = sorted(p.name for p in (fixture_site / "_static" / "vendor").glob("*.js"))
    assert shipped == [f"plotly-{version}.min.js", f"plotly-basic-{version}.min.js"], "only the bundles pages use"
    assert LOADED.findall((fixture_site / "index.html").read_text(encoding="utf-8")) == []


@pytest.mark.browser
@pytest.mark.build
@pytest.mark.parametrize("page_name, trace_class", [("scatter", "scatterlayer"), ("sankey", "sankey")])
def test_fixture_figures_draw_from_their_bundle(browser, fixture_site, page_name, trace_class):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    handler = functools.partial(Quiet, directory=str(fixture_site))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        page = browser.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"http://127.0.0.1:{server.server_address[1]}/{page_name}.html", wait_until="load")
        page.locator(f".plotly-graph-div .{trace_class}").first.wait_for(timeout=10_000)
        page.close()
    finally:
        server.shutdown()
    assert errors == []
