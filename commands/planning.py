"""Planning commands of the CLI: `score` rates every carrier, `plan` assigns release batches."""

from __future__ import annotations

import argparse
import json
from datetime import date
from typing import Any

import pandas as pd

from planning.facts import CarrierFacts
from planning.policy import COMPONENTS, Policy
from planning.readiness import Readiness, score
from planning.release import Plan, plan
from settings import Settings
from spaces.rollup import carrier_table
from store.bootstrap import open_store
from words.release import OUTCOME_LABELS, REASON_LABELS, placement_reasons


def register(subparsers: argparse._SubParsersAction) -> None:
    """Add the planning commands to the CLI."""
    for name, func, text in (
        ("score", _score, "readiness of every carrier (0–100), its components and gates"),
        ("plan", _plan, "release batches over the trial, with every carrier's reason"),
    ):
        p = subparsers.add_parser(name, help=text, description=text)
        p.add_argument(
            "--as-of",
            type=_date,
            metavar="YYYY-MM-DD",
            help="the date to plan as of (default: release.as_of in the settings, or today)",
        )
        p.add_argument("--json", action="store_true", help="print JSON instead of text")
        p.set_defaults(func=func)


def as_of_date(settings: Settings, given: date | None = None) -> date:
    """The date to plan as of: the one given, else the settings' fixed date, else today."""
    return given or settings.release.as_of or date.today()


def load(settings: Settings) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """The store's carrier table, service teams and base layers (seeding a new store)."""
    repo = open_store(settings)
    inv = repo.load_inventory()
    layers = repo.load_layers()
    return carrier_table(inv, layers=layers), inv.service_teams, layers


def plan_json(p: Plan) -> dict[str, Any]:
    """A plan as JSON-ready data: windows with their carriers, every carrier's placement."""
    a = p.assignments
    reasons_zh = placement_reasons(p, lang="zh")
    reasons_en = placement_reasons(p, lang="en")
    windows = []
    for w in p.windows:
        members = p.batch(w.number)
        windows.append(
            {
                "batch": w.number,
                "start": w.start.isoformat(),
                "end": w.end.isoformat(),
                "opens": w.opens.isoformat(),
                "scored_on": w.end.isoformat(),
                "open": w.open,
                "count": len(members),
                "area_m2": round(float(members["usable_area_m2"].sum()), 1),
                "carriers": members.index.astype(str).tolist(),
            }
        )
    columns = {
        "carrier_id": a.index.astype(str).tolist(),
        "batch": _or_none(a["batch"]),
        "outcome": a["outcome"].astype(str).tolist(),
        "reason": a["reason"].astype(str).tolist(),
        "score": _or_none(a["score"].round(3)),
        "ready_from": _iso(a["ready_from"]),
        "eligible_on": _iso(a["eligible_on"]),
        "released_on": _iso(a["released_on"]),
        "reason_zh": reasons_zh.tolist(),
        "reason_en": reasons_en.tolist(),
    }
    placements = [
        dict(zip(columns, values, strict=True)) for values in zip(*columns.values(), strict=True)
    ]
    return {
        "as_of": p.as_of.isoformat(),
        "fingerprint": p.fingerprint(),
        "policy": p.policy.to_dict(),
        "windows": windows,
        "placements": placements,
    }


def score_json(r: Readiness) -> dict[str, Any]:
    """Readiness as JSON-ready data: per carrier its score, components, track and gates."""
    frame = pd.DataFrame(
        {
            "carrier_id": r.score.index.astype(str),
            "score": r.score.round(3).to_numpy(),
            **{c: r.components[c].round(4).to_numpy() for c in COMPONENTS},
            "track": _or_none(r.facts["track_used"]),
            "track_source": r.facts["track_source"].astype(str).to_numpy(),
            "ready": r.ready.to_numpy(),
            "ready_from": _iso(r.ready_from),
        }
    )
    rows = frame.to_dict("records")
    for g in r.gates.columns:
        expected = _iso(r.gate_dates[g])
        for row, passes, when in zip(rows, r.gates[g].to_numpy(), expected, strict=True):
            row.setdefault("gates", {})[g] = {"passes": bool(passes), "expected": when}
    for row in rows:
        row["ready"] = bool(row["ready"])
    return {
        "as_of": r.as_of.isoformat(),
        "threshold": r.policy.threshold,
        "weights": r.policy.weights,
        "carriers": rows,
    }


def _or_none(values: pd.Series) -> list[Any]:
    """Plain Python values, None where missing."""
    out = values.astype(object).to_numpy()
    return [None if pd.isna(v) else (v.item() if hasattr(v, "item") else v) for v in out]


def _iso(dates: pd.Series) -> list[str | None]:
    """ISO dates, None where missing."""
    text = dates.dt.strftime("%Y-%m-%d").astype(object).to_numpy()
    return [t if ok else None for t, ok in zip(text, dates.notna().to_numpy(), strict=True)]


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _inputs(settings: Settings) -> tuple[pd.DataFrame, pd.DataFrame, CarrierFacts, Policy]:
    """The carrier table, teams, the carriers' facts and the settings' policy."""
    carriers, teams, layers = load(settings)
    policy = Policy.from_settings(settings)
    return carriers, teams, policy.carrier_facts(carriers, layers), policy


def _score(args: argparse.Namespace, settings: Settings) -> int:
    carriers, teams, facts, policy = _inputs(settings)
    r = score(carriers, teams, facts, policy=policy, as_of=as_of_date(settings, args.as_of))
    if args.json:
        print(json.dumps(score_json(r), ensure_ascii=False, indent=1))
        return 0
    print(f"readiness as of {r.as_of}  (threshold {policy.threshold:g}; {len(r.score):,} carriers)")
    bands = pd.cut(r.score, [0, 40, 60, 80, 100], include_lowest=True, right=False)
    for band, n in bands.value_counts(sort=False).items():
        print(f"  {band!s:<12}{n:>8,}")
    print(f"  gates pass  {int(r.ready.sum()):>8,}")
    header = "carrier      score " + " ".join(f"{c[:12]:>12}" for c in COMPONENTS)
    print(header + "  gates  track")
    for cid, s in r.score.items():
        comp = " ".join(f"{r.components.at[cid, c]:>12.2f}" for c in COMPONENTS)
        ready = "pass" if r.ready[cid] else "fail"
        print(f"{cid:<12}{s:>6.1f} {comp}  {ready:<5}  {r.facts.at[cid, 'track_used']}")
    return 0


def _plan(args: argparse.Namespace, settings: Settings) -> int:
    carriers, teams, facts, policy = _inputs(settings)
    p = plan(carriers, teams, facts, policy=policy, as_of=as_of_date(settings, args.as_of))
    if args.json:
        print(json.dumps(plan_json(p), ensure_ascii=False, indent=1))
        return 0
    lang = settings.language
    zh = lang == "zh"
    a = p.assignments
    print(
        f"release plan as of {p.as_of}  (fingerprint {p.fingerprint()}; threshold "
        f"{policy.threshold:g}; windows of {policy.release.cadence_months} months)"
    )
    print(f"{'batch':>5}  {'window':<23}  {'opens':<10}  {'carriers':>8}  {'area m²':>12}")
    for w in p.windows:
        members = p.batch(w.number)
        state = "" if w.open else ("  已过" if zh else "  closed")
        print(
            f"{w.number:>5}  {w.start} – {w.end}  {w.opens}  {len(members):>8,}  "
            f"{members['usable_area_m2'].sum():>12,.0f}{state}"
        )
    print()
    for (outcome, reason), n in a.groupby(["outcome", "reason"], observed=True).size().items():
        label = OUTCOME_LABELS[outcome][0 if zh else 1]
        why = REASON_LABELS[reason][0 if zh else 1]
        print(f"  {label} · {why}: {n:,}")
    print()
    reasons = placement_reasons(p, lang=lang)
    for cid in a.index:
        print(f"{cid}  {reasons[cid]}")
    return 0
