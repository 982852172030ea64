"""Shared fixtures: one real book build per edition and session, fresh environments, a web server, Chromium.

The slow preparations (the two book builds, the fresh virtual environments
for Binder and the seminar packs) start together, in the background, when
the first test starts, and only those that the selected tests need. Tests
that need none of them run first, while the preparations proceed; each
fixture below then waits for its own.
"""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from book_extensions.toc import toc_notebooks
from support import CHROMIUM_ARGS, ROOT, Build, BuildJob, VenvJob, chromium_path, copy_repository

BACKGROUND_NICENESS = 5
# Fixture name -> order in which its tests run (tests needing none of these run first).
SLOW_FIXTURES = {"built_book": 1, "site": 1, "student_book": 2, "pack_environment": 3, "binder_environment": 4}


def _stage(item) -> int:
    return max((SLOW_FIXTURES.get(name, 0) for name in getattr(item, "fixturenames", ())), default=0)


def pytest_collection_modifyitems(session, config, items):
    """Tests that wait for nothing first; then by the preparation they need (a stable sort keeps file order)."""
    items.sort(key=_stage)


class Preparations:
    """The background jobs of this session, started on first use of :func:`preparations`."""

    def __init__(self, tmp_path_factory, needed: set[str]):
        self.jobs = {}
        if needed & {"built_book", "site"}:
            self.jobs["instructor"] = self._build(tmp_path_factory, "instructor")
        if "student_book" in needed:
            self.jobs["student"] = self._build(tmp_path_factory, "student")
        if "pack_environment" in needed:
            self.jobs["pack"] = self._pack_venv(tmp_path_factory)
        if "binder_environment" in needed:
            self.jobs["binder"] = self._binder_venv(tmp_path_factory)

    @staticmethod
    def _build(tmp_path_factory, edition: str) -> BuildJob:
        return BuildJob(ROOT, tmp_path_factory.mktemp(edition), extra_env={"BOOK_EDITION": edition},
                        nice=BACKGROUND_NICENESS)

    @staticmethod
    def _pack_venv(tmp_path_factory) -> VenvJob:
        """A venv with exactly what a seminar pack's requirements.txt lists (checked in the test)."""
        import jupytext

        from book_extensions.pack_requirements import notebook_code, pack_requirements

        folder = tmp_path_factory.mktemp("pack-env")
        requirements = folder / "requirements.txt"
        requirements.write_text(pack_requirements(ROOT, notebook_code(jupytext.read(ROOT / "chapters" / "timeline.md"))),
                                encoding="utf-8")
        return VenvJob(folder / "venv", requirements, cwd=folder, nice=BACKGROUND_NICENESS)

    @staticmethod
    def _binder_venv(tmp_path_factory) -> VenvJob:
        """What Binder does: a copy of the repository, a venv from its requirements.txt alone (``-e .``
        included), then every notebook of the table of contents run there, from its own folder."""
        folder = tmp_path_factory.mktemp("binder")
        repo = copy_repository(folder / "repo", "*.ipynb")
        notebooks = [path.relative_to(repo) for path in toc_notebooks(repo)]
        return VenvJob(folder / "venv", repo / "requirements.txt", cwd=repo, nice=BACKGROUND_NICENESS, then_run=notebooks)

    def stop(self) -> None:
        for job in self.jobs.values():
            job.stop()


@pytest.fixture(scope="session", autouse=True)
def preparations(request, tmp_path_factory):
    needed = {name for item in request.session.items for name in getattr(item, "fixturenames", ())}
    started = Preparations(tmp_path_factory, needed & set(SLOW_FIXTURES))
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
def pack_environment(preparations) -> VenvJob:
    """A fresh venv holding only what a seminar pack's requirements.txt lists."""
    return _installed(preparations.jobs["pack"])


@pytest.fixture(scope="session")
def binder_environment(preparations) -> VenvJob:
    """A copy of the repository and a fresh venv from its requirements.txt, as Binder builds it; every notebook ran."""
    return _installed(preparations.jobs["binder"])


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output readable
        pass


@pytest.fixture(scope="session")
def site(built_book):
    """The built HTML served on 127.0.0.1 (a random free port)."""
    handler = functools.partial(_QuietHandler, directory=str(built_book.html))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
