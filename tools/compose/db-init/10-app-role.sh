#!/bin/sh
# Runs once when the compose database volume is created (docker-entrypoint-initdb.d). Two roles, neither a superuser
# (ADR 0025): ailandscape_owner owns the database (it migrates, seeds and creates the trusted extensions pg_trgm and
# unaccent); ailandscape_app is what the app runs its reads and writes as: it owns nothing, and the owner grants it
# what it needs after every migration (the audit trail only to read and append).
set -eu
psql -v ON_ERROR_STOP=1 -v owner_password="$AILANDSCAPE_OWNER_DB_PASSWORD" -v app_password="$AILANDSCAPE_DB_PASSWORD" \
     --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<'SQL'
CREATE ROLE ailandscape_owner LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'owner_password';
CREATE ROLE ailandscape_app LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD :'app_password';
ALTER DATABASE ailandscape OWNER TO ailandscape_owner;
ALTER SCHEMA public OWNER TO ailandscape_owner;
SQL
