"""Unit statistics on hand-built traces whose answers are known, and on the real model against brute force."""

import numpy as np
import pytest
from bad_calls import assert_bad_call_named, bad_call_cases
from numpy.testing import assert_allclose, assert_array_equal

import core
from core.analyses import units

PAD = 99.0  # padding filled with a large value, so any use of it shows


def make_batch(hidden, lengths, gates=None):
    """A BatchTrace from hidden (N, T_max, H); steps past each length are set to PAD."""
    hidden = np.array(hidden, dtype=float)
    N, T, H = hidden.shape
    lengths = np.asarray(lengths)
    padding = np.arange(T)[None, :] >= lengths[:, None]  # (N, T)
    hidden[padding] = PAD
    gates = np.zeros((N, T, 4, H)) if gates is None else gates
    return core.BatchTrace(hidden=hidden, cell=-hidden, gates=gates, probs=np.zeros((N, T, 9)), lengths=lengths)


@pytest.fixture()
def speaker_batch():
    """18 sequences, two per speaker, lengths 3..6.

    Unit 0 is 1 for speaker 3 and 0 otherwise; unit 1 is -1 for speaker 5 and 0 otherwise;
    unit 2 is 0.1 * speaker (so ranks the speakers) with a step-dependent wiggle that averages out.
    """
    labels = np.repeat(np.arange(1, 10), 2)  # (18,)
    lengths = np.tile([4, 6], 9)
    hidden = np.zeros((18, 6, 3))
    hidden[labels == 3, :, 0] = 1.0
    hidden[labels == 5, :, 1] = -1.0
    wiggle = np.array([1, -1, 1, -1, 1, -1]) * 0.05
    hidden[:, :, 2] = 0.1 * labels[:, None] + wiggle[None, :]
    return make_batch(hidden, lengths), labels


def test_quantity_values_picks_the_right_array_for_batch_and_trace():
    gates = np.broadcast_to(np.arange(1.0, 5.0)[None, None, :, None], (2, 3, 4, 5)).copy()  # gate k is k + 1
    batch = make_batch(np.zeros((2, 3, 5)), [3, 3], gates=gates)
    for k, name in enumerate(core.GATE_NAMES):
        assert_allclose(units.quantity_values(batch, name), k + 1.0)
        assert_allclose(units.quantity_values(batch[0], name), np.full((3, 5), k + 1.0))
    assert units.quantity_values(batch, "hidden") is batch.hidden
    assert units.quantity_values(batch[1], "cell").shape == (3, 5)
    assert units.QUANTITIES == ("hidden", "cell", "input", "forget", "cell candidate", "output")


def test_bad_quantity_and_inputs_name_the_problem(speaker_batch):
    batch, labels = speaker_batch
    with pytest.raises(ValueError, match="quantity must be one of hidden, cell, input, forget, cell candidate, output"):
        units.quantity_values(batch, "gate")
    with pytest.raises(TypeError, match="Trace or BatchTrace"):
        units.quantity_values(np.zeros((3, 3)), "hidden")
    with pytest.raises(TypeError, match="batch must be a BatchTrace"):
        units.sequence_means(batch[0])
    with pytest.raises(ValueError, match=r"labels must have shape \(18,\)"):
        units.class_means(batch, labels[:5])
    with pytest.raises(ValueError, match="class numbers 1 to 9"):
        units.class_means(batch, labels * 2)
    with pytest.raises(ValueError, match=r"none for class\(es\) \[9\]"):
        units.class_means(batch, np.minimum(labels, 8))


def test_sequence_and_speaker_means_ignore_padding(speaker_batch):
    batch, labels = speaker_batch
    means = units.sequence_means(batch)  # (18, 3)
    assert_allclose(means[:, 0], (labels == 3).astype(float))
    assert_allclose(means[:, 1], -(labels == 5).astype(float))
    assert_allclose(means[:, 2], 0.1 * labels)  # the wiggle cancels over 4 and over 6 steps
    assert_allclose(units.sequence_means(batch, "cell"), -means)
    by_speaker = units.class_means(batch, labels)  # (9, 3)
    assert_allclose(by_speaker[:, 2], 0.1 * np.arange(1, 10))
    assert_allclose(by_speaker[:, 0], np.eye(9)[2])


def test_selectivity_of_a_one_speaker_unit(speaker_batch):
    batch, labels = speaker_batch
    sel = units.selectivity(batch, labels)
    spread = np.sqrt(1 / 9 * 8 / 9)  # std of 2 ones among 18 values
    assert sel.best_speaker[0] == 3
    assert_allclose(sel.score[0], 1.0 / spread, rtol=1e-6)  # mean 1 for speaker 3, 0 for the rest
    assert_allclose(sel.contrast[0, 0], (0 - 2 / 16) / spread, rtol=1e-6)  # speaker 1: 0 against 2 ones in 16
    # Unit 1 is a one-speaker unit the other way round: off for speaker 5.
    assert sel.worst_speaker[1] == 5
    assert_allclose(sel.off_score[1], 1.0 / spread, rtol=1e-6)
    # Unit 2 grows with the speaker number.
    assert (sel.best_speaker[2], sel.worst_speaker[2]) == (9, 1)
    assert_allclose(sel.speaker_means, units.class_means(batch, labels))


def test_selectivity_divides_by_the_spread_of_the_recording_means():
    """Speaker 1 has two recordings (means 0 and 2), every other speaker one (3 for speaker 2, 1 for the rest).

    The ten recording means 0, 2, 3, 1, ..., 1 have mean 1.2 and standard deviation sqrt(0.56). Speaker 2 stands
    3 - 1 = 2 above the other nine recordings (mean 9 / 9), a contrast of 2 / sqrt(0.56) = 2.673; the spread of
    the nine speaker means (1, 3, 1, ..., 1: 0.629) would make it 3.182.
    """
    labels = np.array([1, 1, 2, 3, 4, 5, 6, 7, 8, 9])
    recording_means = np.array([0.0, 2.0, 3.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0])
    hidden = np.repeat(recording_means[:, None, None], 4, axis=1)  # (N=10, T=4, H=1), constant in time
    sel = units.selectivity(make_batch(hidden, np.full(10, 4)), labels)
    spread = np.sqrt(0.56)
    # speaker 1: 1 against (3 + 7) / 8; speaker 2: 3 against 9 / 9; speakers 3-9: 1 against (0 + 2 + 3 + 6) / 9
    expected = np.array([1 - 10 / 8, 3 - 1] + [1 - 11 / 9] * 7) / spread  # (9,)
    assert_allclose(sel.contrast[:, 0], expected, rtol=1e-6)
    assert (sel.best_speaker[0], sel.worst_speaker[0]) == (2, 1)
    assert_allclose([sel.score[0], sel.off_score[0]], [2 / spread, 0.25 / spread], rtol=1e-6)


def test_rank_units_is_stable_and_most_selective_units_fills_up_to_k():
    assert_array_equal(units.rank_units([1.0, 3.0, 3.0, 0.0, 3.0]), [1, 2, 4, 0, 3])
    with pytest.raises(ValueError, match="score must be 1-D"):
        units.rank_units(np.zeros((2, 2)))
    contrast = np.zeros((9, 5))
    contrast[3] = [0.5, 0.9, -1.0, 0.2, 0.1]  # speaker 4's contrast for units 0..4
    sel = units.Selectivity(
        score=np.array([2.0, 1.0, 3.0, 1.5, 0.5]),
        off_score=np.zeros(5),
        best_speaker=np.array([4, 2, 4, 4, 1]),
        worst_speaker=np.ones(5, int),
        speaker_means=np.zeros((9, 5)),
        contrast=contrast,
    )
    assert_array_equal(units.most_selective_units(sel, 4, 2), [2, 0])
    assert_array_equal(units.most_selective_units(sel, 4, 5), [2, 0, 3, 1, 4])  # then by speaker 4's contrast
    with pytest.raises(ValueError, match="speaker must be an integer from 1 to 9, got 0"):
        units.most_selective_units(sel, 0, 2)
    with pytest.raises(ValueError, match="k must be an integer from 1 to 5, got 6"):
        units.most_selective_units(sel, 4, 6)


def test_activity_timing_on_hand_made_patterns():
    lengths = np.array([6, 9, 12])
    hidden = np.zeros((3, 12, 7))
    for i, T in enumerate(lengths):
        third = T // 3
        hidden[i, :third, 0] = 1.0  # first third
        hidden[i, third : 2 * third, 1] = 0.5  # middle third
        hidden[i, 2 * third : T, 2] = 2.0  # last third
        hidden[i, :T, 3] = 1.0  # flat
        hidden[i, :third, 4] = -1.0  # negative, so its absolute value counts
        hidden[i, :T, 5] = np.repeat([0.4, 0.3, 0.3], third)  # top share 40 %: not clearly more
        hidden[i, :T, 6] = np.repeat([0.5, 0.25, 0.25], third)  # top share 50 %
    batch = make_batch(hidden, lengths)
    timing = units.activity_timing(batch)
    assert list(timing) == ["start", "middle", "end", "throughout", "start", "throughout", "start"]
    shares = units.third_shares(batch)  # (3, 7)
    assert_allclose(shares[:, 5], [0.4, 0.3, 0.3])
    assert_allclose(shares[:, 3], np.full(3, 1 / 3))


def test_a_unit_that_is_never_active_is_throughout_with_zero_shares():
    batch = make_batch(np.zeros((2, 6, 1)), [6, 3])
    assert_allclose(units.third_shares(batch), np.zeros((3, 1)))
    assert list(units.activity_timing(batch)) == ["throughout"]


def test_real_model_means_agree_with_a_per_sequence_loop(model, dataset):
    split = dataset.test
    batch = core.run_batch(model, split.sequences)
    for quantity, pick in (("hidden", lambda tr: tr.hidden), ("forget", lambda tr: tr.gates[:, 1])):
        expected = np.array([pick(core.run_sequence(model, x)).mean(axis=0) for x in split.sequences])  # (N, H)
        assert_allclose(units.sequence_means(batch, quantity), expected, atol=1e-5)
        by_speaker = np.array([expected[split.labels == s].mean(axis=0) for s in range(1, 10)])  # (9, H)
        assert_allclose(units.class_means(batch, split.labels, quantity), by_speaker, atol=1e-5)
    sel = units.selectivity(batch, split.labels)
    hidden_means = np.array([core.run_sequence(model, x).hidden.mean(axis=0) for x in split.sequences])  # (N, H)
    own = np.array([hidden_means[split.labels == s].mean(axis=0) for s in range(1, 10)])  # (9, H)
    rest = np.array([hidden_means[split.labels != s].mean(axis=0) for s in range(1, 10)])  # (9, H)
    assert_allclose(sel.contrast, (own - rest) / hidden_means.std(axis=0), rtol=1e-4, atol=1e-5)
    assert sel.score.shape == (100,) and set(np.unique(sel.best_speaker)) <= set(range(1, 10))
    assert np.all(sel.score > 0)  # the best speaker always stands above the rest
    assert set(units.activity_timing(batch)) <= set(units.TIMINGS)


def test_basicmotions_means_and_selectivity_cover_its_four_classes(bm_model, bm_dataset):
    split = bm_dataset.test
    batch = core.run_batch(bm_model, split.sequences)
    n = bm_model.config.n_classes
    seq = np.array([core.run_sequence(bm_model, x).hidden.mean(axis=0) for x in split.sequences])  # (N, H)
    own = np.array([seq[split.labels == s].mean(axis=0) for s in range(1, 5)])  # (4, H)
    rest = np.array([seq[split.labels != s].mean(axis=0) for s in range(1, 5)])  # (4, H)
    assert_allclose(units.class_means(batch, split.labels, n_classes=n), own, atol=1e-5)
    sel = units.selectivity(batch, split.labels, n_classes=n)
    assert sel.contrast.shape == (4, bm_model.config.hidden_size)
    assert_allclose(sel.contrast, (own - rest) / seq.std(axis=0), rtol=1e-4, atol=1e-5)
    assert_array_equal(sel.best_speaker, ((own - rest) / seq.std(axis=0)).argmax(axis=0) + 1)
    top = units.most_selective_units(sel, 4, 3)
    assert len(top) == 3
    with pytest.raises(ValueError, match="speaker must be an integer from 1 to 4, got 5"):
        units.most_selective_units(sel, 5, 3)
    with pytest.raises(ValueError, match="class numbers 1 to 4"):
        units.selectivity(batch, split.labels + 1, n_classes=n)
    with pytest.raises(ValueError, match=r"none for class\(es\) \[4\]"):
        units.class_means(batch, np.minimum(split.labels, 3), n_classes=n)
    with pytest.raises(ValueError, match="n_classes must be a positive integer"):
        units.class_means(batch, split.labels, n_classes=0)


def test_shown_units_by_number_and_by_activity():
    values = np.array([[0.1, -0.9, 0.0, 0.5], [0.1, -0.7, 0.0, -0.5]])  # (T=2, H=4); mean |value|: 0.1, 0.8, 0.0, 0.5
    np.testing.assert_array_equal(units.shown_units(values, 2, 3), [1, 2])
    np.testing.assert_array_equal(units.shown_units(values, 1, 4, by_activity=True), [1, 3, 0, 2])
    np.testing.assert_array_equal(units.shown_units(values, 1, 2, by_activity=True), [1, 3])
    with pytest.raises(ValueError, match="1 <= first <= last <= 4"):
        units.shown_units(values, 3, 5)


@pytest.fixture(scope="module")
def api(model, dataset):
    """What the bad calls below need: traces of 60 and of all test recordings, labels, selectivity."""
    batch_all = core.split_traces(model, "test", dataset=dataset)
    return dict(
        b=core.run_batch(model, dataset.test.sequences[:60]),
        B=batch_all,
        Lall=dataset.test.labels,
        sel=units.selectivity(batch_all, dataset.test.labels),
    )


# id, call, expected error, a pattern the message must contain (it names the argument or the problem)
BAD_CALLS = [
    ("units.quantity_values/None", lambda a: units.quantity_values(None, "hidden"), TypeError, "Trace or BatchTrace"),
    ("units.quantity_values/quantity", lambda a: units.quantity_values(a["b"], 3), ValueError, "quantity must be"),
    ("units.sequence_means/None", lambda a: units.sequence_means(None), TypeError, "batch must be a BatchTrace"),
    ("units.class_means/labels None", lambda a: units.class_means(a["B"], None), ValueError, "labels must"),
    (
        "units.class_means/labels NaN",
        lambda a: units.class_means(a["B"], np.full(370, np.nan)),
        ValueError,
        "labels must",
    ),
    ("units.class_means/labels empty", lambda a: units.class_means(a["B"], []), ValueError, "labels must"),
    (
        "units.selectivity/batch None",
        lambda a: units.selectivity(None, a["Lall"]),
        TypeError,
        "batch must be a BatchTrace",
    ),
    ("units.rank_units/NaN", lambda a: units.rank_units([np.nan, 1.0]), ValueError, "score"),
    ("units.rank_units/text", lambda a: units.rank_units("abc"), ValueError, "score"),
    ("units.rank_units/None", lambda a: units.rank_units(None), ValueError, "score must be a numeric array"),
    ("units.rank_units/2-D", lambda a: units.rank_units(np.zeros((2, 3))), ValueError, "score must be 1-D"),
    ("units.most_selective_units/sel None", lambda a: units.most_selective_units(None, 1, 3), TypeError, "sel"),
    (
        "units.most_selective_units/speaker 1.5",
        lambda a: units.most_selective_units(a["sel"], 1.5, 3),
        ValueError,
        "speaker",
    ),
    (
        "units.most_selective_units/speaker text",
        lambda a: units.most_selective_units(a["sel"], "a", 3),
        ValueError,
        "speaker",
    ),
    ("units.most_selective_units/k 2.7", lambda a: units.most_selective_units(a["sel"], 1, 2.7), ValueError, "k must"),
    ("units.third_shares/None", lambda a: units.third_shares(None), TypeError, "batch must be a BatchTrace"),
    ("units.activity_timing/quantity", lambda a: units.activity_timing(a["b"], "nope"), ValueError, "quantity must be"),
    ("units.shown_units/None", lambda a: units.shown_units(None, 1, 2), TypeError, "values"),
    ("units.shown_units/1-D", lambda a: units.shown_units(np.zeros(5), 1, 2), ValueError, "values"),
    ("units.shown_units/range", lambda a: units.shown_units(np.zeros((3, 5)), 3, 9), ValueError, "unit range"),
]


@pytest.mark.parametrize("name, call, error, match", bad_call_cases(BAD_CALLS))
def test_bad_calls_name_the_problem(api, name, call, error, match):
    assert_bad_call_named(api, name, call, error, match)
