"""Printable handouts for the seminar: cards, case files and sheets drawn from the course data.

Each function returns HTML that the book shows as a page and the print
stylesheet (``_static/print.css``) lays out one handout per sheet, so a TA
prints from the browser and never copies rows by hand. Everything comes from
the validated tables, so a corrected row is corrected on the handout too.
"""

from __future__ import annotations

from html import escape

import pandas as pd

from .labels import CATEGORY_LABELS
from .text import format_date

SHEET = '<section class="handout-sheet">{}</section>'


class HTML(str):
    """HTML that Jupyter and the book display as HTML (no IPython import needed)."""

    def _repr_html_(self) -> str:
        return str(self)


def _sheet(title: str, body: str, note: str = "") -> str:
    note_html = f'<p class="handout-note">{escape(note)}</p>' if note else ""
    return SHEET.format(f'<h2 class="handout-title">{escape(title)}</h2>{note_html}{body}')


def event_card(row: pd.Series, show_tone: bool = False) -> str:
    """One event on a card: date, title, category and summary (tone only if asked for)."""
    tone = f'<p class="card-tone">Tone: {row["tone"]:+d}</p>' if show_tone else ""
    return (
        '<div class="handout-card">'
        f'<p class="card-date">{escape(format_date(row["date"], row["date_precision"]))}</p>'
        f'<p class="card-title">{escape(row["title"])}</p>'
        f'<p class="card-category">{escape(CATEGORY_LABELS[row["category"]])}</p>'
        f'<p class="card-summary">{escape(row["summary"])}</p>{tone}'
        f'<p class="card-id">{escape(row["id"])}</p>'
        "</div>"
    )


def event_cards(events: pd.DataFrame, title: str, note: str = "", shuffle_seed: int | None = None,
                show_tone: bool = False) -> HTML:
    """A sheet of event cards; ``shuffle_seed`` puts them out of date order for sorting tasks."""
    rows = events.sample(frac=1, random_state=shuffle_seed) if shuffle_seed is not None else events
    cards = "".join(event_card(row, show_tone) for _, row in rows.iterrows())
    return HTML(_sheet(title, f'<div class="handout-cards">{cards}</div>', note))


def case_file(recommendation: pd.Series, strand: pd.DataFrame, group: int) -> str:
    """One group's case file: the recommendation in the course's paraphrase and its strand of events."""
    rows = "".join(
        f"<tr><td>{escape(format_date(r['date'], r['date_precision']))}</td><td>{escape(r['title'])}</td>"
        f"<td><code>{escape(r['id'])}</code></td></tr>"
        for _, r in strand.iterrows()
    )
    body = (
        f'<p><strong>Recommendation ({escape(recommendation["id"])}):</strong> {escape(recommendation["paraphrase"])}</p>'
        '<table class="handout-table"><thead><tr><th>Date</th><th>Event</th><th>id</th></tr></thead>'
        f"<tbody>{rows}</tbody></table>"
        '<p class="handout-lines">Prosecution (Lisbon went against it):</p>'
        '<p class="handout-lines">Defence (Lisbon followed it):</p>'
        '<p class="handout-lines">Verdict, in five lines:</p>'
    )
    return _sheet(f"Case file, group {group}", body)


def blank_template(title: str, prompts: list[str], copies: int = 1) -> HTML:
    """A fill-in template (e.g. an evidence card), ``copies`` to a sheet."""
    fields = "".join(f'<p class="handout-lines">{escape(prompt)}</p>' for prompt in prompts)
    return HTML("".join(_sheet(title, fields) for _ in range(copies)))


def coding_sheet(paragraphs: pd.DataFrame, claims: pd.DataFrame, document: str, title: str,
                 only_claims: list[str] | None = None) -> HTML:
    """Numbered paragraphs of one seed (topic and opening words only) with boxes for stance and theme."""
    doc = paragraphs[paragraphs["document"] == document]
    wanted = set(only_claims) if only_claims else None
    stances = "optimistic / sceptical / prescriptive / descriptive"
    rows = []
    for _, p in doc.iterrows():
        ids = [i for i in p["claim_ids"] if wanted is None or i in wanted]
        rows.append(
            f"<tr><td>{p['paragraph']}</td><td>{escape(p['section'])}</td><td>{escape(p['topic'])}</td>"
            f"<td>“{escape(p['opening'])} …”</td><td>{escape(', '.join(ids))}</td>"
            f'<td class="handout-box">{stances}</td><td class="handout-box"></td></tr>'
        )
    table = (
        '<table class="handout-table"><thead><tr><th>¶</th><th>Section</th><th>Topic</th><th>Opens with</th>'
        "<th>Claim ids</th><th>Your stance</th><th>Your theme</th></tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table>"
    )
    themes = ", ".join(sorted(theme.replace("_", " ") for theme in claims["theme"].astype(str).unique()))
    return HTML(_sheet(title, table, f"Themes to choose from: {themes}."))
