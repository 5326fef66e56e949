# Sourced by app.sh, test.sh and test_pythons.sh: make (or reuse) the virtual environment $VENV (default .venv)
# with $PYTHON_BIN (default python3.11, else python3) and install the requirements file $1 into it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
VENV="${VENV:-.venv}"
PYTHON_BIN="${PYTHON_BIN:-$(command -v python3.11 || command -v python3)}"
if [ ! -x "$VENV/bin/python" ]; then
  "$PYTHON_BIN" -m venv "$VENV"
fi
# --retries 0: a page that cannot be reached (PyTorch's, on a PyPI-only machine) is given up at once.
if ! "$VENV/bin/python" -m pip install --disable-pip-version-check --retries 0 -r "$1" > "$VENV/pip.log" 2>&1; then
  tail -n 30 "$VENV/pip.log"
  echo "pip could not install $1 (full log: $VENV/pip.log)" >&2
  return 1 2>/dev/null || exit 1
fi
