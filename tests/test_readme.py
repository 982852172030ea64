"""The README's commands are the ones the project really runs, in an order a newcomer can follow.

Only commands are checked, never prose: a sentence can be reworded freely,
but a command that drifts from what CI runs fails here.
"""

from __future__ import annotations

import re
from pathlib import Path

from book_extensions.packs import pack_readme

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
CONTRIBUTING = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
SECTIONS = ["Read", "Build", "Test", "Where things are", "Contribute", "Licences"]
VENV = ["python3 -m venv --upgrade-deps .venv", ". .venv/bin/activate"]
BUILD = "python -m pip install -r requirements.txt && jupyter-book build ."


def section(text: str, heading: str) -> str:
    assert f"\n## {heading}\n" in text, f"no section '## {heading}'"
    return text.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]


def bash_blocks(text: str) -> list[str]:
    return [block.strip() for block in re.findall(r"```bash\n(.+?)\n```", text, re.S)]


def ci_lines() -> list[str]:
    return [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]


def test_sections_come_in_a_newcomers_order():
    headings = re.findall(r"^## (.+)$", README, re.M)
    assert headings == SECTIONS


def test_build_is_a_virtual_environment_then_one_command():
    venv, build = bash_blocks(section(README, "Build"))
    # --upgrade-deps: the pip that comes with Python (23.x on Debian 12) resolves the requirements far slower
    assert venv.splitlines() == VENV
    assert build == BUILD


def test_ci_builds_with_the_readme_build_command():
    workflow = (ROOT / ".github" / "workflows" / "book.yml").read_text(encoding="utf-8")
    assert f". .venv/bin/activate && {BUILD} -W" in workflow, "CI builds the book with another command than the README's"


def test_ci_runs_the_readme_set_up_and_test_command_exactly():
    (command,) = bash_blocks(section(README, "Test"))
    lines = ci_lines()
    assert command.endswith("python -m pytest")
    assert command in lines, f".ci/run does not run the README command:\n{command}"
    positions = [lines.index(line) for line in VENV]  # ValueError if .ci/run makes its venv another way
    assert positions == sorted(positions) and positions[-1] < lines.index(command), "venv first, then the tests"


def test_book_front_page_gives_the_readme_set_up():
    (commands,) = bash_blocks(section((ROOT / "intro.md").read_text(encoding="utf-8"), "How to run the code"))
    assert commands.splitlines()[:3] == [*VENV, "python -m pip install -r requirements.txt"]


def test_pack_readme_gives_the_same_set_up():
    for student in (True, False):
        (pack_commands,) = bash_blocks(pack_readme("chapters/timeline", student))
        assert [line.split("  #")[0].strip() for line in pack_commands.splitlines()[:2]] == VENV
        assert "python -m pip install -r requirements.txt" in pack_commands and "jupyter lab timeline.ipynb" in pack_commands
    assert "timeline.zip" in pack_readme("chapters/timeline", student=False)  # the instructor pack points at the student one


def test_layout_table_names_folders_that_exist():
    first_cells = re.findall(r"^\| (`.+?) \|", section(README, "Where things are"), re.M)
    paths = [path for cell in first_cells for path in re.findall(r"`([^`]+)`", cell)]
    assert len(paths) >= 9, paths
    assert [path for path in paths if not (ROOT / path).exists()] == []


def test_contributing_commands_name_files_that_exist():
    commands = "\n".join(bash_blocks(CONTRIBUTING))
    assert "python tools/sync_notebooks.py" in commands.splitlines()
    named = set(re.findall(r"(?:tests|tools)/[\w/]+\.py", commands))
    assert len(named) >= 5, named
    assert sorted(path for path in named if not (ROOT / path).is_file()) == []


def test_requirements_are_pinned():
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-e"):
            assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][^\s]*", line), f"not pinned with ==: {line}"
