PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install test lint sandbox demo dev bench eval requirements clean mcp postgres

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

# The database tests start a throwaway server from Debian's postgresql package (initdb, pg_ctl, postgres; the tests
# never use the system cluster it creates). Outside CI a failed install only warns (those tests then skip).
# The tests start their own server on a temporary folder (tests/support/postgres.py): only the binaries are needed,
# so a package whose service could not be started where there is no init system still counts as installed.
postgres:
	@if [ -n "$$POSTMORTEM_PG_BIN" ] && [ -x "$$POSTMORTEM_PG_BIN/initdb" ]; then exit 0; fi; \
	if command -v initdb >/dev/null || ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then exit 0; fi; \
	sudo=$$([ "$$(id -u)" = 0 ] || echo "sudo -n"); \
	echo "installing postgresql for the database tests"; \
	$$sudo apt-get update && $$sudo env DEBIAN_FRONTEND=noninteractive RUNLEVEL=1 \
	   apt-get install -y --no-install-recommends postgresql; \
	if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then exit 0; fi; \
	if [ "$$CI" = true ]; then echo "error: the database tests need PostgreSQL in CI" >&2; exit 1; fi; \
	echo "warning: could not install PostgreSQL; the database tests will be skipped" >&2

# The MCP servers the tests and `postmortem run --via mcp` start, pinned and installed into the project (never
# globally): the official Notion server from tools/mcp/package-lock.json, mcp-atlassian in its own venv. Outside CI a
# failed install only warns; the MCP tests then fail, saying to run `make mcp`.
MCP_NODE := tools/mcp
MCP_NODE_STAMP := $(MCP_NODE)/node_modules/.installed
ATLASSIAN := .mcp/atlassian
ATLASSIAN_VERSION := 0.23.1
ATLASSIAN_STAMP := $(ATLASSIAN)/.installed-$(ATLASSIAN_VERSION)
mcp_failed = if [ "$$CI" = true ]; then echo "error: could not install $(1)" >&2; exit 1; fi; \
	echo "warning: could not install $(1); the tests that start it will fail until \`make mcp\` does" >&2

mcp: $(MCP_NODE_STAMP) $(ATLASSIAN_STAMP)

$(MCP_NODE_STAMP): $(MCP_NODE)/package.json $(MCP_NODE)/package-lock.json
	@echo "installing the Notion MCP server into $(MCP_NODE)/node_modules"; \
	if ! command -v npm >/dev/null; then sudo=$$([ "$$(id -u)" = 0 ] || echo "sudo -n"); \
	   $$sudo apt-get update && $$sudo apt-get install -y --no-install-recommends nodejs npm; fi; \
	if (cd $(MCP_NODE) && npm ci --no-audit --no-fund --loglevel=error) \
	   && [ -x $(MCP_NODE)/node_modules/.bin/notion-mcp-server ]; then touch $@; exit 0; fi; \
	$(call mcp_failed,the Notion MCP server (needs Node.js and npm))

$(ATLASSIAN_STAMP):
	@echo "installing mcp-atlassian $(ATLASSIAN_VERSION) into $(ATLASSIAN)"; rm -f $(ATLASSIAN)/.installed-*; \
	if { test -x $(ATLASSIAN)/bin/python || $(PY) -m venv $(ATLASSIAN) || python3 -m venv $(ATLASSIAN); } \
	   && $(ATLASSIAN)/bin/python -m pip install --quiet mcp-atlassian==$(ATLASSIAN_VERSION) \
	   && [ -x $(ATLASSIAN)/bin/mcp-atlassian ]; then touch $@; exit 0; fi; \
	$(call mcp_failed,mcp-atlassian $(ATLASSIAN_VERSION))

# The evaluation corpus runs with the tests: a report that got worse fails CI like a broken test.
test: install browser mcp postgres
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

bench: install mcp
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info $(MCP_NODE)/node_modules .mcp
