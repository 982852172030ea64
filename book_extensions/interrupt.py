"""Ctrl-C ends a build with one plain line and exit code 130, whether or not a notebook is running.

Without this, Sphinx reports an interrupted build as an exception to report
("please report this bug") and jupyter-book adds a traceback. While a
notebook runs, nbclient puts its own SIGINT handler on its event loop (it
shuts the kernel down, and the notebook then fails with "Kernel died"), and
asyncio puts Python's default handler back afterwards, so a handler of ours
alone would never see a Ctrl-C there. The loop's signal dispatch is
therefore watched while a notebook runs (:func:`during_notebooks`), and the
build stops as soon as the notebook returns. Nothing already built or
cached is removed: the next build goes on where this one stopped.
"""

from __future__ import annotations

import contextlib
import functools
import signal
import threading

from .stop import stop_build

EXIT_CODE = 130  # the shell's code for a command ended by Ctrl-C (128 + SIGINT)
INTERRUPTED = ("The build was interrupted (Ctrl-C). Nothing already built or cached was removed: "
               "run the same command again to go on where it stopped.")
_pressed = threading.Event()


def _stop() -> None:
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a second Ctrl-C while the build winds down changes nothing
    stop_build(INTERRUPTED, "", EXIT_CODE)


def _on_sigint(signum, frame) -> None:
    _pressed.set()
    _stop()


def install() -> None:
    """Outside notebooks: Ctrl-C stops the build with :data:`INTERRUPTED` (only where nobody else handles it)."""
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _on_sigint)


@contextlib.contextmanager
def _watching_the_event_loop():
    """Note a SIGINT that asyncio dispatches to nbclient's handler (a private method: skipped where absent)."""
    try:
        from asyncio.unix_events import _UnixSelectorEventLoop as Loop

        dispatch = Loop._handle_signal
    except (ImportError, AttributeError):
        yield
        return

    def noting(loop, sig):
        if sig == signal.SIGINT:
            _pressed.set()
        return dispatch(loop, sig)

    Loop._handle_signal = noting
    try:
        yield
    finally:
        Loop._handle_signal = dispatch


def during_notebooks(execute):
    """``execute`` (myst-nb's notebook runner), stopping the build once it returns if Ctrl-C was pressed."""

    @functools.wraps(execute)
    def run(*args, **kwargs):
        try:
            with _watching_the_event_loop():
                return execute(*args, **kwargs)
        finally:
            install()  # asyncio put the default handler back when nbclient removed its own
            if _pressed.is_set():
                _stop()

    return run
