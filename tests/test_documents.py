"""The document reader (the "Documents" part): data, pages and editions agree.

``data/documents.csv`` has one row per page under ``documents/``; each page
has the sections every reader page has, in order; the copy each page was read
at is an https address that the document's bibliography entry gives too; the
``documents`` cells of ``events.csv`` name real documents; and the student
edition shows the questions without their model answers.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from book_extensions.documents import date_in_words, text_of
from book_extensions.toc import toc_files
from nato_russia import load_table
from nato_russia.reading import read_bibliography
from test_data_loader import broken_data, edit_csv, load_error  # noqa: F401 (broken_data is a fixture)

ROOT = Path(__file__).resolve().parent.parent
READER = ROOT / "documents"
DOCUMENTS = load_table("documents")
IDS = list(DOCUMENTS["id"])
SECTIONS = ["## Provenance and purpose", "## The document, section by section", "## Questions", "## References"]
RUSSIAN_TERMS = "## Key terms in Russian"
MODEL_ANSWER = re.compile(r"^:::\{admonition\} Model answer\n:class: teaching-note\n", re.M)
QUESTION = re.compile(r"^\d+\. ", re.M)


def page(document_id: str) -> str:
    return (READER / f"{document_id}.md").read_text(encoding="utf-8")


def row(document_id: str):
    return DOCUMENTS[DOCUMENTS["id"] == document_id].iloc[0]


def test_the_reader_has_documents():
    assert len(IDS) >= 1 and (READER / "index.md").is_file()


def test_every_document_has_a_page_in_the_table_of_contents_and_every_page_a_row():
    listed = [name for name in toc_files(ROOT) if name.startswith("documents/")]
    assert listed[0] == "documents/index", "the Documents part must open with documents/index"
    pages = {path.stem for path in READER.glob("*.md")} - {"index"}
    assert pages == set(IDS), f"pages without a row: {sorted(pages - set(IDS))}; rows without a page: {sorted(set(IDS) - pages)}"
    assert set(listed[1:]) == {f"documents/{i}" for i in IDS}, "_toc.yml must list every reader page"


def test_the_table_of_contents_lists_documents_in_date_order():
    listed = [name.split("/", 1)[1] for name in toc_files(ROOT) if name.startswith("documents/")][1:]
    dates = [row(i)["date"] for i in listed]
    assert dates == sorted(dates), f"_toc.yml lists the documents out of date order: {listed}"


@pytest.mark.parametrize("document_id", IDS)
def test_the_copy_read_is_https_and_cited_by_its_bibliography_entry(document_id):
    record = row(document_id)
    assert record["read_url"].startswith("https://")
    assert not text_of(record["original_url"]) or record["original_url"].startswith("https://")
    entries = read_bibliography(ROOT / "data" / "references.bib").entries
    urls = {key: entries[key].fields.get("url", "") for key in record["sources"]}
    assert record["read_url"] in urls.values(), (
        f"documents.csv, {document_id}: read_url {record['read_url']} is not the url of any of its sources {urls}")


@pytest.mark.parametrize("document_id", IDS)
def test_each_page_has_the_reader_sections_in_order(document_id):
    text = page(document_id)
    record = row(document_id)
    title = re.search(r"^# (.+)$", text, re.M)
    assert title and title.group(1).endswith(f"({date_in_words(record['date'])})"), (
        f"{document_id}.md: the title must end with the date in words, ({date_in_words(record['date'])})")
    assert f"```{{document-record}} {document_id}\n```" in text, f"{document_id}.md: no {{document-record}} {document_id}"
    lead = text[title.end():text.index("```{document-record}")].strip()
    assert len(lead.split()) >= 30, f"{document_id}.md: the lead paragraph before the record is missing or too short"
    sections = SECTIONS[:2] + ([RUSSIAN_TERMS] if record["language"] == "ru" else []) + SECTIONS[2:]
    found = [line for line in text.splitlines() if line.startswith("## ")]
    assert found == sections, f"{document_id}.md: sections {found}, expected {sections}"
    assert "```{footbibliography}\n```" in text.split("## References", 1)[1]
    if record["language"] == "ru":
        terms = text.split(RUSSIAN_TERMS, 1)[1].split("\n## ", 1)[0]
        assert re.search("[а-яА-Я]", terms), f"{document_id}.md: the Russian terms table has no Russian term"


@pytest.mark.parametrize("document_id", IDS)
def test_each_question_has_a_model_answer_for_instructors(document_id):
    questions = page(document_id).split("## Questions", 1)[1].split("## References", 1)[0]
    asked = QUESTION.findall(questions)
    answered = MODEL_ANSWER.findall(questions)
    assert 2 <= len(asked) <= 3, f"{document_id}.md: {len(asked)} questions, expected two or three"
    assert len(answered) == len(asked), f"{document_id}.md: {len(asked)} questions but {len(answered)} model answers"


def test_event_document_ids_resolve():
    named = {item for items in load_table("events")["documents"] for item in (items or [])}
    assert named <= set(IDS), f"events.csv names documents that documents.csv lacks: {sorted(named - set(IDS))}"


def test_an_event_naming_an_unknown_document_is_refused(broken_data):
    edit_csv(broken_data / "events.csv", 2, "documents", "1990-no-such-document")
    assert ("events.csv, line 2, field 'documents': '1990-no-such-document' is not defined in documents.id"
            in load_error(broken_data))


@pytest.mark.parametrize(("field", "value", "expected"), [
    ("genre", "poem", "documents.csv, line 2, field 'genre': 'poem' breaks the rule 'enum': expected one of treaty, "),
    ("read_url", "http://www.nato.int/x.htm", "documents.csv, line 2, field 'read_url': 'http://www.nato.int/x.htm' "
                                              "breaks the rule 'pattern'"),
    ("sources", "nosuchkey1999", "documents.csv, line 2, field 'sources': 'nosuchkey1999' is not defined in references.bib"),
    ("id", "2011-wrong-year", "documents.csv, line 2, field 'id'"),
])
def test_a_malformed_documents_row_names_file_line_and_field(broken_data, field, value, expected):
    edit_csv(broken_data / "documents.csv", 2, field, value)
    assert expected in load_error(broken_data, "documents")


def _built_page(html: Path, document_id: str) -> BeautifulSoup:
    return BeautifulSoup((html / "documents" / f"{document_id}.html").read_text(encoding="utf-8"), "html.parser")


def test_the_built_record_shows_the_provenance_and_the_link_read(built_book):
    for document_id in IDS:
        soup = _built_page(built_book.html, document_id)
        record = soup.select_one("dl.document-record")
        assert record is not None, f"{document_id}.html: no provenance record"
        shown = record.get_text(" ").replace("\u2019", "'")  # Sphinx's smart quotes curl the apostrophes
        assert row(document_id)["author"] in shown, f"{document_id}.html: the record does not name the author"
        assert record.select_one(f'a[href="{row(document_id)["read_url"]}"]'), f"{document_id}.html: no link to the copy read"


def test_the_student_edition_has_the_questions_but_no_model_answer(built_book, student_book):
    for document_id in IDS:
        instructor = _built_page(built_book.html, document_id)
        student = _built_page(student_book.html, document_id)
        assert len(instructor.select(".teaching-note")) >= 2, f"{document_id}.html: model answers missing for instructors"
        assert not student.select(".teaching-note"), f"{document_id}.html: a model answer reached the student edition"
        assert "Model answer" not in student.get_text(" ")
        assert student.select_one("#questions"), f"{document_id}.html: the student edition lost the questions"
