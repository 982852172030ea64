"""Shared code for the chapters of *NATO and Russia, 1991–2010*.

Load data with validation (:mod:`nato_russia.data`) and draw the book's
figures in one style (:mod:`nato_russia.figures`)::

    from nato_russia import load_events, timeline
    events = load_events()
    timeline(events, "NATO–Russia relations, 1991–2010")
"""

from .data import DataValidationError, data_dir, load_events, load_table, validate_all, validate_table
from .figures import CATEGORY_COLOURS, CATEGORY_LABELS, TOL_MUTED, format_date, source_label, sources_text, style, timeline

__all__ = [
    "CATEGORY_COLOURS", "CATEGORY_LABELS", "DataValidationError", "TOL_MUTED", "data_dir", "format_date",
    "load_events", "load_table", "source_label", "sources_text", "style", "timeline", "validate_all", "validate_table",
]
