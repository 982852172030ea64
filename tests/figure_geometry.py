"""Measure drawn Plotly figures in the browser: plot area, legend, text inside the figure.

Shared by ``test_figure_layout.py`` and by anyone measuring figures by hand
(``python tests/figure_geometry.py URL``). Boxes come from
``getBoundingClientRect``, so they are what a reader sees.
"""

from __future__ import annotations

from nato_russia.figure_contract import BASE_MARGIN

FIGURE = ".plotly-graph-div"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 900}
MIN_PLOT_SHARE = {"phone": 0.60, "desktop": 0.70}

# One function, run in the page for one figure div: every box the checks need.
MEASURE_JS = """
(div) => {
  const box = (el) => { const r = el.getBoundingClientRect();
                        return {left: r.left, right: r.right, top: r.top, bottom: r.bottom, width: r.width, height: r.height}; };
  const shown = (el) => { const r = el.getBoundingClientRect();
                          return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden'
                                 && !el.closest('[display="none"]') && getComputedStyle(el).display !== 'none'; };
  const plots = [...div.querySelectorAll('.nsewdrag, .geolayer .bg rect, .geolayer rect.bg')].filter(shown).map(box);
  const legends = [...div.querySelectorAll('.legend > rect.bg, .legend rect.bg')].filter(shown).map(box).slice(0, 1);
  const texts = [];
  const kinds = {tick: '.xtick text, .ytick text, .xtick2 text, .ytick2 text', title: '.gtitle, .g-xtitle text, .g-ytitle text, .xtitle, .ytitle',
                 legend: '.legendtext, .legendtitletext', annotation: '.annotation-text-g text'};
  for (const [kind, selector] of Object.entries(kinds)) {
    for (const el of div.querySelectorAll(selector)) {
      if (!shown(el) || !el.textContent.trim()) continue;
      const annotation = el.closest('.annotation');
      const spec = annotation ? (div.layout.annotations || [])[+annotation.dataset.index] : null;
      texts.push({kind, text: el.textContent.trim().slice(0, 60), box: box(el), keyEvent: !!(spec && spec.name === window.courseFigureContract.KEY_EVENT)});
    }
  }
  // The margins nato_russia.style estimated for the labels, and what automargin settled on.
  const given = div.layout.margin || {}, drawn = div._fullLayout._size;
  const margins = {given: {l: given.l, b: given.b}, drawn: {l: drawn.l, b: drawn.b}};
  return {id: div.id, figure: box(div), plots, legend: legends[0] || null, texts, margins,
          keyLabels: (div.layout.annotations || []).filter(a => a.name === window.courseFigureContract.KEY_EVENT).length,
          layoutDone: div.dataset.courseLayout || ''};
}
"""


def overlap(a: dict, b: dict, slack: float = 0.5) -> bool:
    """True when two boxes share more than a sliver."""
    return (min(a["right"], b["right"]) - max(a["left"], b["left"]) > slack
            and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > slack)


def plot_share(measured: dict) -> float:
    """Width of the plot area (all subplots together) as a share of the figure's width."""
    plots = measured["plots"]
    if not plots or not measured["figure"]["width"]:
        return 0.0
    return (max(p["right"] for p in plots) - min(p["left"] for p in plots)) / measured["figure"]["width"]


def layout_problems(measured: dict, min_share: float) -> list[str]:
    """Everything wrong with one drawn figure, one line per problem (empty when it is fine)."""
    problems = []
    where = measured["id"]
    share = plot_share(measured)
    if share < min_share:
        problems.append(f"{where}: plot area is {share:.0%} of the figure's width (needs {min_share:.0%})")
    legend = measured["legend"]
    if legend and any(overlap(legend, plot) for plot in measured["plots"]):
        problems.append(f"{where}: the legend covers the plot area")
    edge = measured["figure"]
    for text in measured["texts"]:
        b = text["box"]
        if b["left"] < edge["left"] - 1 or b["right"] > edge["right"] + 1 or b["top"] < edge["top"] - 1 or b["bottom"] > edge["bottom"] + 1:
            problems.append(f"{where}: {text['kind']} text {text['text']!r} runs past the figure's edge")
    titles = [t for t in measured["texts"] if t["kind"] == "title"]
    ticks = [t for t in measured["texts"] if t["kind"] == "tick"]
    for title in titles:
        for tick in ticks:
            if overlap(title["box"], tick["box"]):
                problems.append(f"{where}: title {title['text']!r} overlaps tick label {tick['text']!r}")
                break
    labels = [t for t in measured["texts"] if t["keyEvent"]]
    for number, first in enumerate(labels):
        for second in labels[number + 1:]:
            if overlap(first["box"], second["box"]):
                problems.append(f"{where}: key-event labels {first['text']!r} and {second['text']!r} overlap")
    return problems


def margin_problems(measured: dict) -> list[str]:
    """A margin estimated too small for its labels: automargin widened it, so the first drawing ran twice.

    Checked at the desktop width, where the figure keeps the fonts it was built with.
    A margin above ``BASE_MARGIN`` was estimated for the labels.
    """
    problems, margins = [], measured["margins"]
    for side, edge in (("b", "bottom"), ("l", "left")):
        given, drawn = margins["given"].get(side), margins["drawn"][side]
        if given is not None and given > BASE_MARGIN and drawn > given + 0.5:
            problems.append(f"{measured['id']}: the {edge} margin was estimated at {given} px but its labels needed "
                            f"{drawn:.0f}, so the first drawing ran twice")
    return problems


def measure_page(page) -> list[dict]:
    """Scroll each figure into view (figures may be drawn lazily), wait for its layout pass, measure it."""
    results = []
    # Figures inside collapsed solutions draw when a reader opens them; open them all to measure them.
    # (sphinx-togglebutton collapses a solution dropdown with the class toggle-hidden; <details> with `open`.)
    page.evaluate("() => { document.querySelectorAll('details').forEach(d => { d.open = true; });"
                  " document.querySelectorAll('.toggle-hidden').forEach(e => e.classList.remove('toggle-hidden')); }")
    page.wait_for_timeout(300)
    for number in range(page.locator(FIGURE).count()):
        figure = page.locator(FIGURE).nth(number)
        figure.scroll_into_view_if_needed()
        figure.locator("svg.main-svg").first.wait_for(timeout=10_000)
        page.wait_for_function("(div) => div.dataset.courseLayout", arg=figure.element_handle(), timeout=10_000)
        results.append(figure.evaluate(MEASURE_JS))
    return results


if __name__ == "__main__":  # measure a page by hand: python tests/figure_geometry.py URL [phone|desktop]
    import sys

    from playwright.sync_api import sync_playwright

    from support import CHROMIUM_ARGS, chromium_path

    url, device = sys.argv[1], (sys.argv[2] if len(sys.argv) > 2 else "phone")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        page = chromium.new_page(viewport=PHONE if device == "phone" else DESKTOP)
        page.goto(url, wait_until="load")
        pass
        for measured in measure_page(page):
            print(f"{measured['id']}: plot {plot_share(measured):.0%}")
            for problem in layout_problems(measured, MIN_PLOT_SHARE[device]):
                print("   ", problem)
        chromium.close()
