"""Stop the book build with a plain message instead of a traceback.

jupyter-book's command line turns any exception raised during the build into
a Python traceback under a "There was an error in building your book" box,
and Sphinx adds its "please report this bug" banner for exceptions it does
not know. A problem in the course's own input (a malformed data file, an
unpinned requirement) is not a bug: the reader needs its message, last, and
a non-zero exit. ``SystemExit`` is the one exception that both Sphinx and
jupyter-book let through untouched.
"""

from __future__ import annotations

import sys

EXIT_CODE = 2  # as Sphinx uses for a failed build


def stop_build(headline: str, details: str, code: int = EXIT_CODE) -> None:
    """Print ``headline`` and ``details`` to stderr and end the build with ``code`` (2 unless said)."""
    sys.stdout.flush()
    print(f"\n{headline}\n{details}".rstrip(), file=sys.stderr, flush=True)
    raise SystemExit(code)
