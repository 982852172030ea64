"""The self-check questions of every chapter's exercises: accepted answers computed from the data, and hints.

:mod:`nato_russia.selfcheck` is the one engine that checks an answer against
these questions. Each question's answers are computed from the validated
course data when the check runs, so they stay right when the data are
corrected, and every tied answer is accepted. A hint names a method, never
the answer. One section per chapter, in the book's order; the chapter's
``check("…")`` lines name the questions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pandas as pd

from .data import PERIODS, load_table, period_of
from .labels import CATEGORY_LABELS, SEED_LABELS, THEME_LABELS


@dataclass(frozen=True)
class Question:
    """``answers(events)`` gives every accepted answer (ties included), from the validated data at check time.

    An answer is a number, a text, or a frozenset (for "which years…" questions whose answer is a list).
    ``column`` names the data column a text answer comes from, so a figure's label (``Institutions``)
    can be traced back to the code the table spells (``institution``).
    """

    answers: Callable[[pd.DataFrame], set]
    hint: str
    column: str | None = None


def most_common(series: pd.Series) -> set:
    """Every value tied for the most frequent, as text."""
    counts = series.value_counts()
    return set(counts[counts == counts.max()].index.astype(str))


def tied_extremes(series: pd.Series, lowest: bool = False) -> set:
    """Every index label tied for the highest (or lowest) value of a series."""
    series = series.dropna()
    extreme = series.min() if lowest else series.max()
    return {_plain(label) for label in series[series == extreme].index}


def top_with_ties(series: pd.Series, n: int) -> frozenset:
    """The index labels of the ``n`` largest values, with every label tied with the n-th kept in."""
    return frozenset(_plain(label) for label in series.nlargest(n, keep="all").index)


def _plain(value):
    return value.item() if hasattr(value, "item") else value


def in_period(events: pd.DataFrame, period: str) -> pd.DataFrame:
    """The events of one of the book's periods (a key of PERIODS, e.g. "1991–1996")."""
    return events[events["date"].between(*PERIODS[period])]


# --- chapters/timeline.md -------------------------------------------------------------------------
def _timeline_events_per_year(events: pd.DataFrame) -> pd.Series:
    return events.groupby(events["date"].dt.year).size()


def _timeline_leading_categories_of_busiest_year(events: pd.DataFrame) -> set:
    """The categories tied for first place in any year tied for the most events, as code or as label."""
    per_year = _timeline_events_per_year(events)
    leaders = set()
    for year in tied_extremes(per_year):
        in_year = events.loc[events["date"].dt.year == year, "category"].astype(str)
        leaders |= tied_extremes(in_year.value_counts())
    return leaders | {CATEGORY_LABELS[code] for code in leaders}


def _timeline_seed_rows(events: pd.DataFrame, seed: str) -> pd.DataFrame:
    return events[events["seed"].apply(lambda seeds: seed in seeds)]


def _timeline_lean(events: pd.DataFrame) -> set:
    key = events[events["key"].astype(bool)]
    key_share, all_share = (key["tone"] < 0).mean(), (events["tone"] < 0).mean()
    return {"ruptures"} if key_share > all_share else {"agreements"} if key_share < all_share else {"neither"}


TIMELINE_QUESTIONS: dict[str, Question] = {
    "busiest-years": Question(
        lambda e: {top_with_ties(_timeline_events_per_year(e), 3)},
        "Add up per_year's events for each year (group by year, then sum), take the three largest with "
        "nlargest(3, keep=\"all\") so that ties stay in, and give the years as a list.",
    ),
    "busiest-year-category": Question(
        _timeline_leading_categories_of_busiest_year,
        "Keep the rows of per_year for the busiest year, then sort them by events: the top row's category "
        "is the answer (copy it as the table writes it).",
        column="category",
    ),
    "matser-events": Question(
        lambda e: {len(_timeline_seed_rows(e, "matser2001"))},
        "by_seed has one row per event and seed document; count the rows whose seed is \"matser2001\".",
    ),
    "roundtable-earliest-year": Question(
        lambda e: {int(_timeline_seed_rows(e, "amo2010")["date"].min().year)},
        "Keep the rows of by_seed whose seed is \"amo2010\" and take the smallest date; the answer is its .year.",
    ),
    "key-share-negative": Question(
        lambda e: {float((e.loc[e["key"].astype(bool), "tone"] < 0).mean())},
        "In key_events, (key_events[\"tone\"] < 0) is True for each negative event; the mean of True/False "
        "values is the share (a number between 0 and 1).",
    ),
    "key-events-lean": Question(
        _timeline_lean,
        "Compare the share of negative events among the key events with the share among all events: "
        "if it is higher, the headlines lean towards \"ruptures\"; if lower, towards \"agreements\".",
    ),
}


# --- chapters/python_primer.md, its worked tasks --------------------------------------------------
def _primer_titles_with_extreme_tone(events: pd.DataFrame, lowest: bool) -> set:
    extreme = events["tone"].min() if lowest else events["tone"].max()
    return set(events.loc[events["tone"] == extreme, "title"])


PRIMER_QUESTIONS: dict[str, Question] = {
    "how-many-events": Question(
        lambda e: {len(e)},
        "Count the rows of the DataFrame: len(events), or events.shape[0].",
    ),
    "first-event-category": Question(
        lambda e: {str(e.iloc[0]["category"])},
        "The events are sorted by date; look at the category of the first row: events.iloc[0].",
        column="category",
    ),
    "enlargement-events": Question(
        lambda e: {int((e["category"] == "enlargement").sum())},
        'Filter with events[events["category"] == "enlargement"], then count the rows.',
    ),
    "events-in-1999": Question(
        lambda e: {int((e["date"].dt.year == 1999).sum())},
        'Compare events["date"].dt.year with 1999 and count the matching rows.',
    ),
    "most-common-category": Question(
        lambda e: most_common(e["category"].astype(str)),
        'events["category"].value_counts() lists categories from the most to the least common.',
        column="category",
    ),
    "most-negative-event": Question(
        lambda e: _primer_titles_with_extreme_tone(e, lowest=True),
        'Sort with events.sort_values("tone") and read the title of the first row (copy it exactly).',
    ),
}


# --- chapters/python_primer.md, its exercises -----------------------------------------------------
def _primer_exercises_joint_cooperation(events: pd.DataFrame) -> pd.DataFrame:
    both = events["actors"].apply(lambda codes: "RUS" in codes and "NATO" in codes)
    return events[both & (events["category"] == "cooperation")]


def _primer_exercises_top_five_categories(events: pd.DataFrame) -> set:
    """The commonest category of the five most cooperative events of 2000–2002, however ties at fifth place fall."""
    early = events[events["date"].between("2000-01-01", "2002-12-31")]
    answers = set()
    for keep in ("first", "last", "all"):
        answers |= most_common(early.nlargest(5, "tone", keep=keep)["category"].astype(str))
    return answers


PRIMER_EXERCISES_QUESTIONS: dict[str, Question] = {
    "joint-cooperation-events": Question(
        lambda e: {len(_primer_exercises_joint_cooperation(e))},
        'Combine the two tests with &, each in its own brackets: events[both & (events["category"] == "cooperation")]; then count the rows.',
    ),
    "joint-cooperation-first-year": Question(
        lambda e: {int(_primer_exercises_joint_cooperation(e)["date"].min().year)},
        "The earliest date of your filtered table is its date column's .min(); a date's year is .year.",
    ),
    "top-five-category": Question(
        _primer_exercises_top_five_categories,
        'Keep the rows between the two dates with .between(...), take .nlargest(5, "tone"), then .value_counts() of their category.',
        column="category",
    ),
    "peak-crisis-year": Question(
        lambda e: tied_extremes(e.loc[e["category"] == "crisis", "date"].dt.year.value_counts()),
        'Filter the crisis rows, group them by crises["date"].dt.year, count with .size(), and find the largest count.',
    ),
}


# --- chapters/prologue_1990.md --------------------------------------------------------------------
def _prologue_categories(rows: pd.DataFrame) -> set:
    return set(rows["category"].astype(str))


def _prologue_new_after_1990(events: pd.DataFrame) -> set:
    year = events[events["date"].dt.year == 1990]
    early = events[events["date"].between(*PERIODS["1991–1996"])]
    codes = _prologue_categories(early) - _prologue_categories(year)
    return {frozenset(codes), frozenset(CATEGORY_LABELS[code] for code in codes)}


PROLOGUE_QUESTIONS: dict[str, Question] = {
    "categories-new-after-1990": Question(
        _prologue_new_after_1990,
        "Compare the index of the two summaries: a category in the 1991–1996 summary but not in the 1990 one "
        "belongs in the list. set(a.index) - set(b.index) gives what a has and b lacks.",
    ),
    "events-1990-without-link": Question(
        lambda e: {int(e.loc[e["date"].dt.year == 1990, "url"].isna().sum())},
        'year["url"].isna() is True for each event with no link; the sum of True values counts them.',
    ),
}


# --- chapters/partners_1991_1996.md ---------------------------------------------------------------
def _partners_mean_tone_by_year(events: pd.DataFrame) -> pd.Series:
    period = in_period(events, "1991–1996")
    return period.groupby(period["date"].dt.year)["tone"].mean()


def _partners_top_actors(events: pd.DataFrame) -> set:
    actors = in_period(events, "1991–1996")["actors"].explode()
    return tied_extremes(actors[~actors.isin(["NATO", "RUS"])].value_counts())


def _partners_mean_tone_in_term(events: pd.DataFrame, person: str) -> float:
    holders = load_table("office_holders")
    term = holders[(holders["role"] == "russian_foreign_minister") & (holders["person"] == person)].iloc[0]
    involves_russia = events["actors"].apply(lambda codes: "RUS" in codes)
    in_term = events["date"].between(term["start_date"], term["end_date"])
    return float(events.loc[in_term & involves_russia, "tone"].mean())


def _partners_primakov_lower(events: pd.DataFrame) -> set:
    lower = _partners_mean_tone_in_term(events, "Yevgeny Primakov") < _partners_mean_tone_in_term(events, "Andrei Kozyrev")
    return {"yes"} if lower else {"no"}


PARTNERS_QUESTIONS: dict[str, Question] = {
    "partners-lowest-mean-year": Question(
        lambda e: tied_extremes(_partners_mean_tone_by_year(e), lowest=True),
        'Group period by period["date"].dt.year, take the mean of "tone", and find the year of the smallest mean (.idxmin()).',
    ),
    "partners-top-actor": Question(
        _partners_top_actors,
        "value_counts() of the other actors puts the commonest first; its index holds the actor codes.",
    ),
    "primakov-mean-tone": Question(
        lambda e: {_partners_mean_tone_in_term(e, "Yevgeny Primakov")},
        'Take the rows events_in_term("Yevgeny Primakov") gives and the mean of their "tone" column.',
    ),
    "primakov-lower-tone": Question(
        _partners_primakov_lower,
        'Compare the two ministers\' mean tones: answer "yes" if Primakov\'s is lower than Kozyrev\'s, "no" if not.',
    ),
}


# --- chapters/founding_act_1997_1999.md -----------------------------------------------------------
AIR_CAMPAIGN = "1999-03-24"


def _founding_act_titles_at_lowest_tone(rows: pd.DataFrame) -> set:
    return set(rows.loc[rows["tone"] == rows["tone"].min(), "title"])


FOUNDING_ACT_QUESTIONS: dict[str, Question] = {
    "founding-mean-tone-after": Question(
        lambda e: {float(in_period(e, "1997–1999").loc[in_period(e, "1997–1999")["date"] >= AIR_CAMPAIGN, "tone"].mean())},
        'Keep the rows of period whose date is on or after "1999-03-24" (>=) and take the mean of their "tone".',
    ),
    "founding-most-negative-event": Question(
        lambda e: _founding_act_titles_at_lowest_tone(in_period(e, "1997–1999")),
        'Sort period by "tone" (or use .nsmallest(1, "tone")) and copy the title of the first row exactly.',
    ),
    "founding-most-cited-source": Question(
        lambda e: tied_extremes(in_period(e, "1997–1999")["sources"].explode().value_counts()),
        "value_counts() of the exploded sources puts the most cited key first; its index holds the keys.",
    ),
    "spring-1999-cooperative-after": Question(
        lambda e: {int(((e["date"].between(AIR_CAMPAIGN, "1999-06-30")) & (e["tone"] > 0)).sum())},
        'Keep the events dated between "1999-03-24" and "1999-06-30" whose tone is above zero, then count them.',
    ),
}


# --- chapters/at_twenty_2000_2002.md --------------------------------------------------------------
def _at_twenty_warm_before_attacks(events: pd.DataFrame) -> pd.DataFrame:
    period = in_period(events, "2000–2002")
    return period[(period["date"] < "2001-09-11") & (period["tone"] >= 3)]


def _at_twenty_treaties_in_force(day: str = "2002-12-31") -> frozenset:
    agreements = load_table("agreements")
    treaties = agreements[agreements["kind"] == "treaty"]
    in_force = (treaties["in_force_date"] <= day) & ~(treaties["ended_date"] <= day)
    return frozenset(treaties.loc[in_force, "short_name"])


def _at_twenty_positive_quarters_before(events: pd.DataFrame) -> int:
    period = in_period(events, "2000–2002")
    means = period.groupby(period["date"].dt.to_period("Q"))["tone"].mean()
    return int((means[means.index < pd.Period("2001Q3")] > 0).sum())


AT_TWENTY_QUESTIONS: dict[str, Question] = {
    "twenty-warm-before-attacks": Question(
        lambda e: {len(_at_twenty_warm_before_attacks(e))},
        'Two tests in brackets joined by &: the date is before "2001-09-11" and the tone is 3 or more; then count the rows.',
    ),
    "twenty-warm-matser-mentions": Question(
        lambda e: {int(_at_twenty_warm_before_attacks(e)["seed"].apply(lambda seeds: "matser2001" in seeds).sum())},
        'The starter\'s my_matser column is True where Matser discusses the event: the sum of True values counts them.',
    ),
    "treaties-in-force-2002": Question(
        lambda e: {_at_twenty_treaties_in_force()},
        "Keep the treaties whose in_force_date is on or before the day and whose ended_date is not; "
        "give their short_name values as a list.",
    ),
    "twenty-positive-quarters-before": Question(
        lambda e: {_at_twenty_positive_quarters_before(e)},
        'Keep the quarters before 2001 Q3 (my_quarters.index < pd.Period("2001Q3")) and count those whose mean_tone is above 0.',
    ),
}


# --- chapters/drift_2003_2007.md ------------------------------------------------------------------
TENSION = ("crisis", "arms_control")


def _drift_energy(events: pd.DataFrame) -> pd.DataFrame:
    return events[events["category"] == "energy"]


def _drift_widest_gap_years(events: pd.DataFrame) -> set:
    period = in_period(events, "2003–2007")
    by_year = period.groupby(period["date"].dt.year)
    cooperation = by_year.apply(lambda rows: rows.loc[rows["category"] == "cooperation", "tone"].mean(), include_groups=False)
    tension = by_year.apply(lambda rows: rows.loc[rows["category"].isin(TENSION), "tone"].mean(), include_groups=False)
    return tied_extremes((cooperation - tension).astype(float))


DRIFT_QUESTIONS: dict[str, Question] = {
    "drift-coop-nonpositive": Question(
        lambda e: {int(((in_period(e, "2003–2007")["category"] == "cooperation") & (in_period(e, "2003–2007")["tone"] <= 0)).sum())},
        'Keep the cooperation rows of period, then count those whose tone is 0 or below (<= 0).',
    ),
    "drift-tension-mean": Question(
        lambda e: {float(in_period(e, "2003–2007").loc[in_period(e, "2003–2007")["category"].isin(TENSION), "tone"].mean())},
        'period["category"].isin(["crisis", "arms_control"]) is True for both kinds at once; take the mean tone of those rows.',
    ),
    "drift-energy-in-period": Question(
        lambda e: {int(_drift_energy(e)["date"].between(*PERIODS["2003–2007"]).sum())},
        'my_all_energy["date"].between(start, end) is True for the energy events of 2003–2007; add up the True values.',
    ),
    "drift-energy-share": Question(
        lambda e: {float(_drift_energy(e)["date"].between(*PERIODS["2003–2007"]).mean())},
        "The share is the number in the period divided by the number of all energy events "
        "(or the mean of the True/False column), a number between 0 and 1.",
    ),
    "drift-widest-gap-year": Question(
        _drift_widest_gap_years,
        "Put the two groups' yearly means side by side (my_yearly.pivot(index=\"year\", columns=\"group\", values=\"mean\")), "
        "subtract one column from the other, and find the year of the largest difference (.idxmax()).",
    ),
}


# --- chapters/reset_2008_2010.md ------------------------------------------------------------------
PRECEDENT = "2007-uk-expels-diplomats"  # the closest precedent for the row the stretch exercise adds


RESET_QUESTIONS: dict[str, Question] = {
    "reset-lowest-mean-year": Question(
        lambda e: tied_extremes(in_period(e, "2008–2010").groupby(in_period(e, "2008–2010")["date"].dt.year)["tone"].mean(), lowest=True),
        'Group period by period["date"].dt.year, take the mean of "tone", and find the year of the smallest mean (.idxmin()).',
    ),
    "reset-roundtable-linked": Question(
        lambda e: {int(in_period(e, "2008–2010")["seed"].apply(lambda seeds: "amo2010" in seeds).sum())},
        "my_discussed is True for each event the roundtable discusses; the sum of True values counts them.",
    ),
    "precedent-tone": Question(
        lambda e: {int(e.loc[e["id"] == PRECEDENT, "tone"].iloc[0])},
        f'Filter events for the row whose id is "{PRECEDENT}" and read its tone (.iloc[0] picks the value out).',
    ),
}


# --- chapters/reading_sources.md ------------------------------------------------------------------
NRC_AGREEMENTS = ["2004-nrc-terrorism-action-plan", "2005-vilnius-sofa", "2005-nrc-counter-narcotics"]


def _reading_sources_most_sceptical(events: pd.DataFrame) -> set:
    claims = load_table("seed_claims")
    share = (claims["stance"] == "sceptical").groupby(claims["document"].astype(str)).mean()
    codes = tied_extremes(share)
    return codes | {SEED_LABELS.get(code, code) for code in codes}


def _reading_sources_themes_in_one_document(events: pd.DataFrame) -> set:
    claims = load_table("seed_claims")
    documents_per_theme = claims.groupby(claims["theme"].astype(str))["document"].nunique()
    codes = frozenset(documents_per_theme[documents_per_theme == 1].index)
    return {codes, frozenset(THEME_LABELS.get(code, code) for code in codes)}


def _reading_sources_reset_events(events: pd.DataFrame) -> pd.DataFrame:
    return events[events["title"].str.contains("reset", case=False)]


READING_SOURCES_QUESTIONS: dict[str, Question] = {
    "most-sceptical-document": Question(
        _reading_sources_most_sceptical,
        "my_sceptical_share has one value per document; the document with the largest share is its .idxmax().",
    ),
    "themes-in-one-document": Question(
        _reading_sources_themes_in_one_document,
        "In a crosstab of theme against document, a theme found in one document only has exactly one count above 0 "
        "in its row: (table > 0).sum(axis=1) == 1. Give the themes as a list.",
    ),
    "reset-events-count": Question(
        lambda e: {len(_reading_sources_reset_events(e))},
        'events["title"].str.contains("reset", case=False) is True for every title with the word, in any capitals; count those rows.',
    ),
    "reset-first-event-id": Question(
        lambda e: set(_reading_sources_reset_events(e).loc[lambda rows: rows["date"] == rows["date"].min(), "id"]),
        "The events are in date order, so the first row of your filtered table is the earliest: copy its id exactly.",
    ),
    "nrc-agreements-median-tone": Question(
        lambda e: {float(e.loc[e["id"].isin(NRC_AGREEMENTS), "tone"].median())},
        'Keep the rows whose id is in my_precedents (.isin) and take the .median() of their "tone".',
    ),
}


# --- chapters/measuring.md ------------------------------------------------------------------------
BRIEFS = {
    "A": {"enlargement": 2.0},
    "B": {"enlargement": 0.0},
    "C": {"summit": 0.5, "cooperation": 2.0},
    "D": {"conflict": 2.0, "crisis": 2.0},
}


def _measuring_index(events: pd.DataFrame, **options) -> pd.DataFrame:
    from nato_russia import monthly_tone_index  # imported late: the figure helpers are not needed to define questions

    return monthly_tone_index(events, **options)


def _measuring_month_with_row_at_zero(events: pd.DataFrame, event_id: str, month: str) -> float:
    tone = events["tone"].copy()
    tone.loc[events["id"] == event_id] = 0
    return float(_measuring_index(events, tone=tone).loc[pd.Timestamp(month), "index"])


def _measuring_yukos_october(events: pd.DataFrame) -> float:
    as_crisis = events.assign(category=events["category"].astype(str).where(events["id"] != "2003-yukos-khodorkovsky", "crisis"))
    return float(_measuring_index(as_crisis, weights=BRIEFS["D"]).loc[pd.Timestamp("2003-10-01"), "index"])


def _measuring_period_changing_most(events: pd.DataFrame) -> set:
    course, weighted = _measuring_index(events), _measuring_index(events, weights=BRIEFS["C"])
    months = pd.Series(course.index, index=course.index)
    change = weighted["index"].groupby(period_of(months)).mean() - course["index"].groupby(period_of(months)).mean()
    return {str(period) for period in tied_extremes(change.abs())}


def _measuring_lowest_alpha(events: pd.DataFrame) -> set:
    import krippendorff

    course = events["tone"].astype(float)
    alphas = pd.Series({
        brief: krippendorff.alpha(reliability_data=[course.tolist(), (course * events["category"].astype(str).map(weights).fillna(1.0)).tolist()],
                                  level_of_measurement="interval")
        for brief, weights in BRIEFS.items()
    })
    return tied_extremes(alphas.round(6), lowest=True)


MEASURING_QUESTIONS: dict[str, Question] = {
    "attacks-tone": Question(
        lambda e: {int(e.loc[e["id"] == "2001-september-11", "tone"].iloc[0])},
        'Filter events for the row whose id is "2001-september-11" and read its "tone" (.iloc[0] picks the value out).',
    ),
    "september-2001-recoded": Question(
        lambda e: {_measuring_month_with_row_at_zero(e, "2001-september-11", "2001-09-01")},
        'Copy the tone column, set the attacks\' row to your score, rebuild with monthly_tone_index(events, tone=...), '
        'and read .loc[pd.Timestamp("2001-09-01"), "index"]; this check expects the score 0.',
    ),
    "august-2000-recoded": Question(
        lambda e: {_measuring_month_with_row_at_zero(e, "2000-kursk-sinks", "2000-08-01")},
        'Set the Kursk row\'s tone to 0 in a copy of the tone column, rebuild the index with tone=..., and read August 2000\'s "index".',
    ),
    "yukos-october-crises-double": Question(
        lambda e: {_measuring_yukos_october(e)},
        "Use the recoded copy (Yukos as crisis) and weights={\"conflict\": 2.0, \"crisis\": 2.0}; read October 2003's \"index\".",
    ),
    "weights-period-changing-most": Question(
        _measuring_period_changing_most,
        "Subtract the course's mean per period from the weighted one and look for the largest change either way "
        "(.abs().idxmax()); copy the period's name exactly, dash included.",
    ),
    "lowest-alpha-brief": Question(
        _measuring_lowest_alpha,
        "Compute alpha for each brief in a loop and keep them in a dictionary; the brief with the smallest value is the answer (one letter).",
    ),
}


CHAPTER_QUESTIONS = (
    TIMELINE_QUESTIONS, PRIMER_QUESTIONS, PRIMER_EXERCISES_QUESTIONS, PROLOGUE_QUESTIONS, PARTNERS_QUESTIONS,
    FOUNDING_ACT_QUESTIONS, AT_TWENTY_QUESTIONS, DRIFT_QUESTIONS, RESET_QUESTIONS, READING_SOURCES_QUESTIONS,
    MEASURING_QUESTIONS,
)


def _collect() -> dict[str, Question]:
    questions: dict[str, Question] = {}
    for chapter in CHAPTER_QUESTIONS:
        repeated = set(questions) & set(chapter)
        if repeated:
            raise ValueError(f"question names used by two chapters: {sorted(repeated)}")
        questions.update(chapter)
    return questions


QUESTIONS: dict[str, Question] = _collect()
