"""What if?: each edit against a hand-computed small array, edits in order, the link text, the sweep against a loop
of single runs, and the bad calls."""

import numpy as np
import pytest
from bad_calls import assert_bad_call_named, bad_call_cases
from numpy.testing import assert_allclose, assert_array_equal

import core
from core.analyses import whatif as w
from core.compute.upload import MAX_ABS_VALUE

# 2 channels, 5 steps
X = np.array([[1.0, 2.0, 3.0, 4.0, 5.0], [10.0, 20.0, 30.0, 40.0, 50.0]])
OTHER = [np.array([[-1.0, -2.0, -3.0, -4.0, -5.0, -6.0], [0.0, 0.0, 0.0, 0.0, 0.0, 0.0]]), X * 0]


def test_cuts_and_keep():
    assert_array_equal(w.apply_edits(X, [w.cut_start(2)]), X[:, 2:])
    assert_array_equal(w.apply_edits(X, [w.cut_end(3)]), [[1.0, 2.0], [10.0, 20.0]])
    assert_array_equal(w.apply_edits(X, [w.keep(2, 4)]), [[2.0, 3.0, 4.0], [20.0, 30.0, 40.0]])


def test_speed_resamples_linearly():
    # twice as fast: round(5 / 2) = 2 steps, at positions 0 and 4
    assert_allclose(w.apply_edits(X, [w.speed(2.0)]), [[1.0, 5.0], [10.0, 50.0]])
    # twice as slow: 10 steps from position 0 to 4, spaced 4/9
    slow = w.apply_edits(X, [w.speed(0.5)])
    assert_allclose(slow[0], 1.0 + np.arange(10) * 4 / 9)
    assert_allclose(slow[1], 10.0 * (1.0 + np.arange(10) * 4 / 9))
    # 5 / 1.25 = 4 steps at positions 0, 4/3, 8/3, 4 of a line 1..5
    assert_allclose(w.apply_edits(X, [w.speed(1.25)])[0], [1.0, 1 + 4 / 3, 1 + 8 / 3, 5.0])


def test_scale_and_flat_change_one_channel():
    assert_array_equal(w.apply_edits(X, [w.scale(2, 0.5)]), [X[0], [5.0, 10.0, 15.0, 20.0, 25.0]])
    assert_array_equal(w.apply_edits(X, [w.scale(1, 0)])[0], np.zeros(5))
    assert_array_equal(w.apply_edits(X, [w.flat(1)]), [[3.0] * 5, X[1]])


def test_noise_is_seeded_and_scales_one_pattern():
    pattern = np.random.default_rng(7).standard_normal(X.shape)
    assert_allclose(w.apply_edits(X, [w.noise(0.5, 7)]), X + 0.5 * pattern)
    assert_allclose(w.apply_edits(X, [w.noise(2.0, 7)]) - X, 4 * (w.apply_edits(X, [w.noise(0.5, 7)]) - X))
    assert not np.allclose(w.apply_edits(X, [w.noise(0.5, 8)]), w.apply_edits(X, [w.noise(0.5, 7)]))
    assert_array_equal(w.apply_edits(X, [w.noise(0.0, 3)]), X)


def test_splice_replaces_the_same_steps_from_another_recording():
    assert_array_equal(w.apply_edits(X, [w.splice(1, 2, 3)], other=OTHER), [[1, -2, -3, 4, 5], [10, 0, 0, 40, 50]])


def test_splice_from_the_training_split_takes_from_training_not_other():
    training = [X * 0, np.array([[7.0] * 6, [8.0] * 6])]
    from_training = w.splice(2, 4, 5, from_training=True)
    assert from_training != w.splice(2, 4, 5)
    out = w.apply_edits(X, [from_training], other=OTHER, training=training)
    assert_array_equal(out, [[1, 2, 3, 7, 7], [10, 20, 30, 8, 8]])
    # both kinds in one list, each from its own split
    both = w.apply_edits(X, [w.splice(1, 1, 1), from_training], other=OTHER, training=training)
    assert_array_equal(both, [[-1, 2, 3, 7, 7], [0, 20, 30, 8, 8]])


def test_an_edit_may_not_make_a_recording_longer_than_any_recording_may_be():
    longest = np.zeros((2, 2000))  # an uploaded data set's longest recording
    assert_array_equal(
        w.apply_edits(longest, [w.splice(1, 1, 3, from_training=True)], training=OTHER)[0, :4], [-1, -2, -3, 0]
    )
    assert w.apply_edits(np.zeros((2, 1000)), [w.speed(0.5)]).shape == (2, 2000)
    with pytest.raises(ValueError, match="would have 4000 steps; the limit is 2000"):
        w.apply_edits(longest, [w.speed(0.5)])


def test_values_of_exactly_the_largest_size_are_allowed():
    """An uploaded recording may hold values of exactly ±1000 (MAX_ABS_VALUE), so an edit may make them."""
    assert MAX_ABS_VALUE == 1000
    assert_array_equal(w.apply_edits(X * 10, [w.scale(2, 2.0)])[1], [200.0, 400.0, 600.0, 800.0, 1000.0])
    assert w.apply_edits(-X * 10, [w.scale(2, 2.0)])[1, -1] == -1000.0
    with pytest.raises(ValueError, match=r"edit 1 \(scale:2:2.001\): values would go beyond ±1,000,"):
        w.apply_edits(X * 10, [w.scale(2, 2.001)])


def test_edits_combine_in_order_and_leave_the_input_alone():
    before = X.copy()
    out = w.apply_edits(X, [w.cut_start(1), w.keep(1, 2), w.scale(1, 2.0)])  # steps 2-3, then channel 1 doubled
    assert_array_equal(out, [[4.0, 6.0], [20.0, 30.0]])
    assert_array_equal(w.apply_edits(X, [w.keep(1, 3), w.cut_start(1)]), [[2.0, 3.0], [20.0, 30.0]])
    assert_array_equal(X, before)
    unchanged = w.apply_edits(X, [])
    assert_array_equal(unchanged, X)
    assert unchanged is not X


@pytest.mark.parametrize(
    "edit",
    [
        w.cut_start(1),
        w.cut_end(1),
        w.keep(2, 4),
        w.speed(1.0),
        w.speed(2.0),
        w.scale(1, 2.0),
        w.flat(2),
        w.noise(0.5, 1),
        w.splice(1, 1, 3),
    ],
    ids=lambda e: e.kind,
)
def test_one_edit_leaves_its_input_alone_and_returns_a_new_array(edit):
    x = X.copy()  # float64 already: nothing converts it, so an edit made in place would show in x
    out = w.apply_edit(x, edit, other=OTHER)
    assert_array_equal(x, X)
    assert not np.shares_memory(out, x)


def test_link_text_round_trip():
    edits = [
        w.cut_start(3),
        w.cut_end(1),
        w.keep(2, 9),
        w.speed(1.5),
        w.scale(2, 0.5),
        w.flat(12),
        w.noise(0.25, 7),
        w.splice(17, 3, 8),
    ]
    text = w.edits_to_text(edits)
    assert text == "cut_start:3,cut_end:1,keep:2-9,speed:1.5,scale:2:0.5,flat:12,noise:0.25:seed7,splice:17:3-8"
    assert w.edits_from_text(text) == edits
    assert w.edits_from_text(" cut_start:3 , noise:0.5:seed7") == [w.cut_start(3), w.noise(0.5, 7)]
    assert w.edits_from_text("") == [] and w.edits_to_text([]) == ""
    assert w.edits_from_text(w.edits_to_text([w.noise(0.1 + 0.2, 1)])) == [w.noise(0.1 + 0.2, 1)]


def test_link_text_of_a_splice_from_the_training_split():
    edits = [w.splice(17, 3, 8, from_training=True), w.splice(17, 3, 8)]
    assert w.edits_to_text(edits) == "splice:train17:3-8,splice:17:3-8"
    assert w.edits_from_text("splice:train17:3-8,splice:17:3-8") == edits
    assert [e.from_training for e in w.edits_from_text("splice:train17:3-8,splice:17:3-8")] == [True, False]


@pytest.mark.parametrize(
    "text, match",
    [
        ("cut:3", r"edit 1 'cut:3' is not an edit: it must start with one of cut_start, cut_end"),
        ("cut_start:3,noise:0.5", r"edit 2 'noise:0.5' is not noise:STRENGTH:seedN \(e.g. noise:0.5:seed7\)"),
        ("cut_start:-3", r"edit 1 'cut_start:-3' is not cut_start:N"),
        ("keep:9-2", r"edit 1 'keep:9-2': the stretch must not end before it starts: steps 9 to 2"),
        ("speed:9", r"edit 1 'speed:9': the speed factor must be a number from 0.2 to 5, got 9.0"),
        ("scale:0:2", r"edit 1 'scale:0:2': channel must be a whole number of at least 1, got 0"),
        ("noise:nan:seed1", r"is not noise:STRENGTH:seedN"),
        ("cut_start:0", r"steps must be a whole number of at least 1, got 0"),
        ("splice:1:2", r"is not splice:RECORDING:A-B"),
        ("splice:train:2-3", r"is not splice:RECORDING:A-B \(e.g. splice:17:3-8\), or splice:trainRECORDING:A-B"),
        ("splice:test4:2-3", r"edit 1 'splice:test4:2-3' is not splice:RECORDING:A-B"),
        ("splice:train0:2-3", r"edit 1 'splice:train0:2-3': source must be a whole number of at least 1, got 0"),
        ("flat:1,,flat:2", r"edit 2 '' is not an edit"),
    ],
)
def test_bad_link_text_names_the_part(text, match):
    with pytest.raises(ValueError, match=match):
        w.edits_from_text(text)


def one_edit(kind, s):
    """The edit of ``kind`` at strength ``s``, as the sweep test builds it by hand (channel 3, seed 4)."""
    if kind == "noise":
        return w.noise(s, 4)
    if kind == "scale":
        return w.scale(3, s)
    if kind == "speed":
        return w.speed(s)
    return (w.cut_start if kind == "cut_start" else w.cut_end)(int(s))


def test_sweep_equals_a_loop_of_single_runs(model, dataset):
    x = dataset.test.sequences[3]
    for kind, strengths in [
        ("noise", np.linspace(0, 1.5, 7)),
        ("cut_start", np.array([0.0, 2.0, 5.0])),
        ("cut_end", np.array([0.0, 1.0, 4.0])),
        ("scale", np.array([0.0, 1.0, 2.5])),
        ("speed", np.array([0.5, 1.0, 3.0])),
    ]:
        result = w.sweep(model, x, kind, strengths, channel=3, seed=4)
        expected = []
        for s in strengths:
            edit = [] if kind in ("cut_start", "cut_end") and s == 0 else [one_edit(kind, s)]  # a cut of 0: none
            expected.append(core.run_sequence(model, w.apply_edits(x, edit)).probs[-1])
        expected = np.array(expected)  # (S, C)
        answer = int(core.run_sequence(model, x).probs[-1].argmax()) + 1
        assert result.answer == answer
        assert_allclose(result.probs, expected, atol=1e-6)
        assert_allclose(result.answer_probs, expected[:, answer - 1], atol=1e-6)
        assert_array_equal(result.predictions, expected.argmax(axis=1) + 1)
        assert_array_equal(result.strengths, strengths)


def hand_sweep(answer, predictions):
    """A Sweep of strengths 0, 0.5, 1, ... whose answers are ``predictions``; flips and first_flip read nothing else."""
    n = len(predictions)
    return w.Sweep("noise", 0.5 * np.arange(n), np.zeros((n, 3)), answer, np.zeros(n), np.array(predictions))


@pytest.mark.parametrize(
    "answer, predictions, flips, first_flip",
    [
        # 2 -> 3 at strength 0.5, back to 2 at 1.5
        (2, [2, 3, 3, 2], [1, 3], 0.5),
        # the first strength already changes the answer (step 0 against the unedited answer); 3 -> 1 at 1.0
        (2, [3, 3, 1, 1], [0, 2], 0.0),
        # three changes: the first one counts, not the last
        (1, [1, 1, 2, 1, 3], [2, 3, 4], 1.0),
        # back to the answer and away again: each strength against the one before it, not against the answer
        (1, [2, 1, 2], [0, 1, 2], 0.0),
        # never changes
        (2, [2, 2], [], None),
    ],
)
def test_sweep_flips_and_first_flip(answer, predictions, flips, first_flip):
    result = hand_sweep(answer, predictions)
    assert result.flips.tolist() == flips
    assert result.first_flip == first_flip


def test_sweep_on_top_of_edits_and_on_basicmotions(bm_model, bm_dataset):
    x = bm_dataset.test.sequences[0]  # (6, 100)
    result = w.sweep(bm_model, x, "scale", [0.0, 2.0], channel=6, edits=[w.cut_end(50)])
    expected = [core.run_sequence(bm_model, w.apply_edits(x, [w.cut_end(50), w.scale(6, f)])).probs[-1] for f in (0, 2)]
    assert_allclose(result.probs, expected, atol=1e-6)
    assert result.answer == int(core.run_sequence(bm_model, x[:, :50]).probs[-1].argmax()) + 1


def test_sweep_strengths():
    assert_allclose(w.sweep_strengths("noise", 20), np.linspace(0, 2, 50))
    assert_allclose(w.sweep_strengths("speed", 20, 3), [0.5, 2**0.5, 4.0])
    assert_array_equal(w.sweep_strengths("cut_start", 7), [0, 1, 2, 3, 4, 5])
    cuts = w.sweep_strengths("cut_end", 120, 50)
    assert len(cuts) == 50 and cuts[0] == 0 and cuts[-1] == 118 and np.all(cuts == np.round(cuts))


@pytest.fixture(scope="module")
def api(model, dataset):
    return {"m": model, "x": dataset.test.sequences[0], "other": dataset.test.sequences}


BAD_CALLS = [
    ("cut_start/zero", lambda a: w.cut_start(0), ValueError, "steps must be a whole number of at least 1, got 0"),
    ("cut_end/float", lambda a: w.cut_end(1.5), ValueError, "steps must be a whole number"),
    ("keep/backwards", lambda a: w.keep(5, 2), ValueError, "must not end before it starts"),
    ("speed/too fast", lambda a: w.speed(10), ValueError, "speed factor must be a number from 0.2 to 5"),
    ("speed/nan", lambda a: w.speed(float("nan")), ValueError, "speed factor must be a number"),
    ("scale/negative", lambda a: w.scale(1, -1), ValueError, "channel factor must be a number from 0 to 10"),
    ("scale/text", lambda a: w.scale(1, "2"), ValueError, "channel factor must be a number"),
    ("noise/seed", lambda a: w.noise(0.5, -1), ValueError, "seed must be a whole number of at least 0"),
    (
        "apply/cut too long",
        lambda a: w.apply_edits(X, [w.cut_start(4)]),
        ValueError,
        r"edit 1 \(cut_start:4\): cannot cut 4 steps from a recording of 5: at least 2",
    ),
    (
        "apply/keep past end",
        lambda a: w.apply_edits(X, [w.keep(2, 9)]),
        ValueError,
        "steps 2 to 9 do not fit: the recording has 5 steps",
    ),
    (
        "apply/keep one step",
        lambda a: w.apply_edits(X, [w.keep(2, 2)]),
        ValueError,
        "leaves 1 step; at least 2 must remain",
    ),
    (
        "apply/channel",
        lambda a: w.apply_edits(X, [w.cut_end(1), w.flat(3)]),
        ValueError,
        r"edit 2 \(flat:3\): channel 3 does not exist: the recording has channels 1 to 2",
    ),
    (
        "apply/splice no other",
        lambda a: w.apply_edits(X, [w.splice(1, 1, 2)]),
        ValueError,
        "a splice needs the recordings to take from",
    ),
    (
        "apply/splice source",
        lambda a: w.apply_edits(X, [w.splice(3, 1, 2)], other=OTHER),
        ValueError,
        "recording 3 does not exist: the split has recordings 1 to 2",
    ),
    (
        "apply/splice short",
        lambda a: w.apply_edits(np.zeros((2, 8)), [w.splice(1, 5, 7)], other=OTHER),
        ValueError,
        "steps 5 to 7 do not fit: recording 1 has 6 steps",
    ),
    (
        "apply/splice no training",
        lambda a: w.apply_edits(X, [w.splice(1, 1, 2, from_training=True)], other=OTHER),
        ValueError,
        r"edit 1 \(splice:train1:1-2\): a splice needs the recordings to take from: pass training=",
    ),
    (
        "apply/splice training source",
        lambda a: w.apply_edits(X, [w.splice(3, 1, 2, from_training=True)], other=OTHER * 2, training=OTHER),
        ValueError,
        "training recording 3 does not exist: the training split has recordings 1 to 2",
    ),
    (
        "apply/splice training short",
        lambda a: w.apply_edits(np.zeros((2, 8)), [w.splice(1, 5, 7, from_training=True)], training=OTHER),
        ValueError,
        "steps 5 to 7 do not fit: training recording 1 has 6 steps",
    ),
    (
        "apply/splice training channels",
        lambda a: w.apply_edits(a["x"], [w.splice(1, 1, 2, from_training=True)], training=OTHER),
        ValueError,
        "training recording 1 has 2 channels; this one has 12",
    ),
    ("splice/from_training", lambda a: w.splice(1, 1, 2, from_training=1), TypeError, "from_training must be True"),
    (
        "apply/splice channels",
        lambda a: w.apply_edits(a["x"], [w.splice(1, 1, 2)], other=OTHER),
        ValueError,
        "recording 1 has 2 channels; this one has 12",
    ),
    (
        "apply/too long",
        lambda a: w.apply_edits(np.zeros((2, 500)), [w.speed(0.2)]),
        ValueError,
        "would have 2500 steps; the limit is 2000",
    ),
    ("apply/too loud", lambda a: w.apply_edits(X * 100, [w.scale(2, 10)]), ValueError, "values would go beyond"),
    (
        "apply/x 1-D",
        lambda a: w.apply_edits(np.zeros(5), []),
        ValueError,
        r"x must have shape \(channels, T\) with T >= 2",
    ),
    ("apply/x text", lambda a: w.apply_edits("abc", []), TypeError, "x must be a numeric array"),
    ("apply/not an edit", lambda a: w.apply_edits(X, ["cut_start:3"]), TypeError, "edit must be an Edit"),
    ("apply/unknown kind", lambda a: w.apply_edits(X, [w.Edit("reverse")]), ValueError, "unknown edit kind 'reverse'"),
    ("to_text/unknown kind", lambda a: w.edits_to_text([w.Edit("reverse")]), ValueError, "unknown edit kind"),
    ("from_text/None", lambda a: w.edits_from_text(None), ValueError, "edits text must be a str"),
    ("sweep/kind", lambda a: w.sweep(a["m"], a["x"], "flat", [1]), ValueError, "kind must be one of noise, cut_start"),
    ("sweep/empty", lambda a: w.sweep(a["m"], a["x"], "noise", []), ValueError, "strengths must be a non-empty 1-D"),
    ("sweep/cut float", lambda a: w.sweep(a["m"], a["x"], "cut_start", [1.5]), ValueError, "whole numbers of steps"),
    ("sweep/cut too long", lambda a: w.sweep(a["m"], a["x"], "cut_end", [50]), ValueError, "cannot cut 50 steps"),
    ("sweep/model", lambda a: w.sweep(None, a["x"], "noise", [1]), TypeError, "model must be an LSTMClassifier"),
    ("sweep/strength", lambda a: w.sweep(a["m"], a["x"], "noise", [np.nan]), ValueError, "strengths"),
    ("sweep_strengths/kind", lambda a: w.sweep_strengths("keep", 10), ValueError, "kind must be one of"),
    (
        "sweep_strengths/T",
        lambda a: w.sweep_strengths("noise", 1),
        ValueError,
        "n_steps must be a whole number of at least 2",
    ),
]


@pytest.mark.parametrize("name, call, error, match", bad_call_cases(BAD_CALLS))
def test_bad_calls_name_the_problem(api, name, call, error, match):
    assert_bad_call_named(api, name, call, error, match)


def test_a_data_set_in_large_units_may_be_edited_up_to_ten_times_its_largest_value():
    counts = X * 300  # values up to 15,000, as a data set of counts holds
    assert w.value_limit([X, counts]) == 150_000.0  # MAX_FACTOR x 15,000
    assert w.value_limit([X]) == MAX_ABS_VALUE  # the shipped data sets' scale: ±1000
    limit = w.value_limit([counts])
    assert_array_equal(w.apply_edits(counts, [w.cut_start(1)], limit=limit), counts[:, 1:])
    assert w.apply_edits(counts, [w.scale(2, 10.0)], limit=limit)[1].max() == 150_000.0
    with pytest.raises(ValueError, match=r"edit 1 \(cut_start:1\): values would go beyond ±1,000,"):
        w.apply_edits(counts, [w.cut_start(1)])  # without the data set's limit, the default refuses them
    with pytest.raises(ValueError, match=r"values would go beyond ±150,000,"):
        w.apply_edits(counts, [w.scale(2, 10.0), w.scale(2, 1.001)], limit=limit)


@pytest.mark.parametrize(
    "largest, limit",
    [
        (1523.456, 16_000.0),  # ten times, 15,234.56, up to two significant figures: the bound a message can state
        (3000.0, 30_000.0),  # already two significant figures
        (12.0, 1000.0),  # the least bound
        (1.2345e19, 1.3e20),
        (5e29, 1e30),  # never beyond what a data set may hold
    ],
)
def test_the_value_limit_is_a_bound_a_message_states_exactly(largest, limit):
    assert w.value_limit([np.array([[0.0, -largest]])]) == pytest.approx(limit, rel=1e-12)
    assert w.value_limit([np.array([[0.0, -largest]])]) >= min(10 * largest, 1e30)
