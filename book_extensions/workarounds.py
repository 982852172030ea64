"""Sphinx extension: workarounds for other packages' bugs, each with where it is tracked and when it can go.

* Inline scripts are not emitted twice. Sphinx 7.4 stores an inline script
  added after the builder starts with filename ``None`` and again, read back
  from its registry, with filename ``''``; its duplicate check then misses
  it. sphinx-thebe's ``const THEBE_JS_URL`` twice is a page error on every
  page, so inline scripts are stored the way the re-read will find them.
  Fixed upstream by https://github.com/sphinx-doc/sphinx/pull/13402 (2025);
  this can go when the book can use a Sphinx release that includes it
  (jupyter-book 1.x holds Sphinx at 7).
* sphinxext-opengraph is imported without its notice that matplotlib (for
  social cards) is missing: social cards are switched off in ``_config.yml``
  (``ogp_social_cards``), yet the package prints the notice on import. It can
  go when the package stops printing it, or if the book installs matplotlib.
"""

from __future__ import annotations

import contextlib
import io

def _import_opengraph_quietly() -> None:
    with contextlib.redirect_stdout(io.StringIO()):
        import sphinxext.opengraph  # noqa: F401


def _normalise_inline_scripts(app, env) -> None:
    """Store inline scripts as Sphinx's ``prepare_writing`` will re-add them (filename ``''``)."""
    scripts = getattr(app.builder, "_js_files", None)
    if scripts is None:  # not an HTML builder
        return
    scripts[:] = [
        type(script)("", priority=script.priority, **script.attributes) if script.filename is None else script
        for script in scripts
    ]


def setup(app):
    _import_opengraph_quietly()
    app.connect("env-updated", _normalise_inline_scripts)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
