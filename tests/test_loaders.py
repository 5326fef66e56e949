"""ui.loaders: what the app imports is left out of Streamlit's garbage collection after every run."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_importing_the_loaders_leaves_little_for_the_collector_to_scan():
    # A fresh interpreter, as the server is: the freeze happens once, when the app first imports the loaders.
    probe = ("import gc, ui.loaders; "
             "print(gc.get_freeze_count(), len(gc.get_objects()))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=300,
                         check=True).stdout.split()
    frozen, tracked = int(out[-2]), int(out[-1])
    assert frozen > 100_000, "torch, Altair, pandas and Streamlit's objects are frozen"
    assert tracked < 5_000, "a full collection after a run scans only what was made since"
