"""Briefing packs for the NRC role-play: what each delegation could know on the day of the meeting.

The role-play is staged on a fixed day before the Lisbon summit. A pack must
never show what happened after that day, so every table here is cut at
``until`` (the meeting day by default), and an agreement's status is worked
out from its dates as it stood on that day, not as it stood at the end of 2010.
"""

from __future__ import annotations

import pandas as pd

# The simulated meeting: after Deauville (18 October 2010), before Lisbon (19–20 November).
MEETING_DAY = pd.Timestamp("2010-11-03")


def status_on(agreement: pd.Series, day: pd.Timestamp) -> str | None:
    """The agreement's status on ``day`` in words, or None if it did not yet exist."""
    def reached(column: str) -> bool:
        value = agreement.get(column)
        return pd.notna(value) and value <= day

    if agreement["kind"] == "proposal":
        return "proposed" if reached("proposed_date") else None
    if agreement["kind"] != "treaty":  # political documents and memoranda are adopted, not "in force"
        return "adopted" if reached("signed_date") or reached("in_force_date") else None
    if reached("ended_date"):
        return "ended"
    if reached("suspended_date"):
        return "suspended"
    if reached("in_force_date"):
        return "in force"
    if reached("signed_date"):
        return "signed, not in force"
    return None


def binds_allies(agreement: pd.Series, members: pd.DataFrame) -> bool:
    """True if the text binds NATO's members as allies, so that later allies are bound too.

    Either the alliance itself is a party (codebook: NATO is listed only where it
    signed), or the text is a political document adopted by Russia and by every
    state that was an ally on the day it was signed.
    """
    parties = set(agreement["parties"])
    if "NATO" in parties:
        return True
    signed = agreement.get("signed_date")
    if agreement["kind"] != "political_document" or "RUS" not in parties or pd.isna(signed):
        return False
    allies_then = set(members.loc[members["accession_date"] <= signed, "iso3"])
    return bool(allies_then) and allies_then <= parties


def briefing_pack(events: pd.DataFrame, agreements: pd.DataFrame, members: pd.DataFrame, code: str,
                  since: str = "2008-01-01", until: pd.Timestamp | str = MEETING_DAY) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Events between ``since`` and ``until`` naming actor ``code``, and the agreements it belonged to on ``until``.

    A delegation argues from its own record, so the pack keeps only events that
    name it. An agreement is in the pack if the actor is one of its parties, or
    if the actor was an ally by ``until`` and the text binds the allies as such:
    NATO itself is a party (the Founding Act), or it is a political document
    that every ally of its day adopted together with Russia (the Rome
    Declaration, whose NATO–Russia Council later allies joined as members).
    Agreements that had ended before ``since`` or did not yet exist on
    ``until`` are left out.
    """
    since, until = pd.Timestamp(since), pd.Timestamp(until)
    names_actor = events["actors"].apply(lambda codes: code in codes)
    mine = events[names_actor & events["date"].between(since, until)]
    pack_events = mine.assign(sources=mine["sources"].str.join("; "))[
        ["date", "date_precision", "title", "category", "tone", "sources"]
    ].reset_index(drop=True)

    joined = members.set_index("iso3")["accession_date"].get(code, pd.NaT)  # NaT: not an ally
    is_ally = pd.notna(joined) and joined <= until
    direct = agreements["parties"].apply(lambda parties: code in parties)
    via_nato = agreements.apply(binds_allies, axis=1, members=members) & is_ally
    status = agreements.apply(status_on, axis=1, day=until)
    alive = ~(agreements["ended_date"] < since) & status.notna()
    chosen = (direct | via_nato) & alive
    pack_agreements = agreements[chosen].assign(
        status=status[chosen],
        party=direct[chosen].map({True: "directly", False: "as a NATO member"}),
    )[["short_name", "kind", "signed_date", "status", "party"]].reset_index(drop=True)
    return pack_events, pack_agreements
