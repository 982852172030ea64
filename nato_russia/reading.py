"""Read the data package's files, turning every way a file can be unreadable into a problem line.

A student edits ``data/`` in Excel, a text editor or a notebook, and a file
can come back in another encoding, cut off, empty, or with a typo in its
JSON or BibTeX. Each reader here either returns the content or raises
:class:`DataValidationError` with lines in the loader's usual form: file,
line (counted from the byte where decoding failed, for an encoding error),
field where there is one, what is wrong and what is valid. A UTF-8
byte-order mark, which Excel's "CSV UTF-8" writes, is accepted.
"""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

MAX_REPORTED_PROBLEMS = 25
BOM = b"\xef\xbb\xbf"
TABLE_SCHEMA_TYPES = ("string", "number", "integer", "boolean", "object", "array", "list", "date", "time",
                      "datetime", "year", "yearmonth", "duration", "geopoint", "geojson", "any")


class DataValidationError(ValueError):
    """A data file does not match its schema, or cannot be read; the message lists each problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = problems[:MAX_REPORTED_PROBLEMS]
        more = len(problems) - len(shown)
        lines = [f"{len(problems)} problem(s) in the course data:"] + [f"  - {p}" for p in shown]
        if more:
            lines.append(f"  … and {more} more")
        super().__init__("\n".join(lines))


def line_of(text: str, offset: int) -> int:
    return text.count("\n", 0, offset) + 1


def read_text(path: Path) -> str:
    """The file's text: UTF-8, with or without a byte-order mark."""
    raw = path.read_bytes()
    raw = raw[len(BOM):] if raw.startswith(BOM) else raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        column = error.start - (raw.rfind(b"\n", 0, error.start) + 1) + 1
        raise DataValidationError([
            f"{path.name}, line {line}: byte 0x{raw[error.start]:02X} (character {column} of the line) is not UTF-8: "
            "expected a file saved as UTF-8 (" + ("in Excel, Save As 'CSV UTF-8'; " if path.suffix == ".csv" else "")
            + "in a text editor, choose the encoding UTF-8); it was probably saved as Windows-1252 or Latin-1"]) from None


def read_rows(path: Path, header: list[str]) -> str:
    """The CSV's text, once it is known to have a header, at least one row and every quoted cell closed."""
    text = read_text(path)
    expected = f"expected the header row {','.join(header)}, then one row per record"
    if not text.strip():
        raise DataValidationError([f"{path.name}, line 1 (header): the file is empty: {expected}"])
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows, finished = 0, 0  # data rows read; physical lines read by the last complete row
    try:
        for row in reader:
            rows += bool(row) and reader.line_num > 1
            finished = reader.line_num
    except csv.Error:
        raise DataValidationError([
            f"{path.name}, line {finished + 1}: a quoted cell opened on this line is never closed, so the rest of the "
            "file reads as one cell (was the file cut off?): expected a closing \" at the end of the cell"]) from None
    if not rows:
        raise DataValidationError([f"{path.name}, line 2: the file has its header but no rows: {expected}"])
    return text


def read_package(folder: Path) -> dict:
    """``datapackage.json``, parsed and checked for what the loader relies on."""
    path = folder / "datapackage.json"
    if not path.is_file():
        raise DataValidationError([f"datapackage.json is missing from {folder}: expected the file describing the tables"])
    text = read_text(path)
    name = path.name
    if not text.strip():
        raise DataValidationError([f"{name}, line 1: the file is empty: expected the JSON description of every "
                                   "table (restore it from the repository or a seminar pack)"])
    try:
        package = json.loads(text)
    except json.JSONDecodeError as error:
        raise DataValidationError([f"{name}, line {error.lineno}, character {error.colno}: {error.msg}: expected valid "
                                   "JSON (look for a missing or extra comma, quote or bracket just before there)"]) from None
    resources = package.get("resources") if isinstance(package, dict) else None
    if not isinstance(resources, list) or not resources:
        raise DataValidationError([f"{name}, field 'resources': missing or empty: expected a list of tables"])
    problems = []
    for index, resource in enumerate(resources):
        problems += _resource_problems(text, index, resource)
    if problems:
        raise DataValidationError(problems)
    return package


def _line_of_name(text: str, value: str, after: int = 0) -> tuple[int, int]:
    """The line of ``"name": "value"`` in the JSON text (and its offset), or of the start where it is absent."""
    match = re.compile(r'"name"\s*:\s*' + re.escape(json.dumps(value))).search(text, after)
    offset = match.start() if match else after
    return line_of(text, offset), offset


def _resource_problems(text: str, index: int, resource) -> list[str]:
    if not isinstance(resource, dict) or not isinstance(resource.get("name"), str):
        return [f"datapackage.json, resource {index + 1}, field 'name': missing: expected each table to have a name"]
    table = resource["name"]
    line, offset = _line_of_name(text, table)
    where = f"datapackage.json, line {line}, resource '{table}'"
    problems = []
    if not isinstance(resource.get("path"), str) or not resource["path"]:
        problems.append(f"{where}, field 'path': missing: expected the CSV file's name, e.g. {table}.csv")
    schema = resource.get("schema")
    fields = schema.get("fields") if isinstance(schema, dict) else None
    if not isinstance(fields, list) or not fields:
        return problems + [f"{where}, field 'schema': missing or without fields: expected the table's schema, "
                           "with one entry per column in 'fields'"]
    for field in fields:
        if not isinstance(field, dict) or not isinstance(field.get("name"), str):
            problems.append(f"{where}, field 'schema.fields': an entry has no name: expected each column named")
            continue
        kind = field.get("type", "string")
        if kind not in TABLE_SCHEMA_TYPES:
            field_line, _ = _line_of_name(text, field["name"], offset)
            problems.append(f"datapackage.json, line {field_line}, resource '{table}', field '{field['name']}': "
                            f"type {kind!r} is not a Table Schema type: expected one of {', '.join(TABLE_SCHEMA_TYPES)}")
    return problems


def read_bibliography(path: Path):
    """``references.bib`` parsed by pybtex; a syntax error or a key defined twice is a problem line."""
    from pybtex.database import BibliographyDataError, parse_string
    from pybtex.scanner import PybtexSyntaxError

    if not path.is_file():
        raise DataValidationError([f"{path.name} is missing from {path.parent}: every source key must be defined there"])
    text = read_text(path)
    try:
        return parse_string(text, "bibtex")
    except PybtexSyntaxError as error:
        raise DataValidationError([f"{path.name}, line {error.lineno}: {_bib_syntax(error)}: expected every entry as "
                                   "@type{key, field = {value}, …} with each brace closed"]) from None
    except BibliographyDataError as error:
        key = str(error).rpartition(": ")[2]
        lines = [line_of(text, m.start()) for m in re.finditer(r"@\w+\s*\{\s*" + re.escape(key) + r"\s*,", text, re.I)]
        raise DataValidationError([f"{path.name}, line {lines[-1] if lines else '?'}, entry '{key}': the key is defined "
                                   f"again (first at line {lines[0] if lines else '?'}): expected each key once"]) from None


def _bib_syntax(error) -> str:
    return re.sub(r"^syntax error in line \d+: ", "syntax error: ", str(error))
