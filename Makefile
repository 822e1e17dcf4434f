# Articula — the two quick-start commands (make run, make test) and their helpers.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
STAMP  := $(VENV)/.installed

.PHONY: run test install translations db bench loadtest lint clean extract-messages browser-deps

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependencies change.
$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --editable ".[test]"
	touch $(STAMP)

install: $(STAMP)

translations: install
	$(BIN)/pybabel compile -d translations -f 2>/dev/null
	@for d in plugins/*/translations; do [ -d "$$d" ] && $(BIN)/pybabel compile -d "$$d" -f 2>/dev/null || true; done

db: translations
	$(BIN)/articula setup --demo

# The web server, and next to it the background-job consumer (large documents), stopped with it.
run: db
	@echo "Articula en http://$(HOST):$(PORT)/  (Ctrl+C para detener)"
	@$(BIN)/articula jobs worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/articula run --host $(HOST) --port $(PORT)

# Browser tests (tests/browser): axe-core from npm; the browser is Debian's chromium (apt-get install
# chromium). Without them those tests are skipped, and said so here; with ARTICULA_REQUIRE_BROWSER=1
# (CI) they fail instead.
browser-deps:
	@if [ ! -f node_modules/axe-core/axe.min.js ]; then \
		if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent || npm install --no-audit --no-fund --silent; \
		else echo "== AVISO: sin npm: no se puede instalar axe-core; se omiten las pruebas de navegador."; fi; \
	fi
	@if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1 && [ -z "$${ARTICULA_CHROMIUM:-}" ]; then \
		echo "== AVISO: no hay Chromium (apt-get install chromium): se omiten las pruebas de navegador (tests/browser)."; \
	fi

# The tests a plugin carries in its own folder (plugins/<p>/tests, as `articula plugins new` writes
# them) run in a pytest process of their own: their app enables the plugin, and its models must not
# join the metadata of the core's test session, whose app does not.
PLUGIN_TESTS = for t in plugins/*/tests; do [ -d "$$t" ] || continue; echo "== Pruebas de $$t"; $(BIN)/python -m pytest "$$t" || exit 1; done

# The SQLite and PostgreSQL passes run side by side (two processes: the machine's cores, not one), the
# PostgreSQL one into .test-postgres.log, printed when both are done; each pass makes its own databases.
test: translations browser-deps
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_TEST_URL)'.replace('+psycopg',''), connect_timeout=3).close()" 2>/dev/null; then \
		echo "== Pasada PostgreSQL ($(PG_TEST_URL)) en paralelo: su salida, al final"; \
		( export ARTICULA_TEST_DATABASE_URL="$(PG_TEST_URL)" && $(BIN)/python -m pytest -p no:cacheprovider && $(PLUGIN_TESTS) ) > .test-postgres.log 2>&1 & pg=$$!; \
	elif [ "$${REQUIRE_POSTGRES:-0}" = "1" ]; then \
		echo "ERROR: PostgreSQL requerido y no disponible en $(PG_TEST_URL)"; exit 1; \
	else \
		pg=; echo "== AVISO: PostgreSQL no disponible en $(PG_TEST_URL): se omite la pasada PostgreSQL (solo SQLite)."; \
	fi; \
	echo "== Pasada SQLite"; \
	( $(BIN)/python -m pytest && $(PLUGIN_TESTS) ); sqlite=$$?; \
	status=$$sqlite; \
	if [ -n "$$pg" ]; then \
		wait $$pg; pgstatus=$$?; \
		echo "== Pasada PostgreSQL ($(PG_TEST_URL))"; cat .test-postgres.log; \
		[ $$pgstatus -eq 0 ] || status=$$pgstatus; \
	fi; \
	exit $$status

lint: install
	$(BIN)/ruff check .

# BENCH_PG=1: the 10x scale benchmark also on PostgreSQL (PG_TEST_URL).
bench: translations
	PG_TEST_URL="$(PG_TEST_URL)" $(BIN)/python benchmarks/run.py

# 20 clients x 30 s against gunicorn on 127.0.0.1, on SQLite and PostgreSQL, then the fault run
# (a worker, then the whole server, killed mid-burst). Not run by CI (see benchmarks/README.md).
loadtest: translations
	PG_TEST_URL="$(PG_TEST_URL)" $(BIN)/python benchmarks/loadtest.py --postgres --faults

extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot --no-location --omit-header -s .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching -N

clean:
	rm -rf $(VENV) instance *.egg-info node_modules
