"""Sphinx extension: the bibliography's titles as written, and pybtex's plugins looked up once.

* Titles are printed as written in ``references.bib``. pybtex's BibTeX-like
  styles print an article's or a document's title in sentence case (all
  but its first letter lower-cased, unless braced), which turns "Pledge to
  Russia" into "pledge to russia"; ``TitlesAsWrittenStyle`` is pybtex's
  ``alpha`` style without that, registered as ``titles_as_written``, the
  ``bibtex_default_style`` in ``_config.yml``.
* Workaround: pybtex finds a plugin by reading the entry points of every
  installed package, and sphinxcontrib-bibtex asks for a style and its name,
  label and sorting plugins on every ``{footcite}``, some 1,900 look-ups a
  build. Each plugin is registered once with pybtex's own ``register_plugin``,
  as the class the entry point gives, so later look-ups find it at once. It
  can go when pybtex caches its entry points.
"""

from __future__ import annotations

from pybtex.style.formatting.alpha import Style as AlphaStyle
from pybtex.style.template import field, sentence

# The plugin groups a pybtex style is made of (pybtex.style.formatting.BaseStyle).
PYBTEX_STYLE_GROUPS = ("pybtex.style.formatting", "pybtex.style.names", "pybtex.style.labels", "pybtex.style.sorting")


def remember_pybtex_plugins() -> None:
    from pybtex.plugin import enumerate_plugin_names, find_plugin, register_plugin

    for group in PYBTEX_STYLE_GROUPS:
        for name in set(enumerate_plugin_names(group)):
            register_plugin(group, name, find_plugin(group, name), force=True)


TITLE_STYLE = "titles_as_written"  # bibtex_default_style in _config.yml


class TitlesAsWrittenStyle(AlphaStyle):
    """pybtex's ``alpha`` style (sphinxcontrib-bibtex's default), with each title printed as written."""

    def format_title(self, e, which_field, as_sentence=True):
        # alpha's (unsrt's) format_title applies Text.capitalize(), which lower-cases all but the first letter.
        title = field(which_field)
        return sentence[title] if as_sentence else title


def register_title_style() -> None:
    from pybtex.plugin import register_plugin

    register_plugin("pybtex.style.formatting", TITLE_STYLE, TitlesAsWrittenStyle, force=True)


def setup(app):
    remember_pybtex_plugins()
    register_title_style()
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
