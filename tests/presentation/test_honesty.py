"""The caveats every page opens with, the two simple rules beside a network, and the Model lab's advice."""

import numpy as np
import pytest

import core
from core.analyses.lab import LabSettings
from core.presentation import honesty


def test_skill_counts_the_right_answers_beside_the_most_common_class(dataset):
    predictions = np.array(dataset.test.labels, copy=True)
    predictions[:6] = predictions[:6] % 9 + 1  # six wrong answers
    skill = honesty.skill(predictions, dataset)
    assert (skill.n_right, skill.n_test) == (364, 370)
    assert skill.majority == pytest.approx(core.analyses.baselines.majority_accuracy(dataset.train, dataset.test))
    assert not skill.learned_little


def test_a_network_that_learned_little_is_said_so_with_the_accuracies_as_every_box_shows_them():
    skill = honesty.Skill(n_right=70, n_test=150, majority=74 / 150, learned_little=True)  # GunPoint, the walk-through
    (caveat,) = honesty.network_caveats(skill, step_block=1)
    assert not caveat.minor
    assert "names 46.7% of the test recordings right" in caveat.text
    assert "would name 49.3% right" in caveat.text


def test_the_blocks_caveat_says_what_the_page_draws():
    skill = honesty.Skill(n_right=90, n_test=100, majority=0.1, learned_little=False)
    assert honesty.network_caveats(skill, step_block=1, drawn="recorded") == []
    (network,) = honesty.network_caveats(skill, step_block=25)  # a page of the network's steps
    assert network.minor and network.text.startswith("Each time step here is the average of 25 recorded steps")
    (recorded,) = honesty.network_caveats(skill, step_block=25, drawn="recorded")  # the Dataset page
    assert recorded.minor and recorded.text.startswith("This page shows the recordings step by step, as recorded.")
    assert "each of its time steps is the average of 25 recorded steps" in recorded.text
    (both,) = honesty.network_caveats(skill, step_block=25, drawn="both")  # What if?
    assert both.text.startswith("The recordings and the edits here are in recorded steps; the network's answer")
    assert "over its own time steps, each the average of 25 recorded steps" in both.text


@pytest.mark.parametrize(
    ("accuracy", "nearest", "verdict"),
    [
        (364 / 370, 352 / 370, "The network does better than both."),
        (0.95149, 0.95051, "The network does as well as the nearest training recording"),  # both shown as 95.1%
        (0.90, 0.951, "not as well as the nearest training recording"),
    ],
)
def test_the_rules_sentence_judges_by_the_accuracies_as_shown(accuracy, nearest, verdict):
    skill = honesty.Skill(n_right=1, n_test=1, majority=31 / 370, learned_little=False)
    sentence = honesty.rules_sentence(accuracy, skill, nearest, class_word="speaker")
    assert sentence.startswith(f"The network names **{100 * accuracy:.1f}%** of the test recordings right.")
    assert "always answering the most common speaker names 8.4% right" in sentence
    assert verdict in sentence


@pytest.mark.parametrize(
    ("settings", "advice"),
    [
        (
            LabSettings(hidden_size=20, epochs=30, num_layers=1),
            "To try: automatic epochs (the recipe's own count), more hidden units (the recipe uses 100), or another "
            "seed (another random starting point).",
        ),
        (
            LabSettings(hidden_size=100, epochs=100, num_layers=2),
            "To try: automatic epochs (the recipe's own count), or another seed (another random starting point).",
        ),
        (LabSettings(hidden_size=150), "To try: another seed (another random starting point)."),
        (
            LabSettings(hidden_size=50),
            "To try: more hidden units (the recipe uses 100), or another seed (another random starting point).",
        ),
    ],
)
def test_the_lab_advice_names_what_the_recipe_does_differently(settings, advice):
    assert honesty.lab_advice(settings) == advice


def test_the_lab_advice_takes_lab_settings():
    with pytest.raises(TypeError, match="settings must be a LabSettings"):
        honesty.lab_advice({"hidden_size": 20})


def test_the_map_is_said_to_group_the_classes_only_when_its_endings_beat_the_most_common_class_clearly():
    grouped = honesty.map_grouping_sentence(0.935, 0.084, info=core.dataset_info())
    assert grouped.startswith("On this map, 93.5% of the test recordings end nearer the middle of their own speaker's")
    assert grouped.endswith(
        "recordings of the same speaker end up in the same region, which is where the network makes up its mind."
    )
    made_up = core.DatasetInfo("made-up", "Made up", "class", ("a", "b"), ("level",), "made up", "none")
    edge = honesty.map_grouping_sentence(0.1 + honesty.GROUPED_MARGIN - 1e-9, 0.1, info=made_up)
    assert edge.endswith(
        "and always answering the most common class gets 10.0% right: the classes' endings overlap here, so this map "
        "does not show where the network tells them apart."
    )


def test_a_network_ahead_on_too_few_test_recordings_is_not_said_to_have_learned_little():
    skill = honesty.Skill(n_right=4, n_test=4, majority=0.5, learned_little=True, too_few=True)  # 4 of 4, a coin 1/16
    (caveat,) = honesty.network_caveats(skill, step_block=1)
    assert not caveat.minor and "learned little" not in caveat.text
    assert caveat.text.startswith("Only 4 test recordings: too few to tell whether this network has learned.")
    assert "It names 100.0% of them right and always answering the most common class would name 50.0%" in caveat.text
    verdict = honesty.rules_sentence(1.0, skill, 0.75, class_word="class")
    assert verdict.endswith(
        "There are too few test recordings to tell whether the network is better than the first rule."
    )
    made_up = core.DatasetInfo("made-up", "Made up", "class", ("a", "b"), ("level",), "made up", "none")
    split = core.Split([np.zeros((1, 5))] * 4, np.array([1, 1, 2, 2]))
    data = core.Dataset(split, split, made_up)
    assert honesty.skill(np.array([1, 1, 2, 2]), data).too_few  # the skill of such a network says so
