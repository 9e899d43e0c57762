#!/usr/bin/env bash
# The whole suite, as `make test` runs it: lint, types, then pytest on SQLite and, when a
# PostgreSQL server answers (DATABASE_URL, or the local one on 127.0.0.1:5432), on PostgreSQL too.
#
# Every test runs at least once; only those whose outcome may depend on the database engine run
# in both passes (conftest.py, ENGINE_DEPENDENT). The others run once (marker
# `engine_independent`): the browser tests, the walk over every URL, Schemathesis, the multi-node
# test and every test that touches no database in the PostgreSQL pass when a server answers; the
# other tests that use the database (marker `once_on_sqlite`) in the SQLite pass. The summary
# gives how long each part took and the 20 slowest tests of the run.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=.venv
export PYTHONDONTWRITEBYTECODE=1
mkdir -p test-output

rm -f test-output/junit-sqlite.xml test-output/junit-postgresql.xml
timings=()
# `make test` gives the time it started (before installing), so that the install is counted too.
if [ -n "${MAKE_TEST_STARTED:-}" ]; then
  timings+=("$(printf '%-24s %4ds' install $(($(date +%s) - MAKE_TEST_STARTED)))")
  SECONDS=$(($(date +%s) - MAKE_TEST_STARTED))
fi
began=0
step_began=$SECONDS
took() { timings+=("$(printf '%-24s %4ds' "$1" $((SECONDS - step_began)))"); step_began=$SECONDS; }

echo "== ruff"
$VENV/bin/ruff check .
$VENV/bin/ruff format --check .
took ruff
echo "== mypy"
$VENV/bin/mypy .
took mypy
echo "== import-linter (the floors of the code, docs/architecture.md)"
$VENV/bin/lint-imports
took import-linter

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
  took "pytest on $name"
  return "$rc"
}

status=0
if [ "$pg_ok" = 1 ]; then
  run_suite sqlite DATABASE_URL= -m "not engine_independent or once_on_sqlite" || status=1
  # The test databases are thrown away: a commit need not wait for its write to reach the disk.
  run_suite postgresql DATABASE_URL="$pg_url" PGOPTIONS="${PGOPTIONS:--c synchronous_commit=off}" \
    -m "not once_on_sqlite" || status=1
else
  run_suite sqlite DATABASE_URL= || status=1
  summary+=("postgresql: not run (no server answered at ${pg_url%%\?*})")
fi

echo "== summary"
printf '  %s\n' "${summary[@]}"
total=$((SECONDS - began))
# The budget: the whole of `make test`, install included, within 15 minutes on the 2-core machine
# (docs/testing.md). Only a run that `make test` started counts its install.
budget=900
if [ -n "${MAKE_TEST_STARTED:-}" ]; then
  if [ "$total" -le "$budget" ]; then verdict="install included: within the budget of 15 min"
  else verdict="install included: OVER the budget of 15 min by $((total - budget)) s"; fi
else
  verdict="install not counted (not started by make test)"
fi
timings+=("$(printf '%-24s %4ds  (%d min %02d s, %s)' total "$total" \
  $((total / 60)) $((total % 60)) "$verdict")")
echo "  time taken:"
printf '    %s\n' "${timings[@]}"
echo "  the 20 slowest tests (setup + call + teardown):"
$VENV/bin/python scripts/slowest_tests.py 20 test-output/junit-sqlite.xml \
  test-output/junit-postgresql.xml || true
exit $status
