"""Concurrent editors on one database (threads with their own engines, and processes)."""

from __future__ import annotations

import multiprocessing
import threading

from spaces.changes import ConflictError, Edit
from store.repository import SYSTEM, Actor, Repository
from tests.factories import TRACKS, UNITS

WORKERS = 4
INCREMENTS = 3


def _increment(url: str, who: str, times: int) -> int:
    """Add 1 to T-XH's capacity ``times`` times, re-reading after each conflict."""
    repo = Repository.connect(url, units=UNITS, tracks=TRACKS)
    conflicts = 0
    try:
        for _ in range(times):
            while True:
                teams = repo.load_inventory().service_teams
                value = int(teams.at["T-XH", "capacity"])
                version = int(teams.at["T-XH", "version"])
                try:
                    repo.apply_edits(
                        [Edit("service_teams", "T-XH", {"capacity": value + 1}, version)],
                        actor=Actor(who),
                    )
                    break
                except ConflictError:
                    conflicts += 1
    finally:
        repo.engine.dispose()
    return conflicts


def test_no_lost_update_between_threads(repo, inv, store_url):
    repo.replace_inventory(inv, actor=SYSTEM)
    start = int(inv.service_teams.at["T-XH", "capacity"])
    errors: list[BaseException] = []

    def work(i: int) -> None:
        try:
            _increment(store_url, f"editor{i}", INCREMENTS)
        except BaseException as e:  # surfaced below
            errors.append(e)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors, errors
    teams = repo.load_inventory().service_teams
    assert teams.at["T-XH", "capacity"] == start + WORKERS * INCREMENTS
    assert teams.at["T-XH", "version"] == 1 + WORKERS * INCREMENTS
    log = repo.audit_log(actor=SYSTEM, record_id="T-XH")
    assert len(log) == 1 + WORKERS * INCREMENTS  # the insert and every increment


def test_no_lost_update_between_processes(repo, inv, store_url):
    repo.replace_inventory(inv, actor=SYSTEM)
    start = int(inv.service_teams.at["T-XH", "capacity"])
    ctx = multiprocessing.get_context("spawn")
    with ctx.Pool(2) as pool:
        pool.starmap(_increment, [(store_url, "p1", INCREMENTS), (store_url, "p2", INCREMENTS)])
    assert repo.load_inventory().service_teams.at["T-XH", "capacity"] == start + 2 * INCREMENTS


def test_same_record_two_editors_exactly_one_wins(repo, inv):
    """The optimistic lock: both start from version 1, the second save is refused."""
    repo.replace_inventory(inv, actor=SYSTEM)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def save(field: str, value: float) -> None:
        barrier.wait()
        try:
            repo.apply_edits([Edit("floors", "B1-3", {field: value}, 1)], actor=Actor(field))
            outcomes.append("saved")
        except ConflictError:
            outcomes.append("conflict")

    threads = [
        threading.Thread(target=save, args=("power_kva", 150.0)),
        threading.Thread(target=save, args=("clear_height_m", 3.2)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert sorted(outcomes) == ["conflict", "saved"]
    assert repo.load_inventory().floors.at["B1-3", "version"] == 2
