# The two entry points of the README: `make book` and `make test`.
# Both install everything first (pip + npm), so each works on a fresh machine.
PYTHON ?= python
JUPYTER_BOOK ?= jupyter-book
STRICT = -W -n --keep-going

.PHONY: install book test exercises

install:
	$(PYTHON) -m pip install --quiet -r requirements.txt
	npm ci --no-audit --no-fund --loglevel=error
	$(PYTHON) -m tools.vendor_assets

book: install
	$(JUPYTER_BOOK) build . $(STRICT)

test: install
	$(PYTHON) -m pytest

exercises:
	$(PYTHON) -m tools.make_exercises
