"""The execution cache survives a failed build and a damaged entry (``book_extensions/execution_cache.py``).

Each test builds a copy of the book reduced to one small page that loads the
events (``PROBE_PAGE``): what is tested is the build's handling of its
cache, not a chapter's work.
"""

from __future__ import annotations

from pathlib import Path

from support import build_book, copy_repository
from test_build import PROBE_PAGE

EXECUTED = "freshness_probe.md: Executed notebook"
CACHED = "Using cached notebook"


def probe_book(tmp_path: Path) -> tuple[Path, dict]:
    source = copy_repository(tmp_path / "book", "*.ipynb", "tests", "benchmarks")
    (source / "chapters" / "freshness_probe.md").write_text(PROBE_PAGE, encoding="utf-8")
    (source / "_toc.yml").write_text("format: jb-book\nroot: chapters/freshness_probe\n", encoding="utf-8")
    return source, {"NATO_RUSSIA_DATA": str(source / "data")}


def cache_folders(output: Path) -> list[Path]:
    return sorted(p for p in (output / "_build" / ".jupyter_cache").iterdir() if p.is_dir())


def test_a_build_stopped_by_a_typo_keeps_the_last_good_cache(tmp_path):
    source, env = probe_book(tmp_path)
    first = build_book(source, tmp_path / "out", extra_env=env)
    assert first.returncode == 0 and EXECUTED in first.log, first.log[-3000:]
    good = cache_folders(tmp_path / "out")
    events = source / "data" / "events.csv"
    original = events.read_bytes()
    events.write_bytes(original.replace(b",summit,", b",sumit,", 1))  # the typo

    failed = build_book(source, tmp_path / "out", extra_env=env, full=False)
    assert failed.returncode == 2 and "'sumit'" in failed.log, failed.log[-3000:]
    assert cache_folders(tmp_path / "out") == good, "the failed build removed the last good cache"

    events.write_bytes(original)  # the typo fixed
    fixed = build_book(source, tmp_path / "out", extra_env=env, full=False)
    assert fixed.returncode == 0, fixed.log[-3000:]
    assert "Executed notebook" not in fixed.log and CACHED in fixed.log, fixed.log[-3000:]


def test_an_unreadable_cached_notebook_is_removed_and_its_page_runs_again(tmp_path):
    source, env = probe_book(tmp_path)
    assert build_book(source, tmp_path / "out", extra_env=env).returncode == 0
    (executed,) = cache_folders(tmp_path / "out")[0].glob("executed/*/base.ipynb")
    executed.write_bytes(executed.read_bytes()[:200])  # cut off, as by a full disk or a killed process

    rebuild = build_book(source, tmp_path / "out", extra_env=env)

    assert rebuild.returncode == 0, rebuild.log[-3000:]
    assert "could not be read; removed, so its chapter runs again" in rebuild.log, rebuild.log[-3000:]
    assert EXECUTED in rebuild.log, rebuild.log[-3000:]


def test_a_damaged_cache_database_stops_the_build_with_the_folder_to_delete(tmp_path):
    source, env = probe_book(tmp_path)
    assert build_book(source, tmp_path / "out", extra_env=env).returncode == 0
    folder = cache_folders(tmp_path / "out")[0]
    (folder / "global.db").write_bytes(b"not a database" * 100)

    rebuild = build_book(source, tmp_path / "out", extra_env=env)

    assert rebuild.returncode == 2, rebuild.log[-3000:]
    assert f"Delete the folder {folder} and build again" in rebuild.log, rebuild.log[-3000:]
    for noise in ("Traceback", "please report", "Exception occurred", "There was an error in building"):
        assert noise not in rebuild.log, rebuild.log[-3000:]
