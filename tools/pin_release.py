"""Pin the book's launch links and notebooks to a release tag (see the seminar guide's page "Setting up the course", seminar/teaching_setup.md).

    python tools/pin_release.py v2026.1

rewrites, in place, every reference to the branch the book is built from:
``repository.branch`` in ``_config.yml`` (the Binder and Colab buttons) and
the ``@<branch>`` of the set-up cell that installs the helpers in Colab, in
every notebook of the table of contents and its paired ``.ipynb``. Commit
the result on a release branch and tag that commit; ``main`` stays unpinned.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from book_extensions.toc import toc_notebooks  # noqa: E402


def pin(root: Path, tag: str) -> list[Path]:
    if not re.fullmatch(r"[A-Za-z0-9._/-]+", tag):
        raise SystemExit(f"{tag!r} is not a usable git tag name")
    config_path = root / "_config.yml"
    config_text = config_path.read_text(encoding="utf-8")
    repository = yaml.safe_load(config_text)["repository"]
    old = repository["branch"]
    new_config = re.sub(rf"(?m)^(\s+branch:\s*){re.escape(old)}\b", rf"\g<1>{tag}", config_text)
    changed = []
    if new_config != config_text:
        config_path.write_text(new_config, encoding="utf-8")
        changed.append(config_path)
    install = f"git+{repository['url']}@"
    for source in toc_notebooks(root):
        for path in (source, source.with_suffix(".ipynb")):
            if not path.exists():
                continue
            text = path.read_text(encoding="utf-8")
            # the ref ends at the closing quote, escaped as \" inside the .ipynb's JSON
            pinned = re.sub(re.escape(install + old) + r'(?=\\?")', install + tag, text)
            if pinned != text:
                path.write_text(pinned, encoding="utf-8")
                changed.append(path)
    return changed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tag", help="the release tag, e.g. v2026.1")
    parser.add_argument("--root", type=Path, default=ROOT, help="repository root (default: this checkout)")
    args = parser.parse_args()
    for path in pin(args.root, args.tag):
        print("pinned", path.relative_to(args.root))


if __name__ == "__main__":
    main()
