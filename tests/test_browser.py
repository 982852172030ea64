"""Every page in real headless Chromium: no errors, nothing from the network, figures drawn."""

from __future__ import annotations

import nbformat
import pytest

from book_extensions.plotly_offline import PLOTLY_MIME
from book_extensions.toc import toc_files
from figure_geometry import FIGURE
from page_visits import draw_every_figure, watch
from support import ROOT

pytestmark = pytest.mark.browser


def open_page(browser, url: str) -> dict:
    """Load a page, recording console errors, page errors and every non-local request (``page_visits.watch``)."""
    page = browser.new_page()
    seen = {**watch(page, url), "page": page}
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
def test_page_is_clean_offline_and_draws_every_figure(page_visits, built_book, name):
    seen = page_visits.get(name, "desktop")  # loaded, every figure scrolled to (tests/page_visits.py)
    assert seen.status == 200, f"{name}: HTTP {seen.status}"
    assert seen.page_errors == [], f"{name}: page errors {seen.page_errors}"
    assert seen.console_errors == [], f"{name}: console errors {seen.console_errors}"
    assert seen.external_requests == [], f"{name}: requests off the local server {seen.external_requests}"
    assert seen.failed_requests == [], f"{name}: failed requests {seen.failed_requests}"
    assert seen.drawn == seen.figures, f"{name}: {seen.figures} figures on the page, {seen.drawn} drawn"
    assert seen.drawn == executed_figure_count(built_book, name), f"{name}: figures drawn differ from those executed"


def test_a_request_off_the_local_server_is_recorded_and_never_leaves(browser, site):
    """The offline check itself works: a request to another host name is recorded, and fails.

    ``localhost`` names this very server, so the request would succeed if
    Chromium resolved host names; it fails because none resolves
    (``support.CHROMIUM_ARGS``), and would time out waiting here otherwise.
    """
    seen = open_page(browser, f"{site}/intro.html")
    page = seen["page"]
    elsewhere = site.replace("127.0.0.1", "localhost") + "/intro.html"
    with page.expect_event("requestfailed") as failed:
        page.evaluate("url => fetch(url, {mode: 'no-cors'}).catch(() => null)", elsewhere)  # no-cors: CORS cannot fail it
    page.close()
    assert seen["external"] == [elsewhere], seen["external"]
    assert failed.value.url == elsewhere and "ERR_NAME_NOT_RESOLVED" in (failed.value.failure or ""), failed.value.failure


def test_timeline_is_interactive(browser, site):
    """Hover shows date, title and source; a legend click hides a category."""
    seen = open_page(browser, f"{site}/chapters/timeline.html")
    page = seen["page"]
    figure = page.locator(FIGURE).first
    figure.scroll_into_view_if_needed()  # figures are drawn as they near the viewport
    figure.locator("svg.main-svg").first.wait_for()
    point = figure.locator(".scatterlayer .trace .points path").first
    point.hover(force=True)
    hover = figure.locator(".hoverlayer .hovertext")
    hover.first.wait_for(timeout=5_000)
    text = hover.first.text_content()
    assert "Source:" in text, text
    assert any(str(year) in text for year in range(1990, 2011)), text

    figure.locator(".legend .traces").first.click()
    # Plotly waits out its double-click delay before acting on a single click;
    # a timeout here means the click never hid the category.
    page.wait_for_function(
        f"() => document.querySelector('{FIGURE}').data.some(trace => trace.visible === 'legendonly')", timeout=3_000
    )
    page.close()


def test_figures_below_the_fold_wait_until_scrolled_to(browser, site):
    """The first screen's figure is drawn first; a figure far down is drawn only when the reader nears it.

    Every drawing is announced by a bubbling ``course-figure-drawn`` event on the figure.
    """
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    page.add_init_script("window.drawnFigures = []; document.addEventListener('course-figure-drawn', "
                         "event => window.drawnFigures.push(event.target.id));")
    page.goto(f"{site}/chapters/reset_2008_2010.html", wait_until="load")
    page.wait_for_load_state("networkidle")
    figures = page.locator(FIGURE)
    ids = [figures.nth(i).get_attribute("id") for i in range(figures.count())]
    assert len(ids) >= 3, ids
    page.wait_for_timeout(1_000)  # room for a figure that should wait to be drawn anyway
    assert ids[-1] not in page.evaluate("window.drawnFigures"), "the last figure was drawn before the reader scrolled"
    figures.first.scroll_into_view_if_needed()
    page.wait_for_function("() => window.drawnFigures.length >= 1", timeout=10_000)
    drawn_first = page.evaluate("window.drawnFigures")
    assert drawn_first[0] == ids[0], drawn_first
    assert ids[-1] not in drawn_first, drawn_first
    figures.last.scroll_into_view_if_needed()
    page.wait_for_function(f"() => window.drawnFigures.includes('{ids[-1]}')", timeout=10_000)
    assert figures.last.locator("svg.main-svg").count() >= 1
    draw_every_figure(page)
    assert sorted(page.evaluate("window.drawnFigures")) == sorted(ids), "each figure is drawn exactly once"
    page.close()
