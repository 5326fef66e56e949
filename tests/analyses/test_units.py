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
    assert_allclose(sel.gap[[0, 2], 0], [0 - 2 / 16, 1.0], rtol=1e-6)  # the same, not divided by the spread
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
    assert_allclose(sel.gap[:, 0], expected * spread, rtol=1e-6)
    assert (sel.best_speaker[0], sel.worst_speaker[0]) == (2, 1)
    assert_allclose([sel.score[0], sel.off_score[0]], [2 / spread, 0.25 / spread], rtol=1e-6)


def test_rank_units_is_stable():
    assert_array_equal(units.rank_units([1.0, 3.0, 3.0, 0.0, 3.0]), [1, 2, 4, 0, 3])
    # 200 scores of three values, so many ties: Python's sort, which is stable, gives the order
    score = np.random.default_rng(0).integers(0, 3, 200).astype(float)
    assert_array_equal(units.rank_units(score), sorted(range(200), key=lambda u: -score[u]))
    with pytest.raises(ValueError, match="score must be 1-D"):
        units.rank_units(np.zeros((2, 2)))


def hand_selectivity(contrast, gap) -> units.Selectivity:
    """A Selectivity with the given contrast and gap, (C, H) each; class_units reads nothing else."""
    contrast, gap = np.array(contrast, dtype=float), np.array(gap, dtype=float)
    C, H = contrast.shape
    return units.Selectivity(
        score=contrast.max(axis=0),
        off_score=-contrast.min(axis=0),
        best_speaker=contrast.argmax(axis=0) + 1,
        worst_speaker=contrast.argmin(axis=0) + 1,
        speaker_means=np.zeros((C, H)),
        contrast=contrast,
        gap=gap,
    )


# One column per unit of three classes: (contrast, gap) for classes 1, 2, 3, and what the unit singles out.
HAND_UNITS = [
    # unit 0: on for class 2 (2.0 above the rest; class 3's -1.5 is smaller)
    ([-0.5, 2.0, -1.5], [-0.1, 0.4, -0.3], 2, +1),
    # unit 1: off for class 1 (2.5 below the rest; class 3's 1.3 above is smaller)
    ([-2.5, 1.2, 1.3], [-0.5, 0.2, 0.25], 1, -1),
    # unit 2: as far above for class 1 as below for class 2: a tie, which counts as on
    ([1.5, -1.5, 0.0], [0.3, -0.3, 0.0], 1, +1),
    # unit 3: a large gap, but a contrast just under MIN_CONTRAST
    ([0.99, -0.5, -0.49], [0.5, -0.25, -0.25], 0, 0),
    # unit 4: a large contrast, but averages that differ by just under MIN_GAP
    ([3.0, -1.5, -1.5], [0.049, -0.0245, -0.0245], 0, 0),
    # unit 5: on for class 2, as strong as unit 0
    ([-1.0, 2.0, -1.0], [-0.2, 0.4, -0.2], 2, +1),
    # unit 6: on for class 1 at exactly MIN_CONTRAST and MIN_GAP
    ([1.0, -0.5, -0.5], [0.05, -0.025, -0.025], 1, +1),
    # unit 7: off for class 1 at exactly MIN_CONTRAST and MIN_GAP
    ([-1.0, 0.5, 0.5], [-0.05, 0.025, 0.025], 1, -1),
]


def test_class_units_on_hand_built_selectivities():
    assert (units.MIN_CONTRAST, units.MIN_GAP) == (1.0, 0.05)
    contrast = np.array([c for c, _, _, _ in HAND_UNITS]).T  # (3, 8)
    gap = np.array([g for _, g, _, _ in HAND_UNITS]).T  # (3, 8)
    classes = units.class_units(hand_selectivity(contrast, gap))
    assert_array_equal(classes.klass, [k for _, _, k, _ in HAND_UNITS])
    assert_array_equal(classes.sign, [s for _, _, _, s in HAND_UNITS])
    assert_allclose(classes.strength, [2.0, 2.5, 1.5, 0.99, 3.0, 2.0, 1.0, 1.0])
    assert_allclose(classes.gap, [0.4, -0.5, 0.3, 0.5, 0.049, 0.4, 0.05, -0.05])
    # The units that single out a class, strongest first, ties in unit order (0 and 5; 6 and 7); then the rest.
    assert_array_equal(classes.ranking(), [1, 0, 5, 2, 6, 7, 4, 3])
    assert_array_equal(classes.for_class(1), [1, 2, 6, 7])  # on and off alike
    assert_array_equal(classes.for_class(2), [0, 5])
    assert classes.for_class(3).shape == (0,) and classes.for_class(3).dtype.kind == "i"
    with pytest.raises(ValueError, match="k must be an integer from 1 to"):
        classes.for_class(0)


def test_a_two_class_units_mirror_image_contrasts_make_it_on_for_the_higher_class():
    """With two classes, class 2's contrast is minus class 1's; computed, they may differ in the last bit."""
    below = -1.2 * (1 + 4e-16)  # class 2, a rounding further from the rest than class 1 is
    assert below != -1.2
    classes = units.class_units(hand_selectivity([[1.2, -1.8], [below, 1.8]], [[0.3, -0.2], [-0.3, 0.2]]))
    assert_array_equal(classes.klass, [1, 2])
    assert_array_equal(classes.sign, [1, 1])
    rng = np.random.default_rng(3)
    labels = np.repeat([1, 2], [13, 24])
    hidden = np.tanh(rng.normal(size=(37, 5, 60)) + 2 * (labels == 1)[:, None, None] * rng.normal(size=60))
    lengths = rng.integers(1, 6, 37)
    sel = units.selectivity(make_batch(hidden, lengths), labels, n_classes=2)
    classes = units.class_units(sel)
    singles = classes.klass > 0
    assert singles.sum() >= 20
    assert_array_equal(classes.sign[singles], 1)  # never "off for" one class when it is on for the other
    assert_array_equal(classes.klass[singles], sel.speaker_means.argmax(axis=0)[singles] + 1)


def test_class_units_of_the_speaker_batch(speaker_batch):
    """Unit 0 is on for speaker 3, unit 1 off for speaker 5; unit 2 (0.1 x speaker) stands as far above the rest
    for speaker 9 as below for speaker 1, a tie, so it is on for speaker 9."""
    batch, labels = speaker_batch
    classes = units.class_units(units.selectivity(batch, labels))
    one_speaker = 1.0 / np.sqrt(1 / 9 * 8 / 9)  # 1 against 0, over the std of 2 ones among 18 values
    by_speaker = 0.45 / (0.1 * np.sqrt(60 / 9))  # 0.9 against the mean 0.45 of speakers 1-8; std of 0.1 x (1..9)
    assert_array_equal(classes.klass, [3, 5, 9])
    assert_array_equal(classes.sign, [1, -1, 1])
    assert_allclose(classes.strength, [one_speaker, one_speaker, by_speaker], rtol=1e-6)
    assert_allclose(classes.gap, [1.0, -1.0, 0.45], rtol=1e-6)
    assert_array_equal(classes.ranking(), [0, 1, 2])
    assert_array_equal(classes.for_class(9), [2])


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


def test_third_shares_of_lengths_that_do_not_divide_by_three():
    """Step t of T lies in third floor(3 (t + 0.5) / T): T = 4 gives thirds of steps {1}, {2, 3}, {4}; T = 7 of
    {1, 2}, {3, 4, 5}, {6, 7}. Unit 0 is 1 on every step: each third's mean is 1, though the thirds hold 3, 5 and 3
    steps. Unit 1 is the step number (1, 2, ...): third means (1 + 1 + 2) / 3 = 4/3, (2 + 3 + 3 + 4 + 5) / 5 = 17/5
    and (4 + 6 + 7) / 3 = 17/3, of total 52/5."""
    hidden = np.zeros((2, 7, 2))
    for i, T in enumerate([4, 7]):
        hidden[i, :T, 0] = 1.0
        hidden[i, :T, 1] = np.arange(1, T + 1)
    shares = units.third_shares(make_batch(hidden, [4, 7]))  # (3, 2)
    assert_allclose(shares[:, 0], np.full(3, 1 / 3))
    assert_allclose(shares[:, 1], np.array([4 / 3, 17 / 5, 17 / 3]) / (52 / 5))


def test_activity_timing_at_exactly_the_timing_share_is_throughout():
    """One recording of 3 steps, one step per third, so each share is its step's value over their sum of exactly 1:
    a third holding exactly 45 % does not hold more than 45 %; the next float above it does."""
    assert units.TIMING_SHARE == 0.45 and 0.45 + 0.3 + 0.25 == 1.0
    just_above = np.nextafter(0.45, 1.0)
    steps = np.array(
        [
            [0.45, 0.3, 0.25],  # start holds exactly 45 %
            [0.3, 0.45, 0.25],  # middle holds exactly 45 %
            [0.25, 0.3, 0.45],  # end holds exactly 45 %
            [just_above, 0.3, 0.25],
            [0.3, just_above, 0.25],
            [0.25, 0.3, just_above],
        ]
    ).T  # (T=3, H=6)
    batch = make_batch(steps[None], [3])
    shares = units.third_shares(batch)  # (3, 6)
    assert_array_equal(shares[[0, 1, 2], [0, 1, 2]], [0.45, 0.45, 0.45])
    assert np.all(shares[[0, 1, 2], [3, 4, 5]] > 0.45)
    assert list(units.activity_timing(batch)) == ["throughout"] * 3 + ["start", "middle", "end"]


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
    # class_units, a second time: per unit, the class of the largest |contrast| (no ties here), kept when it is
    # at least MIN_CONTRAST spreads and MIN_GAP apart
    contrast, gap = (own - rest) / seq.std(axis=0), own - rest  # (4, H)
    classes = units.class_units(sel)
    for u in range(bm_model.config.hidden_size):
        k = int(np.argmax(np.abs(contrast[:, u])))
        assert_allclose([classes.strength[u], classes.gap[u]], [abs(contrast[k, u]), gap[k, u]], atol=1e-5)
        singles = abs(contrast[k, u]) >= units.MIN_CONTRAST and abs(gap[k, u]) >= units.MIN_GAP
        assert (classes.klass[u], classes.sign[u]) == ((k + 1, np.sign(gap[k, u])) if singles else (0, 0))
    for k in range(1, 5):
        listed = classes.for_class(k)
        assert set(listed) == set(np.flatnonzero(classes.klass == k))
        assert np.all(np.diff(classes.strength[listed]) <= 0)
    assert classes.for_class(5).size == 0
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
    ("units.class_units/sel None", lambda a: units.class_units(None), TypeError, "sel must be"),
    ("units.class_units/for_class 0", lambda a: units.class_units(a["sel"]).for_class(0), ValueError, "k must"),
    ("units.class_units/for_class 1.5", lambda a: units.class_units(a["sel"]).for_class(1.5), ValueError, "k must"),
    ("units.class_units/for_class text", lambda a: units.class_units(a["sel"]).for_class("a"), ValueError, "k must"),
    ("units.third_shares/None", lambda a: units.third_shares(None), TypeError, "batch must be a BatchTrace"),
    ("units.activity_timing/quantity", lambda a: units.activity_timing(a["b"], "nope"), ValueError, "quantity must be"),
    ("units.shown_units/None", lambda a: units.shown_units(None, 1, 2), TypeError, "values"),
    ("units.shown_units/1-D", lambda a: units.shown_units(np.zeros(5), 1, 2), ValueError, "values"),
    ("units.shown_units/range", lambda a: units.shown_units(np.zeros((3, 5)), 3, 9), ValueError, "unit range"),
]


@pytest.mark.parametrize("name, call, error, match", bad_call_cases(BAD_CALLS))
def test_bad_calls_name_the_problem(api, name, call, error, match):
    assert_bad_call_named(api, name, call, error, match)
