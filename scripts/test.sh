#!/usr/bin/env bash
# Set up (first time only), lint (ruff, configured in pyproject.toml) and run every test: unit, app (AppTest),
# browser (Playwright + Chromium), then the benchmark in --quick mode to prove it runs. Screenshots and logs go
# to test-artifacts/.
source "$(dirname "$0")/setup_env.sh" requirements-dev.txt
if [ ! -x /usr/bin/chromium ]; then
  # Debian's Chromium: Playwright's own browser download cannot work on machines without internet.
  SUDO=$([ "$(id -u)" = 0 ] && echo "" || echo sudo)
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null
fi
.venv/bin/ruff check .
.venv/bin/ruff format --check .
mkdir -p test-artifacts
.venv/bin/python -m pytest "$@"
.venv/bin/python -m benchmarks --quick
