"""The seminar guide keeps what an instructor needs: full session plans, a role-play, a rubric."""

from __future__ import annotations

import re

import pytest

from book_extensions.toc import toc_files
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
