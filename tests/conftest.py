"""Shared fixtures: one real book build per session, a local web server, Chromium."""

from __future__ import annotations

import functools
import http.server
import threading

import pytest

from support import CHROMIUM_ARGS, ROOT, Build, build_book, chromium_path


def _build_or_fail(output, edition: str) -> Build:
    build = build_book(ROOT, output, extra_env={"BOOK_EDITION": edition})
    if build.returncode != 0:
        pytest.fail(f"jupyter-book build of the {edition} edition failed (exit {build.returncode}):\n{build.log[-6000:]}")
    return build


@pytest.fixture(scope="session")
def built_book(tmp_path_factory) -> Build:
    """The book (instructor edition) built once per session from the repository, into a temp dir."""
    return _build_or_fail(tmp_path_factory.mktemp("book"), "instructor")


@pytest.fixture(scope="session")
def student_book(tmp_path_factory) -> Build:
    """The student edition (``BOOK_EDITION=student``), built once per session."""
    return _build_or_fail(tmp_path_factory.mktemp("student"), "student")


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
