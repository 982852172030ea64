"""Bad data stops the book build at once, with the loader's message last and no traceback.

The cases are the malformed files of ``test_data_loader.py`` (made with its
``edit_csv``), here fed to the real ``jupyter-book build`` of a copy of the
repository. ``book_extensions.data_guard`` validates ``data/`` when the builder
starts, before any chapter executes.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest

from nato_russia import DataValidationError, load_table
from support import build_book, copy_repository
from test_data_loader import broken_data, edit_csv  # noqa: F401 (broken_data is a fixture)

EXIT_CODE = 2


def break_cells(data) -> list[str]:
    """Several bad cells in events.csv at once; returns what the message must say about each."""
    events = data / "events.csv"
    first_id = edit_csv(events, 2, "title", "unchanged apart from this")
    edit_csv(events, 9, "id", first_id)
    edit_csv(events, 5, "date", "1997-02-30")
    edit_csv(events, 7, "category", "diplomacy")
    edit_csv(events, 8, "tone", "11")
    edit_csv(events, 4, "sources", "nosuchkey1999")
    edit_csv(events, 3, "actors", "NATO;XXX")
    edit_csv(events, 6, "end_date", "1990-01-01")
    return [
        "events.csv, line 3, field 'actors': 'XXX' is not defined in actors.code",
        "events.csv, line 4, field 'sources': 'nosuchkey1999' is not defined in references.bib",
        "events.csv, line 5, field 'date': '1997-02-30' is not a valid value: expected a date, YYYY-MM-DD",
        "events.csv, line 6, field 'end_date': 1990-01-01 is before date",
        "events.csv, line 7, field 'category': 'diplomacy' breaks the rule 'enum': expected one of institution, ",
        "events.csv, line 8, field 'tone': '11' breaks the rule 'maximum': expected 10 or less",
        f"events.csv, line 9, field 'id': duplicate id '{first_id}'",
    ]


def drop_column(data) -> list[str]:
    frame = pd.read_csv(data / "events.csv", dtype=str, keep_default_na=False)
    frame.drop(columns=["date"]).to_csv(data / "events.csv", index=False)
    return ["events.csv, line 1 (header), field 'date': column is missing"]


@pytest.mark.parametrize("breakage", [break_cells, drop_column], ids=lambda f: f.__name__)
def test_bad_data_stops_the_build_before_any_chapter_runs(tmp_path, breakage):
    source = copy_repository(tmp_path / "book", "*.ipynb")
    expected = breakage(source / "data")

    build = build_book(source, tmp_path / "out", extra_env={"NATO_RUSSIA_DATA": str(source / "data")})

    assert build.returncode == EXIT_CODE, build.log[-3000:]
    tail = build.log.rstrip().splitlines()
    message_start = max(i for i, line in enumerate(tail) if line.startswith("The book was not built: the course data"))
    message = "\n".join(tail[message_start:])
    for line in expected:
        assert line in message, f"{line!r} not in:\n{message}"
    assert re.fullmatch(r"\d+ problem\(s\) in the course data:", tail[message_start + 1])
    assert all(line.startswith("  - ") for line in tail[message_start + 2:])  # the loader's message is the last thing printed
    for noise in ("Traceback", "please report", "Exception occurred", "There was an error in building"):
        assert noise not in build.log, build.log[-3000:]
    assert "Executing notebook" not in build.log and not build.executed.exists(), "a chapter ran before the check"


def test_messages_say_what_a_valid_value_looks_like(broken_data):
    events = broken_data / "events.csv"
    edit_csv(events, 3, "tone", "x")
    edit_csv(events, 4, "key", "maybe")
    edit_csv(events, 5, "id", "Not An Id")
    edit_csv(events, 6, "title", "")
    with pytest.raises(DataValidationError) as caught:
        load_table("events", broken_data)
    message = str(caught.value)
    assert "line 3, field 'tone': 'x' is not a valid value: expected a whole number" in message
    assert "line 4, field 'key': 'maybe' is not a valid value: expected true or false" in message
    assert "line 5, field 'id': 'Not An Id' breaks the rule 'pattern': expected text matching the pattern ^" in message
    assert "line 6, field 'title': '' breaks the rule 'required': expected a value" in message
