"""Shared code for the chapters of *NATO and Russia, 1991–2010*.

Load data with validation (:mod:`nato_russia.data`), draw the book's
figures in one style (:mod:`nato_russia.style`; charts in
:mod:`nato_russia.timelines` and :mod:`nato_russia.charts`, maps in
:mod:`nato_russia.maps`), compute the measures they plot
(:mod:`nato_russia.measures`), and print tables with readable dates and names
(:mod:`nato_russia.tables`)::

    from nato_russia import load_events, show, timeline
    events = load_events()
    timeline(events, "NATO–Russia relations, 1991–2010")
    show(events[["date", "title", "category"]].head())
"""

from .data import PERIODS, DataValidationError, data_dir, load_epilogue, load_events, load_table, period_of, validate_all, validate_table
from .charts import councils_chart, tone_chart
from .citations import source_label, sources_text
from .figure_contract import EVENT_COLUMNS, EVENT_DETAILS
from .hover import EVENT_HOVER, hover_table
from .labels import (
    CATEGORY_LABELS, ROLE_LABELS, SEED_LABELS, STANCE_LABELS, STATUS_LABELS, THEME_LABELS, label_codes,
)
from .geography import load_countries, project
from .maps import enlargement_map, missile_defence_map
from .measures import council_meetings, monthly_tone_index
from .prose import glue
from .style import CATEGORY_COLOURS, TOL_MUTED, style
from .tables import date_text, show, use_book_display_options
from .text import format_date
from .timelines import agreements_chart, enlargement_chart, terms_chart, timeline

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
