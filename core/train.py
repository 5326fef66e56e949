"""Train the shipped classifier from its fixed seed: ``python -m core.train``.

Prints one line per epoch and writes the checkpoint and a CSV training log.
"""

from __future__ import annotations

import argparse
import time
from dataclasses import asdict
from pathlib import Path

from .atomic import atomic_write_bytes
from .model import SHIPPED_CHECKPOINT, save_checkpoint
from .trainer import EpochReport, TrainConfig, history_csv, train_model


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Train the Japanese Vowels LSTM classifier.")
    defaults = TrainConfig()
    parser.add_argument("--out", type=Path, default=SHIPPED_CHECKPOINT, help="checkpoint to write")
    parser.add_argument("--epochs", type=int, default=defaults.epochs)
    parser.add_argument("--hidden-size", type=int, default=defaults.hidden_size)
    parser.add_argument("--seed", type=int, default=defaults.seed)
    parser.add_argument("--threads", type=int, default=defaults.threads)
    args = parser.parse_args(argv)
    config = TrainConfig(epochs=args.epochs, hidden_size=args.hidden_size, seed=args.seed, threads=args.threads)

    def show(r: EpochReport) -> None:
        print(f"epoch {r.epoch:3d}/{r.epochs}  loss {r.loss:.4f}  train {r.train_accuracy:.2%}  "
              f"test {r.test_accuracy:.2%}  ({r.seconds:.2f} s)", flush=True)

    start = time.perf_counter()
    model, history = train_model(config, callback=show)
    elapsed = time.perf_counter() - start
    save_checkpoint(model, args.out, train_config=asdict(config), history=history)
    log_path = args.out.with_suffix(".log.csv")
    atomic_write_bytes(log_path, history_csv(history).encode("utf-8"))
    print(f"test accuracy {history[-1]['test_accuracy']:.2%} after {elapsed:.1f} s; "
          f"wrote {args.out} and {log_path}")


if __name__ == "__main__":
    main()
