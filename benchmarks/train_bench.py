"""Figure 7: ``python -m core.train`` on 2 threads, its time and the accuracy it reaches."""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import REPO, Result

HOW = ("Wall clock around `python -m core.train --out <temp>/model.pt --threads 2` (a fresh process: imports, "
       "data loading, {epochs} epochs, writing the checkpoint and its log). Accuracy: the last line the command "
       "prints; compared with the shipped checkpoint's (the recipe is seeded). Absolute bound. One run.")


def run(quick: bool, tmp: Path) -> list[Result]:
    import core

    shipped = core.load_checkpoint(core.SHIPPED_CHECKPOINT)[1]["history"][-1]["test_accuracy"] * 100
    out = Path(tempfile.mkdtemp(prefix="train-", dir=tmp)) / "model.pt"
    cmd = [sys.executable, "-m", "core.train", "--out", str(out), "--threads", "2"]
    epochs = 100
    if quick:
        epochs = 1
        cmd += ["--epochs", str(epochs)]
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=900, stdin=subprocess.DEVNULL)
    elapsed = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"core.train failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    match = re.search(r"test accuracy ([\d.]+)% after ([\d.]+) s", proc.stdout)
    if not match or not out.exists():
        raise RuntimeError(f"core.train printed no final accuracy or wrote no checkpoint:\n{proc.stdout[-2000:]}")
    accuracy, inner = float(match.group(1)), float(match.group(2))
    epoch_times = [float(s) for s in re.findall(r"\(([\d.]+) s\)", proc.stdout)]
    how = HOW.format(epochs=epochs)
    return [
        Result("training", f"training: python -m core.train, 2 threads{' (quick: 1 epoch)' if quick else ''}",
               elapsed, None, "s", "< 120 s", None if quick else elapsed < 120, how=how,
               details=[f"training loop alone (as printed): {inner:.1f} s; process start, imports and saving: "
                        f"{elapsed - inner:.1f} s",
                        f"slowest epoch {max(epoch_times):.2f} s, fastest {min(epoch_times):.2f} s"]),
        Result("training", "training: test accuracy reached", accuracy, shipped, "%",
               f"none (shipped: {shipped:.2f} %)", None, how=how,
               details=[f"shipped checkpoint: {shipped:.2f} %; "
                        + ("same as this run" if abs(accuracy - shipped) < 0.005 else "this run differs")]),
    ]
