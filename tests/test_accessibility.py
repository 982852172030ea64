"""Accessibility in real Chromium: axe-core on every page, text alternatives, keyboard use.

axe-core comes from the npm registry (``tests/package.json``, installed by
the README's test command with ``npm ci --prefix tests``) and is injected
into each built page by Playwright. Any serious or critical violation fails.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from book_extensions.toc import toc_files
from page_visits import AXE_RUN
from support import ROOT
from test_browser import FIGURE, draw_every_figure, executed_figure_count, open_page

pytestmark = pytest.mark.browser
AXE = ROOT / "tests" / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


def axe_script() -> Path:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci --prefix tests` (part of the README's test command).")
    return AXE


def axe_violations(page) -> list[dict]:
    page.add_script_tag(path=str(axe_script()))
    return page.evaluate(AXE_RUN)  # the very call the shared page visits make


@pytest.mark.parametrize("name", toc_files(ROOT))
def test_axe_finds_no_serious_or_critical_violation(page_visits, name):
    axe_script()
    violations = page_visits.get(name, "desktop").axe  # axe ran once every figure was drawn (tests/page_visits.py)
    assert violations is not None, f"{name}: axe-core did not run"
    blocking = [v for v in violations if v["impact"] in BLOCKING]
    assert not blocking, "\n".join(f"{v['impact']}: {v['id']} ({v['help']}) at {v['nodes']}" for v in blocking)


def test_axe_reports_a_violation_when_there_is_one(browser, site):
    """The check itself works: an image without a text alternative is reported as critical.

    The shared visits run only the rules that can report a serious or critical
    violation (``page_visits.AXE_RUN``): they find what a run of every rule
    finds at those levels, here beside an empty heading (a minor violation).
    """
    seen = open_page(browser, f"{site}/intro.html")
    page = seen["page"]
    page.evaluate("() => document.querySelector('main').append(Object.assign(document.createElement('img'), {src: 'x.png'}),"
                  " document.createElement('h2'))")
    violations = axe_violations(page)
    every_rule = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                               ".map(v => [v.id, v.impact])")
    page.close()
    assert any(v["id"] == "image-alt" and v["impact"] == "critical" for v in violations), violations
    assert ["empty-heading", "minor"] in every_rule, every_rule
    assert sorted([v["id"], v["impact"]] for v in violations) == sorted(v for v in every_rule if v[1] in BLOCKING)


@pytest.mark.parametrize("name", [n for n in toc_files(ROOT) if n.startswith(("chapters/", "seminar/roleplay"))])
def test_every_figure_has_a_caption_description_and_data_table(page_visits, built_book, name):
    figures = page_visits.get(name, "desktop").figure_texts
    assert len(figures) == executed_figure_count(built_book, name), f"{name}: figures on the page differ from those executed"
    for figure in figures:
        assert figure["label"] and figure["focusable"], figure
        assert len(figure["description"]) > 40, figure
        assert figure["rows"] >= 1, figure
        if name.startswith("chapters/"):
            assert len(figure["caption"]) > 40, figure


def test_timeline_table_lists_every_event_shown(browser, site, built_book):
    """The master timeline's table fallback has one row per event, with date, event, category, source (and document)."""
    from nato_russia import load_events

    seen = open_page(browser, f"{site}/chapters/timeline.html")
    page = seen["page"]
    table = page.locator("details.plotly-data").first
    headers = table.locator("thead th").all_text_contents()
    rows = table.locator("tbody tr").count()
    page.close()
    events = load_events()
    # a "Primary document" column appears once events.csv gives any event's url
    assert headers == ["Date", "Event", "Category", "Source"] + (["Primary document"] if events["url"].notna().any() else [])
    assert rows == len(events)


def test_figures_and_their_tables_work_with_the_keyboard(browser, site):
    """Tab reaches the figure and its mode-bar buttons; Enter opens the data table."""
    seen = open_page(browser, f"{site}/chapters/timeline.html")
    page = seen["page"]
    figure_id = page.locator(FIGURE).first.get_attribute("id")
    draw_every_figure(page)
    page.evaluate("window.scrollTo(0, 0)")
    page.locator(FIGURE).first.locator(".modebar-btn").first.wait_for(state="attached")

    def tab_until(predicate: str, limit: int = 400) -> bool:
        for _ in range(limit):
            page.keyboard.press("Tab")
            if page.evaluate(predicate):
                return True
        return False

    assert tab_until(f"() => document.activeElement.id === '{figure_id}'"), "Tab never reached the figure"
    page.keyboard.press("Tab")
    assert page.evaluate(f"() => document.activeElement.classList.contains('modebar-btn') && "
                         f"document.getElementById('{figure_id}').contains(document.activeElement)"), \
        "the mode bar is not reachable by keyboard"
    assert page.evaluate("() => document.activeElement.getAttribute('aria-label')")
    assert tab_until(f"() => document.activeElement.matches('#{figure_id}-data summary')", limit=40)
    page.keyboard.press("Enter")
    assert page.evaluate(f"() => document.getElementById('{figure_id}-data').open")
    assert page.locator(f"#{figure_id}-data tbody tr").first.is_visible()
    page.close()
