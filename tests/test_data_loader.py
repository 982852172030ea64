"""The shared loader: typed tables from any folder, and a clear error for bad input.

Each malformed-file test copies the real data to a temp folder, breaks one
thing, and checks that loading fails with a message naming file, line and field.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from nato_russia import DataValidationError, data_dir, load_events, load_table
from nato_russia.data import table_names

DATA = data_dir()


def rows_in(path: Path) -> int:
    with path.open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.reader(handle)) - 1


@pytest.fixture
def broken_data(tmp_path) -> Path:
    """A scratch copy of data/ that a test may break."""
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    return copy


def edit_csv(path: Path, line: int, field: str, value: str) -> str:
    """Set one cell (line 2 = first data row) and return the row's id."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    rows[line - 2][field] = value
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows[line - 2].get("id", "")


def load_error(folder: Path, table: str = "events") -> str:
    with pytest.raises(DataValidationError) as caught:
        load_table(table, folder)
    return str(caught.value)


@pytest.mark.parametrize("table", table_names(DATA))
def test_every_table_loads_without_losing_rows(table):
    frame = load_table(table)
    path = DATA / f"{table}.csv"
    assert len(frame) == rows_in(path) > 0, f"{path.name}: loaded {len(frame)} rows of {rows_in(path)}"


def test_events_are_typed():
    events = load_events()
    assert pd.api.types.is_datetime64_any_dtype(events["date"])
    assert pd.api.types.is_datetime64_any_dtype(events["end_date"])
    assert isinstance(events["category"].dtype, pd.CategoricalDtype)
    assert events["category"].notna().all()
    assert str(events["tone"].dtype) == "Int64"
    assert all(isinstance(keys, list) and keys for keys in events["sources"])
    assert events["date"].is_monotonic_increasing


def test_loader_works_from_any_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert len(load_events()) == rows_in(DATA / "events.csv")


def test_missing_column_is_named(broken_data):
    frame = pd.read_csv(broken_data / "events.csv", dtype=str, keep_default_na=False)
    frame.drop(columns=["date"]).to_csv(broken_data / "events.csv", index=False)
    message = load_error(broken_data)
    assert "events.csv, line 1 (header), field 'date': column is missing" in message


def test_unparseable_date_names_line_and_field(broken_data):
    edit_csv(broken_data / "events.csv", 5, "date", "1997-02-30")
    message = load_error(broken_data)
    assert "events.csv, line 5, field 'date': '1997-02-30' is not a valid value" in message


def test_unknown_category_names_line_and_field(broken_data):
    edit_csv(broken_data / "events.csv", 7, "category", "diplomacy")
    message = load_error(broken_data)
    assert "events.csv, line 7, field 'category': 'diplomacy' breaks the rule" in message


def test_duplicate_id_names_line_and_field(broken_data):
    first_id = edit_csv(broken_data / "events.csv", 2, "title", "unchanged apart from this")
    edit_csv(broken_data / "events.csv", 9, "id", first_id)
    message = load_error(broken_data)
    assert f"events.csv, line 9, field 'id': duplicate id '{first_id}'" in message


def test_dangling_source_key_names_line_and_field(broken_data):
    edit_csv(broken_data / "events.csv", 4, "sources", "nosuchkey1999")
    message = load_error(broken_data)
    assert "events.csv, line 4, field 'sources': 'nosuchkey1999' is not defined in references.bib" in message


def test_unknown_actor_names_line_and_field(broken_data):
    edit_csv(broken_data / "events.csv", 3, "actors", "NATO;XXX")
    message = load_error(broken_data)
    assert "events.csv, line 3, field 'actors': 'XXX' is not defined in actors.code" in message


def test_end_before_start_names_line_and_field(broken_data):
    edit_csv(broken_data / "events.csv", 6, "end_date", "1990-01-01")
    message = load_error(broken_data)
    assert "events.csv, line 6, field 'end_date': 1990-01-01 is before date" in message


def test_every_problem_is_reported_not_just_the_first(broken_data):
    edit_csv(broken_data / "events.csv", 5, "date", "not a date")
    edit_csv(broken_data / "events.csv", 8, "tone", "11")
    message = load_error(broken_data)
    assert "line 5, field 'date'" in message and "line 8, field 'tone'" in message


def test_malformed_epilogue_names_line_and_field(broken_data):
    edit_csv(broken_data / "epilogue.csv", 3, "forecast", "z99")
    edit_csv(broken_data / "epilogue.csv", 6, "date", "2010-12-31")
    message = load_error(broken_data, "epilogue")
    assert "epilogue.csv, line 3, field 'forecast': 'z99' is not defined in seed_claims.id" in message
    assert "epilogue.csv, line 6, field 'date': '2010-12-31' breaks the rule" in message


def test_missing_data_folder_gives_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setenv("NATO_RUSSIA_DATA", str(tmp_path))
    with pytest.raises(FileNotFoundError, match="there is no datapackage.json in it"):
        data_dir()


# The evidence rules (codebook, "Rules the loader enforces"). Each breaks a copy
# of the real data in one place and checks the message names file, line, field
# and value, and says what would be valid.

def event_line(folder: Path, predicate) -> tuple[int, dict]:
    """The first events.csv row matching predicate, with its line number (header = line 1)."""
    with (folder / "events.csv").open(encoding="utf-8", newline="") as handle:
        for line, row in enumerate(csv.DictReader(handle), start=2):
            if predicate(row):
                return line, row
    raise AssertionError("no matching row in events.csv")


def test_source_published_before_its_event_is_rejected(broken_data):
    line, row = event_line(broken_data, lambda r: r["date"].startswith("2005"))
    edit_csv(broken_data / "events.csv", line, "sources", "goldgeier1999")
    message = load_error(broken_data)
    assert (f"events.csv, line {line}, field 'sources': goldgeier1999 (1999) cannot document an event of 2005"
            in message)


def test_seed_cited_for_an_event_after_its_date_is_rejected(broken_data):
    line, row = event_line(broken_data, lambda r: "2010-11-01" <= r["date"] <= "2010-12-31")
    edit_csv(broken_data / "events.csv", line, "sources", "amo2010")
    message = load_error(broken_data)
    assert f"events.csv, line {line}, field 'sources': seed amo2010 (dated 2010-10-18) cannot document an event of {row['date']}" in message


def test_seed_may_document_an_event_before_its_date(broken_data):
    line, row = event_line(broken_data, lambda r: r["date"].startswith("2010-0"))
    edit_csv(broken_data / "events.csv", line, "sources", "amo2010")
    assert len(load_events(broken_data)) > 0


def test_coarse_date_without_a_note_is_rejected(broken_data):
    line, row = event_line(broken_data, lambda r: r["date"].endswith("-01") and r["date_precision"] == "day")
    edit_csv(broken_data / "events.csv", line, "date_precision", "month")
    edit_csv(broken_data / "events.csv", line, "date_note", "")
    message = load_error(broken_data)
    assert f"events.csv, line {line}, field 'date_note': is empty, but date_precision is 'month'" in message
    assert "say in date_note what the record gives" in message


def test_url_that_is_not_absolute_https_is_rejected(broken_data):
    edit_csv(broken_data / "events.csv", 5, "url", "www.nato.int/docu/pr/1997/p97-081e.htm")
    message = load_error(broken_data)
    assert "events.csv, line 5, field 'url': 'www.nato.int/docu/pr/1997/p97-081e.htm'" in message
    assert "https://" in message


def test_treaty_status_on_a_political_document_is_rejected(broken_data):
    with (broken_data / "agreements.csv").open(encoding="utf-8", newline="") as handle:
        line = next(n for n, r in enumerate(csv.DictReader(handle), start=2) if r["kind"] == "political_document")
    edit_csv(broken_data / "agreements.csv", line, "status_2010", "in_force")
    message = load_error(broken_data, "agreements")
    assert (f"agreements.csv, line {line}, field 'status_2010': 'in_force' is not a status for kind "
            "'political_document'; expected one of ['adopted'") in message


def test_loading_the_data_does_not_compile_iri_grammars():
    """A fresh kernel's first load imports jsonschema (through frictionless) without rfc3987-syntax.

    jsonschema from 4.25 imports rfc3987-syntax, which compiles some forty
    grammars on import: 1.5 s in every kernel that loads the data.
    requirements.txt holds jsonschema below that release; this fails if it
    is lifted.
    """
    import subprocess
    import sys

    code = "import sys, nato_russia; nato_russia.load_events(); print('jsonschema' in sys.modules, 'rfc3987_syntax' in sys.modules)"
    printed = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert printed == ["True", "False"], printed
