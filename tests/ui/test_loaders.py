"""ui.loaders: what the app imports is left out of Streamlit's garbage collection after every run, and torch
runs with the number of threads ``LSTM_EXPLORER_TORCH_THREADS`` says (1 unset)."""

import os
import subprocess
import sys

import pytest
from app_helpers import ROOT


def test_importing_the_loaders_leaves_little_for_the_collector_to_scan():
    # A fresh interpreter, as the server is: the freeze happens once, when the app first imports the loaders.
    probe = "import gc, ui.loaders; print(gc.get_freeze_count(), len(gc.get_objects()))"
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, timeout=300, check=True
    ).stdout.split()
    frozen, tracked = int(out[-2]), int(out[-1])
    assert frozen > 100_000, "torch, Altair, pandas and Streamlit's objects are frozen"
    assert tracked < 5_000, "a full collection after a run scans only what was made since"


@pytest.mark.parametrize("setting, threads", [(None, 1), ("2", 2), ("3", 3)])
def test_the_thread_count_comes_from_the_environment(setting, threads):
    env = {k: v for k, v in os.environ.items() if k != "LSTM_EXPLORER_TORCH_THREADS"}
    if setting is not None:
        env["LSTM_EXPLORER_TORCH_THREADS"] = setting
    probe = "import ui.loaders, torch; print(torch.get_num_threads())"
    out = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=True
    ).stdout.split()
    assert int(out[-1]) == threads
