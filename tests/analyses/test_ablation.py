"""Silencing units: the plain network when nothing is silenced, the fc bias when everything is, known costs and
probability falls."""

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose, assert_array_equal

import core
from core.analyses import ablation


def tiny_model():
    """Two units: unit 0 follows the sign of feature 0 and decides speaker 1 (+) or 2 (-); unit 1 is ignored.

    With both gates i and o open and f shut, each step's cell is tanh(10 x0) ~ +-1, so
    h0 ~ +-0.76. The fc layer scores speaker 1 with +10 h0 and speaker 2 with 1 - 10 h0,
    so a silenced unit 0 (h0 = 0) makes every sequence speaker 2.
    """
    model = core.LSTMClassifier(core.ModelConfig(hidden_size=2))
    with torch.no_grad():
        for p in model.parameters():
            p.zero_()
        lstm, H = model.lstm, 2
        lstm.bias_ih_l0[0:H] = 10.0  # input gates open
        lstm.bias_ih_l0[H : 2 * H] = -10.0  # forget gates shut
        lstm.weight_ih_l0[2 * H, 0] = 10.0  # unit 0's candidate follows feature 0
        lstm.bias_ih_l0[2 * H + 1] = 10.0  # unit 1 is always on ...
        lstm.bias_ih_l0[3 * H :] = 10.0  # output gates open
        model.fc.weight[0, 0], model.fc.weight[1, 0] = 10.0, -10.0  # ... but only unit 0 reaches the fc layer
        model.fc.bias[:] = torch.tensor([0.0, 1.0] + [-10.0] * 7)
    return model.eval()


def tiny_split(positive_labels, negative_labels):
    """Sequences of 3 steps whose feature 0 is +1 (then -1), with the given speakers."""

    def sequence(sign):
        x = np.zeros((12, 3))
        x[0] = sign
        return x

    sequences = [sequence(1.0) for _ in positive_labels] + [sequence(-1.0) for _ in negative_labels]
    return core.Split(sequences=sequences, labels=np.array(list(positive_labels) + list(negative_labels)))


def test_no_silencing_is_the_plain_network(model, dataset):
    x = dataset.test.sequences[11]
    before, after = ablation.compare_trajectories(model, x, [])
    reference = core.run_sequence(model, x)
    for name in ("hidden", "cell", "gates", "probs"):
        assert_allclose(getattr(before, name), getattr(reference, name))
        assert_allclose(getattr(after, name), getattr(reference, name))


def test_silencing_every_unit_leaves_only_the_fc_bias(model, dataset):
    split = dataset.test
    bias = model.fc.bias.detach().numpy().astype(float)  # (9,)
    bias_speaker = int(np.argmax(bias)) + 1
    everything = np.ones(100, bool)
    accuracy = core.accuracy(
        core.run_batch(model, split.sequences, silenced=everything).final_predictions, split.labels, 9
    )
    assert_allclose(accuracy, np.mean(split.labels == bias_speaker))
    assert accuracy < 0.25  # about chance: one speaker's share of the test split
    _, after = ablation.compare_trajectories(model, split.sequences[0], everything)
    assert_array_equal(after.hidden, 0.0)
    assert_array_equal(after.predictions, bias_speaker)
    softmax = np.exp(bias - bias.max()) / np.exp(bias - bias.max()).sum()
    assert_allclose(after.probs, np.broadcast_to(softmax, after.probs.shape), rtol=1e-5)


def test_silencing_from_a_later_step_keeps_the_earlier_steps(model, dataset):
    before, after = ablation.compare_trajectories(model, dataset.test.sequences[5], [3, 17, 60], silence_from=4)
    assert_array_equal(after.hidden[:4], before.hidden[:4])
    assert_array_equal(after.hidden[4:, [3, 17, 60]], 0.0)
    assert np.any(after.probs[4:] != before.probs[4:])


def tiny_final_probs(h0: float) -> np.ndarray:
    """The tiny model's class probabilities after a step whose unit 0 is ``h0``, shape (9,)."""
    logits = np.array([10 * h0, 1 - 10 * h0] + [-10.0] * 7)
    return np.exp(logits) / np.exp(logits).sum()


def tiny_h0(sign: float) -> float:
    """Unit 0 of the tiny model after 3 steps of feature 0 = ``sign``: the LSTM's equations written out."""
    i = o = 1 / (1 + np.exp(-10.0))
    f = 1 / (1 + np.exp(10.0))
    cell = 0.0
    for _ in range(3):
        cell = f * cell + i * np.tanh(10 * sign)
    return o * np.tanh(cell)


@pytest.mark.parametrize(
    "positive_labels, negative_labels, expected",
    [
        ([1, 1, 1, 2], [2], [2, 0]),  # silencing unit 0: three 1s go wrong, the mislabelled 2 goes right
        ([1, 2, 2], [2], [-1, 0]),  # one goes wrong, two go right: a net gain
        ([3, 3], [3], [0, 0]),  # always wrong, silenced or not
    ],
)
def test_single_unit_effects_on_a_tiny_model(tmp_cache, positive_labels, negative_labels, expected):
    model, split = tiny_model(), tiny_split(positive_labels, negative_labels)
    assert_array_equal(
        core.run_batch(model, split.sequences).final_predictions,
        [1] * len(positive_labels) + [2] * len(negative_labels),
    )
    effects = ablation.single_unit_effects(model, split, cache=tmp_cache)
    assert_array_equal(effects.cost, expected)
    assert effects.cost.dtype.kind == "i"
    # Each recording's own class's probability falls from its plain value to the silenced one (h0 = 0); unit 1
    # never reaches the fc layer, so silencing it changes nothing.
    plain = {+1: tiny_final_probs(tiny_h0(+1.0)), -1: tiny_final_probs(tiny_h0(-1.0))}
    silenced = tiny_final_probs(0.0)
    recordings = [(+1, k) for k in positive_labels] + [(-1, k) for k in negative_labels]
    drop = np.zeros(9)
    for k in range(1, 10):
        falls = [plain[sign][k - 1] - silenced[k - 1] for sign, label in recordings if label == k]
        drop[k - 1] = np.mean(falls) if falls else 0.0  # no recordings of the class: 0
    assert effects.class_drop.shape == (2, 9)
    assert_allclose(effects.class_drop[0], drop, atol=1e-6)
    assert_allclose(effects.class_drop[1], 0.0, atol=1e-6)


def test_single_unit_effects_of_the_tiny_model_by_numbers(tmp_cache):
    """Two recordings of speaker 1 and one of speaker 2, all with feature 0 = +1, so h0 = 0.76156 and the network
    names speaker 1 with probability 1 - 8e-7 (speaker 2: 7e-7). Silenced, the logits are the fc bias: p1 = 1 / (1
    + e + 7 e^-10) = 0.268918 and p2 = e / (1 + e + 7 e^-10) = 0.730996. Speaker 1's probability falls by 0.731081
    on its recordings, speaker 2's rises by 0.730996 on its one."""
    effects = ablation.single_unit_effects(tiny_model(), tiny_split([1, 1, 2], []), cache=tmp_cache)
    assert_array_equal(effects.cost, [1, 0])  # the two 1s go wrong, the 2 goes right
    assert_allclose(effects.class_drop[0, :2], [0.731081, -0.730996], atol=2e-6)
    assert_allclose(effects.class_drop[0, 2:], 0.0)


def brute_force_effects(model, split, layer):
    """Right answers lost and each class's mean probability fall when each unit is silenced, one by one."""
    labels = np.asarray(split.labels)

    def final(silenced):
        batch = core.run_batch(model, split.sequences, silenced=silenced, silenced_layer=layer)
        return batch.final_probs, int(np.sum(batch.final_predictions == labels))

    plain_probs, plain_right = final(None)
    cost, drop = [], []
    for unit in range(model.config.hidden_size):
        probs, right = final([unit])
        cost.append(plain_right - right)
        row = []
        for k in range(1, model.config.n_classes + 1):
            falls = [plain_probs[n, k - 1] - probs[n, k - 1] for n in range(len(labels)) if labels[n] == k]
            row.append(sum(falls) / len(falls) if falls else 0.0)
        drop.append(row)
    return np.array(cost), np.array(drop)


def test_single_unit_effects_against_a_loop_on_a_random_network(tmp_cache, dataset):
    torch.manual_seed(2)
    model = core.LSTMClassifier(core.ModelConfig(hidden_size=5)).eval().requires_grad_(False)
    keep = np.flatnonzero(dataset.test.labels != 9)[::9]  # speakers 1-8 only: speaker 9 has no recordings
    split = core.Split([dataset.test.sequences[i] for i in keep], dataset.test.labels[keep])
    effects = ablation.single_unit_effects(model, split, cache=tmp_cache)
    cost, drop = brute_force_effects(model, split, -1)
    assert_array_equal(effects.cost, cost)
    assert_allclose(effects.class_drop, drop, atol=1e-6)
    assert np.abs(drop[:, :8]).max() > 1e-3  # silencing moves the probabilities: the comparison means something
    assert_array_equal(effects.class_drop[:, 8], 0.0)


def test_single_unit_effects_are_computed_once_per_model_and_split(tmp_cache, monkeypatch):
    calls = []
    compute = ablation._compute_single_unit_effects

    def counting(model, split, layer):
        calls.append(layer)
        return compute(model, split, layer)

    monkeypatch.setattr(ablation, "_compute_single_unit_effects", counting)
    model, split = tiny_model(), tiny_split([1, 1, 1, 2], [2])
    first = ablation.single_unit_effects(model, split, cache=tmp_cache)
    second = ablation.single_unit_effects(model, split, cache=tmp_cache)
    assert len(calls) == 1
    assert_array_equal(second.cost, first.cost)
    assert_array_equal(second.class_drop, first.class_drop)
    ablation.single_unit_effects(model, tiny_split([1, 1, 1, 1], [2]), cache=tmp_cache)  # other labels
    with torch.no_grad():
        model.fc.bias[0] += 0.5  # other weights
    ablation.single_unit_effects(model, split, cache=tmp_cache)
    assert len(calls) == 3


def stacked_model():
    """A randomly initialised network of 2 layers of 6 units."""
    torch.manual_seed(4)
    return core.LSTMClassifier(core.ModelConfig(hidden_size=6, num_layers=2)).eval().requires_grad_(False)


def test_single_unit_effects_of_each_layer_silence_that_layer(tmp_cache, dataset):
    model = stacked_model()
    split = core.Split(dataset.test.sequences[:40], dataset.test.labels[:40])
    for layer in (0, 1):
        effects = ablation.single_unit_effects(model, split, layer=layer, cache=tmp_cache)
        cost, drop = brute_force_effects(model, split, layer)
        assert_array_equal(effects.cost, cost)
        assert_allclose(effects.class_drop, drop, atol=1e-6)
    top, second = (ablation.single_unit_effects(model, split, layer=layer, cache=tmp_cache) for layer in (-1, 1))
    assert_array_equal(top.cost, second.cost)
    assert_array_equal(top.class_drop, second.class_drop)
    assert len(list((tmp_cache.root / "single_unit_effects").glob("*.joblib"))) == 2  # -1 and 1 are one entry


def test_compare_trajectories_silences_units_of_the_chosen_layer(dataset):
    model, x = stacked_model(), dataset.test.sequences[3]
    before, after = ablation.compare_trajectories(model, x, [1, 4], 2, silenced_layer=0)
    reference = core.run_sequence(model, x, silenced=[1, 4], silence_from=2, silenced_layer=0)
    assert_allclose(before.probs, core.run_sequence(model, x).probs)
    for name in ("hidden", "cell", "gates", "probs"):
        assert_allclose(getattr(after, name), getattr(reference, name))
        assert_allclose(getattr(after.layer(0), name), getattr(reference.layer(0), name))
    assert_array_equal(after.layer(0).hidden[2:, [1, 4]], 0.0)


@pytest.mark.parametrize("layer", [2, -3, 1.0, True, None])
def test_single_unit_effects_name_a_bad_layer(tmp_cache, dataset, layer):
    split = core.Split(dataset.test.sequences[:3], dataset.test.labels[:3])
    with pytest.raises(ValueError, match=r"layer must be from 0 to 1 \(or -1 for the top\), got"):
        ablation.single_unit_effects(stacked_model(), split, layer=layer, cache=tmp_cache)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda m, s: ablation.single_unit_effects(m, "test"), TypeError, "split must be a core.compute.data.Split"),
        (lambda m, s: ablation.single_unit_effects("model", s), TypeError, "model must be an LSTMClassifier"),
        (lambda m, s: ablation.compare_trajectories(m, s.sequences[0], [100]), ValueError, "between 0 and 99"),
    ],
)
def test_bad_input_names_the_problem(model, dataset, call, error, message):
    with pytest.raises(error, match=message):
        call(model, dataset.test)
