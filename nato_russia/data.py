"""Load the course datasets as typed pandas DataFrames, validating them first.

``data/datapackage.json`` describes every table (a Frictionless Data Package).
Frictionless checks types, required fields, enums, patterns and unique ids;
the few rules a Table Schema cannot express (list items that must exist in
another table or in ``references.bib``, ``end_date`` not before ``date``, …)
are written as custom properties (``x-…``) on the fields and checked here.
Any problem stops loading with a :class:`DataValidationError` that names the
file, the line and the field. Nothing is dropped or repaired silently.
"""

from __future__ import annotations

import io
import os
from functools import lru_cache
from pathlib import Path

import pandas as pd

from .reading import DataValidationError, read_bibliography, read_package, read_rows

DATA_ENV_VAR = "NATO_RUSSIA_DATA"
BIBLIOGRAPHY = "references.bib"


def data_dir() -> Path:
    """The folder holding ``datapackage.json``.

    ``$NATO_RUSSIA_DATA`` wins; otherwise the ``data/`` folder beside this
    package (the repository root, or an unzipped seminar pack), which works
    from any working directory. Where neither exists, as in Colab, the data
    are downloaded once from the published repository (:mod:`nato_russia.remote`).
    """
    configured = os.environ.get(DATA_ENV_VAR)
    if configured:
        folder = Path(configured)
        if not (folder / "datapackage.json").is_file():
            raise FileNotFoundError(f"${DATA_ENV_VAR} is {folder}, but there is no datapackage.json in it.")
        return folder
    beside_package = Path(__file__).resolve().parent.parent / "data"
    if (beside_package / "datapackage.json").is_file():
        return beside_package
    from .remote import fetch_data

    return fetch_data()


def _descriptor(folder: Path) -> dict:
    """The data package, checked (:func:`nato_russia.reading.read_package` raises on a malformed one)."""
    return read_package(folder)


def table_names(folder: Path | None = None) -> list[str]:
    """Names of the tables described in the data package."""
    return [r["name"] for r in _descriptor(folder or data_dir())["resources"]]


def _resource_descriptor(folder: Path, name: str) -> dict:
    for resource in _descriptor(folder)["resources"]:
        if resource["name"] == name:
            return resource
    raise DataValidationError([f"datapackage.json: no table {name!r} is declared, but the book loads it: expected a "
                               f"resource named {name!r} among {table_names(folder)} (restore the file from the repository)"])


@lru_cache(maxsize=8)
def _bibtex_years(bib_path: str, mtime: float) -> dict[str, int | None]:
    years = {}
    for key, entry in read_bibliography(Path(bib_path)).entries.items():
        year = entry.fields.get("year", "")
        years[key] = int(year) if year.isdigit() else None
    return years


def _bibtex_keys(bib_path: str, mtime: float) -> frozenset[str]:
    return frozenset(_bibtex_years(bib_path, mtime))


def bibtex_years(folder: Path | None = None, bib_name: str = BIBLIOGRAPHY) -> dict[str, int | None]:
    """Publication year of every work in the data folder's BibTeX file (None where it has none)."""
    bib = (folder or data_dir()) / bib_name
    bibtex_keys(folder, bib_name)  # a clear error when the file is missing
    return _bibtex_years(str(bib), bib.stat().st_mtime)


def bibtex_keys(folder: Path | None = None, bib_name: str = BIBLIOGRAPHY) -> frozenset[str]:
    """Citation keys defined in the data folder's BibTeX file."""
    bib = (folder or data_dir()) / bib_name
    if not bib.is_file():
        raise DataValidationError([f"{bib_name} is missing from {bib.parent}: every source key must be defined there"])
    return _bibtex_keys(str(bib), bib.stat().st_mtime)


def _header_problems(path: Path, text: str, fields: list[dict]) -> list[str]:
    import csv

    header = next(csv.reader(io.StringIO(text, newline="")), [])
    expected = [f["name"] for f in fields]
    problems = [f"{path.name}, line 1 (header), field '{name}': column is missing" for name in expected if name not in header]
    problems += [f"{path.name}, line 1 (header), field '{name}': column is not in the schema" for name in header if name not in expected]
    if not problems and header != expected:
        problems.append(f"{path.name}, line 1 (header): columns must be in the order {expected}")
    return problems


def _lookup_values(folder: Path, reference: dict) -> frozenset[str]:
    if "bibtex" in reference:
        return bibtex_keys(folder, reference["bibtex"])
    target = _resource_descriptor(folder, reference["resource"])
    path = folder / target["path"]
    if not path.is_file():
        raise DataValidationError([f"{target['path']}: file is missing from {folder}"])
    text = read_rows(path, [f["name"] for f in target["schema"]["fields"]])
    column = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
    if reference["field"] not in column:
        raise DataValidationError(_header_problems(path, text, target["schema"]["fields"]))
    return frozenset(column[reference["field"]])


def _cross_field_problems(folder: Path, resource: dict) -> list:
    """Frictionless checks for the ``x-…`` rules; each error names row and field."""
    from frictionless import Check, errors

    fields = resource["schema"]["fields"]
    years = bibtex_years(folder) if any("x-published-by" in f for f in fields) else {}
    known = {}
    for field in fields:
        for prop in ("x-references", "x-references-one"):
            if prop in field:
                known[field["name"]] = _lookup_values(folder, field[prop])

    class CourseRules(Check):
        type = "course-rules"
        Errors = [errors.ConstraintError]

        def validate_row(self, row):
            def problem(name, note):
                return errors.ConstraintError.from_row(row, note=note, field_name=name)

            for field in fields:
                name, value = field["name"], row[field["name"]]
                if isinstance(value, str) and value and not value.strip():
                    yield problem(name, f"{value!r} is only blank space: expected text")
                    continue
                if isinstance(value, list) and len(set(value)) < len(value):
                    twice = sorted({item for item in value if value.count(item) > 1})
                    yield problem(name, f"lists {', '.join(map(repr, twice))} more than once: expected each item once")
                if value in (None, [], ""):
                    rule = field.get("x-required-when")
                    if rule and row[rule["field"]] in rule["values"]:
                        yield problem(name, f"is empty, but {rule['field']} is {row[rule['field']]!r}: "
                                            f"{rule['why']}")
                    continue
                if "x-references" in field or "x-references-one" in field:
                    items = value if isinstance(value, list) else [value]
                    where = field.get("x-references") or field["x-references-one"]
                    target = where.get("bibtex") or f"{where['resource']}.{where['field']}"
                    for item in items:
                        if item not in known[name]:
                            yield problem(name, f"{item!r} is not defined in {target}")
                if "x-item-enum" in field:
                    for item in value:
                        if item not in field["x-item-enum"]:
                            yield problem(name, f"{item!r} is not one of {field['x-item-enum']}")
                if "x-not-before" in field:
                    other = row[field["x-not-before"]]
                    if other is not None and value < other:
                        yield problem(name, f"{value} is before {field['x-not-before']} {other}")
                if "x-year-of" in field:
                    other = row[field["x-year-of"]]
                    if other is not None and not value.startswith(f"{other.year}-"):
                        yield problem(name, f"id must start with the year of {field['x-year-of']} ({other.year})")
                if "x-precision-of" in field:
                    day = row[field["x-precision-of"]]
                    if day is not None and (
                        (value == "month" and day.day != 1) or (value == "year" and (day.month, day.day) != (1, 1))
                    ):
                        yield problem(name, f"precision {value!r} needs {field['x-precision-of']} on the first day of the {value}")
                if "x-published-by" in field:
                    # A work cannot document what happened after it was published.
                    event_day = row[field["x-published-by"]]
                    for key in value:
                        year = years.get(key)
                        if event_day is not None and year is not None and year < event_day.year:
                            yield problem(name, f"{key} ({year}) cannot document an event of {event_day.year}: "
                                                "cite a work published in or after the event's year")
                if "x-seed-dates" in field:
                    # A seed may discuss or anticipate later events (the `seed` column) but never documents them.
                    event_day = row[field["x-seed-dates"]["date-field"]]
                    for key, seed_day in field["x-seed-dates"]["seeds"].items():
                        if key in value and event_day is not None and event_day.isoformat() > seed_day:
                            yield problem(name, f"seed {key} (dated {seed_day}) cannot document an event of "
                                                f"{event_day.isoformat()}: record it in 'seed' and cite the primary record")
                if "x-allowed-by" in field:
                    # A status must mean something for the kind of text (only treaties are "in force").
                    rule = field["x-allowed-by"]
                    allowed = rule["values"].get(row[rule["field"]], [])
                    if value not in allowed:
                        yield problem(name, f"{value!r} is not a status for {rule['field']} {row[rule['field']]!r}; "
                                            f"expected one of {allowed}")
                if "x-pages-of" in field:
                    cited = set(row[field["x-pages-of"]] or [])
                    for item in value:
                        key, _, pages = item.partition("=")
                        if not pages:
                            yield problem(name, f"{item!r} should be key=pages")
                        elif key not in cited:
                            yield problem(name, f"{key!r} has pages but is not in {field['x-pages-of']}")

    return [CourseRules()]


# What a valid value looks like, by Table Schema type and by broken constraint.
_VALID_BY_TYPE = {
    "date": "a date, YYYY-MM-DD (a real calendar day)",
    "integer": "a whole number, e.g. 3 or -2",
    "number": "a number, e.g. 2.5",
    "boolean": "true or false",
    "year": "a year, YYYY",
}
_VALID_BY_CONSTRAINT = {
    "minimum": "expected {} or more",
    "maximum": "expected {} or less",
    "pattern": "expected text matching the pattern {}",
    "minLength": "expected at least {} characters",
    "maxLength": "expected at most {} characters",
    "required": "expected a value: this field may not be empty",
}


def _valid_value(error) -> str:
    """``expected …``: what the field accepts, read off the type or the constraint that failed."""
    import ast
    import re

    note = error.note or ""
    typed = re.fullmatch(r'type is "(\w+)/[\w%-]+"', note)
    if error.type == "type-error" and typed:
        return "expected " + _VALID_BY_TYPE.get(typed.group(1), f"a value of type {typed.group(1)}")
    rule = re.fullmatch(r'constraint "(\w+)" is "(.*)"', note, re.S)
    if not rule:
        return note
    name, limit = rule.groups()
    if name == "enum":
        return f"rule {name!r}: expected one of " + ", ".join(str(v) for v in ast.literal_eval(limit))
    return f"rule {name!r}: " + _VALID_BY_CONSTRAINT.get(name, f"expected {name} {{}}").format(limit)


def _describe(error, file_name: str) -> str:
    where = f"{file_name}, line {error.row_number}" if getattr(error, "row_number", None) else file_name
    field = getattr(error, "field_name", None)
    cell = getattr(error, "cell", None)
    what = {
        "type-error": f"{cell!r} is not a valid value: {_valid_value(error)}",
        "missing-cell": "a value is missing (the row has too few cells)",
        "extra-cell": f"extra cell {cell!r} beyond the header",
        "blank-row": "the row is blank",
    }.get(error.type, error.note or error.message)
    if error.type == "constraint-error" and cell is not None and "constraint" in (error.note or ""):
        what = f"{cell!r} breaks the {_valid_value(error)}"
    if error.type in ("unique-error", "primary-key"):
        what = f"duplicate id {cell!r}: {error.note}" if cell else f"duplicate id: {error.note}"
    return f"{where}, field '{field}': {what}" if field else f"{where}: {what}"


def _table_text(folder: Path, descriptor: dict) -> str:
    """The table's CSV text, readable and with rows (raises :class:`DataValidationError` otherwise)."""
    path = folder / descriptor["path"]
    if not path.is_file():
        raise DataValidationError([f"{descriptor['path']}: file is missing from {folder}: expected the file that "
                                   f"datapackage.json's resource '{descriptor['name']}' names in 'path'"])
    return read_rows(path, [f["name"] for f in descriptor["schema"]["fields"]])


def _redundant(error, errors_found) -> bool:
    """Frictionless errors that repeat another: a blank row's empty key, a missing cell's 'required'."""
    if error.type == "primary-key":
        return any(e.row_number == error.row_number and e.type in ("unique-error", "blank-row") for e in errors_found)
    if error.type == "constraint-error" and 'constraint "required"' in (error.note or ""):
        return any(e.row_number == error.row_number and e.type == "missing-cell"
                   and getattr(e, "field_name", None) == error.field_name for e in errors_found)
    return False


def validate_table(name: str, folder: Path | None = None) -> list[str]:
    """Every problem in one table, as readable lines (empty list when valid)."""
    from frictionless import Checklist, Resource

    folder = folder or data_dir()
    try:
        descriptor = _resource_descriptor(folder, name)
        text = _table_text(folder, descriptor)
        problems = _header_problems(folder / descriptor["path"], text, descriptor["schema"]["fields"])
        if problems:  # a wrong header would make every row report noise
            return problems
        checks = _cross_field_problems(folder, descriptor)
    except DataValidationError as error:  # this file, or one it refers to, cannot be read
        return error.problems
    # utf-8-sig: a byte-order mark (Excel's "CSV UTF-8") is not part of the first column's name
    resource = Resource({**descriptor, "encoding": "utf-8-sig"}, basepath=str(folder))
    report = resource.validate(checklist=Checklist(checks=checks))
    problems = []
    for task in report.tasks:
        problems += [_describe(error, descriptor["path"]) for error in task.errors if not _redundant(error, task.errors)]
    problems += [_describe(error, descriptor["path"]) for error in report.errors]
    return problems


def _typed(frame: pd.DataFrame, fields: list[dict]) -> pd.DataFrame:
    for field in fields:
        name, kind = field["name"], field["type"]
        column = frame[name].replace("", None)
        if kind == "date":
            frame[name] = pd.to_datetime(column, format="%Y-%m-%d")
        elif kind == "integer":
            frame[name] = pd.to_numeric(column).astype("Int64")
        elif kind == "boolean":
            frame[name] = column.map({"true": True, "false": False}).astype("boolean")
        elif kind == "list":
            frame[name] = [value.split(field.get("delimiter", ",")) if value else [] for value in frame[name]]
        elif "enum" in field.get("constraints", {}):
            frame[name] = pd.Categorical(column, categories=field["constraints"]["enum"])
        else:
            frame[name] = column.astype("string")
    return frame


def load_table(name: str, folder: Path | None = None) -> pd.DataFrame:
    """Validate one table and return it typed.

    Dates become ``datetime64``, closed lists become ordered-as-in-the-codebook
    categoricals, ``;``-separated fields become Python lists, integers
    nullable ``Int64``. Raises :class:`DataValidationError` on any problem.
    """
    folder = folder or data_dir()
    problems = validate_table(name, folder)
    if problems:
        raise DataValidationError(problems)
    descriptor = _resource_descriptor(folder, name)
    raw = pd.read_csv(io.StringIO(_table_text(folder, descriptor)), dtype=str, keep_default_na=False)
    return _typed(raw, descriptor["schema"]["fields"])


def load_events(folder: Path | None = None) -> pd.DataFrame:
    """The coded events, sorted by date (see the codebook for every field)."""
    return load_table("events", folder).sort_values(["date", "id"], ignore_index=True)


def load_epilogue(folder: Path | None = None) -> pd.DataFrame:
    """The epilogue events of 2011–2014, sorted by date, validated like every table.

    They lie outside the module's period and live in their own table, so
    :func:`load_events` and the period chapters never see them; only the
    closing seminar session uses them, to test the 2010 roundtable's forecasts.
    """
    return load_table("epilogue", folder).sort_values(["date", "id"], ignore_index=True)


def _references(resource: dict) -> set[str]:
    """The tables (and ``references.bib``) whose values a table's rules look up."""
    found = set()
    for field in resource["schema"]["fields"]:
        for prop in ("x-references", "x-references-one"):
            if prop in field:
                found.add(BIBLIOGRAPHY if "bibtex" in field[prop] else field[prop]["resource"])
        if "x-published-by" in field:
            found.add(BIBLIOGRAPHY)
    return found


def validate_all(folder: Path | None = None) -> dict[str, list[str]]:
    """Problems per table for the whole data package (empty lists when valid).

    A broken ``datapackage.json`` or ``references.bib`` is reported under its
    own name. A table that refers to a broken one is not checked against it
    (that would repeat one fault as a problem on every row); it says so once.
    """
    folder = folder or data_dir()
    try:
        resources = {r["name"]: r for r in _descriptor(folder)["resources"]}
    except DataValidationError as error:
        return {"datapackage.json": error.problems}
    found = {BIBLIOGRAPHY: []}
    try:
        bibtex_keys(folder)
    except DataValidationError as error:
        found[BIBLIOGRAPHY] = error.problems
    pending = dict(resources)
    while pending:  # each table after the tables it refers to (the references form no cycle but a table's own)
        name = next((n for n, r in pending.items() if not (_references(r) - {n}) & set(pending)), next(iter(pending)))
        resource = pending.pop(name)
        broken = sorted(resources[other]["path"] if other in resources else other
                        for other in _references(resource) - {name} if found.get(other))
        if broken:
            found[name] = [f"{resource['path']}: not checked, because {' and '.join(broken)}, which it refers to, "
                           "has problems (above): fix those first"]
        else:
            found[name] = validate_table(name, folder)
    return found


# The prologue year and the five periods of Part I (chapter titles are the
# book's; the cut points are the course's periodisation, discussed in the
# introduction). The book covers 1991–2010; 1990 is the prologue to it.
PERIODS = {
    "1990": ("1990-01-01", "1990-12-31"),
    "1991–1996": ("1991-01-01", "1996-12-31"),
    "1997–1999": ("1997-01-01", "1999-12-31"),
    "2000–2002": ("2000-01-01", "2002-12-31"),
    "2003–2007": ("2003-01-01", "2007-12-31"),
    "2008–2010": ("2008-01-01", "2010-12-31"),
}
# The span the periods cover, and so the span of the event data and of the monthly index.
FIRST_DAY, LAST_DAY = next(iter(PERIODS.values()))[0], list(PERIODS.values())[-1][1]


def period_of(dates: pd.Series) -> pd.Series:
    """The Part I period (or the 1990 prologue) each date falls in, as an ordered categorical.

    Dates outside the periods (before 1990, after 2010) become NaN.
    """
    bins = [pd.Timestamp(start) for start, _ in PERIODS.values()] + [pd.Timestamp(LAST_DAY) + pd.Timedelta(days=1)]
    return pd.cut(dates, bins=bins, labels=list(PERIODS), right=False)
