"""The seminar guide keeps what an instructor needs: full session plans, a role-play, a rubric."""

from __future__ import annotations

import re

import pytest

import jupytext

from book_extensions.toc import is_notebook, toc_files
from support import ROOT

SESSIONS = sorted(ROOT.glob("seminar/session_*.md"))
# Sessions that close the course rather than follow one chapter.
CLOSING_SESSIONS = {"session_forecasts.md"}
SESSION_HEADINGS = ["## Aims", "## Reading before class", "## Plan", "## In-class activity",
                    "## Discussion questions", "## Homework", "## References"]
TEACHING_NOTE = "```{admonition} Teaching note\n:class: teaching-note"


def test_every_chapter_has_a_session_and_every_session_is_in_the_toc():
    # The Python primer is self-study (set as homework in Session 1), so it has no session of its own;
    # closing sessions (e.g. the forecasts session) belong to no chapter.
    chapters = [name for name in toc_files(ROOT) if name.startswith("chapters/") and name != "chapters/python_primer"]
    assert len([path for path in SESSIONS if path.name not in CLOSING_SESSIONS]) == len(chapters)
    listed = set(toc_files(ROOT))
    assert all(f"seminar/{path.stem}" in listed for path in SESSIONS)
    for name in ("seminar/index", "seminar/roleplay", "seminar/essays"):
        assert name in listed


@pytest.mark.parametrize("path", SESSIONS, ids=lambda p: p.name)
def test_session_plan_has_every_part_in_order(path):
    text = path.read_text(encoding="utf-8")
    positions = [text.find(f"\n{heading}\n") for heading in SESSION_HEADINGS]
    assert -1 not in positions, f"{path.name}: missing {[h for h, p in zip(SESSION_HEADINGS, positions) if p < 0]}"
    assert positions == sorted(positions), f"{path.name}: sections out of order"
    assert TEACHING_NOTE in text, f"{path.name}: no teaching note"
    assert re.search(r"\{ref\}`chapter-[a-z-]+`", text), f"{path.name}: does not link its chapter"
    assert re.search(r"\{footcite:[pt]\}`(matser2001|amo2010)`", text), f"{path.name}: cites no seed"
    assert re.search(r"\{ref\}`ex-[a-z-]+`", text.split("\n## Homework\n")[1]), f"{path.name}: homework sets no exercise"


@pytest.mark.parametrize("path", SESSIONS, ids=lambda p: p.name)
def test_session_plan_fills_exactly_ninety_minutes(path):
    plan = path.read_text(encoding="utf-8").split("\n## Plan\n")[1].split("\n## ")[0]
    slots = [(int(a), int(b)) for a, b in re.findall(r"^\| (\d+)–(\d+) min \|", plan, re.M)]
    assert slots and slots[0][0] == 0 and slots[-1][1] == 90, f"{path.name}: plan {slots}"
    assert all(end == start for (_, end), (start, _) in zip(slots, slots[1:])), f"{path.name}: gaps in {slots}"


@pytest.mark.parametrize("path", SESSIONS, ids=lambda p: p.name)
def test_session_exercises_exist_in_the_chapters(path):
    labels = set(re.findall(r"^:label: (ex-[a-z-]+)$", "\n".join(
        chapter.read_text(encoding="utf-8") for chapter in ROOT.glob("chapters/*.md")), re.M))
    cited = set(re.findall(r"\{ref\}`(ex-[a-z-]+)`", path.read_text(encoding="utf-8")))
    assert cited and cited <= labels, f"{path.name}: no such exercise {sorted(cited - labels)}"


ROLEPLAY_PAGE = ROOT / "seminar" / "roleplay.md"
TERM_HEADER = "| Week | Session | Chapter | Main activity |\n| --- | --- | --- | --- |\n"
TERM_PAGES = ["seminar/index.md", "intro.md"]


def page_label(path):
    """The MyST target written above a page's title, e.g. ``session-drift``."""
    found = re.search(r"^\(([a-z-]+)\)=\n# ", path.read_text(encoding="utf-8"), re.M)
    assert found, f"{path.name}: no label above its title"
    return found.group(1)


def term_table(page):
    """(week, session cell, chapter cell) for every row of a page's term-at-a-glance table."""
    text = (ROOT / page).read_text(encoding="utf-8")
    assert text.count(TERM_HEADER) == 1, f"{page}: no term table headed {TERM_HEADER.splitlines()[0]!r}"
    body = text.split(TERM_HEADER)[1].split("\n\n")[0]
    return [(int(week), session, chapter) for week, session, chapter in re.findall(r"^\| (\d+) \| ([^|]+) \| ([^|]+) \|", body, re.M)]


@pytest.mark.parametrize("page", TERM_PAGES)
def test_term_table_has_twelve_weeks_and_reaches_every_session(page):
    rows = term_table(page)
    assert [week for week, _, _ in rows] == list(range(1, 13)), f"{page}: weeks {[week for week, _, _ in rows]}"
    linked = [re.findall(r"\{ref\}`([a-z-]+)`", session) for _, session, _ in rows]
    assert all(len(labels) == 1 for labels in linked), f"{page}: each week links exactly one session page"
    pages = {page_label(path) for path in [*SESSIONS, ROLEPLAY_PAGE]}
    assert {labels[0] for labels in linked} == pages, f"{page}: unreachable {sorted(pages - {l[0] for l in linked})}"
    assert "{ref}`chapter-primer`" in rows[0][2], f"{page}: the Python primer is week 1's homework"


def test_session_titles_carry_their_week_numbers():
    weeks = {}
    for week, session, _ in term_table("seminar/index.md"):
        weeks.setdefault(re.search(r"\{ref\}`([a-z-]+)`", session).group(1), []).append(week)
    for path in [*SESSIONS, ROLEPLAY_PAGE]:
        numbers = weeks[page_label(path)]
        wanted = f"# Session {numbers[0]}: " if len(numbers) == 1 else f"# Sessions {numbers[0]}–{numbers[-1]}: "
        assert f"\n{wanted}" in path.read_text(encoding="utf-8"), f"{path.name}: title should start {wanted!r}"


@pytest.mark.parametrize("path", SESSIONS, ids=lambda p: p.name)
def test_session_seed_reading_links_where_to_read_the_seeds(path):
    assert "**Seed reading** ({ref}`where to read the seeds <seeds>`):" in path.read_text(encoding="utf-8")


def test_index_reading_list_has_every_week_with_scholarship():
    text = (ROOT / "seminar" / "index.md").read_text(encoding="utf-8")
    reading = text.split("\n## Reading, week by week\n")[1].split("\n## ")[0]
    weeks = re.split(r"^\d+\. ", reading, flags=re.M)[1:]
    assert len(weeks) == 12, f"{len(weeks)} weeks in the reading list"
    for number, week in enumerate(weeks, start=1):
        assert re.search(r"\{footcite:[pt]\}`", week), f"week {number}: no work cited"
    assert "{ref}`where to read the seeds <seeds>`" in reading
    for label in ("seminar-assessment", "handout-partners-cards", "handout-coding-sheet"):
        assert f"{{ref}}`{label}`" in text, f"the index does not link {label}"


@pytest.mark.parametrize("path", SESSIONS, ids=lambda p: p.name)
def test_session_numbers_come_from_the_data(path):
    """Teaching notes quote counts and scores: they are glued from a hidden first cell, never typed."""
    assert is_notebook(path), f"{path.name}: not an executable MyST notebook (jupytext front matter)"
    first = next(cell for cell in jupytext.read(path).cells if cell.cell_type == "code")
    assert "remove-cell" in first.metadata.get("tags", []), f"{path.name}: first code cell is not tagged remove-cell"
    assert re.search(r"load_(events|epilogue|table)\(", first.source), f"{path.name}: first code cell loads no data"
    glued = set(re.findall(r"\{glue:text\}`([a-z0-9-]+)`", path.read_text(encoding="utf-8")))
    assert glued, f"{path.name}: no glued value in the prose"


def test_closing_session_follows_the_roleplay_and_uses_the_epilogue():
    listed = toc_files(ROOT)
    assert listed.index("seminar/session_forecasts") == listed.index("seminar/roleplay") + 1
    text = (ROOT / "seminar" / "session_forecasts.md").read_text(encoding="utf-8")
    assert "load_epilogue()" in text and 'load_table("seed_claims")' in text
    assert "{ref}`chapter-reset`" in text and "{footcite:p}`amo2010`" in text


def test_roleplay_has_scenario_delegations_packs_rules_and_debrief():
    text = (ROOT / "seminar" / "roleplay.md").read_text(encoding="utf-8")
    for heading in ("## The scenario", "## Delegations", "## Briefing packs", "## Rules of procedure", "## Debrief"):
        assert f"\n{heading}\n" in text
    assert "def briefing_pack(" in text and TEACHING_NOTE in text
    assert "until=MEETING_DAY" in text, "briefing packs must stop at the meeting day"


def test_essay_rubric_weights_add_up_to_one_hundred():
    text = (ROOT / "seminar" / "essays.md").read_text(encoding="utf-8")
    rubric = text.split("\n## Marking rubric\n")[1].split("\n## ")[0]
    weights = [int(w) for w in re.findall(r"^\| [^|]+ \| (\d+) \|", rubric, re.M)]
    assert len(weights) >= 5 and sum(weights) == 100, weights
    assert len(re.findall(r"^### Prompt \d+:", text, re.M)) >= 6


ASSESSMENT = (ROOT / "seminar" / "assessment.md").read_text(encoding="utf-8") if (ROOT / "seminar" / "assessment.md").exists() else ""


def test_grading_scheme_weights_add_up_to_one_hundred():
    scheme = ASSESSMENT.split("\n## The grading scheme\n")[1].split("\n## ")[0]
    weights = [int(w) for w in re.findall(r"^\| [^|]+ \| (\d+) \|", scheme, re.M)]
    assert len(weights) >= 5 and sum(weights) == 100, weights


def test_every_rubric_has_five_bands_and_weights_adding_up_to_one_hundred():
    rubrics = re.findall(r"\n\(rubric-[a-z-]+\)=\n## [^\n]+\n(.*?)(?=\n\(rubric-|\n## Essay\n)", ASSESSMENT, re.S)
    assert len(rubrics) == 4, "writing, coding, role-play performance, position paper"
    for rubric in rubrics:
        assert "| Criterion | Weight | First | 2:1 | 2:2 | Third | Fail |" in rubric
        weights = [int(w) for w in re.findall(r"^\| [^|]+ \| (\d+) \|", rubric, re.M)]
        assert len(weights) >= 3 and sum(weights) == 100, weights


def test_degree_bands_cover_every_mark_once():
    bands = re.findall(r"^\| (First|Upper second \(2:1\)|Lower second \(2:2\)|Third|Fail) \| (\d+)–(\d+) \|", ASSESSMENT, re.M)
    ranges = sorted((int(low), int(high)) for _, low, high in bands)
    assert len(ranges) == 5 and ranges[0][0] == 0 and ranges[-1][1] == 100
    assert all(high + 1 == low for (_, high), (low, _) in zip(ranges, ranges[1:]))
