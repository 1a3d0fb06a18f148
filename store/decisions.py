"""Leaders' decisions on release batches in the store: approvals and returns, frozen members."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
import sqlalchemy as sa

from access.permissions import Actor, require
from store import schema
from store.records import Aggregate, lock, python_values

VIEW = "view.plan"
"""The action of reading the decisions: who decided, when and why (`access.permissions`)."""

PUBLIC = ("batch", "window_start", "window_end", "decision")
"""What anyone may know of the latest decision on a window: whether its batch is released."""


class DecisionStore(Aggregate):
    """A leader's approval or return of a release batch, with its members frozen as they were.

    Writes take the store's write lock first (`store.records.lock`), so that two leaders
    approving the same window at once are serialised and the second is refused. Reading the
    decisions (who decided, their comments) asks the permission table for `VIEW`; what is
    released (`release_states`) is for everyone.
    """

    def record_decision(
        self, record: Mapping[str, Any], members: pd.DataFrame, *, actor: Actor
    ) -> int:
        """Validate and store a decision on a batch with its frozen members, in one transaction.

        Parameters
        ----------
        record
            The decision's fields (see `planning.approval.freeze`): batch, window_start,
            window_end, evaluated, as_of, decision ("approved"/"returned"), comment,
            decided_at (ISO text), policy (JSON text), plan_fingerprint, data_revision,
            members, area_m2.
        members
            The batch's carriers (`planning.approval.MEMBER_COLUMNS`).
        actor
            Who decides: one who may ``decide.batch`` (a leader), else
            `access.permissions.PermissionDenied` before anything is written. The decision
            is recorded with the actor's name (``decided_by``), role and account, whatever
            the record says.

        Returns
        -------
        int
            The new decision's id.

        Raises
        ------
        DecisionError
            Naming what is wrong: a return without a comment, an approval of a window
            already approved or already over, of carriers in another approved batch, members
            that do not add up.
        """
        require(actor, "decide.batch")
        record = {**record, "decided_by": actor.user, "role": actor.role, "account": actor.account}
        problems = _decision_problems(record, members)
        if problems:
            raise DecisionError(problems)
        t, m = schema.batch_decisions, schema.batch_members
        row = {c.name: record.get(c.name) for c in t.c if c.name != "decision_id"}
        for key in ("window_start", "window_end", "evaluated", "as_of"):
            row[key] = _to_date(row[key])
        with self.engine.begin() as conn:
            lock(conn)
            if record["decision"] == "approved":
                _check_approval(conn, record, row, members)
            decision_id = conn.execute(t.insert().values(**row)).inserted_primary_key[0]
            frame = members.assign(decision_id=decision_id)
            columns = [c.name for c in m.c if c.name in frame.columns]
            records = pd.DataFrame(
                {c: python_values(frame[c], m.c[c].type) for c in columns}
            ).to_dict("records")
            if records:
                conn.execute(m.insert(), records)
        return int(decision_id)

    def approved_elsewhere(self, start: date, end: date) -> pd.Series:
        """Carrier id -> batch, for the carriers of the approved batches of other windows."""
        with self.engine.connect() as conn:
            return approved_elsewhere(conn, _to_date(start), _to_date(end))

    def decisions(self, *, actor: Actor) -> pd.DataFrame:
        """Every decision on every batch, newest first (the history), indexed by decision_id.

        Only for an ``actor`` who may `VIEW` it.
        """
        require(actor, VIEW)
        return self._decisions()

    def latest_decisions(self, *, actor: Actor) -> pd.DataFrame:
        """The latest decision on each window (by window_start), indexed by decision_id.

        Only for an ``actor`` who may `VIEW` the decisions.
        """
        require(actor, VIEW)
        return _latest(self._decisions())

    def release_states(self) -> pd.DataFrame:
        """The latest decision on each window, its `PUBLIC` columns only (no who, no
        comment), indexed by decision_id: which batches are released, for everyone."""
        return _latest(self._decisions())[list(PUBLIC)]

    def _decisions(self) -> pd.DataFrame:
        t = schema.batch_decisions
        with self.engine.connect() as conn:
            rows = conn.execute(sa.select(t).order_by(t.c.decision_id.desc())).all()
        df = pd.DataFrame(rows, columns=[c.name for c in t.c])
        return df.set_index("decision_id")

    def decision_members(self, decision_id: int) -> pd.DataFrame:
        """The frozen members of a decision, in their order (best score first)."""
        m = schema.batch_members
        with self.engine.connect() as conn:
            rows = conn.execute(
                sa.select(m).where(m.c.decision_id == int(decision_id)).order_by(m.c.position)
            ).all()
        df = pd.DataFrame(rows, columns=[c.name for c in m.c])
        return df.drop(columns=["decision_id"])


class DecisionError(ValueError):
    """A decision on a release batch that cannot be stored; ``problems`` lists why."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("; ".join(self.problems))


_DECISIONS = ("approved", "returned")
_MEMBER_REQUIRED = ("carrier_id", "position", "score")


def _decision_problems(record: Mapping[str, Any], members: pd.DataFrame) -> list[str]:
    problems = []
    decision = record.get("decision")
    if decision not in _DECISIONS:
        problems.append(f"decision = {decision!r} must be one of {', '.join(_DECISIONS)}")
    if not str(record.get("decided_by") or "").strip():
        problems.append("decided_by is empty: the deciding actor has no name")
    if decision == "returned" and not str(record.get("comment") or "").strip():
        problems.append("a returned batch needs a comment saying what to change")
    for key in ("policy", "plan_fingerprint", "decided_at"):
        if not str(record.get(key) or "").strip():
            problems.append(f"{key} is empty")
    try:
        start, end = _to_date(record.get("window_start")), _to_date(record.get("window_end"))
        if start > end:
            problems.append(f"window_start {start} is after window_end {end}")
    except (TypeError, ValueError):
        problems.append("window_start and window_end must be dates")
    batch = record.get("batch")
    if not isinstance(batch, int | np.integer) or batch < 1:
        problems.append(f"batch = {batch!r} must be a whole number from 1")
    missing = [c for c in _MEMBER_REQUIRED if c not in members.columns]
    if missing:
        problems.append(f"members lack the column(s) {', '.join(missing)}")
        return problems
    if decision == "approved" and members.empty:
        problems.append("an empty batch cannot be approved")
    ids = members["carrier_id"]
    if ids.duplicated().any():
        problems.append(f"carrier(s) listed twice: {', '.join(ids[ids.duplicated()].astype(str))}")
    scores = pd.to_numeric(members["score"], errors="coerce")
    if not scores.between(0, 100).all():
        problems.append("member scores must be numbers from 0 to 100")
    if record.get("members") != len(members):
        problems.append(
            f"the record counts {record.get('members')} members but {len(members)} are given"
        )
    return problems


def _latest(decisions: pd.DataFrame) -> pd.DataFrame:
    """The latest of ``decisions`` (newest first) on each window, by window_start."""
    if decisions.empty:
        return decisions
    latest = decisions.reset_index().drop_duplicates(["window_start", "window_end"], keep="first")
    return latest.set_index("decision_id").sort_values("window_start")


def _to_date(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def _check_approval(
    conn: sa.Connection, record: Mapping[str, Any], row: Mapping[str, Any], members: pd.DataFrame
) -> None:
    """Refuse an approval of a window approved already, of a window that was over on the date
    its plan was made, or of carriers frozen in another approved batch."""
    start, end = row["window_start"], row["window_end"]
    latest = _latest_decision(conn, start, end)
    if latest is not None and latest.decision == "approved":
        raise DecisionError(
            [
                f"batch {record['batch']} ({start} – {end}) is already approved (decision "
                f"{latest.decision_id}): return it first to approve it again"
            ]
        )
    if end < row["as_of"]:
        raise DecisionError(
            [
                f"batch {record['batch']} ({start} – {end}) ended before the plan's date "
                f"{row['as_of']}: a window that is over cannot be approved"
            ]
        )
    elsewhere = approved_elsewhere(conn, start, end)
    twice = elsewhere[elsewhere.index.isin(members["carrier_id"].astype(str))]
    if len(twice):
        listed = ", ".join(f"{cid} (batch {b})" for cid, b in twice.head(5).items())
        raise DecisionError(
            [
                f"{len(twice)} carrier(s) of this batch are already in another approved batch: "
                f"{listed}{' …' if len(twice) > 5 else ''}; return that batch first or plan "
                "again"
            ]
        )


def approved_elsewhere(conn: sa.Connection, start: date, end: date) -> pd.Series:
    """Carrier id -> batch of the carriers frozen in the approved batches of other windows."""
    t, m = schema.batch_decisions, schema.batch_members
    rows = conn.execute(
        sa.select(
            t.c.decision_id, t.c.batch, t.c.window_start, t.c.window_end, t.c.decision
        ).order_by(t.c.decision_id.desc())
    ).all()
    seen, approved = set(), {}
    for r in rows:
        key = (_to_date(r.window_start), _to_date(r.window_end))
        if key in seen:
            continue
        seen.add(key)
        if r.decision == "approved" and key != (start, end):
            approved[r.decision_id] = int(r.batch)
    if not approved:
        return pd.Series(dtype="int64", index=pd.Index([], dtype="str", name="carrier_id"))
    members = conn.execute(
        sa.select(m.c.carrier_id, m.c.decision_id).where(m.c.decision_id.in_(list(approved)))
    ).all()
    return pd.Series(
        [approved[r.decision_id] for r in members],
        index=pd.Index([str(r.carrier_id) for r in members], name="carrier_id"),
        dtype="int64",
    )


def _latest_decision(conn: sa.Connection, start: date, end: date) -> Any:
    t = schema.batch_decisions
    return conn.execute(
        sa.select(t.c.decision_id, t.c.decision)
        .where((t.c.window_start == start) & (t.c.window_end == end))
        .order_by(t.c.decision_id.desc())
        .limit(1)
    ).first()
