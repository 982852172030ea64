"""Two editions of the book from one source: instructor (default) and student.

Set ``BOOK_EDITION=student`` when building to get the student edition:

* every exercise solution (plain ``{solution}`` and gated
  ``solution-start``/``solution-end`` blocks, code cells included) and every
  teaching note (any element with the class ``teaching-note``) is removed
  from the document tree *before* Sphinx writes pages or the search index;
* ``html_copy_source`` is off and the theme's download button is hidden;
* ``_sources/`` is deleted when the build finishes: sphinx-book-theme copies
  each executed notebook (solutions and outputs included) there for its
  launch buttons, whatever ``html_copy_source`` says;
* an announcement bar says which edition the reader is looking at.

sphinx-exercise's own ``hide_solutions`` is not used: in 1.2.1 it crashes on
gated solutions ("unknown node type solution_end_node") and leaves their
content in the page. Here the removal runs after sphinx-exercise has merged
each gated block into one solution node, so both kinds go the same way.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from docutils import nodes
from sphinx.errors import ConfigError
from sphinx.transforms import SphinxTransform
from sphinx_exercise.nodes import solution_end_node, solution_node, solution_start_node

EDITION_ENV_VAR = "BOOK_EDITION"
EDITIONS = ("instructor", "student")
TEACHING_NOTE_CLASS = "teaching-note"
STUDENT_ANNOUNCEMENT = "Student edition: exercises come without solutions and teaching notes."


def current_edition() -> str:
    """The edition asked for by ``$BOOK_EDITION`` (default: instructor)."""
    value = os.environ.get(EDITION_ENV_VAR, "instructor").strip().lower() or "instructor"
    if value not in EDITIONS:
        raise ConfigError(f"${EDITION_ENV_VAR} is {value!r}; use one of {', '.join(EDITIONS)}.")
    return value


def is_student(config) -> bool:
    return config.course_edition == "student"


def _is_instructor_only(node: nodes.Node) -> bool:
    if isinstance(node, (solution_node, solution_start_node, solution_end_node)):
        return True
    return isinstance(node, nodes.Element) and TEACHING_NOTE_CLASS in node.get("classes", [])


class RemoveInstructorMaterial(SphinxTransform):
    """Student edition: drop solutions and teaching notes from the document tree."""

    # sphinx-exercise merges gated solutions at priority 10; run after it.
    default_priority = 20

    def apply(self, **kwargs) -> None:
        if not is_student(self.config):
            return
        for node in list(self.document.findall(_is_instructor_only)):
            if node.parent is not None:
                node.parent.remove(node)


def _configure_edition(app, config) -> None:
    config.course_edition = current_edition()
    if not is_student(config):
        return
    config.html_copy_source = False
    theme_options = config.html_theme_options
    theme_options["use_download_button"] = False
    theme_options["announcement"] = STUDENT_ANNOUNCEMENT
    if config.html_title:
        config.html_title += " (student edition)"


def _remove_copied_sources(app, exception) -> None:
    if exception is None and app.builder.format == "html" and is_student(app.config):
        shutil.rmtree(Path(app.outdir) / "_sources", ignore_errors=True)


def setup(app):
    # "env": switching edition in one output folder re-reads every page.
    app.add_config_value("course_edition", "instructor", "env")
    app.connect("config-inited", _configure_edition)
    app.add_transform(RemoveInstructorMaterial)
    app.connect("build-finished", _remove_copied_sources)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
