"""Helpers shared by the tests: building the book, fresh environments, listing pages, finding Chromium."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM_ENV_VAR = "CHROMIUM_PATH"
CHROMIUM_DEFAULT = "/usr/bin/chromium"
# The flags a sandboxed root user and a closed network need (Chromium otherwise
# phones home for updates and safe-browsing lists, which would count as
# non-local requests). No host name resolves, so a page's request off the local
# server (127.0.0.1) fails without leaving the machine; the tests record it.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage", "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]


# Variables of this process that must not reach a fresh environment: they would
# point it at this checkout's code or at this process's virtual environment, or (a
# CI machine's PYTHONDONTWRITEBYTECODE) make every kernel compile its imports again.
# A figure's JSON on a built page (book_extensions/plotly_offline.figure_html): its div's id, its spec.
FIGURE_SPEC = re.compile(r'<script type="application/json" id="([^"]+)-spec" class="plotly-spec">(.*?)</script>', re.S)
FOREIGN_ENV_VARS = ("PYTHONPATH", "VIRTUAL_ENV", "NATO_RUSSIA_DATA", "PYTHONHOME", "CONDA_PREFIX", "PYTHONDONTWRITEBYTECODE")


class Job:
    """A command started now and waited for later; its output goes to a log file.

    Long jobs (book builds, fresh environments) start together when the session
    starts so that they overlap with tests that need none of them; ``nice``
    sets their CPU priority (see ``NICENESS`` in ``tests/conftest.py``).
    """

    def __init__(self, command: list[str], log_path: Path, cwd: Path, env: dict, nice: int = 0):
        self.command, self.log_path = command, log_path
        log_path.parent.mkdir(parents=True, exist_ok=True)
        with log_path.open("w", encoding="utf-8") as log:
            # a process group of its own, so that stop() also ends the kernels and pip it started
            self.process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, cwd=cwd, env=env,
                                            start_new_session=True, preexec_fn=(lambda: os.nice(nice)) if nice else None)

    def wait(self) -> tuple[int, str]:
        returncode = self.process.wait()
        return returncode, self.log_path.read_text(encoding="utf-8", errors="replace")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


class JobAfter:
    """A job started only when another has finished: two builds sharing one execution cache must not overlap.

    ``start`` makes (and so starts) the job; ``result``, ``wait`` and ``stop``
    act on it once it exists.
    """

    def __init__(self, first: Job, start: Callable[[], Job]):
        self._job: Job | None = None
        self._stopped = False
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, args=(first, start), daemon=True)
        self._thread.start()

    def _run(self, first: Job, start: Callable[[], Job]) -> None:
        first.process.wait()
        with self._lock:
            if not self._stopped:
                self._job = start()

    def _started(self) -> Job:
        self._thread.join()
        if self._job is None:
            raise RuntimeError("the job was stopped before it started")
        return self._job

    def result(self):
        return self._started().result()

    def wait(self) -> tuple[int, str]:
        return self._started().wait()

    def stop(self) -> None:
        with self._lock:
            self._stopped = True
            if self._job is not None:
                self._job.stop()


# Never part of a copy of the repository: build output, the virtual environment
# the README creates, npm's folder, caches.
NOT_COPIED = ("_build", ".git", ".venv", "node_modules", "*.egg-info", "__pycache__", ".pytest_cache")


def copy_repository(destination: Path, *also_skip: str) -> Path:
    """A copy of the repository's own files at ``destination``."""
    shutil.copytree(ROOT, destination, ignore=shutil.ignore_patterns(*NOT_COPIED, *also_skip))
    return destination


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


def build_command(source: Path, output: Path, full: bool = True, strict: bool = True) -> list[str]:
    """``jupyter-book build`` like CI (``strict``: warnings are errors, nitpicky, report every warning)."""
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(source), "--path-output", str(output)]
    return command + (["-W", "-n", "--keep-going"] if strict else []) + (["--all"] if full else [])


class BuildJob(Job):
    """A book build running in the background."""

    def __init__(self, source: Path, output: Path, extra_env: dict | None = None, full: bool = True, nice: int = 0,
                 strict: bool = True):
        self.output = output
        super().__init__(build_command(source, output, full, strict), output.parent / f"{output.name}-build.log", cwd=source,
                         env={**os.environ, **(extra_env or {})}, nice=nice)

    def result(self) -> Build:
        returncode, log = self.wait()
        return Build(returncode, log, self.output / "_build")


def build_book(source: Path, output: Path, extra_env: dict | None = None, full: bool = True,
               strict: bool = True) -> Build:
    """Build the book and wait for it."""
    return BuildJob(source, output, extra_env, full, strict=strict).result()


def fresh_env(**extra: str) -> dict:
    """This process's environment without anything that would leak into a fresh virtual environment."""
    env = {key: value for key, value in os.environ.items() if key not in FOREIGN_ENV_VARS}
    return {**env, **extra}


UNREACHABLE_DATA_URL = "http://127.0.0.1:9/data/"  # the discard port: any download of the data fails


class VenvJob(Job):
    """``python -m venv --upgrade-deps``, ``pip install -r requirements`` and, optionally, notebooks run there; in the background.

    pip uses its ordinary cache (``~/.cache/pip``, or ``$PIP_CACHE_DIR``), so
    after the first run the packages come from the local cache: a repeat
    install takes well under a minute instead of several. Jupyter's and
    IPython's folders are the job's own, so nothing of this machine's
    configuration takes part. pip does not byte-compile what it installs
    (``--no-compile``): that halves the install's CPU time, and Python
    compiles the modules a notebook imports when it first imports them,
    once (bytecode is written: see ``FOREIGN_ENV_VARS``).
    """

    def __init__(self, venv: Path, requirements: Path, cwd: Path, nice: int = 0, then_run: list[Path] = (),
                 kernel: str | None = None):
        self.venv, self.requirements, self.kernel = venv, requirements, kernel
        steps = [f'"{sys.executable}" -m venv --upgrade-deps "{venv}"',  # as the README makes one: today's pip
                 f'"{self.python}" -m pip install -q --no-compile --disable-pip-version-check -r "{requirements}"']
        if kernel:  # a kernelspec inside the venv (share/jupyter/kernels/NAME), for kernels started from outside
            steps.append(f'"{self.python}" -m ipykernel install --prefix "{venv}" --name "{kernel}"')
        if then_run:
            steps.append(" ".join(f'"{part}"' for part in self.runner_command(then_run)))
        super().__init__(["bash", "-c", " && ".join(steps)], venv.parent / f"{venv.name}.log", cwd=cwd,
                         env=self.env(PIP_NO_INPUT="1"), nice=nice)

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    def runner_command(self, notebooks) -> list[str]:
        """The command that runs ``notebooks`` in this venv's kernel (``NOTEBOOK_RUNNER``; see ``ran_notebooks``)."""
        runner = self.venv.parent / "run_notebooks.py"
        runner.write_text(NOTEBOOK_RUNNER, encoding="utf-8")
        return [str(self.python), str(runner), *map(str, notebooks)]

    @property
    def jupyter_path(self) -> Path:
        """The folder holding the venv's kernelspecs (with ``kernel``)."""
        return self.venv / "share" / "jupyter"

    def env(self, **extra: str) -> dict:
        """For the venv's programs: its bin/ first on PATH, nothing from this checkout or this machine's Jupyter."""
        own = self.venv.parent
        base = fresh_env(JUPYTER_DATA_DIR=str(own / "jupyter-data"), JUPYTER_CONFIG_DIR=str(own / "jupyter-config"),
                         IPYTHONDIR=str(own / "ipython"), NATO_RUSSIA_DATA_URL=UNREACHABLE_DATA_URL, **extra)
        return {**base, "PATH": f"{self.venv / 'bin'}{os.pathsep}{base['PATH']}"}


def pack_pages(root: Path) -> list[Path]:
    """The notebooks whose page asks for a seminar pack."""
    from book_extensions.toc import toc_notebooks

    return [page for page in toc_notebooks(root) if "{seminar-pack}" in page.read_text(encoding="utf-8")]


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


# Runs in a fresh environment's own Python: executes each notebook (MyST .md
# or .ipynb, read by jupytext) in that environment's kernel, from the
# notebook's folder, then reports where Python and the helpers came from.
NOTEBOOK_RUNNER = '''
import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

for name in sys.argv[1:]:
    path = Path(name)
    if path.suffix == ".ipynb":  # a seminar pack's notebook: plain Jupyter, and the pack holds no jupytext
        notebook = nbformat.read(path, as_version=4)
    else:
        import jupytext

        notebook = jupytext.read(path)
    notebook.cells.append(nbformat.v4.new_code_cell(
        "import sys, nato_russia; print(sys.prefix, nato_russia.__file__, sep='\\t')"))
    NotebookClient(notebook, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}).execute()
    printed = "".join(out.get("text", "") for out in notebook.cells[-1].outputs).strip()
    print("RAN", name, printed, sep="\t", flush=True)
'''


def ran_notebooks(output: str) -> dict[str, tuple[str, str]]:
    """Per notebook the runner executed: the kernel's ``sys.prefix`` and the helpers' file."""
    found = {}
    for line in output.splitlines():
        if line.startswith("RAN\t"):
            _, name, prefix, helpers = line.split("\t")
            found[name] = (prefix, helpers)
    return found
