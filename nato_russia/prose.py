"""Numbers for the prose: every number a chapter's text quotes comes from a cell.

Inside the book myst-nb's ``glue`` stores the value so that the text can show it
with ``{glue:text}`name```; where myst-nb is not installed (Colab, a bare
Jupyter) the value is simply returned, so the same notebook runs everywhere.
"""

from __future__ import annotations


def glue(name: str, value, display: bool = False):
    """Store ``value`` under ``name`` for the page's ``{glue:text}`` roles, and return it."""
    try:
        from myst_nb import glue as store
    except ModuleNotFoundError:  # outside the book: nothing to glue into
        return value
    store(name, value, display=display)
    return value
