import dataclasses

import numpy as np
import pytest
from bad_calls import assert_bad_call_named, bad_call_cases
from numpy.testing import assert_array_equal

import core
from core.compute import evaluate


@pytest.mark.parametrize(
    "predictions, expected",
    [
        ([3, 3, 3, 3], 1),
        ([1, 2, 3, 3], 3),
        ([3, 1, 3, 3, 3], 3),
        ([2, 2, 2, 5], 4),
        ([7], 1),
    ],
)
def test_settling_step_on_constructed_trajectories(predictions, expected):
    assert core.settling_step(predictions) == expected


def test_settling_step_rejects_empty():
    with pytest.raises(ValueError, match="non-empty 1-D"):
        core.settling_step([])


def test_confusion_matrix_and_accuracy():
    labels = np.array([1, 1, 2, 3, 3, 3])
    predicted = np.array([1, 2, 2, 3, 3, 1])
    counts = core.confusion_matrix(predicted, labels, n_classes=3)
    assert_array_equal(counts, [[1, 1, 0], [0, 1, 0], [1, 0, 2]])
    assert core.accuracy(predicted, labels, 3) == pytest.approx(4 / 6)
    with pytest.raises(ValueError, match="same non-empty shape"):
        core.accuracy([1, 2], [1], 9)
    with pytest.raises(ValueError, match="same shape"):
        core.confusion_matrix([1, 2], [1], 9)


def test_score_split_of_hand_built_traces():
    """Five recordings of 3 classes, lengths 2 and 3; the answer after each one's last step is known by hand, and
    the padded step (probs 1 for class 2) and the earlier steps must not count."""
    finals = np.array([[0.7, 0.2, 0.1], [0.1, 0.3, 0.6], [0.2, 0.5, 0.3], [0.1, 0.1, 0.8], [0.6, 0.3, 0.1]])  # (5, 3)
    lengths = np.array([3, 2, 3, 2, 3])
    probs = np.zeros((5, 3, 3))  # (N, T_max, C)
    probs[:, :, 1] = 1.0  # class 2 everywhere...
    probs[np.arange(5), lengths - 1] = finals  # ... but after the last step
    batch = core.BatchTrace(
        hidden=np.zeros((5, 3, 2)), cell=np.zeros((5, 3, 2)), gates=np.zeros((5, 3, 4, 2)), probs=probs, lengths=lengths
    )
    labels = np.array([1, 2, 2, 3, 3])  # answers 1, 3, 2, 3, 1: recordings 2 and 5 wrong
    score = core.score_split(batch, labels)
    assert_array_equal(score.predicted, [1, 3, 2, 3, 1])
    assert score.accuracy == pytest.approx(3 / 5) and score.n_wrong == 2
    # row = true class, column = answer: true 2 answered 3 once, true 3 answered 1 once
    assert_array_equal(score.confusion, [[1, 0, 0], [0, 1, 1], [1, 0, 1]])


def test_score_split_on_the_shipped_model(model, dataset):
    batch = core.run_batch(model, dataset.test.sequences)
    score = core.score_split(batch, dataset.test.labels)
    assert score.confusion.sum() == 370 and np.trace(score.confusion) == 370 - score.n_wrong
    assert score.accuracy == pytest.approx((370 - score.n_wrong) / 370)
    assert_array_equal(score.predicted, batch.final_predictions)


def test_layer_table_counts_match_the_model(model):
    table = core.layer_table(model)
    assert [row["name"] for row in table] == ["sequenceinput", "lstm", "fc", "softmax", "classoutput"]
    assert sum(row["parameters"] for row in table) == core.parameter_count(model) == 46509
    lstm = next(row for row in table if row["name"] == "lstm")
    assert lstm["parameters"] == 4 * 100 * (12 + 100) + 2 * 4 * 100


def test_a_stacked_network_has_one_row_per_lstm_layer():
    model = core.LSTMClassifier(core.ModelConfig(hidden_size=5, num_layers=3))
    table = core.layer_table(model)
    assert [row["name"] for row in table][:4] == ["sequenceinput", "lstm_1", "lstm_2", "lstm_3"]
    assert [row["parameters"] for row in table[1:4]] == [4 * 5 * (12 + 5) + 8 * 5] + [4 * 5 * (5 + 5) + 8 * 5] * 2
    assert sum(row["parameters"] for row in table) == core.parameter_count(model)
    assert "InputWeights 20x12" in table[1]["learnables"] and "InputWeights 20x5" in table[2]["learnables"]
    assert "reads the hidden states of lstm_2" in table[3]["description"]


@pytest.fixture(scope="module")
def api(model, dataset):
    """What the bad calls below need: the model, traces of all test recordings, all and 60 labels."""
    return dict(
        m=model,
        B=core.split_traces(model, "test", dataset=dataset),
        Lall=dataset.test.labels,
        L=dataset.test.labels[:60],
    )


# id, call, expected error, a pattern the message must contain (it names the argument or the problem)
BAD_CALLS = [
    ("evaluate.accuracy/None", lambda a: evaluate.accuracy(None, [1], 9), ValueError, "predicted must be an array"),
    ("evaluate.accuracy/shapes", lambda a: evaluate.accuracy([1, 2], [1], 9), ValueError, "same non-empty shape"),
    ("evaluate.accuracy/empty", lambda a: evaluate.accuracy([], [], 9), ValueError, "same non-empty shape"),
    ("evaluate.accuracy/NaN", lambda a: evaluate.accuracy([np.nan], [1], 9), ValueError, "predicted"),
    ("evaluate.confusion_matrix/shapes", lambda a: evaluate.confusion_matrix([1, 2], [1], 9), ValueError, "same shape"),
    (
        "evaluate.confusion_matrix/class 10",
        lambda a: evaluate.confusion_matrix([10], [1], 9),
        ValueError,
        "between 1 and 9",
    ),
    (
        "evaluate.confusion_matrix/class 0",
        lambda a: evaluate.confusion_matrix([0], [1], 9),
        ValueError,
        "between 1 and 9",
    ),
    (
        "evaluate.confusion_matrix/class 1.7",
        lambda a: evaluate.confusion_matrix([1.7], [1], 9),
        ValueError,
        "predicted",
    ),
    ("evaluate.confusion_matrix/None", lambda a: evaluate.confusion_matrix(None, [1], 9), ValueError, "predicted"),
    ("evaluate.settling_step/None", lambda a: evaluate.settling_step(None), ValueError, "non-empty 1-D"),
    ("evaluate.settling_step/empty", lambda a: evaluate.settling_step([]), ValueError, "non-empty 1-D"),
    ("evaluate.settling_step/2-D", lambda a: evaluate.settling_step([[1]]), ValueError, "non-empty 1-D"),
    ("evaluate.score_split/labels", lambda a: evaluate.score_split(a["B"], a["Lall"][:3]), ValueError, "same"),
    ("evaluate.score_split/batch None", lambda a: evaluate.score_split(None, a["L"]), TypeError, "batch"),
    ("evaluate.parameter_count/None", lambda a: evaluate.parameter_count(None), TypeError, "model must be"),
    ("evaluate.layer_table/None", lambda a: evaluate.layer_table(None), TypeError, "model must be"),
    (
        "evaluate.split_traces/split",
        lambda a: evaluate.split_traces(a["m"], "validation"),
        ValueError,
        "split must be 'train' or 'test'",
    ),
    (
        "evaluate.split_traces/dataset key",
        lambda a: evaluate.split_traces(a["m"], "test", dataset="basicmotions"),
        TypeError,
        "dataset must be a Dataset, got str",
    ),
    (
        "evaluate.split_traces/model None",
        lambda a: evaluate.split_traces(None, "test"),
        TypeError,
        "model must be an LSTMClassifier",
    ),
]


@pytest.mark.parametrize("name, call, error, match", bad_call_cases(BAD_CALLS))
def test_bad_calls_name_the_problem(api, name, call, error, match):
    assert_bad_call_named(api, name, call, error, match)


def test_basicmotions_confusion_matrix_and_score_equal_a_loop_count(bm_model, bm_dataset):
    labels = bm_dataset.test.labels
    batch = core.run_batch(bm_model, bm_dataset.test.sequences)
    predicted = batch.final_predictions
    expected = np.zeros((4, 4), int)
    for true, guess in zip(labels, predicted, strict=True):
        expected[true - 1, guess - 1] += 1
    assert_array_equal(core.confusion_matrix(predicted, labels, n_classes=bm_model.config.n_classes), expected)
    score = core.score_split(batch, labels)
    assert_array_equal(score.confusion, expected)
    assert score.n_wrong == len(labels) - np.trace(expected)
    assert score.accuracy == pytest.approx(np.trace(expected) / len(labels))
    assert core.accuracy(predicted, labels, n_classes=4) == pytest.approx(np.trace(expected) / len(labels))
    with pytest.raises(ValueError, match="labels must hold whole-number classes between 1 and 4"):
        core.confusion_matrix(predicted, labels + 1, n_classes=4)


def test_basicmotions_layer_table_names_its_classes(bm_model):
    table = core.layer_table(bm_model, class_word="activity")
    assert table[0]["output size"] == "6 x T" and table[-3]["output size"] == "4"
    assert table[-2]["description"] == "softmax: turns the 4 scores into probabilities"
    assert table[-1]["description"] == "the activity with the highest probability (1 to 4)"
    assert sum(row["parameters"] for row in table) == core.parameter_count(bm_model)


def test_jv_layer_table_keeps_its_speaker_wording(model):
    table = core.layer_table(model)
    assert table[-2]["description"] == "softmax: turns the 9 scores into probabilities"
    assert table[-1]["description"] == "the speaker with the highest probability (1 to 9)"


def test_split_traces_of_basicmotions_are_run_batch_and_cached_apart_from_japanese_vowels(
    tmp_cache, model, bm_model, bm_dataset
):
    computed = core.split_traces(bm_model, "test", dataset=core.load_dataset("basicmotions"), cache=tmp_cache)
    expected = core.run_batch(bm_model, bm_dataset.test.sequences)
    assert_array_equal(computed.probs, expected.probs)
    assert_array_equal(computed.hidden, expected.hidden)
    assert_array_equal(computed.lengths, expected.lengths)
    assert computed.probs.shape[-1] == 4
    entries = tmp_cache.root / "split_traces"
    assert len(list(entries.glob("*.joblib"))) == 1
    core.split_traces(model, "test", cache=tmp_cache)
    assert len(list(entries.glob("*.joblib"))) == 2
    from_disk = core.split_traces(
        bm_model, "test", dataset=core.load_dataset("basicmotions"), cache=core.DiskCache(tmp_cache.root)
    )
    assert_array_equal(from_disk.probs, expected.probs)
    assert len(list(entries.glob("*.joblib"))) == 2
    uploaded = dataclasses.replace(bm_dataset, shipped=False)  # the same numbers, read from a user's files
    in_memory = core.split_traces(bm_model, "train", dataset=uploaded, cache=tmp_cache)
    assert_array_equal(in_memory.probs, core.run_batch(bm_model, bm_dataset.train.sequences).probs)
    assert len(list(entries.glob("*.joblib"))) == 2  # an uploaded data set is never disk-cached


def test_split_traces_cache_key_names_the_data_set(tmp_cache, model, monkeypatch):
    """Two data sets never share an entry, even for the same weights and split."""
    keys = []
    real = tmp_cache.get_or_compute
    monkeypatch.setattr(
        tmp_cache, "get_or_compute", lambda ns, key, fn, code: keys.append(key) or real(ns, key, fn, code)
    )
    core.split_traces(model, "test", cache=tmp_cache)
    assert keys[0][1:] == (core.load_dataset().fingerprint, "test")
