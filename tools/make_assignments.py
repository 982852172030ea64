"""Make the student notebooks and the grading material of the graded assignments.

    python tools/make_assignments.py --week 4      # the assignments handed out in week 4
    python tools/make_assignments.py --all         # every assignment
    python tools/make_assignments.py --name drift_2003_2007

Each assignment's source is ``assignments/<chapter>.md``, a MyST notebook in
otter-grader's Otter Assign format (solutions and hidden tests included). This
converts it to ``.ipynb`` with Jupytext and runs ``otter assign`` on it, which
also runs every test against the solutions and stops on any failure. It writes

    _build/assignments/<name>/student/<name>.ipynb   (hand this out; public checks only)
    _build/assignments/<name>/autograder/autograder.zip  (hidden tests; for otter run or Gradescope)
    _build/assignments/<name>/autograder/<name>.ipynb    (the solutions: instructors only)

Weeks map to chapters as the seminar guide's 12-week plan does
(``seminar/index.md``, "A term at a glance"): a chapter's assignment is handed
out in the first week whose row names it. The role-play and forecast weeks
re-read a chapter already assigned, so they have no assignment of their own.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import jupytext

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ROOT / "assignments"
OUTPUT = ROOT / "_build" / "assignments"
SEMINAR_PLAN = ROOT / "seminar" / "index.md"


class AssignmentError(Exception):
    """A week, a name or a source that cannot be made into an assignment."""


def chapter_labels() -> dict[str, str]:
    """The label of each chapter (``chapter-primer``) mapped to its file stem (``python_primer``)."""
    labels = {}
    for path in sorted((ROOT / "chapters").glob("*.md")):
        match = re.search(r"^\((chapter-[a-z0-9-]+)\)=$", path.read_text(encoding="utf-8"), flags=re.MULTILINE)
        if match:
            labels[match.group(1)] = path.stem
    return labels


def weekly_plan() -> dict[int, list[str]]:
    """Week number -> the assignments handed out that week, read from the seminar guide's table."""
    labels, plan, assigned = chapter_labels(), {}, set()
    rows = re.findall(r"^\| (\d+) \| [^|]* \| ([^|]*) \|", SEMINAR_PLAN.read_text(encoding="utf-8"), flags=re.MULTILINE)
    if not rows:
        raise AssignmentError(f"{SEMINAR_PLAN}: no row of the 12-week table ('| week | session | chapter | ...') found")
    for week, chapter_column in rows:
        names = []
        for label in re.findall(r"\{ref\}`(chapter-[a-z0-9-]+)`", chapter_column):
            if label not in labels:
                raise AssignmentError(f"{SEMINAR_PLAN}: week {week} names {label!r}, which no chapter defines")
            if labels[label] not in assigned and (SOURCES / f"{labels[label]}.md").is_file():
                names.append(labels[label])
                assigned.add(labels[label])
        plan[int(week)] = names
    return plan


def all_assignments() -> list[str]:
    return sorted(path.stem for path in SOURCES.glob("*.md") if path.name != "README.md")


def make_assignment(name: str, output: Path = OUTPUT) -> Path:
    """Run Otter Assign on one source; return the folder holding ``student/`` and ``autograder/``."""
    source = SOURCES / f"{name}.md"
    if not source.is_file():
        raise AssignmentError(f"{source}: no such assignment source (known: {', '.join(all_assignments())})")
    target = output / name
    if target.exists():
        shutil.rmtree(target)  # otter assign would mix old and new files
    with tempfile.TemporaryDirectory(prefix=f"assign-{name}-") as scratch:
        master = Path(scratch) / f"{name}.ipynb"
        jupytext.write(jupytext.read(source), master, fmt="ipynb")
        run = subprocess.run([sys.executable, "-m", "otter", "assign", str(master), str(target)],
                             capture_output=True, text=True, cwd=scratch)
    if run.returncode != 0:
        raise AssignmentError(f"{source}: otter assign failed:\n{run.stdout}\n{run.stderr}")
    zips = sorted((target / "autograder").glob(f"{name}-autograder_*.zip"))
    if len(zips) != 1:
        raise AssignmentError(f"{source}: expected one autograder zip from otter assign, found {len(zips)}")
    zips[0].rename(target / "autograder" / "autograder.zip")  # a stable name for the instructions
    return target


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    choice = parser.add_mutually_exclusive_group(required=True)
    choice.add_argument("--week", type=int, help="make the assignments of this week of the 12-week plan")
    choice.add_argument("--all", action="store_true", help="make every assignment")
    choice.add_argument("--name", action="append", help="make this assignment (a chapter file stem); repeatable")
    parser.add_argument("--output", type=Path, default=OUTPUT, help=f"where to write (default: {OUTPUT})")
    parser.add_argument("--jobs", type=int, default=1, help="assignments made at once (each runs a kernel)")
    args = parser.parse_args(argv)
    try:
        if args.all:
            names = all_assignments()
        elif args.name:
            names = args.name
        else:
            plan = weekly_plan()
            if args.week not in plan:
                raise AssignmentError(f"week {args.week}: the plan in {SEMINAR_PLAN} has weeks {min(plan)}–{max(plan)}")
            names = plan[args.week]
            if not names:
                print(f"Week {args.week} has no assignment of its own: its chapter's assignment is set in an earlier week.")
                return 0
        def make(name: str) -> str:
            started = time.perf_counter()
            target = make_assignment(name, args.output)
            return (f"{name}: {target / 'student'} and {target / 'autograder' / 'autograder.zip'} "
                    f"({time.perf_counter() - started:.1f} s)")

        with ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:  # threads only wait on otter's processes
            for line in pool.map(make, names):
                print(line)
    except AssignmentError as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
