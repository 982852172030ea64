"""Ctrl-C during a build ends it with one plain line and exit code 130, and the next build goes on.

A terminal's Ctrl-C sends SIGINT to the whole foreground process group:
the build and the kernel running a notebook. The test does the same to a
one-page probe book whose cell waits, once the build says it is executing it.
"""

from __future__ import annotations

import os
import signal
import time

from book_extensions.interrupt import INTERRUPTED
from support import BuildJob, build_book
from test_execution_cache import probe_book

WAITING_CELL = 'print(len(load_events()))\nimport time\ntime.sleep(120)'


def test_ctrl_c_while_a_notebook_runs_says_interrupted_and_the_next_build_goes_on(tmp_path):
    source, env = probe_book(tmp_path)
    page = source / "chapters" / "freshness_probe.md"
    original = page.read_text(encoding="utf-8")
    page.write_text(original.replace('print(*load_events()["title"], sep="\\n")', WAITING_CELL), encoding="utf-8")
    job = BuildJob(source, tmp_path / "out", extra_env=env)
    deadline = time.monotonic() + 300
    while "Executing notebook" not in job.log_path.read_text(encoding="utf-8"):
        assert job.process.poll() is None and time.monotonic() < deadline, job.log_path.read_text(encoding="utf-8")[-3000:]
        time.sleep(0.5)
    time.sleep(3)  # the kernel is in the cell
    os.killpg(job.process.pid, signal.SIGINT)  # as a terminal's Ctrl-C: the build and its kernel
    returncode, log = job.wait()

    assert returncode == 130, log[-3000:]
    assert log.rstrip().endswith(INTERRUPTED), log[-3000:]
    for noise in ("Traceback", "please report", "Exception occurred", "There was an error in building"):
        assert noise not in log, log[-3000:]

    page.write_text(original, encoding="utf-8")
    again = build_book(source, tmp_path / "out", extra_env=env, full=False)
    assert again.returncode == 0 and "freshness_probe.md: Executed notebook" in again.log, again.log[-3000:]
