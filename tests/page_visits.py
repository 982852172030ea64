"""One visit per page and screen, shared by the browser tests, two pages at a time.

Loading a page and drawing its figures is most of a browser test's time, and
several tests look at the same page on the same screen: no errors and no
request off the local server (``test_browser``), axe-core and the figures'
text alternatives (``test_accessibility``), the mode bar and the figures'
layout (``test_figure_layout``). :class:`PageVisits` makes each visit once,
records what every one of those tests needs, and keeps it. Its worker
threads start when the session does, each with its own Playwright and
Chromium (Playwright's sync API belongs to one thread), and visit each
edition's pages as soon as its build is served, so that pages load side by
side while other tests run; a test waits only for the visit it asserts on.
"""

from __future__ import annotations

import queue
import tempfile
import threading

from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlparse

from book_extensions.toc import toc_files
from figure_geometry import DESKTOP, FIGURE, PHONE, measure_page
from support import CHROMIUM_ARGS, ROOT, chromium_path

DEVICES = {"phone": PHONE, "desktop": DESKTOP}
FIGURE_PAGES = [name for name in toc_files(ROOT) if name.startswith("chapters/")]  # measured on both screens
WORKERS = 2  # the CI machine's cores
ALL_DRAWN = f"() => [...document.querySelectorAll('{FIGURE}')].every(d => d.querySelector('svg.main-svg'))"
# axe-core's default rules, less those that can only report a minor or moderate violation,
# which fail no test: a rule's own impact overrides its checks' (axe-core pull request 2393),
# and every rule of axe-core 4.14 has one. A rule without one still runs. Fewer rules, a shorter run.
AXE_RUN = """async () => {
    const blocking = axe._audit.rules.filter(rule => rule.enabled && !rule.tags.includes('experimental')
        && !['minor', 'moderate'].includes(rule.impact)).map(rule => rule.id);
    const results = await axe.run(document, {runOnly: {type: 'rule', values: blocking}, resultTypes: ['violations']});
    return results.violations.map(v => ({
        id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 3).map(n => n.target.join(' '))}));
}"""
FIGURE_TEXTS = f"""() => [...document.querySelectorAll('{FIGURE}')].map(div => {{
    const described = document.getElementById(div.getAttribute('aria-describedby'));
    const table = document.getElementById(div.id + '-data');
    const figure = div.closest('figure');
    return {{id: div.id, label: div.getAttribute('aria-label'), focusable: div.tabIndex === 0,
             description: described ? described.textContent.trim() : '',
             rows: table ? table.querySelectorAll('tbody tr').length : 0,
             caption: figure && figure.querySelector('figcaption') ? figure.querySelector('figcaption').textContent.trim() : ''}};
}})"""
MODE_BAR_TITLES = f"() => [...document.querySelectorAll('{FIGURE} .modebar-btn')].map(b => b.getAttribute('data-title'))"


@dataclass
class Visit:
    """What one page showed on one screen."""

    url: str
    device: str
    status: int = 0
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    figures: int = 0            # figure divs on the page
    drawn: int = 0              # of them, drawn after scrolling to each
    axe: list[dict] | None = None           # axe-core's serious and critical violations (``axe_on`` visits), before solutions are opened
    figure_texts: list[dict] = field(default_factory=list)  # label, description, data-table rows, caption
    mode_bar: list[str] = field(default_factory=list)       # every mode-bar button's title
    measured: list[dict] = field(default_factory=list)      # figure_geometry's boxes, solutions opened
    idle: bool = True                                       # the network went idle after the checks


def _recorders(url: str) -> tuple[dict[str, list[str]], dict[str, Callable]]:
    """What a page's events record (console errors, page errors, failed requests, requests off ``url``'s host),
    and the Playwright event handlers that record it."""
    seen = {"console": [], "pageerror": [], "external": [], "failed": []}
    local_host = urlparse(url).netloc

    def record(request):
        if urlparse(request.url).netloc != local_host and not request.url.startswith(("data:", "blob:")):
            seen["external"].append(request.url)

    handlers = {"console": lambda message: message.type == "error" and seen["console"].append(message.text),
                "pageerror": lambda error: seen["pageerror"].append(str(error)),
                "requestfailed": lambda request: seen["failed"].append(request.url),
                "request": record}
    return seen, handlers


def watch(page, url: str) -> dict[str, list[str]]:
    """Record the page's console errors, page errors, failed requests and requests off ``url``'s host.

    A request off the local server never leaves the machine: Chromium resolves
    no host name (``--host-resolver-rules`` in ``support.CHROMIUM_ARGS``), so it
    fails, and is recorded here. Listening, rather than routing every request
    through Playwright, keeps the browser's cache on: a page shares plotly.js
    with the pages visited before it, as a reader's browser does.
    """
    seen, handlers = _recorders(url)
    for event, handler in handlers.items():
        page.on(event, handler)
    return seen


@contextmanager
def watching(tab, url: str) -> Iterator[dict[str, list[str]]]:
    """:func:`watch` for one visit of a tab that goes on to other pages: its records stop when the block ends."""
    seen, handlers = _recorders(url)
    for event, handler in handlers.items():
        tab.on(event, handler)
    try:
        yield seen
    finally:
        for event, handler in handlers.items():
            tab.remove_listener(event, handler)


def draw_every_figure(page, timeout: int = 10_000) -> None:
    """Scroll each figure into view in turn and wait until all are drawn.

    Figures are drawn only as they near the viewport (book_extensions/static/draw-figures.js),
    so a reader, and a test, must scroll to them.
    """
    figures = page.locator(FIGURE)
    for index in range(figures.count()):
        figures.nth(index).scroll_into_view_if_needed()
    page.wait_for_function(ALL_DRAWN, timeout=timeout)


def visit(tab, url: str, device: str, axe_script: Path | None) -> Visit:
    """Go to ``url`` in ``tab`` at the device's size, draw every figure, record what the tests check.

    The tab is a reader's, going from page to page: each visit is a new
    document, recorded from its own navigation on, and it ends only when
    nothing is still loading, so that nothing of it reaches the next visit's
    record.
    """
    tab.set_viewport_size(DEVICES[device])
    with watching(tab, url) as seen:
        result = Visit(url, device, console_errors=seen["console"], page_errors=seen["pageerror"],
                       external_requests=seen["external"], failed_requests=seen["failed"])
        response = tab.goto(url, wait_until="load")
        result.status = response.status if response else 0
        result.figures = tab.locator(FIGURE).count()
        draw_every_figure(tab, timeout=30_000)
        result.drawn = tab.evaluate(f"[...document.querySelectorAll('{FIGURE}')].filter(d => d.querySelector('svg.main-svg')).length")
        if axe_script is not None:
            tab.add_script_tag(path=str(axe_script))
            result.axe = tab.evaluate(AXE_RUN)
        result.figure_texts = tab.evaluate(FIGURE_TEXTS)
        result.measured = measure_page(tab)
        result.mode_bar = tab.evaluate(MODE_BAR_TITLES)
        # Not a speed check (benchmarks/ measures speed), only a chance for late requests to be seen by the
        # watchers above: on a 2-core machine busy with builds and JupyterLab, the largest page has been seen
        # never to report idle in the full suite (it does at once alone), and the checks above are already done.
        try:
            tab.wait_for_load_state("networkidle", timeout=60_000)
        except PlaywrightTimeoutError:
            result.idle = False
    return result


class PageVisits:
    """Visits to the pages of one or more sites, made in the background by :data:`WORKERS` threads, in the order asked.

    ``sites`` maps an edition to a function that returns its address, waiting
    for its build if need be (``tests/conftest.py``), so the visits can be
    queued before any site exists: the workers begin on the first edition as
    soon as it is served and go on to the next without waiting for a test to
    ask.
    """

    def __init__(self, sites: dict[str, Callable[[], str]], wanted: list[tuple[str, str, str]],
                 axe_script: Path | None = None, axe_on: Iterable[tuple[str, str, str]] = ()):
        self.sites, self.axe_script, self.axe_on = sites, axe_script, set(axe_on)
        self._futures: dict[tuple[str, str, str], Future] = {}
        self._queue: queue.Queue = queue.Queue()
        for key in wanted:  # (edition, page, device)
            self._futures[key] = Future()
            self._queue.put(key)
        self._threads = [threading.Thread(target=self._work, daemon=True) for _ in range(WORKERS)]
        for thread in self._threads:
            thread.start()

    def _work(self) -> None:
        """One reader: a browser with a profile of its own on disk, and one tab going from page to page.

        A profile on disk, as a reader's browser has, keeps compiled scripts
        (V8's code cache) as well as the HTTP cache, so plotly.js is parsed
        once per worker, not once per page; one tab, rather than a new tab per
        page, keeps one renderer process. Together they take about a third
        off Chromium's CPU time for the same visits.
        """
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as playwright, tempfile.TemporaryDirectory(prefix="reader-profile-") as profile:
                chromium = playwright.chromium.launch_persistent_context(
                    profile, executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
                try:
                    tab = chromium.pages[0] if chromium.pages else chromium.new_page()
                    while (key := self._next()) is not None:
                        edition, name, device = key
                        try:
                            url = f"{self.sites[edition]()}/{name}.html"
                            axe = self.axe_script if key in self.axe_on else None
                            self._futures[key].set_result(visit(tab, url, device, axe))
                        except Exception as error:  # the test that asks for this visit reports it
                            self._futures[key].set_exception(error)
                            tab.close()  # and the next visit starts in a new tab, not in whatever this one was left doing
                            tab = chromium.new_page()
                finally:
                    chromium.close()
        except BaseException as error:  # no browser (pytest.fail included): every waiting test says why
            while (key := self._next()) is not None:
                self._futures[key].set_exception(error)

    def _next(self) -> tuple[str, str, str] | None:
        try:
            return self._queue.get_nowait()
        except queue.Empty:
            return None

    def get(self, edition: str, name: str, device: str) -> Visit:
        """The visit to ``edition``'s page ``name`` on ``device`` (waits for it; raises what went wrong during it)."""
        return self._futures[(edition, name, device)].result(timeout=600)

    def of(self, edition: str) -> EditionVisits:
        return EditionVisits(self, edition)

    def close(self) -> None:
        while self._next() is not None:  # nothing more to start; let running visits finish
            pass
        for thread in self._threads:
            thread.join(timeout=120)


@dataclass
class EditionVisits:
    """One edition's visits, as the tests ask for them: ``get(name, device)``."""

    visits: PageVisits
    edition: str

    def get(self, name: str, device: str) -> Visit:
        return self.visits.get(self.edition, name, device)
