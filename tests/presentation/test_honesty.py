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
    assert skill.majority_name == dataset.info.class_names[core.analyses.baselines.majority_class(dataset.train) - 1]
    assert skill.majority_tied  # 30 training recordings of every speaker
    assert skill.majority_rule("speaker") == "always answering speaker 1 (tied for the most common speaker in training)"
    assert not skill.learned_little


def test_the_first_rule_names_the_class_it_answers():
    skill = honesty.Skill(n_right=8, n_test=33, majority=7 / 33, learned_little=True, majority_name="low")
    (caveat,) = honesty.network_caveats(skill, step_block=1, class_word="level")
    assert "and always answering low (the most common level in training) would name 21.2% right." in caveat.text
    sentence = honesty.rules_sentence(8 / 33, skill, 9 / 33, class_word="level")
    assert "comparison: always answering low (the most common level in training) names 21.2% right" in sentence


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
        (0.95149, 0.95051, "The network does about as well as the nearest training recording"),  # both 95.1%
        (333 / 370, 352 / 370, "not as well as the nearest training recording"),
        (352 / 370, 356 / 370, "The network does about as well as the nearest training recording (the gap"),  # luck
        (356 / 370, 352 / 370, "The network does about as well as the nearest training recording (the gap"),
    ],
)
def test_the_rules_sentence_judges_by_the_accuracies_as_shown_and_by_luck(accuracy, nearest, verdict):
    skill = honesty.Skill(n_right=round(accuracy * 370), n_test=370, majority=31 / 370, learned_little=False)
    sentence = honesty.rules_sentence(accuracy, skill, nearest, class_word="speaker")
    assert sentence.startswith(f"The network names **{100 * accuracy:.1f}%** of the test recordings right.")
    assert "always answering the most common speaker names 8.4% right" in sentence
    assert verdict in sentence


def test_one_recording_of_105_is_no_gap_beside_the_nearest_training_recording():
    """99.0 % against 100 % (a walk-through's seven-class set): luck explains one recording."""
    skill = honesty.Skill(n_right=104, n_test=105, majority=15 / 105, learned_little=False)
    assert "about as well as the nearest training recording" in honesty.rules_sentence(
        104 / 105, skill, 1.0, class_word="x"
    )
    assert core.analyses.baselines.chance_of_at_least(105, 105, 104 / 105) >= core.analyses.baselines.SKILL_LEVEL


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


def test_the_matches_are_said_to_go_with_a_class_only_beyond_its_share():
    info = core.DatasetInfo("coin", "Coin", "side", ("heads", "tails"), ("level",), "made up", "none")
    tails_heavy = np.array([1] * 16 + [2] * 24)  # tails is 60 % of the recordings searched
    luck = honesty.matches_sentence([6, 14], tails_heavy, split_name="the test set", info=info)
    assert luck == (
        "Tails has the most matches (14 of 20), but tails makes up 60.0% of the test set, so chance alone could give "
        "as many: this pattern does not single out tails."
    )
    clear = honesty.matches_sentence([0, 20], tails_heavy, split_name="the test set", info=info)
    assert clear == (
        "Tails has the most matches (20 of 20), far more than its share of the test set (60.0%) would give by "
        "chance: the pattern goes with tails."
    )


def test_the_matches_sentence_wants_a_count_per_class():
    info = core.DatasetInfo("coin", "Coin", "side", ("heads", "tails"), ("level",), "made up", "none")
    with pytest.raises(ValueError, match="counts must hold 2 counts of matches, at least one"):
        honesty.matches_sentence([0, 0], [1, 2], split_name="the test set", info=info)
