"""Sphinx extension: the course book's build-time extensions, each in its own module, set up in this order.

* ``data_guard``: the data checked and the execution cache looked after before any chapter runs; Ctrl-C.
* ``kernels``: the chapters' kernels over encrypted sockets, stopped at once (a workaround).
* ``bibliography_style``: titles as written in the bibliography; pybtex's plugins looked up once.
* ``offline_assets``: MathJax from the book's own files.
* ``html_fixes``: each page's description; ARIA fixes for extensions' markup.
* ``workarounds``: other packages' bugs, each with where it is tracked and when it can go.
"""

from __future__ import annotations

EXTENSIONS = ["data_guard", "kernels", "bibliography_style", "offline_assets", "html_fixes", "workarounds"]


def setup(app):
    for name in EXTENSIONS:
        app.setup_extension(f"{__package__}.{name}")
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "2.0"}
