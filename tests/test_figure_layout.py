"""Figures on a phone (390×844) and a desktop (1280×900), in light and dark mode, in both editions.

For every figure on every page: the plot area takes most of the figure's
width, the legend does not cover it, no text runs past the figure's edge,
key-event labels do not overlap, and on the desktop the margins estimated
when the figure was built hold its labels (no second drawing) without
wasting room. Dark mode darkens every figure. The mode bar offers neither
the cloud button nor the select tools. A deliberately bad figure shows that
each check can fail.
"""

from __future__ import annotations

import json

import pytest

from nato_russia.figure_contract import KEY_EVENT
from figure_geometry import BASE_MARGIN, FIGURE, MIN_PLOT_SHARE, layout_problems, margin_problems, measure_page, plot_share
from page_visits import DEVICES, FIGURE_PAGES as PAGES_WITH_FIGURES
from support import FIGURE_SPEC, html_pages
from test_browser import executed_figure_count

pytestmark = pytest.mark.browser
# Share of key-event labels that must find a free place (the rest are hidden rather than overlap).
MIN_LABELS_SHOWN = {"phone": 0.3, "desktop": 0.7}


def open_at(browser, url: str, device: str, colour_scheme: str = "light"):
    page = browser.new_page(viewport=DEVICES[device], color_scheme=colour_scheme)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url, wait_until="load")
    return page, errors


def problems_of(seen) -> list[str]:
    """Everything wrong with the figures of one visit (``tests/page_visits.py``), one line per problem."""
    device = seen.device
    problems = [problem for figure in seen.measured for problem in layout_problems(figure, MIN_PLOT_SHARE[device])]
    for figure in seen.measured:
        labels = sum(text["keyEvent"] for text in figure["texts"])
        if figure["keyLabels"] and labels < MIN_LABELS_SHOWN[device] * figure["keyLabels"]:
            problems.append(f"{figure['id']}: only {labels} of {figure['keyLabels']} key-event labels shown")
        if device == "desktop":
            problems.extend(margin_problems(figure))
        expected = "narrow" if device == "phone" else "wide"
        if figure["layoutDone"] != expected:
            problems.append(f"{figure['id']}: layout pass {figure['layoutDone']!r}, expected {expected!r}")
    return problems + [f"page error: {error}" for error in seen.page_errors]


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", PAGES_WITH_FIGURES)
def test_figures_fit_the_screen(page_visits, built_book, name, device):
    seen = page_visits.get(name, device)
    assert len(seen.measured) == executed_figure_count(built_book, name)
    assert not problems_of(seen), "\n".join(problems_of(seen))


@pytest.mark.parametrize("device", DEVICES)
@pytest.mark.parametrize("name", PAGES_WITH_FIGURES)
def test_figures_fit_the_screen_in_the_student_edition(student_visits, name, device):
    seen = student_visits.get(name, device)
    assert seen.measured, f"{name}: no figure measured"
    assert not problems_of(seen), "\n".join(problems_of(seen))


BAD_FIGURES = {
    "narrow plot": "{data: [{x: [1, 2], y: [1, 2]}], layout: {margin: {l: 250, r: 10}, height: 300}}",
    "legend on the plot": "{data: [{x: [1, 2], y: [1, 2], name: 'a'}, {x: [1, 2], y: [2, 1], name: 'b'}],"
                          " layout: {showlegend: true, legend: {x: 0.4, y: 0.6}, height: 300}}",
    "text past the edge": "{data: [{x: [1, 2], y: [1, 2]}], layout: {height: 300,"
                          " title: {text: 'A title far too long to fit on a phone without being wrapped onto more lines'}}}",
    "overlapping key labels": "{data: [{x: [1, 2], y: [1, 2]}], layout: {height: 300, annotations: ["
                              f"{{x: 1.5, y: 1.5, text: 'First label', name: '{KEY_EVENT}', showarrow: false}},"
                              f"{{x: 1.5, y: 1.5, text: 'Second label', name: '{KEY_EVENT}', showarrow: false}}]}}}}",
}


@pytest.mark.parametrize("fault", BAD_FIGURES)
def test_the_checks_catch_a_bad_figure(browser, site, fault):
    """Positive control: a figure drawn without the book's layout pass fails the check for its fault."""
    page, _ = open_at(browser, f"{site}/chapters/timeline.html", "phone")
    page.evaluate(
        f"""() => {{ const div = document.createElement('div'); div.id = 'bad-figure'; div.className = 'bad-figure';
                   div.style.width = '100%'; document.querySelector('main').prepend(div);
                   const spec = {BAD_FIGURES[fault]};
                   return Plotly.newPlot(div, spec.data, spec.layout).then(() => {{ div.dataset.courseLayout = 'none'; }}); }}"""
    )
    from figure_geometry import MEASURE_JS

    measured = page.locator("#bad-figure").evaluate(MEASURE_JS)
    page.close()
    problems = layout_problems(measured, MIN_PLOT_SHARE["phone"])
    expected = {"narrow plot": "plot area", "legend on the plot": "legend covers", "text past the edge": "past the figure's edge",
                "overlapping key labels": "overlap"}[fault]
    assert any(expected in problem for problem in problems), (fault, plot_share(measured), problems)


MOST_SPARE_ROOM = 6  # px an estimated margin may exceed what automargin makes from the base margin
# Draw each spec twice at a desktop figure's width: as built, and with its estimated margins back
# at the base, where automargin alone finds the room the labels need.
NEEDED_MARGINS_JS = """async ([specs, base]) => {
  const out = [];
  for (const [id, text] of specs) {
    const spec = JSON.parse(text), given = Object.assign({}, spec.layout.margin);
    const estimated = ['l', 'b'].filter(side => given[side] > base);
    if (!estimated.length) continue;
    estimated.forEach(side => { spec.layout.margin[side] = base; });
    const div = document.createElement('div'); div.style.width = '672px'; document.querySelector('main').prepend(div);
    await Plotly.newPlot(div, spec.data, spec.layout, spec.config);
    const size = div._fullLayout._size;
    estimated.forEach(side => out.push([id, side, given[side], size[side]]));
    Plotly.purge(div); div.remove();
  }
  return out;
}"""


def spare_room_problems(drawn: list) -> list[str]:
    problems = []
    for figure, side, given, needed in drawn:
        if given < needed - 0.5:
            problems.append(f"{figure}: margin {side} estimated at {given} px, its labels need {needed:.0f}")
        elif given - needed > MOST_SPARE_ROOM:
            problems.append(f"{figure}: margin {side} estimated at {given} px, {given - needed:.0f} px more than its labels need")
    return problems


def test_estimated_margins_are_the_room_the_labels_need(browser, site, built_book):
    """nato_russia.style sets the margins automargin would make, so the first drawing runs once.

    Too small, and plotly.js draws the figure a second time; too large, and the plot
    loses room. A bad spec, its margin far above what its labels need, shows the check can fail.
    """
    specs = [found for path in html_pages(built_book.html) for found in FIGURE_SPEC.findall(path.read_text(encoding="utf-8"))]
    bad = json.dumps({"data": [{"x": ["2001-01-01", "2003-01-01"], "y": [1, 2]}], "layout": {"margin": {"b": 90}}})
    page, errors = open_at(browser, f"{site}/chapters/timeline.html", "desktop")
    page.wait_for_function("() => window.Plotly")
    drawn = page.evaluate(NEEDED_MARGINS_JS, [specs + [["bad-figure", bad]], BASE_MARGIN])
    page.close()
    assert len({figure for figure, *_ in drawn}) >= 20, drawn  # most of the book's figures carry an estimate
    assert spare_room_problems([d for d in drawn if d[0] == "bad-figure"]), drawn
    problems = spare_room_problems([d for d in drawn if d[0] != "bad-figure"])
    assert not problems, "\n".join(problems)
    assert not errors, errors


def figure_colours(page) -> list[dict]:
    return page.evaluate(
        f"""() => [...document.querySelectorAll('{FIGURE}')].map(div => ({{
            id: div.id, paper: div._fullLayout.paper_bgcolor, font: div._fullLayout.font.color,
            svg: getComputedStyle(div.querySelector('svg.main-svg')).backgroundColor}}))"""
    )


NAMED = {"white": "#ffffff", "black": "#000000", "transparent": "#ffffff"}


def luminance(colour: str) -> float:
    """Relative brightness 0–1 of '#rgb', '#rrggbb', 'rgb(a)(…)' or 'white'/'black'."""
    colour = NAMED.get(colour.strip().lower(), colour.strip())
    if colour.startswith("#"):
        digits = colour[1:] if len(colour) == 7 else "".join(c * 2 for c in colour[1:4])
        parts = [int(digits[i:i + 2], 16) for i in (0, 2, 4)]
    else:
        parts = [float(v) for v in colour[colour.index("(") + 1:colour.index(")")].split(",")[:3]]
    return sum(weight * value / 255 for weight, value in zip((0.2126, 0.7152, 0.0722), parts))


IS_LIGHT = "(c) => ['white', '#fff', '#ffffff'].includes(String(c).toLowerCase())"


def test_dark_mode_darkens_every_figure_and_back(browser, site):
    page, errors = open_at(browser, f"{site}/chapters/timeline.html", "desktop")
    measure_page(page)
    assert all(luminance(f["paper"]) > 0.9 for f in figure_colours(page)), figure_colours(page)
    switcher = page.locator(".theme-switch-button").first
    for _ in range(3):  # the switcher cycles light → dark → auto
        if page.evaluate("document.documentElement.dataset.theme") == "dark":
            break
        switcher.click()
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    page.wait_for_function(f"() => [...document.querySelectorAll('{FIGURE}')].every(d => !({IS_LIGHT})(d._fullLayout.paper_bgcolor))",
                           timeout=5_000)
    dark = figure_colours(page)
    assert all(luminance(f["paper"]) < 0.2 and luminance(f["font"]) > 0.6 for f in dark), dark
    assert all(luminance(f["svg"]) < 0.2 for f in dark), dark
    # a figure drawn later (as when drawn lazily below the fold) is dark from the start
    page.evaluate("""() => { const div = document.createElement('div'); div.className = 'plotly-graph-div'; div.id = 'late';
        document.querySelector('main').append(div);
        return Plotly.newPlot(div, [{x: [1, 2], y: [1, 2]}], {title: {text: 'Late'}, height: 300})
          .then(gd => gd.dispatchEvent(new CustomEvent('course-figure-drawn', {bubbles: true}))); }""")
    page.wait_for_function("() => document.getElementById('late').dataset.courseLayout")
    late = next(f for f in figure_colours(page) if f["id"] == "late")
    assert luminance(late["paper"]) < 0.2, late
    while page.evaluate("document.documentElement.dataset.theme") == "dark":
        switcher.click()
    page.wait_for_function(f"() => [...document.querySelectorAll('{FIGURE}')].every(d => ({IS_LIGHT})(d._fullLayout.paper_bgcolor))",
                           timeout=5_000)
    page.close()
    assert not errors, errors


def test_dark_preference_applies_when_the_mode_is_auto(browser, site):
    page, _ = open_at(browser, f"{site}/chapters/measuring.html", "phone", colour_scheme="dark")
    measure_page(page)
    assert page.evaluate("document.documentElement.dataset.theme") == "dark"
    assert all(luminance(f["paper"]) < 0.2 for f in figure_colours(page))
    page.close()


@pytest.mark.parametrize("name", PAGES_WITH_FIGURES)
def test_mode_bar_has_no_cloud_or_select_buttons(page_visits, name):
    buttons = page_visits.get(name, "desktop").mode_bar
    assert buttons, f"{name}: no mode-bar buttons at all"
    forbidden = [title for title in buttons if any(word in (title or "") for word in ("Share", "Cloud", "Box Select", "Lasso"))]
    assert not forbidden, f"{name}: mode bar offers {sorted(set(forbidden))}"


def test_click_on_an_event_shows_its_details_under_the_figure(browser, site):
    page, _ = open_at(browser, f"{site}/chapters/timeline.html", "phone")
    measure_page(page)
    figure = page.locator(FIGURE).first
    figure.scroll_into_view_if_needed()
    point = figure.locator(".scatterlayer .trace .points path").nth(5)
    box = point.bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    panel = page.locator(f"#{figure.get_attribute('id')}-details")
    panel.wait_for(state="visible", timeout=5_000)
    text = panel.text_content()
    assert panel.get_attribute("aria-live") == "polite"
    assert "Source:" in text and any(str(year) in text for year in range(1991, 2011)), text
    page.close()


def test_primary_documents_are_links_in_the_data_tables(browser, site):
    """A URL in a data table's "Primary document" column becomes a link, on the built page and on a table added later."""
    from nato_russia import load_events

    with_url = int(load_events()["url"].notna().sum())
    page, _ = open_at(browser, f"{site}/chapters/timeline.html", "desktop")
    linked = page.evaluate("() => [...document.querySelector('details.plotly-data').querySelectorAll('a')]"
                           ".filter(a => a.textContent.startsWith('Primary document')).length")
    added = page.evaluate("""() => { const table = document.createElement('table'); table.className = 'plotly-data-table';
        table.innerHTML = '<thead><tr><th>Event</th><th>Primary document</th></tr></thead>'
                        + '<tbody><tr><td>An event</td><td>https://www.nato.int/example.htm</td></tr></tbody>';
        document.querySelector('main').append(table); window.courseFigures.linkDocuments();
        const link = table.querySelector('tbody a'); return link ? [link.href, link.textContent] : null; }""")
    page.close()
    assert linked == with_url
    assert added == ["https://www.nato.int/example.htm", "Primary document: An event"]
