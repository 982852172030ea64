"""Citations as figures and tables print them: short labels from ``data/references.bib``, dashes and accents decoded."""

from __future__ import annotations

import textwrap
from functools import lru_cache

from .data import data_dir


@lru_cache(maxsize=1)
def _bibliography() -> dict:
    from pybtex.database import parse_file

    return dict(parse_file(str(data_dir() / "references.bib")).entries)


@lru_cache(maxsize=1)
def _plain_text_backend():
    # Looked up once: each pybtex plugin look-up scans every installed package's entry points.
    from pybtex.plugin import find_plugin

    return find_plugin("pybtex.backends", "text")()


def as_printed(latex: str) -> str:
    """A BibTeX value as the bibliography prints it: ``--`` an en dash, ``---`` an em dash, braces gone, accents decoded."""
    from pybtex.richtext import Text

    return Text.from_latex(latex).render(_plain_text_backend())


def source_label(key: str, pages: str | None = None) -> str:
    """A short human-readable citation, e.g. ``Matser (2001), Towards a New …, p. 20``."""
    entry = _bibliography().get(key)
    if entry is None:
        return key
    people = entry.persons.get("author") or entry.persons.get("editor") or []
    if people:
        surnames = [as_printed(" ".join(person.last_names)) for person in people[:2]]
        who = surnames[0] + (" et al." if len(people) > 2 else (f" and {surnames[1]}" if len(people) == 2 else ""))
    else:
        who = as_printed(entry.fields.get("organization") or entry.fields.get("institution") or entry.fields.get("publisher", key))
    title = textwrap.shorten(as_printed(entry.fields.get("title", "")), width=60, placeholder="…")
    label = f"{who} ({entry.fields.get('year', 'n.d.')}), {title}"
    return f"{label}, p. {pages}" if pages else label


def sources_text(keys: list[str], page_items: list[str] | None = None) -> str:
    """All sources of one row, each with its page where known, joined for hover text."""
    pages = dict(item.split("=", 1) for item in (page_items or []))
    return "; ".join(source_label(key, pages.get(key)) for key in keys)
