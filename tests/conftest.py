"""Shared fixtures: a fresh store on SQLite or on PostGIS, for the tests that take ``store_url``.

PostGIS tests run in a database made for this test session (``hq_test_<pid>_<hex>``, with the
PostGIS extension, dropped at the end) on the server of ``HQ_TEST_POSTGIS_URL`` (default
``postgresql://postgres@127.0.0.1:5432/test``); each test gets its own schema there. Without a
server or the extension they skip with the reason, unless ``REQUIRE_POSTGIS=1`` (as in CI).

Hypothesis draws new examples on every local run; ``HYPOTHESIS_PROFILE=ci`` (set by ``.ci/run``)
derandomizes it, so that CI gives the same verdict for the same commit. Neither profile has a
deadline: how long an example takes depends on the machine and its load, not on the code.
"""

from __future__ import annotations

import itertools
import os
import secrets
from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from hypothesis import settings

from store.repository import normalize_url

settings.register_profile("default", deadline=None)
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ADMIN_URL = os.environ.get("HQ_TEST_POSTGIS_URL", "postgresql://postgres@127.0.0.1:5432/test")
BACKENDS = ["sqlite", pytest.param("postgis", marks=pytest.mark.postgis)]
_schemas = itertools.count(1)


def _unavailable(reason: str) -> None:
    if os.environ.get("REQUIRE_POSTGIS") == "1":
        pytest.fail(f"REQUIRE_POSTGIS=1 but {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgis_database() -> Iterator[sa.URL]:
    """A new PostgreSQL database with PostGIS for this session; dropped afterwards."""
    admin_url = sa.make_url(normalize_url(ADMIN_URL))
    admin = sa.create_engine(admin_url, isolation_level="AUTOCOMMIT")
    name = f"hq_test_{os.getpid()}_{secrets.token_hex(3)}"
    try:
        with admin.connect() as conn:
            conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    except sa.exc.SQLAlchemyError as e:
        admin.dispose()
        _unavailable(f"no PostgreSQL server to test PostGIS at {admin_url!r}: {e.__cause__ or e}")
    url = admin_url.set(database=name)
    engine = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as conn:
            conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS postgis")
        engine.dispose()
        yield url
    except sa.exc.SQLAlchemyError as e:
        engine.dispose()
        _drop(admin, name)
        _unavailable(
            f"PostgreSQL at {admin_url!r} has no PostGIS extension ({e.__cause__ or e}); "
            "apt-get install postgresql-15-postgis-3"
        )
    else:
        _drop(admin, name)


def _drop(admin: sa.Engine, name: str) -> None:
    with admin.connect() as conn:
        conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.dispose()


@pytest.fixture
def postgis_url(request) -> Iterator[str]:
    """A URL whose connections work in a new, empty schema of the session's PostGIS database."""
    base: sa.URL = request.getfixturevalue("postgis_database")
    schema = f"t{next(_schemas)}_{secrets.token_hex(2)}"
    engine = sa.create_engine(base, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
    url = base.update_query_dict({"options": f"-csearch_path={schema},public"})
    yield url.render_as_string(hide_password=False)
    with engine.connect() as conn:
        # Repositories made by the test keep pooled connections: close them server-side.
        conn.exec_driver_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')
    engine.dispose()


@pytest.fixture(params=BACKENDS)
def store_url(request, tmp_path) -> str:
    """The URL of a new, empty store: a SQLite file, or a fresh schema on PostGIS."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/store.sqlite"
    return request.getfixturevalue("postgis_url")
