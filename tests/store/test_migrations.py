"""Schema migrations: the scripts build exactly store/schema.py on both backends."""

from __future__ import annotations

import shutil

import pytest
import sqlalchemy as sa

from store import migrate, schema
from store.repository import SYSTEM, Repository, engine_for
from tests.factories import TRACKS, UNITS


def test_migrations_build_the_declared_schema(repo):
    """Fails when store/schema.py changed without a migration: run `python cli.py db revision`."""
    differences = migrate.schema_differences(repo.engine)
    assert differences == [], (
        "store/schema.py differs from the migrations; write one with "
        f"`python cli.py db revision -m MESSAGE`: {differences}"
    )
    assert migrate.current(repo.engine) == migrate.head()


def test_upgrade_is_idempotent(repo):
    migrate.upgrade(repo.engine)
    repo.create_schema()
    assert migrate.current(repo.engine) == migrate.head()


def test_audit_log_is_append_only(repo, inv):
    repo.replace_inventory(inv, actor=SYSTEM)
    for statement in ("UPDATE audit_log SET actor = 'mallory'", "DELETE FROM audit_log"):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"), repo.engine.begin() as c:
            c.exec_driver_sql(statement)
    assert set(repo.audit_log(actor=SYSTEM).actor) == {"system"}


@pytest.mark.postgis
def test_postgis_columns_have_srid_4326_and_gist_indexes(postgis_url):
    repo = Repository.connect(postgis_url, units=UNITS, tracks=TRACKS)
    try:
        with repo.engine.connect() as conn:
            columns = conn.execute(
                sa.text(
                    "SELECT f_table_name, srid, type FROM geometry_columns "
                    "WHERE f_table_schema = current_schema() ORDER BY 1"
                )
            ).all()
            indexes = conn.execute(
                sa.text(
                    "SELECT tablename, indexdef FROM pg_indexes "
                    "WHERE schemaname = current_schema() AND indexdef LIKE '%USING gist%'"
                )
            ).all()
    finally:
        repo.engine.dispose()
    assert columns == [
        ("buildings", 4326, "GEOMETRY"),
        ("layer_features", 4326, "GEOMETRY"),
        ("plots", 4326, "GEOMETRY"),
    ]
    assert sorted(t for t, _ in indexes) == ["buildings", "layer_features", "plots"]


def test_a_foundation_store_is_stamped_and_upgraded(tmp_path, inv):
    """A SQLite file made before migrations (create_all, no version table) keeps its data."""
    url = f"sqlite:///{tmp_path}/old.sqlite"
    engine = engine_for(url)
    migrate.upgrade(engine, revision=migrate.BASELINE)
    with engine.begin() as conn:
        conn.exec_driver_sql("DROP TABLE alembic_version")
        conn.exec_driver_sql("INSERT INTO meta (key, value) VALUES ('sample', '1')")
        conn.exec_driver_sql(
            "INSERT INTO service_teams (team_id, name, responsible_unit, status, capacity, "
            "version) VALUES ('T-X', '专班', 'xinhong', 'in_place', 5, 1)"
        )
    engine.dispose()
    repo = Repository.connect(url, units=UNITS, tracks=TRACKS)
    try:
        assert migrate.current(repo.engine) == migrate.head()
        assert repo.get_meta("sample") == "1"
        assert repo.load_inventory().service_teams.index.tolist() == ["T-X"]
        assert repo.audit_log(actor=SYSTEM).empty
    finally:
        repo.engine.dispose()


def test_make_revision_writes_a_migration_for_a_new_table(tmp_path, monkeypatch):
    """What the lead runs after merging a branch that adds a table to store/schema.py."""
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    table = sa.Table(
        "release_batches",
        schema.metadata,
        sa.Column("batch_id", sa.Text, primary_key=True),
        sa.Column("opens", sa.Date),
        sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    )
    try:
        assert migrate.make_revision("add release batches", scripts=scripts) is not None
        engine = engine_for(f"sqlite:///{tmp_path}/new.sqlite")
        migrate.upgrade(engine, scripts=scripts)
        assert "release_batches" in sa.inspect(engine).get_table_names()
        assert migrate.schema_differences(engine) == []
        engine.dispose()
        assert migrate.make_revision("nothing", scripts=scripts) is None
    finally:
        schema.metadata.remove(table)
    written = sorted(p.name for p in (scripts / "versions").glob("*.py"))
    assert written[-1] == f"{int(migrate.head()) + 1:04d}_add_release_batches.py"


def _connect(url: str) -> str | None:
    repo = Repository.connect(url, units=UNITS, tracks=TRACKS)
    try:
        return migrate.current(repo.engine)
    finally:
        repo.engine.dispose()


def test_processes_starting_together_upgrade_once(store_url):
    """Several app processes starting on a new database: one migrates, the others wait."""
    import multiprocessing

    with multiprocessing.get_context("spawn").Pool(3) as pool:
        revisions = pool.map(_connect, [store_url] * 3)
    assert revisions == [migrate.head()] * 3
