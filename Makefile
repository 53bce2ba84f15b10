# The two entry points of the README: `make book` and `make test`.
# Both install everything first (pip + npm), so each works on a fresh machine.
PYTHON ?= python

# The browser tests drive Debian's Chromium (never `playwright install`) and
# check that Chinese text renders with Debian's Noto CJK fonts (no webfont);
# the grader's tests run notebooks in Debian's bubblewrap sandbox.
CHROMIUM ?= /usr/bin/chromium
CJK_FONT ?= Noto Sans CJK SC
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install book test check exercises translations browser sandbox

install:
	$(PYTHON) -m pip install --quiet -r requirements.txt
	npm ci --no-audit --no-fund --loglevel=error
	$(PYTHON) -m tools.vendor_assets

# Both editions, strictly: English in _build/html, Chinese in _build/html/zh.
book: install
	$(PYTHON) -m tools.build_book

browser:
	@test -x $(CHROMIUM) || { $(SUDO) apt-get update && $(SUDO) apt-get install -y chromium; }
	@fc-list | grep -q "$(CJK_FONT)" || { $(SUDO) apt-get update && $(SUDO) apt-get install -y fonts-noto-cjk; }

sandbox:
	@command -v bwrap >/dev/null || { $(SUDO) apt-get update && $(SUDO) apt-get install -y bubblewrap; }

test: install browser sandbox
	$(PYTHON) -m pytest

# The quick tier: lint and the unit tests, no installs, no browser, under a minute.
check:
	$(PYTHON) -m ruff check .
	$(PYTHON) -m ruff format --check bptt tests tools bench conftest.py
	$(PYTHON) -m pytest -o addopts="-p no:cacheprovider" -m unit -q tests

exercises:
	$(PYTHON) -m tools.make_exercises

# After editing a page: merge its messages into locales/ and list what to translate.
translations:
	$(PYTHON) -m tools.translations update
	$(PYTHON) -m tools.python_catalog update
	-$(PYTHON) -m tools.translations check
	-$(PYTHON) -m tools.python_catalog check
