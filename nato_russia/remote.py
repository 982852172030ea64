"""Fetch the course data from the published repository when no local copy exists.

In Colab (or any Jupyter outside a clone) the chapter's set-up cell installs
this package from the repository, but ``data/`` does not come with it. The
loader then downloads the data package once, from the same commit the
package was installed from when pip recorded it (``direct_url.json``),
otherwise from ``main``, into a cache folder, and says so in the notebook.

``$NATO_RUSSIA_DATA_URL`` replaces the address (the tests point it at a
server on 127.0.0.1; a class can point it at a mirror).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
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
TIMEOUT_SECONDS = 30


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


def _get(url: str) -> bytes:
    with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310 (fixed https or configured URL)
        return response.read()


def fetch_data(url: str | None = None) -> Path:
    """Download ``datapackage.json``, every table it lists, the bibliography and the map outlines."""
    url = url or data_url()
    target = cache_dir(url)
    if (target / "datapackage.json").is_file():
        return target
    print(f"nato_russia: no local data/ folder, so the course data are being downloaded once from {url} "
          f"into {target}.")
    staging = Path(tempfile.mkdtemp(prefix="nato-russia-data-"))
    try:
        descriptor = _get(url + "datapackage.json")
        (staging / "datapackage.json").write_bytes(descriptor)
        names = [resource["path"] for resource in json.loads(descriptor)["resources"]] + [BIBLIOGRAPHY, MAP_OUTLINES]
        for name in names:
            (staging / name).parent.mkdir(parents=True, exist_ok=True)
            (staging / name).write_bytes(_get(url + name))
    except (urllib.error.URLError, OSError, ValueError) as error:
        shutil.rmtree(staging, ignore_errors=True)
        raise DataUnavailableError(
            f"The course data are not on this machine and could not be downloaded from {url} ({error}). "
            "Check the internet connection, clone the course repository, or point $NATO_RUSSIA_DATA "
            f"at a data/ folder (or ${DATA_URL_ENV_VAR} at a copy of it)."
        ) from error
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(target, ignore_errors=True)
    shutil.move(str(staging), target)  # complete folders only: a failed download leaves no half copy
    return target
