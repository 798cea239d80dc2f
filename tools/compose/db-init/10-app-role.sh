#!/bin/sh
# Runs once when the compose database volume is created (docker-entrypoint-initdb.d): the app connects as its own
# role, which owns the database (so it can migrate and create the trusted extensions pg_trgm and unaccent) but is
# not a superuser and cannot create roles or databases.
set -eu
psql -v ON_ERROR_STOP=1 -v app_password="$AILANDSCAPE_DB_PASSWORD" --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE ROLE ailandscape_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
ALTER DATABASE ailandscape OWNER TO ailandscape_app;
ALTER SCHEMA public OWNER TO ailandscape_app;
SQL
