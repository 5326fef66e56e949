"""What the network did with one sequence, in two or three plain sentences."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..compute.data import DatasetInfo
from ..compute.evaluate import settling_step
from ..compute.stepper import Trace
from .describe import class_name
from .frames import words
from .numbers import percent

__all__ = [
    "CONFIDENCE_WORDS",
    "SURE",
    "SummaryFacts",
    "summary_facts",
    "confidence_words",
    "decision_words",
    "observation_summary",
    "final_answer_words",
]

# (lowest probability, words), highest band first.
CONFIDENCE_WORDS = ((0.9, "very sure"), (0.7, "fairly sure"), (0.5, "unsure"), (0.0, "very unsure"))
SURE = 0.9  # the probability from which the network is "very sure"


@dataclass(frozen=True)
class SummaryFacts:
    """The numbers behind the summary, for metrics in the app.

    Attributes
    ----------
    predicted : int
        Class (1-based) predicted after the last step.
    confidence : float
        Probability of ``predicted`` after the last step, 0 to 1.
    settling_step : int
        First step (1-based) from which the prediction no longer changes.
    settled_confidence : float
        Probability of ``predicted`` at ``settling_step``.
    sure_step : int or None
        First step (1-based) from which the probability of ``predicted`` stays at :data:`SURE` or above to the
        end; None if it ends below.
    n_steps : int
        Length T of the sequence.
    label : int or None
        The true class, ``None`` when unknown (an uploaded sequence).
    correct : bool or None
        Whether ``predicted == label``; ``None`` when the label is unknown.
    """

    predicted: int
    confidence: float
    settling_step: int
    settled_confidence: float
    sure_step: int | None
    n_steps: int
    label: int | None
    correct: bool | None


def confidence_words(probability: float) -> str:
    """'very sure' (>= 90 %), 'fairly sure' (>= 70 %), 'unsure' (>= 50 %) or 'very unsure'."""
    if not 0.0 <= probability <= 1.0:
        raise ValueError(f"probability must be between 0 and 1, got {probability!r}")
    return next(words for lowest, words in CONFIDENCE_WORDS if probability >= lowest)


def summary_facts(trace: Trace, label: int | None = None) -> SummaryFacts:
    """Prediction, confidence and settling step of one trace.

    Parameters
    ----------
    trace : Trace
        Uses ``probs`` of shape (T, C).
    label : int, optional
        The true class, 1 to C.

    Returns
    -------
    SummaryFacts
    """
    probs = np.asarray(trace.probs)  # (T, C)
    if probs.ndim != 2 or probs.shape[0] == 0:
        raise ValueError(f"trace.probs must have shape (T, C) with T >= 1, got {probs.shape}")
    n_classes = probs.shape[1]
    if label is not None and (
        isinstance(label, bool) or not isinstance(label, (int, np.integer)) or not 1 <= label <= n_classes
    ):
        raise ValueError(f"label must be a class from 1 to {n_classes} or None, got {label!r}")
    predictions = trace.predictions  # (T,)
    predicted = int(predictions[-1])
    answer = probs[:, predicted - 1]  # (T,)
    settled = settling_step(predictions)
    below = np.flatnonzero(answer < SURE)
    sure = None if answer[-1] < SURE else (int(below[-1]) + 2 if below.size else 1)
    return SummaryFacts(
        predicted=predicted,
        confidence=float(answer[-1]),
        settling_step=settled,
        settled_confidence=float(answer[settled - 1]),
        sure_step=sure,
        n_steps=len(predictions),
        label=None if label is None else int(label),
        correct=None if label is None else predicted == int(label),
    )


def decision_words(facts: SummaryFacts) -> str:
    """When the answer forms, in a sentence that matches the trajectory chart: "The answer stops changing at
    step 3 of 19 (40% sure then) and is at least 90% sure from step 8 on."."""
    settles = (
        f"The answer is the same from the first step of {facts.n_steps}"
        if facts.settling_step == 1
        else f"The answer stops changing at step {facts.settling_step} of {facts.n_steps}"
    )
    settles += f" ({percent(facts.settled_confidence)} sure then)"
    if facts.sure_step is None:
        return f"{settles} and never becomes {percent(SURE)} sure."
    if facts.sure_step == facts.settling_step:
        return f"{settles} and stays at least {percent(SURE)} sure from there on."
    return f"{settles} and is at least {percent(SURE)} sure from step {facts.sure_step} on."


def observation_summary(trace: Trace, label: int | None = None, *, info: DatasetInfo | None = None) -> str:
    """Two or three sentences: which class it is, what the network says, how sure, and when it decided.

    Parameters
    ----------
    trace : Trace
        Uses ``probs`` of shape (T, C).
    label : int, optional
        The true class (1-based); ``None`` for a sequence whose class is unknown.
    info : DatasetInfo, optional
        The data set, with C classes: its class word and class names. Japanese Vowels by default.

    Returns
    -------
    str
        Starts with "⚠ The network is wrong here: ..." when the prediction is wrong. Probabilities are written by
        :func:`core.presentation.numbers.percent`, as everywhere.
    """
    info = words(info)
    class_word, class_names = info.class_word, info.class_names
    if np.shape(trace.probs)[-1] != info.n_classes:
        raise ValueError(f"{info.title} has {info.n_classes} classes, but trace.probs has {np.shape(trace.probs)[-1]}")
    facts = summary_facts(trace, label)
    sureness = f"{confidence_words(facts.confidence)} ({percent(facts.confidence)})"
    when = decision_words(facts)
    said = class_name(facts.predicted, class_word, class_names)
    if facts.label is None:
        return f"The network says {said}, {sureness}; the true {class_word} is not known. {when}"
    truth = class_name(facts.label, class_word, class_names)
    if facts.correct:
        return f"This is {truth}, and the network says {said}, {sureness}. {when}"
    return f"⚠ The network is wrong here: it says {said}, but this is {truth}. It is {sureness}. {when}"


def final_answer_words(probs, truth: int, *, info: DatasetInfo | None = None) -> str:
    """What the network said of one recording of class ``truth`` after its last step, and how sure, in words.

    Parameters
    ----------
    probs : array-like of shape (C,)
        The final probabilities.
    truth : int
        The true class, 1-based.
    info : DatasetInfo, optional
        Names the classes; Japanese Vowels by default.

    Returns
    -------
    str
        Markdown: "really speaker 3, but the network said **speaker 5** (62% sure); it gave speaker 3 a chance of
        only 20%." for a mistake; "**speaker 3**, named right but only 51% sure; speaker 5 came next with 30%."
        otherwise.
    """
    info = words(info)
    probs = np.asarray(probs, dtype=float)
    if probs.shape != (info.n_classes,):
        raise ValueError(f"probs must have shape ({info.n_classes},), got {probs.shape}")
    said = int(probs.argmax()) + 1

    def name(k: int) -> str:
        return class_name(k, info.class_word, info.class_names)

    if said != truth:
        return (
            f"really {name(truth)}, but the network said **{name(said)}** ({percent(probs[said - 1])} sure); it gave "
            f"{name(truth)} a chance of only {percent(probs[truth - 1])}."
        )
    runner_up = int(probs.argsort()[-2]) + 1
    return (
        f"**{name(truth)}**, named right but only {percent(probs[truth - 1])} sure; {name(runner_up)} came next with "
        f"{percent(probs[runner_up - 1])}."
    )
