"""What a seminar pack needs: the packages its code imports, and everything they pull in, pinned.

A pack's ``requirements.txt`` starts from every third-party distribution
that the notebook's code or the helpers (``nato_russia``) import, anywhere
in the code (imports inside functions included), the helpers' declared
dependencies from ``pyproject.toml``, what JupyterLab needs to open and run
the notebook, and the packages the book holds back below a slow release
(``HELD_BACK``). Each of these must be pinned with ``==`` in the book's own
``requirements.txt``; a needed package that is not is an error, never a
silent omission. Then every package these depend on, transitively (as their
installed metadata declares, for this platform and Python), is pinned too,
at the version installed where the book is built: the book's environment,
installed from its ``requirements.txt``. So the pack installs exactly the
versions the book was built and tested with, not what a resolver picks on
the day, and nothing the notebook does not need (the notebook edition is
plain Jupyter: no Jupytext, jupyterlab-myst or myst-nb).
"""

from __future__ import annotations

import ast
import re
import sys
import tomllib
from functools import lru_cache
from importlib import metadata
from pathlib import Path

import nbformat

HELPER_PACKAGE = "nato_russia"
# What a student needs to open and run the notebook, beyond what its code imports.
JUPYTER_TOOLS = {
    "jupyterlab": "JupyterLab opens the notebook",
    "ipykernel": "it is the kernel that runs the cells",
}
# Packages the code reaches only through others, pinned because the pin matters to a student.
HELD_BACK = {
    "jsonschema": "frictionless imports it, and from 4.25 on that import takes every kernel 1.5 s longer",
}


class PackRequirementsError(ValueError):
    """A pack needs a package that the book's requirements.txt does not pin with ``==``."""


def normalise(name: str) -> str:
    """A distribution name as pip compares them (PEP 503)."""
    return re.sub(r"[-_.]+", "-", name).lower()


def imported_modules(code: str) -> set[str]:
    """Top-level names of the absolute imports in Python (or IPython cell) source, wherever they occur."""
    from IPython.core.inputtransformer2 import TransformerManager

    tree = ast.parse(TransformerManager().transform_cell(code))  # %pip and ! lines become plain calls
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add(node.module.split(".")[0])
    return found


@lru_cache(maxsize=1)
def _distributions_by_module() -> dict[str, list[str]]:
    return metadata.packages_distributions()


def distributions_for(modules: set[str]) -> tuple[dict[str, str], list[str]]:
    """Third-party distributions providing ``modules`` (name -> module), and modules none provides."""
    found, unknown = {}, []
    for module in sorted(modules - set(sys.stdlib_module_names) - {HELPER_PACKAGE, "__future__"}):
        providers = _distributions_by_module().get(module)
        if not providers:
            unknown.append(module)
        for provider in providers or []:
            found.setdefault(normalise(provider), module)
    return found, unknown


@lru_cache(maxsize=4)
def _imports_of(code: str) -> tuple[dict[str, str], list[str]]:
    """``distributions_for`` the imports of ``code``, parsed once per text (the helpers are the same for every pack)."""
    return distributions_for(imported_modules(code))


def book_pins(srcdir: Path) -> dict[str, str]:
    """``name==version`` lines of the book's requirements.txt, by normalised name."""
    pins = {}
    for line in (srcdir / "requirements.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        match = re.fullmatch(r"([A-Za-z0-9_.\-]+)(\[[^\]]*\])?==\S+", line)
        if match:
            pins[normalise(match.group(1))] = line
    return pins


def helper_dependencies(srcdir: Path) -> set[str]:
    """Distribution names the helpers' package declares in pyproject.toml."""
    project = tomllib.loads((srcdir / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return {normalise(re.split(r"[\s<>=!~;\[]", spec, maxsplit=1)[0]) for spec in project.get("dependencies", [])}


def notebook_code(notebook: nbformat.NotebookNode) -> str:
    return "\n".join(cell.source for cell in notebook.cells if cell.cell_type == "code")


def pack_requirements(srcdir: Path, code: str) -> str:
    """The pack's requirements.txt for a notebook whose code is ``code``.

    Raises :class:`PackRequirementsError` naming every needed package that
    the book does not pin with ``==`` (or any import that no installed
    package provides).
    """
    helpers = "\n".join(path.read_text(encoding="utf-8") for path in sorted((srcdir / HELPER_PACKAGE).glob("*.py")))
    imported, unknown_notebook = distributions_for(imported_modules(code))
    helper_imports, unknown_helpers = _imports_of(helpers)
    reasons = {name: f"the notebook imports {module}" for name, module in imported.items()}
    for name, module in helper_imports.items():
        reasons.setdefault(name, f"{HELPER_PACKAGE} imports {module}")
    for name in helper_dependencies(srcdir):
        reasons.setdefault(name, f"{HELPER_PACKAGE} depends on it (pyproject.toml)")
    for name, why in {**JUPYTER_TOOLS, **HELD_BACK}.items():
        reasons.setdefault(name, why)
    pins = book_pins(srcdir)
    problems = [f"the code imports {module}, which no installed package provides: install it and pin it"
                for module in unknown_notebook + unknown_helpers]
    problems += [f"{name} ({why}) is not pinned in requirements.txt: add `{name}=={_installed_version(name)}`"
                 for name, why in sorted(reasons.items()) if name not in pins]
    if problems:
        raise PackRequirementsError("\n".join(f"  - {problem}" for problem in problems))
    needed = sorted(reasons)
    closure = dependency_closure(needed)
    for name in needed:  # what the pack asks for directly is installed here as the book pins it
        pinned = pins[name].split("==", 1)[1].split(";")[0].strip()
        if closure[name] != pinned:
            raise PackRequirementsError(f"  - {name} is pinned at {pinned} in requirements.txt but {closure[name]} "
                                        "is installed where the book is built: install requirements.txt again")
    pulled_in = sorted(set(closure) - set(needed))
    lines = ["# What this seminar pack needs, at the versions the course book was built with.",
             "# Imported by the notebook or its helpers: " + ", ".join(sorted(set(reasons) - set(JUPYTER_TOOLS) - set(HELD_BACK))),
             "# To open and run it in JupyterLab: " + ", ".join(sorted(JUPYTER_TOOLS)),
             "# Held back as the book holds it: " + "; ".join(f"{name}, because {why}" for name, why in sorted(HELD_BACK.items()))]
    lines += [pins[name].split(";")[0].strip() for name in needed]
    lines += ["# Pulled in by the packages above (their dependencies, transitively), as installed for the book:"]
    lines += [f"{name}=={closure[name]}" for name in pulled_in]
    return "\n".join(lines) + "\n"


def dependency_closure(names: list[str]) -> dict[str, str]:
    """Every distribution ``names`` need, transitively, with its installed version (by normalised name).

    Dependencies are read from the installed metadata; a dependency behind
    an environment marker counts when the marker holds here, an optional
    extra only when a requirement asks for it.
    """
    from packaging.requirements import Requirement

    found: dict[str, str] = {}
    queue = [(name, frozenset()) for name in names]
    seen: set[tuple[str, frozenset]] = set()
    while queue:
        name, extras = queue.pop()
        if (name, extras) in seen:
            continue
        seen.add((name, extras))
        try:
            distribution = metadata.distribution(name)
        except metadata.PackageNotFoundError:
            raise PackRequirementsError(f"  - {name} is needed by the pack but not installed where the book is built: "
                                        "install the book's requirements.txt") from None
        found[name] = distribution.version
        for line in distribution.requires or []:
            requirement = Requirement(line)
            if requirement.marker is not None and not any(
                    requirement.marker.evaluate({"extra": extra}) for extra in (extras or {""})):
                continue
            queue.append((normalise(requirement.name), frozenset(requirement.extras)))
    return found


def _installed_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return "VERSION"  # `pip index versions NAME` lists them
