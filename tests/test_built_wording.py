"""The words around glued numbers, read on the built pages: no '1 events', no 'are none', no raw codes.

Glue keeps the numbers in prose true; these checks catch the wording a
computed value can leave behind when the sentence around it was written for
another value: a plural after 1, a singular after 2, an empty list read out
as "none", a data code (``security_architecture``) where a reader expects
the label the figures show. Only prose is read: code, program output,
tables, figure data and addresses are left out, since codes belong there.
"""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from support import html_pages

pytestmark = pytest.mark.build

# The nouns the book counts, singular -> plural.
COUNT_NOUNS = {
    "event": "events", "month": "months", "year": "years", "day": "days", "week": "weeks", "claim": "claims",
    "meeting": "meetings", "row": "rows", "category": "categories", "theme": "themes", "document": "documents",
    "period": "periods", "quarter": "quarters", "reference": "references", "problem": "problems",
    "country": "countries", "member": "members", "state": "states", "agreement": "agreements",
    "delegation": "delegations", "session": "sessions", "passage": "passages", "paragraph": "paragraphs",
    "source": "sources", "treaty": "treaties", "summit": "summits", "bar": "bars", "card": "cards",
}
PLURALS = {plural: singular for singular, plural in COUNT_NOUNS.items()}
# Left out of prose: code and its output, tables, figures' data, maths, and the links' own text (often an address).
# A figure's description (.plotly-description) and the summary of its data table stay: readers read them.
NOT_PROSE = "script, style, pre, code, table, .cell_input, .cell_output .output:not(.plotly-figure), .math, math"
# Words that end a noun phrase: in "11 of the period" or "3 in your meeting" the number counts something else.
PHRASE_ENDS = {"of", "in", "is", "are", "was", "were", "from", "to", "the", "a", "an", "and", "or", "at", "on", "by",
               "for", "with", "than", "per", "each", "as", "that", "which"}
# A count: digits standing alone (not part of 5.3, 1-2, 3rd or −6), optionally one or two words, then a noun.
COUNT = re.compile(r"(?<![\w.,\u2212+\-/])(\d+)(?![\w.,%\-/]|,\d)((?:\s+[a-z][a-z\-]*){1,3})")
SNAKE_CASE = re.compile(r"(?<![\w./\-])[a-z][a-z0-9]*(?:_[a-z0-9]+)+(?![\w/\-]|\.\w)")
HEDGED_COUNT = re.compile(r"(?<![\w.,])\d+(?:\s+[a-z\-]+){0,2}\(s\)")  # "0 referenced event(s)": the code knows the count
EMPTY_LIST = re.compile(r"\b(?:are|is|were|was)\s+none\b(?!\s+of\b)", re.I)
ADDRESS = re.compile(r"\S+\.(?:csv|json|py|md|ipynb|yml|yaml|bib|zip|html)\b|https?://\S+|\S+@\S+")


def prose_text(html: str) -> str:
    """A built page's prose: its text without code, output, tables, figures, maths or addresses."""
    soup = BeautifulSoup(html, "html.parser")
    for element in soup.select(NOT_PROSE):
        element.decompose()
    main = soup.select_one("main, article, [role=main]") or soup
    return ADDRESS.sub(" ", " ".join(main.get_text(" ").split()))


def is_year(number: str) -> bool:
    return len(number) == 4 and 1900 <= int(number) <= 2099


def count_mismatches(text: str) -> list[str]:
    """'1 key events', '3 event': a count whose noun (within three words) does not agree with it."""
    found = []
    for match in COUNT.finditer(text):
        number, words = match.group(1), match.group(2).split()
        if is_year(number):
            continue  # "the 2008 summit", "1999 events" name a year, not a count
        for word in words:
            if word in PHRASE_ENDS:
                break
            if number == "1" and word in PLURALS and word not in COUNT_NOUNS:
                found.append(f"{number} {' '.join(words[:words.index(word) + 1])}")
            elif number != "1" and word in COUNT_NOUNS and word not in PLURALS:
                found.append(f"{number} {' '.join(words[:words.index(word) + 1])}")
            if word in COUNT_NOUNS or word in PLURALS:
                break  # the counted noun: words after it belong to the rest of the sentence
    return found


def artefacts(text: str) -> list[str]:
    """Every wording artefact in a page's prose, each with a little context."""
    found = [f"count: {hit!r}" for hit in count_mismatches(text)]
    found += [f"raw code: {match.group(0)!r} in …{text[max(match.start() - 40, 0):match.end() + 20]}…"
              for match in SNAKE_CASE.finditer(text)]
    found += [f"hedged plural: {match.group(0)!r}" for match in HEDGED_COUNT.finditer(text)]
    found += [f"empty list read out: …{text[max(match.start() - 60, 0):match.end()]}"
              for match in EMPTY_LIST.finditer(text)]
    return found


@pytest.mark.parametrize(("sentence", "expected"), [
    ("Figure: 1 key events in spring 1999.", ["count: '1 key events'"]),
    ("The window holds 1 months.", ["count: '1 months'"]),
    ("No cell holds more than 3 event of either kind.", ["count: '3 event'"]),
    ("The years without any cooperation event are none.", ["empty list read out"]),
    ("Themes found in all three: security_architecture and trust.", ["raw code: 'security_architecture'"]),
    ("with 0 referenced event(s) between them", ["count: '0 referenced event'", "hedged plural: '0 referenced event(s)'"]),
    ('<div class="cell_output"><div class="output plotly-figure"><p class="plotly-description">'
     "1 key events are labelled.</p></div></div>", ["count: '1 key events'"]),
])
def test_the_checks_find_each_kind_of_artefact(sentence, expected):
    found = artefacts(prose_text(f"<main><p>{sentence}</p></main>"))
    assert [hit[:len(text)] for hit, text in zip(found, expected)] == expected and len(found) == len(expected), found


@pytest.mark.parametrize("sentence", [
    "1 key event and 2 key events; 1 month; 0 events; 12 months; 290 events in the 1999 events of Fig. 5.3 months.",
    "Coded in <code>security_architecture</code>; see data/seed_claims.csv and https://example.org/a_b.",
    "The 2008 summit; 24 March 1999; none of them; the answer is none of the above.",
    "<table><tr><td>1 events</td></tr></table><pre>x_y are none</pre>",
    '<div class="cell_output"><div class="output text_plain">1 events, x_y</div></div>',
    "Session 11 is the meeting; 23 from that day; 3 in your meeting; 0 is agreement; 11 of the period.",
    "Find the matching event(s) and the seed document(s) that discuss it.",
])
def test_the_checks_pass_good_wording_and_what_is_not_prose(sentence):
    assert artefacts(prose_text(f"<main><p>{sentence}</p></main>")) == []


def test_built_pages_have_no_wording_artefacts(built_book):
    pages = html_pages(built_book.html)
    assert pages, "no built pages to read"
    found = {}
    for page in pages:
        hits = artefacts(prose_text(page.read_text(encoding="utf-8")))
        if hits:
            found[page.relative_to(built_book.html).as_posix()] = hits
    assert found == {}, "\n".join(f"{page}: {hit}" for page, hits in found.items() for hit in hits)
