"""The caveats every page opens with, the two simple rules beside a network, and the Model lab's advice."""

import numpy as np
import pytest

import core
from core.analyses.lab import MAX_UNIT_EPOCHS, LabSettings
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
            "To try: more epochs (up to 200 with 20 hidden units in 1 layer), more hidden units (up to 200 for 30 "
            "epochs in 1 layer), or another seed (another random starting point).",
        ),
        (
            LabSettings(hidden_size=100, epochs=100, num_layers=2),
            "To try: fewer hidden units or layers, which leave room for more epochs, or another seed (another "
            "random starting point).",
        ),
        (
            LabSettings(hidden_size=100, epochs=200, num_layers=1),
            "To try: another seed (another random starting point).",
        ),
        (
            LabSettings(hidden_size=50, epochs=100, num_layers=1),
            "To try: more epochs (up to 200 with 50 hidden units in 1 layer), more hidden units (up to 200 for "
            "100 epochs in 1 layer), or another seed (another random starting point).",
        ),
    ],
)
def test_the_lab_advice_names_only_what_its_controls_allow(settings, advice):
    assert honesty.lab_advice(settings) == advice


@pytest.mark.parametrize("hidden", [10, 20, 64, 100, 150, 200])
@pytest.mark.parametrize("epochs", [1, 30, 77, 100, 200])
@pytest.mark.parametrize("layers", [1, 2, 3])
def test_the_lab_advice_offers_the_most_the_lab_accepts_and_no_more(hidden, epochs, layers):
    if hidden * epochs * layers > MAX_UNIT_EPOCHS:
        return
    advice = honesty.lab_advice(LabSettings(hidden_size=hidden, epochs=epochs, num_layers=layers))
    assert advice.endswith("another seed (another random starting point).")
    for field, phrase in (("epochs", "more epochs (up to "), ("hidden_size", "more hidden units (up to ")):
        if phrase not in advice:
            continue
        most = int(advice.split(phrase)[1].split(" ")[0])
        settings = {"hidden_size": hidden, "epochs": epochs, "num_layers": layers}
        LabSettings(**{**settings, field: most})  # accepted
        with pytest.raises(ValueError, match="must be"):
            LabSettings(**{**settings, field: most + 1})


def test_the_lab_advice_takes_lab_settings():
    with pytest.raises(TypeError, match="settings must be a LabSettings"):
        honesty.lab_advice({"hidden_size": 20})
