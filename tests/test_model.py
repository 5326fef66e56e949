import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose

import core
from core.compute.training import TrainConfig, train_model


def test_shipped_model_architecture(model):
    assert isinstance(model.lstm, torch.nn.LSTM) and isinstance(model.fc, torch.nn.Linear)
    assert (model.lstm.input_size, model.lstm.hidden_size, model.lstm.num_layers) == (12, 100, 1)
    assert (model.fc.in_features, model.fc.out_features) == (100, 9)
    assert not model.training


def test_shipped_model_test_accuracy_is_at_least_98_percent(model, dataset):
    batch = core.run_batch(model, dataset.test.sequences)
    assert core.accuracy(batch.final_predictions, dataset.test.labels) >= 0.98


def test_normalize_uses_the_stored_statistics(model, dataset):
    x = dataset.test.sequences[0]
    mean, std = model.feature_mean.numpy(), model.feature_std.numpy()
    assert_allclose(model.normalize(x), (x - mean[:, None]) / std[:, None], rtol=1e-6)
    assert_allclose(model.normalize(x[:, 0]), (x[:, 0] - mean) / std, rtol=1e-6)


def test_checkpoint_round_trip(tmp_path, model):
    path = core.save_checkpoint(model, tmp_path / "m.pt", train_config={"seed": 3}, history=[{"epoch": 1, "loss": 0.5}])
    loaded, meta = core.load_checkpoint(path)
    assert core.model_fingerprint(loaded) == core.model_fingerprint(model)
    assert meta == {"train_config": {"seed": 3}, "history": [{"epoch": 1, "loss": 0.5}]}
    assert not list(tmp_path.glob("*.tmp")), "no temporary file is left behind"


def test_checkpoint_loads_with_weights_only(model):
    payload = torch.load(core.SHIPPED_CHECKPOINT, weights_only=True)
    assert payload["config"] == {"n_features": 12, "hidden_size": 100, "n_classes": 9}
    assert payload["history"] and payload["train_config"]["seed"] == 0


def test_bad_checkpoints_name_the_file(tmp_path, model):
    garbage = tmp_path / "garbage.pt"
    garbage.write_bytes(b"\x00not a checkpoint" * 10)
    with pytest.raises(core.CheckpointError, match="garbage.pt is damaged"):
        core.load_checkpoint(garbage)
    with pytest.raises(core.CheckpointError, match="missing.pt does not exist"):
        core.load_checkpoint(tmp_path / "missing.pt")
    wrong = core.save_checkpoint(model, tmp_path / "wrong.pt")
    payload = torch.load(wrong, weights_only=True)
    payload["config"]["hidden_size"] = 50
    torch.save(payload, wrong)
    with pytest.raises(core.CheckpointError, match="wrong.pt does not fit the model"):
        core.load_checkpoint(wrong)


def test_pickled_code_in_a_checkpoint_is_refused(tmp_path):
    class Evil:
        def __reduce__(self):
            return (print, ("code ran",))

    path = tmp_path / "evil.pt"
    torch.save({"format": 1, "x": Evil()}, path)
    with pytest.raises(core.CheckpointError, match="evil.pt is damaged"):
        core.load_checkpoint(path)


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
    from core.compute.training import _batches

    lengths = np.array([5, 3, 9, 1, 7, 2])
    batches = _batches(lengths, TrainConfig(batch_size=2, shuffle_batches=False), np.random.default_rng(0))
    assert [lengths[b].tolist() for b in batches] == [[1, 2], [3, 5], [7, 9]]


def test_a_checkpoint_saved_before_layers_existed_loads_as_one_layer(model):
    payload = torch.load(core.SHIPPED_CHECKPOINT, weights_only=True)
    assert "num_layers" not in payload["config"] and model.config.num_layers == 1


@pytest.mark.parametrize("num_layers", [2, 3])
def test_stacked_checkpoint_round_trip(tmp_path, num_layers):
    torch.manual_seed(1)
    model = core.LSTMClassifier(core.ModelConfig(hidden_size=6, num_layers=num_layers)).eval()
    loaded, _ = core.load_checkpoint(core.save_checkpoint(model, tmp_path / "m.pt"))
    assert loaded.config == model.config and loaded.lstm.num_layers == num_layers
    assert core.model_fingerprint(loaded) == core.model_fingerprint(model)


def test_a_checkpoint_with_too_many_layers_is_refused(tmp_path):
    path = core.save_checkpoint(core.LSTMClassifier(core.ModelConfig(hidden_size=4, num_layers=3)), tmp_path / "m.pt")
    payload = torch.load(path, weights_only=True)
    payload["config"]["num_layers"] = 4
    torch.save(payload, path)
    with pytest.raises(core.CheckpointError, match="m.pt does not fit the model: num_layers must be from 1 to 3"):
        core.load_checkpoint(path)


def test_training_a_stacked_network_reports_what_run_batch_measures(dataset):
    model, history = train_model(TrainConfig(hidden_size=8, num_layers=2, epochs=2, seed=3), dataset)
    assert model.lstm.num_layers == 2 and model.config.num_layers == 2
    batch = core.run_batch(model, dataset.test.sequences)
    assert batch.num_layers == 2
    assert history[-1]["test_accuracy"] == pytest.approx(core.accuracy(batch.final_predictions, dataset.test.labels))
