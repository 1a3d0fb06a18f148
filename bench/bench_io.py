"""Benchmark: import a 10x inventory from Excel and from GeoPackage, and export it, per backend.

For each backend (a new SQLite file; a new PostgreSQL+PostGIS database when a server answers
at HQ_BENCH_POSTGIS_URL, default postgresql://postgres@127.0.0.1:5432/postgres) it times:

- import: reading the file, converting, merging into the (empty) store and validating the
  whole result (the preview), then the commit (validated again, written and audited);
- export: reading the store and writing GeoPackage, GeoJSON (zip) and Excel.

Run: .venv/bin/python bench/bench_io.py [--scale 10]
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import sqlalchemy as sa

from geodata.layers import base_layers
from services.context import vocabs_for
from services.transfer import commit_import, export, prepare_import
from settings import load_settings
from spaces import sample
from spaces.io import export_gpkg, export_xlsx
from store.repository import SYSTEM, Repository, normalize_url
from words.imports import import_report, sheet_words

POSTGIS_URL = os.environ.get(
    "HQ_BENCH_POSTGIS_URL", "postgresql://postgres@127.0.0.1:5432/postgres"
)


def _timed(fn: Callable[..., object], *args: object) -> tuple[float, object]:
    start = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - start, result


@contextmanager
def _sqlite() -> Iterator[Callable[[], str] | None]:
    """New SQLite files, one per call."""
    with tempfile.TemporaryDirectory() as tmp:
        yield lambda: f"sqlite:///{tmp}/bench-{secrets.token_hex(3)}.sqlite"


@contextmanager
def _postgis() -> Iterator[Callable[[], str] | None]:
    """New schemas of a new PostGIS database, one per call; None without a server."""
    admin = sa.create_engine(normalize_url(POSTGIS_URL), isolation_level="AUTOCOMMIT")
    name = f"hq_bench_{secrets.token_hex(3)}"
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.SQLAlchemyError as e:
        print(f"PostGIS: skipped, no server at {POSTGIS_URL} ({type(e.__cause__).__name__})")
        admin.dispose()
        yield None
        return
    url = sa.make_url(normalize_url(POSTGIS_URL)).set(database=name)
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")

    def new_schema() -> str:
        schema = f"s_{secrets.token_hex(3)}"
        with engine.connect() as conn:
            conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
        opts = {"options": f"-csearch_path={schema},public"}
        return url.update_query_dict(opts).render_as_string(hide_password=False)

    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("CREATE EXTENSION postgis")
        yield new_schema
    finally:
        engine.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def run(scale: float) -> None:
    settings = load_settings(env={})
    layers = base_layers()
    t, inv = _timed(
        lambda: sample.generate(
            layers,
            scale=scale,
            seed=settings.sample_seed,
            units=[u.id for u in settings.units],
            tracks=[t.id for t in settings.tracks],
        )
    )
    counts = inv.counts()
    records = sum(counts.values())
    tables = ", ".join(f"{k} {v:,}" for k, v in counts.items())
    print(f"{scale:g}x inventory: {records:,} records ({tables}); generated in {t:.1f} s")
    words = sheet_words(vocabs_for(settings), "zh")
    files = {
        "Excel": ("inventory.xlsx", export_xlsx(inv, words)),
        "GeoPackage": ("inventory.gpkg", export_gpkg(inv, layers)),
    }
    print("files: " + ", ".join(f"{k} {len(v[1]) / 1e6:.1f} MB" for k, v in files.items()))
    print()
    header = f"{'backend':<9} {'step':<28} {'seconds':>8} {'records/s':>10}"
    print(header)
    print("-" * len(header))
    for backend, stores in (("SQLite", _sqlite), ("PostGIS", _postgis)):
        with stores() as new_store:
            if new_store is None:
                continue
            for kind, (name, data) in files.items():
                s = load_settings(env={"DATABASE_URL": new_store()})
                repo = Repository.connect(
                    s.database_url,
                    units=[u.id for u in s.units],
                    tracks=[t.id for t in s.tracks],
                )
                t_plan, plan = _timed(partial(prepare_import, actor=SYSTEM), repo, s, data, name)
                assert plan.ok, import_report(plan, "en").head()
                t_commit, _ = _timed(commit_import, repo, plan, SYSTEM)
                assert repo.load_inventory().counts() == counts
                _row(backend, f"import {kind}: check", t_plan, records)
                _row(backend, f"import {kind}: commit", t_commit, records)
                _row(backend, f"import {kind}: total", t_plan + t_commit, records)
                if kind == "GeoPackage":
                    for fmt in ("gpkg", "geojson", "xlsx"):
                        t_exp, _ = _timed(partial(export, words=words), repo, fmt)
                        _row(backend, f"export {fmt}", t_exp, records)
                repo.engine.dispose()


def _row(backend: str, step: str, seconds: float, records: int) -> None:
    print(f"{backend:<9} {step:<28} {seconds:>8.1f} {records / seconds:>10,.0f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=10)
    args = parser.parse_args()
    run(args.scale)


if __name__ == "__main__":
    main()
