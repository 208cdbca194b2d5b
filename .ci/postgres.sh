# Sourced by .ci/run under CI=true: start the Debian PostgreSQL cluster on loopback and export
# BIGAN_TEST_POSTGRES_URL for the tests marked `postgres`.
version=$(ls /usr/lib/postgresql | sort -V | tail -n 1)
pg_ctlcluster "$version" main start 2>/dev/null || true
su postgres -c "psql -qc \"ALTER USER postgres PASSWORD 'bigan'\"" >/dev/null
su postgres -c "psql -qc 'DROP DATABASE IF EXISTS bigan_test'" >/dev/null
su postgres -c "psql -qc 'CREATE DATABASE bigan_test'" >/dev/null
export BIGAN_TEST_POSTGRES_URL="postgresql+psycopg://postgres:bigan@127.0.0.1:5432/bigan_test"
