PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test lint sandbox demo dev bench eval requirements clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PY) -m venv $(VENV) || python3 -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	@touch $(STAMP)

# The browser test drives Debian's Chromium; outside CI a failed install only warns (that test then skips).
BROWSER_PKGS := chromium chromium-driver fonts-noto-color-emoji
CHROMIUM ?= /usr/bin/chromium
CHROMEDRIVER ?= /usr/bin/chromedriver

.PHONY: browser
browser:
	@if [ -x $(CHROMIUM) ] && [ -x $(CHROMEDRIVER) ]; then exit 0; fi; \
	sudo=$$([ "$$(id -u)" = 0 ] || echo "sudo -n"); \
	echo "installing $(BROWSER_PKGS) for the browser test"; \
	if $$sudo apt-get update && $$sudo apt-get install -y --no-install-recommends $(BROWSER_PKGS); then exit 0; fi; \
	if [ "$$CI" = true ]; then echo "error: the browser test needs Chromium in CI" >&2; exit 1; fi; \
	echo "warning: could not install Chromium; the browser test will be skipped" >&2

# The evaluation corpus runs with the tests: a report that got worse fails CI like a broken test.
test: install browser
	$(BIN)/pytest
	$(BIN)/python eval/run.py

eval: install
	$(BIN)/python eval/run.py

lint: install
	$(BIN)/ruff check .

sandbox: install
	$(BIN)/postmortem sandbox

demo: install
	$(BIN)/postmortem demo

dev: install
	$(BIN)/postmortem dev

requirements: install
	$(BIN)/python tools/lock_requirements.py

bench: install
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info
