"""A copy of ``data/`` in which every text a page can show carries markup that would run as script.

A student may type anything into a title or a note, and the schema accepts
it. ``make_hostile`` appends :data:`HOSTILE` to every free-text field of
every table (text without a pattern, a list of allowed values or a
reference to another table) and to the descriptions in ``datapackage.json``
that the codebook prints, and adds the event a reliability probe used: a
title that is nothing but markup, dated 2 November 2010, with every actor
the role-play's delegations filter on. A page built from this copy must
show the markup as text: no dialog, no element made from the data.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

MARKER = "data-hostile"  # an attribute only the hostile markup has: any element carrying it came from the data
HOSTILE = f"<img src=x {MARKER} onerror=alert(1)>"
PROBE_EVENT = {
    "id": "2010-hostile-markup", "date": "2010-11-02", "date_precision": "day", "title": HOSTILE,
    "summary": f"A row a student might add. {HOSTILE}", "category": "institution",
    "actors": "NATO;RUS;USA;DEU;FRA;POL;EST;ITA", "tone": "0", "key": "true",
}
# Free text that chapters match by equality (a delegation's name, a member's name) keeps its value
# so that the chapters still run; the markup still reaches those tables through the other fields.
KEPT = {("nato_members", "name"), ("office_holders", "person"), ("epilogue", "forecast")}  # forecast: a claim id


def free_text_fields(resource: dict) -> list[str]:
    """The string fields of a resource that take any text: no pattern, no enum, no foreign key, no primary key."""
    schema = resource["schema"]
    keys = set(schema.get("primaryKey", []))
    for foreign in schema.get("foreignKeys", []):
        keys.update([foreign["fields"]] if isinstance(foreign["fields"], str) else foreign["fields"])
    return [field["name"] for field in schema["fields"]
            if field["type"] == "string" and field["name"] not in keys
            and not {"pattern", "enum"} & set(field.get("constraints", {}))
            and (resource["name"], field["name"]) not in KEPT]


def with_markup(text: str, max_length: int | None) -> str:
    """``text`` followed by :data:`HOSTILE`, shortened first where the schema limits its length."""
    room = len(text) if max_length is None else max_length - len(HOSTILE) - 1
    return f"{text[:room]} {HOSTILE}"


def make_hostile(data: Path) -> None:
    """Edit the copy of ``data/`` at ``data`` in place (see the module's docstring)."""
    package_path = data / "datapackage.json"
    package = json.loads(package_path.read_text(encoding="utf-8"))
    for resource in package["resources"]:
        path = data / resource["path"]
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            columns, rows = reader.fieldnames, list(reader)
        limits = {f["name"]: f.get("constraints", {}).get("maxLength") for f in resource["schema"]["fields"]}
        for row in rows:
            for name in free_text_fields(resource):
                if row[name]:
                    row[name] = with_markup(row[name], limits[name])
        if resource["name"] == "events":
            probe = {column: "" for column in columns} | PROBE_EVENT
            probe["sources"] = rows[-1]["sources"]  # a key references.bib surely has
            rows.append(probe)
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=columns, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        for field in resource["schema"]["fields"]:
            if field.get("description"):
                field["description"] += f" {HOSTILE}"
    package_path.write_text(json.dumps(package, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
