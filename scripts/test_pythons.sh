#!/usr/bin/env bash
# Run the fast tests (all but browser and registry tests) on the other Python versions the app supports,
# each in its own virtual environment .venv-X.Y: bash scripts/test_pythons.sh [X.Y ...] (default 3.12 3.13).
# A version this machine lacks is reported and skipped. The full suite runs on 3.11 (scripts/test.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || set -- 3.12 3.13

find_python() {  # the path of a working pythonX.Y (PATH, pyenv, /usr/bin), or nothing
  local candidate
  for candidate in "$(command -v "python$1" || true)" "$HOME"/.pyenv/versions/"$1".*/bin/python"$1" \
                   "/usr/bin/python$1"; do
    if [ -n "$candidate" ] && [ -x "$candidate" ] && "$candidate" -c pass 2>/dev/null; then
      echo "$candidate"
      return
    fi
  done
}

for version in "$@"; do
  python_bin=$(find_python "$version")
  if [ -z "$python_bin" ]; then
    echo "Python $version: not on this machine, skipped"
    continue
  fi
  venv=".venv-$version"
  echo "Python $version ($python_bin): setting up $venv"
  if ! (VENV="$venv" PYTHON_BIN="$python_bin" source scripts/setup_env.sh requirements-dev.txt) >/dev/null 2>&1; then
    if ! grep -q "torch==2.13.0+cpu" "$venv/pip.log"; then
      tail -n 30 "$venv/pip.log"
      exit 1
    fi
    # requirements.txt stops rather than take a CUDA build when PyTorch's page is out of reach, as it is on a
    # PyPI-only machine. The tests then run on PyPI's torch 2.13.0: the same release, built with CUDA, run on the CPU.
    echo "Python $version: PyTorch's CPU wheel is out of reach; testing with PyPI's torch==2.13.0"
    grep -v '^torch==' requirements.txt > "$venv/requirements-pypi-torch.txt"
    sed 's#^-r requirements.txt$#-r requirements-pypi-torch.txt#' requirements-dev.txt > "$venv/requirements-dev.txt"
    # PyPI's build is several GB with its CUDA libraries: no pip cache, so each version costs its venv only.
    export PIP_NO_CACHE_DIR=1
    VENV="$venv" PYTHON_BIN="$python_bin" source scripts/setup_env.sh "$venv/requirements-dev.txt" > /dev/null
    if ! "$venv/bin/python" -m pip install --disable-pip-version-check -q torch==2.13.0 >> "$venv/pip.log" 2>&1; then
      tail -n 30 "$venv/pip.log"
      df -h . | tail -n 1 | awk '{print "disk: " $4 " free of " $2}'
      echo "Python $version: pip could not install PyPI's torch==2.13.0 (full log: $venv/pip.log)" >&2
      exit 1
    fi
  fi
  echo "Python $version: fast tests"
  "$venv/bin/python" -m pytest -m "not browser and not registry" -q -p no:cacheprovider
  if [ "${CI:-}" = true ]; then
    rm -rf "$venv"  # a clean clone keeps nothing: free the disk before the next version's install
  fi
done
