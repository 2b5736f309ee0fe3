# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test install browser bench clean

run: install
	$(BIN)/mockapps serve

test: install
	$(BIN)/pytest -n 2  # two workers, each with its own sandbox and browser: the suite is mostly waiting on pages

install: $(STAMP) browser

# Re-installs when pyproject.toml changes. browsergym-core pins playwright==1.44 (we run a newer one): it is
# installed without its dependencies, which the browsergym extra lists instead.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,eval,export,browsergym]'
	$(BIN)/python -m pip install --quiet --no-deps 'browsergym-core==0.14.3'
	touch $(STAMP)

browser: $(STAMP)
	@$(BIN)/mockapps browser path >/dev/null 2>&1 || $(BIN)/mockapps browser install

bench: install
	for b in bench/*.py; do echo "== $$b"; $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .mockapps *.egg-info
