"""Data sets at the edges of what an upload may hold, made up here (seeded), as the files a visitor uploads.

Each is a ``.ts`` pair of the UEA/UCR archive's format: many classes, one channel, long recordings, unequal lengths,
class names that are numbers, values in the thousands, 100 channels, recordings of 2 steps. The recordings of each
class differ in a way a network can learn (a class-dependent frequency and offset) so that pages have something to
show, but nothing here is tuned to a page.
"""

from __future__ import annotations

import numpy as np

__all__ = ["EdgeSet", "EDGE_SETS", "ts_pair"]


class EdgeSet:
    """A made-up data set: ``n_classes`` classes, ``n_channels`` channels, recordings of ``lengths`` (low, high)
    steps, ``per_class`` training and test recordings per class, classes named ``names`` (default "c1"...), values
    multiplied by ``scale``."""

    def __init__(self, name, n_classes, n_channels, lengths, per_class=(3, 2), names=None, seed=0, scale=1.0):
        self.name, self.n_classes, self.n_channels, self.lengths = name, n_classes, n_channels, lengths
        self.per_class, self.seed, self.scale = per_class, seed, scale
        self.names = names or [f"c{k}" for k in range(1, n_classes + 1)]

    def __repr__(self) -> str:
        return self.name


EDGE_SETS = (
    EdgeSet("fifty_classes", 50, 2, (20, 30), per_class=(3, 1)),
    EdgeSet("one_channel", 3, 1, (40, 40)),
    EdgeSet("long", 2, 3, (2000, 2000), per_class=(4, 2)),
    EdgeSet("unequal", 4, 2, (5, 300)),
    EdgeSet("numeric_names", 3, 2, (30, 30), names=["0", "1", "2"]),
    EdgeSet("large_values", 2, 1, (24, 24), scale=1500.0),  # counts in the thousands, as aeon's UnitTest holds
    EdgeSet("hundred_channels", 3, 100, (15, 25)),
    EdgeSet("two_steps", 2, 3, (2, 3)),  # the shortest recordings an upload may hold
)


def _recording(rng, klass: int, n_channels: int, length: int) -> np.ndarray:
    """One recording of class ``klass`` (0-based): a sine of a class-dependent frequency plus an offset, with noise;
    shape (n_channels, length)."""
    t = np.linspace(0.0, 1.0, length)
    return np.stack(
        [
            np.sin(2 * np.pi * (1 + klass % 7) * t + channel) + 0.1 * klass + 0.2 * rng.standard_normal(length)
            for channel in range(n_channels)
        ]
    )


def ts_pair(edge: EdgeSet) -> list[tuple[str, bytes]]:
    """The data set as two ``.ts`` files, ``<name>_TRAIN.ts`` and ``<name>_TEST.ts``, as an upload hands them over."""
    rng = np.random.default_rng(edge.seed)
    files = []
    for split, count in zip(("TRAIN", "TEST"), edge.per_class, strict=True):
        equal = edge.lengths[0] == edge.lengths[1]
        lines = [
            f"@problemName {edge.name}",
            "@timeStamps false",
            "@missing false",
            f"@univariate {str(edge.n_channels == 1).lower()}",
            f"@dimensions {edge.n_channels}",
            f"@equalLength {str(equal).lower()}",
            f"@classLabel true {' '.join(edge.names)}",
            "@data",
        ]
        for klass, name in enumerate(edge.names):
            for _ in range(count):
                length = int(rng.integers(edge.lengths[0], edge.lengths[1] + 1))
                x = edge.scale * _recording(rng, klass, edge.n_channels, length)
                lines.append(":".join(",".join(f"{v:.4f}" for v in row) for row in x) + f":{name}")
        files.append((f"{edge.name}_{split}.ts", ("\n".join(lines) + "\n").encode()))
    return files
