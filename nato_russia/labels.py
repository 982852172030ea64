"""Readable names for the codes in the data: what figures and tables show instead of ``status_and_equality``.

Every closed list (enum) a figure or printed table can show has one mapping
here; :func:`label_codes` applies them to a table's columns.
"""

from __future__ import annotations

import pandas as pd

CATEGORY_LABELS = {
    "institution": "Institutions",
    "enlargement": "Enlargement",
    "summit": "Summits and meetings",
    "arms_control": "Arms control",
    "cooperation": "Practical cooperation",
    "leadership": "Leadership changes",
    "crisis": "Crises",
    "conflict": "Wars and campaigns",
    "energy": "Energy",
}
ROLE_LABELS = {
    "russian_president": "President of Russia",
    "russian_foreign_minister": "Russian foreign minister",
    "us_president": "President of the United States",
    "nato_secretary_general": "NATO Secretary General",
    "russian_envoy_to_nato": "Russia's envoy to NATO",
}
THEME_LABELS = {
    "institutions": "Institutions",
    "trust": "Trust",
    "enlargement": "Enlargement",
    "cooperation_areas": "Areas of cooperation",
    "security_architecture": "European security architecture",
    "leadership": "Leadership",
    "terrorism": "Terrorism",
    "missile_defence": "Missile defence",
    "conflict": "Conflict",
    "status_and_equality": "Status and equality",
}
STANCE_LABELS = {
    "optimistic": "Optimistic",
    "sceptical": "Sceptical",
    "prescriptive": "Prescriptive",
    "descriptive": "Descriptive",
}
STATUS_LABELS = {
    "in_force": "in force",
    "signed_not_in_force": "signed, not in force",
    "suspended": "suspended",
    "terminated": "terminated",
    "never_in_force": "never entered into force",
    "proposed": "proposed, never negotiated",
    "superseded": "superseded",
    "adopted": "adopted (political commitment)",
}
KIND_LABELS = {
    "treaty": "Treaty",
    "political_document": "Political document",
    "memorandum": "Memorandum",
    "proposal": "Proposal",
}
SEED_LABELS = {"matser2001": "Matser (2001)", "amo2010": "Prague roundtable (2010)", "russia2000concept": "Russia's Concept (2000)"}
PRECISION_LABELS = {"day": "day", "month": "month only", "year": "year only"}

# Which mapping a column of that name takes, wherever the table came from.
COLUMN_LABELS = {
    "category": CATEGORY_LABELS,
    "role": ROLE_LABELS,
    "theme": THEME_LABELS,
    "stance": STANCE_LABELS,
    "status_2010": STATUS_LABELS,
    "kind": KIND_LABELS,
    "document": SEED_LABELS,
    "seed": SEED_LABELS,
    "date_precision": PRECISION_LABELS,
}


def label(code, mapping: dict) -> str:
    """One code's readable name; a code missing from the mapping is shown as words, never silently dropped."""
    if code is None or (not isinstance(code, (list, tuple)) and pd.isna(code)):
        return ""
    return mapping.get(str(code), str(code).replace("_", " "))


def label_codes(values: pd.Series, mapping: dict) -> pd.Series:
    """A column of codes (or of lists of codes) as readable names."""
    return values.astype(object).map(lambda value: ", ".join(label(v, mapping) for v in value) if isinstance(value, list) else label(value, mapping))
