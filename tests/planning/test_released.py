"""Released carriers: approved batches whose window has begun, from the frozen members."""

from __future__ import annotations

from datetime import date

import pandas as pd

from planning.approval import released_carriers


def _latest(rows):
    return pd.DataFrame(
        rows, columns=["decision_id", "batch", "window_start", "decision"]
    ).set_index("decision_id")


MEMBERS = {
    1: pd.DataFrame({"carrier_id": ["C1", "C2"]}),
    2: pd.DataFrame({"carrier_id": ["C3"]}),
    3: pd.DataFrame({"carrier_id": ["C4"]}),
}


def test_only_approved_batches_whose_window_began():
    latest = _latest(
        [
            (1, 1, "2026-06-01", "approved"),
            (2, 2, "2026-12-01", "returned"),
            (3, 3, "2027-06-01", "approved"),
        ]
    )
    out = released_carriers(latest, MEMBERS, as_of=date(2026, 12, 15))
    assert out.index.tolist() == ["C1", "C2"]
    assert out["batch"].tolist() == [1, 1]
    assert out["window_start"].tolist() == [date(2026, 6, 1)] * 2
    later = released_carriers(latest, MEMBERS, as_of=date(2027, 6, 1))
    assert later.index.tolist() == ["C1", "C2", "C4"]


def test_nothing_decided_releases_nothing():
    assert released_carriers(_latest([]), {}, as_of=date(2027, 1, 1)).empty
    returned = _latest([(2, 2, "2026-12-01", "returned")])
    assert released_carriers(returned, MEMBERS, as_of=date(2027, 1, 1)).empty
