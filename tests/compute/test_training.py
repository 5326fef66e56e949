"""Training: reproducible from its seed, one report per epoch, length-sorted mini-batches."""

import numpy as np
import pytest

import core
from core.compute.training import TrainConfig, _batches, train_model


def test_training_is_reproducible_and_reports_every_epoch(dataset):
    config = TrainConfig(hidden_size=8, epochs=3, seed=5)
    reports = []
    first, history = train_model(config, dataset, callback=reports.append)
    second, _ = train_model(config, dataset)
    assert [r.epoch for r in reports] == [1, 2, 3]
    assert [h["loss"] for h in history] == [r.loss for r in reports]
    assert core.model_fingerprint(first) == core.model_fingerprint(second)
    assert first.config.hidden_size == 8 and not first.training


def test_length_sorted_batches_are_contiguous_runs_of_lengths():
    lengths = np.array([5, 3, 9, 1, 7, 2])
    batches = _batches(lengths, TrainConfig(batch_size=2, shuffle_batches=False), np.random.default_rng(0))
    assert [lengths[b].tolist() for b in batches] == [[1, 2], [3, 5], [7, 9]]


def test_training_a_stacked_network_reports_what_run_batch_measures(dataset):
    model, history = train_model(TrainConfig(hidden_size=8, num_layers=2, epochs=2, seed=3), dataset)
    assert model.lstm.num_layers == 2 and model.config.num_layers == 2
    batch = core.run_batch(model, dataset.test.sequences)
    assert batch.num_layers == 2
    assert history[-1]["test_accuracy"] == pytest.approx(core.accuracy(batch.final_predictions, dataset.test.labels, 9))
