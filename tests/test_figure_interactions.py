"""Every reader's interaction with every figure, in real Chromium, ends in a few relayouts and a live page.

A double-click, Autoscale, a legend click, a zoom, a pan (mode bar, then a
drag), Reset axes and a tap (a touch screen's) on each Plotly figure of each
page: after each, the figure has made at most ``MOST_RELAYOUTS``
``plotly_relayout`` events, the page answers within a second, and each input
visibly reached the figure (a relayout, a hidden trace, the tap's details). Before this test, ``figures.js``
re-placed its key-event labels on the relayout its own placement caused
(Plotly answers a relayout of an autoranged axis beside inside tick labels
with ``xaxis.autorange``), and a double-click or Autoscale froze the tab.

Input is real mouse and touch input (Playwright's locator actions, which
dispatch the browser's input events), each bounded by a timeout, since a
frozen page would otherwise hold the test forever. One page load per page,
in a touch-enabled context that also has a mouse; each interaction is made
on all the page's figures, then the page is left to settle once.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Error as PlaywrightError

from figure_geometry import DESKTOP, FIGURE
from page_visits import FIGURE_PAGES, draw_every_figure
from support import FIGURE_SPEC, html_pages
from test_browser import executed_figure_count

pytestmark = pytest.mark.browser

# Per figure and interaction. Measured: at most 3 (Plotly's relayout, Plotly's answer to it for
# inside tick labels, one label placement; pan: the mode bar's dragmode too); a loop makes dozens.
MOST_RELAYOUTS = 6
QUIET_MS = 120         # settled: no relayout or restyle for this long
SETTLE_TIMEOUT = 8_000  # ms; an endless relayout loop never settles (nor does a legend click's or tap's outcome show)
ACTION_TIMEOUT = 5_000  # ms for one input action; a frozen page never acknowledges it
ANSWER_WITHIN = 1.0    # s for a round trip to the page

# Counts each figure's relayouts, and notes when the last relayout or restyle of any figure
# came; `armed` starts the quiet time afresh at the next check of SETTLED.
PROBE_JS = """window.courseProbe = {counts: {}, last: performance.now(), armed: false};
document.addEventListener('course-figure-drawn', (event) => {
  const gd = event.target, probe = window.courseProbe;
  if (gd.id in probe.counts) return;
  probe.counts[gd.id] = 0;
  gd.on('plotly_relayout', () => { probe.counts[gd.id] += 1; probe.last = performance.now(); });
  gd.on('plotly_restyle', () => { probe.last = performance.now(); });
});"""
SETTLED = f"""(quiet) => {{ const probe = window.courseProbe;
  if (probe.armed) {{ probe.armed = false; probe.last = performance.now(); }}
  return [...document.querySelectorAll('{FIGURE}')].every(d => d.dataset.courseLayout) && performance.now() - probe.last > quiet; }}"""
ARM = """() => { const probe = window.courseProbe; probe.armed = true;
  Object.keys(probe.counts).forEach(id => { probe.counts[id] = 0; }); }"""
OPEN_SOLUTIONS = ("() => { document.querySelectorAll('details').forEach(d => { d.open = true; });"
                  " document.querySelectorAll('.toggle-hidden').forEach(e => e.classList.remove('toggle-hidden')); }")
# Per figure, measured while the page is idle (a call made after an input that froze the page
# would never return): the plot area's size, whether a legend shows, and a spot to tap, on a
# drawn data point with hover details (a marker, a bar, else a line's vertex) under no text,
# legend or mode bar, in px from the plot area's top left corner (null if there is none).
PLAN_JS = f"""() => Object.fromEntries([...document.querySelectorAll('{FIGURE}')].map(gd => {{
  const drag = gd.querySelector('.nsewdrag');
  if (!drag) return [gd.id, null];  // no cartesian plot area: reported by act
  const area = drag.getBoundingClientRect();
  const hoverable = [...gd.querySelectorAll('.scatterlayer .trace, .barlayer .trace')].filter(g => {{
    const trace = g.__data__ && g.__data__[0] && g.__data__[0].trace;  // d3's datum: the trace's calcdata
    return trace && !['skip', 'none'].includes(trace.hoverinfo); }});
  const centre = (el) => {{ const r = el.getBoundingClientRect(); return [r.left + r.width / 2, r.top + r.height / 2]; }};
  const vertices = (path) => [...(path.getAttribute('d') || '').matchAll(/[ML]([-\\d.e]+),([-\\d.e]+)/g)].map(([, x, y]) => {{
    const p = new DOMPoint(+x, +y).matrixTransform(path.getScreenCTM()); return [p.x, p.y]; }});
  const drawn = (el) => {{ const r = el.getBoundingClientRect(); return r.width > 2 && r.height > 2; }};  // not a bar of 0
  let spots = hoverable.flatMap(g => [...g.querySelectorAll('.points path, .point path')].filter(drawn).map(centre));
  if (!spots.length) spots = hoverable.flatMap(g => [...g.querySelectorAll('.js-line')].flatMap(vertices));
  const covers = [...gd.querySelectorAll('.infolayer .annotation, .legend, .modebar')].map(el => el.getBoundingClientRect());
  const free = spots.filter(([x, y]) => x > area.left + 3 && x < area.right - 3 && y > area.top + 3 && y < area.bottom - 3
    && !covers.some(r => x >= r.left - 2 && x <= r.right + 2 && y >= r.top - 2 && y <= r.bottom + 2));
  const spot = free.length ? free[Math.floor(free.length / 2)] : null;
  return [gd.id, {{width: area.width, height: area.height, legend: !!gd.querySelector('.legend .traces'),
                   spot: spot && {{x: spot[0] - area.left, y: spot[1] - area.top}}}}];
}}))"""
DETAILS_SHOWN = "(id) => { const p = document.getElementById(id + '-details'); return p && !p.hidden && p.textContent.trim(); }"
TRACE_HIDDEN = "(id) => document.getElementById(id).data.some(trace => trace.visible === 'legendonly')"
# Plotly takes two clicks up to 300 ms apart for a double-click; on a busy machine each input
# event of Playwright's double-click can take 150 ms to be handled. For the double-clicks, Plotly
# waits longer (``gd._context`` is the figure's config, read at each click); null restores it.
SLOW_DOUBLE_CLICK = 1_000  # ms
DOUBLE_CLICK_DELAY = f"""(delay) => document.querySelectorAll('{FIGURE}').forEach(gd => {{
  if (!('courseDelay' in gd)) gd.courseDelay = gd._context.doubleClickDelay;
  gd._context.doubleClickDelay = delay === null ? gd.courseDelay : delay; }})"""


class PageStop(Exception):
    """Nothing more can be done on the page: it stopped answering, or a figure has no plot area."""


def at(plan: dict, x: float, y: float) -> dict:
    """A position in the plot area, as shares of its width and height."""
    return {"x": plan["width"] * x, "y": plan["height"] * y}


def mode_bar(figure, title: str):
    return figure.locator(f'.modebar-btn[data-title="{title}"]')


def zoom(figure, drag, plan):
    drag.drag_to(drag, source_position=at(plan, 0.3, 0.35), target_position=at(plan, 0.6, 0.65), steps=1,
                 force=True, timeout=ACTION_TIMEOUT)


def pan(figure, drag, plan):
    mode_bar(figure, "Pan").click(force=True, timeout=ACTION_TIMEOUT)
    drag.drag_to(drag, source_position=at(plan, 0.5, 0.5), target_position=at(plan, 0.35, 0.5), steps=1,
                 force=True, timeout=ACTION_TIMEOUT)


def reset_axes(figure, drag, plan):
    mode_bar(figure, "Reset axes").click(force=True, timeout=ACTION_TIMEOUT)


def double_click(figure, drag, plan):
    drag.dblclick(position=at(plan, 0.5, 0.5), force=True, timeout=ACTION_TIMEOUT)


def autoscale(figure, drag, plan):
    mode_bar(figure, "Autoscale").click(force=True, timeout=ACTION_TIMEOUT)


def legend_click(figure, drag, plan):
    """Hide the legend's first trace; False if the figure shows no legend."""
    if not plan["legend"]:
        return False
    figure.locator(".legend .traces").first.click(force=True, timeout=ACTION_TIMEOUT)
    return True


def tap(figure, drag, plan):
    """A finger's tap on a data point; False if no point lies uncovered in the plot area."""
    if plan["spot"] is None:
        return False
    drag.tap(position=plan["spot"], force=True, timeout=ACTION_TIMEOUT)
    return True


# In this order: the first double-click, from the figure's first ranges, autoscales (from any
# other range it resets them), and the legend click then comes with the axes autoscaled, when
# hiding a trace rescales them; Reset axes comes after zoom and pan, with something to reset.
INTERACTIONS = {"double-click": double_click, "Autoscale": autoscale, "legend click": legend_click, "zoom": zoom,
                "pan": pan, "Reset axes": reset_axes, "tap": tap}
MOVES_THE_AXES = {"zoom", "pan", "Reset axes", "double-click", "Autoscale"}  # each makes at least one relayout
# What shows that the input reached Plotly, when it makes no relayout (Plotly acts on a legend
# click 300 ms late, to tell it from a double-click): checked on each figure it applied to.
OUTCOME = {"legend click": (TRACE_HIDDEN, "the legend click hid no trace"),
           "tap": (DETAILS_SHOWN, "a tap on a point showed no details under the figure")}


def answers(page) -> float | None:
    """Seconds a round trip to the page takes, or None if it takes over ``ANSWER_WITHIN``."""
    start = time.monotonic()
    try:
        page.wait_for_function("() => true", timeout=ANSWER_WITHIN * 1000)
    except PlaywrightError:
        return None
    elapsed = time.monotonic() - start
    return elapsed if elapsed <= ANSWER_WITHIN else None


def settle(page, what: str) -> None:
    """Wait until no figure relayouts for ``QUIET_MS``, then check that the page answers within a second.

    Every call before this one returns, after an input, is bounded by a timeout.
    """
    try:
        page.wait_for_function(SETTLED, arg=QUIET_MS, polling=50, timeout=SETTLE_TIMEOUT)
    except PlaywrightError as error:
        raise PageStop(f"after {what}, the figures were still relayouting (or the page stopped answering) "
                       f"{SETTLE_TIMEOUT / 1000:.0f} s later") from error
    if answers(page) is None:
        raise PageStop(f"after {what}, the page took over {ANSWER_WITHIN} s to answer")


def act(page, figure_ids, name: str, action) -> set[str]:
    """``action`` on each figure; the figures it applied to."""
    plans = page.evaluate(PLAN_JS)  # the page is idle: the last round settled
    page.evaluate(ARM)
    applied = set()
    for figure_id in figure_ids:
        figure = page.locator(f"#{figure_id}")
        if plans[figure_id] is None:
            raise PageStop(f"{figure_id} has no cartesian plot area (.nsewdrag): this test does not know how to use it")
        try:
            if action(figure, figure.locator(".nsewdrag").first, plans[figure_id]) is not False:
                applied.add(figure_id)
        except PlaywrightError as error:
            raise PageStop(f"the page froze: {name} on {figure_id} was not acknowledged within "
                           f"{ACTION_TIMEOUT / 1000:.0f} s: {str(error).splitlines()[0]}") from error
    return applied


def interact(page, ids: list[str], name: str, action) -> tuple[dict[str, int], set[str], list[str]]:
    """``action`` on every figure, then one settling: each figure's relayouts, the figures it applied to, problems."""
    problems = []
    if name == "double-click":
        page.evaluate(DOUBLE_CLICK_DELAY, SLOW_DOUBLE_CLICK)
    applied = act(page, ids, name, action)
    if name in OUTCOME:
        shown, problem = OUTCOME[name]
        try:
            page.wait_for_function(f"(ids) => ids.every({shown})", arg=sorted(applied), polling=50, timeout=SETTLE_TIMEOUT)
        except PlaywrightError:
            if answers(page) is None:
                raise PageStop(f"after {name} on every figure, the page took over {ANSWER_WITHIN} s to answer") from None
            missing = set(applied) - set(page.evaluate(f"(ids) => ids.filter({shown})", sorted(applied)))
            problems += [f"{figure_id}: {problem}" for figure_id in sorted(missing)]
    settle(page, f"{name} on every figure")
    counts = page.evaluate("() => window.courseProbe.counts")
    if name == "double-click":
        # A busy machine can still space a double-click out into two clicks: once more where nothing happened.
        missed = [figure_id for figure_id in ids if not counts.get(figure_id)]
        if missed:
            act(page, missed, name, action)
            settle(page, f"{name} again on {', '.join(missed)}")
            again = page.evaluate("() => window.courseProbe.counts")
            counts.update({figure_id: again[figure_id] for figure_id in missed})
        page.evaluate(DOUBLE_CLICK_DELAY, None)
    return counts, applied, problems


def interaction_problems(context, url: str) -> tuple[dict[str, dict[str, int]], list[str]]:
    """Every interaction on every figure of the page at ``url``: relayouts by interaction and figure, and problems."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.add_init_script(PROBE_JS)
    counts: dict[str, dict[str, int]] = {}
    problems: list[str] = []
    try:
        page.goto(url, wait_until="load")
        page.evaluate(OPEN_SOLUTIONS)  # figures in folded solutions are drawn when opened (as in figure_geometry)
        draw_every_figure(page, timeout=30_000)
        ids = page.evaluate(f"() => [...document.querySelectorAll('{FIGURE}')].map(d => d.id)")
        counts["figures"] = {figure_id: 0 for figure_id in ids}
        settle(page, "drawing")
        for name, action in INTERACTIONS.items():
            counts[name], applied, missed = interact(page, ids, name, action)
            problems += missed
            for figure_id in ids:
                relayouts = counts[name].get(figure_id, 0)
                if relayouts > MOST_RELAYOUTS:
                    problems.append(f"{figure_id}: {name} made {relayouts} relayouts (at most {MOST_RELAYOUTS})")
                if name in MOVES_THE_AXES and not relayouts:
                    problems.append(f"{figure_id}: {name} made no relayout: the input missed the figure")
            if name == "tap":
                problems += [f"{figure_id}: no data point to tap" for figure_id in ids if figure_id not in applied]
    except PageStop as stop:
        problems.append(str(stop))
    finally:
        page.close()
    return counts, problems + [f"page error: {error}" for error in errors]


def test_the_built_pages_with_figures_are_the_chapters(built_book):
    """The test below visits ``FIGURE_PAGES``: no built page with a figure may be missing from them."""
    with_figures = sorted(path.relative_to(built_book.html).with_suffix("").as_posix() for path in html_pages(built_book.html)
                          if FIGURE_SPEC.search(path.read_text(encoding="utf-8")))
    assert with_figures, "no built page holds a figure"
    assert set(with_figures) <= set(FIGURE_PAGES), sorted(set(with_figures) - set(FIGURE_PAGES))


@pytest.fixture(scope="module")
def touch_screen(browser):
    """A desktop-sized browser window with a touch screen as well as a mouse; its cache serves every page."""
    context = browser.new_context(viewport=DESKTOP, has_touch=True)
    yield context
    context.close()


@pytest.mark.parametrize("name", FIGURE_PAGES)
def test_every_interaction_settles_in_a_few_relayouts(touch_screen, site, built_book, name):
    counts, problems = interaction_problems(touch_screen, f"{site}/{name}.html")
    figures = counts.get("figures", {})
    assert len(figures) == executed_figure_count(built_book, name), f"{name}: {len(figures)} figures on the page"
    assert not problems, f"{name}:\n" + "\n".join(problems)
