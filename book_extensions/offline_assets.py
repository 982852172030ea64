"""Sphinx extension: MathJax 3 served from the book's own files, never from a CDN.

The needed part of the ``django-static-mathjax`` wheel (MathJax 3.2.2, static
files only) is copied to ``_static/vendor/mathjax`` (``mathjax_path`` in
``_config.yml``). plotly.js is served the same way by ``plotly_offline.py``.
"""

from __future__ import annotations

import shutil
from pathlib import Path


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


def setup(app):
    app.connect("build-finished", _copy_mathjax)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
