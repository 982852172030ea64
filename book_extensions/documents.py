"""The document reader: ``{document-record} <id>`` renders one row of ``data/documents.csv``.

Each page under ``documents/`` asks for its record with the directive, which
renders, from the data rather than from hand-typed prose:

* the provenance (author or body, date, genre, audience, language, where to
  read it: the copy read for the course and the original-language text, and
  the archive reference);
* the events in ``data/events.csv`` whose ``documents`` cell names the
  document (date and title; the timeline has no per-event anchors to link to);
* the chapters and seminar sessions that use it: a page in the table of
  contents under ``chapters/`` or ``seminar/`` uses a document when it links
  its reader page (``documents/<id>``) or cites the document's own entry in
  ``references.bib`` (the first key of its ``sources``).

``{document-index}`` lists every document in date order, linked to its page
(the reader's opening page uses it, so a new row needs no hand-made list).

The tables are loaded with the course loader, so a bad row stops the build
with its file, line and field; an unknown id is a build error too.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from docutils import nodes
from sphinx import addnodes
from sphinx.util.docutils import SphinxDirective

from .execution_cache import book_data_folder
from .toc import toc_files

READER_FOLDER = "documents"
USING_FOLDERS = ("chapters/", "seminar/")  # the pages whose use of a document the record lists
LANGUAGES = {"en": "English", "ru": "Russian", "de": "German", "fr": "French", "uk": "Ukrainian",
             "ka": "Georgian", "pl": "Polish", "cs": "Czech", "hu": "Hungarian"}
CITATION = re.compile(r"\{(?:foot)?cite(?::\w+)?\}`([^`]*)`")


def text_of(value) -> str:
    """A cell as text: the loader gives an empty optional cell as a missing value."""
    import pandas as pd

    return "" if value is None or (not isinstance(value, (list, str)) and pd.isna(value)) else str(value)


def date_in_words(day) -> str:
    return f"{day.day} {day:%B %Y}"


def language_name(code: str) -> str:
    return LANGUAGES.get(code, code)


@lru_cache(maxsize=4)
def _tables(folder: str, stamp: tuple) -> tuple:
    """documents.csv and events.csv, validated by the course loader (``stamp`` changes when they do)."""
    from nato_russia.data import load_table

    return load_table("documents", Path(folder)), load_table("events", Path(folder))


def course_tables(folder: Path) -> tuple:
    stamp = tuple(path.stat().st_mtime_ns for path in sorted(folder.glob("*")) if path.is_file())
    return _tables(str(folder), stamp)


def pages_using(srcdir: Path, document_id: str, bib_key: str) -> list[str]:
    """Docnames of the chapters and sessions that link the reader page or cite the document's own entry."""
    link = f"{READER_FOLDER}/{document_id}"
    found = []
    for name in toc_files(srcdir):
        path = srcdir / f"{name}.md"
        if not name.startswith(USING_FOLDERS) or not path.is_file():
            continue
        text = path.read_text(encoding="utf-8")
        cited = {key.strip() for keys in CITATION.findall(text) for key in keys.split(",")}
        if link in text or bib_key in cited:
            found.append(name)
    return found


def _field(name: str, *body: nodes.Node) -> nodes.field:
    return nodes.field("", nodes.field_name("", name), nodes.field_body("", nodes.paragraph("", "", *body)))


def _link(text: str, url: str) -> nodes.reference:
    return nodes.reference("", text, refuri=url)


class DocumentRecordDirective(SphinxDirective):
    required_arguments = 1
    has_content = False

    def run(self):
        srcdir = Path(self.env.srcdir)
        folder = book_data_folder(srcdir)
        for name in ("documents.csv", "events.csv"):
            self.env.note_dependency(str(folder / name))
        documents, events = course_tables(folder)
        document_id = self.arguments[0]
        match = documents[documents["id"] == document_id]
        if match.empty:
            raise self.error(f"{{document-record}} {document_id}: documents.csv has no row with id {document_id!r}; "
                             f"expected one of {sorted(documents['id'])}")
        row = match.iloc[0]
        return [self._provenance(row), *self._events(events, document_id), *self._users(srcdir, row)]

    def _provenance(self, row) -> nodes.Node:
        read = [_link("the copy read for this course", row["read_url"])]
        if text_of(row["original_url"]):
            read += [nodes.Text("; the original text in " + language_name(row["language"]) + ": "),
                     _link(row["original_url"], row["original_url"])]
        elif row["language"] == "en":
            read.append(nodes.Text(" (the original is in English)"))
        else:
            read.append(nodes.Text(f" (a translation: no copy of the {language_name(row['language'])} original "
                                   "could be found for this course)"))
        fields = nodes.field_list("", classes=["document-record"])
        fields += [
            _field("Author or body", nodes.Text(row["author"])),
            _field("Date", nodes.Text(date_in_words(row["date"]))),
            _field("Genre", nodes.Text(row["genre"])),
            _field("Audience", nodes.Text(row["audience"])),
            _field("Language of the original", nodes.Text(language_name(row["language"]))),
            _field("Where to read it", *read),
            _field("Archive reference", nodes.Text(text_of(row["archive_reference"]) or "none recorded")),
        ]
        return fields

    def _events(self, events, document_id: str) -> list[nodes.Node]:
        named = events[events["documents"].map(lambda ids: document_id in (ids or []))].sort_values(["date", "id"])
        heading = nodes.rubric("", "Events in the course data")
        if named.empty:
            return [heading, nodes.paragraph("", "No event in data/events.csv names this document.")]
        items = nodes.bullet_list("", classes=["document-events"])
        for _, event in named.iterrows():
            items += nodes.list_item("", nodes.paragraph("", f"{date_in_words(event['date'])}: {event['title']}"))
        return [heading, items]

    def _users(self, srcdir: Path, row) -> list[nodes.Node]:
        heading = nodes.rubric("", "Chapters and sessions that use it")
        users = pages_using(srcdir, row["id"], row["sources"][0])
        for name in toc_files(srcdir):  # a page that starts citing the document must update the record
            if name.startswith(USING_FOLDERS) and (srcdir / f"{name}.md").is_file():
                self.env.note_dependency(str(srcdir / f"{name}.md"))
        if not users:
            return [heading, nodes.paragraph("", "No chapter or session links or cites this document yet.")]
        items = nodes.bullet_list("", classes=["document-users"])
        for name in users:
            reference = addnodes.pending_xref("", refdomain="std", reftype="doc", reftarget=f"/{name}",
                                              refexplicit=False, refdoc=self.env.docname, refwarn=True)
            reference += nodes.inline("", name, classes=["xref", "std", "std-doc"])
            items += nodes.list_item("", nodes.paragraph("", "", reference))
        return [heading, items]


class DocumentIndexDirective(SphinxDirective):
    """``{document-index}``: every row of documents.csv in date order, linked to its reader page."""

    has_content = False

    def run(self):
        folder = book_data_folder(Path(self.env.srcdir))
        self.env.note_dependency(str(folder / "documents.csv"))
        documents, _ = course_tables(folder)
        items = nodes.bullet_list("", classes=["document-index"])
        for _, row in documents.sort_values(["date", "id"]).iterrows():
            reference = addnodes.pending_xref("", refdomain="std", reftype="doc",
                                              reftarget=f"/{READER_FOLDER}/{row['id']}", refexplicit=True,
                                              refdoc=self.env.docname, refwarn=True)
            reference += nodes.inline("", row["title"], classes=["xref", "std", "std-doc"])
            details = f" ({date_in_words(row['date'])}): {row['author']}; {row['genre']}, in {language_name(row['language'])}"
            items += nodes.list_item("", nodes.paragraph("", "", reference, nodes.Text(details)))
        return [items]


def setup(app):
    app.add_directive("document-record", DocumentRecordDirective)
    app.add_directive("document-index", DocumentIndexDirective)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
