"""The datasets themselves: complete, in range, consistent with each other.

test_data_loader.py proves that bad files are rejected; these tests prove
that the files we ship are good and cover what the course promises.
"""

from __future__ import annotations

import pandas as pd
import pytest

from nato_russia import load_events, load_table
from nato_russia.data import bibtex_keys, validate_all

YEARS = range(1991, 2011)


def test_data_package_validates_without_problems():
    problems = {table: found for table, found in validate_all().items() if found}
    assert problems == {}


def test_at_least_150_events_over_the_whole_period():
    events = load_events()
    assert len(events) >= 150
    assert events["date"].min() >= pd.Timestamp("1991-01-01")
    assert events["date"].max() <= pd.Timestamp("2010-12-31")


def test_every_year_has_events():
    counts = load_events()["date"].dt.year.value_counts()
    empty = [year for year in YEARS if counts.get(year, 0) == 0]
    assert empty == [], f"years without events: {empty}"


def test_spans_end_after_they_start():
    events = load_events()
    spans = events.dropna(subset=["end_date"])
    assert len(spans) > 0
    assert (spans["end_date"] >= spans["date"]).all()


def test_every_source_key_is_in_the_bibliography():
    keys = bibtex_keys()
    for table in ("events", "nato_members", "office_holders", "agreements"):
        used = set(load_table(table)["sources"].explode().dropna())
        assert used <= keys, f"{table}: {sorted(used - keys)} missing from references.bib"


def test_page_level_sources_only_where_read_off_the_document():
    # The only page number we could read off a source is p. 20 of Matser's
    # article (its first page carries the printed folio). Never guess others.
    events = load_events()
    pages = events["source_pages"].explode().dropna()
    assert len(pages) > 0
    assert set(pages) == {"matser2001=20"}


@pytest.mark.parametrize("seed", ["matser2001", "amo2010"])
def test_each_seed_discusses_events_and_is_cited_by_them(seed):
    events = load_events()
    discussed = events[events["seed"].apply(lambda items: seed in (items or []))]
    assert len(discussed) >= 10
    assert discussed["sources"].apply(lambda keys: seed in keys).all(), "a seed-discussed event must cite the seed"


@pytest.mark.parametrize("event_id", [
    # Matser (2001): every event the article discusses.
    "1991-nacc-first-meeting", "1994-brussels-summit-open-door", "1995-enlargement-study",
    "1996-primakov-foreign-minister", "1997-founding-act-signed", "1994-first-chechen-war",
    "1999-allied-force", "1999-russia-leaves-pjc", "1999-dagestan-second-chechen-war",
    "2000-putin-elected", "2000-pjc-resumes", "2001-nato-information-office-moscow",
    "2001-september-11", "2001-putin-robertson-brussels", "2001-putin-robertson-moscow",
    "2001-washington-crawford-summit", "2001-pjc-ministers-new-relationship", "2002-prague-invitations",
    # Prague roundtable (2010).
    "2002-nrc-rome", "2008-russia-georgia-war", "2008-medvedev-berlin-proposal",
    "2009-draft-european-security-treaty", "2009-biden-reset-button", "2008-bucharest-summit",
    "2008-czech-radar-agreement", "2008-poland-interceptor-agreement", "2010-prague-roundtable",
])
def test_seed_events_are_present(event_id):
    assert event_id in set(load_events()["id"])


def test_nato_membership_in_2010():
    members = load_table("nato_members")
    assert len(members) == 28
    rounds = members.groupby("enlargement_round").size().to_dict()
    assert rounds == {1949: 12, 1952: 2, 1955: 1, 1982: 1, 1999: 3, 2004: 7, 2009: 2}
    first_day = members.groupby("enlargement_round")["accession_date"].min().dt.year
    assert (first_day.index == first_day.values).all(), "each round's accession falls in its year"


def test_office_terms_do_not_overlap_within_a_role():
    holders = load_table("office_holders").sort_values(["role", "start_date"])
    for role, terms in holders.groupby("role", observed=True):
        ends = terms["end_date"].fillna(pd.Timestamp("2010-12-31")).iloc[:-1].to_numpy()
        starts = terms["start_date"].iloc[1:].to_numpy()
        assert (starts >= ends).all(), f"{role}: overlapping terms"
        assert terms["end_date"].isna().sum() <= 1, f"{role}: more than one holder still in office"


def test_agreements_dates_are_consistent_with_status():
    agreements = load_table("agreements")
    in_force = agreements[agreements["status_2010"] == "in_force"]
    assert in_force["in_force_date"].notna().all()
    assert in_force["ended_date"].isna().all()
    ended = agreements[agreements["status_2010"] == "terminated"]
    assert ended["ended_date"].notna().all()
    suspended = agreements[agreements["status_2010"] == "suspended"]
    assert suspended["suspended_date"].notna().all()


def test_every_seed_claim_is_tied_to_a_theme_and_most_to_events():
    claims = load_table("seed_claims")
    assert set(claims["document"]) == {"matser2001", "amo2010", "russia2000concept"}
    with_events = claims["event_ids"].apply(lambda ids: bool(ids)).mean()
    assert with_events >= 0.5
