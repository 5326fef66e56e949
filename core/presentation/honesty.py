"""What a page must say before anything else about the network on screen: whether it has learned anything, how
it reads the recording, and whose units are shown."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..analyses.baselines import (
    SKILL_LEVEL,
    chance_of_at_least,
    learned_little,
    majority_accuracy,
    majority_class,
    too_few_to_tell,
)
from ..analyses.lab import LabSettings
from ..compute.checks import check_type, counted
from ..compute.data import Dataset, DatasetInfo
from .numbers import accuracy_percent, change

__all__ = [
    "Skill",
    "Caveat",
    "skill",
    "network_caveats",
    "rules_sentence",
    "lab_advice",
    "GROUPED_MARGIN",
    "map_grouping_sentence",
    "matches_sentence",
]


@dataclass(frozen=True)
class Skill:
    """How often the network is right on the test split, beside always answering the most common class.

    Attributes
    ----------
    n_right, n_test : int
    majority : float
        The share of test recordings of the training split's most common class, 0 to 1.
    learned_little : bool
        :func:`core.analyses.baselines.learned_little`.
    too_few : bool
        :func:`core.analyses.baselines.too_few_to_tell`: it may have learned, but the test split is too small to
        tell.
    majority_name : str
        The name of that class ("" where it is not known).
    majority_tied : bool
        Another class has as many training recordings.
    """

    n_right: int
    n_test: int
    majority: float
    learned_little: bool
    too_few: bool = False
    majority_name: str = ""
    majority_tied: bool = False

    def majority_rule(self, class_word: str = "class") -> str:
        """The first simple rule in words: "always answering low (the most common class in training)"."""
        if not self.majority_name:
            return f"always answering the most common {class_word}"
        most = "tied for the most common" if self.majority_tied else "the most common"
        return f"always answering {self.majority_name} ({most} {class_word} in training)"

    @property
    def accuracy(self) -> float:
        return self.n_right / self.n_test


@dataclass(frozen=True)
class Caveat:
    """One sentence for the top of every page; ``minor`` ones are a caption, the others a warning."""

    text: str
    minor: bool


def skill(predictions, data: Dataset) -> Skill:
    """The :class:`Skill` of a network whose final answers on ``data``'s test split are ``predictions`` (N,)."""
    n_right = int(np.sum(np.asarray(predictions) == data.test.labels))
    majority = majority_accuracy(data.train, data.test)
    n_test = len(data.test)
    counts = np.bincount(np.asarray(data.train.labels, dtype=int))[1:]  # (C,): training recordings per class
    return Skill(
        n_right,
        n_test,
        majority,
        learned_little(n_right, n_test, majority),
        too_few_to_tell(n_right, n_test, majority),
        data.info.class_names[majority_class(data.train) - 1],
        int(np.sum(counts == counts.max())) > 1,
    )


def network_caveats(
    skill: Skill, step_block: int, units_owner: str = "", *, drawn: str = "network", class_word: str = "class"
) -> list[Caveat]:
    """The sentences that hold on every page for this network: it has learned little (a warning); it reads
    averages of ``step_block`` recorded steps; the units shown are those of ``units_owner`` (a stacked layer).
    ``drawn``: whose steps the page's charts are over: ``"network"`` (its blocks), ``"recorded"`` (the
    recordings as recorded: the Dataset page) or ``"both"`` (recordings and edits as recorded, the network's
    answer and insides over its blocks: What if?)."""
    caveats = []
    if skill.too_few:
        caveats.append(
            Caveat(
                f"Only {counted(skill.n_test, 'test recording')}: too few to tell whether this network has learned. "
                f"It names {accuracy_percent(skill.accuracy)} of them right and {skill.majority_rule(class_word)} "
                f"would name {accuracy_percent(skill.majority)}, but with so few that rule could do as well by luck. "
                "Take what these pages show with care.",
                minor=False,
            )
        )
    elif skill.learned_little:
        caveats.append(
            Caveat(
                f"This network has learned little: it names {accuracy_percent(skill.accuracy)} of the test recordings "
                f"right, and {skill.majority_rule(class_word)} would name {accuracy_percent(skill.majority)} right. "
                "What these pages show is mostly noise.",
                minor=False,
            )
        )
    blocks = f"the average of {step_block} recorded steps"
    if step_block > 1:
        caveats.append(
            Caveat(
                {
                    "network": f"Each time step here is {blocks}: the network reads the recording in blocks, since "
                    "long recordings are hard for it to learn.",
                    "recorded": "This page shows the recordings step by step, as recorded. The network reads them "
                    f"in blocks: each of its time steps is {blocks}, since long recordings are hard for it to learn.",
                    "both": "The recordings and the edits here are in recorded steps; the network's answer, its "
                    f"trajectory and its hidden units are over its own time steps, each {blocks} (it reads the "
                    "recording in blocks, since long recordings are hard for it to learn).",
                }[drawn],
                minor=True,
            )
        )
    if units_owner:
        caveats.append(Caveat(f"The hidden units shown are those of {units_owner}, chosen in the sidebar.", minor=True))
    return caveats


def rules_sentence(accuracy: float, skill: Skill, nearest: float, *, class_word: str) -> str:
    """The network's test accuracy beside two simple rules, in words.

    Parameters
    ----------
    accuracy : float
        The network's, 0 to 1.
    skill : Skill
        Its :class:`Skill` (the most common class's share, whether it learned little).
    nearest : float
        The accuracy of answering the class of the nearest training recording (1-NN), 0 to 1.
    class_word : str

    Returns
    -------
    str
        Markdown, e.g. "The network names **98.4%** of the test recordings right. Two simple rules, for
        comparison: always answering the most common speaker names 8.4% right, and answering the speaker of the
        nearest training recording 95.1%. The network does better than both."
    """
    rules = (
        f"The network names **{accuracy_percent(accuracy)}** of the test recordings right. Two simple rules, for "
        f"comparison: {skill.majority_rule(class_word)} names {accuracy_percent(skill.majority)} right, "
        f"and answering the {class_word} of the nearest training recording {accuracy_percent(nearest)}."
    )
    beside_nearest = _beside_nearest(accuracy, nearest, skill.n_test)
    if skill.too_few:
        verdict = "There are too few test recordings to tell whether the network is better than the first rule."
    elif skill.learned_little:
        verdict = "The network is not clearly better than the first rule: it has learned little."
    elif beside_nearest == "up":
        verdict = "The network does better than both."
    elif beside_nearest == "off":
        verdict = (
            "The network does about as well as the nearest training recording (the gap between them is small "
            "enough for luck to explain), and better than the first rule."
        )
    else:
        verdict = (
            "The network does better than the first rule but not as well as the nearest training recording: "
            "what it has learned is real, but it misses things a simple comparison sees."
        )
    return f"{rules} {verdict}"


def _beside_nearest(accuracy: float, nearest: float, n_test: int) -> str:
    """ "up" when the network (``accuracy``) beats the nearest training recording (``nearest``) on ``n_test``
    test recordings by more than luck explains, "down" when it falls behind by more, "off" otherwise: equal as
    shown, or the side behind would get as many right by luck with a probability of :data:`SKILL_LEVEL` or more
    (:func:`chance_of_at_least`)."""
    arrow = change(nearest, accuracy, 1).arrow  # as the two are shown, so equal-looking ones are equal
    ahead, behind = (accuracy, nearest) if arrow == "up" else (nearest, accuracy)
    if arrow == "off" or chance_of_at_least(round(ahead * n_test), n_test, behind) >= SKILL_LEVEL:
        return "off"
    return arrow


def lab_advice(settings: LabSettings) -> str:
    """What to try in the Model lab after training a network with ``settings`` that learned little: the
    recipe's own epoch count and size where ``settings`` left them, and always another seed.

    Returns
    -------
    str
        e.g. "To try: automatic epochs (the recipe's own count), more hidden units (the recipe uses 100), or another
        seed (another random starting point)."
    """
    check_type(settings, LabSettings, "settings")
    recipe = LabSettings()
    tries = []
    if settings.epochs != recipe.epochs:
        tries.append("automatic epochs (the recipe's own count)")
    if settings.hidden_size < recipe.hidden_size:
        tries.append(f"more hidden units (the recipe uses {recipe.hidden_size})")
    tries.append("another seed (another random starting point)")
    listed = tries[0] if len(tries) == 1 else f"{', '.join(tries[:-1])}, or {tries[-1]}"
    return f"To try: {listed}."


GROUPED_MARGIN = 0.1  # the endings group the classes when they beat the most common class's share by this much


def map_grouping_sentence(grouped: float, majority: float, *, info: DatasetInfo) -> str:
    """Whether the hidden-state map groups the recordings of a class where their paths end, from
    :func:`core.analyses.projection.endings_grouped` (``grouped``) beside always answering the most common class
    (``majority``), both 0 to 1, in the words of the data set ``info``.

    Returns
    -------
    str
        e.g. "On this map, 93.5% of the test recordings end nearer the middle of their own speaker's training
        recordings' endings than of any other speaker's: recordings of the same speaker end up in the same region,
        which is where the network makes up its mind."
    """
    class_word = info.class_word
    said = (
        f"On this map, {accuracy_percent(grouped)} of the test recordings end nearer the middle of their own "
        f"{class_word}'s training recordings' endings than of any other {class_word}'s"
    )
    if grouped >= majority + GROUPED_MARGIN:
        return (
            f"{said}: recordings of the same {class_word} end up in the same region, which is where the network "
            "makes up its mind."
        )
    return (
        f"{said}, and always answering the most common {class_word} gets {accuracy_percent(majority)} right: the "
        f"{info.class_word_plural}' endings overlap here, so this map does not show where the network tells them "
        "apart."
    )


def matches_sentence(counts, split_labels, *, split_name: str, info: DatasetInfo) -> str:
    """Which class the pattern search's matches come from most, beside that class's share of the split searched:
    the pattern goes with it only when chance would rarely give as many (:data:`SKILL_LEVEL`,
    :func:`chance_of_at_least`).

    Parameters
    ----------
    counts : array-like of shape (C,)
        Matches per class (1-based classes in order).
    split_labels : array-like of shape (N,)
        The classes (1 to C) of the recordings searched.
    split_name : str
        Their name in a sentence: "the training set".
    info : DatasetInfo

    Returns
    -------
    str
        e.g. "Walking has the most matches (9 of 10), far more than its share of the training set (25.0%) would
        give by chance: the pattern goes with walking."
    """
    counts = np.asarray(counts, dtype=int)
    labels = np.asarray(split_labels, dtype=int)
    if counts.shape != (info.n_classes,) or counts.sum() < 1:
        raise ValueError(f"counts must hold {info.n_classes} counts of matches, at least one, got {counts.tolist()}")
    top = int(counts.argmax())
    name, n = info.class_names[top], int(counts.sum())
    share = float(np.mean(labels == top + 1))
    said = f"{name[:1].upper() + name[1:]} has the most matches ({counts[top]} of {n})"
    if chance_of_at_least(int(counts[top]), n, share) < SKILL_LEVEL:
        return (
            f"{said}, far more than its share of {split_name} ({accuracy_percent(share)}) would give by chance: "
            f"the pattern goes with {name}."
        )
    return (
        f"{said}, but {name} makes up {accuracy_percent(share)} of {split_name}, so chance alone could give as "
        f"many: this pattern does not single out {name}."
    )
