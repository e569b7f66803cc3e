# make test   - creates .venv if missing, installs the package with its test extras, runs pytest
# make soak   - the long soak and fault runs (pytest -m soak)
PYTHON ?= python3
VENV ?= .venv
PYTEST_ARGS ?=

.PHONY: test soak venv records clean

venv: $(VENV)/.installed

$(VENV)/.installed: setup.py setup.cfg
	test -x $(VENV)/bin/python || $(PYTHON) -m venv $(VENV)
	$(VENV)/bin/python -m pip install --quiet --upgrade pip
	$(VENV)/bin/python -m pip install --quiet -e '.[test]'
	touch $@

# pytest exits with 5 when no test was collected; that is not a failure here.
test: venv
	$(VENV)/bin/python -m pytest -m "not soak" $(PYTEST_ARGS); rc=$$?; [ $$rc -eq 5 ] && rc=0; exit $$rc

soak: venv
	$(VENV)/bin/python -m pytest -m soak $(PYTEST_ARGS); rc=$$?; [ $$rc -eq 5 ] && rc=0; exit $$rc

records:
	$(PYTHON) tools/jute_compiler.py

clean:
	rm -rf $(VENV) build src/*.egg-info .pytest_cache
