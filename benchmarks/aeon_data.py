"""The classification data sets that aeon's wheel ships (UEA & UCR archive, ``.ts`` pairs), fetched at run time.

The wheel comes from PyPI with ``pip download --no-deps aeon==1.6.0`` into :data:`CACHE_DIR` (once; a later run
finds it there) and is read as a zip, never installed. For work on the benchmark itself, :data:`DATA_ENV` may name
a folder holding the wheel's ``aeon/datasets/data`` already extracted.
"""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

__all__ = ["AEON_VERSION", "PANEL", "CACHE_DIR", "DATA_ENV", "fetch", "ts_pair", "source"]

AEON_VERSION = "1.6.0"
# Every classification data set in the wheel (aeon/datasets/data/<Name>/<Name>_TRAIN.ts and _TEST.ts).
PANEL = (
    "ACSF1",
    "ArrowHead",
    "BasicMotions",
    "GunPoint",
    "ItalyPowerDemand",
    "JapaneseVowels",
    "OSULeaf",
    "PickupGestureWiimoteZ",
)
CACHE_DIR = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "lstm-explorer-bench"
DATA_ENV = "LSTM_BENCH_AEON_DATA"  # a folder of <Name>/<Name>_TRAIN.ts, ..._TEST.ts, instead of the download
_IN_WHEEL = "aeon/datasets/data"
PIP_TIMEOUT_S = 300


def _wheel() -> Path | None:
    found = sorted(CACHE_DIR.glob(f"aeon-{AEON_VERSION}-*.whl"))
    return found[0] if found else None


def fetch() -> None:
    """Make the data sets readable: download aeon's wheel into :data:`CACHE_DIR` unless it is there already, or
    :data:`DATA_ENV` names a folder. Raises RuntimeError with pip's output if the download fails."""
    if os.environ.get(DATA_ENV) or _wheel() is not None:
        return
    CACHE_DIR.mkdir(parents=True, exist_ok=True)
    cmd = [sys.executable, "-m", "pip", "download", "--no-deps", f"aeon=={AEON_VERSION}", "-d", str(CACHE_DIR)]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=PIP_TIMEOUT_S, stdin=subprocess.DEVNULL)
    if proc.returncode != 0 or _wheel() is None:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{(proc.stdout + proc.stderr)[-3000:]}")


def ts_pair(name: str) -> list[tuple[str, bytes]]:
    """The files ``<name>_TRAIN.ts`` and ``<name>_TEST.ts`` as (file name, contents), as a visitor uploads them.

    Call :func:`fetch` first.
    """
    if name not in PANEL:
        raise ValueError(f"name must be one of {', '.join(PANEL)}, got {name!r}")
    files = [f"{name}_TRAIN.ts", f"{name}_TEST.ts"]
    if folder := os.environ.get(DATA_ENV):
        return [(file, (Path(folder) / name / file).read_bytes()) for file in files]
    wheel = _wheel()
    if wheel is None:
        raise FileNotFoundError(f"no aeon {AEON_VERSION} wheel in {CACHE_DIR}: call fetch() first")
    with zipfile.ZipFile(wheel) as archive:
        return [(file, archive.read(f"{_IN_WHEEL}/{name}/{file}")) for file in files]


def source() -> str:
    """Where the files are read from, in words, for the results."""
    if folder := os.environ.get(DATA_ENV):
        return f"the folder {folder} ({DATA_ENV}; the wheel's {_IN_WHEEL}, extracted)"
    return f"{_IN_WHEEL}/ of aeon {AEON_VERSION}'s wheel (from PyPI by `pip download --no-deps`, kept in {CACHE_DIR})"
