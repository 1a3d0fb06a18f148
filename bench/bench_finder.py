"""Benchmark: the finder's filter over the 100× inventory and matching demands against it.

Prints, as the median of several runs (the carrier table and its index are built first, outside
the timed part):

- filter: one typical search (floors and rooms of 200–2,000 m² fit for biomedicine, rent up to
  8, available by a date) over the 100× sample (about 100k carriers, 58k of them rooms);
- match one demand: hard constraints and scores of one demand against every 100× carrier,
  plus the reasons of its ten best;
- match all demands: every open demand of the 10× sample demand list against the 10× carriers.

Run: .venv/bin/python bench/bench_finder.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from dataclasses import asdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geodata.layers import base_layers
from planning.finder import Filters, find
from planning.matching import DemandArrays, match_all, match_demand
from planning.policy import Policy
from planning.supply import CarrierIndex
from settings import load_settings
from spaces import sample
from spaces.demand_sample import generate_demands
from spaces.rollup import carrier_table
from words.matching import reasons

TARGET_FILTER_MS = 20
TARGET_MATCH_ONE_MS = 100
TARGET_MATCH_ALL_S = 5
AS_OF = date(2026, 11, 30)


def _median_ms(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def _build(scale: int, settings, layers):
    units = tuple(u.id for u in settings.units)
    tracks = tuple(t.id for t in settings.tracks)
    inv = sample.generate(layers, scale=scale, units=units, tracks=tracks)
    carriers = carrier_table(inv, layers=layers)
    facts = Policy.from_settings(settings).carrier_facts(carriers, layers)
    index = CarrierIndex.build(carriers, facts=facts)
    demands = generate_demands(
        scale=scale,
        tracks=tracks,
        track_requirements={t.id: asdict(t) for t in settings.tracks},
    )
    return carriers, index, demands


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    settings = load_settings(env={})
    layers = base_layers()
    m = settings.matching

    start = time.perf_counter()
    carriers, index, demands = _build(100, settings, layers)
    built = time.perf_counter() - start
    rooms = int((carriers.tier == "room").sum())
    print(f"100x: {len(carriers):,} carriers ({rooms:,} rooms), built in {built:.1f} s (not timed)")

    search = Filters(
        area_min=200,
        area_max=2000,
        tiers=("room", "floor"),
        track="biomedicine",
        rent_max=8.0,
        available_by=date(2027, 12, 31),
    )
    ms, found = _median_ms(lambda: find(index, search), args.repeat)
    ok = "ok" if ms < TARGET_FILTER_MS else "OVER TARGET"
    print(
        f"filter      {len(index):>7,} carriers: {ms:7.2f} ms  "
        f"({len(found):,} found; target < {TARGET_FILTER_MS} ms: {ok})"
    )
    everything = Filters(statuses=())
    ms_all, _ = _median_ms(lambda: find(index, everything), args.repeat)
    print(f"filter (no filters, all statuses):  {ms_all:7.2f} ms")

    arrays = DemandArrays.build(demands, tracks=settings.tracks)
    # the open demand with the most matches: the heaviest scoring and sorting
    sizes = {
        did: len(match_demand(index, arrays, did, settings=m, as_of=AS_OF))
        for did in demands.index[demands.status == "open"][:40]
    }
    heavy = max(sizes, key=sizes.get)

    def one():
        out = match_demand(index, arrays, heavy, settings=m, as_of=AS_OF)
        why = reasons(index, arrays, heavy, list(out.index[:10]), tracks=settings.tracks, lang="zh")
        return out, why

    ms, (out, _) = _median_ms(one, args.repeat)
    ok = "ok" if ms < TARGET_MATCH_ONE_MS else "OVER TARGET"
    print(
        f"match one demand vs {len(index):,} carriers: {ms:7.2f} ms  "
        f"({len(out):,} matches, 10 with reasons; target < {TARGET_MATCH_ONE_MS} ms: {ok})"
    )

    _, index10, demands10 = _build(10, settings, layers)
    arrays10 = DemandArrays.build(demands10, tracks=settings.tracks)
    n_open = int(arrays10.open.sum())
    ms, pairs = _median_ms(
        lambda: match_all(index10, arrays10, settings=m, as_of=AS_OF), max(3, args.repeat // 2)
    )
    ok = "ok" if ms / 1000 < TARGET_MATCH_ALL_S else "OVER TARGET"
    print(
        f"match all {n_open} open demands (10x list) vs {len(index10):,} carriers: "
        f"{ms / 1000:6.2f} s  ({len(pairs):,} pairs; target < {TARGET_MATCH_ALL_S} s: {ok})"
    )


if __name__ == "__main__":
    main()
