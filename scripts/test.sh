#!/usr/bin/env bash
# The whole suite, as `make test` runs it: lint, types, then pytest on SQLite and, when a
# PostgreSQL server answers (DATABASE_URL, or the local one on 127.0.0.1:5432), on PostgreSQL too.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
export PYTHONDONTWRITEBYTECODE=1
mkdir -p test-output

echo "== ruff"
$VENV/bin/ruff check .
$VENV/bin/ruff format --check .
echo "== mypy"
$VENV/bin/mypy .
echo "== import-linter (the floors of the code, docs/architecture.md)"
$VENV/bin/lint-imports

pg_url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/hopkhonggiay}"
pg_ok=0
if $VENV/bin/python - "$pg_url" <<'PY' 2>/dev/null; then pg_ok=1; fi
import sys
import dj_database_url
import psycopg

cfg = dj_database_url.parse(sys.argv[1])
with psycopg.connect(host=cfg["HOST"], port=cfg["PORT"] or 5432, user=cfg["USER"],
                     password=cfg["PASSWORD"] or None, dbname="postgres", connect_timeout=3,
                     autocommit=True) as c:
    # A run stopped half-way may have left a session on a worker's test database, which would
    # stop that worker from creating it afresh.
    c.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
              "WHERE datname LIKE %s AND pid <> pg_backend_pid()", ["test_" + cfg["NAME"] + "%"])
PY

# pytest-xdist: one worker per core, each with its own test database.
workers="${PYTEST_WORKERS:-$(nproc)}"
summary=()
run_suite() {
  local name=$1; shift
  echo "== pytest on $name"
  local log="test-output/pytest-$name.log"
  set +e
  local envs=() args=()
  for a in "$@"; do if [[ "$a" == *=* && "$a" != -* ]]; then envs+=("$a"); else args+=("$a"); fi; done
  env "${envs[@]}" $VENV/bin/pytest -q -p no:randomly -n "$workers" --junitxml="test-output/junit-$name.xml" "${args[@]}" 2>&1 | tee "$log"
  local rc=${PIPESTATUS[0]}
  set -e
  summary+=("$name: $(tail -n 1 "$log" | sed 's/=//g; s/^ *//')")
  return "$rc"
}

status=0
# The multi-node test starts its own cluster on PostgreSQL whichever database the suite runs on:
# once is enough, in the PostgreSQL pass when there is one.
sqlite_only=()
if [ "$pg_ok" = 1 ]; then sqlite_only=(--deselect deploy/tests/test_multi_node.py); fi
run_suite sqlite DATABASE_URL= "${sqlite_only[@]}" || status=1
if [ "$pg_ok" = 1 ]; then
  run_suite postgresql DATABASE_URL="$pg_url" || status=1
else
  summary+=("postgresql: not run (no server answered at ${pg_url%%\?*})")
fi

echo "== summary"
printf '  %s\n' "${summary[@]}"
exit $status
