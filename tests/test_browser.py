"""Every page in real headless Chromium: no errors, nothing from the network, figures drawn."""

from __future__ import annotations

from urllib.parse import urlparse

import nbformat
import pytest

from book_extensions.plotly_offline import PLOTLY_MIME
from book_extensions.toc import toc_files
from support import ROOT

pytestmark = pytest.mark.browser
FIGURE = ".plotly-graph-div"


def open_page(browser, url: str) -> dict:
    """Load a page, recording console errors, page errors and every non-local request."""
    page = browser.new_page()
    seen = {"console": [], "pageerror": [], "external": [], "failed": [], "page": page}
    page.on("console", lambda message: message.type == "error" and seen["console"].append(message.text))
    page.on("pageerror", lambda error: seen["pageerror"].append(str(error)))
    page.on("requestfailed", lambda request: seen["failed"].append(request.url))
    local_host = urlparse(url).netloc

    def guard(route):
        request_url = route.request.url
        if urlparse(request_url).netloc != local_host and not request_url.startswith(("data:", "blob:")):
            seen["external"].append(request_url)
            route.abort()
        else:
            route.continue_()

    page.route("**/*", guard)
    response = page.goto(url, wait_until="load")
    assert response is not None and response.ok, f"{url}: HTTP {response.status if response else 'no response'}"
    page.wait_for_load_state("networkidle")
    return seen


def executed_figure_count(built_book, name: str) -> int:
    path = built_book.executed / f"{name}.ipynb"
    if not path.exists():
        return 0
    notebook = nbformat.read(path, as_version=4)
    return sum(PLOTLY_MIME in output.get("data", {}) for cell in notebook.cells for output in cell.get("outputs", []))


@pytest.mark.parametrize("name", toc_files(ROOT))
def test_page_is_clean_offline_and_draws_every_figure(browser, site, built_book, name):
    seen = open_page(browser, f"{site}/{name}.html")
    page = seen["page"]
    figures = page.locator(FIGURE).count()
    all_drawn = f"() => [...document.querySelectorAll('{FIGURE}')].every(d => d.querySelector('svg.main-svg'))"
    page.wait_for_function(all_drawn, timeout=10_000)
    drawn = page.evaluate(f"[...document.querySelectorAll('{FIGURE}')].filter(d => d.querySelector('svg.main-svg')).length")
    page.close()
    assert seen["pageerror"] == [], f"{name}: page errors {seen['pageerror']}"
    assert seen["console"] == [], f"{name}: console errors {seen['console']}"
    assert seen["external"] == [], f"{name}: requests off the local server {seen['external']}"
    assert seen["failed"] == [], f"{name}: failed requests {seen['failed']}"
    assert drawn == figures, f"{name}: {figures} figures on the page, {drawn} drawn"
    assert drawn == executed_figure_count(built_book, name), f"{name}: figures drawn differ from those executed"


def test_timeline_is_interactive(browser, site):
    """Hover shows date, title and source; a legend click hides a category."""
    seen = open_page(browser, f"{site}/chapters/timeline.html")
    page = seen["page"]
    figure = page.locator(FIGURE).first
    figure.locator("svg.main-svg").first.wait_for()
    figure.scroll_into_view_if_needed()
    point = figure.locator(".scatterlayer .trace .points path").first
    point.hover(force=True)
    hover = figure.locator(".hoverlayer .hovertext")
    hover.first.wait_for(timeout=5_000)
    text = hover.first.text_content()
    assert "Source:" in text, text
    assert any(str(year) in text for year in range(1991, 2011)), text

    figure.locator(".legend .traces").first.click()
    # Plotly waits out its double-click delay before acting on a single click;
    # a timeout here means the click never hid the category.
    page.wait_for_function(
        f"() => document.querySelector('{FIGURE}').data.some(trace => trace.visible === 'legendonly')", timeout=3_000
    )
    page.close()
