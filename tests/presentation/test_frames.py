"""The tables that charts draw and users download."""

import numpy as np
import pytest

import core
from core.presentation import frames


def test_heatmap_long_rejects_mismatched_units():
    with pytest.raises(ValueError, match=r"shape \(T, 3\)"):
        frames.heatmap_long(np.zeros((2, 2)), [1, 2, 3])


def test_predictions_frame(toy_info, bm_info):
    probs = np.array([[0.6, 0.4], [0.3, 0.7]])
    table = frames.predictions_frame(probs, info=toy_info)
    assert list(table.columns) == ["step", "predicted animal", "probability"]
    assert table["predicted animal"].tolist() == ["cat", "dog"]
    assert table["probability"].tolist() == [0.6, 0.7]
    jv = frames.predictions_frame(np.eye(9)[[2, 8]])
    assert jv["predicted speaker"].tolist() == ["speaker 3", "speaker 9"]
    bm = frames.predictions_frame(np.eye(4)[[3, 0]], info=bm_info)
    assert bm["predicted activity"].tolist() == ["badminton", "standing"]
    with pytest.raises(ValueError, match="BasicMotions has 4 classes, but the probabilities have 2"):
        frames.predictions_frame(probs, info=bm_info)


def test_probs_long_names_the_class_column(bm_info, toy_info):
    table = frames.probs_long(np.array([[0.25, 0.75], [0.5, 0.5]]), info=toy_info)
    assert table.to_dict("records") == [
        {"step": 1, "animal": 1, "probability": 0.25},
        {"step": 1, "animal": 2, "probability": 0.75},
        {"step": 2, "animal": 1, "probability": 0.5},
        {"step": 2, "animal": 2, "probability": 0.5},
    ]
    assert list(frames.probs_long(np.full((3, 4), 0.25), info=bm_info).columns) == ["step", "activity", "probability"]
    assert list(frames.probs_long(np.full((3, 9), 1 / 9)).columns) == ["step", "speaker", "probability"]
    with pytest.raises(ValueError, match="Toy has 2 classes, but the probabilities have 9"):
        frames.probs_long(np.full((3, 9), 1 / 9), info=toy_info)


def test_words_default_to_japanese_vowels(bm_info):
    assert frames.words().class_word == "speaker" and frames.words().n_classes == 9
    assert frames.words(bm_info) is bm_info


def test_history_long_has_one_row_per_epoch_and_measure():
    history = [
        {"epoch": 1, "loss": 2.0, "train_accuracy": 0.2, "test_accuracy": 0.1, "seconds": 0.3},
        {"epoch": 2, "loss": 1.0, "train_accuracy": 0.6, "test_accuracy": 0.5, "seconds": 0.2},
    ]
    table = frames.history_long(history)
    assert table.to_dict("records") == [
        {"epoch": 1, "measure": "training loss", "value": 2.0},
        {"epoch": 2, "measure": "training loss", "value": 1.0},
        {"epoch": 1, "measure": "training accuracy", "value": 0.2},
        {"epoch": 2, "measure": "training accuracy", "value": 0.6},
        {"epoch": 1, "measure": "test accuracy", "value": 0.1},
        {"epoch": 2, "measure": "test accuracy", "value": 0.5},
    ]


def test_history_long_names_the_held_out_accuracy_only_when_there_was_a_held_out_part():
    nan = float("nan")
    rows = [
        {"epoch": 1, "loss": 2.0, "train_accuracy": 0.2, "validation_accuracy": v, "test_accuracy": 0.1} for v in (0.5,)
    ]
    measures = frames.history_long(rows)["measure"].tolist()
    assert measures == ["training loss", "training accuracy", "held-out accuracy", "test accuracy"]
    rows[0]["validation_accuracy"] = nan  # a recipe without a held-out part
    assert "held-out accuracy" not in frames.history_long(rows)["measure"].tolist()


def test_channel_names_default_to_channels_1_to_12_and_japanese_vowels_names_its_coefficients():
    assert frames.feature_names() == [f"channel {i}" for i in range(1, 13)]
    assert frames.feature_names(3) == ["channel 1", "channel 2", "channel 3"]
    assert frames.feature_names(info=core.load_dataset().info) == [f"coefficient {i}" for i in range(1, 13)]


def test_basicmotions_frames_are_named_by_its_channels(bm_dataset):
    info = bm_dataset.info
    x = bm_dataset.test.sequences[0]  # (6, T)
    names = ["accelerometer x", "accelerometer y", "accelerometer z", "gyroscope x", "gyroscope y", "gyroscope z"]
    assert frames.feature_names(6, info=info) == frames.feature_names(info=info) == names
    wide = frames.features_frame(x, info=info)
    assert list(wide.columns) == ["step", *names]
    np.testing.assert_array_equal(wide[names].to_numpy(), x.T)
    long = frames.features_long(x, info=info)
    assert len(long) == 6 * x.shape[1]
    for channel, name in enumerate(names):
        np.testing.assert_array_equal(long.loc[long["channel"] == name, "value"], x[channel])
    with pytest.raises(ValueError, match="BasicMotions has 6 channels, not 12"):
        frames.features_frame(np.zeros((12, 5)), info=info)


def test_a_long_recording_is_summarised_in_blocks_of_steps():
    x = np.arange(2 * 650, dtype=float).reshape(2, 650) % 17  # 650 steps: blocks of 3, the last of 2
    assert frames.column_block(300) == 1 and frames.column_block(301) == 2 and frames.column_block(650) == 3
    table = frames.features_envelope(x, first_step=11)
    first = table[table["channel"] == "channel 2"].iloc[0]
    assert (first["step"], first["last step"]) == (11, 13)
    assert (first["mean"], first["low"], first["high"]) == (np.mean(x[1, :3]), x[1, :3].min(), x[1, :3].max())
    last = table[table["channel"] == "channel 1"].iloc[-1]
    assert (last["step"], last["last step"]) == (11 + 648, 11 + 649)  # steps 649-650 of the recording
    assert last["mean"] == np.mean(x[0, 648:])
    assert len(table) == 2 * 217 <= 2 * frames.MAX_COLUMNS


def test_the_input_layer_of_one_channel_is_described_in_the_singular():
    one = core.LSTMClassifier(core.ModelConfig(n_features=1, hidden_size=5, n_classes=2))
    assert frames.layers_frame(one).iloc[0, 1] == (
        "Takes the 1 channel of each time step, scaled by the mean and spread of the training recordings"
    )
    twelve = core.LSTMClassifier(core.ModelConfig(n_features=12, hidden_size=5, n_classes=9))
    assert frames.layers_frame(twelve).iloc[0, 1].startswith("Takes the 12 channels of each time step, each scaled")
