"""The training recipe in plain words: the plan before training, what was kept after, the curve's caption."""

import math

import pytest

import core
from core.compute.training import TrainConfig, TrainingPlan, plan_training
from core.presentation.training import curve_caption, kept_epoch_help, kept_epoch_text, kept_sentence, plan_sentences


def test_the_plan_for_japanese_vowels_says_what_is_held_out_and_how_long_it_trains(dataset):
    said = plan_sentences(plan_training(TrainConfig(), dataset.train), len(dataset.train))
    assert said.startswith(
        "54 of the 270 training recordings are held out (the network does not learn from them; they choose how it "
        "is trained); it learns from the other 216, in batches of 27, for 750 epochs."
    )
    assert "It is trained twice from the same start, once as it is and once with a little noise" in said
    assert (
        "the one that names more held-out recordings right is chosen. Then the chosen one is trained again from "
        in said
    )
    assert said.endswith(
        "on all 270 training recordings, the held-out ones too, in batches of 34, for 750 epochs, and kept after its "
        "last epoch."
    )  # round(270 / 8) = 34; 6000 updates in batches of 34 take 750 epochs
    without = plan_sentences(plan_training(TrainConfig(refit=False), dataset.train), len(dataset.train))
    assert "they choose which epoch's network is kept" in without and "trained again" not in without
    assert "fewer epochs than asked" not in said and "steps as one" not in said  # 29 steps at most: no shortening


def test_a_long_capped_plan_says_both_and_a_plan_without_held_out_recordings_says_why():
    long = TrainingPlan(
        step_block=25,
        steps=59,
        fitting=320,
        validation=80,
        batch_size=40,
        epochs=423,
        candidates=("plain", "regularised"),
        epochs_capped=True,
    )
    said = plan_sentences(long, 400)
    assert "That is fewer epochs than asked for, to keep the training near a minute." in said
    assert said.endswith("the network reads each 25 recorded steps as one (their average): 59 steps at most.")
    tiny = TrainingPlan(
        step_block=1,
        steps=9,
        fitting=4,
        validation=0,
        batch_size=8,
        epochs=1500,
        candidates=("regularised",),
        epochs_capped=False,
    )
    said = plan_sentences(tiny, 4)
    assert said == (
        "No class has the three or more recordings it takes to hold one out, so the network learns from all 4 "
        "training recordings and keeps its last epoch, in batches of 8, for 1,500 epochs."
    )


def test_what_was_kept_is_said_with_the_held_out_accuracy_as_every_box_rounds_it():
    plan = {"validation": 54, "fitting": 216, "epochs": 750, "candidates": ["plain", "regularised"], "final_epochs": 0}
    summary = {
        "plan": plan,
        "kept": "regularised",
        "kept_epoch": 605,
        "chosen_epoch": 605,
        "validation_accuracy": 53 / 54,
    }
    assert kept_sentence(summary) == (
        "Kept: the network trained with a little noise added to the recordings and a pull towards small weights "
        "after epoch 605 of 750, when it named 98.1% of the held-out training recordings right. That share is the "
        "best of many checks on only 54 recordings, so it flatters the network: its test accuracy is the fair measure."
    )
    assert kept_epoch_text({**summary, "plan": {**plan, "epochs": 1500}}) == "605 of 1,500"
    plain = {**summary, "kept": "plain"}
    assert "trained as it is after epoch 605" in kept_sentence(plain)
    last = {
        "plan": {"validation": 0, "epochs": 100, "candidates": ["regularised"], "final_epochs": 0},
        "kept_epoch": 100,
    }
    assert kept_sentence(last) == "Kept: the network after its last epoch (100)."
    assert kept_epoch_help(last) == "Without held-out training recordings, the last epoch's network is kept."
    assert kept_epoch_help(summary) == "The held-out training recordings chose which epoch's network to keep."


def test_a_final_training_is_said_to_follow_the_held_out_choice():
    plan = {
        "validation": 54,
        "fitting": 216,
        "epochs": 750,
        "candidates": ["plain", "regularised"],
        "final_epochs": 1200,
    }
    summary = {"plan": plan, "kept": "plain", "kept_epoch": 1200, "chosen_epoch": 236, "validation_accuracy": 0.5}
    assert kept_sentence(summary) == (
        "Chosen on the held-out training recordings: the try trained as it is, which named 50.0% of them right after "
        "epoch 236 of 750. That share is the best of many checks on only 54 recordings, so it flatters the network: "
        "its test accuracy is the fair measure. Kept: the same recipe trained again on all 270 training "
        "recordings, after its last epoch (1,200)."
    )
    fewer = {**summary, "plan": {**plan, "final_epochs": 667}, "kept_epoch": 667}
    assert kept_sentence(fewer).endswith(
        "after its last epoch (667: fewer, longer epochs, since every training recording is in them)."
    )
    assert kept_epoch_text(summary) == "1,200"  # a quarter-width box holds it; the help says it is the last
    assert kept_epoch_help(summary).startswith("The last epoch of the final training, on all training recordings")
    history = [{"epoch": 1, "loss": 1.0, "train_accuracy": 0.5, "validation_accuracy": math.nan, "final": True}]
    assert curve_caption(history, 1).endswith(
        "This is the final training, on every training recording (the "
        "held-out ones too), after the tries on the others chose how to train."
    )
    assert "final training" not in curve_caption([{**history[0], "final": False}])


@pytest.mark.parametrize("held_out, named", [(0.5, True), (math.nan, False)])
def test_the_curve_caption_names_the_held_out_line_only_when_it_is_drawn(held_out, named):
    history = [{"epoch": 1, "loss": 1.0, "train_accuracy": 0.5, "validation_accuracy": held_out, "test_accuracy": 0.4}]
    assert ("held out to choose which epoch" in curve_caption(history)) is named
    shipped = core.load_checkpoint(core.checkpoint_path())[1]["history"]  # MATLAB's recipe: no held-out part
    assert "held out" not in curve_caption(shipped) and curve_caption(shipped).endswith("never learns from.")


def test_the_curve_caption_names_the_dashed_line_only_when_the_chart_draws_it():
    """The chart draws the kept epoch when it is not the last (``training_curve_chart``); the caption follows."""
    history = [
        {"epoch": e, "loss": 1.0 / e, "train_accuracy": 0.5, "validation_accuracy": 0.5, "test_accuracy": 0.4}
        for e in (1, 400, 1500)
    ]
    assert curve_caption(history, 400).endswith(
        " The dashed line marks epoch 400, whose network was kept: the one that named the most held-out training "
        "recordings right."
    )
    assert "dashed" not in curve_caption(history, 1500) and "dashed" not in curve_caption(history)
