"""The README's commands are the ones the project really runs, in an order a newcomer can follow."""

from __future__ import annotations

import re

from book_extensions.packs import pack_readme
from support import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
SECTIONS = ["Read", "Build", "Test", "Teach", "Edit", "Publish or fork"]


def section(heading: str) -> str:
    return README.split(f"\n## {heading}\n", 1)[1].split("\n## ", 1)[0]


def bash_blocks(text: str) -> list[str]:
    return [block.strip() for block in re.findall(r"```bash\n(.+?)\n```", text, re.S)]


def ci_lines() -> list[str]:
    return [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]


def test_sections_come_in_a_newcomers_order():
    headings = re.findall(r"^## (.+)$", README, re.M)
    assert [h for h in headings if h in SECTIONS] == SECTIONS, headings


def test_build_starts_with_a_virtual_environment_then_one_command():
    venv, build = bash_blocks(section("Build"))[:2]
    # --upgrade-deps: the pip that comes with Python (23.x on Debian 12) resolves the requirements far slower
    assert venv.splitlines() == ["python3 -m venv --upgrade-deps .venv", ". .venv/bin/activate"]
    assert "py -m venv --upgrade-deps .venv" in section("Build") and r".venv\Scripts\activate" in section("Build")  # Windows
    assert "python3-venv" in section("Build")  # what stock Debian lacks for `python3 -m venv`
    assert build == "python -m pip install -r requirements.txt && jupyter-book build ."
    assert "_build/html/index.html" in section("Build")


def test_ci_runs_the_readme_set_up_and_test_command_exactly():
    venv = bash_blocks(section("Build"))[0].splitlines()
    (command,) = bash_blocks(section("Test"))
    lines = ci_lines()
    assert command.endswith("python -m pytest")
    assert command in lines, f".ci/run does not run the README command:\n{command}"
    positions = [lines.index(line) for line in venv]
    assert positions == sorted(positions) and positions[-1] < lines.index(command), "venv first, then the tests"


def test_readme_gives_measured_times_for_the_first_build_and_the_tests():
    assert re.search(r"first run took about\s+[\d½]+ minutes", section("Build"))
    assert re.search(r"tests took about\s+\d+ minutes", section("Test"))


def test_fast_edit_command_is_documented():
    assert "python tools/sync_notebooks.py" in bash_blocks(section("Edit"))
    assert (ROOT / "tools" / "sync_notebooks.py").is_file()


def test_pack_readme_gives_the_same_set_up():
    venv = bash_blocks(section("Build"))[0].splitlines()
    for student in (True, False):
        (pack_commands,) = bash_blocks(pack_readme("chapters/timeline", student))
        assert [line.split("  #")[0].strip() for line in pack_commands.splitlines()[:2]] == venv
        assert "python -m pip install -r requirements.txt" in pack_commands and "jupyter lab timeline.ipynb" in pack_commands
    assert "timeline.zip" in pack_readme("chapters/timeline", student=False)  # the instructor pack points at the student one


def test_requirements_are_pinned():
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-e"):
            assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][^\s]*", line), f"not pinned with ==: {line}"
