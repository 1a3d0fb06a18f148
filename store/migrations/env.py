"""Alembic environment: migrations run on the connection that `store.migrate` passes in."""

from __future__ import annotations

from alembic import context

from store.migrate import compare_type, include_for, skip_empty_revision
from store.schema import metadata

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - guard against running `alembic` by hand
    raise RuntimeError(
        "run migrations through the app: `python cli.py db upgrade` or "
        "`python cli.py db revision -m MESSAGE` (see README, 'Schema migrations')"
    )


context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=True,
    compare_type=compare_type,
    include_object=include_for(connection.dialect.name),
    user_module_prefix="",
    process_revision_directives=skip_empty_revision,
)
with context.begin_transaction():
    context.run_migrations()
