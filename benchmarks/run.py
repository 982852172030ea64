"""Measure the book's build speed, page weight and figure drawing time; print a table and record it.

Also measured: seminar packs, figures with a data table, and the
student edition's cold build. Targets: cold build ≤ 60 s for the whole book,
no-change rebuild ≤ 8 s, ≤ 300 KB own bytes per page, plotly.js fetched once
and never inlined, figures drawn ≤ 1 s, ≤ 3.2 MB of script per
figure page and the first figure drawn within 2.5 times a text page's
DOMContentLoaded. Figures are drawn as they near the viewport, so the
timings jump straight to each figure (as a reader following a link to it
would); both ratios' parts are measured side by side in the same browser.
This script measures; it asserts nothing (timed assertions do not belong in
the test suite). The table, dated and with each target marked met or missed,
replaces the one between the marker comments of benchmarks/README.md, which
also explains the method.

    python benchmarks/run.py            # a few minutes on 2 cores
"""

from __future__ import annotations

import csv
import datetime
import functools
import http.server
import os
import re
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from support import CHROMIUM_ARGS, build_book, chromium_path, copy_repository, html_pages  # noqa: E402

from book_extensions.toc import toc_chapters  # noqa: E402

PLOTLY_BANNER = re.compile(r"plotly\.js (\([^)]*\) )?v\d")  # header of every plotly.js bundle

TARGETS = {
    "cold build (s)": 60, "no-change rebuild (s)": 8, "largest page, own bytes (KB)": 300,
    "figures drawn, slowest page (ms)": 1000, "plotly.js full downloads, whole visit": 1,
    "script bytes, largest figure page (MB)": 3.2, "first figure drawn / text page DOMContentLoaded": 2.5,
}
# Installed before any page script runs: note when the first figure is drawn, and
# bring the first figure into view at once (figures are drawn as they near the viewport).
TIMING_SCRIPT = """
window.firstFigureDrawn = null;
document.addEventListener('course-figure-drawn', () => { if (window.firstFigureDrawn === null) window.firstFigureDrawn = performance.now(); });
document.addEventListener('DOMContentLoaded', () => { const f = document.querySelector('.plotly-graph-div'); if (f) f.scrollIntoView(); });
"""
RESULTS_FILE = ROOT / "benchmarks" / "README.md"
TABLE_START = "<!-- benchmark table: written by benchmarks/run.py -->"
TABLE_END = "<!-- end of benchmark table -->"
ALL_DRAWN = "() => [...document.querySelectorAll('.plotly-graph-div')].every(d => d.querySelector('svg.main-svg'))"


def timed_build(source: Path, output: Path, full: bool, env: dict | None = None) -> float:
    start = time.perf_counter()
    build = build_book(source, output, extra_env=env, full=full)
    elapsed = time.perf_counter() - start
    if build.returncode != 0:
        raise SystemExit(f"build failed:\n{build.log[-3000:]}")
    return elapsed


def folder_size(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.rglob("*") if p.is_file())


def script_bytes(html_dir: Path, page: Path) -> int:
    """Bytes of every local script a page loads (what a first visit downloads and parses)."""
    text = page.read_text(encoding="utf-8")
    total = 0
    for src in re.findall(r'<script[^>]+src="([^"]+)"', text):
        path = (page.parent / src.split("?")[0]).resolve()
        if path.is_file() and html_dir.resolve() in path.parents:
            total += path.stat().st_size
    return total


def figure_timings(html_dir: Path) -> dict[str, tuple[int, float, float, float]]:
    """Per page: figures, ms until all are drawn, ms until the first is drawn, ms until DOMContentLoaded."""
    from playwright.sync_api import sync_playwright

    plotly_requests = []

    class CountingHandler(http.server.SimpleHTTPRequestHandler):
        def log_request(self, code="-", size="-"):
            if "/vendor/plotly-" in self.path:
                plotly_requests.append(int(code))

    handler = functools.partial(CountingHandler, directory=str(html_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    timings = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        context = browser.new_context()  # one cache for the whole visit, as a reader has
        for page_path in html_pages(html_dir):
            name = page_path.relative_to(html_dir).as_posix()
            if re.search(r'http-equiv="refresh"', page_path.read_text(encoding="utf-8"), re.I):
                continue  # a redirect (index.html), not a page a reader reads
            page = context.new_page()
            page.add_init_script(TIMING_SCRIPT)
            page.goto(f"{base}/{name}", wait_until="load")
            count = page.evaluate("document.querySelectorAll('.plotly-graph-div').length")
            if count:
                page.wait_for_function("() => window.firstFigureDrawn !== null", timeout=30_000)
            for index in range(count):  # a reader jumping to each figure in turn
                figure = page.locator(".plotly-graph-div").nth(index)
                figure.scroll_into_view_if_needed()
                figure.locator("svg.main-svg").first.wait_for(state="attached", timeout=30_000)  # a solution's may be folded
            page.wait_for_function(ALL_DRAWN, timeout=30_000)
            drawn_at = page.evaluate("performance.now()")
            first = page.evaluate("window.firstFigureDrawn") or 0.0
            loaded = page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd")
            timings[name] = (count, drawn_at, first, loaded)
            page.close()
        browser.close()
    server.shutdown()
    full_downloads = sum(code == 200 for code in plotly_requests)
    timings["_plotly_js_fetches"] = (full_downloads, float(len(plotly_requests)), 0.0, 0.0)
    return timings


def book_summary(source: Path) -> str:
    """What was measured, for the table's heading: today's date, the machine's cores, the book's size."""
    with (source / "data" / "events.csv").open(encoding="utf-8", newline="") as events:
        event_count = sum(1 for _ in csv.DictReader(events))
    return (f"Measured on {datetime.date.today().isoformat()} on a machine with {os.cpu_count()} CPU cores, "
            f"on the whole book ({len(toc_chapters(source))} chapters, {event_count} events).")


def results_table(rows: list[tuple[str, float]], summary: str) -> str:
    """The Markdown table of measures, each target marked met (value ≤ target) or missed, and a count of the missed."""
    width = max(len(name) for name, _ in rows)
    lines = [summary, "", f"| {'measure'.ljust(width)} | value   | target | result |",
             f"| {'-' * width} | ------- | ------ | ------ |"]
    missed = 0
    for name, value in rows:
        shown = (f"{value:.2f}" if value < 10 else f"{value:.1f}") if isinstance(value, float) else str(value)
        target = TARGETS.get(name)
        result = "" if target is None else ("met" if value <= target else "**missed**")
        missed += result == "**missed**"
        lines.append(f"| {name.ljust(width)} | {shown.rjust(7)} | {'≤ ' + str(target) if target else ''} | {result} |")
    lines += ["", f"{missed} of {len(TARGETS)} targets missed." if missed else "Every target met."]
    return "\n".join(lines)


def record(table: str, results_file: Path = RESULTS_FILE) -> None:
    """Replace the table between the marker comments of ``results_file`` with ``table``."""
    text = results_file.read_text(encoding="utf-8")
    if text.count(TABLE_START) != 1 or text.count(TABLE_END) != 1 or text.index(TABLE_START) > text.index(TABLE_END):
        raise SystemExit(f"{results_file}: expected one line {TABLE_START!r} and, after it, one line {TABLE_END!r}; "
                         "the table goes between them")
    before, rest = text.split(TABLE_START, 1)
    after = rest.split(TABLE_END, 1)[1]
    results_file.write_text(f"{before}{TABLE_START}\n{table}\n{TABLE_END}{after}", encoding="utf-8")
    print(f"\nWritten into {results_file}.")


def main() -> None:
    rows = []
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        source = scratch / "book"
        copy_repository(source)
        env = {"NATO_RUSSIA_DATA": str(source / "data")}
        output = scratch / "out"
        rows.append(("cold build (s)", timed_build(source, output, full=True, env=env)))
        rows.append(("no-change rebuild (s)", timed_build(source, output, full=False, env=env)))
        chapter = source / toc_chapters(source)[0].relative_to(source)
        chapter.write_text(chapter.read_text(encoding="utf-8") + "\n<!-- benchmark edit -->\n", encoding="utf-8")
        rows.append(("one-chapter-edit rebuild (s)", timed_build(source, output, full=False, env=env)))

        html_dir = output / "_build" / "html"
        sizes = [p.stat().st_size / 1024 for p in html_pages(html_dir)]
        rows.append(("pages", len(sizes)))
        rows.append(("largest page, own bytes (KB)", max(sizes)))
        rows.append(("median page, own bytes (KB)", statistics.median(sizes)))
        rows.append(("_static folder (KB)", folder_size(html_dir / "_static") / 1024))
        inlined = sum(bool(PLOTLY_BANNER.search(p.read_text(encoding="utf-8"))) for p in html_pages(html_dir))
        rows.append(("pages inlining plotly.js", inlined))
        figure_pages = [p for p in html_pages(html_dir) if 'class="plotly-graph-div"' in p.read_text(encoding="utf-8")]
        text_pages = [p for p in html_pages(html_dir) if p not in figure_pages]
        rows.append(("script bytes, largest figure page (MB)", max(script_bytes(html_dir, p) for p in figure_pages) / 1e6))
        rows.append(("script bytes, largest text page (MB)", max(script_bytes(html_dir, p) for p in text_pages) / 1e6))

        packs = [p.stat().st_size / 1024 for p in (html_dir / "packs").glob("*.zip")]
        rows.append(("seminar packs", len(packs)))
        rows.append(("largest seminar pack (KB)", max(packs, default=0)))
        tables = sum(p.read_text(encoding="utf-8").count('class="plotly-data"') for p in html_pages(html_dir))
        rows.append(("figures with a data table", tables))

        student_output = scratch / "student"
        rows.append(("student edition cold build (s)",
                      timed_build(source, student_output, full=True, env={**env, "BOOK_EDITION": "student"})))

        timings = figure_timings(html_dir)
        fetches, requests, _, _ = timings.pop("_plotly_js_fetches")
        with_figures = {name: t for name, t in timings.items() if t[0]}
        text_loaded = statistics.median(t[3] for t in timings.values() if not t[0])
        first_drawn = statistics.median(t[2] for t in with_figures.values())
        rows.append(("plotly.js full downloads, whole visit", fetches))
        rows.append(("plotly.js requests incl. revalidations", int(requests)))
        rows.append(("figures drawn, slowest page (ms)", max((t[1] for t in with_figures.values()), default=0)))
        rows.append(("figures drawn, median page (ms)", statistics.median(t[1] for t in with_figures.values())))
        rows.append(("first figure drawn, median figure page (ms)", first_drawn))
        rows.append(("DOMContentLoaded, median text page (ms)", text_loaded))
        rows.append(("first figure drawn / text page DOMContentLoaded", first_drawn / text_loaded))
        book = book_summary(source)

    table = results_table(rows, book)
    print(table)
    record(table)
    print("\nPer page (figures; ms until all drawn, until the first drawn, until DOMContentLoaded):")
    for name, (count, ms, first, loaded) in sorted(timings.items()):
        print(f"  {name}: {count} figures, {ms:.0f} / {first:.0f} / {loaded:.0f} ms")


if __name__ == "__main__":
    main()
