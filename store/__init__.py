"""The database: schema, repository, SQLite by default and PostGIS by DATABASE_URL."""
