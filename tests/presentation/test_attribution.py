"""The words of *Why did it decide?*: each sentence against the numbers it is made of."""

import re

import numpy as np
import pytest
from attribution_helpers import constructed

import core
from core.analyses.attribution import StartingPoint, integrated_gradients, little_to_explain
from core.analyses.attribution_checks import DeletionCheck, Explanation, RandomisationCheck
from core.presentation.attribution import (
    BASELINE_KINDS,
    baseline_label,
    columns_note,
    completeness_sentence,
    deletion_sentence,
    evidence_headline,
    evidence_sentence,
    little_to_explain_sentence,
    randomisation_sentence,
    starting_point_sentence,
    steps_note,
)


def example_values():
    """Feature 2 is strong at steps 4-6 (peak at 5), feature 7 negative at step 12."""
    values = np.zeros((12, 14))
    values[1, 2:7] = [0.1, 0.6, 1.0, 0.7, 0.2]  # steps 3-7: only 4-6 are at least half the peak
    values[6, 11] = -0.4
    values[0, 0] = -0.05  # too weak to be named
    return values


def test_evidence_sentence_wording():
    assert evidence_sentence(constructed(example_values())) == (
        "The strongest evidence for speaker 3 is feature 2 around steps 4–6; feature 7 at step 12 pointed away from it."
    )
    only_for = np.clip(example_values(), 0, None)
    only_for[1, [3, 5]] = 0.0
    assert evidence_sentence(constructed(only_for)) == (
        "The strongest evidence for speaker 3 is feature 2 at step 5; nothing pointed clearly away from it."
    )
    assert evidence_sentence(constructed(-np.abs(example_values()))) == (
        "Nothing in this recording pointed towards speaker 3; feature 2 at step 5 pointed most strongly away from it."
    )
    assert evidence_sentence(constructed(np.zeros((12, 3)))) == "No channel at any step moved the score for speaker 3."


def test_evidence_on_a_real_attribution_names_its_strongest_cell(model, dataset):
    attr = integrated_gradients(model, dataset.test.sequences[0])
    feature, step = np.unravel_index(np.argmax(attr.values), attr.values.shape)  # 0-based, of the largest value
    sentence = evidence_sentence(attr)
    found = re.fullmatch(
        rf"The strongest evidence for speaker {attr.target} is feature (\d+) "
        r"(?:at step (\d+)|around steps (\d+)–(\d+)); .*\.",
        sentence,
    )
    assert found and int(found[1]) == feature + 1, sentence
    first, last = (int(found[2]), int(found[2])) if found[2] else (int(found[3]), int(found[4]))
    assert first <= step + 1 <= last, sentence


def test_evidence_on_basicmotions_names_its_activity_and_channel(bm_model, bm_dataset):
    info = bm_dataset.info
    attr = integrated_gradients(bm_model, bm_dataset.test.sequences[0])
    channel, _ = np.unravel_index(np.argmax(attr.values), attr.values.shape)
    sentence = evidence_sentence(
        attr, class_word=info.class_word, class_names=info.class_names, channel_names=info.channel_names
    )
    assert sentence.startswith(
        f"The strongest evidence for {info.class_names[attr.target - 1]} is {info.channel_names[channel]} "
    ), sentence
    assert "speaker" not in sentence and "feature" not in sentence


def test_evidence_sentence_with_names():
    attr = constructed(example_values())
    names = [f"channel {chr(ord('a') + i)}" for i in range(12)]
    assert evidence_sentence(attr, class_names=["x", "y", "walking"], channel_names=names) == (
        "The strongest evidence for walking is channel b around steps 4–6; channel g at step 12 pointed away from it."
    )
    assert evidence_sentence(attr, class_word="class").startswith("The strongest evidence for class 3 is feature 2 ")
    with pytest.raises(ValueError, match="class 3 has no name: class_names has 2"):
        evidence_sentence(attr, class_names=["x", "y"])
    with pytest.raises(ValueError, match="channel_names must name the 12 channels, got 6"):
        evidence_sentence(attr, channel_names=names[:6])


def test_the_starting_points_are_named_for_the_number_of_classes():
    assert [baseline_label(kind, 9) for kind in BASELINE_KINDS] == [
        "The other classes' average",
        "All zeros",
        "An average recording",
    ]
    assert baseline_label("others", 2) == "The other class's average"
    with pytest.raises(ValueError, match="kind must be one of others, zero, mean; got 'x'"):
        baseline_label("x", 2)


def test_starting_point_sentence_of_each_kind(bm_info):
    # the starting point gets running (class 2) at 50 %: logits log 3 for running, 0 for the 3 others -> 3 / 6
    logits = np.log([1.0, 3.0, 1.0, 1.0])
    attr = constructed(np.ones((6, 4)), target=1, baseline_logits=logits, score_baseline=0.0)
    aligned = StartingPoint("others", np.zeros((6, 100)), True, (2, 3, 4), 30, all_others=True)
    assert starting_point_sentence(aligned, attr, info=bm_info) == (
        "**Starting point:** the average of the 30 training recordings of the other activities, step by step "
        "(they all have this recording's 100 steps). The network's answer for the starting point is running "
        "(50%); it gives standing 17%."
    )
    channel_means = StartingPoint("others", np.zeros((6, 80)), False, (4,), 10, all_others=False)
    assert starting_point_sentence(channel_means, attr, info=bm_info).startswith(
        "**Starting point:** each channel's average over every step of the 10 training recordings of badminton, "
        "the same at every step (not all of them have this recording's 80 steps, so they cannot be averaged step "
        "by step); the average of all the other activities is not used, because the network takes it for "
        "standing. The network's answer"
    )
    zero = StartingPoint("zero", np.zeros((6, 100)), False)
    assert "a recording of zeros: every channel is 0 at every step" in starting_point_sentence(zero, attr, info=bm_info)
    mean = StartingPoint("mean", np.zeros((6, 100)), False)
    assert "an average recording: every channel at its training average" in starting_point_sentence(
        mean, attr, info=bm_info
    )
    own = constructed(np.ones((6, 4)), target=2, baseline_logits=logits, score_baseline=np.log(3.0))
    assert starting_point_sentence(zero, own, info=bm_info).endswith(
        "The network's answer for the starting point is running (50%)."
    )


def test_the_other_class_of_two_is_named(toy_info):
    attr = constructed(np.ones((3, 2)), target=1, baseline_logits=np.log([1.0, 3.0]), score_baseline=0.0)
    others = StartingPoint("others", np.zeros((3, 60)), True, (2,), 26, all_others=True)
    assert starting_point_sentence(others, attr, info=toy_info).startswith(
        f"**Starting point:** the average of the 26 training recordings of {toy_info.class_names[1]}, step by step"
    )


def test_little_to_explain_sentence_says_whether_the_starting_point_already_gets_the_answer(bm_info):
    values = np.full((6, 100), 0.0001)  # the shares add up to 0.01
    already = constructed(values, target=1, score_input=4.83, score_baseline=4.82, baseline_logits=[0, -3, -3, -3])
    assert little_to_explain_sentence(already, info=bm_info) == (
        "The starting point already gets standing (>99%), so there is little to "
        "explain from it: the network's score for standing is 4.82 there and 4.83 on this recording, a "
        "difference of only 0.01. The shares add up to that difference, so every share is close to zero and no "
        "cell stands out as evidence. Choose another starting point under *Compared with*."
    )
    other = constructed(values, target=1, score_input=0.5, score_baseline=0.2, baseline_logits=[0, 3, 0, 0])
    assert little_to_explain_sentence(other, info=bm_info).startswith(
        "There is little to explain from this starting point: the network's score for standing is 0.20 there "
        "and 0.50 on this recording, a difference of only 0.30."
    )


def check_of(before, top, random, cells=10):
    return DeletionCheck(cells, np.zeros((cells, 2), int), before, top, np.asarray(random, dtype=float))


def test_deletion_sentence_shows_both_numbers_and_a_verdict_that_follows_from_them(bm_info):
    points = deletion_sentence(check_of(0.991, 0.009, [0.99] * 10), 100, target=1, info=bm_info)
    assert points == (
        "**Does the map point at what matters?** Replacing the 10 cells the map marks strongest (10% of the map) "
        "with the starting point's values takes the probability of standing from 99% to 1%; replacing 10 "
        "cells picked at random takes it to 99% on average (10 tries). **This map points at what matters:** "
        "taking its strongest cells away lowers it by 98 points, far more than taking random cells away, which "
        "leaves it as it is."
    )  # 99% to 1% is 98 points, as a reader works it out (the unrounded change is 98.2)
    partly = deletion_sentence(check_of(0.99, 0.60, [0.80, 0.78]), 100, target=1, info=bm_info)
    assert partly.endswith(
        "**This map points at what matters only in part:** taking its strongest cells away lowers it by 39 "
        "points, more than taking random cells away, which lowers it by 20 points, but not clearly (that takes 10 "
        "points more, and twice as much)."
    )
    chance = deletion_sentence(check_of(0.99, 0.95, [0.90, 0.90]), 100, target=1, info=bm_info)
    assert chance.endswith(
        "**This map is no better than chance here:** taking its strongest cells away lowers it by 4 points, less "
        "than 5 points more than taking random cells away, which lowers it by 9 points."
    )
    rises = deletion_sentence(check_of(0.50, 0.52, [0.30, 0.30]), 100, target=1, info=bm_info)
    assert "away raises it by 2 points" in rises
    unclear = deletion_sentence(check_of(0.999, 0.98, [0.999] * 3, cells=4), 40, target=1, info=bm_info)
    assert "Replacing the 4 cells the map marks strongest (10% of the map)" in unclear
    assert unclear.endswith(
        "**This check cannot tell here:** neither change moves the probability by 5 points or more."
    )
    walk = deletion_sentence(check_of(0.9804, 0.0144, [0.98] * 10), 100, target=1, info=bm_info)
    assert "from 98% to 1%" in walk and "lowers it by 97 points" in walk  # the walk-through's BasicMotions view
    one = deletion_sentence(check_of(0.9, 0.1, [0.9], cells=1), 100, target=1, info=bm_info)
    assert "Replacing the 1 cell the map marks strongest (1% of the map)" in one
    nothing = deletion_sentence(check_of(0.9, 0.9, [0.9], cells=0), 100, target=2, info=bm_info)
    assert nothing == (
        "**Does the map point at what matters?** No cell pushed towards running, so there are no strongest cells "
        "to take away."
    )


def test_completeness_sentence_agrees_or_says_approximate_and_why(bm_info):
    exact = constructed(np.full((6, 10), 5.85 / 60), target=1, score_input=4.83, score_baseline=-1.02)
    assert completeness_sentence(exact, info=bm_info) == (
        "**A check you can do by hand.** All the shares add up to **5.85**. The network's score for standing is "
        "4.83 on this recording and −1.02 at the starting point; the difference is **5.85**. They agree, so the "
        "difference was shared out completely."
    )
    # the difference of the scores as shown, as a reader works it out: 7.92 - (-0.31) = 8.23 (the unrounded 8.238
    # would show as 8.24); the shares' sum, 8.238, shows as 8.24
    shown = constructed(np.full((6, 10), 8.238 / 60), target=1, score_input=7.924, score_baseline=-0.314)
    assert completeness_sentence(shown, info=bm_info) == (
        "**A check you can do by hand.** All the shares add up to **8.24**. The network's score for standing is "
        "7.92 on this recording and −0.31 at the starting point; the difference is **8.23**. They differ by only "
        "0.01, within 1% of the difference, so the difference was shared out completely (up to rounding and the "
        "page's calculation)."
    )
    close = constructed(np.full((6, 10), 5.31 / 60), target=1, score_input=4.82, score_baseline=-0.47)  # BasicMotions
    assert completeness_sentence(close, info=bm_info).endswith(
        "the difference is **5.29**. They differ by only 0.02, within 1% of the difference, so the difference was "
        "shared out completely (up to rounding and the page's calculation)."
    )
    missed = constructed(np.full((6, 10), 0.27 / 60), target=1, score_input=4.83, score_baseline=-1.02)
    assert completeness_sentence(missed, info=bm_info).endswith(
        "the difference is **5.85**. They differ by 5.58 (95% of the difference), more than 1%, so **treat the "
        "colours as approximate**: the network's score moves so unevenly on the way from the starting point to "
        "this recording that the page's calculation cannot follow it exactly."
    )
    jump = constructed(np.full((6, 10), 0.27 / 60), target=1, score_input=4.83, score_baseline=-1.02, switches_left=1)
    assert completeness_sentence(jump, info=bm_info).endswith(
        "**treat the colours as approximate**: on the way from the starting point to this recording the network's "
        "score jumps suddenly, and that jump was not shared out among the cells (it is too sudden to follow, or "
        "too costly to follow on a recording this long)."
    )
    small = constructed(np.full((6, 10), 0.1 / 60), target=1, score_input=0.5, score_baseline=0.0)
    assert "They differ by 0.40, more than 1%, so" in completeness_sentence(small, info=bm_info)


def test_randomisation_sentence_of_each_level():
    opening = (
        "**Does the map depend on what the network learned?** The map below is the same calculation for a copy of "
        "the network whose learned numbers (its *weights*) were shuffled into random places: a network that "
        "learned nothing."
    )
    high = randomisation_sentence(RandomisationCheck(np.zeros((1, 2)), 0.934))
    assert high == (
        f"{opening} How alike the two maps are, from -1 (opposite) through 0 (unrelated) to 1 (the same cells "
        "strongest, in the same order), is **0.93** (the rank correlation of the shares' sizes). They are much "
        "alike (0.5 or more), so this map shows little of what this network learned: it may come from the "
        "recording and the method alone."
    )
    some = randomisation_sentence(RandomisationCheck(np.zeros((1, 2)), 0.31))
    assert "is **0.31**" in some and "They are somewhat alike (0.2 to 0.5)" in some
    low = randomisation_sentence(RandomisationCheck(np.zeros((1, 2)), -0.07))
    assert "is **-0.07**" in low and low.endswith(
        "They are not alike (below 0.2): this map depends on what the network learned, as it should."
    )
    none = randomisation_sentence(RandomisationCheck(np.zeros((1, 2)), float("nan")))
    assert none == f"{opening} The two maps cannot be compared: one of them is the same in every cell."


def test_notes_on_steps_and_columns():
    assert steps_note(1) == ""
    assert steps_note(8).startswith("Each step here is 8 steps of the recording (their average)")
    assert columns_note(300) == ""
    assert (
        columns_note(1460)
        == "Each column of the map adds up the shares of 5 neighbouring steps, so that all 1460 steps fit."
    )


JV = core.dataset_info()


def explanation_of(attr, deletion):
    """An Explanation of ``attr`` with the deletion check ``deletion`` (its other parts are not read)."""
    return Explanation(start=None, attribution=attr, deletion=deletion, randomisation=None)


def test_the_headline_names_evidence_only_as_far_as_the_checks_support_it():
    complete = constructed(example_values(), score_baseline=-1.0, score_input=float(example_values().sum()) - 1.0)
    assert not complete.approximate and not little_to_explain(complete)
    names = {"class_names": JV.class_names, "channel_names": JV.channel_names}
    evidence = evidence_sentence(complete, **names)
    assert evidence_headline(explanation_of(complete, check_of(0.9, 0.1, [0.85]))) == ("supported", evidence)

    level, text = evidence_headline(explanation_of(complete, check_of(0.99, 0.60, [0.80, 0.78])))
    assert level == "rough" and text == (
        "**As a rough guide** (the checks below support this map only in part): the strongest evidence for "
        "speaker 3 is coefficient 2 around steps 4–6; coefficient 7 at step 12 pointed away from it."
    )
    approximate = constructed(example_values(), score_input=5.0, score_baseline=0.0)  # the shares add up to 2.2
    assert approximate.approximate
    level, text = evidence_headline(explanation_of(approximate, check_of(0.9, 0.1, [0.85])))
    assert level == "rough" and text.startswith("**As a rough guide** (its colours are approximate): the strongest")

    for check, reason in (
        (check_of(0.99, 0.95, [0.90, 0.90]), "no more than taking away random cells"),
        (check_of(0.999, 0.98, [0.999] * 3), "by less than 5 points, as does taking away random cells"),
    ):
        level, text = evidence_headline(explanation_of(complete, check))
        assert level == "unsupported" and reason in text and "strongest evidence" not in text
    level, text = evidence_headline(explanation_of(complete, check_of(0.9, 0.9, [0.9], cells=0)))
    assert (level, text) == ("unsupported", "No evidence is named here: no cell of this map pushed towards speaker 3.")

    little = constructed(np.full((2, 3), 0.01), score_input=4.83, score_baseline=4.77)
    assert evidence_headline(explanation_of(little, check_of(0.9, 0.1, [0.85]))) == (
        "little",
        little_to_explain_sentence(little),
    )


def test_the_evidence_of_a_network_that_learned_little_is_said_to_be_about_its_guess():
    complete = constructed(example_values(), score_baseline=-1.0, score_input=float(example_values().sum()) - 1.0)
    evidence = evidence_sentence(complete, class_names=JV.class_names, channel_names=JV.channel_names)
    level, text = evidence_headline(explanation_of(complete, check_of(0.9, 0.1, [0.85])), learned_little=True)
    assert level == "guess" and text == (
        f"{evidence} This is what drives this network's guess on this recording; the network has learned little, so "
        "it says nothing about speaker 3 recordings in general."
    )
    level, text = evidence_headline(explanation_of(complete, check_of(0.99, 0.60, [0.80, 0.78])), learned_little=True)
    assert level == "guess" and text.startswith("**As a rough guide** (the checks below support this map only in part)")
    chance = evidence_headline(explanation_of(complete, check_of(0.99, 0.95, [0.90, 0.90])), learned_little=True)
    assert chance[0] == "unsupported"  # no evidence named, whatever the network learned
