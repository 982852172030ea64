"""Names and numbers shared by the figures (Python), their script in the page (JavaScript) and the tests, defined once.

The build writes them into ``figure-contract.js`` (``book_extensions/plotly_offline.py``), which every
page with a figure loads before ``figures.js``; the tests import them from here.
"""

from __future__ import annotations

import json

KEY_EVENT = "key-event"  # annotations that figures.js moves apart so that none overlaps another
PERIOD_ANNOTATION = "period"  # the period names above a timeline, which figures.js breaks on phones
DOCUMENT_COLUMN = "Primary document"  # a data-table column whose URLs figures.js turns into links
# The columns of an event's customdata, in order: the hover template and the tap panel read them.
EVENT_COLUMNS = ["when", "title", "summary", "sources", "document", "url"]
EVENT_DETAILS = {"details": "event"}  # trace meta: this trace's customdata holds EVENT_COLUMNS
BASE_MARGIN = 8  # px of margin before room is made for the axes' labels

SHARED = {
    "KEY_EVENT": KEY_EVENT, "PERIOD_ANNOTATION": PERIOD_ANNOTATION, "DOCUMENT_COLUMN": DOCUMENT_COLUMN,
    "EVENT_COLUMNS": EVENT_COLUMNS, "EVENT_DETAILS": EVENT_DETAILS, "BASE_MARGIN": BASE_MARGIN,
}


def as_script() -> str:
    """The contract as a script that sets ``window.courseFigureContract`` (a file, so no inline script is needed)."""
    return ("// Written by the build from nato_russia/figure_contract.py: edit it there.\n"
            f"window.courseFigureContract = {json.dumps(SHARED, sort_keys=True)};\n")
