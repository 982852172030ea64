"""Markup typed into the data is shown as text on every page: no script runs, no element is made from it.

The book is built from a copy of the data in which every free text carries
``<img src=x data-hostile onerror=alert(1)>`` (``tests/hostile_data.py``).
Every page of that build is opened in Chromium, every figure drawn, a hover
label and a tap panel shown on each; the test fails on any dialog and on any
element carrying the marker attribute, and checks that the markup did reach
the pages as visible text (else it would prove nothing).
"""

from __future__ import annotations

from page_visits import draw_every_figure
from hostile_data import HOSTILE, MARKER
from support import html_pages

# Pages whose tables or lists print the data's text: the markup must be visible there, as text.
MUST_SHOW_THE_MARKUP = ["seminar/roleplay.html", "chapters/timeline.html", "reference/codebook.html",
                        "chapters/reset_2008_2010.html", "seminar/handouts/case_files.html"]
# Show a hover label on the first point of each trace of each figure, then a tap panel (figures.js).
HOVER_AND_TAP = """() => {
    for (const gd of document.querySelectorAll('.plotly-graph-div')) {
        gd.data.forEach((trace, curveNumber) => {
            if (!trace.x || !trace.x.length) return;
            Plotly.Fx.hover(gd, [{curveNumber, pointNumber: 0}]);
            const point = {curveNumber, pointNumber: 0, data: trace, customdata: (trace.customdata || [])[0],
                           x: trace.x[0], y: (trace.y || [])[0], fullData: gd._fullData[curveNumber]};
            gd.emit('plotly_click', {points: [point], event: new MouseEvent('click')});
        });
    }
}"""
MADE_FROM_DATA = f"() => [...document.querySelectorAll('[{MARKER}]')].map(e => e.outerHTML.slice(0, 120))"
# The tap panels' titles: each must read as the data has it, markup and all.
TAPPED_TITLES = "() => [...document.querySelectorAll('.course-figure-details-title')].map(p => p.textContent)"
VISIBLE_MARKUP = f"() => document.body.innerText.split('{MARKER}').length - 1"


def test_markup_in_the_data_runs_nowhere_and_shows_as_text(hostile_site, browser):
    url, build = hostile_site
    pages = [page.relative_to(build.html).as_posix() for page in html_pages(build.html)]
    assert set(MUST_SHOW_THE_MARKUP) <= set(pages), sorted(set(MUST_SHOW_THE_MARKUP) - set(pages))
    dialogs, made, shown, tapped = [], {}, {}, {}
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.on("dialog", lambda dialog: (dialogs.append((tab.url, dialog.message)), dialog.dismiss()))
    try:
        for name in pages:
            tab.goto(f"{url}/{name}", wait_until="load")
            draw_every_figure(tab)
            tab.evaluate(HOVER_AND_TAP)
            made[name] = tab.evaluate(MADE_FROM_DATA)
            shown[name] = tab.evaluate(VISIBLE_MARKUP)
            tapped[name] = tab.evaluate(TAPPED_TITLES)
    finally:
        context.close()

    assert not dialogs, f"script from the data ran {len(dialogs)} times, on {sorted({url for url, _ in dialogs})}"
    assert not any(made.values()), {name: elements for name, elements in made.items() if elements}
    assert all(shown[name] for name in MUST_SHOW_THE_MARKUP), {name: shown[name] for name in MUST_SHOW_THE_MARKUP}
    # Event titles in a tap panel are shown as typed, not with the markup cut out.
    assert tapped["chapters/timeline.html"], "no tap panel opened on the timeline"
    assert all(HOSTILE in title for title in tapped["chapters/timeline.html"]), tapped["chapters/timeline.html"]
