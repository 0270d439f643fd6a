#!/usr/bin/env bash
# Prove that the backup procedure of docs/deploy.md restores a working database.
#
#   scripts/backup_restore_check.sh            # units + parameters + the demo (about 30 s)
#   BACKUP_CHECK_DATA=units scripts/...        # units + parameters only (about 8 s)
#   BACKUP_CHECK_DATA=small scripts/...        # parameters + the test personas' few units,
#                                              # users, teams and members (the test suite's)
#   BACKUP_CHECK_DATA=parameters scripts/...   # rule parameters only (about 5 s)
#
# 1. creates a throw-away database, migrates it and loads data through the app's commands;
# 2. backs it up with `pg_dump -Fc` (the format docs/deploy.md uses);
# 3. restores the dump into a second throw-away database with `pg_restore`;
# 4. compares the exact row count of every table of the two databases, and checks that the
#    restored database needs no migration;
# exits non-zero on any difference, and drops both databases whatever happens.
#
# Environment: PGHOST (127.0.0.1), PGPORT (5432), PGUSER (postgres), PGPASSWORD if needed; the
# role needs CREATEDB. BACKUP_CHECK_PREFIX names the databases (antt_hard_backup).
# BACKUP_CHECK_TEMPLATE=<database> starts the source from a copy of that migrated database.
# BACKUP_CHECK_TAMPER=1 deletes rows from the restored copy before comparing (to show that the
# comparison does fail).
set -euo pipefail

cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-postgres}
PREFIX=${BACKUP_CHECK_PREFIX:-antt_hard_backup}
SRC="${PREFIX}_src_$$"
DST="${PREFIX}_dst_$$"
DUMP=$(mktemp --suffix=.dump)
DATA=${BACKUP_CHECK_DATA:-demo}

url() { echo "postgres://${PGUSER}${PGPASSWORD:+:$PGPASSWORD}@${PGHOST}:${PGPORT}/$1"; }

cleanup() {
    if [ -n "${dropping:-}" ]; then wait "$dropping" 2>/dev/null || true; fi
    dropdb --if-exists "$SRC" 2>/dev/null || true
    dropdb --if-exists "$DST" 2>/dev/null || true
    rm -f "$DUMP"
}
trap cleanup EXIT

for tool in createdb dropdb pg_dump pg_restore psql; do
    command -v "$tool" >/dev/null || { echo "thiếu công cụ $tool (apt-get install postgresql-client)"; exit 2; }
done

echo "== 1. Cơ sở dữ liệu nguồn $SRC: migrate, nạp dữ liệu ($DATA)"
export DJANGO_SETTINGS_MODULE=config.settings.local
if [ -n "${BACKUP_CHECK_TEMPLATE:-}" ]; then
    # An already migrated empty database (the test suite's, tests/db_cache.py): a copy of it
    # instead of running every migration again (step 4 checks that none is missing).
    createdb -T "$BACKUP_CHECK_TEMPLATE" "$SRC"
else
    createdb "$SRC"
    DATABASE_URL=$(url "$SRC") "$PY" manage.py migrate --noinput -v0
fi
if [ "$DATA" = units ] || [ "$DATA" = demo ]; then
    DATABASE_URL=$(url "$SRC") "$PY" manage.py import_units >/dev/null
fi
if [ "$DATA" = small ]; then
    # One process: the parameters as load_parameters writes them, then the personas. The test
    # suite's password hasher and one transaction: the personas' password hashes are not what
    # is backed up, and with the local settings' hasher and a commit per row this step took
    # 7 s (3.5 s of CPU) for a dozen users.
    DATABASE_URL=$(url "$SRC") "$PY" manage.py shell -c "
from django.core.management import call_command
from django.db import transaction
from django.test.utils import override_settings
from tests.conftest import build_roster, build_world
fast = override_settings(PASSWORD_HASHERS=['django.contrib.auth.hashers.MD5PasswordHasher'])
with fast, transaction.atomic():
    call_command('load_parameters', stdout=open('/dev/null', 'w'))
    build_roster(build_world())"
else
    DATABASE_URL=$(url "$SRC") "$PY" manage.py load_parameters >/dev/null
fi
if [ "$DATA" = demo ]; then
    DATABASE_URL=$(url "$SRC") "$PY" manage.py seed_demo >/dev/null
fi

echo "== 2. Sao lưu: pg_dump -Fc"
pg_dump -Fc --no-owner --no-privileges -f "$DUMP" "$SRC"
echo "   $(du -h "$DUMP" | cut -f1) ($DUMP)"

echo "== 3. Khôi phục vào $DST: pg_restore"
createdb "$DST"
# In one transaction (as docs/deploy.md restores): all or nothing, and one commit instead of
# one per table, index and constraint (half the time of the restore).
pg_restore --no-owner --no-privileges --single-transaction -d "$DST" "$DUMP"

if [ "${BACKUP_CHECK_TAMPER:-0}" = 1 ]; then
    echo "   (BACKUP_CHECK_TAMPER: xóa bớt dòng trong bản khôi phục)"
    psql -v ON_ERROR_STOP=1 -q -d "$DST" -c "DELETE FROM rules_parameter WHERE id IN (SELECT id FROM rules_parameter LIMIT 3)"
fi

echo "== 4. So sánh số dòng từng bảng"
counts() {
    # Every table of the public schema with its exact row count, one "table count" per line.
    psql -v ON_ERROR_STOP=1 -At -d "$1" -c "
        SELECT format('SELECT %L || '' '' || count(*) FROM %I.%I;', tablename, schemaname, tablename)
        FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename" |
        psql -v ON_ERROR_STOP=1 -At -d "$1"
}
counts "$SRC" >"$DUMP.src"
# The source is no longer needed: it is dropped while the rest runs (DROP DATABASE waits for a
# checkpoint, 1-4 s on a busy server); `cleanup` waits for it.
dropdb "$SRC" &
dropping=$!
counts "$DST" >"$DUMP.dst"
trap 'cleanup; rm -f "$DUMP.src" "$DUMP.dst"' EXIT
tables=$(wc -l <"$DUMP.src")
rows=$(awk '{s += $2} END {print s}' "$DUMP.src")
if [ "$tables" -lt 10 ]; then
    echo "KHÔNG KHỚP: chỉ đếm được $tables bảng trong cơ sở dữ liệu nguồn."
    exit 1
fi
for t in teams_administrativeunit teams_user teams_membership allowances_allowancerun \
         allowances_allowanceline reporting_report rules_parameter; do
    grep -E "^$t " "$DUMP.src" | sed 's/^/   nguồn: /' || true
done
if ! diff -u "$DUMP.src" "$DUMP.dst" | sed 's/^/   /'; then
    echo "KHÔNG KHỚP: bản khôi phục khác bản gốc (xem các dòng - / + ở trên)."
    exit 1
fi
if ! DATABASE_URL=$(url "$DST") "$PY" manage.py migrate --check >/dev/null; then
    echo "KHÔNG KHỚP: bản khôi phục còn migration chưa áp dụng."
    exit 1
fi
echo "OK: $tables bảng, $rows dòng, bản khôi phục khớp bản gốc."
