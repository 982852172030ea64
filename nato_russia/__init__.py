"""Shared code for the chapters of *NATO and Russia, 1991–2010*.

Load data with validation (:mod:`nato_russia.data`), draw the book's
figures in one style (:mod:`nato_russia.figures`), maps included
(:mod:`nato_russia.maps`), and print tables with readable dates and names
(:mod:`nato_russia.tables`)::

    from nato_russia import load_events, show, timeline
    events = load_events()
    timeline(events, "NATO–Russia relations, 1991–2010")
    show(events[["date", "title", "category"]].head())
"""

from .data import PERIODS, DataValidationError, data_dir, load_epilogue, load_events, load_table, period_of, validate_all, validate_table
from .figures import (
    CATEGORY_COLOURS, EVENT_COLUMNS, EVENT_DETAILS, EVENT_HOVER, TOL_MUTED, agreements_chart, council_meetings,
    councils_chart, enlargement_chart, format_date, hover_table, monthly_tone_index, source_label, sources_text, style,
    terms_chart, timeline, tone_chart,
)
from .labels import (
    CATEGORY_LABELS, ROLE_LABELS, SEED_LABELS, STANCE_LABELS, STATUS_LABELS, THEME_LABELS, label_codes,
)
from .maps import enlargement_map, load_countries, missile_defence_map, project
from .prose import glue
from .tables import date_text, show, use_book_display_options

use_book_display_options()  # every chapter prints two decimals (see nato_russia.tables)

__all__ = [
    "PERIODS", "CATEGORY_COLOURS", "CATEGORY_LABELS", "DataValidationError", "EVENT_COLUMNS", "EVENT_DETAILS",
    "EVENT_HOVER", "ROLE_LABELS", "SEED_LABELS", "STANCE_LABELS", "STATUS_LABELS", "THEME_LABELS", "TOL_MUTED",
    "agreements_chart", "council_meetings", "councils_chart", "data_dir", "date_text", "enlargement_chart",
    "enlargement_map", "format_date", "glue", "hover_table", "label_codes", "load_countries", "load_epilogue",
    "load_events", "load_table", "missile_defence_map", "monthly_tone_index", "period_of", "project",
    "show", "source_label", "sources_text", "style", "terms_chart", "timeline", "tone_chart",
    "use_book_display_options", "validate_all", "validate_table",
]
