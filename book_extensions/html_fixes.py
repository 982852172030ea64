"""Sphinx extension: each page's description for search engines and link previews, and ARIA fixes.

* Every page gets a ``<meta name="description">`` (and ``og:description``)
  from its first real paragraph: sphinxext-opengraph would otherwise take
  the first words it meets, which on a chapter are a prerequisites table.
* Markup from extensions that breaks ARIA rules is corrected (``ARIA_FIXES``).
"""

from __future__ import annotations

DESCRIPTION_LENGTH = 200


def page_description(doctree) -> str:
    """The first paragraph of running text, outside admonitions, tables, cells and lists."""
    from docutils import nodes

    skipped = (nodes.Admonition, nodes.table, nodes.list_item, nodes.literal_block, nodes.raw, nodes.container)

    def in_running_text(paragraph) -> bool:
        if "seminar-pack" in paragraph.get("classes", []):
            return False
        ancestor = paragraph.parent
        while ancestor is not None and not isinstance(ancestor, skipped):
            ancestor = ancestor.parent
        return ancestor is None

    for paragraph in doctree.findall(nodes.paragraph):
        text = " ".join(paragraph.astext().split())
        if len(text) >= 60 and in_running_text(paragraph):
            return text if len(text) <= DESCRIPTION_LENGTH else text[: DESCRIPTION_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    return ""


def _add_description(app, pagename, templatename, context, doctree) -> None:
    import html

    if doctree is None:
        return
    description = page_description(doctree)
    if description:
        context["meta"] = {**(context.get("meta") or {}), "og:description": description}
        context["metatags"] = context.get("metatags", "") + (
            f'<meta name="description" content="{html.escape(description, quote=True)}" />\n')


# Markup from extensions that axe-core reports as serious or critical, and its fix.
ARIA_FIXES = {
    # docutils: bibliography entries inside role="list" must be list items
    # (aria-required-children, critical); DPUB-ARIA 1.1 deprecates doc-biblioentry.
    'role="doc-biblioentry"': 'role="listitem"',
    # myst-nb: the hidden-cell toggle's label hides its visible text "Show code
    # cell source" (label-content-name-mismatch, serious); the text names it.
    '<summary aria-label="Toggle hidden content">': "<summary>",
}


def _fix_aria(app, pagename, templatename, context, doctree) -> None:
    if "body" in context:
        for old, new in ARIA_FIXES.items():
            context["body"] = context["body"].replace(old, new)


def setup(app):
    app.connect("html-page-context", _fix_aria)
    # Before sphinxext-opengraph (priority 500), which keeps a description it finds.
    app.connect("html-page-context", _add_description, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True, "version": "1.0"}
