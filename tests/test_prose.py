"""The helpers that write computed values into prose: signs, missing ids, lists."""

from __future__ import annotations

import pandas as pd
import pytest

from nato_russia.prose import event_row, scored_list, signed


@pytest.mark.parametrize(("value", "digits", "text"), [
    (3, 0, "+3"), (-8, 0, "\u22128"), (0, 0, "0"), (2.304, 2, "+2.30"), (-0.004, 2, "0.00"), (-0.72, 2, "\u22120.72"),
])
def test_signed_writes_a_true_minus_and_no_signed_zero(value, digits, text):
    assert signed(value, digits) == text


EVENTS = pd.DataFrame({
    "id": ["1999-allied-force", "2008-russia-georgia-war"], "title": ["Kosovo air campaign", "Russia–Georgia war"],
    "date": pd.to_datetime(["1999-03-24", "2008-08-07"]), "date_precision": ["day", "month"], "tone": [-7, -8],
})


def test_event_row_names_the_table_and_the_missing_id():
    assert event_row(EVENTS, "1999-allied-force")["tone"] == -7
    with pytest.raises(KeyError, match=r"data/epilogue.csv has no event with id '2099-nothing'"):
        event_row(EVENTS, "2099-nothing", "data/epilogue.csv")


def test_scored_list_orders_by_date_at_the_known_precision():
    assert scored_list(EVENTS.iloc[::-1]) == "Kosovo air campaign (24 March 1999, \u22127) and Russia–Georgia war (August 2008, \u22128)"
    assert scored_list(EVENTS, with_date=False) == "Kosovo air campaign (\u22127) and Russia–Georgia war (\u22128)"
