"""Fetch the course data from the published repository when no local copy exists.

In Colab (or any Jupyter outside a clone) the chapter's set-up cell installs
this package from the repository, but ``data/`` does not come with it. The
loader then downloads the data package once, from the same commit the
package was installed from when pip recorded it (``direct_url.json``),
otherwise from ``main``, into a cache folder, and says so in the notebook.

``$NATO_RUSSIA_DATA_URL`` replaces the address (the tests point it at a
server on 127.0.0.1; a class can point it at a mirror).

The download ends within :data:`DEADLINE_SECONDS` in all (a server that
sends a byte every few seconds would otherwise hold a student for as long as
it likes, since a socket's timeout limits each read only). The files land in
a staging folder and are validated like any local data before they become
the cache, so a captive portal's login page saved as ``events.csv`` is
refused, not cached; a cut connection or a refused file leaves nothing
behind. This stays on the standard library rather than pooch: pooch checks
files against hashes known in advance, which a download from a moving
branch cannot have, and its requests-based download has the same per-read
timeout, so it would add a dependency without removing any of this code.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import os
import shutil
import tempfile
import time
import urllib.error
import urllib.request
from importlib import metadata
from pathlib import Path

DATA_URL_ENV_VAR = "NATO_RUSSIA_DATA_URL"
REPOSITORY = "nato-russia-course/nato-russia-1991-2010"
DEFAULT_REF = "main"
DISTRIBUTION = "nato-russia-course"
BIBLIOGRAPHY = "references.bib"
MAP_OUTLINES = "geo/europe_countries.geojson"  # read by nato_russia.maps
TIMEOUT_SECONDS = 30  # for any one read
DEADLINE_SECONDS = 120  # for the whole download
CHUNK = 64 * 1024
VALIDATED = ".validated"  # in a cache folder whose files passed validation


class DataUnavailableError(FileNotFoundError):
    """No local data folder, and the published one could not be fetched."""


def installed_ref() -> str:
    """The commit pip installed this package from, if it came from git; else ``main``."""
    try:
        direct_url = metadata.distribution(DISTRIBUTION).read_text("direct_url.json")
    except metadata.PackageNotFoundError:
        return DEFAULT_REF
    info = json.loads(direct_url or "{}").get("vcs_info", {})
    return info.get("commit_id") or info.get("requested_revision") or DEFAULT_REF


def data_url() -> str:
    """Base address of the published ``data/`` folder, ending in ``/``."""
    configured = os.environ.get(DATA_URL_ENV_VAR)
    url = configured or f"https://raw.githubusercontent.com/{REPOSITORY}/{installed_ref()}/data/"
    return url if url.endswith("/") else url + "/"


def cache_dir(url: str) -> Path:
    """One cache folder per address, so two versions never mix."""
    root = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "nato-russia-course"
    return root / hashlib.sha256(url.encode()).hexdigest()[:16] / "data"


def _get(url: str, deadline: float) -> bytes:
    """The file at ``url``, read in chunks; ``TimeoutError`` once ``deadline`` (a monotonic time) has passed."""
    def remaining() -> float:
        left = deadline - time.monotonic()
        if left <= 0:
            raise TimeoutError(f"no complete answer within {DEADLINE_SECONDS} s")
        return left

    chunks = []
    # A read waits at most the socket's timeout, so the deadline is overshot by no more than that.
    with urllib.request.urlopen(url, timeout=min(TIMEOUT_SECONDS, remaining())) as response:  # noqa: S310 (fixed https or configured URL)
        while remaining():
            chunk = response.read1(CHUNK)
            if not chunk:
                if response.length:  # the server promised more bytes than came (read1 does not say so itself)
                    raise http.client.IncompleteRead(b"".join(chunks), response.length)
                return b"".join(chunks)
            chunks.append(chunk)


def fetch_data(url: str | None = None) -> Path:
    """Download ``datapackage.json``, every table it lists, the bibliography and the map outlines."""
    url = url or data_url()
    target = cache_dir(url)
    if (target / VALIDATED).is_file():
        return target
    print(f"nato_russia: no local data/ folder, so the course data are being downloaded once from {url} "
          f"into {target}.")
    staging = Path(tempfile.mkdtemp(prefix="nato-russia-data-"))
    try:
        _download(url, staging)
        _check(staging, url)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.rmtree(target, ignore_errors=True)
        (staging / VALIDATED).write_text(url + "\n", encoding="utf-8")
        shutil.move(str(staging), target)  # complete, valid folders only: a failed download leaves no half copy
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def _download(url: str, staging: Path) -> None:
    deadline = time.monotonic() + DEADLINE_SECONDS
    try:
        descriptor = _get(url + "datapackage.json", deadline)
        (staging / "datapackage.json").write_bytes(descriptor)
        names = [resource["path"] for resource in json.loads(descriptor)["resources"]] + [BIBLIOGRAPHY, MAP_OUTLINES]
        for name in names:
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_bytes(_get(url + name, deadline))
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError, KeyError, TypeError) as error:
        # HTTPException: IncompleteRead when the connection is cut mid-file; OSError includes TimeoutError.
        reason = f"{type(error).__name__}: {error}" if isinstance(error, http.client.HTTPException) else error
        raise DataUnavailableError(
            f"The course data are not on this machine and could not be downloaded from {url} ({reason}). "
            "Check the internet connection, clone the course repository, or point $NATO_RUSSIA_DATA "
            f"at a data/ folder (or ${DATA_URL_ENV_VAR} at a copy of it)."
        ) from error


def _check(staging: Path, url: str) -> None:
    """The downloaded files must be valid course data (a captive portal answers with its own page)."""
    from .data import validate_all

    problems = [problem for found in validate_all(staging).values() for problem in found]
    if problems:
        raise DataUnavailableError(
            f"The files downloaded from {url} are not valid course data, so nothing was kept "
            f"(a network's login page, or an incomplete copy?). First problem: {problems[0]}. "
            "Log in to the network or try again later; or clone the course repository, or point "
            "$NATO_RUSSIA_DATA at a data/ folder."
        )
