"""The notebook edition: a MyST notebook of the book rendered as a plain Jupyter notebook.

Every notebook a student opens is made by :func:`render_notebook`: the
student and instructor seminar packs (``packs.py``) and the committed
``.ipynb`` beside each MyST notebook that the Colab and Binder buttons open
(``tools/sync_notebooks.py``). The ``.md`` stays the only source. What only
the book's build understands becomes Markdown that JupyterLab, Colab and
VS Code show without any extension:

* citations (``{footcite:p}``, ``{cite:t}`` …) read "(Matser 2001)" or
  "Matser (2001)", and the ``{footbibliography}`` (or, without one, a final
  cell) lists every cited work in full with its link;
* ``{glue:text}`` keys become the values the book computed (taken from the
  build's executed notebooks), so the sentence reads right before and after
  the cells run;
* ``{ref}``, ``{numref}``, ``{term}``, ``{doc}`` become links: to a heading
  of the same notebook, or to the published book's page (``ogp_site_url``);
  figures and exercises are numbered as the book numbers them;
* exercises become numbered headings ("Exercise 4.1"); solutions are kept
  only in the instructor edition, folded in ``<details>`` (or, for code,
  after a heading "Solution to Exercise 4.1"); admonitions become block
  quotes with a bold title, dropdowns ``<details>``;
* a first cell says where the page lives in the book and how to get help.

A role or directive with no rendering here is an error naming file, line
and name: never markup left for the student to read.
"""

from __future__ import annotations

import hashlib
import json
import re
from ast import literal_eval
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path, PurePosixPath

import jupytext
import nbformat
import yaml

from .toc import toc_files

STUDENT, INSTRUCTOR = "student", "instructor"
TEACHING_NOTE_CLASS = "teaching-note"  # as book_extensions.editions
GLOSSARY_DOC = "reference/glossary"
CITE_ROLES = {"footcite", "footcite:p", "footcite:t", "cite", "cite:p", "cite:t", "footcite:ps", "cite:ps", "footcite:ts", "cite:ts"}
ADMONITION_TITLES = {"note": "Note", "tip": "Tip", "hint": "Hint", "important": "Important", "warning": "Warning",
                     "caution": "Caution", "attention": "Attention", "danger": "Danger", "error": "Error",
                     "seealso": "See also", "admonition": ""}
# Directives of the book's build with no place in a notebook (the pack link is the pack itself).
DROPPED_DIRECTIVES = {"seminar-pack"}
METADATA_KEY = "nato_russia_course"  # where a committed notebook records what it was rendered from

_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|:{3,})\{(?P<name>[a-zA-Z][\w:-]*)\}\s*(?P<argument>.*)$")
_PLAIN_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})(?![`~]*\{)")
_ROLE = re.compile(r"\{(?P<name>[a-zA-Z][\w:.-]*)\}`(?P<content>[^`]*)`")
_ROLE_OR_CODE = re.compile(r"\{(?P<name>[a-zA-Z][\w:.-]*)\}`(?P<content>[^`]*)`|(?P<code>(`+)[^`]*?\4)")
_TARGET = re.compile(r"^\((?P<label>[^()\s]+)\)=\s*$")
_HEADING = re.compile(r"^(?P<hashes>#{1,6})\s+(?P<title>.+?)\s*#*\s*$")
_EXPLICIT = re.compile(r"^(?P<text>.*?)\s*<(?P<target>[^<>]+)>$", re.S)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|$#])")


class NotebookEditionError(ValueError):
    """The MyST source holds something the notebook edition cannot render (names file, line and markup)."""


# --- what the whole book knows: labels, numbers, the bibliography -----------

@dataclass(frozen=True)
class Target:
    docname: str
    title: str           # link text when none is given: a heading, "Fig. 4.2", "Exercise 4.1"
    anchor: str | None   # None: the top of the page
    number: str | None = None


@dataclass
class Book:
    """What rendering one page needs from the rest of the book."""

    root: Path
    site_url: str
    issues_url: str
    book_title: str
    chapter_numbers: dict[str, str]
    page_titles: dict[str, str]
    targets: dict[str, Target]
    bibliography: object  # pybtex BibliographyData

    def page_url(self, docname: str, anchor: str | None = None) -> str:
        return f"{self.site_url}{docname}.html" + (f"#{anchor}" if anchor else "")


@lru_cache(maxsize=4)
def _book(root: str, fingerprint: str) -> Book:
    return _read_book(Path(root))


def read_book(root: Path) -> Book:
    """The book's labels, numbers and bibliography (cached while the sources are unchanged)."""
    root = Path(root).resolve()
    digest = hashlib.sha256()
    for path in [root / "_config.yml", root / "_toc.yml", root / "data" / "references.bib",
                 *(root / f"{name}.md" for name in toc_files(root))]:
        if path.is_file():
            digest.update(path.read_bytes())
    return _book(str(root), digest.hexdigest())


def numbered_chapters(root: Path) -> dict[str, str]:
    """Chapter numbers as the book shows them: numbered parts count on from one another (multitoc numbering)."""
    toc = yaml.safe_load((root / "_toc.yml").read_text(encoding="utf-8"))
    numbers, count = {}, 0
    for part in toc.get("parts", []):
        if not part.get("numbered"):
            continue
        for entry in part.get("chapters", []):
            count += 1
            numbers[entry["file"]] = str(count)
    return numbers


def _read_book(root: Path) -> Book:
    from pybtex.database import parse_file

    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    site_url = config["sphinx"]["config"]["ogp_site_url"].rstrip("/") + "/"
    repository = config.get("repository", {}).get("url", "").rstrip("/")
    chapters = numbered_chapters(root)
    targets, titles = {}, {}
    for docname in toc_files(root):
        path = root / f"{docname}.md"
        if path.is_file():
            titles[docname], page_targets = _page_targets(path, docname, chapters.get(docname))
            targets.update(page_targets)
    return Book(root=root, site_url=site_url, issues_url=f"{repository}/issues" if repository else "",
                book_title=config.get("title", ""), chapter_numbers=chapters, page_titles=titles, targets=targets,
                bibliography=parse_file(str(root / "data" / "references.bib"), bib_format="bibtex"))


def _page_targets(path: Path, docname: str, chapter: str | None) -> tuple[str, dict[str, Target]]:
    """A page's title and its labels: section targets, figures and exercises, numbered as the book numbers them."""
    lines = path.read_text(encoding="utf-8").split("\n")
    prefix = f"{chapter}." if chapter else ""
    targets, pending, page_title, figures, exercises, fence = {}, [], None, 0, 0, None
    for index, line in enumerate(lines):
        if fence:  # inside a fenced block: only figure names and exercise labels matter
            if line.strip() and set(line.strip()) == {fence[0]} and len(line.strip()) >= len(fence):
                fence = None
            continue
        opened = _FENCE.match(line)
        if opened:
            name, options = opened.group("name"), _options(lines, index + 1)
            if name == "code-cell":
                figure = (options.get("mystnb") or {}).get("figure") or {}
                if figure.get("name"):
                    figures += 1
                    number = f"{prefix}{figures}"
                    targets[figure["name"]] = Target(docname, f"Fig. {number}", figure["name"], number)
            elif name in ("figure",) and options.get("name"):
                figures += 1
                number = f"{prefix}{figures}"
                targets[options["name"]] = Target(docname, f"Fig. {number}", options["name"], number)
            elif name in ("exercise", "exercise-start"):
                exercises += 1
                number = f"{prefix}{exercises}"
                if options.get("label"):
                    targets[options["label"]] = Target(docname, f"Exercise {number}", options["label"], number)
            fence = opened.group("fence")  # its body (or its closing line) comes next
            continue
        plain = _PLAIN_FENCE.match(line)
        if plain:
            fence = plain.group(1)
            continue
        target = _TARGET.match(line)
        if target:
            pending.append(target.group("label"))
            continue
        heading = _HEADING.match(line)
        if heading:
            title = _plain_title(heading.group("title"))
            top = page_title is None
            page_title = page_title or title
            for label in pending:
                targets[label] = Target(docname, title, None if top else label)
            pending = []
        elif line.strip():
            for label in pending:  # a target above a paragraph or table: link to the page
                targets[label] = Target(docname, page_title or docname, label)
            pending = []
    return page_title or PurePosixPath(docname).name, targets


def _options(lines: list[str], start: int) -> dict:
    """The ``:key: value`` lines or the ``---`` YAML block opening a directive's body."""
    if start < len(lines) and lines[start].strip() == "---":
        end = next((i for i in range(start + 1, len(lines)) if lines[i].strip() == "---"), None)
        if end is not None:
            return yaml.safe_load("\n".join(lines[start + 1:end])) or {}
    options = {}
    for line in lines[start:]:
        match = re.match(r"^\s*:([\w-]+):\s*(.*)$", line)
        if not match:
            break
        options[match.group(1)] = match.group(2).strip()
    return options


def _plain_title(title: str) -> str:
    """A heading's text as a reader sees it: roles reduced to their text, emphasis marks removed."""
    title = _ROLE.sub(lambda m: _EXPLICIT.match(m.group("content")).group("text")
                      if _EXPLICIT.match(m.group("content")) else m.group("content"), title)
    return re.sub(r"[*_`]", "", title).strip()


def _block_end(lines: list[str], start: int, fence: str) -> int:
    """Index of the line closing the fence opened at ``lines[start]`` (the last line if none does)."""
    char = fence[0]
    for index in range(start + 1, len(lines)):
        stripped = lines[index].strip()
        if stripped and set(stripped) == {char} and len(stripped) >= len(fence):
            return index
    return len(lines) - 1


# --- citations ---------------------------------------------------------------

def _names(entry) -> str:
    persons = entry.persons.get("author") or entry.persons.get("editor") or []
    last = [_unbrace(" ".join(person.prelast_names + person.last_names)) for person in persons]
    if not last:
        return _unbrace(entry.fields.get("organization") or entry.fields.get("title", "Anonymous"))
    if len(last) == 1:
        return last[0]
    if len(last) == 2:
        return f"{last[0]} and {last[1]}"
    return f"{last[0]} et al."


def _unbrace(text: str) -> str:
    from pybtex.richtext import Text

    return str(Text.from_latex(text)) if "{" in text or "\\" in text else text


def _year(entry) -> str:
    return entry.fields.get("year", "n.d.")


@lru_cache(maxsize=1)
def _style():
    from .bibliography_style import TitlesAsWrittenStyle  # the book's own style: titles as written in references.bib

    return TitlesAsWrittenStyle()


def reference_list(book: Book, keys: list[str]) -> str:
    """Each cited work in full, in order of first citation, with its link (pybtex, the style the book uses)."""
    from pybtex.database import BibliographyData

    entries = BibliographyData({key: book.bibliography.entries[key] for key in keys})
    formatted = {entry.key: entry.text.render_as("markdown") for entry in _style().format_entries(entries.entries.values())}
    return "\n".join(f"- {_names(book.bibliography.entries[key])} {_year(book.bibliography.entries[key])}. "
                     f"{_tidy(formatted[key])}" for key in keys)


def _tidy(markdown: str) -> str:
    """pybtex's Markdown on one line, without the escapes that plain text does not need; TeX quotes as quotes."""
    text = re.sub(r"\\([.\-()!+:,;'\"/])", r"\1", " ".join(markdown.split()))
    text = re.sub(r"\\?`\\?`(.+?)''", r"“\1”", text)
    return re.sub(r"\\?`(.+?)'(?!\w)", r"‘\1’", text)


# --- one page ---------------------------------------------------------------

@dataclass
class _State:
    """What rendering carries from one cell to the next."""

    source: Path
    docname: str
    edition: str
    book: Book
    glue: dict[str, str]
    headings: set[str] = field(default_factory=set)
    cited: list[str] = field(default_factory=list)
    listed: int = 0                 # citations already listed by a {footbibliography}
    heading_level: int = 1
    in_gated_solution: str | None = None  # exercise number of the open gated solution
    line: int = 1                   # first line of the current cell in the .md

    def fail(self, line_in_cell: int, message: str):
        raise NotebookEditionError(f"{self.source}, line {self.line + line_in_cell}: {message}")

    @property
    def instructor(self) -> bool:
        return self.edition == INSTRUCTOR


def glue_values(outputs: dict) -> dict[str, str]:
    """``{key: text/plain}`` of myst-nb's glue records (an executed notebook's ``.glue.json``)."""
    return {key: output.get("data", {}).get("text/plain", "") for key, output in outputs.items()}


_OTHER_PAGE = re.compile(r"\{glue(?::text)?\}`([^`:]+)::")


def glued_pages(source: Path, root: Path) -> list[str]:
    """The other pages whose glue values ``source`` pastes (``{glue:text}`../chapters/x.md::key```), as docnames."""
    docname = PurePosixPath(Path(source).resolve().relative_to(Path(root).resolve()).with_suffix("").as_posix())
    return sorted({_docname_of(docname, path) for path in _OTHER_PAGE.findall(Path(source).read_text(encoding="utf-8"))})


def _docname_of(docname: PurePosixPath, path: str) -> str:
    parts: list[str] = []
    for part in (docname.parent / path).with_suffix("").parts:
        if part == "..":
            parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


def with_other_pages(glue: dict[str, str], source: Path, root: Path, glue_of) -> dict[str, str]:
    """``glue`` and, as ``"<docname>::<key>"``, the values of the other pages ``source`` pastes (``glue_of(docname)``)."""
    merged = dict(glue)
    for other in glued_pages(source, root):
        merged.update({f"{other}::{key}": value for key, value in glue_of(other).items()})
    return merged


def glued_text(state: _State, content: str, line: int) -> str:
    page, separator, rest = content.rpartition("::")
    key, _, fmt = rest.partition(":")
    if separator:  # a value of another page, which the caller added as "<docname>::<key>"
        key = f"{_docname_of(PurePosixPath(state.docname), page)}::{key}"
    if key not in state.glue:
        state.fail(line, f"no value for the glue key {key!r}: build the book, then run `python tools/sync_notebooks.py`")
    text = state.glue[key]
    try:  # as myst-nb's {glue:text}: the literal's value, formatted with the spec
        value = literal_eval(text)
    except (SyntaxError, ValueError):
        value = text
    if fmt:
        value = format(float(value) if fmt[-1] in "eEfFgGn%" else int(value) if fmt[-1] in "bcdoxX" else str(value), fmt)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(value))


def code_fingerprint(notebook: nbformat.NotebookNode) -> str:
    """A hash of a notebook's code cells: glue values taken from an execution stay valid while it holds."""
    code = "\n\0".join(cell.source for cell in notebook.cells if cell.cell_type == "code")
    return hashlib.sha256(code.encode("utf-8")).hexdigest()


def _heading_anchor(title: str) -> str:
    """JupyterLab's anchor for a heading: its text with spaces as hyphens."""
    return title.replace(" ", "-")


def _link_to(state: _State, target: Target, text: str | None = None) -> str:
    text = text or target.title
    if target.docname == state.docname and target.anchor and target.title in state.headings:
        return f"[{text}](#{_heading_anchor(target.title)})"
    return f"[{text}]({state.book.page_url(target.docname, target.anchor)})"


def _role(state: _State, name: str, content: str, line: int) -> str:
    explicit = _EXPLICIT.match(content)
    text, key = (explicit.group("text"), explicit.group("target")) if explicit else (None, content.strip())
    if name in CITE_ROLES:
        keys = [k.strip() for k in content.split(",") if k.strip()]
        missing = [k for k in keys if k not in state.book.bibliography.entries]
        if missing:
            state.fail(line, f"{{{name}}} cites {', '.join(missing)}, which data/references.bib does not hold")
        for k in keys:
            if k not in state.cited:
                state.cited.append(k)
        entries = [state.book.bibliography.entries[k] for k in keys]
        if name.split(":")[-1].startswith("t"):
            return ", ".join(f"{_names(e)} ({_year(e)})" for e in entries)
        return "(" + "; ".join(f"{_names(e)} {_year(e)}" for e in entries) + ")"
    if name in ("glue:text", "glue"):
        return glued_text(state, content, line)
    if name in ("ref", "numref"):
        target = state.book.targets.get(key)
        if target is None:
            state.fail(line, f"{{{name}}}`{content}` names the label {key!r}, which no page of the book defines")
        if name == "numref" and text:
            text = text.replace("%s", target.number or "").replace("{number}", target.number or "")
        return _link_to(state, target, text)
    if name == "term":
        term = key
        return f"[{text or term}]({state.book.page_url(GLOSSARY_DOC, 'term-' + re.sub(r'[^A-Za-z0-9]+', '-', term).strip('-'))})"
    if name == "doc":
        docname = str(PurePosixPath(state.docname).parent / key) if not key.startswith("/") else key.lstrip("/")
        docname = str(PurePosixPath(*[p for p in PurePosixPath(docname).parts]))
        return f"[{text or state.book.page_titles.get(docname, docname)}]({state.book.page_url(docname)})"
    if name == "download":
        path = (PurePosixPath(state.docname).parent / key).as_posix()
        return f"[{text or PurePosixPath(key).name}]({state.book.site_url}{path})"
    if name in ("math",):
        return f"${content}$"
    if name in ("sub", "sup", "abbr", "kbd"):
        return content
    state.fail(line, f"the role {{{name}}} has no notebook rendering (book_extensions/notebook_edition.py)")


def _inline(state: _State, text: str, first_line: int = 0) -> str:
    """Roles in running text (a role may run over a line break), outside plain code fences and code spans."""
    out, lines, fence, prose = [], text.split("\n"), None, []

    def flush(end: int) -> None:
        if prose:
            chunk, start = "\n".join(prose), end - len(prose)
            # left to right: a role, or a code span (copied as written)
            out.append(_ROLE_OR_CODE.sub(lambda m: m.group(0) if m.group("code") else _role(
                state, m.group("name"), m.group("content"), first_line + start + chunk.count("\n", 0, m.start())), chunk))
            prose.clear()

    for offset, line in enumerate(lines):
        if fence:
            if line.strip() and set(line.strip()) == {fence[0]} and len(line.strip()) >= len(fence):
                fence = None
            out.append(line)
            continue
        plain = _PLAIN_FENCE.match(line)
        if plain:
            flush(offset)
            fence = plain.group(1)
            out.append(line)
            continue
        prose.append(line)
    flush(len(lines))
    return "\n".join(out)


def _quote(title: str, body: str) -> str:
    lines = [f"**{title}**", ""] + body.strip().split("\n") if title else body.strip().split("\n")
    return "\n".join(("> " + line).rstrip() for line in lines)


def _details(summary: str, body: str) -> str:
    return f"<details><summary>{summary}</summary>\n\n{body.strip()}\n\n</details>"


def _heading(state: _State, text: str, deeper: int = 1) -> str:
    level = min(state.heading_level + deeper, 6)
    state.headings.add(text)
    return f"{'#' * level} {text}"


def _solution_label(state: _State, argument: str, line: int) -> str:
    target = state.book.targets.get(argument.strip())
    if target is None or not target.title.startswith("Exercise"):
        state.fail(line, f"the solution names {argument.strip()!r}, which is no exercise label of the book")
    return f"Solution to {target.title}"


def _body(lines: list[str], start: int, end: int) -> tuple[dict, list[str], int]:
    """A directive's options and body lines (``lines[start]`` is its first line after the fence)."""
    options = _options(lines, start)
    index = start
    if index < end and lines[index].strip() == "---":
        index = next(i for i in range(index + 1, end) if lines[i].strip() == "---") + 1
    else:
        while index < end and re.match(r"^\s*:([\w-]+):", lines[index]):
            index += 1
    return options, lines[index:end], index


def _blocks(state: _State, text: str, first_line: int = 0) -> str:
    """A Markdown cell's directives and targets rendered, and the roles of the text between them."""
    lines, out, index, fence, prose = text.split("\n"), [], 0, None, []  # prose: (line index, text) not yet rendered

    def flush() -> None:
        if prose:
            out.append(_inline(state, "\n".join(line for _, line in prose), first_line + prose[0][0]))
            prose.clear()

    while index < len(lines):
        line = lines[index]
        if fence:  # a plain code block: copied as it is (_inline leaves it alone)
            prose.append((index, line))
            if line.strip() and set(line.strip()) == {fence[0]} and len(line.strip()) >= len(fence):
                fence = None
            index += 1
            continue
        if state.in_gated_solution is not None:
            opened = _FENCE.match(line)
            if opened and opened.group("name") == "solution-end":
                state.in_gated_solution = None
                index = _block_end(lines, index, opened.group("fence")) + 1
                continue
            if not state.instructor:
                index += 1
                continue
        plain = _PLAIN_FENCE.match(line)
        if plain:
            fence = plain.group(1)
            prose.append((index, line))
            index += 1
            continue
        if _TARGET.match(line) or re.match(r"^%( |$)", line):  # labels and MyST comments: nothing to read
            flush()
            index += 1
            continue
        heading = _HEADING.match(line)
        if heading:
            state.heading_level = len(heading.group("hashes"))
        opened = _FENCE.match(line)
        if not opened:
            prose.append((index, line))
            index += 1
            continue
        flush()
        name, argument = opened.group("name"), opened.group("argument").strip()
        end = _block_end(lines, index, opened.group("fence"))
        options, body, body_start = _body(lines, index + 1, end)
        classes = str(options.get("class", "")).split()
        at = first_line + index
        rendered = None
        if name in DROPPED_DIRECTIVES:
            rendered = ""
        elif name == "footbibliography":
            keys, state.listed = state.cited[state.listed:], len(state.cited)
            rendered = reference_list(state.book, keys) if keys else ""
        elif name in ("exercise", "exercise-start"):
            target = state.book.targets.get(options.get("label", ""))
            if target is None:
                state.fail(index, f"the {{{name}}} has no :label: (the book numbers exercises by their label)")
            title = f"{target.title} ({_inline(state, argument, at)})" if argument else target.title
            rendered = _heading(state, title)
            if name == "exercise":
                rendered += "\n\n" + _blocks(state, "\n".join(body), first_line + body_start)
        elif name == "exercise-end":
            rendered = ""
        elif name == "solution":
            if state.instructor:
                rendered = _details(_solution_label(state, argument, index), _blocks(state, "\n".join(body), first_line + body_start))
            else:
                rendered = ""
        elif name == "solution-start":
            summary = _solution_label(state, argument, index)
            state.in_gated_solution = summary
            rendered = _heading(state, summary) if state.instructor else ""
        elif name == "solution-end":
            rendered = ""
        elif name == "quiz":
            rendered = _quiz(state, argument, index)
        elif name in ADMONITION_TITLES or name == "dropdown":
            if TEACHING_NOTE_CLASS in classes and not state.instructor:
                rendered = ""
            else:
                title = _inline(state, argument, at) if argument else ADMONITION_TITLES.get(name, "")
                inner = _blocks(state, "\n".join(body), first_line + body_start)
                if name == "dropdown" or "dropdown" in classes:
                    rendered = _details(title or "Details", inner)
                else:
                    rendered = _quote(title, inner)
        else:
            state.fail(index, f"the directive {{{name}}} has no notebook rendering "
                              "(add one to book_extensions/notebook_edition.py)")
        out.append(rendered)
        index = end + 1
    flush()
    return re.sub(r"\n{3,}", "\n\n", "\n".join(out)).strip()


def _quiz(state: _State, argument: str, line: int) -> str:
    try:
        from .quiz import quiz_markdown
    except ImportError:
        state.fail(line, "the {quiz} directive needs book_extensions/quiz.py with quiz_markdown(chapter_id)")
    return quiz_markdown(argument)


def _cell_lines(text: str, cells) -> list[int]:
    """The line of the .md on which each cell's source starts (for error messages)."""
    found, position = [], 0
    for cell in cells:
        offset = text.find(cell.source.split("\n", 1)[0], position) if cell.source else -1
        if offset < 0:
            found.append(text.count("\n", 0, position) + 1)
            continue
        found.append(text.count("\n", 0, offset) + 1)
        position = offset + 1
    return found


def first_cell(book: Book, docname: str, source_name: str) -> str:
    title = book.page_titles.get(docname, docname)
    chapter = book.chapter_numbers.get(docname)
    where = f"Chapter {chapter}, “{title}”" if chapter else f"“{title}”"
    help_line = (f"Questions, or something wrong? Ask your seminar leader, or open an issue at <{book.issues_url}>."
                 if book.issues_url else "Questions, or something wrong? Ask your seminar leader.")
    return (f"*This notebook is {where} of the course book [{book.book_title}]({book.site_url}): "
            f"the same text is on [its page in the book]({book.page_url(docname)}), with every figure drawn. "
            f"It is made from `{source_name}`. Run the cells from the top (Run → Run All Cells): "
            f"the numbers in the text are the ones the book computed from the same data.*\n\n"
            f"*{help_line}*")


def render_notebook(source: Path, edition: str, glue: dict[str, str], book: Book | None = None) -> nbformat.NotebookNode:
    """``source`` (a MyST notebook of the book) as a plain Jupyter notebook of ``edition`` (student or instructor).

    ``glue`` maps each glue key to the ``text/plain`` value the book's
    execution stored. Code cells are kept as they are (the instructor edition
    keeps every one; the student edition drops the solutions'), without outputs.
    """
    if edition not in (STUDENT, INSTRUCTOR):
        raise ValueError(f"edition must be {STUDENT!r} or {INSTRUCTOR!r}, not {edition!r}")
    source = Path(source).resolve()
    book = book or read_book(source.parent if (source.parent / "_toc.yml").is_file() else _root_of(source))
    docname = source.relative_to(book.root).with_suffix("").as_posix()
    text = source.read_text(encoding="utf-8")
    myst = jupytext.reads(text, fmt="md:myst")
    state = _State(source=source.relative_to(book.root), docname=docname, edition=edition, book=book, glue=glue)
    markdown = "\n".join(cell.source for cell in myst.cells if cell.cell_type == "markdown")
    state.headings = {_plain_title(m.group("title")) for m in map(_HEADING.match, markdown.split("\n")) if m}
    cells = [nbformat.v4.new_markdown_cell(first_cell(book, docname, state.source.as_posix()))]
    for cell, line in zip(myst.cells, _cell_lines(text, myst.cells)):
        state.line = line
        if cell.cell_type == "code":
            if state.in_gated_solution is not None and not state.instructor:
                continue
            code = nbformat.v4.new_code_cell(cell.source)
            tags = cell.metadata.get("tags")
            if tags:
                code.metadata["tags"] = list(tags)
            cells.append(code)
        elif cell.cell_type == "markdown":
            rendered = _blocks(state, cell.source)
            # the References (a heading before {footbibliography}) get a cell of their own, at the end
            parts = re.split(r"\n(?=#{1,6} References\n)", rendered) if rendered else []
            cells.extend(nbformat.v4.new_markdown_cell(part.strip()) for part in parts if part.strip())
        else:
            cells.append(cell)
    unlisted = state.cited[state.listed:]
    if unlisted:
        cells.append(nbformat.v4.new_markdown_cell("## References\n\n" + reference_list(book, unlisted)))
    for number, cell in enumerate(cells):  # fixed ids: the same source gives the same bytes
        cell["id"] = f"cell-{number}"
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata = {"kernelspec": dict(myst.metadata.get("kernelspec", {})),
                         "language_info": {"name": "python"}}
    return notebook


def _root_of(path: Path) -> Path:
    for folder in path.parents:
        if (folder / "_toc.yml").is_file():
            return folder
    raise NotebookEditionError(f"{path}: no _toc.yml in any folder above it")


def notebook_text(notebook: nbformat.NotebookNode) -> str:
    text = nbformat.writes(notebook)
    return text if text.endswith("\n") else text + "\n"


def read_glue_file(path: Path) -> dict[str, str]:
    """The glue values myst-nb stored for one executed page (``jupyter_execute/<docname>.glue.json``)."""
    return glue_values(json.loads(path.read_text(encoding="utf-8")))
