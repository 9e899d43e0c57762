# Two commands for a newcomer: `make run` and `make test`. Everything else is a helper of theirs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
MANAGE := $(PY) manage.py
HOST ?= 127.0.0.1
PORT ?= 8000
SITE_URL ?= http://$(HOST):$(PORT)
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/hopkhonggiay

.PHONY: run test test-deps bench bench-all backup-deps install system-deps jasmin-deps lint typecheck messages makemessages lock clean

# ---- set-up -----------------------------------------------------------------
$(VENV)/.installed: pyproject.toml constraints.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) scripts/requirements.py dev > $(VENV)/requirements.txt
	$(PY) -m pip install --quiet -c constraints.txt -r $(VENV)/requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages: $(VENV)/.installed system-deps
	$(MANAGE) compilemessages --ignore '.venv' --ignore 'node_modules' -v 0

# Debian's packages, the missing ones of every group asked for installed in one apt-get run
# (scripts/debian-packages.sh says which and why): for the app, gettext, Pango and fonts for the
# PDFs, LibreOffice without a screen for the viewer (without it the page offers the download);
# `make test` adds its own (Chromium, nginx, postgresql-client, SoftHSM).
DEBIAN_GROUPS ?= run
system-deps:
	@./scripts/debian-packages.sh $(DEBIAN_GROUPS)

install: $(VENV)/.installed node_modules/.installed messages system-deps

# ---- the two commands -----------------------------------------------------------
# The web app and the task queue's worker (e-mail, reminders) together; Ctrl+C stops both.
# The address printed and used in the e-mails' links follows HOST and PORT (make run PORT=8100).
run: install
	$(MANAGE) migrate --no-input -v 0
	SITE_URL=$(SITE_URL) $(MANAGE) load_demo
	@SITE_URL=$(SITE_URL) ./scripts/run.sh "$(MANAGE) qcluster" "$(MANAGE) runserver $(HOST):$(PORT)"

# The time make started, for the summary's line on the install (evaluated once, when make reads this).
MAKE_TEST_STARTED := $(shell date +%s)

# The install's parts side by side (pip, npm, apt-get and Jasmin's virtualenv wait on the
# network and the disk more than on the processor), then the suite.
test:
	@$(MAKE) --no-print-directory -j4 --output-sync=target DEBIAN_GROUPS="run test" test-deps
	MAKE_TEST_STARTED=$(MAKE_TEST_STARTED) ./scripts/test.sh

test-deps: install jasmin-deps

# The office's pages at a province's size held to their budgets, one table with PASS or FAIL per
# row (docs/benchmarks.md): through gunicorn (production settings, 2 workers) on PostgreSQL holding
# `generate_data --meetings 100000 --units 1000` (kept between runs), wrk at 1 and 16 clients next
# to a bare Django view in the same run; the unchanged polls, the public pages; then 500 voters
# while the room's screen polls. Then reading: the meeting pack of 20 documents and 600 pages as the
# worker builds it (time, peak memory), and keeping a 100 MB meeting on a tablet for reading
# offline through gunicorn in Chromium (time, space, the first page with the network cut). About
# 20 minutes, plus generating the province the first time.
bench: install
	@./scripts/debian-packages.sh bench
	$(PY) scripts/bench_load.py
	$(PY) scripts/bench_pack.py
	$(PY) scripts/bench_offline.py

# Every other benchmark, figures without budgets (docs/benchmarks.md): publishing to 500
# invitees and the worker's send rate; search, statistics and reports through the test client on
# SQLite and PostgreSQL; documents through nginx; backup and restore; reading a 200-page PDF and a
# large .docx; the viewer's first page in Chromium. About an hour.
bench-all: bench
	$(PY) scripts/bench_notifications.py
	$(PY) scripts/bench_search.py
	BENCH_ONLY=download BENCH_DOWNLOADS=1 $(PY) scripts/bench_load.py
	$(PY) scripts/bench_backup.py
	$(PY) scripts/bench_doctext.py
	$(PY) scripts/bench_viewer.py

# ---- helpers ----------------------------------------------------------------------
# pg_dump and pg_restore for `manage.py backup` and `restore` on PostgreSQL (README, Backup).
backup-deps:
	@./scripts/debian-packages.sh backup

# Jasmin, the open-source SMS gateway, for the SMS tests (notifications/tests/test_sms.py), in its
# own virtualenv: it pins its own Twisted and cryptography. The tests start it themselves.
JASMIN_VENV := .venv-jasmin
$(JASMIN_VENV)/.installed: scripts/jasmin-requirements.txt
	test -x $(JASMIN_VENV)/bin/python || $(PYTHON) -m venv $(JASMIN_VENV)
	$(JASMIN_VENV)/bin/python -m pip install --quiet -r scripts/jasmin-requirements.txt
	touch $@

jasmin-deps: $(JASMIN_VENV)/.installed

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy .

makemessages: install
	$(MANAGE) makemessages -l vi -l en --no-obsolete --ignore '.venv/*' --ignore 'node_modules/*' --ignore 'test-output/*'

lock: install
	(echo "# Every Python package the project installs, pinned (regenerate with: make lock)"; \
	 $(PY) -m pip freeze --exclude-editable) > constraints.txt

clean:
	rm -rf $(VENV) node_modules test-output static_root
