"""Train a shipped network from its fixed seed: ``python -m core.train [--dataset KEY] [--network NETWORK]``.

Prints one line per epoch and writes the checkpoint (by default
``models/<key>_<network>.pt``), a CSV training log and the results shipped beside it
(:mod:`core.compute.shipped_results`). ``python -m core.train --results-only``
writes only the results, for an existing checkpoint.
"""

from __future__ import annotations

import argparse
import math
from dataclasses import asdict
from pathlib import Path

from .analyses.ablation import single_unit_effects
from .compute.atomic import atomic_write_bytes
from .compute.data import split_fingerprint
from .compute.datasets import (
    DATASETS,
    DEFAULT_DATASET,
    checkpoint_path,
    load_dataset,
    shipped_networks,
    training_recipe,
)
from .compute.model import LSTMClassifier, load_checkpoint, model_fingerprint, save_checkpoint
from .compute.shipped_results import results_path, write_shipped_results
from .compute.training import EpochReport, TrainConfig, history_csv, train_model

__all__ = ["main", "write_results"]


def write_results(model: LSTMClassifier, checkpoint: Path, dataset: str = DEFAULT_DATASET) -> Path:
    """Compute the shipped results of ``model`` on the test split of ``dataset`` and write them beside
    ``checkpoint``."""
    test = load_dataset(dataset).test
    effects = single_unit_effects(model, test)
    return write_shipped_results(
        results_path(checkpoint),
        model_fingerprint(model),
        split_fingerprint(test),
        single_unit_costs=effects.cost,
        class_probability_drop=effects.class_drop,
    )


def main(argv: list[str] | None = None) -> None:
    """Train from the command line ``argv`` (``sys.argv[1:]`` when None), or with ``--results-only`` write only
    the shipped results of the checkpoint ``--out``."""
    parser = argparse.ArgumentParser(description="Train the LSTM classifier of a shipped data set.")
    defaults = TrainConfig()
    parser.add_argument("--dataset", choices=list(DATASETS), default=DEFAULT_DATASET)
    networks = sorted({n.key for key in DATASETS for n in shipped_networks(key)})
    parser.add_argument("--network", choices=networks, default="lstm", help="which of its shipped networks")
    parser.add_argument("--out", type=Path, help="checkpoint to write (default: models/<dataset>_<network>.pt)")
    parser.add_argument("--epochs", type=int, help=f"default: {defaults.epochs}, or the data set's recipe")
    parser.add_argument("--hidden-size", type=int, help=f"default: {defaults.hidden_size}, or the data set's recipe")
    parser.add_argument("--layers", type=int, help=f"stacked LSTM layers, 1 to 3 (default: {defaults.num_layers})")
    parser.add_argument("--seed", type=int, help=f"default: {defaults.seed}, or the data set's recipe")
    parser.add_argument("--threads", type=int, help=f"default: {defaults.threads}, or the data set's recipe")
    parser.add_argument(
        "--results-only",
        action="store_true",
        help="do not train: write the shipped results of the existing checkpoint --out",
    )
    args = parser.parse_args(argv)
    args.out = args.out or checkpoint_path(args.dataset, args.network)
    if args.results_only:
        model, meta = load_checkpoint(args.out)
        print(f"wrote {write_results(model, args.out, meta['train_config'].get('dataset', DEFAULT_DATASET))}")
        return
    chosen = {
        "epochs": args.epochs,
        "hidden_size": args.hidden_size,
        "num_layers": args.layers,
        "seed": args.seed,
        "threads": args.threads,
    }
    chosen = {name: value for name, value in chosen.items() if value is not None}
    config = TrainConfig(dataset=args.dataset, **{**training_recipe(args.dataset, args.network), **chosen})

    def show(r: EpochReport) -> None:
        final = ", final, on every training recording" if r.final else ""
        tries = f"{r.candidate} ({r.candidate_number}/{r.candidates}{final}) " if r.candidates > 1 else ""
        held_out = "" if math.isnan(r.validation_accuracy) else f"held out {r.validation_accuracy:.2%}  "
        print(
            f"{tries}epoch {r.epoch:3d}/{r.epochs}  loss {r.loss:.4f}  train {r.train_accuracy:.2%}  {held_out}"
            f"test {r.test_accuracy:.2%}  ({r.seconds:.2f} s)",
            flush=True,
        )

    trained = train_model(config, callback=show)
    save_checkpoint(trained.model, args.out, train_config=asdict(config), history=trained.history)
    log_path = args.out.with_suffix(".log.csv")
    atomic_write_bytes(log_path, history_csv(trained.history).encode("utf-8"))
    results = write_results(trained.model, args.out, args.dataset)
    print(
        f"kept {trained.kept}, epoch {trained.kept_epoch}: test accuracy {trained.test_accuracy:.2%} after "
        f"{trained.seconds:.1f} s; wrote {args.out}, {log_path} and {results}"
    )


if __name__ == "__main__":
    main()
