"""Unit descriptions: exact wording on constructed statistics, and the table over the real model."""

import altair as alt
import numpy as np
import pytest
import torch
from numpy.testing import assert_allclose, assert_array_equal

import core
from core.analyses import units
from core.presentation.charts import scale_for
from core.presentation.describe import (
    NO_EFFECT,
    TIMING_PHRASES,
    UnitStats,
    answers_change_words,
    class_change_words,
    colour_words,
    describe_network,
    describe_unit,
    effect_words,
    role_words,
    silencing_summary,
    unit_stats,
    unit_table,
)
from core.presentation.frames import words

DEFAULT_INFO = words(None)  # Japanese Vowels's words


def stats(**changes):
    base = dict(
        unit=37,
        klass=3,
        sign=1,
        strength=2.5,
        gap=0.42,
        timing="start",
        cost=4,
        class_drop=0.12,
        n_sequences=370,
        split_name="test",
    )
    return UnitStats(**{**base, **changes})


@pytest.mark.parametrize(
    "changes, sentence",
    [
        (
            {},
            "Unit 37 is on for speaker 3: its average on speaker 3's recordings is 0.42 above its average on the other "
            "speakers' (strength 2.50, a strong difference). It is busiest in the first third of the "
            "recording. Silencing it alone "
            "lowers the probability of speaker 3 by 12 points on average. Over the 370 test recordings it costs 4 "
            "right answers in all.",
        ),
        (
            dict(unit=80, klass=5, sign=-1, strength=1.7, gap=-0.305, timing="throughout", cost=1, class_drop=0.004),
            "Unit 80 is off for speaker 5: its average on speaker 5's recordings is 0.30 below its average on the "
            "other "
            "speakers' (strength 1.70, a moderate difference). It is busiest throughout the recording. "
            "Silencing it alone has no "
            "effect of its own on speaker 5 (under 1 point). Over the 370 test recordings it costs 1 right answer in "
            "all.",
        ),
        (
            dict(unit=12, klass=1, strength=1.2, gap=0.05, timing="end", cost=-2, class_drop=0.0149),
            "Unit 12 is on for speaker 1: its average on speaker 1's recordings is 0.05 above its average on the other "
            "speakers' (strength 1.20, a weak difference). It is busiest in the last third of the recording. "
            "Silencing it alone "
            "lowers the probability of speaker 1 by 1 point on average. Over the 370 test recordings it gains 2 right "
            "answers in all.",
        ),
        (
            dict(unit=5, klass=7, sign=-1, strength=2.0, gap=-0.6, timing="middle", cost=-1, class_drop=-0.004),
            "Unit 5 is off for speaker 7: its average on speaker 7's recordings is 0.60 below its average on the other "
            "speakers' (strength 2.00, a strong difference). It is busiest in the middle of the recording. "
            "Silencing it alone has no "
            "effect of its own on speaker 7 (under 1 point). Over the 370 test recordings it gains 1 right answer in "
            "all.",
        ),
        (
            dict(unit=6, strength=1.99, cost=0, class_drop=-0.034),
            "Unit 6 is on for speaker 3: its average on speaker 3's recordings is 0.42 above its average on the other "
            "speakers' (strength 1.99, a moderate difference). It is busiest in the first third of the "
            "recording. Silencing it "
            "alone raises the probability of speaker 3 by 3 points on average. Over the 370 test recordings it leaves "
            "the number of right answers as it is.",
        ),
        (
            dict(unit=2, klass=0, sign=0, strength=0.8, gap=0.01, timing="throughout", class_drop=0.0),
            "Unit 2 singles out no speaker: its average on each speaker's recordings is within 0.01 of its average "
            "on the others' (strength 0.80), too little to matter. It is busiest throughout the recording. Over the "
            "370 test recordings it costs 4 right answers in all.",
        ),
        (
            dict(unit=9, klass=0, sign=0, strength=0.3, timing="end", cost=0, class_drop=0.0),
            "Unit 9 singles out no speaker: its averages differ between speakers, but by no clear margin (strength "
            "0.30; a weak difference starts at 1.00). It is busiest in the last third of the recording. Over the "
            "370 test recordings it leaves the number of right answers as it is.",
        ),
        (
            dict(klass=0, sign=0, strength=3.0, gap=0.01, cost=-1, class_drop=0.0, n_sequences=40, split_name=""),
            "Unit 37 singles out no speaker: its average on each speaker's recordings is within 0.01 of its average "
            "on the others' (strength 3.00), too little to matter. It is busiest in the first third of the "
            "recording. Over the 40 recordings it gains 1 right answer in all.",
        ),
        (
            dict(cost=1, class_drop=0.01, split_name="train", n_sequences=270),
            "Unit 37 is on for speaker 3: its average on speaker 3's recordings is 0.42 above its average on the other "
            "speakers' (strength 2.50, a strong difference). It is busiest in the first third of the "
            "recording. Silencing it alone "
            "lowers the probability of speaker 3 by 1 point on average. Over the 270 train recordings it costs 1 "
            "right answer in all.",
        ),
    ],
)
def test_describe_unit_wording(changes, sentence):
    assert describe_unit(stats(**changes)) == sentence


def test_a_unit_carries_its_class_from_a_fall_of_no_effect_on():
    assert NO_EFFECT == 0.01
    assert stats(class_drop=NO_EFFECT).carries_its_class
    assert not stats(class_drop=np.nextafter(NO_EFFECT, 0)).carries_its_class
    assert not stats(class_drop=-0.5).carries_its_class
    assert not stats(klass=0, sign=0, class_drop=0.5).carries_its_class  # no class, nothing to carry
    assert "no effect of its own" in describe_unit(stats(class_drop=np.nextafter(NO_EFFECT, 0)))
    assert "raises the probability of speaker 3 by 1 point" in describe_unit(stats(class_drop=-NO_EFFECT))


def test_a_class_s_change_has_one_form_in_the_box_the_table_and_the_description():
    cases = {0.12: "−12 points", 0.0149: "−1 point", 0.01: "−1 point", 0.0099: "under 1 point", -0.004: "under 1 point"}
    cases |= {-0.034: "+3 points", -0.01: "+1 point"}
    for drop, said in cases.items():
        unit = stats(class_drop=drop)
        assert class_change_words(unit) == said
        number = said.lstrip("−+")
        assert f" by {number} on average" in describe_unit(unit) or f"({number})" in describe_unit(unit)
    assert class_change_words(stats(klass=0, sign=0, class_drop=0.0)) == "no class"


def test_role_and_effect_words():
    assert role_words(stats(), DEFAULT_INFO) == "on for speaker 3"
    assert role_words(stats(klass=5, sign=-1), DEFAULT_INFO) == "off for speaker 5"
    assert role_words(stats(klass=0, sign=0), DEFAULT_INFO) == "no class"
    assert [effect_words(stats(cost=c)) for c in (4, 1, 0, -1, -3)] == [
        "4 fewer right",
        "1 fewer right",
        "as many right",
        "1 more right",
        "3 more right",
    ]
    assert answers_change_words(-2) == "2 more right"


@pytest.mark.parametrize(
    "args, sentence",
    [
        (
            (20, 1, 5, 1, (0.9838, 0.9757)),
            "Silencing these 20 units from time step 1 **costs 4 right answers**: 5 recordings that were named right "
            "are now wrong, and 1 recording that was wrong is now right. The network's accuracy goes from 98.4% to "
            "97.6%.",
        ),
        (
            (3, 7, 1, 0, (0.5, 0.25)),
            "Silencing these 3 units from time step 7 **costs 1 right answer**: 1 recording that was named right is "
            "now wrong, and no recordings that were wrong are now right. The network's accuracy goes from 50.0% to "
            "25.0%.",
        ),
        (
            (2, 1, 0, 2, (0.5, 0.75)),
            "Silencing these 2 units from time step 1 **gains 2 right answers**: no recordings that were named right "
            "are now wrong, and 2 recordings that were wrong are now right. The network's accuracy goes from 50.0% "
            "to 75.0%.",
        ),
        (
            (4, 2, 1, 2, (0.5, 0.75)),
            "Silencing these 4 units from time step 2 **gains 1 right answer**: 1 recording that was named right is "
            "now wrong, and 2 recordings that were wrong are now right. The network's accuracy goes from 50.0% to "
            "75.0%.",
        ),
        (
            (5, 1, 2, 2, (0.5, 0.5)),
            "Silencing these 5 units from time step 1 **leaves the number of right answers as it is**: 2 recordings "
            "that were "
            "named right are now wrong, and 2 recordings that were wrong are now right. The network's accuracy goes "
            "from 50.0% to 50.0%.",
        ),
    ],
)
def test_silencing_summary_wording(args, sentence):
    assert silencing_summary(*args) == sentence


def test_describe_unit_rejects_an_unknown_timing():
    with pytest.raises(ValueError, match="timing must be one of start, middle, end, throughout"):
        describe_unit(stats(timing="late"))


def test_unit_table_rows_agree_with_their_descriptions():
    on_unit = stats(unit=1)
    off_unit = stats(unit=2, klass=5, sign=-1, strength=2.2, gap=-0.3, class_drop=0.002, cost=-1)
    none_unit = stats(unit=3, klass=0, sign=0, strength=0.5, gap=0.02, class_drop=0.0, cost=0, timing="end")
    table = unit_table([on_unit, off_unit, none_unit])
    assert list(table.columns) == [
        "unit",
        "class",
        "singles out",
        "strength",
        "class if silenced",
        "when active",
        "answers when silenced",
        "description",
    ]
    assert_array_equal(table["unit"], [1, 2, 3])
    assert_array_equal(table["class"], [3, 5, 0])  # off_unit singles out speaker 5 by being off for it
    assert list(table["singles out"]) == ["on for speaker 3", "off for speaker 5", "no class"]
    assert_allclose(table["strength"], [2.5, 2.2, 0.5])
    assert list(table["class if silenced"]) == ["−12 points", "under 1 point", "no class"]
    assert list(table["when active"]) == ["start", "start", "end"]
    assert list(table["answers when silenced"]) == ["4 fewer right", "1 more right", "as many right"]
    assert list(table["description"]) == [describe_unit(s) for s in (on_unit, off_unit, none_unit)]


@pytest.fixture(scope="module")
def test_stats(model, tmp_path_factory):
    cache = core.DiskCache(tmp_path_factory.mktemp("describe") / "cache")
    return unit_stats(model, "test", cache=cache), cache


def test_unit_stats_agree_with_units_and_ablation(model, dataset, test_stats):
    all_stats, _ = test_stats
    split = dataset.test
    batch = core.run_batch(model, split.sequences)
    classes = units.class_units(units.selectivity(batch, split.labels))
    assert [s.unit for s in all_stats] == list(range(1, 101))
    assert_array_equal([s.klass for s in all_stats], classes.klass)
    assert_array_equal([s.sign for s in all_stats], classes.sign)
    assert_allclose([s.strength for s in all_stats], classes.strength, rtol=1e-5)
    assert_allclose([s.gap for s in all_stats], classes.gap, rtol=1e-5)
    assert_array_equal([s.timing for s in all_stats], units.activity_timing(batch))
    assert {(s.n_sequences, s.split_name) for s in all_stats} == {(370, "test")}
    plain = batch.final_probs  # (N, C)
    plain_right = np.sum(batch.final_predictions == split.labels)
    carriers = [s.unit - 1 for s in all_stats if s.carries_its_class][:2]
    for unit in (0, 23, 99, *carriers):  # silence the unit alone and count, by hand
        silenced = core.run_batch(model, split.sequences, silenced=[unit])
        right = np.sum(silenced.final_predictions == split.labels)
        assert all_stats[unit].cost == plain_right - right
        k = all_stats[unit].klass
        own = split.labels == k
        fall = np.mean(plain[own, k - 1] - silenced.final_probs[own, k - 1])
        assert_allclose(all_stats[unit].class_drop, fall, atol=1e-6)
    assert carriers, "some unit of the shipped network carries its class"


def test_unit_stats_of_a_lower_layer_describe_that_layer(dataset, tmp_cache):
    torch.manual_seed(6)
    model = core.LSTMClassifier(core.ModelConfig(hidden_size=5, num_layers=2)).eval().requires_grad_(False)
    every_eighth = range(0, len(dataset.test), 8)  # every speaker, 47 recordings
    split = core.Split([dataset.test.sequences[i] for i in every_eighth], dataset.test.labels[::8])
    bottom = core.run_batch(model, split.sequences).layer(0)
    classes = units.class_units(units.selectivity(bottom, split.labels))
    effects = core.analyses.ablation.single_unit_effects(model, split, layer=0, cache=tmp_cache)
    for stats in (unit_stats(model, split, layer=0, cache=tmp_cache), unit_stats(model, split, bottom, layer=0)):
        assert_allclose([s.strength for s in stats], classes.strength, rtol=1e-5)
        assert_array_equal([s.klass for s in stats], classes.klass)
        assert_array_equal([s.timing for s in stats], units.activity_timing(bottom))
        assert_array_equal([s.cost for s in stats], effects.cost)
        drops = [effects.class_drop[u, k - 1] if k else 0.0 for u, k in enumerate(classes.klass)]
        assert_allclose([s.class_drop for s in stats], drops)


def test_unit_table_on_the_real_model(test_stats):
    all_stats, _ = test_stats
    table = unit_table(all_stats)
    assert len(table) == 100
    assert_array_equal(table["unit"], np.arange(1, 101))
    assert list(table["description"]) == [describe_unit(s) for s in all_stats]
    assert table["description"].str.match(r"Unit \d+ (is (on|off) for speaker \d|responds)").all()
    for s, sentence in zip(all_stats, table["description"], strict=True):  # a claim only where silencing backs it
        assert ("lowers the probability" in sentence) == s.carries_its_class
        assert ("no effect of its own" in sentence) == (s.klass > 0 and abs(s.class_drop) < NO_EFFECT)


def test_unit_stats_for_a_split_object_reuse_the_costs_and_check_the_batch(model, dataset, test_stats):
    named, cache = test_stats
    batch = core.run_batch(model, dataset.test.sequences)
    unnamed = unit_stats(model, dataset.test, batch, cache=cache)
    assert [s.cost for s in unnamed] == [s.cost for s in named]
    assert [s.class_drop for s in unnamed] == [s.class_drop for s in named]
    sentences = [describe_unit(s) for s in unnamed]
    assert all("Over the 370 recordings it " in sentence and "test" not in sentence for sentence in sentences)
    with pytest.raises(ValueError, match="batch has 270 sequences but the split has 370"):
        unit_stats(model, "test", core.run_batch(model, dataset.train.sequences), cache=cache)
    with pytest.raises(TypeError, match="split must be 'train', 'test' or a Split"):
        unit_stats(model, 3, cache=cache)


def test_describe_unit_with_basicmotions_and_made_up_words(bm_info, toy_info):
    assert describe_unit(stats(), info=bm_info) == (
        "Unit 37 is on for walking: its average on walking's recordings is 0.42 above its average on the other "
        "activities' (strength 2.50, a strong difference). It is busiest in the first third of the recording. "
        "Silencing it alone "
        "lowers the probability of walking by 12 points on average. Over the 370 test recordings it costs 4 right "
        "answers in all."
    )
    flat = stats(klass=0, sign=0, strength=0.8)
    assert describe_unit(flat, info=bm_info).startswith(
        "Unit 37 singles out no activity: its averages differ between activities, but by no clear margin (strength "
        "0.80;"
    )
    assert describe_unit(stats(klass=2, sign=-1, gap=-0.2), info=toy_info).startswith(
        "Unit 37 is off for dog: its average on dog's recordings is 0.20 below its average on the other animal's "
        "(strength 2.50, a strong difference)"
    )  # with two classes there is one other
    assert role_words(stats(klass=1), toy_info) == "on for cat"
    with pytest.raises(ValueError, match="unit 37 singles out class 5, but BasicMotions has 4"):
        describe_unit(stats(klass=5), info=bm_info)
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
    furthest = np.abs(contrast).argmax(axis=0)  # (H,): the class each unit stands furthest from the rest for
    assert len(all_stats) == bm_model.config.hidden_size
    assert_allclose([s.strength for s in all_stats], np.abs(contrast).max(axis=0), rtol=1e-4, atol=1e-5)
    for u, s in enumerate(all_stats):
        assert s.klass in (0, furthest[u] + 1)
        assert s.sign == (0 if s.klass == 0 else np.sign(contrast[furthest[u], u]))
    assert {(s.n_sequences, s.split_name) for s in all_stats} == {(len(split), "test")}
    batch = core.run_batch(bm_model, split.sequences)
    plain_right = np.sum(batch.final_predictions == split.labels)
    carrier = next(s for s in all_stats if s.carries_its_class)  # silenced by hand: right answers and the fall
    silenced = core.run_batch(bm_model, split.sequences, silenced=[carrier.unit - 1])
    assert carrier.cost == plain_right - np.sum(silenced.final_predictions == split.labels)
    k = carrier.klass
    fall = np.mean((batch.final_probs - silenced.final_probs)[split.labels == k, k - 1])
    assert_allclose(carrier.class_drop, fall, atol=1e-6)
    info = bm_dataset.info
    table = unit_table(all_stats, info=info)
    assert list(table["singles out"]) == [role_words(s, info) for s in all_stats]
    for s, sentence in zip(all_stats, table["description"], strict=True):
        assert "speaker" not in sentence and "utterance" not in sentence
        if s.klass:
            role = f"{'on' if s.sign > 0 else 'off'} for {info.class_names[s.klass - 1]}: "
            assert sentence.startswith(f"Unit {s.unit} is {role}")
            assert f" {info.class_names[s.klass - 1]} " in sentence.split(". Silencing it alone ")[1]


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


def test_colour_words_read_the_range_and_the_colours_from_the_heatmap_s_scale():
    assert colour_words("hidden", scale_for("hidden")) == (
        "Each value lies between −1 and 1: red means strongly positive, blue strongly negative, white near zero."
    )
    assert colour_words("cell candidate", scale_for("cell candidate")).startswith("Each value lies between −1 and 1")
    cell = colour_words("cell", scale_for("cell", np.array([[-4.87, 2.0]])))
    assert cell.startswith("The cell state has no fixed range: here the colours run between −4.9 and 4.9")
    for gate in ("input", "forget", "output"):
        assert colour_words(gate, scale_for(gate)) == (
            "Each value lies between 0 and 1, from closed to open: dark purple means nearly closed, yellow wide open."
        )
    with pytest.raises(ValueError, match="no words for the colour scheme 'blues' of 'hidden'"):
        colour_words("hidden", alt.Scale(domain=[-1, 1], scheme="blues"))
