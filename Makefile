# Kompass: `make run` serves a demo, `make test` runs every check. Both set themselves up.
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
INTERFACE := questionnaires/interface
PYBABEL_EXTRACT := $(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext --no-location --omit-header --sort-output
# Everything but `make serve` is development: secrets are made once in instance/.
export KOMPASS_ENV ?= development
HOST ?= 127.0.0.1
PORT ?= 5000
# make test runs the suite in this many processes (pytest-xdist); `auto` is one per core. An idle
# process takes tests from a busy one (worksteal), so a long test at the end does not leave a
# core waiting.
TEST_WORKERS ?= auto
# WeasyPrint's libraries (Pango, HarfBuzz's font subsetter) and fonts for Latin, Arabic, Ge'ez.
PDF_PACKAGES := fonts-noto-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0
# PyICU (collation of language and country names) builds against the system's ICU.
ICU_PACKAGES := libicu-dev pkg-config g++

.PHONY: run serve load test lint catalogues messages browser pdf-libs oidc-provider demo-audio bench mutation screenshots clean

$(STAMP): pyproject.toml
	@dpkg -s $(ICU_PACKAGES) >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq $(ICU_PACKAGES) >/dev/null)
	python3 -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $(STAMP)

# Catalogues are read from their .po files at run time; this only checks that each one compiles.
catalogues: $(STAMP)
	@$(BIN)/python -m engine.translation.catalogues $(INTERFACE) adminui/translations engine/translations

# After changing UI strings: refresh the templates and every catalogue, then translate.
# A respondent string whose English changed keeps its old translation marked fuzzy with the
# previous English (#| msgid): it is "outdated" and shows in English until it is reviewed.
messages: $(STAMP)
	$(PYBABEL_EXTRACT) -o $(INTERFACE)/messages.pot renderers auth/code_login
	$(PYBABEL_EXTRACT) -o adminui/messages.pot adminui auth/staff auth/people auth/oidc api
	$(BIN)/pybabel extract -F babel.cfg --no-default-keywords -k staff_labels --no-location --omit-header --sort-output -o engine/messages.pot engine
	$(BIN)/python -m engine.translation.catalogues --update $(INTERFACE)
	$(BIN)/pybabel update --no-fuzzy-matching -i adminui/messages.pot -d adminui/translations
	$(BIN)/pybabel update --no-fuzzy-matching -i engine/messages.pot -d engine/translations

run: $(STAMP) catalogues pdf-libs
	$(BIN)/kompass db upgrade
	$(BIN)/kompass demo
	@echo "Respondents: http://$(HOST):$(PORT)/ (choose a language, log in with a DUF number and code above)."
	@echo "Staff: http://$(HOST):$(PORT)/admin/ (log in with a staff user and password above)."
	$(BIN)/kompass run --host $(HOST) --port $(PORT)

# Production: checks the settings (PostgreSQL, keys), runs `kompass db upgrade`, then gunicorn
# with WORKERS processes (default 2 × cores) of THREADS threads. See docs/operations.md.
serve: $(STAMP) catalogues pdf-libs
	KOMPASS_ENV=production $(BIN)/python -m engine.app.serve --bind $(HOST):$(PORT) $(if $(WORKERS),--workers $(WORKERS)) $(if $(THREADS),--threads $(THREADS))

# The whole journey under load on a throwaway PostgreSQL (bench/load/README.md);
# PROFILE=realistic (default), stress, logins, pdfs or smoke; RUN_TIME=seconds per step.
PROFILE ?= realistic
load: $(STAMP) catalogues pdf-libs
	$(BIN)/python -m bench.load.run --profile $(PROFILE) $(if $(RUN_TIME),--run-time $(RUN_TIME))

browser:
	@command -v chromium-headless-shell >/dev/null || (apt-get update -qq && apt-get install -y -qq chromium-headless-shell >/dev/null)

# The tests' OpenID Connect provider (npm's oidc-provider, tests/oidc/), run with Node.js.
oidc-provider:
	@command -v npm >/dev/null || (apt-get update -qq && apt-get install -y -qq nodejs npm >/dev/null)
	@test -d tests/oidc/node_modules || npm ci --prefix tests/oidc --no-audit --no-fund --loglevel=error

pdf-libs:
	@dpkg -s $(PDF_PACKAGES) >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq $(PDF_PACKAGES) >/dev/null)

# The demo's machine speech (committed; run by hand after changing the first section's texts
# or the interface strings of interface_texts:).
demo-audio: $(STAMP)
	@dpkg -s espeak-ng opus-tools >/dev/null 2>&1 || (apt-get update -qq && apt-get install -y -qq espeak-ng opus-tools >/dev/null)
	$(BIN)/python -m tools.speak_demo questionnaires/kompass/1

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: $(STAMP) catalogues browser pdf-libs oidc-provider lint
	$(BIN)/kompass questionnaire check >/dev/null
	$(BIN)/pytest -n $(TEST_WORKERS) --dist worksteal --durations=15

bench: $(STAMP) catalogues pdf-libs
	$(BIN)/python -m bench.run

# Mutation testing (slow; not part of `make test`). MUTATE picks mutants by name; the default is
# the access and log-in rules. `make mutation MUTATE=` mutates all that [tool.mutmut] only_mutate
# lists (hours on two cores). GROUP= picks a data group instead: its mutants, and only the tests
# MUTATION_TESTS_<group> names (a pytest -k of test files or tests), so a group takes minutes
# (statistics: 12) to about an hour (export), not hours (a mutant runs the selected tests that
# reached it):
#   suppression  adminui/suppression.py          statistics  adminui/statistics.py
#   published    engine/versions/published.py, registry.py
#   export       engine/export/ (all of it: rows, layout, formats, package, run, CLI)
# Results stay in mutants/ (`mutmut results`, `mutmut show NAME`); scores in docs/security.md.
MUTATE_suppression := 'adminui.suppression*'
MUTATION_TESTS_suppression := test_suppression_rules.py or test_a_reader_cannot_pin \
	or test_narrowing_never_excludes or test_suppression_leaves_no_hidden_cell
MUTATE_statistics := 'adminui.statistics*'
MUTATION_TESTS_statistics := test_statistics.py or test_statistics_differencing.py \
	or test_statistics_rules.py or test_verification.py
MUTATE_published := 'engine.versions.published*' 'engine.versions.registry*'
MUTATION_TESTS_published := test_publication_rules.py
MUTATE_export := 'engine.export*'
MUTATION_TESTS_export := test_export_rules.py or test_export_criteria.py or test_export.py \
	or test_export_formats.py or test_export_leaves_no_files.py or test_reidentification.py \
	or test_verification.py or test_csvsafe.py or test_export_package.py or test_export_filters.py \
	or test_time_zone_and_label_languages.py
MUTATE ?= $(if $(GROUP),$(MUTATE_$(GROUP)),'auth.staff.access*' 'auth.code_login.login*' \
	'auth.staff.login*' 'auth.code_login.throttle*' 'auth.staff.second_factor*')
mutation: $(STAMP)
	$(if $(GROUP),$(if $(MUTATE_$(GROUP)),,$(error GROUP is suppression, statistics, published or export)))
	$(if $(GROUP),PYTEST_ADDOPTS="-k '$(MUTATION_TESTS_$(GROUP))'") $(BIN)/mutmut run $(MUTATE)
	$(BIN)/mutmut results

# The screenshots of the counsellor's guide (docs/veileder.md), taken by the browser test.
screenshots: $(STAMP) catalogues browser pdf-libs
	KOMPASS_DOC_SCREENSHOTS=1 $(BIN)/pytest -q tests/browser/test_counsellor_journey_in_chromium.py

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .hypothesis mutants
