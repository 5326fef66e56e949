# Sourced by app.sh and test.sh: make (or reuse) the virtual environment .venv and install $1 into it.
# Python 3.11 is what the app is tested with; PyTorch's CPU wheel is pinned in requirements.txt.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PYTHON_BIN="${PYTHON_BIN:-$(command -v python3.11 || command -v python3)}"
if [ ! -x .venv/bin/python ]; then
  "$PYTHON_BIN" -m venv .venv
fi
# --retries 0: an index that cannot be reached (PyTorch's CPU index on a PyPI-only machine) is skipped at once.
if ! .venv/bin/python -m pip install --disable-pip-version-check --retries 0 -r "$1" > .venv/pip.log 2>&1; then
  tail -n 30 .venv/pip.log
  echo "pip could not install $1 (full log: .venv/pip.log)" >&2
  exit 1
fi
