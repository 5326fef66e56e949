"""The smallest change that flips the answer: the search against a brute force that tries every stretch on many
tiny random networks, the capped search's promises, the result on the shipped network against single runs, the
parting step on a hand-made path, and the bad calls."""

import numpy as np
import pytest
import torch
from bad_calls import assert_bad_call_named, bad_call_cases
from numpy.testing import assert_allclose, assert_array_equal

import core
from core.analyses import flip as f
from core.analyses import whatif as w
from core.compute.data import Split


def tiny_network(seed, *, step_block=1, num_layers=1):
    """A random network of 2 channels, 4 units and 3 classes, with weights large enough for its answer to move."""
    torch.manual_seed(seed)
    config = core.ModelConfig(n_features=2, hidden_size=4, n_classes=3, num_layers=num_layers, step_block=step_block)
    model = core.LSTMClassifier(config).eval().requires_grad_(False)
    for p in model.parameters():
        p.normal_(0.0, 1.5)
    model.fc.bias.zero_()  # no class favoured before any input
    return model


def tiny_case(model, seed, *, longest=9):
    """A random recording and a training split of 12 (2 channels, 2 to ``longest`` - 1 steps), the training
    recordings labelled with the network's answers, so that a neighbour's stretch often flips the answer."""
    rng = np.random.default_rng(seed)
    sequences = [rng.standard_normal((2, int(rng.integers(2, longest)))) * 2 for _ in range(12)]
    training = Split(sequences, core.run_batch(model, sequences).final_predictions)
    return rng.standard_normal((2, int(rng.integers(2, longest)))) * 2, training


def reference_neighbour(x, training, target):
    """The nearest other training recording of class ``target``: a loop over the recordings, each resampled to
    the common length with np.interp."""
    length = core.analyses.baselines.common_length(training)

    def stretched(r):
        positions = np.linspace(0, r.shape[1] - 1, length)
        return np.stack([np.interp(positions, np.arange(r.shape[1]), row) for row in r])

    best, index = np.inf, None
    for i, r in enumerate(training.sequences):
        if training.labels[i] == target and not np.array_equal(r, x):
            d = np.linalg.norm(stretched(r) - stretched(x))
            if d < best:
                best, index = d, i
    return index, best


def answer(model, x):
    return int(core.run_sequence(model, x).probs[-1].argmax()) + 1


def brute_force(model, x, training, target):
    """Every stretch (of whole blocks for a network of blocks) applied with apply_edits and run alone: the flipping
    ones as (blocks, first, last), sorted shortest first, then earliest."""
    index, _ = reference_neighbour(x, training, target)
    k = model.config.step_block
    overlap = min(x.shape[1], training.sequences[index].shape[1])
    n_blocks = -(-overlap // k)
    flips = []
    for start in range(n_blocks):
        for end in range(start, n_blocks):
            first, last = start * k + 1, min((end + 1) * k, overlap)
            edit = w.splice(index + 1, first, last, from_training=True)
            if answer(model, w.apply_edits(x, [edit], training=training.sequences)) == target:
                flips.append((end - start + 1, first, last))
    return sorted(flips), n_blocks


def random_cases():
    """(model, x, training, target) for every class other than the answer that the training split holds, on many
    tiny random networks of 1 or 2 layers, reading steps one by one or in blocks of 2 or 3."""
    for seed in range(60):
        model = tiny_network(seed, step_block=(1, 1, 2, 3)[seed % 4], num_layers=1 + seed % 3 // 2)
        x, training = tiny_case(model, seed, longest=9 if model.config.step_block == 1 else 14)
        for target in (1, 2, 3):
            if target != answer(model, x) and target in training.labels:
                yield model, x, training, target


CASES = list(random_cases())


def test_the_search_finds_the_shortest_stretch_on_many_tiny_networks():
    outcomes = []
    for model, x, training, target in CASES:
        result = f.smallest_flip(model, x, target, training)
        flips, n_blocks = brute_force(model, x, training, target)
        assert result.neighbour == reference_neighbour(x, training, target)[0]
        if flips:
            blocks, first, last = flips[0]
            assert (result.outcome, result.first, result.last) == ("shortest", first, last)
            assert result.searched_steps == blocks - 1
        else:
            assert result.outcome == "none" and result.edit is None and result.searched_steps == n_blocks
        outcomes.append(result.outcome)
    # the cases hold both outcomes, and stretches of blocks
    assert outcomes.count("shortest") >= 20 and outcomes.count("none") >= 5, outcomes
    assert len(CASES) >= 60


def test_stretches_of_a_network_of_blocks_are_whole_blocks():
    checked = 0
    for model, x, training, target in CASES:
        k = model.config.step_block
        result = f.smallest_flip(model, x, target, training)
        if k > 1 and result.found:
            assert (result.first - 1) % k == 0 and (result.last % k == 0 or result.last == result.overlap)
            assert result.network_steps == ((result.first - 1) // k + 1, (result.last - 1) // k + 1)
            checked += 1
    assert checked >= 5


def test_a_capped_search_keeps_its_promises():
    """With a tiny budget: what it found flips the answer, no stretch as short as those it says it tried all
    flips it, it ran no more stretches than the budget and the narrowing allow."""
    outcomes = []
    for model, x, training, target in CASES:
        cost = -(-x.shape[1] // model.config.step_block)  # network steps of one edited recording
        for budget in (1, cost * 12):
            result = f.smallest_flip(model, x, target, training, max_work=budget)
            flips, n_blocks = brute_force(model, x, training, target)
            shortest = flips[0][0] if flips else None
            narrowing = 1 + 5 * n_blocks.bit_length()
            assert result.tried <= max(budget // cost, narrowing)
            if result.outcome == "narrowed":
                edited = w.apply_edits(x, [result.edit], training=training.sequences)
                assert answer(model, edited) == target
                assert result.searched_steps < shortest <= result.network_steps[1] - result.network_steps[0] + 1
            elif result.outcome == "not found":
                whole = (n_blocks, 1, min(x.shape[1], training.sequences[result.neighbour].shape[1]))
                assert whole not in flips and (shortest is None or shortest > result.searched_steps)
            elif result.outcome == "shortest":
                assert (result.first, result.last) == flips[0][1:]
            outcomes.append(result.outcome)
    assert outcomes.count("narrowed") >= 10 and outcomes.count("not found") >= 5, outcomes


@pytest.fixture(scope="module")
def shipped_flips(model, dataset):
    """The search on test recordings 1, 60 and 200 of Japanese Vowels for every other speaker."""
    out = []
    for i in (0, 59, 199):
        x = dataset.test.sequences[i]
        out += [(x, f.smallest_flip(model, x, c, dataset.train)) for c in range(1, 10) if c != answer(model, x)]
    return out


def test_the_result_on_the_shipped_network_against_single_runs(model, dataset, shipped_flips):
    found = 0
    for x, result in shipped_flips:
        original = core.run_sequence(model, x)
        assert result.answer == answer(model, x) != result.target
        assert_allclose(result.probs_before, original.probs[-1])
        assert result.target_prob_before == pytest.approx(original.probs[-1][result.target - 1])
        index, distance = reference_neighbour(x, dataset.train, result.target)
        assert (result.neighbour, result.neighbour_number) == (index, index + 1)
        assert result.neighbour_distance == pytest.approx(distance)
        neighbour = dataset.train.sequences[index]
        assert result.neighbour_answer == answer(model, neighbour)
        assert result.overlap == min(x.shape[1], neighbour.shape[1]) and result.step_block == 1
        assert result.outcome in ("shortest", "none") and not result.capped
        if not result.found:
            assert result.probs_after is None and result.parting is None and result.target_prob_after is None
            continue
        found += 1
        assert w.edits_to_text([result.edit]) == f"splice:train{index + 1}:{result.first}-{result.last}"
        edited = w.apply_edits(x, [result.edit], training=dataset.train.sequences)
        assert_array_equal(edited[:, result.first - 1 : result.last], neighbour[:, result.first - 1 : result.last])
        trace = core.run_sequence(model, edited)
        assert_allclose(result.probs_after, trace.probs[-1])
        assert trace.predictions[-1] == result.target and result.target_prob_after > result.target_prob_before
        assert result.answer_step == core.settling_step(trace.predictions)
        expected = f.parting(original.hidden, trace.hidden)
        assert_allclose(result.parting.distance, expected.distance)
        assert result.parting.step == expected.step and result.parting.step >= result.first
        assert_array_equal(result.parting.units, expected.units)
        assert_allclose(result.parting.distance[: result.first - 1], 0.0)  # the same steps before the splice
    assert found >= 5


def test_the_neighbour_is_never_the_recording_itself():
    """A training recording labelled with a class the network does not answer: the nearest recording of that class
    would be itself, at distance 0, and splicing it in would change nothing."""
    model, x, training, target = CASES[0]
    with_x = Split([*training.sequences, x.copy()], np.append(training.labels, target))
    result = f.smallest_flip(model, x, target, with_x)
    assert result.neighbour == reference_neighbour(x, training, target)[0] != len(training)
    assert result.neighbour_distance > 0


def test_parting_on_a_hand_made_path():
    # the original moves by exactly 1 each step (from the zero start too): a typical step of 1
    original = np.array([[1.0, 0.0], [2.0, 0.0], [3.0, 0.0], [4.0, 0.0], [5.0, 0.0], [6.0, 0.0]])
    edited = original.copy()
    edited[2, 1], edited[3, 1], edited[4, 1], edited[5, 1] = 0.5, 2.0, 1.0, 3.0  # apart at 4, together at 5, apart at 6
    result = f.parting(original, edited, n_units=2)
    assert result.typical_step == 1.0 and result.threshold == f.PARTING_FRACTION * 1.0
    assert_allclose(result.distance, [0, 0, 0.5, 2, 1, 3])
    assert result.step == 6  # a distance of exactly one typical step is not apart
    assert_array_equal(result.units, [1, 0])
    assert_allclose(result.before, [0.0, 6.0])
    assert_allclose(result.after, [3.0, 6.0])
    assert_allclose(result.change, [3.0, 0.0])
    edited[4, 1] = 1.5
    assert f.parting(original, edited).step == 4  # apart from step 4 to the end
    edited[5, 1] = 0.2
    assert f.parting(original, edited).step is None  # together again at the last step
    assert f.parting(original, original + 5.0).step == 1
    # equal changes: the lower unit first; no more units than there are
    assert_array_equal(f.parting(original, original, n_units=5).units, [0, 1])


@pytest.fixture(scope="module")
def api(model, dataset):
    x = dataset.test.sequences[0]
    return {"m": model, "x": x, "train": dataset.train, "answer": answer(model, x), "other": 1 + answer(model, x) % 9}


BAD_CALLS = [
    (
        "target/answer",
        lambda a: f.smallest_flip(a["m"], a["x"], a["answer"], a["train"]),
        ValueError,
        "target must be a class other than the network's answer on x, ",
    ),
    (
        "target/range",
        lambda a: f.smallest_flip(a["m"], a["x"], 10, a["train"]),
        ValueError,
        "target must be an integer from 1 to 9, got 10",
    ),
    (
        "target/absent",
        lambda a: f.smallest_flip(
            a["m"], a["x"], a["other"], Split(a["train"].sequences[:2], np.array([a["answer"]] * 2))
        ),
        ValueError,
        "the training split has no recording of class .* other than x itself",
    ),
    (
        "target/only x",
        lambda a: f.smallest_flip(a["m"], a["x"], a["other"], Split([a["x"]], np.array([a["other"]]))),
        ValueError,
        "other than x itself",
    ),
    ("model", lambda a: f.smallest_flip(None, a["x"], 1, a["train"]), TypeError, "model must be an LSTMClassifier"),
    ("training", lambda a: f.smallest_flip(a["m"], a["x"], 1, a["train"].sequences), TypeError, "training must be a"),
    (
        "labels",
        lambda a: f.smallest_flip(a["m"], a["x"], a["other"], Split(a["train"].sequences, np.array([1]))),
        ValueError,
        "training has 270 recordings but labels of shape",
    ),
    ("x/channels", lambda a: f.smallest_flip(a["m"], a["x"][:3], 1, a["train"]), ValueError, r"x must have shape"),
    ("x/one step", lambda a: f.smallest_flip(a["m"], a["x"][:, :1], 1, a["train"]), ValueError, "at least 2 steps"),
    (
        "n_units",
        lambda a: f.smallest_flip(a["m"], a["x"], a["other"], a["train"], n_units=0),
        ValueError,
        "n_units must be an integer from 1 to 1000000, got 0",
    ),
    (
        "max_work",
        lambda a: f.smallest_flip(a["m"], a["x"], a["other"], a["train"], max_work=0),
        ValueError,
        "max_work must be an integer from 1",
    ),
    ("parting/shapes", lambda a: f.parting(np.zeros((3, 2)), np.zeros((2, 2))), ValueError, "edited must have the"),
    ("parting/1-D", lambda a: f.parting(np.zeros(3), np.zeros(3)), ValueError, r"original must have shape \(T, H\)"),
    ("parting/units", lambda a: f.parting(np.zeros((3, 2)), np.zeros((3, 2)), n_units=1.0), ValueError, "n_units"),
]


@pytest.mark.parametrize("name, call, error, match", bad_call_cases(BAD_CALLS))
def test_bad_calls_name_the_problem(api, name, call, error, match):
    assert_bad_call_named(api, name, call, error, match)
