# Articula — the two quick-start commands (make run, make test) and their helpers.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
HOST   ?= 127.0.0.1
PORT   ?= 5000
PG_TEST_URL ?= postgresql+psycopg://postgres@127.0.0.1:5432/test
STAMP  := $(VENV)/.installed

.PHONY: run test install translations db bench lint clean extract-messages

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

test: translations
	$(BIN)/python -m pytest
	@if $(BIN)/python -c "import psycopg,sys; psycopg.connect('$(PG_TEST_URL)'.replace('+psycopg',''), connect_timeout=3).close()" 2>/dev/null; then \
		echo "== Segunda pasada: PostgreSQL ($(PG_TEST_URL))"; \
		ARTICULA_TEST_DATABASE_URL="$(PG_TEST_URL)" $(BIN)/python -m pytest; \
	elif [ "$${REQUIRE_POSTGRES:-0}" = "1" ]; then \
		echo "ERROR: PostgreSQL requerido y no disponible en $(PG_TEST_URL)"; exit 1; \
	else \
		echo "== AVISO: PostgreSQL no disponible en $(PG_TEST_URL): se omitió la pasada PostgreSQL (solo SQLite)."; \
	fi

lint: install
	$(BIN)/ruff check .

bench: translations
	$(BIN)/python benchmarks/run.py

extract-messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -o translations/messages.pot --no-location --omit-header -s .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching -N

clean:
	rm -rf $(VENV) instance *.egg-info
