"""The stepper against an independent NumPy implementation of the LSTM equations."""

import numpy as np
import pytest
import torch
from bad_calls import assert_bad_call_named, bad_call_cases
from numpy.testing import assert_allclose, assert_array_equal

import core
from core.compute import stepper
from core.compute.model import pad_sequences


def numpy_lstm_reference(model, x, silenced=(), silence_from=0, silenced_layer=-1):
    """Textbook stacked LSTM in float64 NumPy: each layer reads the hidden states of the one below, the fc layer
    reads the top one. Returns per layer hidden (L, T, H), cell (L, T, H), gates (L, T, 4, H), and probs (T, C)."""
    sd = {k: v.double().numpy() for k, v in model.state_dict().items()}
    H, L = model.config.hidden_size, model.config.num_layers
    silenced_layer %= L
    inputs = ((x - sd["feature_mean"][:, None]) / sd["feature_std"][:, None]).T  # (T, F)

    def sig(a):
        return 1.0 / (1.0 + np.exp(-a))

    out = {"hidden": [], "cell": [], "gates": []}
    for layer in range(L):
        w_ih, w_hh = sd[f"lstm.weight_ih_l{layer}"], sd[f"lstm.weight_hh_l{layer}"]
        b = sd[f"lstm.bias_ih_l{layer}"] + sd[f"lstm.bias_hh_l{layer}"]
        h, c = np.zeros(H), np.zeros(H)
        hs, cs, gs = [], [], []
        for t, x_t in enumerate(inputs):
            a = w_ih @ x_t + w_hh @ h + b
            i, f, g, o = sig(a[:H]), sig(a[H : 2 * H]), np.tanh(a[2 * H : 3 * H]), sig(a[3 * H :])
            c = f * c + i * g
            h = o * np.tanh(c)
            if layer == silenced_layer and t >= silence_from:
                h[list(silenced)] = 0.0
            hs.append(h.copy()), cs.append(c.copy()), gs.append(np.stack([i, f, g, o]))
        for k, v in zip(out, (hs, cs, gs), strict=True):
            out[k].append(np.array(v))
        inputs = np.array(hs)  # (T, H): what the next layer reads
    logits = inputs @ sd["fc.weight"].T + sd["fc.bias"]  # (T, C)
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    return {**{k: np.array(v) for k, v in out.items()}, "probs": e / e.sum(axis=1, keepdims=True)}


def stacked_model(num_layers, hidden_size=7, seed=0):
    """An untrained classifier with ``num_layers`` layers, random weights and a normalisation that is not the
    identity, so that every weight and buffer matters."""
    torch.manual_seed(seed)
    model = core.LSTMClassifier(core.ModelConfig(hidden_size=hidden_size, num_layers=num_layers))
    with torch.no_grad():
        for p in model.lstm.parameters():
            p.uniform_(-0.8, 0.8)
        model.feature_mean.uniform_(-0.5, 0.5)
        model.feature_std.uniform_(0.5, 2.0)
    return model.eval()


def test_run_sequence_matches_numpy_reference_on_every_test_sequence(model, dataset):
    for x in dataset.test.sequences:
        trace = core.run_sequence(model, x)
        ref = numpy_lstm_reference(model, x)
        for name in ("hidden", "cell", "gates"):
            assert_allclose(getattr(trace, name), ref[name][0], atol=1e-5, err_msg=name)
        assert_allclose(trace.probs, ref["probs"], atol=1e-5)
        assert trace.lower_layers == () and trace.num_layers == 1


@pytest.mark.parametrize("num_layers", [2, 3])
def test_stacked_layers_match_the_numpy_reference(dataset, num_layers):
    model = stacked_model(num_layers)
    batch = core.run_batch(model, dataset.test.sequences[:25])
    assert batch.num_layers == num_layers and len(batch.lower_layers) == num_layers - 1
    for i, x in enumerate(dataset.test.sequences[:25]):
        ref, trace = numpy_lstm_reference(model, x), batch[i]
        for layer in range(num_layers):
            seen = trace.layer(layer)
            for name in ("hidden", "cell", "gates"):
                assert_allclose(getattr(seen, name), ref[name][layer], atol=1e-5, err_msg=f"{name}, layer {layer}")
        assert_allclose(trace.probs, ref["probs"], atol=1e-5)
        assert_array_equal(trace.layer(-1).hidden, trace.hidden)


def test_batch_of_equal_lengths_matches_the_reference(dataset):
    """Sequences of one length are computed step-major and handed back as views: every one still matches."""
    model = stacked_model(2)
    seqs = [x[:, :7] for x in dataset.test.sequences[:6]]
    batch = core.run_batch(model, seqs, silenced=[2, 5], silence_from=3, silenced_layer=0)
    assert batch.hidden.shape == (6, 7, 7) and batch.gates.shape == (6, 7, 4, 7)
    for i, x in enumerate(seqs):
        ref = numpy_lstm_reference(model, x, silenced=[2, 5], silence_from=3, silenced_layer=0)
        for layer in range(2):
            for name in ("hidden", "cell", "gates"):
                seen = getattr(batch[i].layer(layer), name)
                assert_allclose(seen, ref[name][layer], atol=1e-5, err_msg=f"{name}, layer {layer}")
        assert_allclose(batch[i].probs, ref["probs"], atol=1e-5)


def test_silencing_a_batch_of_unequal_lengths_matches_the_reference(dataset):
    """Silencing from step 15, after some sequences have ended and before others do."""
    model, seqs = stacked_model(2), dataset.test.sequences[:30]
    lengths = np.array([x.shape[1] for x in seqs])
    assert lengths.min() < 15 < lengths.max()
    batch = core.run_batch(model, seqs, silenced=[1, 6], silence_from=15)
    for i, x in enumerate(seqs):
        ref = numpy_lstm_reference(model, x, silenced=[1, 6], silence_from=15)
        for name in ("hidden", "cell", "gates"):
            assert_allclose(getattr(batch[i], name), ref[name][1], atol=1e-5, err_msg=f"{name}, sequence {i}")
        assert_allclose(batch[i].probs, ref["probs"], atol=1e-5)
        for name in ("hidden", "cell", "gates", "probs"):
            assert_array_equal(getattr(batch, name)[i, x.shape[1] :], 0)


def test_chunks_tile_the_steps_and_their_packed_rows(monkeypatch):
    """Steps are grouped while their rows start in the same chunk-sized stretch; a step larger than a chunk
    stands alone."""
    monkeypatch.setattr(stepper, "_CHUNK_BYTES", 40)  # 10 rows of one float
    chunks = stepper._chunks([5, 5, 4, 4, 2, 1, 1], 1)
    assert chunks == [(0, 2, slice(0, 10)), (2, 5, slice(10, 20)), (5, 7, slice(20, 22))]
    assert stepper._chunks([30, 1], 1) == [(0, 1, slice(0, 30)), (1, 2, slice(30, 31))]
    assert stepper._chunks([3], 1) == [(0, 1, slice(0, 3))]


@pytest.mark.parametrize("chunk_bytes", [1, 3_000, 1 << 40])
def test_chunks_of_any_size_give_the_reference_run(dataset, monkeypatch, chunk_bytes):
    """One step per chunk, a few, or all steps in one: two layers, unequal lengths, silenced from step 15."""
    monkeypatch.setattr(stepper, "_CHUNK_BYTES", chunk_bytes)
    model, seqs = stacked_model(2), dataset.test.sequences[:30]
    steps = max(x.shape[1] for x in seqs)
    chunks = stepper._chunks(np.sum(np.arange(steps)[:, None] < [x.shape[1] for x in seqs], axis=1).tolist(), 42)
    if chunk_bytes == 3_000:
        assert 1 < len(chunks) < steps
    else:
        assert len(chunks) == {1: steps, 1 << 40: 1}[chunk_bytes]
    batch = core.run_batch(model, seqs, silenced=[1, 6], silence_from=15)
    for i, x in enumerate(seqs):
        ref = numpy_lstm_reference(model, x, silenced=[1, 6], silence_from=15)
        for layer in range(2):
            for name in ("hidden", "cell", "gates"):
                seen = getattr(batch[i].layer(layer), name)
                assert_allclose(seen, ref[name][layer], atol=1e-5, err_msg=f"{name}, layer {layer}, sequence {i}")
        assert_allclose(batch[i].probs, ref["probs"], atol=1e-5)


@pytest.mark.parametrize("num_layers", [2, 3])
def test_stacked_final_prediction_equals_nn_lstm_and_steps_agree(dataset, num_layers):
    model = stacked_model(num_layers)
    x, lengths = pad_sequences(dataset.test.sequences)
    with torch.no_grad():
        expected = torch.softmax(model(x, lengths), dim=1).numpy()
    assert_allclose(core.run_batch(model, dataset.test.sequences).final_probs, expected, atol=1e-5)
    sequence = dataset.test.sequences[2]
    trace, state = core.run_sequence(model, sequence), None
    for t in range(sequence.shape[1]):
        state, out = core.step(model, sequence[:, t], state)
        assert state.h.shape == (num_layers, 7) and out.gates.shape == (num_layers, 4, 7)
        for layer in range(num_layers):
            assert_allclose(out.hidden[layer], trace.layer(layer).hidden[t], atol=1e-6)
            assert_allclose(out.cell[layer], trace.layer(layer).cell[t], atol=1e-6)
        assert_allclose(out.probs, trace.probs[t], atol=1e-6)


@pytest.mark.parametrize("layer", [0, 1, -1])
def test_silencing_a_chosen_layer_matches_the_reference(dataset, layer):
    model, x = stacked_model(3), dataset.test.sequences[5]
    trace = core.run_sequence(model, x, silenced=[1, 4], silence_from=2, silenced_layer=layer)
    ref = numpy_lstm_reference(model, x, silenced=[1, 4], silence_from=2, silenced_layer=layer)
    assert_allclose(trace.probs, ref["probs"], atol=1e-5)
    assert np.all(trace.layer(layer).hidden[2:, [1, 4]] == 0)
    assert np.any(core.run_sequence(model, x).layer(layer).hidden[2:, [1, 4]] != 0)


def test_shapes_and_gate_ranges(model, dataset):
    trace = core.run_sequence(model, dataset.test.sequences[0])
    T = dataset.test.sequences[0].shape[1]
    assert trace.hidden.shape == (T, 100) and trace.cell.shape == (T, 100)
    assert trace.gates.shape == (T, 4, 100) and trace.probs.shape == (T, 9)
    sigmoid_gates = trace.gates[:, [0, 1, 3]]
    assert sigmoid_gates.min() >= 0 and sigmoid_gates.max() <= 1
    assert np.abs(trace.gates[:, 2]).max() <= 1
    assert_allclose(trace.probs.sum(axis=1), 1, rtol=1e-6)


def test_final_prediction_equals_full_sequence_forward_of_nn_lstm(model, dataset):
    x, lengths = pad_sequences(dataset.test.sequences)
    with torch.no_grad():
        expected = torch.softmax(model(x, lengths), dim=1).numpy()
    batch = core.run_batch(model, dataset.test.sequences)
    assert_allclose(batch.final_probs, expected, atol=1e-5)
    assert_array_equal(batch.final_predictions, expected.argmax(1) + 1)


def test_run_batch_equals_run_sequence_and_pads_with_zeros(model, dataset):
    seqs = dataset.test.sequences[:40]
    batch = core.run_batch(model, seqs)
    for i, x in enumerate(seqs):
        single = core.run_sequence(model, x)
        for name in ("hidden", "cell", "gates", "probs"):
            assert_allclose(getattr(batch[i], name), getattr(single, name), atol=1e-5)
        assert np.all(batch.hidden[i, x.shape[1] :] == 0)


def test_run_batch_is_zero_after_each_sequence_ends(model):
    """Every quantity, the probabilities included, is exactly 0 past a sequence's end and a distribution before."""
    rng = np.random.default_rng(0)
    lengths = (2, 5, 3)
    batch = core.run_batch(model, [rng.normal(size=(12, T)) for T in lengths])
    assert batch.probs.shape == (3, 5, 9) and batch.gates.shape == (3, 5, 4, 100)
    for i, T in enumerate(lengths):
        for name in ("hidden", "cell", "gates", "probs"):
            assert_array_equal(getattr(batch, name)[i, T:], 0, err_msg=f"{name} of sequence {i}")
        assert_allclose(batch.probs[i, :T].sum(axis=1), 1, rtol=1e-6)


def test_run_batch_takes_nested_lists_like_arrays(model, dataset):
    seqs = dataset.test.sequences[:3]
    from_lists = core.run_batch(model, [x.tolist() for x in seqs])
    assert_array_equal(from_lists.lengths, [x.shape[1] for x in seqs])
    assert_allclose(from_lists.probs, core.run_batch(model, seqs).probs, atol=1e-6)


def test_step_by_step_equals_run_sequence(model, dataset):
    x = dataset.test.sequences[3]
    trace, ref = core.run_sequence(model, x), numpy_lstm_reference(model, x)
    state = None
    for t in range(x.shape[1]):
        state, out = core.step(model, x[:, t], state)
        assert out.hidden.shape == (1, 100) and out.gates.shape == (1, 4, 100)
        assert_allclose(out.hidden[0], trace.hidden[t], atol=1e-6)
        assert_allclose(out.gates[0], trace.gates[t], atol=1e-6)
        assert_allclose(out.probs, trace.probs[t], atol=1e-6)
        # the state carried to the next step is the network's memory after step t
        assert_allclose(state.h[0], ref["hidden"][0, t], atol=1e-5)
        assert_allclose(state.c[0], ref["cell"][0, t], atol=1e-5)


def test_step_silenced_at_every_step_equals_a_run_silenced_from_the_start(dataset):
    model, x = stacked_model(2), dataset.test.sequences[4]
    ref = numpy_lstm_reference(model, x, silenced=[0, 3], silence_from=0, silenced_layer=0)
    state = None
    for t in range(x.shape[1]):
        state, out = core.step(model, x[:, t], state, silenced=[0, 3], silenced_layer=0)
        assert np.all(out.hidden[0, [0, 3]] == 0) and np.all(state.h[0, [0, 3]] == 0)
        assert_allclose(out.hidden[1], ref["hidden"][1, t], atol=1e-5)
        assert_allclose(out.probs, ref["probs"][t], atol=1e-5)


def test_step_is_pure(model, dataset):
    x = dataset.test.sequences[0]
    state, _ = core.step(model, x[:, 0])
    h_before, c_before = state.h.copy(), state.c.copy()
    weights_before = core.model_fingerprint(model)
    first_state, first = core.step(model, x[:, 1], state)
    second_state, second = core.step(model, x[:, 1], state)
    assert_array_equal(first.probs, second.probs)
    assert_array_equal(first_state.h, second_state.h)
    assert_array_equal(state.h, h_before)
    assert_array_equal(state.c, c_before)
    assert core.model_fingerprint(model) == weights_before
    with pytest.raises(ValueError, match="read-only"):
        state.h[0, 0] = 1.0


def test_silencing_matches_reference_and_no_silencing_is_the_plain_run(model, dataset):
    x = dataset.test.sequences[7]
    units = [0, 5, 42]
    trace = core.run_sequence(model, x, silenced=units, silence_from=3)
    ref = numpy_lstm_reference(model, x, silenced=units, silence_from=3)
    assert_allclose(trace.probs, ref["probs"], atol=1e-5)
    assert np.all(trace.hidden[3:, units] == 0) and np.any(trace.hidden[:3, units] != 0)
    plain = core.run_sequence(model, x)
    for empty in ([], np.zeros(100, bool)):
        assert_array_equal(core.run_sequence(model, x, silenced=empty).probs, plain.probs)


@pytest.mark.parametrize(
    "call, error, message",
    [
        (lambda m, x: core.step(m, np.zeros(11)), ValueError, r"x_t must have shape \(12,\)"),
        (lambda m, x: core.step(m, np.full(12, np.nan)), ValueError, "NaN or infinite"),
        (lambda m, x: core.step(m, x[:, 0], state="zeros"), ValueError, "state must be an LSTMState"),
        (lambda m, x: core.step("model", x[:, 0]), TypeError, "model must be an LSTMClassifier"),
        (lambda m, x: core.run_sequence(m, x.T), ValueError, r"shape \(12, T\)"),
        (lambda m, x: core.run_sequence(m, np.zeros((12, 0))), ValueError, "empty sequence"),
        (lambda m, x: core.run_sequence(m, "abc"), TypeError, "numeric array"),
        (lambda m, x: core.run_batch(m, []), ValueError, "sequences is empty"),
        (lambda m, x: core.run_batch(m, x), ValueError, "list of"),
        (lambda m, x: core.run_batch(m, [x, np.zeros((12, 2)) * np.nan]), ValueError, r"sequences\[1\] contains NaN"),
        (lambda m, x: core.run_sequence(m, x, silenced=[100]), ValueError, "between 0 and 99"),
        (lambda m, x: core.run_sequence(m, x, silence_from=-1), ValueError, "silence_from"),
        (
            lambda m, x: core.run_sequence(m, x, silenced=[1], silenced_layer=1),
            ValueError,
            r"silenced_layer must be from 0 to 0 \(or -1 for the top\), got 1",
        ),
        (lambda m, x: core.step(m, x[:, 0], core.LSTMState.zeros(100, 2)), ValueError, r"shape \(1, 100\)"),
        (lambda m, x: core.run_sequence(m, x).layer(1), ValueError, "layer must be from 0 to 0"),
        (lambda m, x: core.ModelConfig(num_layers=4), ValueError, "num_layers must be from 1 to 3, got 4"),
    ],
)
def test_bad_input_names_the_problem(model, dataset, call, error, message):
    with pytest.raises(error, match=message):
        call(model, dataset.test.sequences[0])


@pytest.fixture(scope="module")
def api(model, dataset):
    """What the bad calls below need: the model and a real sequence."""
    return dict(m=model, x=dataset.test.sequences[0])


NAN = np.full((12, 5), np.nan)  # a (12, T) sequence of NaN


# id, call, expected error, a pattern the message must contain (it names the argument or the problem)
BAD_CALLS = [
    ("step/x None", lambda a: core.step(a["m"], None), ValueError, r"x_t must have shape \(12,\)"),
    ("step/x text", lambda a: core.step(a["m"], "abcdefghijkl"), ValueError, r"x_t must have shape"),
    ("step/x 2-D", lambda a: core.step(a["m"], np.zeros((12, 1))), ValueError, r"x_t must have shape"),
    ("step/x inf", lambda a: core.step(a["m"], np.full(12, np.inf)), ValueError, "NaN or infinite"),
    (
        "step/state",
        lambda a: core.step(a["m"], a["x"][:, 0], core.LSTMState(np.zeros(5), np.zeros(5))),
        ValueError,
        "state must be an LSTMState",
    ),
    ("step/model", lambda a: core.step({}, a["x"][:, 0]), TypeError, "model must be an LSTMClassifier"),
    ("step/silenced text", lambda a: core.step(a["m"], a["x"][:, 0], silenced=["a"]), ValueError, "silenced"),
    ("run_sequence/x None", lambda a: core.run_sequence(a["m"], None), TypeError, "x must be a numeric array"),
    ("run_sequence/x NaN", lambda a: core.run_sequence(a["m"], NAN), ValueError, "NaN or infinite"),
    ("run_sequence/x empty", lambda a: core.run_sequence(a["m"], np.zeros((12, 0))), ValueError, "empty sequence"),
    ("run_sequence/x 3-D", lambda a: core.run_sequence(a["m"], np.zeros((1, 12, 5))), ValueError, r"shape \(12, T\)"),
    ("run_sequence/x dict", lambda a: core.run_sequence(a["m"], {"a": 1}), TypeError, "numeric array"),
    ("run_sequence/model None", lambda a: core.run_sequence(None, a["x"]), TypeError, "model must be"),
    (
        "run_sequence/silence_from",
        lambda a: core.run_sequence(a["m"], a["x"], silence_from=1.5),
        ValueError,
        "silence_from",
    ),
    ("run_sequence/silenced 1.5", lambda a: core.run_sequence(a["m"], a["x"], silenced=[1.5]), ValueError, "silenced"),
    (
        "run_sequence/silenced 2-D",
        lambda a: core.run_sequence(a["m"], a["x"], silenced=[[1, 2]]),
        ValueError,
        "silenced",
    ),
    ("run_batch/None", lambda a: core.run_batch(a["m"], None), TypeError, "NoneType"),
    ("run_batch/empty", lambda a: core.run_batch(a["m"], []), ValueError, "sequences is empty"),
    (
        "run_batch/one bad",
        lambda a: core.run_batch(a["m"], [a["x"], np.zeros((11, 3))]),
        ValueError,
        r"sequences\[1\] must have shape \(12, T\)",
    ),
    ("run_batch/one NaN", lambda a: core.run_batch(a["m"], [a["x"], NAN]), ValueError, r"sequences\[1\] contains NaN"),
    ("run_batch/text", lambda a: core.run_batch(a["m"], "abc"), TypeError, r"sequences\[0\] must be a numeric"),
    (
        "run_batch/complex",
        lambda a: core.run_batch(a["m"], [a["x"], a["x"] * 1j]),
        TypeError,
        r"sequences\[1\] must be a numeric array of real numbers, got complex128",
    ),
]


@pytest.mark.parametrize("name, call, error, match", bad_call_cases(BAD_CALLS))
def test_bad_calls_name_the_problem(api, name, call, error, match):
    assert_bad_call_named(api, name, call, error, match)
