"""Files that cannot be read as course data give the course's message, in the loader and in the real build.

Each case breaks a copy of ``data/`` the way a student's editor or a
network can (another encoding, a file cut off or emptied, a typo in the
JSON or the BibTeX, a table no longer declared) and names the line the
message must contain: file, line, field where there is one, what is wrong
and what is valid. Through the loader, the error is a
``DataValidationError``, never a ``UnicodeDecodeError``, ``JSONDecodeError``
or ``PybtexError``; through ``jupyter-book build``, the message is printed
last, with exit code 2 and no traceback, before any chapter runs.
"""

from __future__ import annotations

import csv
import html
import json
import re
from pathlib import Path

import pytest

from nato_russia import DataValidationError, load_events, validate_all
from support import build_book, copy_repository
from test_data_loader import broken_data, edit_csv  # noqa: F401 (broken_data is a fixture)

BOM = b"\xef\xbb\xbf"
VALID_ENCODING = "expected a file saved as UTF-8"


def _replace(path: Path, old: bytes, new: bytes) -> None:
    data = path.read_bytes()
    assert old in data, (path, old)
    path.write_bytes(data.replace(old, new, 1))


def _line_of(path: Path, text: str) -> int:
    return path.read_text(encoding="utf-8").split(text)[0].count("\n") + 1


def _resources(data: Path, change) -> None:
    package_path = data / "datapackage.json"
    package = json.loads(package_path.read_text(encoding="utf-8"))
    change(package["resources"])
    package_path.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def non_utf8_byte(data: Path) -> str:
    events = data / "events.csv"
    line = _line_of(events, "–")  # an en dash: in Windows-1252 the single byte 0x96
    _replace(events, "–".encode(), b"\x96")
    return f"events.csv, line {line}: byte 0x96"


def saved_as_cp1252(data: Path) -> str:
    events = data / "events.csv"
    text = events.read_text(encoding="utf-8")
    first = min(i for i, c in enumerate(text) if c.encode("cp1252", errors="ignore") and ord(c) > 127)
    events.write_bytes(text.encode("cp1252", errors="replace"))
    return f"events.csv, line {text[:first].count(chr(10)) + 1}: byte 0x"


def empty_csv(data: Path) -> str:
    (data / "events.csv").write_bytes(b"")
    return "events.csv, line 1 (header): the file is empty: expected the header row id,date,"


def cut_off_csv(data: Path) -> str:
    events = data / "events.csv"
    text = events.read_text(encoding="utf-8")
    cut = text.index(',"', len(text) // 2) + 5  # inside a quoted summary
    events.write_text(text[:cut], encoding="utf-8")
    return f"events.csv, line {text[:cut].count(chr(10)) + 1}: a quoted cell opened on this line is never closed"


def header_only(data: Path) -> str:
    events = data / "events.csv"
    events.write_text(events.read_text(encoding="utf-8").split("\n")[0] + "\n", encoding="utf-8")
    return "events.csv, line 2: the file has its header but no rows"


def bib_unclosed_brace(data: Path) -> str:
    bib = data / "references.bib"
    text = bib.read_text(encoding="utf-8")
    end = text.index("\n}", text.index("@"))
    bib.write_text(text[:end] + text[end + 2:], encoding="utf-8")
    return "references.bib, line "


def bib_duplicate_key(data: Path) -> str:
    bib = data / "references.bib"
    text = bib.read_text(encoding="utf-8")
    start = text.index("@")
    first = text[start:text.index("\n}\n", start) + 3]
    key = re.match(r"@\w+\{([^,]+),", first).group(1)
    bib.write_text(text + "\n" + first, encoding="utf-8")
    return f"entry '{key}': the key is defined again (first at line {text[:start].count(chr(10)) + 1})"


def bib_non_utf8(data: Path) -> str:
    bib = data / "references.bib"
    _replace(bib, b"title", "títle".encode("latin-1"))
    return "references.bib, line "


def json_syntax_error(data: Path) -> str:
    _replace(data / "datapackage.json", b'"resources":', b'"resources"')
    return "datapackage.json, line "


def json_empty(data: Path) -> str:
    (data / "datapackage.json").write_bytes(b"")
    return "datapackage.json, line 1: the file is empty"


def json_wrong_path(data: Path) -> str:
    _resources(data, lambda resources: resources[1].update(path="actor.csv"))
    return "actor.csv: file is missing from"


def json_without_schema(data: Path) -> str:
    _resources(data, lambda resources: resources[1].pop("schema"))
    return "resource 'actors', field 'schema': missing or without fields"


def json_unknown_type(data: Path) -> str:
    _replace(data / "datapackage.json", b'"type": "date"', b'"type": "datum"')
    return "resource 'events', field 'date': type 'datum' is not a Table Schema type: expected one of string"


def title_of_spaces(data: Path) -> str:
    edit_csv(data / "events.csv", 4, "title", "   ")
    return "events.csv, line 4, field 'title': '   ' is only blank space: expected text"


def repeated_list_item(data: Path) -> str:
    edit_csv(data / "events.csv", 5, "actors", "RUS;RUS")
    return "events.csv, line 5, field 'actors': lists 'RUS' more than once: expected each item once"


def url_with_markup(data: Path) -> str:
    edit_csv(data / "events.csv", 2, "url", 'https://www.nato.int/"><script>')
    return "events.csv, line 2, field 'url': 'https://www.nato.int/\"><script>' breaks the rule 'pattern'"


def blank_line(data: Path) -> str:
    _replace(data / "events.csv", b"\n", b"\n\n")
    return "events.csv, line 2: the row is blank"


def cut_off_row(data: Path) -> str:
    events = data / "events.csv"
    lines = events.read_text(encoding="utf-8").split("\n")
    lines[3] = lines[3].split(",")[0] + ",2010-1"  # cut off inside the date
    events.write_text("\n".join(lines), encoding="utf-8")
    return "events.csv, line 4, field 'date': '2010-1' is not a valid value: expected a date, YYYY-MM-DD"


CASES = [non_utf8_byte, saved_as_cp1252, empty_csv, cut_off_csv, header_only, bib_unclosed_brace, bib_duplicate_key,
         bib_non_utf8, json_syntax_error, json_empty, json_wrong_path, json_without_schema, json_unknown_type,
         title_of_spaces, repeated_list_item, url_with_markup, blank_line, cut_off_row]
ENCODING_CASES = {non_utf8_byte, saved_as_cp1252, bib_non_utf8}


@pytest.mark.parametrize("breakage", CASES, ids=lambda f: f.__name__)
def test_the_loader_names_file_line_and_what_is_valid(broken_data, breakage):
    expected = breakage(broken_data)
    problems = [problem for found in validate_all(broken_data).values() for problem in found]
    assert any(expected in problem for problem in problems), f"{expected!r} not in {problems}"
    if breakage in ENCODING_CASES:
        assert any(VALID_ENCODING in problem for problem in problems), problems
    with pytest.raises(DataValidationError):  # the loader used from a notebook: the same message, no raw error
        load_events(broken_data)


def test_a_table_that_refers_to_a_broken_one_says_so_once(broken_data):
    header_only(broken_data)
    found = validate_all(broken_data)
    assert found["seed_claims"] == ["seed_claims.csv: not checked, because events.csv, which it refers to, has "
                                    "problems (above): fix those first"]


def test_a_csv_saved_with_a_byte_order_mark_loads(broken_data):
    for name in ("events.csv", "actors.csv"):
        path = broken_data / name
        path.write_bytes(BOM + path.read_bytes())
    path = broken_data / "datapackage.json"
    path.write_bytes(BOM + path.read_bytes())
    assert not any(validate_all(broken_data).values())
    assert list(load_events(broken_data).columns)[0] == "id"


def test_a_blank_line_is_reported_once(broken_data):
    blank_line(broken_data)
    problems = validate_all(broken_data)["events"]
    assert problems == ["events.csv, line 2: the row is blank"], problems


def test_a_cut_off_row_names_each_missing_field_once(broken_data):
    expected = cut_off_row(broken_data)
    problems = validate_all(broken_data)["events"]
    assert "events.csv, line 4, field 'title': a value is missing (the row has too few cells)" in problems
    assert expected in problems[0]
    assert not [p for p in problems if "'required'" in p], problems


@pytest.mark.parametrize("breakage", CASES, ids=lambda f: f.__name__)
def test_the_build_stops_with_the_message_and_no_traceback(tmp_path, breakage):
    source = copy_repository(tmp_path / "book", "*.ipynb")
    expected = breakage(source / "data")
    build = build_book(source, tmp_path / "out", extra_env={"NATO_RUSSIA_DATA": str(source / "data")})
    assert build.returncode == 2, build.log[-3000:]
    tail = build.log[build.log.rindex("The book was not built: the course data"):]
    assert expected in tail, tail
    for noise in ("Traceback", "please report", "Exception occurred", "There was an error in building"):
        assert noise not in build.log, build.log[-3000:]
    assert not build.executed.exists(), "a chapter ran before the check"


def test_the_build_names_a_table_the_book_loads_but_the_package_no_longer_declares(tmp_path):
    source = copy_repository(tmp_path / "book", "*.ipynb")
    _resources(source / "data", lambda resources: resources.remove(next(r for r in resources if r["name"] == "agreements")))
    build = build_book(source, tmp_path / "out", extra_env={"NATO_RUSSIA_DATA": str(source / "data")})
    assert build.returncode == 2, build.log[-3000:]
    assert re.search(r"datapackage\.json: no table 'agreements' is declared, but \S+ loads it", build.log), build.log[-2000:]
    assert "Traceback" not in build.log and not build.executed.exists()


def test_the_build_accepts_a_csv_saved_with_a_byte_order_mark(tmp_path):
    """Excel's "CSV UTF-8" writes a byte-order mark; a one-page probe book built from such a file shows its rows."""
    from test_execution_cache import probe_book

    source, env = probe_book(tmp_path)
    events = source / "data" / "events.csv"
    events.write_bytes(BOM + events.read_bytes())
    build = build_book(source, tmp_path / "out", extra_env=env)
    assert build.returncode == 0, build.log[-3000:]
    first_title = next(csv.DictReader(events.open(encoding="utf-8-sig", newline="")))["title"]
    assert first_title in html.unescape((build.html / "chapters" / "freshness_probe.html").read_text(encoding="utf-8"))
