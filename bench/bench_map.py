"""Benchmark: build the carrier map at 1x and 10x and compare with GeoDataFrame.explore().

Prints, per scale, the Python time to build and render the map (median of several runs) and
the payload: the bytes of HTML and script the browser receives for the map (Leaflet itself is
served separately in both cases). explore() gets the same features (buildings and plots) with
the same fields (name, category, colour, tooltip) plus the same base layers.

Run: .venv/bin/python bench/bench_map.py [--scales 1 10] [--repeat 5]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
import warnings
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geodata.layers import base_layers
from settings import load_settings
from spaces import sample
from spaces.rollup import carrier_table
from ui.mapview import carrier_features, carrier_map

TARGET_BYTES_1X = 1_500_000
TARGET_MS_1X = 300
TARGET_RATIO = 3.0
# The fields our tooltips show (see ui.mapview.tooltip_rows), given to explore() as well.
FIELDS = [
    "name",
    "category",
    "n_carriers",
    "tiers",
    "statuses",
    "available_m2",
    "rent_min",
    "rent_max",
]


def _median_ms(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), result


def _ours(inv, carriers, layers, settings) -> str:
    features = carrier_features(inv, carriers, color_by="tier")
    m = carrier_map(features, layers, lang="zh", map_settings=settings.map)
    return m.get_root().render()


def _explore(inv, carriers, layers) -> str:
    features = carrier_features(inv, carriers, color_by="tier")
    fields = features[[*FIELDS, "geometry"]].copy()
    fields["tiers"] = fields.tiers.map(",".join)
    fields["statuses"] = fields.statuses.map(str)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        m = fields.explore(column="category", tooltip=FIELDS, tiles=None, legend=True)
        base = layers.reset_index()[["feature_id", "layer", "name_zh", "geometry"]]
        base.explore(m=m, column="layer", tooltip=["name_zh"], legend=False)
    return m.get_root().render()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10])
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    settings = load_settings(env={})
    layers = base_layers()
    units = tuple(u.id for u in settings.units)
    tracks = tuple(t.id for t in settings.tracks)

    print(
        f"{'scale':>5} {'carriers':>9} {'features':>9} | {'ours ms':>8} {'ours bytes':>11} | "
        f"{'explore ms':>10} {'explore bytes':>13} | {'bytes ratio':>11} {'time ratio':>10}"
    )
    results = {}
    for scale in args.scales:
        inv = sample.generate(
            layers, scale=scale, seed=settings.sample_seed, units=units, tracks=tracks
        )
        carriers = carrier_table(inv, layers=layers)
        ours_ms, ours_html = _median_ms(
            partial(_ours, inv, carriers, layers, settings), args.repeat
        )
        explore_ms, explore_html = _median_ms(partial(_explore, inv, carriers, layers), args.repeat)
        ours_bytes = len(ours_html.encode())
        explore_bytes = len(explore_html.encode())
        n_features = len(inv.buildings) + len(inv.plots)
        results[scale] = (ours_ms, ours_bytes, explore_bytes)
        print(
            f"{scale:>4}x {len(carriers):>9,} {n_features:>9,} | {ours_ms:>8.0f} "
            f"{ours_bytes:>11,} | {explore_ms:>10.0f} {explore_bytes:>13,} | "
            f"{explore_bytes / ours_bytes:>10.1f}x {explore_ms / ours_ms:>9.1f}x"
        )
    if 1 in results:
        ms, size, explore_size = results[1]
        print(
            f"\ntargets at 1x: payload {size:,} B < {TARGET_BYTES_1X:,} B: "
            f"{'met' if size < TARGET_BYTES_1X else 'MISSED'}; "
            f"build {ms:.0f} ms < {TARGET_MS_1X} ms: {'met' if ms < TARGET_MS_1X else 'MISSED'}; "
            f"explore/ours bytes {explore_size / size:.1f}x >= {TARGET_RATIO:.0f}x: "
            f"{'met' if explore_size / size >= TARGET_RATIO else 'MISSED'}"
        )


if __name__ == "__main__":
    main()
