"""The seed study guides: every paragraph is there, in the course's words, and no seed sentence is.

The guides (``reference/seed_guides.md``) are rendered from
``data/seed_paragraphs.csv``, so both the page's source and the table's text
columns are checked, and the built page as a reader sees it. "Copied" means a
run of ``RUN`` or more consecutive words of a seed, compared after the
normalisation in :func:`words`: the seed files come from PDFs, with words
hyphenated across lines, split ligatures ("f irst") and odd quote marks.

The seeds are not part of the repository: they sit in ``shared/seeds`` beside
the clone (on CI as here). Without them these tests fail; they never skip.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from functools import cache
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT.parent / "shared" / "seeds"
SEED_FILES = {"matser2001": "002_27e17ebe0e92db85.txt", "amo2010": "000_6e4c063bea562e1e.txt"}
RUN = 8  # words in a row that count as copying
GUIDE_PAGE = "reference/seed_guides"
GUIDE_SECTIONS = {"matser2001": "seed-guide-matser", "amo2010": "seed-guide-amo"}  # MyST labels of the two sections
TEXT_COLUMNS = ("section", "topic", "opening", "argument", "phrase")  # what the guide prints of each row
MAX_PHRASE_WORDS = 5

# Lines of the Matser PDF that are page furniture (running head, folio, photo credit), not text:
# dropping them re-joins the sentences they interrupt.
FURNITURE = re.compile(r"^[ \t]*(SPECIAL|NATO review\s*\d+\s+Winter 2001/2002|©|N|AT|O)[ \t]*$", re.M)
LINE_BREAK_HYPHEN = re.compile(r"-[ \t]*\n\s*(?=[a-z])")  # "confronta-\ntion"; not "NATO-\nRussia"
SPLIT_LIGATURE = re.compile(r"\bf\s+(?=[a-z])")  # "f irst", "F ew" (applied after lower-casing)
QUOTE_MARKS = re.compile("['\"`\u2018\u2019\u201a\u201b\u201c\u201d\u201e\u201f\u2032\u00ab\u00bb]")
WORD = re.compile(r"[^\W_]+")


def words(text: str, join_broken_words: bool = True) -> list[str]:
    """Lower-case words, ignoring punctuation, quote marks, apostrophes and hyphens.

    ``join_broken_words`` joins a word hyphenated at a line break ("partner-\\nship");
    without it the hyphen separates, as in a compound broken at its own hyphen
    ("decision-\\nmaking"). Apostrophes vanish ("Russia's" and "Russia‟s" are
    both "russias"); every other non-letter separates words.
    """
    text = unicodedata.normalize("NFKC", text)
    if join_broken_words:
        text = LINE_BREAK_HYPHEN.sub("", text)
    text = SPLIT_LIGATURE.sub("f", text.lower())
    return WORD.findall(QUOTE_MARKS.sub("", text))


def runs(tokens: list[str], length: int = RUN) -> set[tuple[str, ...]]:
    return {tuple(tokens[i:i + length]) for i in range(len(tokens) - length + 1)}


def seed_text(document: str) -> str:
    path = SEEDS / SEED_FILES[document]
    if not path.is_file():
        pytest.fail(f"{path} is missing: the seed documents must be in {SEEDS} (the folder 'shared/seeds' beside "
                    f"the clone, as on CI) for the copy checks to run; they are never skipped.", pytrace=False)
    return FURNITURE.sub("", path.read_text(encoding="utf-8"))


@cache
def seed_runs() -> dict[tuple[str, ...], str]:
    """Every run of RUN words in either seed (both ways of reading a broken word), with the seed it comes from."""
    found = {}
    for document in SEED_FILES:
        text = seed_text(document)
        for joined in (True, False):
            found.update(dict.fromkeys(runs(words(text, joined)), document))
    return found


def copied(text: str) -> list[str]:
    """The runs of ``text`` that are a seed's words, as readable strings naming the seed."""
    known = seed_runs()
    tokens = words(text)
    return sorted({f"{known[run]}: {' '.join(run)}" for run in runs(tokens) if run in known})


def guide_rows() -> list[dict[str, str]]:
    with (ROOT / "data" / "seed_paragraphs.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


# ---------------------------------------------------------------- the checker itself


# Places where the PDF text is damaged, found in the seed itself (so that no seed sentence sits in this
# file): a word hyphenated at a line break, a split ligature, odd apostrophes.
DAMAGE = [("matser2001", r"\b[a-z]+-\n[a-z]+"), ("matser2001", r"\bf [a-z]{3,}"), ("matser2001", r"\b\w+\u2019s\b"),
          ("amo2010", r"\b\w+\u201fs\b")]


def _mended(raw: str) -> str:
    """What a typist makes of damaged PDF text: the hyphenated word joined, the ligature closed, plain apostrophes."""
    raw = re.sub(r"-\n\s*(?=[a-z])", "", raw)
    raw = re.sub(r"\bf (?=[a-z])", "f", raw)
    return re.sub("[\u2019\u201f]", "'", raw)


def typed_cleanly(document: str, pattern: str) -> str:
    """``RUN`` words of the seed, typed cleanly, every run of them through the first match of ``pattern``."""
    raw = (SEEDS / SEED_FILES[document]).read_text(encoding="utf-8")
    match = re.search(pattern, raw)
    assert match, f"no {pattern!r} in {document}"
    before = _mended(raw[:match.start()]).split()[-(RUN // 2):]
    damaged = _mended(match.group(0)).split()
    after = _mended(raw[match.end():]).split()[:RUN - len(before) - len(damaged)]
    return " ".join(before + damaged + after)


def test_the_checker_finds_a_copied_sentence_through_the_pdf_damage():
    """Runs typed cleanly are found in the damaged seed text, and a paraphrase is not."""
    for document, pattern in DAMAGE:
        text = typed_cleanly(document, pattern)
        assert len(text.split()) >= RUN and copied(text), (pattern, text)
    assert not copied("Primakov's arrival as foreign minister in 1996 made Russian policy more coherent.")


def test_seed_files_are_the_ones_the_guides_describe():
    assert "Towards a new strategic partnership" in seed_text("matser2001")
    assert "Černín Palace" in seed_text("amo2010")


# ---------------------------------------------------------------- the sources of the guide pages


def test_guide_page_source_copies_no_run_of_a_seed():
    source = ROOT / f"{GUIDE_PAGE}.md"
    assert copied(source.read_text(encoding="utf-8")) == [], f"{source.name} copies a seed's words"


@pytest.mark.parametrize("row", guide_rows(), ids=lambda r: f"{r['document']}-{r['paragraph']}")
def test_paragraph_row_copies_no_run_of_a_seed(row):
    """Each printed column, and the row as the guide prints it (runs may cross columns)."""
    for column in TEXT_COLUMNS:
        assert copied(row[column]) == [], f"seed_paragraphs.csv, {row['document']} ¶{row['paragraph']}, {column}"
    assert copied(" ".join(row[column] for column in TEXT_COLUMNS)) == [], (
        f"seed_paragraphs.csv, {row['document']} ¶{row['paragraph']}: the row as printed")


@pytest.mark.parametrize("row", guide_rows(), ids=lambda r: f"{r['document']}-{r['paragraph']}")
def test_paragraph_argument_is_a_paraphrase_and_its_phrase_is_the_seeds_own(row):
    where = f"seed_paragraphs.csv, {row['document']} ¶{row['paragraph']}"
    assert len(words(row["argument"])) >= 12, f"{where}: 'argument' is not a sentence of paraphrase"
    phrase = row["phrase"]
    if phrase:
        assert len(words(phrase)) <= MAX_PHRASE_WORDS, f"{where}: phrase {phrase!r} is longer than a short quotation"
        seed = " ".join(words(seed_text(row["document"])))
        assert f" {' '.join(words(phrase))} " in f" {seed} ", f"{where}: phrase {phrase!r} is not in the seed as written"


# ---------------------------------------------------------------- the built page


@pytest.fixture(scope="module")
def guide_page(built_book) -> BeautifulSoup:
    path = built_book.html / f"{GUIDE_PAGE}.html"
    assert path.is_file(), f"{path} was not built"
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_built_guide_page_copies_no_run_of_a_seed(guide_page):
    article = guide_page.find("article") or guide_page
    assert copied(article.get_text(" ")) == [], f"the built {GUIDE_PAGE}.html copies a seed's words"


@pytest.mark.parametrize("document", SEED_FILES)
def test_every_paragraph_appears_in_its_guide(guide_page, document):
    """Each numbered paragraph has its entry, with number, argument and quoted phrase, in its own seed's section."""
    label = guide_page.find(id=GUIDE_SECTIONS[document])  # Sphinx puts a label's id on an empty span in its section
    assert label is not None, f"no label {GUIDE_SECTIONS[document]!r} on the guide page"
    section = label if label.name == "section" else label.find_parent("section")
    rows = [row for row in guide_rows() if row["document"] == document]
    assert rows
    for row in rows:
        entry = section.find(id=f"{document}-p{row['paragraph']}")
        assert entry is not None, f"{document} ¶{row['paragraph']} is missing from its guide"
        text = " ".join(words(entry.get_text(" ")))
        for column in ("paragraph", "argument", "phrase"):
            assert " ".join(words(row[column])) in text, f"{document} ¶{row['paragraph']}: its {column} is not shown"
