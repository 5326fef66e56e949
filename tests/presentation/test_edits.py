"""Plain words of What if?: one line per edit kind, each edit in a sentence, a sweep's outcome."""

import dataclasses

import numpy as np
import pytest

import core
from core.analyses import whatif as w
from core.analyses.flip import smallest_flip
from core.presentation.charts.common import AXIS_CHAR_PX, NARROWEST_PLOT_PX
from core.presentation.edits import EDIT_HELP, SWEEP_TITLES, describe_edit, flip_sentences, sweep_sentence


def test_every_kind_has_one_line_of_help_and_every_sweep_kind_a_title():
    assert list(EDIT_HELP) == list(w.KINDS) and set(SWEEP_TITLES) == set(w.SWEEP_KINDS)
    assert all(line.endswith(".") and line.count(". ") == 0 for line in EDIT_HELP.values())
    # a sweep's title is its chart's axis title: no wider than the plot on a phone, where a longer one is cut
    assert max(len(title) for title in SWEEP_TITLES.values()) * AXIS_CHAR_PX <= NARROWEST_PLOT_PX


@pytest.mark.parametrize(
    "edit, words",
    [
        (w.cut_start(3), "Cut the first 3 steps"),
        (w.cut_end(1), "Cut the last 1 step"),
        (w.keep(2, 9), "Keep only steps 2 to 9"),
        (w.speed(1.5), "Play it faster (× 1.5)"),
        (w.speed(0.5), "Play it slower (× 0.5)"),
        (w.scale(2, 0.5), "Make feature 2 quieter (× 0.5)"),
        (w.scale(2, 3), "Make feature 2 louder (× 3)"),
        (w.scale(4, 0), "Silence feature 4 (× 0)"),
        (w.flat(12), "Make feature 12 flat"),
        (w.noise(0.25, 7), "Add noise of strength 0.25 (seed 7)"),
        (w.splice(17, 3, 8), "Replace steps 3 to 8 with those of recording 17"),
        (w.splice(17, 3, 8, from_training=True), "Replace steps 3 to 8 with those of training recording 17"),
    ],
)
def test_describe_edit(edit, words):
    assert describe_edit(edit) == words


def test_describe_edit_with_channel_names_and_bad_calls():
    assert describe_edit(w.flat(2), channel_names=["x", "y"]) == "Make y flat"
    with pytest.raises(ValueError, match="channel 3 has no name: channel_names has 2"):
        describe_edit(w.flat(3), channel_names=["x", "y"])
    with pytest.raises(ValueError, match="edit must be an Edit"):
        describe_edit("cut_start:3")


def test_sweep_sentence():
    flipped = w.Sweep("noise", np.array([0.0, 0.5, 1.0]), np.zeros((3, 3)), 2, np.zeros(3), np.array([2, 3, 2]))
    assert sweep_sentence(flipped) == (
        "The answer changes from speaker 2 to speaker 3 at noise strength 0.5 (of 0 to 1); it changes 2 times in all."
    )
    steady = w.Sweep("cut_end", np.array([0.0, 4.0]), np.zeros((2, 3)), 1, np.zeros(2), np.array([1, 1]))
    assert sweep_sentence(steady, class_word="activity", class_names=["run", "walk", "sit"]) == (
        "The answer stays run over the whole range (steps cut from the end from 0 to 4)."
    )
    with pytest.raises(TypeError, match="result must be a Sweep"):
        sweep_sentence(None)


@pytest.fixture(scope="module")
def found_flip(model, dataset):
    """The smallest flip of Japanese Vowels' test recording 1 to speaker 2 (found: a stretch of several steps)."""
    flip = smallest_flip(model, dataset.test.sequences[0], 2, dataset.train)
    assert flip.found and flip.last > flip.first and flip.parting is not None
    return flip


def test_the_flip_of_one_step_is_said_in_the_singular(found_flip):
    one = dataclasses.replace(found_flip, edit=dataclasses.replace(found_flip.edit, last=found_flip.edit.first))
    found = flip_sentences(one, info=core.dataset_info())[1]
    assert found.startswith(f"Copying its step {one.first} (one of this recording's steps) into this recording")
    several = flip_sentences(found_flip, info=core.dataset_info())[1]
    length = found_flip.last - found_flip.first + 1
    assert f"steps {found_flip.first}–{found_flip.last} ({length} of this recording's steps)" in several


@pytest.mark.parametrize(("answer_step", "parting_step"), [(5, 9), (9, 5)])
def test_the_answer_and_the_parting_are_said_in_any_order(found_flip, answer_step, parting_step):
    flip = dataclasses.replace(
        found_flip, answer_step=answer_step, parting=dataclasses.replace(found_flip.parting, step=parting_step)
    )
    assert flip_sentences(flip, info=core.dataset_info())[-1] == (
        f"Inside the network: from step {answer_step} on, the edited recording's answer is speaker 2; from step "
        f"{parting_step} on, its memory (hidden state) stays apart from the original's."
    )
