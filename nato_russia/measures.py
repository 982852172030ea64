"""Analyses the chapters plot: the monthly cooperation–conflict index and the councils' meetings (no drawing here)."""

from __future__ import annotations

import pandas as pd

from .data import FIRST_DAY, LAST_DAY


def monthly_tone_index(events: pd.DataFrame, tone: pd.Series | None = None, weights: dict | None = None,
                       window: int = 6) -> pd.DataFrame:
    """A monthly cooperation–conflict index from coded events.

    Each event contributes its tone score (``tone`` overrides the coded scores,
    e.g. after a student recodes some events), times an optional weight per
    category (default 1). Events are counted in the month they began. The
    index is the monthly sum; ``smoothed`` is its centred ``window``-month
    rolling mean. Months without events score 0. The months run from the
    first period's start (the 1990 prologue) to the last period's end.
    """
    scores = (tone if tone is not None else events["tone"]).astype(float)
    factor = events["category"].astype(str).map(weights or {}).fillna(1.0)
    monthly = (
        pd.DataFrame({"month": events["date"].dt.to_period("M"), "score": scores * factor})
        .groupby("month")["score"].agg(["sum", "size"])
        .reindex(pd.period_range(FIRST_DAY, LAST_DAY, freq="M"), fill_value=0)
        .rename(columns={"sum": "index", "size": "events"})
    )
    monthly["smoothed"] = monthly["index"].rolling(window, center=True, min_periods=1).mean()
    monthly.index = monthly.index.to_timestamp()
    monthly.index.name = "month"
    return monthly


def council_meetings(events: pd.DataFrame) -> pd.DataFrame:
    """The meetings of the Permanent Joint Council (1997–2002) and the NATO–Russia Council (from 2002)
    at the level of ministers or of heads of state and government, from the ``council_meeting``
    column of the events table (coded by hand from NATO's records; see the codebook).

    The dataset records a selection of meetings, not necessarily every one: the count shows what
    the course data hold.
    """
    coded = events[events["council_meeting"].notna() & (events["council_meeting"].astype(str) != "")]
    parts = coded["council_meeting"].astype(str).str.split("_", n=1)
    return coded[["id", "date", "title", "sources"]].assign(council=parts.str[0].str.upper(), level=parts.str[1])
