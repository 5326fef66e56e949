"""Unit descriptions: exact wording on constructed statistics, and the table over the real model."""

import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose, assert_array_equal

import core
from core.analyses import units
from core.presentation.describe import (
    TIMING_PHRASES,
    UnitStats,
    describe_network,
    describe_unit,
    unit_stats,
    unit_table,
)


def stats(**changes):
    base = dict(
        unit=37,
        best_speaker=3,
        worst_speaker=5,
        score=2.5,
        off_score=1.0,
        timing="start",
        cost=4,
        n_sequences=370,
        split_name="test",
    )
    return UnitStats(**{**base, **changes})


@pytest.mark.parametrize(
    "changes, sentence",
    [
        (
            {},
            "Unit 37 is strongly on for speaker 3 and off for the others, mostly in the first third of the recording; "
            "silencing it costs 4 of 370 test sequences.",
        ),
        (
            dict(unit=5, best_speaker=7, score=1.7, timing="middle", cost=0),
            "Unit 5 is moderately on for speaker 7 and off for the others, mostly in the middle of the recording; "
            "silencing it costs none of the 370 test sequences.",
        ),
        (
            dict(unit=12, best_speaker=1, score=1.2, off_score=0.9, timing="end", cost=-2),
            "Unit 12 is weakly on for speaker 1 and off for the others, mostly in the last third of the recording; "
            "silencing it gains 2 of 370 test sequences.",
        ),
        (
            dict(unit=80, score=1.1, off_score=2.2, timing="throughout", cost=1),
            "Unit 80 is strongly off for speaker 5 and on for the others, throughout the recording; "
            "silencing it costs 1 of 370 test sequences.",
        ),
        (
            dict(unit=2, score=0.8, off_score=0.7, timing="throughout"),
            "Unit 2 responds about equally to every speaker, throughout the recording; "
            "silencing it costs 4 of 370 test sequences.",
        ),
        (
            dict(score=2.0, n_sequences=40, split_name="", cost=3),
            "Unit 37 is strongly on for speaker 3 and off for the others, mostly in the first third of the recording; "
            "silencing it costs 3 of 40 sequences.",
        ),
        (
            dict(score=1.99, off_score=1.5, split_name="train", n_sequences=270),
            "Unit 37 is moderately on for speaker 3 and off for the others, mostly in the first third of the "
            "recording; silencing it costs 4 of 270 train sequences.",
        ),
    ],
)
def test_describe_unit_wording(changes, sentence):
    assert describe_unit(stats(**changes)) == sentence


def test_describe_unit_rejects_an_unknown_timing():
    with pytest.raises(ValueError, match="timing must be one of start, middle, end, throughout"):
        describe_unit(stats(timing="late"))


def test_unit_table_rows_agree_with_their_descriptions():
    on_unit, off_unit = stats(unit=1), stats(unit=2, score=1.1, off_score=2.2, worst_speaker=5)
    table = unit_table([on_unit, off_unit])
    assert_array_equal(table["best speaker"], [3, 5])  # off_unit singles out speaker 5 by being off for it
    assert_allclose(table["selectivity"], [2.5, -2.2])
    assert list(table["when active"]) == ["start", "start"]
    assert "off for speaker 5" in table["description"][1]


@pytest.fixture(scope="module")
def test_stats(model, tmp_path_factory):
    cache = core.DiskCache(tmp_path_factory.mktemp("describe") / "cache")
    return unit_stats(model, "test", cache=cache), cache


def test_unit_stats_agree_with_units_and_ablation(model, dataset, test_stats):
    all_stats, _ = test_stats
    split = dataset.test
    batch = core.run_batch(model, split.sequences)
    sel = units.selectivity(batch, split.labels)
    assert [s.unit for s in all_stats] == list(range(1, 101))
    assert_array_equal([s.best_speaker for s in all_stats], sel.best_speaker)
    assert_array_equal([s.worst_speaker for s in all_stats], sel.worst_speaker)
    assert_allclose([s.score for s in all_stats], sel.score, rtol=1e-5)
    assert_allclose([s.off_score for s in all_stats], sel.off_score, rtol=1e-5)
    assert_array_equal([s.timing for s in all_stats], units.activity_timing(batch))
    assert {(s.n_sequences, s.split_name) for s in all_stats} == {(370, "test")}
    plain_right = np.sum(batch.final_predictions == split.labels)
    for unit in (0, 23, 99):  # the cost is the drop in sequences right when the unit alone is silenced
        right = np.sum(core.run_batch(model, split.sequences, silenced=[unit]).final_predictions == split.labels)
        assert all_stats[unit].cost == plain_right - right


def test_unit_stats_of_a_lower_layer_describe_that_layer(dataset, tmp_cache):
    torch.manual_seed(6)
    model = core.LSTMClassifier(core.ModelConfig(hidden_size=5, num_layers=2)).eval().requires_grad_(False)
    every_eighth = range(0, len(dataset.test), 8)  # every speaker, 47 recordings
    split = core.Split([dataset.test.sequences[i] for i in every_eighth], dataset.test.labels[::8])
    bottom = core.run_batch(model, split.sequences).layer(0)
    sel = units.selectivity(bottom, split.labels)
    for stats in (unit_stats(model, split, layer=0, cache=tmp_cache), unit_stats(model, split, bottom, layer=0)):
        assert_allclose([s.score for s in stats], sel.score, rtol=1e-5)
        assert_array_equal([s.timing for s in stats], units.activity_timing(bottom))
        costs = core.analyses.ablation.single_unit_costs(model, split, layer=0, cache=tmp_cache)
        assert_array_equal([s.cost for s in stats], costs)


def test_unit_table_on_the_real_model(test_stats):
    all_stats, _ = test_stats
    table = unit_table(all_stats)
    assert list(table.columns) == ["unit", "best speaker", "selectivity", "when active", "cost", "description"]
    assert len(table) == 100
    assert_array_equal(table["unit"], np.arange(1, 101))
    assert list(table["description"]) == [describe_unit(s) for s in all_stats]
    assert table["description"].str.match(r"Unit \d+ (is|responds)").all()


def test_unit_stats_for_a_split_object_reuse_the_costs_and_check_the_batch(model, dataset, test_stats):
    named, cache = test_stats
    batch = core.run_batch(model, dataset.test.sequences)
    unnamed = unit_stats(model, dataset.test, batch, cache=cache)
    assert [s.cost for s in unnamed] == [s.cost for s in named]
    sentences = [describe_unit(s) for s in unnamed]
    assert all(sentence.endswith(" 370 sequences.") and "test" not in sentence for sentence in sentences)
    with pytest.raises(ValueError, match="batch has 270 sequences but the split has 370"):
        unit_stats(model, "test", core.run_batch(model, dataset.train.sequences), cache=cache)
    with pytest.raises(TypeError, match="split must be 'train', 'test' or a Split"):
        unit_stats(model, 3, cache=cache)


def test_describe_unit_with_basicmotions_and_made_up_words(bm_info, toy_info):
    assert describe_unit(stats(), info=bm_info) == (
        "Unit 37 is strongly on for walking and off for the others, mostly in the first third of the recording; "
        "silencing it costs 4 of 370 test sequences."
    )
    flat = stats(score=0.8, off_score=0.7)
    assert describe_unit(flat, info=bm_info).startswith("Unit 37 responds about equally to every activity,")
    assert describe_unit(stats(best_speaker=2, worst_speaker=1), info=toy_info).startswith(
        "Unit 37 is strongly on for dog and off for the others"
    )
    with pytest.raises(ValueError, match="unit 37 singles out class 5, but BasicMotions has 4"):
        describe_unit(stats(score=1.1, off_score=2.2), info=bm_info)
    with pytest.raises(ValueError, match="unit 37 singles out class 3, but Toy has 2"):
        describe_unit(stats(), info=toy_info)


def test_timing_phrases_speak_of_recordings():
    assert all(phrase.endswith("the recording") for phrase in TIMING_PHRASES.values())


def test_unit_stats_and_table_on_basicmotions(bm_model, bm_dataset, tmp_cache):
    split = bm_dataset.test
    all_stats = unit_stats(bm_model, "test", dataset=core.load_dataset("basicmotions"), cache=tmp_cache)
    seq = np.array([core.run_sequence(bm_model, x).hidden.mean(axis=0) for x in split.sequences])  # (N, H)
    own = np.array([seq[split.labels == s].mean(axis=0) for s in range(1, 5)])  # (4, H)
    rest = np.array([seq[split.labels != s].mean(axis=0) for s in range(1, 5)])  # (4, H)
    contrast = (own - rest) / seq.std(axis=0)  # (4, H)
    assert len(all_stats) == bm_model.config.hidden_size
    assert_array_equal([s.best_speaker for s in all_stats], contrast.argmax(axis=0) + 1)
    assert_allclose([s.score for s in all_stats], contrast.max(axis=0), rtol=1e-4, atol=1e-5)
    assert {(s.n_sequences, s.split_name) for s in all_stats} == {(len(split), "test")}
    batch = core.run_batch(bm_model, split.sequences)
    plain_right = np.sum(batch.final_predictions == split.labels)
    right = np.sum(core.run_batch(bm_model, split.sequences, silenced=[0]).final_predictions == split.labels)
    assert all_stats[0].cost == plain_right - right
    info = bm_dataset.info
    table = unit_table(all_stats, info=info)
    assert list(table.columns) == ["unit", "best activity", "selectivity", "when active", "cost", "description"]
    for s, sentence in zip(all_stats, table["description"], strict=True):
        assert "speaker" not in sentence and "utterance" not in sentence
        if abs(s.selectivity) >= 1.0:
            assert f" for {info.class_names[s.speaker - 1]} and " in sentence


@pytest.mark.parametrize(
    "config, dataset, sentence",
    [
        (
            core.ModelConfig(),
            None,
            "This is the layout of MATLAB's example network, at its size: 12 channels in, one LSTM layer of 100 "
            "hidden units, 9 scores out.",
        ),
        (
            core.ModelConfig(n_features=1, hidden_size=10, n_classes=2),
            None,
            "This network has the same kinds of layers as MATLAB's example network, at another size: it reads 1 "
            "channel with 1 LSTM layer of 10 hidden units and gives 2 scores, one per class; MATLAB's reads 12 "
            "channels with one LSTM layer of 100 hidden units and gives 9 scores.",
        ),
        (
            core.ModelConfig(n_features=6, hidden_size=1, n_classes=4, num_layers=2),
            "basicmotions",
            "This network has the same kinds of layers as MATLAB's example network, at another size: it reads 6 "
            "channels with 2 LSTM layers of 1 hidden unit and gives 4 scores, one per activity; MATLAB's reads 12 "
            "channels with one LSTM layer of 100 hidden units and gives 9 scores.",
        ),
        (
            core.ModelConfig(num_layers=2),
            "japanese_vowels",
            "This network has the same kinds of layers as MATLAB's example network, at another size: it reads 12 "
            "channels with 2 LSTM layers of 100 hidden units and gives 9 scores, one per speaker; MATLAB's reads 12 "
            "channels with one LSTM layer of 100 hidden units and gives 9 scores.",
        ),
    ],
)
def test_a_network_is_compared_with_matlab_s_example_at_its_own_size(config, dataset, sentence):
    info = None if dataset is None else core.load_dataset(dataset).info
    assert describe_network(config, info=info) == sentence


def test_describe_network_takes_a_model_config():
    with pytest.raises(TypeError, match="config must be a ModelConfig, got LSTMClassifier"):
        describe_network(core.LSTMClassifier())
