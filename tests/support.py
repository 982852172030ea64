"""Helpers shared by the tests: building the book, listing its pages, finding Chromium."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ENV_VAR = "CHROMIUM_PATH"
CHROMIUM_DEFAULT = "/usr/bin/chromium"
# The flags a sandboxed root user and a closed network need (Chromium otherwise
# phones home for updates and safe-browsing lists, which would count as
# non-local requests).
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]


@dataclass
class Build:
    """The outcome of ``jupyter-book build``: exit code, log and folders."""

    returncode: int
    log: str
    build_dir: Path

    @property
    def html(self) -> Path:
        return self.build_dir / "html"

    @property
    def executed(self) -> Path:
        return self.build_dir / "jupyter_execute"


def build_book(source: Path, output: Path, extra_env: dict | None = None, full: bool = True) -> Build:
    """Build the book like CI: warnings are errors, nitpicky, report every warning."""
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(source), "--path-output", str(output),
               "-W", "-n", "--keep-going"]
    if full:
        command.append("--all")
    env = {**os.environ, **(extra_env or {})}
    result = subprocess.run(command, capture_output=True, text=True, env=env, cwd=source)
    return Build(result.returncode, result.stdout + result.stderr, output / "_build")


def html_pages(html_dir: Path) -> list[Path]:
    """The book's own pages (not search, genindex or vendored files)."""
    skip = {"search.html", "genindex.html"}
    return sorted(p for p in html_dir.rglob("*.html") if p.name not in skip and not p.relative_to(html_dir).parts[0].startswith("_"))


def chromium_path() -> str:
    path = os.environ.get(CHROMIUM_ENV_VAR) or shutil.which("chromium") or CHROMIUM_DEFAULT
    if not Path(path).exists():
        pytest.fail(
            f"Chromium not found at {path}. Install Debian's browser with "
            "`sudo apt-get install -y chromium` (or set $CHROMIUM_PATH to a Chromium binary); "
            "the browser tests never skip."
        )
    return path
