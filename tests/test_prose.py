"""The helpers that write computed values into prose: signs, missing ids, lists."""

from __future__ import annotations

import pandas as pd
import pytest

from nato_russia.prose import (at_extreme, by_count, counted, event_row, is_are, is_or_is_not, month_name, name_extreme,
                               noun, scored_list, signed, standing_in_whole)


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


@pytest.mark.parametrize(("count", "singular", "text"), [
    (1, "event", "1 event"), (2, "event", "2 events"), (0, "event", "0 events"), (1, "key event", "1 key event"),
    (5, "key event", "5 key events"), (3, "category", "3 categories"), (2, "day", "2 days"), (4, "match", "4 matches"),
    (pd.Series([1]).sum(), "month", "1 month"), (1.0, "month", "1.0 month"),
])
def test_counted_makes_the_noun_agree_with_the_count(count, singular, text):
    assert counted(count, singular) == text


def test_an_irregular_plural_is_given_and_the_verb_follows_the_count():
    assert counted(3, "pair of bars", "pairs of bars") == "3 pairs of bars"
    assert noun(1, "pair of bars", "pairs of bars") == "pair of bars"
    assert (is_are(1), is_are(0), is_are(2)) == ("is", "are", "are")


def test_is_or_is_not_follows_the_comparison_and_the_count():
    assert is_or_is_not(-23 == -23) == "is"
    assert is_or_is_not(-19 == -23) == "is not"
    assert (is_or_is_not(True, 2), is_or_is_not(False, 2)) == ("are", "are not")


MONTHS = pd.Series([-6.0, 2.0, -6.0, 9.0], index=pd.to_datetime(["2007-04-01", "2007-05-01", "2007-07-01", "2003-06-01"]))


def test_a_tie_at_the_extreme_names_every_tied_item_in_order():
    assert list(at_extreme(MONTHS, "lowest").index) == list(pd.to_datetime(["2007-04-01", "2007-07-01"]))
    assert name_extreme(MONTHS, "lowest", month_name) == "April 2007 and July 2007"
    assert name_extreme(MONTHS, "lowest", month_name, score=signed) == "April 2007 and July 2007 (\u22126 each)"
    assert name_extreme(MONTHS, "highest", month_name, score=signed) == "June 2003 (+9)"


def test_extremes_ignore_missing_values_and_refuse_nonsense():
    assert name_extreme(pd.Series([None, 3.0, 1.0], index=["a", "b", "c"]), "highest") == "b"
    with pytest.raises(ValueError, match="use 'lowest' or 'highest'"):
        at_extreme(MONTHS, "smallest")
    with pytest.raises(ValueError, match="empty or all missing"):
        at_extreme(pd.Series([None], dtype=float))


@pytest.mark.parametrize(("items", "text"), [
    ([], "every year has a cooperation event"),
    ([2004], "the only year without a cooperation event is 2004"),
    ([2004, 2006], "the years without a cooperation event are 2004 and 2006"),
])
def test_by_count_never_reads_an_empty_list_as_none(items, text):
    assert by_count(items, none="every year has a cooperation event", one="the only year without a cooperation event is {}",
                    many="the years without a cooperation event are {}") == text


WHOLE = pd.Series([-19.0, -6.0, -6.0, -23.0], index=pd.to_datetime(["1999-03-01", "2007-04-01", "2007-07-01", "2008-08-01"]))


def test_standing_in_whole_says_is_or_is_not_from_the_data():
    window = WHOLE.loc["2007":"2010"]
    assert standing_in_whole(window, WHOLE, "lowest", month_name) == "is also the lowest of the whole index"
    earlier = WHOLE.loc["1990":"2007"]
    assert (standing_in_whole(earlier, WHOLE, "lowest", month_name, signed, "1990–2010")
            == "is not the lowest of 1990–2010: the lowest is August 2008 (\u221223)")
    tied = pd.concat([WHOLE, pd.Series([-23.0], index=pd.to_datetime(["1994-01-01"]))]).sort_index()
    assert (standing_in_whole(window, tied, "lowest", month_name)
            == "is also the lowest of the whole index, tied with January 1994")
    assert (standing_in_whole(WHOLE.loc[:"1999"], tied.loc[:"2007"], "lowest", month_name, count=2)
            == "are not the lowest of the whole index: the lowest is January 1994")


def test_tone_chart_names_and_labels_every_tied_extreme_month():
    from nato_russia.charts import tone_chart
    from nato_russia.figure_contract import KEY_EVENT

    months = pd.date_range("2007-01-01", periods=6, freq="MS")
    index = pd.DataFrame({"index": [3.0, -6.0, 1.0, -6.0, 3.0, 0.0], "events": [1, 2, 1, 2, 1, 0],
                          "smoothed": [0.0] * 6}, index=months)
    figure = tone_chart(index, "Test")
    assert figure.layout.meta["description"].endswith(
        "Highest months: January 2007 and May 2007 (+3 each); lowest: February 2007 and April 2007 (\u22126 each).")
    labels = [a.text for a in figure.layout.annotations if a.name == KEY_EVENT]
    assert sorted(labels) == ["Apr 2007: \u22126", "Feb 2007: \u22126", "Jan 2007: +3", "May 2007: +3"]


def test_timeline_description_makes_every_count_agree():
    from nato_russia.timelines import timeline

    events = pd.DataFrame({
        "id": ["a", "b"], "title": ["Summit one", "Summit two"], "date": pd.to_datetime(["1999-03-24", "1999-04-24"]),
        "date_precision": ["day", "day"], "end_date": [pd.NaT, pd.NaT], "category": ["summit", "crisis"],
        "tone": [2, -3], "sources": [["matser2001"], ["matser2001"]], "source_pages": ["", ""],
        "seed": [["matser2001"], []], "key": [True, False], "summary": ["", ""], "url": ["", ""],
    })
    description = timeline(events, "Test", start="1999-01-01", end="1999-12-31").layout.meta["description"]
    assert "the busiest lanes are “crises” and “summits and meetings” (1 event each)" in description \
        or "the busiest lanes are “summits and meetings” and “crises” (1 event each)" in description, description
    assert "Diamonds mark the 1 event a seed document discusses. 1 key event is labelled: Summit one." in description
