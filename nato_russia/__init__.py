"""Shared code for the chapters of *NATO and Russia, 1991–2010*.

Load data with validation (:mod:`nato_russia.data`) and draw the book's
figures in one style (:mod:`nato_russia.figures`), maps included
(:mod:`nato_russia.maps`)::

    from nato_russia import load_events, timeline
    events = load_events()
    timeline(events, "NATO–Russia relations, 1991–2010")
"""

from .data import PERIODS, DataValidationError, data_dir, load_epilogue, load_events, load_table, period_of, validate_all, validate_table
from .figures import (
    CATEGORY_COLOURS, CATEGORY_LABELS, EVENT_HOVER, ROLE_LABELS, TOL_MUTED, agreements_chart, enlargement_chart,
    format_date, hover_table, monthly_tone_index, source_label, sources_text, style, terms_chart, timeline, tone_chart,
)
from .maps import enlargement_map, load_countries, missile_defence_map, project
from .prose import glue

__all__ = [
    "PERIODS", "CATEGORY_COLOURS", "CATEGORY_LABELS", "DataValidationError", "EVENT_HOVER", "ROLE_LABELS", "hover_table", "period_of", "TOL_MUTED", "agreements_chart",
    "data_dir", "enlargement_chart", "enlargement_map", "load_countries", "missile_defence_map", "project", "format_date", "glue", "load_epilogue", "load_events", "load_table", "monthly_tone_index",
    "source_label", "sources_text", "style", "terms_chart", "timeline", "tone_chart", "validate_all",
    "validate_table",
]
