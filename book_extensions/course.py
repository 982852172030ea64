"""Sphinx extension with the course book's build-time fixes.

* The course data are checked before any chapter runs, and every page
  that runs code depends on them (``course_data.py``); executed notebooks
  are cached by a fingerprint of the data and the helpers, and a damaged or
  superseded cache is looked after (``execution_cache.py``).
* Ctrl-C ends a build with one plain line and exit code 130, even while a
  notebook runs (``interrupt.py``).
* Inline scripts are not emitted twice. Sphinx 7.4 stores an inline script
  added after the builder starts with filename ``None`` and again, read back
  from its registry, with filename ``''``; its duplicate check then misses
  it. sphinx-thebe's ``const THEBE_JS_URL`` twice is a page error on every
  page, so inline scripts are stored the way the re-read will find them.
* Every page gets a ``<meta name="description">`` (and ``og:description``)
  from its first real paragraph: sphinxext-opengraph would otherwise take
  the first words it meets, which on a chapter are a prerequisites table.
* Two bits of extension markup that break ARIA rules are corrected (``ARIA_FIXES``).
* MathJax 3 is served from the book's own files: the needed part of the
  ``django-static-mathjax`` wheel (MathJax 3.2.2, static files only) is
  copied to ``_static/vendor/mathjax`` (``mathjax_path`` in ``_config.yml``).
* The chapters' kernels talk to the build over CurveZMQ-encrypted sockets
  and are stopped at once when their notebook has run. ipykernel (7.3 and
  later) warns on every kernel started over plain TCP, and its graceful
  shutdown can race with its own output thread and log an ENOTSOCK
  traceback (ipykernel pull request 1518 fixed one such race). myst-nb
  offers no setting for its notebook client, so the one call it makes to
  execute a notebook (directly or through jupyter-cache) gets these two options.
* sphinxext-opengraph is imported without its notice that matplotlib (for
  social cards) is missing: social cards are switched off in ``_config.yml``
  (``ogp_social_cards``), yet the package prints the notice on import.
* pybtex's style plugins are looked up once. pybtex finds a plugin by
  reading the entry points of every installed package, and
  sphinxcontrib-bibtex asks for a style and its name, label and sorting
  plugins on every ``{footcite}``: some 1,900 scans, a quarter of a full
  Sphinx pass over executed notebooks (36 s, against 27 s without them).
  Each plugin is registered with pybtex's own ``register_plugin``, as the
  class the entry point gives, so later look-ups find it at once.
* Titles are printed as written in ``references.bib``. pybtex's BibTeX-like
  styles print an article's or a document's title in sentence case (all
  but its first letter lower-cased, unless braced), which turns "Pledge to
  Russia" into "pledge to russia"; ``TitlesAsWrittenStyle`` is pybtex's
  ``alpha`` style without that, registered as ``titles_as_written``, the
  ``bibtex_default_style`` in ``_config.yml``.
"""

from __future__ import annotations

import contextlib
import functools
import io
import shutil
from pathlib import Path

from pybtex.style.formatting.alpha import Style as AlphaStyle
from pybtex.style.template import field, sentence

from . import course_data, execution_cache, interrupt

KERNEL_MANAGER_CONFIG = {"KernelManager": {"transport_encryption": "auto"}}


def _configure_kernels() -> None:
    """myst-nb's kernels: CurveZMQ keys (``KernelManager.transport_encryption``), immediate shutdown."""
    import zmq
    from myst_nb.core.execute import cache, direct
    from traitlets.config import Config

    if getattr(direct.single_nb_execution, "course_configured", False):
        return
    execute = direct.single_nb_execution  # the same function as cache.single_nb_execution (jupyter-cache's)

    @functools.wraps(execute)
    def execute_configured(*args, **kwargs):
        if zmq.has("curve"):  # pyzmq's wheels have it; without it, TCP it is (and the kernel warns)
            kwargs.setdefault("config", Config(KERNEL_MANAGER_CONFIG))
        kwargs.setdefault("shutdown_kernel", "immediate")
        return execute(*args, **kwargs)

    execute_configured = interrupt.during_notebooks(execute_configured)
    execute_configured.course_configured = True
    direct.single_nb_execution = cache.single_nb_execution = execute_configured


def _import_opengraph_quietly() -> None:
    with contextlib.redirect_stdout(io.StringIO()):
        import sphinxext.opengraph  # noqa: F401


# The plugin groups a pybtex style is made of (pybtex.style.formatting.BaseStyle).
PYBTEX_STYLE_GROUPS = ("pybtex.style.formatting", "pybtex.style.names", "pybtex.style.labels", "pybtex.style.sorting")


def _remember_pybtex_plugins() -> None:
    from pybtex.plugin import enumerate_plugin_names, find_plugin, register_plugin

    for group in PYBTEX_STYLE_GROUPS:
        for name in set(enumerate_plugin_names(group)):
            register_plugin(group, name, find_plugin(group, name), force=True)


TITLE_STYLE = "titles_as_written"  # bibtex_default_style in _config.yml


class TitlesAsWrittenStyle(AlphaStyle):
    """pybtex's ``alpha`` style (sphinxcontrib-bibtex's default), with each title printed as written."""

    def format_title(self, e, which_field, as_sentence=True):
        # alpha's (unsrt's) format_title applies Text.capitalize(), which lower-cases all but the first letter.
        title = field(which_field)
        return sentence[title] if as_sentence else title


def _register_title_style() -> None:
    from pybtex.plugin import register_plugin

    register_plugin("pybtex.style.formatting", TITLE_STYLE, TitlesAsWrittenStyle, force=True)


def mathjax_source() -> Path:
    import mathjax  # the django-static-mathjax wheel: data files only

    return Path(mathjax.__file__).parent / "static" / "mathjax" / "es5"


# The combined TeX/MathML component and the fonts it loads; the rest of the
# 24 MB package (other components, speech rule engine) is never requested.
MATHJAX_PARTS = ["tex-mml-chtml.js", "output/chtml/fonts/woff-v2"]


def _copy_mathjax(app, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "vendor" / "mathjax"
    for part in MATHJAX_PARTS:
        source = mathjax_source() / part
        if source.is_dir():
            shutil.copytree(source, target / part, dirs_exist_ok=True)
        else:
            (target / part).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, target / part)


def _normalise_inline_scripts(app, env) -> None:
    """Store inline scripts as Sphinx's ``prepare_writing`` will re-add them (filename ``''``)."""
    scripts = getattr(app.builder, "_js_files", None)
    if scripts is None:  # not an HTML builder
        return
    scripts[:] = [
        type(script)("", priority=script.priority, **script.attributes) if script.filename is None else script
        for script in scripts
    ]


DESCRIPTION_LENGTH = 200


def page_description(doctree) -> str:
    """The first paragraph of running text, outside admonitions, tables, cells and lists."""
    from docutils import nodes

    skipped = (nodes.Admonition, nodes.table, nodes.list_item, nodes.literal_block, nodes.raw, nodes.container)

    def in_running_text(paragraph) -> bool:
        if "seminar-pack" in paragraph.get("classes", []):
            return False
        ancestor = paragraph.parent
        while ancestor is not None and not isinstance(ancestor, skipped):
            ancestor = ancestor.parent
        return ancestor is None

    for paragraph in doctree.findall(nodes.paragraph):
        text = " ".join(paragraph.astext().split())
        if len(text) >= 60 and in_running_text(paragraph):
            return text if len(text) <= DESCRIPTION_LENGTH else text[: DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return ""


def _add_description(app, pagename, templatename, context, doctree) -> None:
    import html

    if doctree is None:
        return
    description = page_description(doctree)
    if description:
        context["meta"] = {**(context.get("meta") or {}), "og:description": description}
        context["metatags"] = context.get("metatags", "") + (
            f'<meta name="description" content="{html.escape(description, quote=True)}" />\n')


# Markup from extensions that axe-core reports as serious or critical, and its fix.
ARIA_FIXES = {
    # docutils: bibliography entries inside role="list" must be list items
    # (aria-required-children, critical); DPUB-ARIA 1.1 deprecates doc-biblioentry.
    'role="doc-biblioentry"': 'role="listitem"',
    # myst-nb: the hidden-cell toggle's label hides its visible text "Show code
    # cell source" (label-content-name-mismatch, serious); the text names it.
    '<summary aria-label="Toggle hidden content">': "<summary>",
}


def _fix_aria(app, pagename, templatename, context, doctree) -> None:
    if "body" in context:
        for old, new in ARIA_FIXES.items():
            context["body"] = context["body"].replace(old, new)


def setup(app):
    _import_opengraph_quietly()
    _remember_pybtex_plugins()
    _register_title_style()
    _configure_kernels()
    interrupt.install()
    app.connect("config-inited", execution_cache.configure)
    app.connect("builder-inited", course_data.validate)
    app.connect("builder-inited", execution_cache.check)  # after the data check: bad data touch no cache
    app.connect("build-finished", execution_cache.remove_superseded)
    app.connect("html-page-context", _fix_aria)
    # Before sphinxext-opengraph (priority 500), which keeps a description it finds.
    app.connect("html-page-context", _add_description, priority=400)
    app.connect("source-read", course_data.note_data_dependencies)
    app.connect("env-updated", _normalise_inline_scripts)
    app.connect("build-finished", _copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
