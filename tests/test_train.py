"""``python -m core.train``: a network of any number of layers with its files; ``--results-only`` writes the
shipped results of an existing checkpoint.

A whole training run, killed half-way and run again, is in ``tests/test_crash_safety.py``.
"""

import torch
from numpy.testing import assert_allclose, assert_array_equal

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
    written = shipped_result(*_keys(model, dataset.test), path=tmp_path / "m.results.json")
    fresh = ablation._compute_single_unit_effects(model, dataset.test)
    assert_array_equal(written["single_unit_costs"], fresh.cost)
    assert_allclose(written["class_probability_drop"], fresh.class_drop, atol=1e-6)
    assert written["class_probability_drop"].shape == (4, 9)


def test_the_command_trains_a_stacked_network_and_writes_its_files(tmp_path, tmp_cache, monkeypatch, capsys):
    monkeypatch.setattr(core.compute.cache, "_default", tmp_cache)  # not the project's cache/
    out = tmp_path / "out" / "m.pt"
    out.parent.mkdir()
    train.main(["--epochs", "2", "--hidden-size", "5", "--layers", "2", "--threads", "1", "--out", str(out)])
    model, meta = core.load_checkpoint(out)
    assert model.config.num_layers == 2 and model.config.hidden_size == 5
    assert meta["train_config"]["num_layers"] == 2 and len(meta["history"]) == 2
    assert sorted(p.name for p in out.parent.iterdir()) == ["m.log.csv", "m.pt", "m.results.json"]
    printed = capsys.readouterr().out
    assert "epoch   2/2" in printed and f"test accuracy {meta['history'][-1]['test_accuracy']:.2%}" in printed
