"""Downloading the data where there is no ``data/`` (Colab) ends in time, cleanly, and never caches a wrong page.

A small server on 127.0.0.1 plays the published repository, badly: it
drips a byte at a time, cuts the connection mid-file, or answers every
address with a network's login page. Each time the student gets the
course's "could not be downloaded" message within the deadline, and no
staging folder or cached copy is left behind; once the network is back,
the download works.
"""

from __future__ import annotations

import http.server
import shutil
import tempfile
import threading
import time
from pathlib import Path

import pytest

from nato_russia import data_dir, load_events, remote
from nato_russia.remote import DataUnavailableError, fetch_data

DATA = data_dir()
LOGIN_PAGE = b"<!DOCTYPE html><html><body><form>Log in to the campus network</form></body></html>\n"


class Behaviour:
    mode = "good"


def _handler(behaviour: Behaviour):
    class Handler(http.server.BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def do_GET(self):  # noqa: N802 (http.server's name)
            name = self.path.split("/data/", 1)[-1]
            portal = behaviour.mode == "portal" and name == "events.csv"  # as the issue saw it: one file swapped
            body = LOGIN_PAGE if portal else (DATA / name).read_bytes()
            self.send_response(200)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if behaviour.mode == "drip":
                for byte in body[:50]:
                    self.wfile.write(bytes([byte]))
                    self.wfile.flush()
                    time.sleep(0.2)
            elif behaviour.mode == "cut":
                self.wfile.write(body[: len(body) // 2])  # then the connection closes
            else:
                self.wfile.write(body)

    return Handler


@pytest.fixture
def server():
    behaviour = Behaviour()
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _handler(behaviour))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield behaviour, f"http://127.0.0.1:{httpd.server_address[1]}/data/"
    httpd.shutdown()


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    return tmp_path


def _left_behind(cache_home: Path) -> list[Path]:
    return [p for p in (cache_home / "tmp").iterdir()] + list((cache_home / "cache").rglob("datapackage.json"))


def refused(server, cache_home, mode: str, message: str) -> None:
    """Fetching from a server in ``mode`` fails with ``message`` and leaves no staging folder or cache behind."""
    behaviour, url = server
    behaviour.mode = mode
    with pytest.raises(DataUnavailableError, match=message):
        fetch_data(url)
    assert not _left_behind(cache_home)


def test_a_server_that_drips_is_given_up_on_at_the_deadline(server, cache_home, monkeypatch):
    monkeypatch.setattr(remote, "DEADLINE_SECONDS", 2)
    started = time.monotonic()
    refused(server, cache_home, "drip", "could not be downloaded from .*no complete answer within 2 s")
    assert time.monotonic() - started < 5


def test_a_connection_cut_mid_file_is_the_usual_message_and_leaves_nothing(server, cache_home):
    refused(server, cache_home, "cut", "could not be downloaded from .*IncompleteRead")


def test_a_login_page_is_refused_not_cached_and_the_network_back_works(server, cache_home):
    refused(server, cache_home, "portal", "not valid course data, so nothing was kept")
    behaviour, url = server
    behaviour.mode = "good"
    folder = fetch_data(url)
    assert len(load_events(folder)) == len(load_events(DATA))
    shutil.rmtree(folder.parent)
