"""Silencing units: the plain network when nothing is silenced, the fc bias when everything is, known costs."""

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


@pytest.mark.parametrize(
    "positive_labels, negative_labels, expected",
    [
        ([1, 1, 1, 2], [2], [2, 0]),  # silencing unit 0: three 1s go wrong, the mislabelled 2 goes right
        ([1, 2, 2], [2], [-1, 0]),  # one goes wrong, two go right: a net gain
        ([3, 3], [3], [0, 0]),  # always wrong, silenced or not
    ],
)
def test_single_unit_costs_on_a_tiny_model(tmp_cache, positive_labels, negative_labels, expected):
    model, split = tiny_model(), tiny_split(positive_labels, negative_labels)
    assert_array_equal(
        core.run_batch(model, split.sequences).final_predictions,
        [1] * len(positive_labels) + [2] * len(negative_labels),
    )
    costs = ablation.single_unit_costs(model, split, cache=tmp_cache)
    assert_array_equal(costs, expected)
    assert costs.dtype.kind == "i"


def test_single_unit_costs_are_computed_once_per_model_and_split(tmp_cache, monkeypatch):
    calls = []
    compute = ablation._compute_single_unit_costs

    def counting(model, split, layer):
        calls.append(layer)
        return compute(model, split, layer)

    monkeypatch.setattr(ablation, "_compute_single_unit_costs", counting)
    model, split = tiny_model(), tiny_split([1, 1, 1, 2], [2])
    first = ablation.single_unit_costs(model, split, cache=tmp_cache)
    second = ablation.single_unit_costs(model, split, cache=tmp_cache)
    assert len(calls) == 1
    assert_array_equal(second, first)
    ablation.single_unit_costs(model, tiny_split([1, 1, 1, 1], [2]), cache=tmp_cache)  # other labels
    with torch.no_grad():
        model.fc.bias[0] += 0.5  # other weights
    ablation.single_unit_costs(model, split, cache=tmp_cache)
    assert len(calls) == 3


def stacked_model():
    """A randomly initialised network of 2 layers of 6 units."""
    torch.manual_seed(4)
    return core.LSTMClassifier(core.ModelConfig(hidden_size=6, num_layers=2)).eval().requires_grad_(False)


def test_single_unit_costs_of_each_layer_silence_that_layer(tmp_cache, dataset):
    model = stacked_model()
    split = core.Split(dataset.test.sequences[:40], dataset.test.labels[:40])

    def correct(silenced, layer):
        predictions = core.run_batch(model, split.sequences, silenced=silenced, silenced_layer=layer).final_predictions
        return int(np.sum(predictions == split.labels))

    for layer in (0, 1):
        expected = [correct(None, layer) - correct([u], layer) for u in range(6)]
        assert_array_equal(ablation.single_unit_costs(model, split, layer=layer, cache=tmp_cache), expected)
    assert_array_equal(
        ablation.single_unit_costs(model, split, cache=tmp_cache),
        ablation.single_unit_costs(model, split, layer=1, cache=tmp_cache),
    )
    assert len(list((tmp_cache.root / "single_unit_costs").glob("*.joblib"))) == 2  # -1 and 1 are one entry


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
def test_single_unit_costs_name_a_bad_layer(tmp_cache, dataset, layer):
    split = core.Split(dataset.test.sequences[:3], dataset.test.labels[:3])
    with pytest.raises(ValueError, match=r"layer must be from 0 to 1 \(or -1 for the top\), got"):
        ablation.single_unit_costs(stacked_model(), split, layer=layer, cache=tmp_cache)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda m, s: ablation.single_unit_costs(m, "test"), TypeError, "split must be a core.compute.data.Split"),
        (lambda m, s: ablation.single_unit_costs("model", s), TypeError, "model must be an LSTMClassifier"),
        (lambda m, s: ablation.compare_trajectories(m, s.sequences[0], [100]), ValueError, "between 0 and 99"),
    ],
)
def test_bad_input_names_the_problem(model, dataset, call, error, message):
    with pytest.raises(error, match=message):
        call(model, dataset.test)
