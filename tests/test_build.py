"""The real book build: warnings are errors, plotly.js is shipped once, data changes re-execute."""

from __future__ import annotations

import csv
import hashlib
import re
from pathlib import Path

import nbformat
import pytest

from book_extensions.plotly_offline import PLOTLY_MIME, bundles
from book_extensions.toc import toc_chapters, toc_files
from support import ROOT, build_book, copy_repository, html_pages

pytestmark = pytest.mark.build
PLOTLY_BANNER = re.compile(r"plotly\.js (\([^)]*\) )?v\d")  # header of every plotly.js bundle


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_build_passes_with_warnings_as_errors(built_book):
    assert built_book.returncode == 0
    assert "WARNING:" not in built_book.log and "ERROR:" not in built_book.log, built_book.log[-4000:]


# Anything a reader of the build log would take for a warning: Sphinx's "WARNING:",
# a kernel's "[IPKernelApp] WARNING |", Python warnings, and notices that a
# feature is off for lack of a package.
NOISE = re.compile(r"\bwarning\b|warnings?\.warn|deprecat|is not installed|traceback", re.I)


def assert_quiet(build) -> None:
    noisy = [line for line in build.log.splitlines() if NOISE.search(line)]
    assert noisy == [], "\n".join(noisy[:20])
    assert re.search(r"build succeeded\.", build.log), build.log[-2000:]


def test_a_clean_build_prints_no_warning_at_all(built_book):
    assert_quiet(built_book)


def test_a_clean_student_build_prints_no_warning_at_all(student_book):
    assert_quiet(student_book)


def test_the_noise_check_finds_the_warnings_it_looks_for():
    seen = ["[IPKernelApp] WARNING | Kernel is running over TCP without encryption.",
            "matplotlib is not installed, social cards will not be generated",
            "chapters/x.md:3: WARNING: undefined label", "  warnings.warn(message, DeprecationWarning)"]
    assert all(NOISE.search(line) for line in seen)


@pytest.mark.parametrize("name", toc_files(ROOT))
def test_every_toc_page_is_built(built_book, name):
    assert (built_book.html / f"{name}.html").is_file()


def test_plotly_js_is_shipped_once_per_bundle_unchanged(built_book):
    """Each bundle a page uses is copied once into _static/vendor/, byte for byte (see test_plotly_bundles.py)."""
    sources = {Path(bundle.static_path).name: bundle.source for bundle in bundles()}
    copies = list(built_book.html.rglob("plotly*.min.js"))
    assert copies, "no plotly.js in the site"
    assert len({copy.name for copy in copies}) == len(copies), copies
    for copy in copies:
        assert copy.parent == built_book.html / "_static" / "vendor", copy
        assert sha256(copy) == sha256(sources[copy.name]), copy


def test_plotly_js_is_never_inlined_and_only_loaded_where_needed(built_book):
    for page in html_pages(built_book.html):
        text = page.read_text(encoding="utf-8")
        assert not PLOTLY_BANNER.search(text), f"{page.name} inlines plotly.js"
        has_figure = 'class="plotly-graph-div"' in text
        loads_plotly = re.search(r'<script[^>]+src="[^"]*vendor/plotly-[^"]+\.min\.js"', text) is not None
        assert has_figure == loads_plotly, f"{page.name}: figure={has_figure} but plotly.js loaded={loads_plotly}"


@pytest.mark.parametrize("chapter", toc_chapters(ROOT), ids=lambda p: p.name)
def test_no_figure_is_lost_between_notebook_and_page(built_book, chapter):
    """Every Plotly output of the executed notebook becomes a figure div on its page."""
    name = chapter.relative_to(ROOT).with_suffix("")
    notebook = nbformat.read(built_book.executed / name.with_suffix(".ipynb"), as_version=4)
    produced = sum(PLOTLY_MIME in output.get("data", {}) for cell in notebook.cells for output in cell.get("outputs", []))
    page = (built_book.html / name.with_suffix(".html")).read_text(encoding="utf-8")
    assert produced >= 1, f"{chapter.name} produced no Plotly figure"
    assert page.count('class="plotly-graph-div"') == produced


def test_local_mathjax_is_configured_and_shipped(built_book):
    mathjax = built_book.html / "_static" / "vendor" / "mathjax" / "tex-mml-chtml.js"
    assert mathjax.is_file() and mathjax.stat().st_size > 100_000
    assert list((mathjax.parent / "output" / "chtml" / "fonts" / "woff-v2").glob("*.woff")), "MathJax fonts missing"


# A one-page book with the real configuration and extensions: its one code cell reads
# the events through the helpers and prints every title, so the page shows the data it ran on.
PROBE_PAGE = """---
jupytext:
  text_representation: {extension: .md, format_name: myst}
kernelspec: {display_name: Python 3, language: python, name: python3}
---

# Freshness probe

A paragraph of prose.

```{code-cell} ipython3
from nato_russia import load_events

print(*load_events()["title"], sep="\\n")
```
"""


def test_editing_prose_executes_nothing_and_editing_data_re_executes_chapters(tmp_path):
    """jupyter-cache only watches code; the course extension makes data/ a dependency and names the cache after it.

    Build a copy of the book reduced to one small page that loads the events
    (a chapter's cost is its own work; what is tested here is the build's).
    Edit a sentence and rebuild: the page changes, nothing executes. Then
    change an event title in data/events.csv, rebuild incrementally (no
    --all) and check that the page was executed again and shows the new title.
    """
    source = copy_repository(tmp_path / "book", "*.ipynb", "tests", "benchmarks")
    probe = source / "chapters" / "freshness_probe.md"
    probe.write_text(PROBE_PAGE, encoding="utf-8")
    (source / "_toc.yml").write_text("format: jb-book\nroot: chapters/freshness_probe\n", encoding="utf-8")
    env = {"NATO_RUSSIA_DATA": str(source / "data")}
    first = build_book(source, tmp_path / "out", extra_env=env)
    assert first.returncode == 0, first.log[-4000:]
    assert "freshness_probe.md: Executed notebook" in first.log, first.log[-4000:]
    page = first.html / "chapters" / "freshness_probe.html"

    probe.write_text(PROBE_PAGE.replace("A paragraph of prose.", "A paragraph of prose, edited by the test."), encoding="utf-8")
    prose_edit = build_book(source, tmp_path / "out", extra_env=env, full=False)
    assert prose_edit.returncode == 0, prose_edit.log[-4000:]
    assert "Executed notebook" not in prose_edit.log and "Using cached notebook" in prose_edit.log, prose_edit.log[-4000:]
    assert "edited by the test" in page.read_text(encoding="utf-8")

    events_csv = source / "data" / "events.csv"
    with events_csv.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert "Freshness probe title" not in page.read_text(encoding="utf-8")
    rows[0]["title"] = "Freshness probe title"
    with events_csv.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)

    rebuild = build_book(source, tmp_path / "out", extra_env=env, full=False)

    assert rebuild.returncode == 0, rebuild.log[-4000:]
    assert "freshness_probe.md: Executed notebook" in rebuild.log, rebuild.log[-4000:]
    assert "Freshness probe title" in page.read_text(encoding="utf-8")


def test_pages_carry_publishing_metadata_and_repository_buttons(built_book):
    """Title, description, social tags, favicon, logo, and edit / issue / launch links to the repository."""
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    repo = config["repository"]["url"]
    for name in toc_files(ROOT):
        page = (built_book.html / f"{name}.html").read_text(encoding="utf-8")
        description = re.search(r'<meta name="description" content="([^"]+)"', page)
        assert description and len(description.group(1)) > 60, f"{name}: no meta description"
        assert '<meta property="og:title"' in page and '<meta property="og:url" content="https://' in page
        assert 'rel="icon"' in page and "logo.svg" in page, f"{name}: favicon or logo missing"
        assert f"{repo}/issues/new" in page, f"{name}: no open-an-issue button"
        if name.startswith("chapters/"):
            assert f"{repo}/edit/{config['repository']['branch']}/{name}.md" in page, f"{name}: no edit-this-page button"
            assert f"https://colab.research.google.com/github/{repo.removeprefix('https://github.com/')}" \
                   f"/blob/{config['repository']['branch']}/{name}.ipynb" in page, f"{name}: Colab must open the paired .ipynb"
            assert "mybinder.org/v2/gh/" in page, f"{name}: no Binder button"


def test_pybtex_styles_are_found_without_scanning_entry_points(monkeypatch):
    """book_extensions.bibliography_style registers pybtex's style plugins, so a {footcite} costs no entry-point scan."""
    import pybtex.plugin

    from book_extensions.bibliography_style import PYBTEX_STYLE_GROUPS, remember_pybtex_plugins

    remember_pybtex_plugins()

    def no_scan(**query):
        raise AssertionError(f"entry points scanned for {query}")

    monkeypatch.setattr(pybtex.plugin, "entry_points", no_scan)
    style = pybtex.plugin.find_plugin("pybtex.style.formatting", "unsrt")()  # makes its names, labels and sorting plugins
    assert style.format_name and style.format_labels and style.sort
    assert all(pybtex.plugin.find_plugin(group) for group in PYBTEX_STYLE_GROUPS)
