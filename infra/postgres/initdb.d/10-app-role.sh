#!/bin/sh
# Runs once, when the db container initialises an empty data directory.
# The app connects as qt_app: neither superuser nor BYPASSRLS, so PostgreSQL enforces
# the tenant row-level security policies on it. The superuser (POSTGRES_USER) is kept
# for operations only. The extension is created here because that needs a superuser.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" \
  -v app_password="$QT_DB_APP_PASSWORD" <<'SQL'
CREATE EXTENSION IF NOT EXISTS timescaledb;
CREATE ROLE qt_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB PASSWORD :'app_password';
ALTER DATABASE quant_trader OWNER TO qt_app;
ALTER SCHEMA public OWNER TO qt_app;
SQL
