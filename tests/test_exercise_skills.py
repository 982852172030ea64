"""The exercises climb: no exercise asks for a coding skill before the chapter that shows it, and every code exercise is scaffolded.

The skills and the chapter that first shows each live in one place,
``nato_russia.skills``; the seminar guide prints them as a table,
which must match. A skill is *asked for* by the code a student writes: the
solution's code, minus what the starter cell already gives in full, plus
the starter lines with ``...`` in them. A skill is *shown* by a chapter's
worked code (outside its Exercises section) or by a starter line it gives
in full.
"""

from __future__ import annotations

import re

import pytest
import yaml

from nato_russia.questions import QUESTIONS
from nato_russia.skills import SKILL_NAMES, SKILLS, skills_in
from support import ROOT

CODE_CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```$", re.S | re.M)
GATED_EXERCISE = re.compile(r"^````\{exercise-start\}\n:label: (\S+)\n(.*?)^````\{exercise-end\}", re.S | re.M)
GATED_SOLUTION = r"^````\{{solution-start\}} {label}\n(.*?)^````\{{solution-end\}}"
TEACHER = {skill.name: skill.chapter for skill in SKILLS}


def toc_chapters() -> list[str]:
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [entry["file"] for part in toc["parts"] for entry in part["chapters"]]
    return [name.split("/", 1)[1] for name in files if name.startswith("chapters/")]


CHAPTERS = toc_chapters()
TEXTS = {name: (ROOT / "chapters" / f"{name}.md").read_text(encoding="utf-8") for name in CHAPTERS}


def exercises_section(text: str) -> tuple[str, str]:
    """(the chapter before its Exercises section, the Exercises section)."""
    start = text.index("\n## Exercises")
    end = text.find("\n## ", start + 1)
    return text[:start], text[start:] if end == -1 else text[start:end]


def code(block: str, shown_only: bool = False) -> str:
    """The code of every cell in ``block``; with ``shown_only``, not the cells whose input the page hides."""
    cells = CODE_CELL.findall(block)
    if shown_only:
        cells = [cell for cell in cells if not re.search(r"^:?tags: \[.*(hide|remove)-input", cell, re.M)]
    return "\n".join(cells)


def code_exercises(text: str) -> list[tuple[str, str, str]]:
    """(label, starter code, solution code) of every gated exercise whose solution has code."""
    found = []
    for label, body in GATED_EXERCISE.findall(exercises_section(text)[1]):
        solution = re.search(GATED_SOLUTION.format(label=re.escape(label)), text, re.S | re.M)
        if solution and CODE_CELL.search(solution.group(1)):
            found.append((label, code(body), code(solution.group(1))))
    return found


def given_and_asked(starter: str, solution: str) -> tuple[set, set]:
    lines = starter.splitlines()
    given = skills_in("\n".join(line for line in lines if "..." not in line))
    asked = (skills_in(solution) - given) | skills_in("\n".join(line for line in lines if "..." in line))
    return given, asked


def skill_problems(chapters: list[str], texts: dict[str, str], teacher: dict[str, str]) -> list[str]:
    """Every exercise that asks for a skill before its chapter, and every table entry its chapter does not show first."""
    order = {name: index for index, name in enumerate(chapters)}
    problems, shown = [], {}
    for name in chapters:
        worked, _ = exercises_section(texts[name])
        shown[name] = skills_in(code(worked, shown_only=True))
        for label, starter, solution in code_exercises(texts[name]):
            given, asked = given_and_asked(starter, solution)
            shown[name] |= given
            for skill in sorted(asked):
                if order[teacher[skill]] > order[name]:
                    problems.append(f"{name}.md, exercise {label}: asks for '{skill}', first shown in {teacher[skill]}.md")
    for skill, chapter in teacher.items():
        if skill not in shown[chapter]:
            problems.append(f"'{skill}': the table says {chapter}.md shows it, but no worked code there uses it")
        earlier = [name for name in chapters[: order[chapter]] if skill in shown[name]]
        if earlier:
            problems.append(f"'{skill}': the table says {chapter}.md first shows it, but {earlier[0]}.md does already")
    return problems


def test_no_exercise_asks_for_a_skill_before_its_chapter():
    assert set(TEACHER) == set(SKILL_NAMES) and set(TEACHER.values()) <= set(CHAPTERS)
    assert skill_problems(CHAPTERS, TEXTS, TEACHER) == []


def test_a_planted_early_skill_is_caught():
    first = CHAPTERS[0]
    planted = TEXTS[first].replace("````{solution-end}", "```{code-cell} ipython3\nevents.merge(events, on=\"id\")\n```\n\n````{solution-end}", 1)
    problems = skill_problems(CHAPTERS, {**TEXTS, first: planted}, TEACHER)
    assert any(f"{first}.md, exercise" in p and "'join'" in p for p in problems), problems


def test_a_wrong_table_entry_is_caught():
    problems = skill_problems(CHAPTERS, TEXTS, {**TEACHER, "filter": CHAPTERS[-1]})
    assert any("'filter'" in p and "does already" in p for p in problems), problems


def test_the_seminar_guide_prints_the_skills_table_from_the_one_source():
    guide = (ROOT / "seminar" / "index.md").read_text(encoding="utf-8")
    labels = {name: re.search(r"^\((chapter-[\w-]+)\)=$", TEXTS[name], re.M).group(1) for name in CHAPTERS}
    rows = re.findall(r"^\| \*\*(.+?)\*\* \| (.+?) \| \{ref\}`(chapter-[\w-]+)` \|$", guide, re.M)
    assert rows == [(skill.name, skill.what, labels[skill.chapter]) for skill in SKILLS]


@pytest.mark.parametrize("name", CHAPTERS)
def test_every_code_exercise_has_a_starter_hints_and_a_self_check(name):
    text = TEXTS[name]
    exercises = code_exercises(text)
    assert exercises, f"{name}.md: no code exercise"
    for label, starter, _ in exercises:
        body = dict(GATED_EXERCISE.findall(text))[label]
        assert "..." in starter, f"{name}.md, {label}: no starter cell with ... where the student writes"
        assert re.search(r'\bcheck\("[a-z0-9-]+", ', starter), f"{name}.md, {label}: the starter has no self-check"
        assert re.search(r"^````?\{(hint|dropdown)\}", body, re.M), f"{name}.md, {label}: no hint in a dropdown"


def test_each_chapter_marks_one_hardest_exercise_as_stretch():
    for name in CHAPTERS:
        assert len(re.findall(r"\(stretch\)", exercises_section(TEXTS[name])[1])) == 1, f"{name}.md: mark exactly one exercise (stretch)"


def test_every_check_in_the_chapters_names_a_question_and_every_question_is_asked():
    asked = {q for text in TEXTS.values() for q in re.findall(r'\bcheck\("([a-z0-9-]+)"', text)}
    assert asked <= set(QUESTIONS), f"unknown questions: {sorted(asked - set(QUESTIONS))}"
    assert set(QUESTIONS) <= asked, f"questions no chapter asks: {sorted(set(QUESTIONS) - asked)}"
