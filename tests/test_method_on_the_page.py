"""The methods chapter computes the cooperation–conflict index by hand; it must stay the helper's method.

``chapters/measuring.md`` writes out the steps of ``monthly_tone_index`` in
pandas so that students see the method, not only a function call. Its cell is
run here on recoded scores as well as the course's own, and must give the
helper's numbers every time.
"""

from __future__ import annotations

import jupytext
import numpy as np
import pandas as pd
import pytest

from nato_russia import PERIODS, load_events, monthly_tone_index
from support import ROOT

STEP_MARK = "# 1. the month each event began"


def by_hand_cell() -> str:
    cells = [cell.source for cell in jupytext.read(ROOT / "chapters" / "measuring.md").cells
             if cell.cell_type == "code" and STEP_MARK in cell.source]
    assert len(cells) == 1, f"measuring.md should have one cell marked {STEP_MARK!r}, found {len(cells)}"
    return cells[0]


@pytest.mark.parametrize("recoding", ["as coded", "shuffled", "one month only"])
def test_the_chapters_index_by_hand_equals_the_helpers(recoding):
    events = load_events()
    if recoding == "shuffled":
        events = events.assign(tone=np.random.default_rng(7).permutation(events["tone"].to_numpy()))
    elif recoding == "one month only":
        events = events[events["date"].dt.to_period("M") == pd.Period("1999-03", "M")]
    namespace = {"events": events, "PERIODS": PERIODS, "pd": pd}
    exec(by_hand_cell(), namespace)
    helper = monthly_tone_index(events)
    assert namespace["by_hand"].to_numpy().tolist() == helper["index"].to_numpy().tolist()
    assert np.allclose(namespace["rolling_by_hand"].to_numpy(), helper["smoothed"].to_numpy())


def test_the_check_can_fail():
    """A by-hand index that forgets the empty months differs from the helper's."""
    events = load_events()
    namespace = {"events": events, "PERIODS": PERIODS, "pd": pd}
    exec(by_hand_cell().replace("fill_value=0", "fill_value=1"), namespace)
    assert namespace["by_hand"].to_numpy().tolist() != monthly_tone_index(events)["index"].to_numpy().tolist()
