"""README's two commands are the ones the project really runs."""

from __future__ import annotations

import re

from support import ROOT


def readme_command(heading: str) -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split(f"## {heading}", 1)[1]
    return re.search(r"```bash\n(.+?)\n```", section, re.S).group(1).strip()


def test_ci_runs_exactly_the_readme_test_command():
    command = readme_command("Run the whole test suite (one command)")
    ci_lines = [line.strip() for line in (ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()]
    assert command in ci_lines, f".ci/run does not run the README command:\n{command}"
    assert command.endswith("python -m pytest")


def test_readme_build_command_installs_and_builds():
    command = readme_command("Build the book (one command)")
    assert command == "python -m pip install -r requirements.txt && jupyter-book build ."
    assert "_build/html/index.html" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_requirements_are_pinned():
    for line in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-e"):
            assert re.fullmatch(r"[A-Za-z0-9_.\-\[\]]+==[0-9][^\s]*", line), f"not pinned with ==: {line}"
