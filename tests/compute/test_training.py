"""Training: the recipe's plan, its held-out part, block phases, reproducibility, and that it learns."""

from dataclasses import replace

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose, assert_array_equal

import core
from core.compute.shortening import shorten
from core.compute.training import (
    TrainConfig,
    _batches,
    _BlockSampler,
    plan_training,
    train_model,
    validation_split,
)


def split_of(lengths, labels, channels=1, seed=0):
    rng = np.random.default_rng(seed)
    return core.Split(sequences=[rng.normal(size=(channels, n)) for n in lengths], labels=np.array(labels))


def test_training_is_reproducible_and_reports_every_epoch_of_both_candidates_and_the_final_training(dataset):
    config = TrainConfig(hidden_size=8, epochs=3, seed=5)
    reports = []
    first = train_model(config, dataset, callback=reports.append)
    second = train_model(config, dataset)
    tries, final = [r for r in reports if not r.final], [r for r in reports if r.final]
    assert [(r.candidate, r.epoch, r.candidate_number, r.candidates) for r in tries] == [
        (c, e, n, 3) for n, c in enumerate(("plain", "regularised"), 1) for e in (1, 2, 3)
    ]
    assert [(r.candidate, r.epoch, r.candidate_number, r.candidates) for r in final] == [
        (first.kept, e, 3, 3) for e in (1, 2, 3)
    ]
    assert [h["loss"] for h in first.history] == [r.loss for r in final] and first.kept_epoch == 3
    assert all(np.isnan(r.validation_accuracy) for r in final)  # nothing is held out of the final training
    assert core.model_fingerprint(first.model) == core.model_fingerprint(second.model)
    assert first.model.config.hidden_size == 8 and not first.model.training
    chosen = [r for r in tries if r.candidate == first.kept]
    assert first.validation_accuracy == max(r.validation_accuracy for r in chosen)
    assert first.chosen_epoch == max(r.epoch for r in chosen if r.validation_accuracy == first.validation_accuracy)


@pytest.mark.parametrize("seed", [5, 6])
def test_the_final_training_is_the_chosen_candidate_trained_alone_on_every_training_recording(dataset, seed):
    """The reference: a training without a held-out part, with the chosen candidate's weight decay and noise, from
    the same seed, gives the same weights."""
    config = TrainConfig(hidden_size=8, epochs=3, seed=seed)
    trained = train_model(config, dataset)
    plain = {"weight_decay": 0.0, "noise_std": 0.0} if trained.kept == "plain" else {}
    alone = train_model(replace(config, validation_share=0.0, **plain), dataset)
    assert core.model_fingerprint(trained.model) == core.model_fingerprint(alone.model)
    assert trained.test_accuracy == alone.test_accuracy


def test_without_the_final_training_the_chosen_candidate_keeps_its_best_epoch(dataset):
    trained = train_model(TrainConfig(hidden_size=8, epochs=3, seed=5, refit=False), dataset)
    assert trained.plan.final_epochs == 0 and trained.kept_epoch == trained.chosen_epoch
    assert not any(row["final"] for row in trained.history)


def test_the_validation_part_is_a_share_of_each_class_of_at_least_three():
    labels = np.array([1] * 10 + [2] * 5 + [3] * 2 + [4] * 3)
    fitting, validation = validation_split(labels, 0.2, seed=0)
    assert np.bincount(labels[validation], minlength=5).tolist() == [0, 2, 1, 0, 1]  # round(2.0), round(1.0), none, 1
    assert sorted([*fitting, *validation]) == list(range(len(labels)))
    assert_array_equal(validation_split(labels, 0.2, seed=0)[1], validation)
    assert not np.array_equal(validation_split(labels, 0.2, seed=1)[1], validation)
    assert len(validation_split(labels, 0.0, seed=0)[1]) == 0


def test_the_test_split_is_only_reported_never_used_to_choose(dataset):
    config = TrainConfig(hidden_size=8, epochs=4, seed=2)
    scrambled = core.Split(dataset.test.sequences, np.roll(dataset.test.labels, 7))
    one = train_model(config, dataset)
    other = train_model(config, core.Dataset(dataset.train, scrambled, dataset.info))
    assert (one.kept, one.kept_epoch) == (other.kept, other.kept_epoch)
    assert core.model_fingerprint(one.model) == core.model_fingerprint(other.model)
    assert one.test_accuracy != other.test_accuracy


def test_the_plan_shortens_long_recordings_and_caps_the_work():
    train = split_of([1460, 1400] * 200, [1, 2] * 200)
    plan = plan_training(TrainConfig(), train)
    assert (plan.step_block, plan.steps) == (25, 59)  # ceil(1460 / 60) = 25; ceil(1460 / 25) = 59
    assert (plan.fitting, plan.validation, plan.batch_size) == (320, 80, 40)  # round(320 / 8)
    assert plan.epochs == int(8e6 // (320 * 59)) == 423  # 6000 updates would take 750 epochs of 8 batches
    assert plan.epochs_capped and plan.candidates == ("plain", "regularised")
    assert plan.final_batch_size == 50 and plan.final_epochs == int(8e6 // (400 * 59)) == 338  # all 400 recordings
    wide = plan_training(TrainConfig(hidden_size=200, num_layers=2), train)
    assert wide.epochs == int(8e6 // (320 * 59 * 2 * 4))  # two layers of twice the units: 8 times the work
    few = plan_training(TrainConfig(), split_of([1460, 1400] * 20, [1, 2] * 20))
    assert (few.batch_size, few.epochs, few.epochs_capped) == (8, 1500, False)  # round(32 / 8) = 4, at least 8
    assert plan_training(TrainConfig(max_steps=0), train).step_block == 1


def test_without_a_validation_part_one_candidate_keeps_its_last_epoch():
    tiny = core.Dataset(split_of([9, 8, 7, 9], [1, 1, 2, 2]), split_of([9, 9], [1, 2]), _info(2))
    plan = plan_training(TrainConfig(), tiny.train)
    assert (plan.validation, plan.candidates, plan.final_epochs) == (0, ("regularised",), 0)
    trained = train_model(TrainConfig(hidden_size=4, epochs=3), tiny)
    assert (trained.kept, trained.kept_epoch) == ("regularised", 3) and np.isnan(trained.validation_accuracy)


@pytest.mark.parametrize("k, lengths, offsets", [(1, [5, 3], [0, 0]), (4, [13, 9, 4], [3, 0, 2]), (25, [60], [24])])
def test_block_phases_are_the_block_means_of_the_recording_from_its_offset(k, lengths, offsets):
    train = split_of(lengths, [1] * len(lengths), channels=2)
    sampler = _BlockSampler(train.sequences, k)
    idx = np.arange(len(lengths))[::-1].copy()
    x, steps = sampler.batch(torch.from_numpy(idx), torch.tensor(offsets))
    for row, (i, offset) in enumerate(zip(idx, offsets, strict=True)):
        expected = shorten(train.sequences[i][:, offset:], k).T  # (L, F)
        assert int(steps[row]) == len(expected)
        assert_allclose(x[row, : len(expected)].numpy(), expected, rtol=1e-5, atol=1e-6)
        assert not x[row, len(expected) :].any()
    assert sampler.phases.tolist() == [max(1, min(k, n - 1)) for n in lengths]


def test_length_sorted_batches_are_contiguous_runs_of_lengths():
    lengths = np.array([5, 3, 9, 1, 7, 2])
    config = TrainConfig(sort_by_length=True, shuffle_batches=False)
    batches = _batches(lengths, config, 2, np.random.default_rng(0))
    assert [lengths[b].tolist() for b in batches] == [[1, 2], [3, 5], [7, 9]]


def test_a_stacked_network_reports_what_run_batch_measures(dataset):
    trained = train_model(TrainConfig(hidden_size=8, num_layers=2, epochs=2, seed=3), dataset)
    assert trained.model.lstm.num_layers == 2 and trained.model.config.num_layers == 2
    batch = core.run_batch(trained.model, dataset.test.sequences)
    assert batch.num_layers == 2
    assert trained.test_accuracy == pytest.approx(core.accuracy(batch.final_predictions, dataset.test.labels, 9))


def _info(n_classes):
    return core.DatasetInfo(
        key="upload-grouped",
        title="Grouped",
        class_word="class",
        class_names=tuple(f"class {c}" for c in range(n_classes)),
        channel_names=("value",),
        source="made up for the tests",
        licence="none",
    )


def grouped_equal_length_set(seed):
    """Three classes of 150-step recordings, one channel, a bump early, in the middle or late, with noise; the
    training split listed class by class, as many UCR files are."""
    rng = np.random.default_rng(seed)
    t = np.arange(150)

    def split(per_class):
        sequences, labels = [], []
        for c, centre in enumerate((30, 75, 120), 1):
            for _ in range(per_class):
                bump = np.exp(-0.5 * ((t - centre - rng.integers(-8, 9)) / 8) ** 2)
                sequences.append((bump + rng.normal(0, 0.3, 150))[None, :])
                labels.append(c)
        return core.Split(sequences, np.array(labels))

    return core.Dataset(split(12), split(20), _info(3))


def test_a_small_class_grouped_equal_length_set_is_learned():
    data = grouped_equal_length_set(seed=4)
    trained = train_model(TrainConfig(hidden_size=32, updates=1500), data)
    assert trained.model.config.step_block == 3  # 150 steps in blocks of 3: 50
    assert trained.test_accuracy >= 0.9, trained.summary()


def test_the_kept_epoch_has_its_row_in_the_history_even_between_reported_epochs(dataset):
    small = core.Dataset(
        core.Split(dataset.train.sequences[::6], dataset.train.labels[::6]), dataset.test, dataset.info
    )
    reports = []
    trained = train_model(TrainConfig(hidden_size=4, epochs=301, seed=2, refit=False), small, callback=reports.append)
    reported = [r.epoch for r in reports if r.candidate == trained.kept]
    assert reported == [*range(3, 301, 3), 301]  # every ceil(301 / 150) = 3 epochs, and the last
    assert trained.kept_epoch not in reported  # seed 2 keeps epoch 113
    epochs = [row["epoch"] for row in trained.history]
    assert epochs == sorted([*reported, trained.kept_epoch])
    (kept,) = [row for row in trained.history if row["epoch"] == trained.kept_epoch]
    assert kept["validation_accuracy"] == trained.validation_accuracy
    assert kept["test_accuracy"] == pytest.approx(trained.test_accuracy)  # the kept weights' own test accuracy
