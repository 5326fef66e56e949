"""The panel: every classification data set of aeon 1.6.0's wheel, uploaded as a visitor would and trained with the
Model lab's default settings exactly as the lab trains them, against the two rules the Model page shows beside the
network (the nearest training recording's class, the most common class).

Each data set is read by the app's own upload reader (``core.compute.dataset_upload.read_uploaded_dataset``, as the
page "Your own data set" reads a ``.ts`` pair), trained by ``core.analyses.lab.train_variant`` with ``LabSettings()``
(what the lab's *Train this network* does with its defaults) in a fresh Python process that, as the app's server,
imports ``core`` first and sets torch to 1 thread (``ui/loaders.py``), and scored as the Model page scores it. The
child process is ``python -m benchmarks.panel_bench NAME [--epochs N]``; it prints its measurements as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, replace
from statistics import fmean

import numpy as np

import core  # before torch is first imported: it sets OMP_WAIT_POLICY, as in the app's server
from core.analyses import baselines
from core.analyses.lab import LabSettings, train_variant, variant_label
from core.compute.dataset_upload import read_uploaded_dataset

from . import aeon_data
from .common import REPO, Result

__all__ = ["QUICK_PANEL", "QUICK_EPOCHS", "measure", "run"]

QUICK_PANEL = ("ItalyPowerDemand",)  # --quick: the smallest set, a few epochs, nothing judged
QUICK_EPOCHS = 3
CHILD_TIMEOUT_S = 900
MAX_SECONDS = 120  # training one set
MAX_BEHIND_NEAREST = 0.10  # no set below its 1-NN accuracy minus 10 points

HOW = (
    "Classification data sets of aeon {version}'s wheel ({sets}), each `.ts` pair read from {source}, by the "
    "app's upload reader (`read_uploaded_dataset`, as the page *Your own data set* reads it: an upload, so never "
    "cached on disk). Each is trained in a fresh Python process that imports `core` first and sets torch to 1 "
    "thread, as the app's server does, by `core.analyses.lab.train_variant({settings}, dataset=...)`, what the "
    "Model lab's *Train this network* calls with its default settings; `train_variant` trains with the recipe's "
    "own thread count (`TrainConfig.threads`, given in the details). Training seconds: wall clock around that "
    "call (it includes the test accuracy after every epoch that the lab's progress bar shows). Test accuracy: "
    "`core.score_split` of the network's traces of the test split, as the Model page computes it; beside it, "
    "`core.analyses.baselines`' 1-nearest-neighbour accuracy (Euclidean, recordings resampled to a common length "
    "of at most 100 steps) and always-the-most-common-class accuracy, and its `learned_little` check (the "
    "warning every page shows). Targets: the mean accuracy over the panel at least the mean 1-NN accuracy; no set "
    "more than 10 points below its own 1-NN; every set trained in under {limit} s. One training per set "
    "(the lab's seed is fixed, so a rerun trains the same network)."
)


def measure(name: str, epochs: int | None = None) -> dict:
    """Train and score data set ``name`` as described in the module's docstring; in a process of its own.

    Returns
    -------
    dict
        set, classes, channels, shortest and longest steps, train and test sizes, accuracy, nearest, majority
        (0 to 1), seconds, learned_little, the network's label and the recipe it was trained with.
    """
    import torch  # after core (see the imports above)

    data = read_uploaded_dataset(aeon_data.ts_pair(name))
    settings = LabSettings() if epochs is None else replace(LabSettings(), epochs=epochs)
    torch.set_num_threads(1)  # ui/loaders.py
    start = time.perf_counter()
    result = train_variant(settings, dataset=data)
    seconds = time.perf_counter() - start
    score = core.score_split(core.split_traces(result.model, "test", dataset=data), data.test.labels)
    n_test = len(data.test)
    n_right = n_test - score.n_wrong
    majority = baselines.majority_accuracy(data.train, data.test)
    lengths = np.concatenate([data.train.lengths, data.test.lengths])  # (N_train + N_test,)
    recipe = asdict(settings.to_train_config(data))
    return {
        "set": name,
        "classes": data.info.n_classes,
        "channels": data.info.n_channels,
        "steps": [int(lengths.min()), int(lengths.max())],
        "train": len(data.train),
        "test": n_test,
        "accuracy": n_right / n_test,
        "nearest": baselines.nearest_neighbour_accuracy(data.train, data.test),
        "majority": majority,
        "seconds": seconds,
        "learned_little": baselines.learned_little(n_right, n_test, majority),
        "network": variant_label(settings),
        "recipe": {k: v for k, v in recipe.items() if k != "dataset"},
    }


def _in_child(name: str, epochs: int | None) -> dict:
    cmd = [sys.executable, "-m", "benchmarks.panel_bench", name] + ([] if epochs is None else ["--epochs", str(epochs)])
    env = {k: v for k, v in os.environ.items() if k != "OMP_WAIT_POLICY"}  # as the app runs: core sets it
    try:
        proc = subprocess.run(
            cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=CHILD_TIMEOUT_S, stdin=subprocess.DEVNULL
        )
    except subprocess.TimeoutExpired:
        return {"set": name, "error": f"not done after {CHILD_TIMEOUT_S} s: stopped"}
    if proc.returncode != 0 or not proc.stdout.strip():
        return {"set": name, "error": f"{' '.join(cmd)} failed ({proc.returncode}):\n{proc.stderr[-2000:]}"}
    return json.loads(proc.stdout.strip().splitlines()[-1])


def _table(rows: list[dict]) -> str:
    head = [
        "set",
        "classes",
        "channels",
        "steps",
        "train / test",
        "LSTM test accuracy",
        "1-NN",
        "majority",
        "training",
        "learned little?",
    ]
    lines = ["| " + " | ".join(head) + " |", "|" + "|".join(" --- " for _ in head) + "|"]
    for r in rows:
        if "error" in r:
            lines.append(f"| {r['set']} | " + " | ".join(["error"] + [""] * (len(head) - 2)) + " |")
            continue
        low, high = r["steps"]
        cells = [
            r["set"],
            str(r["classes"]),
            str(r["channels"]),
            str(low) if low == high else f"{low}-{high}",
            f"{r['train']} / {r['test']}",
            f"{r['accuracy']:.1%}",
            f"{r['nearest']:.1%}",
            f"{r['majority']:.1%}",
            f"{r['seconds']:.1f} s",
            "yes" if r["learned_little"] else "no",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def run(quick: bool) -> list[Result]:
    """The panel's rows: mean accuracy against mean 1-NN, the worst set against its 1-NN, the slowest training."""
    aeon_data.fetch()
    names = QUICK_PANEL if quick else aeon_data.PANEL
    epochs = QUICK_EPOCHS if quick else None
    rows = []
    for name in names:
        print(f"[benchmarks] panel: {name} ...", flush=True)
        rows.append(_in_child(name, epochs))
    done = [r for r in rows if "error" not in r]
    failed = [r for r in rows if "error" in r]
    if not done:
        raise RuntimeError("no data set of the panel was trained:\n" + "\n".join(r["error"] for r in failed))
    judged = None if quick else not failed
    mean_accuracy, mean_nearest = fmean(r["accuracy"] for r in done), fmean(r["nearest"] for r in done)
    worst = min(done, key=lambda r: r["accuracy"] - r["nearest"])
    slowest = max(done, key=lambda r: r["seconds"])
    behind = 100 * (worst["accuracy"] - worst["nearest"])  # points
    how = HOW.format(
        version=aeon_data.AEON_VERSION,
        sets=", ".join(names),
        source=aeon_data.source(),
        settings=f"replace(LabSettings(), epochs={epochs})" if epochs else "LabSettings()",
        limit=MAX_SECONDS,
    )
    details = [
        f"network: {done[0]['network']}; recipe: "
        + ", ".join(f"{k} {v}" for k, v in done[0]["recipe"].items() if k not in ("hidden_size", "epochs", "seed")),
        "networks that learned little (the warning every page shows): "
        + (", ".join(r["set"] for r in done if r["learned_little"]) or "none"),
    ]
    details += [f"{r['set']}: {r['error'][-1500:]}" for r in failed]
    size = f"{len(names)} aeon data set{'s' if len(names) > 1 else ''}"
    recipe = f"Model lab defaults but {epochs} epochs (quick)" if quick else "Model lab defaults"
    return [
        Result(
            "panel",
            f"panel: mean test accuracy over {size}, {recipe}",
            100 * mean_accuracy,
            100 * mean_nearest,
            "%",
            ">= the mean 1-NN accuracy",
            judged and mean_accuracy >= mean_nearest,
            ratio=mean_accuracy / mean_nearest if mean_nearest else None,
            how=how,
            details=details,
            table=_table(rows),
        ),
        Result(
            "panel",
            f"panel: the set furthest below its 1-NN ({worst['set']}), test accuracy minus 1-NN",
            behind,
            None,
            "points",
            f">= -{100 * MAX_BEHIND_NEAREST:.0f} points",
            judged and behind >= -100 * MAX_BEHIND_NEAREST - 1e-9,
            how=how,
        ),
        Result(
            "panel",
            f"panel: the slowest training ({slowest['set']}), {recipe}",
            slowest["seconds"],
            None,
            "s",
            f"< {MAX_SECONDS} s per set",
            judged and slowest["seconds"] < MAX_SECONDS,
            how=how,
        ),
    ]


def _main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.panel_bench", description=measure.__doc__)
    parser.add_argument("name", choices=aeon_data.PANEL)
    parser.add_argument("--epochs", type=int, help="instead of the lab's default (the quick run)")
    args = parser.parse_args(argv)
    print(json.dumps(measure(args.name, args.epochs)), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(_main())
