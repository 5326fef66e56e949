"""The training recipe in plain words: what it will do with a data set, and what it kept."""

from __future__ import annotations

import math

from ..compute.checks import counted
from ..compute.training import PLAIN, REGULARISED, TrainingPlan
from .numbers import accuracy_percent

__all__ = [
    "plan_sentences",
    "kept_sentence",
    "kept_epoch_text",
    "kept_epoch_help",
    "kept_before_last",
    "curve_caption",
]

_CANDIDATE_WORDS = {
    PLAIN: "as it is",
    REGULARISED: "with a little noise added to the recordings and a pull towards small weights",
}


def plan_sentences(plan: TrainingPlan, n_train: int) -> str:
    """What training with ``plan`` does to a training split of ``n_train`` recordings, in plain words.

    Returns
    -------
    str
        e.g. "54 of the 270 training recordings are held out (…); it learns from the other 216, in batches of 27,
        for 750 epochs. It is trained twice from the same start, once as it is and once with a little noise …, and
        the one that names more held-out recordings right is chosen. Then the chosen one is trained again …"
    """
    if plan.validation:
        chooses = "how it is trained" if plan.final_epochs else "which epoch's network is kept"
        held = (
            f"{plan.validation} of the {n_train} training recordings are held out (the network does not learn from "
            f"them; they choose {chooses}); it learns from the other {plan.fitting}"
        )
    else:
        held = (
            f"No class has the three or more recordings it takes to hold one out, so the network learns from all "
            f"{n_train} training recordings and keeps its last epoch"
        )
    said = [f"{held}, in batches of {plan.batch_size}, for {counted(plan.epochs, 'epoch')}."]
    if plan.epochs_capped:
        said.append("That is fewer epochs than asked for, to keep the training near a minute.")
    if len(plan.candidates) > 1:
        said.append(
            f"It is trained twice from the same start, once {_CANDIDATE_WORDS[PLAIN]} and once "
            f"{_CANDIDATE_WORDS[REGULARISED]} (both keep a network from learning its training recordings by "
            "heart), and the one that names more held-out recordings right is "
            f"{'chosen' if plan.final_epochs else 'kept'}."
        )
    if plan.final_epochs:
        said.append(
            f"Then the {'chosen one' if len(plan.candidates) > 1 else 'network'} is trained again from the same start "
            f"on all {n_train} training recordings, the held-out ones too, in batches of {plan.final_batch_size}, for "
            f"{counted(plan.final_epochs, 'epoch')}, and kept after its last epoch."
        )
    if plan.step_block > 1:
        said.append(
            f"The recordings are long, so the network reads each {plan.step_block} recorded steps as one (their "
            f"average): {plan.steps} steps at most."
        )
    return " ".join(said)


def kept_sentence(summary: dict) -> str:
    """Which weights a training kept, from :meth:`core.compute.training.TrainingResult.summary`.

    Returns
    -------
    str
        e.g. "Kept: the network trained with a little noise … after epoch 605 of 750, when it named 100.0 % of
        the held-out training recordings right."
    """
    plan = summary["plan"]
    if not plan["validation"]:
        return f"Kept: the network after its last epoch ({plan['epochs']})."
    how = f" trained {_CANDIDATE_WORDS[summary['kept']]}" if len(plan["candidates"]) > 1 else ""
    flatters = (
        f" That share is the best of many checks on only {counted(plan['validation'], 'recording')}, so it flatters "
        "the network: its test accuracy is the fair measure."
    )
    if plan["final_epochs"]:
        fewer = (
            ": fewer, longer epochs, since every training recording is in them"
            if plan["final_epochs"] < plan["epochs"]
            else ""
        )
        return (
            f"Chosen on the held-out training recordings: the try{how}, which named "
            f"{accuracy_percent(summary['validation_accuracy'])} of them right after epoch {summary['chosen_epoch']:,} "
            f"of {plan['epochs']:,}.{flatters} Kept: the same recipe trained again on all "
            f"{plan['fitting'] + plan['validation']} training recordings, after its last epoch "
            f"({plan['final_epochs']:,}{fewer})."
        )
    return (
        f"Kept: the network{how} after epoch {summary['kept_epoch']} of {plan['epochs']}, when it named "
        f"{accuracy_percent(summary['validation_accuracy'])} of the held-out training recordings right.{flatters}"
    )


def kept_epoch_text(summary: dict) -> str:
    """The epoch whose network was kept: of how many, e.g. "236 of 750"; the last of a final training alone,
    "1,200" (:func:`kept_epoch_help` says it is the last)."""
    if summary["plan"]["final_epochs"]:
        return f"{summary['kept_epoch']:,}"
    return f"{summary['kept_epoch']:,} of {summary['plan']['epochs']:,}"


def kept_epoch_help(summary: dict) -> str:
    """Why the network of :func:`kept_epoch_text` was kept, in one sentence."""
    plan = summary["plan"]
    if plan["final_epochs"]:
        return (
            "The last epoch of the final training, on all training recordings; before it, the held-out ones chose "
            "how to train."
        )
    if plan["validation"]:
        return "The held-out training recordings chose which epoch's network to keep."
    return "Without held-out training recordings, the last epoch's network is kept."


def kept_before_last(history: list[dict], kept_epoch: int | None) -> bool:
    """Whether a training of ``history`` (one dict per reported epoch) kept an epoch before its last one, which
    the training curve then marks (None: the last was kept)."""
    return kept_epoch is not None and bool(history) and kept_epoch != max(row["epoch"] for row in history)


def curve_caption(history: list[dict], kept_epoch: int | None = None) -> str:
    """What the training curve of ``history`` (one dict per reported epoch) shows, naming the held-out accuracy
    only when the training held recordings out, and the dashed line at ``kept_epoch`` when the chart draws one
    (:func:`kept_before_last`)."""
    held_out = any(not math.isnan(row.get("validation_accuracy", math.nan)) for row in history)
    said = (
        "How it learnt, epoch by epoch (one epoch is one pass over the training recordings it learns from). Top: "
        "the loss, a measure of how wrong the network still is on those recordings (lower is better). Bottom: the "
        "share of recordings it names right: on the training recordings it learns from"
    )
    if held_out:
        said += ", on the training recordings held out to choose which epoch's network to keep"
    said += ", and on the test recordings it never learns from."
    if any(row.get("final") for row in history):
        said += (
            " This is the final training, on every training recording (the held-out ones too), after the tries on "
            "the others chose how to train."
        )
    if kept_before_last(history, kept_epoch):
        said += (
            f" The dashed line marks epoch {kept_epoch:,}, whose network was kept: the one that named the most "
            "held-out training recordings right."
        )
    return said
