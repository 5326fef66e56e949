"""The network and its checkpoint: architecture, the shipped network's accuracy, saving and loading, and a bad
checkpoint named on every page."""

import logging
import os
from pathlib import Path

import pytest
import torch
from app_helpers import APP, ROOT, clear_streamlit_caches, screen_text
from bad_calls import assert_bad_call_named, bad_call_cases
from hostile_input import Payload
from numpy.testing import assert_allclose
from streamlit.testing.v1 import AppTest

import core


def test_shipped_model_architecture(model):
    assert isinstance(model.lstm, torch.nn.LSTM) and isinstance(model.fc, torch.nn.Linear)
    assert (model.lstm.input_size, model.lstm.hidden_size, model.lstm.num_layers) == (12, 100, 1)
    assert (model.fc.in_features, model.fc.out_features) == (100, 9)
    assert not model.training


def test_the_shipped_network_gets_364_of_370_test_recordings_right_as_its_training_history_says(model, dataset):
    batch = core.run_batch(model, dataset.test.sequences)
    right = int((batch.final_predictions == dataset.test.labels).sum())
    assert (right, len(dataset.test)) == (364, 370)
    assert core.accuracy(batch.final_predictions, dataset.test.labels, 9) == 364 / 370
    _, meta = core.load_checkpoint(core.SHIPPED_CHECKPOINT)
    last = meta["history"][-1]
    assert last["epoch"] == last["epochs"] == meta["train_config"]["epochs"]
    assert last["test_accuracy"] == 364 / 370


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


def _write_bad_checkpoint(kind: str, path: Path, model, marker: Path) -> None:
    good = core.SHIPPED_CHECKPOINT.read_bytes()
    if kind == "garbage":
        path.write_bytes(os.urandom(len(good)))
    elif kind == "truncated":
        path.write_bytes(good[: len(good) // 2])
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "wrong shapes":  # weights of a 50-unit network under a 100-unit config
        core.save_checkpoint(core.LSTMClassifier(core.ModelConfig(hidden_size=50)), path)
        payload = torch.load(path, weights_only=True)
        payload["config"]["hidden_size"] = 100
        torch.save(payload, path)
    elif kind == "not a checkpoint":
        torch.save({"weights": torch.zeros(3)}, path)
    elif kind == "pickle payload":
        torch.save({"format": 1, "config": {}, "state_dict": Payload(marker)}, path)
    elif kind == "a folder":
        path.mkdir()
    elif kind != "missing":
        raise ValueError(kind)


@pytest.mark.parametrize(
    "kind",
    ["garbage", "truncated", "empty", "wrong shapes", "not a checkpoint", "pickle payload", "a folder", "missing"],
)
def test_a_bad_checkpoint_shows_a_clear_error_naming_the_file(tmp_path, monkeypatch, model, caplog, kind):
    path = tmp_path / "japanese_vowels_lstm.pt"
    marker = tmp_path / "payload_ran"
    _write_bad_checkpoint(kind, path, model, marker)
    monkeypatch.setattr(core, "checkpoint_path", lambda key, network="lstm": path)
    clear_streamlit_caches()
    try:
        with caplog.at_level(logging.ERROR):
            at = AppTest.from_file(APP, default_timeout=120)
            at.run()
            for page in (None, "pages/activations.py", "pages/model.py"):  # every page says the same; none crashes
                if page:
                    at.switch_page(page).run()
                assert not at.exception, [e.value for e in at.exception]
                (error,) = at.error
                assert str(path) in error.value and "could not be loaded" in error.value
                assert len(error.value) < 600 and "\n" not in error.value
                assert "Traceback" not in screen_text(at) and 'File "' not in screen_text(at)
    finally:
        monkeypatch.undo()
        clear_streamlit_caches()
    assert not marker.exists()
    logged = [r for r in caplog.records if "could not be loaded" in r.getMessage()]
    assert logged and logged[0].exc_info, "the full traceback goes to the server log"


# id, call, expected error, a pattern the message must contain (it names the argument or the problem)
BAD_CALLS = [
    ("model_fingerprint/None", lambda a: core.model_fingerprint(None), TypeError, "model must be an LSTMClassifier"),
    ("save_checkpoint/None", lambda a: core.save_checkpoint(None, "unused.pt"), TypeError, "model must be"),
    ("load_checkpoint/folder", lambda a: core.load_checkpoint(ROOT), core.CheckpointError, "is damaged"),
]


@pytest.mark.parametrize("name, call, error, match", bad_call_cases(BAD_CALLS))
def test_bad_calls_name_the_problem(name, call, error, match):
    assert_bad_call_named({}, name, call, error, match, documented=(ValueError, TypeError, core.CheckpointError))


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
