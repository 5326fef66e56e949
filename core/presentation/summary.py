"""What the network did with one sequence, in two or three plain sentences."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..compute.data import DatasetInfo
from ..compute.evaluate import settling_step
from ..compute.stepper import Trace
from .describe import class_name
from .frames import words

__all__ = ["CONFIDENCE_WORDS", "SummaryFacts", "summary_facts", "confidence_words", "observation_summary"]

# (lowest probability, words), highest band first.
CONFIDENCE_WORDS = ((0.9, "very sure"), (0.7, "fairly sure"), (0.5, "unsure"), (0.0, "very unsure"))


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
    return SummaryFacts(
        predicted=predicted,
        confidence=float(probs[-1, predicted - 1]),
        settling_step=settling_step(predictions),
        n_steps=len(predictions),
        label=None if label is None else int(label),
        correct=None if label is None else predicted == int(label),
    )


def observation_summary(trace: Trace, label: int | None = None, *, info: DatasetInfo | None = None) -> str:
    """Two or three sentences: which class it is, what the network says, how sure, and since when.

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
        Starts with "⚠ The network is wrong here: ..." when the prediction is wrong.
    """
    info = words(info)
    class_word, class_names = info.class_word, info.class_names
    if np.shape(trace.probs)[-1] != info.n_classes:
        raise ValueError(f"{info.title} has {info.n_classes} classes, but trace.probs has {np.shape(trace.probs)[-1]}")
    facts = summary_facts(trace, label)
    sureness = f"{confidence_words(facts.confidence)} at {facts.confidence:.1%}"
    settles = f"The prediction no longer changes from step {facts.settling_step} of {facts.n_steps} on."
    said = class_name(facts.predicted, class_word, class_names)
    if facts.label is None:
        return f"The network says {said}, {sureness}; the true {class_word} is not known. {settles}"
    truth = class_name(facts.label, class_word, class_names)
    if facts.correct:
        return f"This is {truth}, and the network says {said}, {sureness}. {settles}"
    return f"⚠ The network is wrong here: it says {said}, but this is {truth}. It is {sureness}. {settles}"
