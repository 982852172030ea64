"""The graded assignments: every source becomes otter-grader material, grades as it should, and leaks nothing.

Generation runs once per module (``tools/make_assignments.py --all`` into a
temporary folder); grading runs ``otter run`` on three kinds of submission:
the solutions (full marks), the untouched student notebook (zero) and
notebooks with a typical mistake (partial marks, with the feedback shown).
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jupytext
import nbformat
import pytest

from support import ROOT

sys.path.insert(0, str(ROOT / "tools"))
import make_assignments  # noqa: E402

NAMES = make_assignments.all_assignments()
JOBS = 2  # the machine's cores; each job runs one kernel


def run_tool(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "tools" / "make_assignments.py"), *args],
                          capture_output=True, text=True, cwd=ROOT)


@pytest.fixture(scope="module")
def made(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("assignments")
    started = time.perf_counter()
    run = run_tool("--all", "--jobs", str(JOBS), "--output", str(output))
    assert run.returncode == 0, run.stderr
    print(f"\ngenerated {len(NAMES)} assignments in {time.perf_counter() - started:.1f} s")
    return output


def grade(notebook: Path, autograder: Path, output: Path) -> dict:
    """Grade one submission with ``otter run`` (no Docker) and return its results.json."""
    output.mkdir(parents=True, exist_ok=True)
    run = subprocess.run([sys.executable, "-m", "otter", "run", "-a", str(autograder), "-o", str(output),
                          "--no-logo", str(notebook)], capture_output=True, text=True)
    assert run.returncode == 0, f"{notebook}: {run.stderr}"
    return json.loads((output / "results.json").read_text(encoding="utf-8"))


def score(results: dict) -> tuple[float, float]:
    graded = [test for test in results["tests"] if "max_score" in test]
    return sum(test["score"] for test in graded), sum(test["max_score"] for test in graded)


# Typical mistakes: (assignment, variable whose answer cell is replaced, the mistaken code).
MISTAKES = {
    # the years typed as text, as a student copying them from a printed table does
    "years-as-text": ("timeline", "busiest_years",
                      'events_per_year = events.groupby(events["date"].dt.year).size()\n'
                      'busiest_years = [str(year) for year in events_per_year.nlargest(3).index]\nbusiest_years'),
    # the right form but the wrong rows: the date filter forgotten, so the top five come from all twenty years
    "filter-forgotten": ("python_primer", "top_five_ids",
                         'top_five_ids = list(events.nlargest(5, "tone")["id"])\ntop_five_ids'),
}


def with_mistake(solutions: Path, variable: str, code: str, destination: Path) -> Path:
    """The solutions notebook with the answer cell that sets ``variable`` replaced by ``code``."""
    notebook = nbformat.read(solutions, as_version=4)
    cells = [cell for cell in notebook.cells if cell.cell_type == "code" and re.search(rf"^{variable} =", cell.source, re.M)]
    assert len(cells) == 1, f"{solutions}: {len(cells)} cells set {variable}"
    cells[0].source = code
    destination.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, destination)
    return destination


@pytest.fixture(scope="module")
def graded(made, tmp_path_factory) -> dict[tuple[str, str], dict]:
    scratch = tmp_path_factory.mktemp("graded")
    jobs = {}
    for name in NAMES:
        folder = made / name
        jobs[(name, "correct")] = folder / "autograder" / f"{name}.ipynb"
        jobs[(name, "empty")] = folder / "student" / f"{name}.ipynb"
    for mistake, (name, variable, code) in MISTAKES.items():
        jobs[(name, mistake)] = with_mistake(made / name / "autograder" / f"{name}.ipynb", variable, code,
                                             scratch / "submissions" / mistake / f"{name}.ipynb")
    started = time.perf_counter()
    with ThreadPoolExecutor(max_workers=JOBS) as pool:
        results = dict(zip(jobs, pool.map(
            lambda item: grade(item[1], made / item[0][0] / "autograder" / "autograder.zip",
                               scratch / "results" / "-".join(item[0])), jobs.items())))
    print(f"\ngraded {len(jobs)} submissions in {time.perf_counter() - started:.1f} s "
          f"({(time.perf_counter() - started) * JOBS / len(jobs):.1f} s each)")
    return results


# --- the sources -------------------------------------------------------------------------------------------

def blocks(name: str) -> list[dict]:
    """The questions of a source: name, config, and its solution, public-test and hidden-test cells."""
    notebook = jupytext.read(ROOT / "assignments" / f"{name}.md")
    questions, question, block = [], None, None
    for cell in notebook.cells:
        first = cell.source.strip().splitlines()[0] if cell.source.strip() else ""
        if cell.cell_type == "raw" and first.startswith("# BEGIN QUESTION"):
            question = {"config": dict(line.split(": ", 1) for line in cell.source.splitlines()[1:]),
                        "solution": [], "public": [], "hidden": [], "prompt": []}
            questions.append(question)
        elif cell.cell_type == "raw" and first.startswith("# BEGIN "):
            block = first.split()[2].lower()
        elif cell.cell_type == "raw" and first.startswith("# END "):
            block = None if first != "# END QUESTION" else block
            question = None if first == "# END QUESTION" else question
        elif question is not None and block == "solution":
            question["solution"].append(cell.source)
        elif question is not None and block == "tests":
            question["hidden" if "hidden: true" in cell.source else "public"].append(cell.source)
        elif question is not None:
            question["prompt"].append(cell.source)
    return questions


def public_text(name: str) -> str:
    """Every cell of a source outside solutions and hidden tests."""
    hidden = {source for question in blocks(name) for source in question["solution"] + question["hidden"]}
    return "\n".join(cell.source for cell in jupytext.read(ROOT / "assignments" / f"{name}.md").cells
                     if cell.source not in hidden)


def secret_lines(name: str) -> set[str]:
    """Lines of solutions and hidden tests that no public part of the source has (markers and blanks dropped)."""
    public = {line.strip() for line in public_text(name).splitlines()}
    secrets = set()
    for question in blocks(name):
        # Otter keeps a solution cell's unmarked lines (the line that displays the answer) for the student.
        lines = [line for source in question["solution"] for line in source.splitlines() if line.endswith("# SOLUTION")]
        lines += [line for source in question["hidden"] for line in source.splitlines()]
        for line in lines:
            line = re.sub(r"\s*# (SOLUTION|IGNORE)$", "", line).strip()
            if len(line) >= 12 and line not in public and "TEST CONFIG" not in line and not line.startswith(("from ", "import ")):
                secrets.add(line.removeprefix('failure_message: "').removesuffix('"'))
    return secrets


def student_text(folder: Path) -> str:
    """Everything a student receives: each file's text, notebooks' cell sources and metadata decoded from JSON."""
    texts = []
    for path in sorted(folder.rglob("*")):
        if path.suffix == ".ipynb":
            notebook = json.loads(path.read_text(encoding="utf-8"))
            texts += ["".join(cell["source"]) for cell in notebook["cells"]]
            texts.append(json.dumps(notebook["metadata"], ensure_ascii=False))
            texts.append(json.dumps(notebook["metadata"]).replace("\\n", "\n"))
        elif path.is_file():
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
    return "\n".join(texts)


def test_there_is_an_assignment_for_every_period_and_methods_chapter():
    chapters = set(make_assignments.chapter_labels().values())
    assert len(NAMES) >= 10 and set(NAMES) == chapters, set(chapters) ^ set(NAMES)


@pytest.mark.parametrize("name", NAMES)
def test_parts_have_points_public_and_hidden_tests_and_a_rubric(name):
    questions = blocks(name)
    autograded = [question for question in questions if question["config"].get("manual") != "true"]
    manual = [question for question in questions if question["config"].get("manual") == "true"]
    assert 2 <= len(autograded) <= 4 and 1 <= len(manual) <= 2
    for question in questions:
        points = question["config"]["points"]
        assert re.search(rf"\({points} points, ", "\n".join(question["prompt"])), f"{name}: prompt of {question['config']['name']} does not give its points"
    for question in autograded:
        assert question["public"] and question["hidden"], question["config"]["name"]
        for hidden in question["hidden"]:
            assert "from nato_russia import" in hidden, "hidden tests compute the answer from the data, not constants"
    for question in manual:
        assert re.search(r"rubric[^(]*\(seminar guide, \*Assessment.*\]\(https://[^)]+/seminar/assessment\.html#rubric-(coding|writing)\)",
                         "\n".join(question["prompt"]).replace("\n", " "))


def test_weeks_follow_the_seminar_plan():
    plan = make_assignments.weekly_plan()
    assert sorted(name for names in plan.values() for name in names) == sorted(NAMES)
    for week, names in plan.items():
        for name in names:
            assert f"\nWeek {week}. " in (ROOT / "assignments" / f"{name}.md").read_text(encoding="utf-8"), name
    quiet = run_tool("--week", "11")
    assert quiet.returncode == 0 and "no assignment of its own" in quiet.stdout
    wrong = run_tool("--week", "13")
    assert wrong.returncode == 1 and "weeks 1–12" in wrong.stderr


def test_an_unknown_assignment_is_named_with_the_known_ones(tmp_path):
    run = run_tool("--name", "chapter_9", "--output", str(tmp_path))
    assert run.returncode == 1 and "chapter_9.md: no such assignment source" in run.stderr and "timeline" in run.stderr


# --- generation and grading --------------------------------------------------------------------------------

@pytest.mark.parametrize("name", NAMES)
def test_every_assignment_is_generated(made, name):
    assert (made / name / "student" / f"{name}.ipynb").is_file()
    assert (made / name / "autograder" / "autograder.zip").is_file()


@pytest.mark.parametrize("name", NAMES)
def test_student_files_hold_no_solution_and_no_hidden_test(made, name):
    secrets = secret_lines(name)
    assert len(secrets) >= 5, f"{name}: too few secret lines found for the check to mean anything"
    solutions = student_text(made / name / "autograder")
    assert sum(secret in solutions for secret in secrets) >= len(secrets) // 2, "the secrets are not where expected"
    received = student_text(made / name / "student")
    leaked = sorted(secret for secret in secrets if secret in received)
    assert not leaked, f"{name}: the student notebook contains {leaked}"
    assert "hidden=True" not in received and "test_values" not in received and "Marking note" not in received


@pytest.mark.parametrize("name", NAMES)
def test_the_solutions_get_full_marks_and_an_empty_notebook_none(graded, name):
    got, possible = score(graded[(name, "correct")])
    assert possible > 0 and got == possible
    assert score(graded[(name, "empty")]) == (0, possible)


def test_a_typed_text_answer_gets_partial_marks_and_is_told_why(graded):
    results = graded[("timeline", "years-as-text")]
    got, possible = score(results)
    assert 0 < got < possible
    by_name = {test["name"]: test for test in results["tests"]}
    assert by_name["busiest_years"]["score"] == 0
    assert by_name["events_per_seed"]["score"] == by_name["events_per_seed"]["max_score"]
    # the public feedback a student sees names the mistake of form, not the answer
    public = by_name["Public Tests"]["output"]
    assert "not as text in quotes" in public and "busiest_years" in public
    assert "third place" in by_name["busiest_years"]["output"]


def test_a_forgotten_filter_passes_the_public_check_but_not_the_hidden_one(graded):
    results = graded[("python_primer", "filter-forgotten")]
    by_name = {test["name"]: test for test in results["tests"]}
    top_five = by_name["top_five"]
    assert 0 < top_five["score"] < top_five["max_score"]  # the form point only
    assert "filter on the dates first" in top_five["output"]
    assert "top_five" not in re.sub(r"top_five results:\s*All test cases passed!?", "", by_name["Public Tests"]["output"])
    got, possible = score(results)
    assert 0 < got < possible


def test_the_seminar_page_lists_each_week_as_the_tool_makes_it():
    page = (ROOT / "seminar" / "assignments.md").read_text(encoding="utf-8")
    listed = {int(week): re.findall(r"`([a-z0-9_]+)\.md`", names)
              for week, names in re.findall(r"^\| (\d+) \| ([^|]+) \|", page, flags=re.MULTILINE)}
    assert listed == {week: names for week, names in make_assignments.weekly_plan().items() if names}
    assert "python tools/make_assignments.py --week" in page
