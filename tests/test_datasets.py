"""The datasets themselves: complete, in range, consistent with each other.

test_data_loader.py proves that bad files are rejected; these tests prove
that the files we ship are good and cover what the course promises.
"""

from __future__ import annotations

import pandas as pd
import pytest

from nato_russia import PERIODS, load_epilogue, load_events, load_table, period_of
from nato_russia.data import FIRST_DAY, LAST_DAY, bibtex_keys, data_dir, validate_all

YEARS = range(1990, 2011)  # the 1990 prologue and the book's years 1991–2010


def test_data_package_validates_without_problems():
    problems = {table: found for table, found in validate_all().items() if found}
    assert problems == {}


def test_frictionless_validates_the_package_as_published():
    from frictionless import Package

    report = Package(str(data_dir() / "datapackage.json")).validate()
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])


def test_coarse_dates_are_explained_and_rare():
    events = load_events()
    coarse = events[events["date_precision"] != "day"]
    assert coarse["date_note"].notna().all()
    assert len(coarse) <= 12, f"{len(coarse)} events lack an exact day: {list(coarse['id'])}"


def test_key_events_for_the_master_timeline():
    assert load_events()["key"].sum() >= 10


def test_official_texts_link_to_their_online_home():
    from pybtex.database import parse_file

    entries = parse_file(str(data_dir() / "references.bib")).entries
    # Primary documents are @misc entries. Each links to its online home, or says
    # plainly that none could be verified (never a guessed address).
    official = [key for key, entry in entries.items() if entry.type == "misc" and key != "amo2010"]
    unverified = "could be verified for this course"
    missing = [key for key in official if "url" not in entries[key].fields and unverified not in entries[key].fields.get("note", "")]
    assert official and missing == [], f"official texts without a url or a note that none was verified: {missing}"
    # NATO's own texts of the module's period are all online: each must link to it.
    nato_texts = [key for key in official if key.startswith(("nato", "nrc", "pjc")) and int(entries[key].fields["year"]) <= 2010]
    unlinked = [key for key in nato_texts if "url" not in entries[key].fields]
    assert nato_texts and unlinked == [], f"NATO texts without a url: {unlinked}"


def test_at_least_230_events_from_the_1990_prologue_to_2010():
    events = load_events()
    assert len(events) >= 230
    assert events["date"].min() >= pd.Timestamp(FIRST_DAY) == pd.Timestamp("1990-01-01")
    assert events["date"].max() <= pd.Timestamp(LAST_DAY) == pd.Timestamp("2010-12-31")


def test_periods_follow_each_other_without_gaps():
    spans = [(pd.Timestamp(start), pd.Timestamp(end)) for start, end in PERIODS.values()]
    assert list(PERIODS)[0] == "1990", "the 1990 prologue comes first"
    assert all(next_start == end + pd.Timedelta(days=1) for (_, end), (next_start, _) in zip(spans, spans[1:]))


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
    for table in ("events", "nato_members", "office_holders", "agreements", "epilogue"):
        used = set(load_table(table)["sources"].explode().dropna())
        assert used <= keys, f"{table}: {sorted(used - keys)} missing from references.bib"


def test_page_level_sources_only_where_read_off_the_document():
    # The only page number we could read off a source is p. 20 of Matser's
    # article (its first page carries the printed folio). Never guess others.
    events = load_events()
    pages = events["source_pages"].explode().dropna()
    assert len(pages) > 0
    assert set(pages) == {"matser2001=20"}


# The last day on which each seed can document an event: a seed may discuss or
# anticipate later events (the `seed` column) but is never evidence for them.
SEED_DATES = {"matser2001": "2001-12-31", "amo2010": "2010-10-18"}


@pytest.mark.parametrize("seed", sorted(SEED_DATES))
def test_each_seed_discusses_events_and_documents_none_after_its_date(seed):
    events = load_events()
    discussed = events[events["seed"].apply(lambda items: seed in (items or []))]
    assert len(discussed) >= 10
    citing = events[events["sources"].apply(lambda keys: seed in keys)]
    assert len(citing) > 0
    assert citing["seed"].apply(lambda items: seed in (items or [])).all(), "a row citing a seed must list it in `seed`"
    late = citing.loc[citing["date"] > pd.Timestamp(SEED_DATES[seed]), "id"].tolist()
    assert late == [], f"{seed} cannot document events after {SEED_DATES[seed]}: {late}"


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


def test_period_of_bins_each_boundary_day_into_its_period():
    days = pd.Series(pd.to_datetime(["1989-12-31", "1990-01-01", "1990-12-31", "1991-01-01", "2010-12-31", "2011-01-01"]))
    assert period_of(days).astype(object).where(lambda s: s.notna(), None).tolist() == [
        None, "1990", "1990", "1991–1996", "2008–2010", None,
    ]
    assert list(period_of(days).cat.categories) == list(PERIODS)


def test_epilogue_is_small_dated_2011_to_2014_sourced_and_tied_to_a_seed_claim():
    epilogue = load_epilogue()
    assert 0 < len(epilogue) <= 15
    assert epilogue["date"].between(pd.Timestamp("2011-01-01"), pd.Timestamp("2014-12-31")).all()
    assert epilogue["sources"].apply(bool).all(), "every epilogue row needs a source"
    claims = set(load_table("seed_claims")["id"])
    assert set(epilogue["forecast"]) <= claims, sorted(set(epilogue["forecast"]) - claims)


def test_epilogue_sources_were_published_in_or_after_the_event_year():
    # A work published before an event cannot document it; this also keeps
    # the seeds (2001, 2010) out of the epilogue's sources.
    from pybtex.database import parse_file

    entries = parse_file(data_dir() / "references.bib").entries
    too_early = [
        f"{row.id}: {key} ({entries[key].fields['year']})"
        for row in load_epilogue().itertuples()
        for key in row.sources
        if int(entries[key].fields["year"]) < row.date.year
    ]
    assert too_early == []


def test_period_events_never_include_the_epilogue():
    period_ids = set(load_events()["id"])
    epilogue_ids = set(load_epilogue()["id"])
    assert epilogue_ids and not epilogue_ids & period_ids
