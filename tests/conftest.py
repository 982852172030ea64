"""Shared fixtures: one real book build per edition and session, fresh environments, a web server, Chromium.

The slow preparations (the two book builds, the fresh virtual environments
for Binder and the seminar packs) start together, in the background, when
the first test starts, and only those that the selected tests need. Tests
that need none of them run first, while the preparations proceed; each
fixture below then waits for its own. The two editions share one execution
cache: the student build starts when the instructor build has finished, and
executes nothing the instructor build already ran. nbval runs the chapters
in the Binder venv's kernels, each in Colab's layout, and that one run
serves the Binder and Colab tests too. The browser visits that several
tests share (``tests/page_visits.py``) are queued at the start as well, and
begin on each edition as soon as its build is served.
"""

from __future__ import annotations

import atexit
import functools
import http.server
import io
import json
import signal
import subprocess
import sys
import threading
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from nbval.plugin import IPyNbCell

from book_extensions.execution_cache import EXECUTION_CACHE_ENV_VAR
from book_extensions.toc import toc_files, toc_notebooks
from colab_runner import ColabLayout
from hostile_data import make_hostile
from support import (CHROMIUM_ARGS, ROOT, Build, BuildJob, JobAfter, VenvJob, chromium_path, copy_repository,
                     pack_pages)

# CPU priority of the background jobs (Linux `nice` increments). The instructor build is
# the longest path (its pages are visited after it, the student build and its visits too),
# so it runs at the tests' own priority; then the student build, Binder's venv (nbval's
# kernels) and the packs.
NICENESS = {"instructor": 0, "student": 1, "binder": 4, "hostile": 5, "packs": 6}
# Fixture name -> order in which its tests run (tests needing none of these run first);
# the notebooks (nbval) run between those and the rest when their kernels are Binder's.
NOTEBOOK_STAGE = 0.5
BINDER_KERNEL = "course-binder"
# The builds' $SOURCE_DATE_EPOCH: the date of every seminar pack's zip entries, so that a pack
# made by the tests (``build_pack``) is byte for byte the one a build wrote.
PACK_EPOCH = 1_767_225_600  # 1 January 2026, 00:00 UTC
SLOW_FIXTURES = {"built_book": 1, "site": 1, "page_visits": 1, "student_book": 2, "student_visits": 2, "seminar_pack_runs": 3, "colab_runs": 3,
                 "hostile_site": 3, "binder_environment": 4}


@dataclass
class PackRuns:
    """The student edition's seminar packs, unzipped outside the repository, each run in a fresh venv.

    Packs asking for the same requirements share one venv (``jobs``, keyed by
    the requirements' text); each job installs them and runs its packs'
    notebooks. The zips are made with ``build_pack``, which the build uses
    too: the test checks that they are byte for byte the built ones.
    """

    zips: dict[str, bytes]
    folder: Path
    jobs: dict[str, VenvJob] = field(default_factory=dict)


def _stage(item, binder: bool) -> float:
    if binder and isinstance(item, IPyNbCell):
        return NOTEBOOK_STAGE  # their kernels come from the Binder venv (root conftest.py)
    return max((SLOW_FIXTURES.get(name, 0) for name in getattr(item, "fixturenames", ())), default=0)


def pytest_collection_modifyitems(session, config, items):
    """Tests that wait for nothing first; then by the preparation they need (a stable sort keeps file order)."""
    binder = any("binder_environment" in getattr(item, "fixturenames", ()) for item in items)
    items.sort(key=lambda item: _stage(item, binder))


class Preparations:
    """The background jobs of this session, started on first use of :func:`preparations`."""

    def __init__(self, tmp_path_factory, needed: set[str], config):
        self.jobs, self.pack_runs, self.colab_layout = {}, None, None
        cache = tmp_path_factory.mktemp("execution-cache")  # shared by the two editions
        if needed & {"built_book", "site"}:
            self.jobs["instructor"] = self._build(tmp_path_factory, "instructor", cache)
        if "student_book" in needed or "seminar_pack_runs" in needed:
            first = self.jobs.get("instructor")
            start = functools.partial(self._build, tmp_path_factory, "student", cache)
            self.jobs["student"] = JobAfter(first, start) if first else start()
        if "hostile_site" in needed:
            self.jobs["hostile"] = self._hostile_build(tmp_path_factory)
        if "seminar_pack_runs" in needed:
            self.pack_runs = self._pack_runs(tmp_path_factory)
            self.jobs.update({f"packs {number}": job for number, job in enumerate(self.pack_runs.jobs.values())})
        self.sites = {edition: ServedSite(self.jobs[edition]) for edition in ("instructor", "student", "hostile") if edition in self.jobs}
        self.visits = self._page_visits(needed)
        if "binder_environment" in needed:
            self.jobs["binder"] = self._binder_venv(tmp_path_factory)
            # nbval's kernels (root conftest.py): the Binder venv's, each started in Colab's layout
            config.course_notebook_kernel = self.binder_kernel
            self.colab_layout = config.course_colab_layout = ColabLayout(tmp_path_factory.mktemp("colab"))
        atexit.register(self.stop)  # also when pytest is interrupted before the fixture's teardown
        # The jobs run in process groups of their own, which a SIGTERM to pytest (a CI timeout,
        # `kill`) would leave running: stop them first, then end as that signal would.
        signal.signal(signal.SIGTERM, self._stop_and_exit)

    def _page_visits(self, needed: set[str]):
        """The visits the selected tests need, queued now: each edition's as soon as it is served."""
        from page_visits import DEVICES, FIGURE_PAGES, PageVisits
        from test_accessibility import AXE

        wanted = []
        if "page_visits" in needed:  # every page on a desktop; the chapters (the pages with figures) on a phone too
            wanted += [("instructor", name, "desktop") for name in toc_files(ROOT)]
            wanted += [("instructor", name, "phone") for name in FIGURE_PAGES]
        if "student_visits" in needed:
            wanted += [("student", name, device) for name in FIGURE_PAGES for device in DEVICES]
        if not wanted:
            return None
        axe_on = [key for key in wanted if key[0] == "instructor" and key[2] == "desktop"]  # what test_accessibility asserts on
        return PageVisits({edition: site.url for edition, site in self.sites.items()}, wanted,
                          axe_script=AXE if AXE.is_file() else None, axe_on=axe_on)

    @staticmethod
    def _build(tmp_path_factory, edition: str, cache: Path) -> BuildJob:
        return BuildJob(ROOT, tmp_path_factory.mktemp(edition), nice=NICENESS[edition],
                        extra_env={"BOOK_EDITION": edition, EXECUTION_CACHE_ENV_VAR: str(cache),
                                   "SOURCE_DATE_EPOCH": str(PACK_EPOCH)})

    @staticmethod
    def _hostile_build(tmp_path_factory) -> BuildJob:
        """The instructor edition built from a copy whose data carry markup in every text (tests/hostile_data.py)."""
        folder = tmp_path_factory.mktemp("hostile")
        source = copy_repository(folder / "book", "*.ipynb")
        make_hostile(source / "data")
        return BuildJob(source, folder / "out", nice=NICENESS["hostile"], extra_env={"NATO_RUSSIA_DATA": str(source / "data")})

    @staticmethod
    def _pack_runs(tmp_path_factory) -> PackRuns:
        from book_extensions.packs import build_pack, pack_name

        runs = PackRuns({}, tmp_path_factory.mktemp("unzipped-packs"))
        by_requirements: dict[str, list[Path]] = {}
        for page in pack_pages(ROOT):
            docname = page.relative_to(ROOT).with_suffix("").as_posix()
            name = pack_name(docname, student=True)
            runs.zips[name] = build_pack(ROOT, docname, student=True, epoch=PACK_EPOCH)
            with zipfile.ZipFile(io.BytesIO(runs.zips[name])) as archive:
                archive.extractall(runs.folder)
            requirements = (runs.folder / name / "requirements.txt").read_text(encoding="utf-8")
            by_requirements.setdefault(requirements, []).append(runs.folder / name / f"{page.stem}.ipynb")
        for number, (requirements, notebooks) in enumerate(by_requirements.items()):
            venv = tmp_path_factory.mktemp(f"pack-env-{number}") / "venv"
            runs.jobs[requirements] = VenvJob(venv, notebooks[0].parent / "requirements.txt", cwd=runs.folder,
                                              nice=NICENESS["packs"], then_run=notebooks)
        return runs

    @staticmethod
    def _binder_venv(tmp_path_factory) -> VenvJob:
        """What Binder does: a copy of the repository and a venv from its requirements.txt alone (``-e .``
        included), with a kernelspec, ``BINDER_KERNEL``: nbval runs every notebook in that venv's kernels
        (see the root conftest.py), and ``test_binder.py`` checks that it did."""
        folder = tmp_path_factory.mktemp("binder")
        repo = copy_repository(folder / "repo", "*.ipynb")
        return VenvJob(folder / "venv", repo / "requirements.txt", cwd=repo, nice=NICENESS["binder"], kernel=BINDER_KERNEL)

    def binder_kernel(self):
        """For nbval (root conftest.py): wait for the Binder venv; its kernel's name, kernelspec folder, variables."""
        job = _installed(self.jobs["binder"])
        return job.kernel, job.jupyter_path, job.env()

    def stop(self) -> None:
        if self.visits is not None:
            self.visits.close()
            self.visits = None
        for job in self.jobs.values():
            job.stop()
        for site in self.sites.values():
            site.close()
        if self.colab_layout is not None:
            self.colab_layout.close()
            self.colab_layout = None

    def _stop_and_exit(self, signum, frame) -> None:
        self.stop()
        sys.exit(128 + signum)


@pytest.fixture(scope="session", autouse=True)
def preparations(request, tmp_path_factory):
    needed = {name for item in request.session.items for name in getattr(item, "fixturenames", ())}
    started = Preparations(tmp_path_factory, needed & set(SLOW_FIXTURES), request.config)
    yield started
    started.stop()


def _built(preparations, edition: str) -> Build:
    build = preparations.jobs[edition].result()
    if build.returncode != 0:
        pytest.fail(f"jupyter-book build of the {edition} edition failed (exit {build.returncode}):\n{build.log[-6000:]}")
    return build


@pytest.fixture(scope="session")
def built_book(preparations) -> Build:
    """The book (instructor edition) built once per session from the repository, into a temp dir."""
    return _built(preparations, "instructor")


@pytest.fixture(scope="session")
def student_book(preparations) -> Build:
    """The student edition (``BOOK_EDITION=student``), built once per session."""
    return _built(preparations, "student")


def _installed(job: VenvJob) -> VenvJob:
    returncode, log = job.wait()
    if returncode != 0:
        pytest.fail(f"{job.venv} from {job.requirements} (and what ran there) failed (exit {returncode}):\n{log[-5000:]}")
    return job


@pytest.fixture(scope="session")
def seminar_pack_runs(preparations) -> PackRuns:
    """Every student pack unzipped outside the repository and run in a fresh venv of its own requirements."""
    for job in preparations.pack_runs.jobs.values():
        _installed(job)
    return preparations.pack_runs


@pytest.fixture(scope="session")
def colab_runs(request, binder_environment) -> dict[str, dict]:
    """Every notebook of the table of contents run as in Colab, in the Binder venv's kernels, by chapter path.

    nbval ran them so (root conftest.py); any chapter it did not run in this
    session (a run of selected tests) is run now by ``tests/colab_runner.py``.
    """
    runs = request.config.course_colab_runs
    missing = [source for source in toc_notebooks(ROOT) if str(source.resolve()) not in runs]
    if missing:
        results = binder_environment.venv.parent / "colab-runs.jsonl"
        env = binder_environment.env(JUPYTER_PATH=str(binder_environment.jupyter_path))
        command = [sys.executable, str(ROOT / "tests" / "colab_runner.py"), str(results), binder_environment.kernel,
                   *map(str, missing)]
        result = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
        if result.returncode != 0:
            pytest.fail(f"tests/colab_runner.py failed (exit {result.returncode}):\n{result.stderr[-5000:]}")
        runs.update((run["notebook"], run) for run in map(json.loads, results.read_text(encoding="utf-8").splitlines()))
    return runs


@pytest.fixture(scope="session")
def binder_environment(preparations) -> VenvJob:
    """A copy of the repository and a fresh venv from its requirements.txt, as Binder builds it; every notebook ran."""
    return _installed(preparations.jobs["binder"])


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


class ServedSite:
    """An edition's built HTML, served on 127.0.0.1 (a random free port) once its build has finished."""

    def __init__(self, job):
        self.job, self._lock, self._server, self._url = job, threading.Lock(), None, None

    def url(self) -> str:
        """The site's address; waits for the build (raises if it failed: ``built_book`` says why)."""
        with self._lock:
            if self._url is None:
                build = self.job.result()
                if build.returncode != 0:
                    raise RuntimeError(f"the book build failed (exit {build.returncode}), so there is no site to visit")
                handler = functools.partial(_QuietHandler, directory=str(build.html))
                self._server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
                threading.Thread(target=self._server.serve_forever, daemon=True).start()
                self._url = f"http://127.0.0.1:{self._server.server_address[1]}"
            return self._url

    def close(self) -> None:
        if self._server is not None:
            self._server.shutdown()


@pytest.fixture(scope="session")
def site(built_book, preparations) -> str:
    """The built HTML served on 127.0.0.1 (a random free port)."""
    return preparations.sites["instructor"].url()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def page_visits(site, preparations):
    """The instructor edition's pages, visited once per screen in the background (``tests/page_visits.py``)."""
    return preparations.visits.of("instructor")


@pytest.fixture(scope="session")
def student_site(student_book, preparations) -> str:
    """The student edition served like ``site``."""
    return preparations.sites["student"].url()


@pytest.fixture(scope="session")
def hostile_site(preparations) -> tuple[str, Build]:
    """The book built from data whose every text carries markup (``tests/hostile_data.py``), served; and its build."""
    build = _built(preparations, "hostile")
    return preparations.sites["hostile"].url(), build


@pytest.fixture(scope="session")
def student_visits(student_site, preparations):
    """The student edition's chapters, visited once per screen in the background."""
    return preparations.visits.of("student")
