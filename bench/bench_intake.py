"""Benchmark: checking and committing a 50,000-row workbook, and refusing files that explode.

- a workbook of ~50,000 rows (the sample inventory at scale 18, exported in the template's
  layout): the check (read, convert, merge, validate: the preview) and the commit into a new
  SQLite store, with the process's memory (RSS) before, at its peak and after the check;
- the files of issue 10 that used to explode: a 210 KB CSV whose first row has 10,000 commas,
  an .xlsx whose sheet runs to row 1,000,000, a zip bomb: each must be refused at once.

Targets: check ≤ 5 s on a 2-core machine; each refusal ≤ 1 s and ≤ 50 MB more memory.
Prints "missed" where a target is missed. Run: .venv/bin/python bench/bench_intake.py
"""

from __future__ import annotations

import gc
import io
import resource
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from geodata.layers import base_layers
from services.context import vocabs_for
from services.transfer import commit_import, prepare_import
from settings import load_settings
from spaces import sample
from spaces.export import workbook, workbook_bytes
from spaces.io import export_xlsx, read_inventory_file
from spaces.limits import LimitError
from store.repository import SYSTEM, Repository
from words.imports import import_report, sheet_words

CHECK_TARGET_S = 5.0
REFUSE_TARGET_S = 1.0
REFUSE_TARGET_MB = 50.0


def rss_mb() -> float:
    """The process's resident memory now, in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def verdict(ok: bool) -> str:
    return "" if ok else "  missed"


def workbook_check() -> None:
    settings = load_settings(env={})
    inv = sample.generate(
        base_layers(),
        scale=18,
        seed=settings.sample_seed,
        units=[u.id for u in settings.units],
        tracks=[t.id for t in settings.tracks],
    )
    rows = sum(inv.counts().values())
    data = export_xlsx(inv, sheet_words(vocabs_for(settings), "zh"))
    del inv
    gc.collect()
    print(f"workbook: {rows:,} rows in 6 sheets, {len(data) / 1e6:.1f} MB")
    with tempfile.TemporaryDirectory() as tmp:
        s = load_settings(env={"DATABASE_URL": f"sqlite:///{tmp}/b.sqlite", "HQ_SAMPLE": "never"})
        repo = Repository.connect(
            s.database_url, units=[u.id for u in s.units], tracks=[t.id for t in s.tracks]
        )
        before = rss_mb()
        stages: list[str] = []
        start = time.perf_counter()
        plan = prepare_import(
            repo, s, data, "inventory.xlsx", actor=SYSTEM, progress=lambda st, *_: stages.append(st)
        )
        t_check = time.perf_counter() - start
        assert plan.ok, import_report(plan, "en").head()
        during = rss_mb()
        start = time.perf_counter()
        commit_import(repo, plan, SYSTEM)
        t_commit = time.perf_counter() - start
        del plan
        gc.collect()
        after = rss_mb()
        repo.engine.dispose()
    print(
        f"check  {t_check:6.1f} s ({rows / t_check:,.0f} rows/s; target ≤ {CHECK_TARGET_S:g} s)"
        f"{verdict(t_check <= CHECK_TARGET_S)}"
    )
    print(f"commit {t_commit:6.1f} s ({rows / t_commit:,.0f} rows/s)")
    print(f"progress reports: {len(stages)} ({', '.join(dict.fromkeys(stages))})")
    print(
        f"memory: {before:.0f} MB before the check, {during:.0f} MB holding the plan, "
        f"{after:.0f} MB after the commit with the plan dropped (peak so far {peak_mb():.0f} MB)"
    )


def explosive() -> None:
    wide = ("," * 10_000 + "\n" + "a,b\n" * 100_000).encode()[: 210 * 1024]
    wb = workbook(write_only=False)
    wb.active["A1"] = "楼层编号"
    wb.active["A1000000"] = "x"
    long_xlsx = workbook_bytes(wb)
    bomb = io.BytesIO()
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("a.geojson", b"\0" * (300 * 2**20))
    files = {
        "CSV, first row of 10,000 commas": ("wide.csv", wide),
        "xlsx to row 1,000,000": ("long.xlsx", long_xlsx),
        "zip of 300 MB of zeros": ("bomb.zip", bomb.getvalue()),
    }
    for label, (name, data) in files.items():
        gc.collect()
        before = rss_mb()
        start = time.perf_counter()
        try:
            read_inventory_file(data, name)
            outcome = "read (not refused!)"
            ok = False
        except LimitError as e:
            outcome = f"refused: {e.params['limit']} {e.params['value']:,} > {e.params['max']:,}"
            ok = True
        seconds = time.perf_counter() - start
        grown = rss_mb() - before
        ok = ok and seconds <= REFUSE_TARGET_S and grown <= REFUSE_TARGET_MB
        print(
            f"{label:<34} {len(data) / 1024:7.0f} KB  {seconds:5.2f} s  +{grown:4.0f} MB  "
            f"{outcome}{verdict(ok)}"
        )


def main() -> None:
    workbook_check()
    print()
    explosive()


if __name__ == "__main__":
    main()
