"""Sphinx extension: the course data are checked, and executed notebooks cached, before any chapter runs.

* The data are validated when the builder starts, and every page that runs
  code depends on them (``course_data.py``).
* Executed notebooks are cached under a fingerprint of the data, the helpers
  and the requirements; a damaged or superseded cache is looked after
  (``execution_cache.py``).
* Ctrl-C ends a build with one plain line and exit code 130, even while a
  notebook runs (``interrupt.py``).
"""

from __future__ import annotations

from . import course_data, execution_cache, interrupt


def setup(app):
    interrupt.install()
    app.connect("config-inited", execution_cache.configure)
    app.connect("builder-inited", course_data.validate)
    app.connect("builder-inited", execution_cache.check)  # after the data check: bad data touch no cache
    app.connect("build-finished", execution_cache.remove_superseded)
    app.connect("source-read", course_data.note_data_dependencies)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
