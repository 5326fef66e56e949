"""``python -m core.train``: ``--results-only`` writes the shipped results of an existing checkpoint.

A whole training run, killed half-way and run again, is in ``tests/test_crash_safety.py``.
"""

import torch
from numpy.testing import assert_array_equal

import core
from core import train
from core.analyses import ablation
from core.compute.shipped_results import shipped_result


def _keys(model, split):
    return core.model_fingerprint(model), core.split_fingerprint(split)


def test_results_only_writes_the_results_of_an_existing_checkpoint(dataset, tmp_path, tmp_cache, monkeypatch):
    torch.manual_seed(0)
    model = core.LSTMClassifier(core.ModelConfig(hidden_size=4)).eval()
    checkpoint = core.save_checkpoint(model, tmp_path / "m.pt")
    monkeypatch.setattr(core.compute.cache, "_default", tmp_cache)  # not the project's cache/
    train.main(["--results-only", "--out", str(checkpoint)])
    written = shipped_result("single_unit_costs", *_keys(model, dataset.test), path=tmp_path / "m.results.json")
    assert_array_equal(written, ablation._compute_single_unit_costs(model, dataset.test))
