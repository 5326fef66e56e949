"""Pattern selection and match search on hand-built hidden states whose answers are known."""

import numpy as np
import pytest
from bad_calls import assert_bad_call_named, bad_call_cases
from numpy.testing import assert_array_equal

import core
from core.analyses import patterns
from core.analyses.patterns import Match, class_summary, find_matches, select_units
from core.compute.evaluate import split_traces
from core.compute.stepper import BatchTrace

ON, OFF, THRESHOLD = 0.9, 0.1, 0.5


def make_batch(hidden, lengths):
    """A BatchTrace around ``hidden`` (N, T, H); the other arrays are zeros."""
    n, t, h = hidden.shape
    return BatchTrace(
        hidden=hidden,
        cell=np.zeros_like(hidden),
        gates=np.zeros((n, t, 4, h)),
        probs=np.zeros((n, t, 9)),
        lengths=np.asarray(lengths),
    )


@pytest.fixture()
def planted():
    """Four sequences of 6 units; the pattern is units {0, 1, 2}.

    seq 0 (8 steps): units 0-2 on at steps 2-4                    -> the selection
    seq 1 (6 steps): units 0-2 and unit 4 on at steps 1-3          -> overlap 3, extra 1, length 3
    seq 2 (8 steps): units 0-2 on at steps 3-7                     -> overlap 3, extra 0, length 5
    seq 3 (5 steps): units 0-1 on at steps 0-4, every unit on in the padding (must never match)
    """
    hidden = np.full((4, 8, 6), OFF)
    hidden[0, 2:5, :3] = ON
    hidden[1, 1:4, [0, 1, 2, 4]] = ON
    hidden[2, 3:8, :3] = ON
    hidden[3, :5, :2] = ON
    hidden[3, 5:] = ON
    hidden[1, 6:] = ON
    return make_batch(hidden, [8, 6, 8, 5])


def test_select_units_on_a_hand_made_array():
    hidden = np.array(
        [[0.9, 0.9, 0.1, 0.9], [0.9, 0.2, 0.9, 0.9], [0.9, 0.9, 0.9, 0.5]]
    )  # (T=3, H=4); 0.5 is not above 0.5
    assert_array_equal(select_units(hidden, 0, 1, THRESHOLD), [0, 3])
    assert_array_equal(select_units(hidden, 1, 2, THRESHOLD), [0, 2])
    assert_array_equal(select_units(hidden, 0, 2, THRESHOLD), [0])
    assert_array_equal(select_units(hidden, 1, 1, THRESHOLD), [0, 2, 3])
    assert_array_equal(select_units(hidden, 0, 2, 0.95), [])


def test_select_units_errors():
    hidden = np.zeros((5, 3))
    with pytest.raises(ValueError, match=r"0 <= start <= end < 5"):
        select_units(hidden, 3, 2, 0.5)
    with pytest.raises(ValueError, match=r"0 <= start <= end < 5"):
        select_units(hidden, 0, 5, 0.5)
    with pytest.raises(ValueError, match=r"0 <= start <= end < 5"):
        select_units(hidden, -1, 2, 0.5)
    with pytest.raises(ValueError, match=r"shape \(T, H\)"):
        select_units(np.zeros(5), 0, 1, 0.5)
    with pytest.raises(ValueError, match="threshold must be a finite number"):
        select_units(hidden, 0, 1, float("nan"))


def test_ranking_order_with_the_selection_excluded(planted):
    units = select_units(planted[0].hidden, 2, 4, THRESHOLD)
    assert_array_equal(units, [0, 1, 2])
    matches = find_matches(planted, units, THRESHOLD, length=3, exclude=(0, 2, 4))
    assert matches == [
        Match(2, 3, 7, overlap=3, extra=0, length=5),
        Match(1, 1, 3, overlap=3, extra=1, length=3),
        Match(3, 0, 4, overlap=2, extra=0, length=5),
    ]


def test_without_exclude_the_selection_ranks_between_the_run_and_the_extra(planted):
    matches = find_matches(planted, [0, 1, 2], THRESHOLD, length=3)
    assert [(m.seq_index, m.start, m.end) for m in matches] == [(2, 3, 7), (0, 2, 4), (1, 1, 3), (3, 0, 4)]


def test_shortest_length_and_max_results(planted):
    longer = find_matches(planted, [0, 1, 2], THRESHOLD, length=4)
    assert [(m.seq_index, m.length) for m in longer] == [(2, 5), (3, 5)]
    assert find_matches(planted, [0, 1, 2], THRESHOLD, length=9) == []
    top = find_matches(planted, [0, 1, 2], THRESHOLD, length=3, max_results=2)
    assert [m.seq_index for m in top] == [2, 0]


def test_default_length_finds_the_same_maximal_runs(planted):
    assert find_matches(planted, [0, 1, 2], THRESHOLD) == find_matches(planted, [0, 1, 2], THRESHOLD, length=3)


def test_padding_never_matches_even_below_a_negative_threshold():
    hidden = np.zeros((2, 6, 3))  # zero padding, as run_batch writes it
    hidden[0, :3] = -0.2
    hidden[1, :6] = -0.2
    batch = make_batch(hidden, [3, 6])
    matches = find_matches(batch, [0, 1, 2], -0.5)
    assert matches == [Match(1, 0, 5, overlap=3, extra=0, length=6), Match(0, 0, 2, overlap=3, extra=0, length=3)]


def test_a_value_equal_to_the_threshold_is_not_on():
    """On means strictly above: units 1 and 2 sit exactly at the threshold, so they are neither found nor extra."""
    hidden = np.full((1, 4, 3), OFF)  # (N=1, T=4, H=3)
    hidden[0, :3, 0] = ON
    hidden[0, :3, 1] = THRESHOLD
    hidden[0, :, 2] = THRESHOLD
    batch = make_batch(hidden, [4])
    assert find_matches(batch, [0], THRESHOLD) == [Match(0, 0, 2, overlap=1, extra=0, length=3)]
    assert find_matches(batch, [1, 2], THRESHOLD) == []
    assert_array_equal(select_units(hidden[0], 0, 2, THRESHOLD), [0])


def test_two_runs_in_one_sequence_are_both_found_and_shifted_windows_are_not():
    hidden = np.full((1, 12, 2), OFF)
    hidden[0, 0:5, 0] = ON  # a long run
    hidden[0, 8:11, 0] = ON  # a short run after a gap
    matches = find_matches(make_batch(hidden, [12]), [0], THRESHOLD, length=2)
    assert matches == [Match(0, 0, 4, overlap=1, extra=0, length=5), Match(0, 8, 10, overlap=1, extra=0, length=3)]


def test_a_run_that_overlaps_the_excluded_range_is_left_out(planted):
    matches = find_matches(planted, [0, 1, 2], THRESHOLD, length=3, exclude=(2, 7, 7))
    assert 2 not in [m.seq_index for m in matches]


def brute_force_matches(hidden, lengths, units, threshold, min_length, max_results):
    """The documented rule with plain loops: best window per start, then best first without overlaps."""
    selected = set(int(u) for u in units)
    candidates = []
    for seq, n in enumerate(lengths):
        for start in range(n):
            best = None
            for end in range(start + min_length - 1, n):
                on = set(np.flatnonzero((hidden[seq, start : end + 1] > threshold).all(axis=0)).tolist())
                key = (-len(on & selected), len(on - selected), -(end - start + 1))
                if len(on & selected) and (best is None or key < best[0]):
                    best = (key, end)
            if best:
                candidates.append((*best[0], seq, start, best[1]))
    kept = []
    for neg_ov, ex, neg_len, seq, start, end in sorted(candidates):
        if all(m.seq_index != seq or end < m.start or start > m.end for m in kept):
            kept.append(Match(seq, start, end, -neg_ov, ex, -neg_len))
    return kept[:max_results]


@pytest.mark.parametrize("min_length", [1, 2, 4])
def test_vectorised_search_equals_the_rule_written_with_loops(min_length):
    rng = np.random.default_rng(min_length)
    lengths = rng.integers(3, 15, size=12)
    hidden = rng.uniform(-1, 1, size=(12, 15, 8)) + (rng.uniform(size=(12, 15, 1)) < 0.5) * 0.6  # bursts: long runs
    batch = make_batch(hidden * (np.arange(15) < lengths[:, None])[..., None], lengths)
    expected = brute_force_matches(batch.hidden, lengths, [1, 4, 6], 0.2, min_length, 30)
    assert len(expected) > 3
    assert find_matches(batch, [1, 4, 6], 0.2, length=min_length, max_results=30) == expected


def test_scores_on_the_model_states_agree_with_select_units(model, dataset):
    batch = split_traces(model, "test", dataset=dataset)
    units = select_units(batch[0].hidden, 3, 6, 0.2)
    matches = find_matches(batch, units, 0.2, length=4, exclude=(0, 3, 6))
    assert len(matches) == 20
    for m in matches:
        on = select_units(batch[m.seq_index].hidden, m.start, m.end, 0.2)
        assert (m.overlap, m.extra) == (np.isin(on, units).sum(), (~np.isin(on, units)).sum())
        assert not (m.seq_index == 0 and m.start <= 6 and m.end >= 3)


def test_class_summary_counts_matches_per_speaker(planted):
    matches = find_matches(planted, [0, 1, 2], THRESHOLD, length=3, exclude=(0, 2, 4))  # sequences 2, 1, 3
    counts = class_summary(matches, [1, 3, 3, 9])
    assert_array_equal(counts, [0, 0, 2, 0, 0, 0, 0, 0, 1])
    assert_array_equal(class_summary([], [1, 3]), np.zeros(9))


def test_find_matches_and_summary_errors(planted):
    with pytest.raises(TypeError, match="batch must be a BatchTrace"):
        find_matches(planted.hidden, [0], THRESHOLD)
    with pytest.raises(ValueError, match="non-empty 1-D array of unit indices"):
        find_matches(planted, [], THRESHOLD)
    with pytest.raises(ValueError, match="units must be between 0 and 5"):
        find_matches(planted, [0, 6], THRESHOLD)
    with pytest.raises(ValueError, match="length must be a positive integer"):
        find_matches(planted, [0], THRESHOLD, length=0)
    with pytest.raises(ValueError, match="max_results must be a positive integer"):
        find_matches(planted, [0], THRESHOLD, max_results=0)
    with pytest.raises(ValueError, match="exclude must be"):
        find_matches(planted, [0], THRESHOLD, exclude=(4, 0, 1))
    with pytest.raises(ValueError, match=r"exclude's range in sequence 3 .* < 5"):
        find_matches(planted, [0], THRESHOLD, exclude=(3, 2, 5))
    with pytest.raises(ValueError, match="labels has only 2 entries"):
        class_summary([Match(3, 0, 1, 1, 0, 2)], [1, 2])
    with pytest.raises(ValueError, match="between 1 and 9"):
        class_summary([Match(0, 0, 1, 1, 0, 2)], [0, 2])


@pytest.fixture(scope="module")
def api(model, dataset):
    """What the bad calls below need: traces of 60 test recordings and their labels."""
    return dict(b=core.run_batch(model, dataset.test.sequences[:60]), L=dataset.test.labels[:60])


# id, call, expected error, a pattern the message must contain (it names the argument or the problem)
BAD_CALLS = [
    ("patterns.select_units/None", lambda a: patterns.select_units(None, 0, 1, 0.1), ValueError, "hidden must"),
    (
        "patterns.select_units/3-D",
        lambda a: patterns.select_units(np.zeros((2, 3, 4)), 0, 1, 0.1),
        ValueError,
        "hidden must",
    ),
    (
        "patterns.select_units/NaN hidden",
        lambda a: patterns.select_units(np.full((5, 3), np.nan), 0, 1, 0.1),
        ValueError,
        "NaN",
    ),
    (
        "patterns.select_units/threshold NaN",
        lambda a: patterns.select_units(np.zeros((5, 3)), 0, 1, np.nan),
        ValueError,
        "threshold must be a finite number",
    ),
    (
        "patterns.select_units/start float",
        lambda a: patterns.select_units(np.zeros((5, 3)), 0.0, 1, 0.1),
        ValueError,
        "must be integers",
    ),
    ("patterns.find_matches/None", lambda a: patterns.find_matches(None, [0], 0.1), TypeError, "batch must be"),
    (
        "patterns.find_matches/units empty",
        lambda a: patterns.find_matches(a["b"], [], 0.1),
        ValueError,
        "units must be a non-empty",
    ),
    (
        "patterns.find_matches/units float",
        lambda a: patterns.find_matches(a["b"], [0.5], 0.1),
        ValueError,
        "units must be",
    ),
    (
        "patterns.find_matches/length 0",
        lambda a: patterns.find_matches(a["b"], [0], 0.1, length=0),
        ValueError,
        "length must be a positive integer",
    ),
    (
        "patterns.find_matches/exclude text",
        lambda a: patterns.find_matches(a["b"], [0], 0.1, exclude="abc"),
        ValueError,
        "exclude must be",
    ),
    (
        "patterns.find_matches/exclude int",
        lambda a: patterns.find_matches(a["b"], [0], 0.1, exclude=5),
        ValueError,
        "exclude must be",
    ),
    ("patterns.class_summary/not matches", lambda a: patterns.class_summary([1, 2], a["L"]), TypeError, "matches"),
    (
        "patterns.class_summary/labels float",
        lambda a: patterns.class_summary([], a["L"].astype(float)),
        ValueError,
        "labels must be a 1-D integer array",
    ),
]


@pytest.mark.parametrize("name, call, error, match", bad_call_cases(BAD_CALLS))
def test_bad_calls_name_the_problem(api, name, call, error, match):
    assert_bad_call_named(api, name, call, error, match)


def test_class_summary_on_basicmotions_counts_its_four_classes(bm_model, bm_dataset):
    batch = core.run_batch(bm_model, bm_dataset.test.sequences)
    labels = bm_dataset.test.labels
    units = select_units(batch[0].hidden, 0, 3, 0.0)
    matches = find_matches(batch, units, 0.0, length=3, max_results=40)
    assert matches
    counts = class_summary(matches, labels, n_classes=bm_model.config.n_classes)
    expected = np.zeros(4, int)
    for m in matches:
        expected[labels[m.seq_index] - 1] += 1
    assert_array_equal(counts, expected)
    with pytest.raises(ValueError, match="between 1 and 4"):
        class_summary(matches, labels + 4, n_classes=4)


def test_the_default_level_is_the_highest_that_holds_a_pattern():
    hidden = np.zeros((6, 5))
    hidden[1:4] = [0.5, 0.35, 0.22, 0.21, 0.05]  # steps 1-3; unit 4 is never above 0.05
    assert patterns.default_threshold(hidden, 1, 3) == 0.2  # 3 units above 0.2 (0.25 holds only 2)
    assert patterns.default_threshold(hidden, 1, 3, min_units=1) == 0.3
    assert patterns.default_threshold(hidden, 1, 3, min_units=2) == 0.3
    assert patterns.default_threshold(hidden, 1, 3, min_units=5) == 0.0
    assert patterns.default_threshold(hidden, 0, 3, min_units=1) == 0.0  # step 0 holds no unit above 0.05


@pytest.mark.parametrize(
    "kwargs, match",
    [({"step": 0.0}, "step must be positive"), ({"min_units": 0}, "min_units must be a positive integer")],
)
def test_the_default_level_refuses_bad_calls(kwargs, match):
    with pytest.raises(ValueError, match=match):
        patterns.default_threshold(np.zeros((4, 3)), 0, 2, **kwargs)
