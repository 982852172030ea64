"""The role-play's briefing packs: nothing after the staged meeting, and every real party listed."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from nato_russia import load_events, load_table
from nato_russia.roleplay import MEETING_DAY, briefing_pack, status_on
from support import ROOT

ROLEPLAY = (ROOT / "seminar" / "roleplay.md").read_text(encoding="utf-8")
DELEGATIONS = sorted(set(re.findall(r'briefing_pack\("([A-Z]+)"', ROLEPLAY)))


@pytest.fixture(scope="module")
def tables():
    return load_events(), load_table("agreements"), load_table("nato_members")


def after_meeting(pack_events: pd.DataFrame, pack_agreements: pd.DataFrame, agreements: pd.DataFrame) -> list[str]:
    """Everything in a pack that a delegation could not have known on the meeting day."""
    late = [f"event {title} ({date:%Y-%m-%d})" for title, date in zip(pack_events["title"], pack_events["date"]) if date > MEETING_DAY]
    known = agreements.set_index("short_name")
    for name in pack_agreements["short_name"]:
        first = known.loc[name, ["proposed_date", "signed_date", "in_force_date"]].min()
        if pd.isna(first) or first > MEETING_DAY:
            late.append(f"agreement {name}")
    return late


def test_the_role_play_names_every_delegation():
    assert {"RUS", "USA", "DEU", "FRA", "POL", "EST", "ITA", "NATO"} <= set(DELEGATIONS)


@pytest.mark.parametrize("code", DELEGATIONS)
def test_no_pack_shows_anything_after_the_meeting(tables, code):
    events, agreements, members = tables
    pack_events, pack_agreements = briefing_pack(events, agreements, members, code, since="1990-01-01")
    assert after_meeting(pack_events, pack_agreements, agreements) == []
    # Statuses are those of the meeting day: New START was signed but not yet in force.
    assert "in force" not in set(pack_agreements.loc[pack_agreements["short_name"] == "New START", "status"])


def test_the_check_catches_a_pack_that_runs_past_the_meeting(tables):
    events, agreements, members = tables
    pack_events, pack_agreements = briefing_pack(events, agreements, members, "USA", until="2010-12-31")
    assert any(item.startswith("event") for item in after_meeting(pack_events, pack_agreements, agreements))


def test_poland_is_a_party_to_cfe_and_open_skies(tables):
    events, agreements, members = tables
    _, pack_agreements = briefing_pack(events, agreements, members, "POL")
    assert {"CFE", "Open Skies"} <= set(pack_agreements["short_name"])


def test_status_follows_the_dates_of_each_kind(tables):
    _, agreements, _ = tables
    by_name = agreements.set_index("short_name")
    assert status_on(by_name.loc["New START"], MEETING_DAY) == "signed, not in force"
    assert status_on(by_name.loc["Founding Act"], MEETING_DAY) == "adopted"
    assert status_on(by_name.loc["CFE"], MEETING_DAY) == "suspended"
    assert status_on(by_name.loc["New START"], pd.Timestamp("2010-01-01")) is None


def test_later_allies_are_bound_by_the_rome_declaration_but_not_by_treaties_they_never_joined(tables):
    # The Rome Declaration's parties are the 19 allies of 2002 and Russia (codebook); Estonia,
    # an ally from 2004, sat in the NRC it created as an ally. CFE was signed by all 16 allies
    # of 1990, but Estonia never became a party to the treaty.
    events, agreements, members = tables
    _, pack_agreements = briefing_pack(events, agreements, members, "EST", since="2004-01-01")
    party = dict(zip(pack_agreements["short_name"], pack_agreements["party"]))
    assert party.get("Rome Declaration") == "as a NATO member"
    assert "CFE" not in party
    assert "NATO" not in agreements.set_index("id").loc["rome-declaration", "parties"]


def test_the_debrief_students_see_does_not_print_the_lisbon_outcome():
    # Students prepare from this page; what Lisbon decided belongs in the teaching note,
    # which the student edition removes (book_extensions/editions.py).
    debrief = ROLEPLAY.split("## Debrief", 1)[1].split("## References", 1)[0]
    assert "```{code-cell}" not in debrief
    assert "2010-nrc-lisbon-summit" not in debrief and "{glue:text}`roleplay-lisbon" not in debrief
    note = ROLEPLAY.split(":class: teaching-note", 1)[1].split("\n```\n", 1)[0]
    assert "{glue:text}`roleplay-lisbon-nrc-tone`" in note
