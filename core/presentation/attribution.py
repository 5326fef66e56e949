"""Plain words for *Why did it decide?*: the starting point, the evidence, and what each check found.

Every sentence here is worked out from the numbers it shows, so that the words and the numbers on the page
always agree.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ..analyses.attribution import COMPLETENESS_TOLERANCE, Attribution, StartingPoint
from ..analyses.attribution_checks import (
    CLEAR_MARGIN,
    HIGH_AGREEMENT,
    LOW_AGREEMENT,
    NO_BETTER,
    TOO_SMALL,
    DeletionCheck,
    Explanation,
    RandomisationCheck,
)
from ..compute.data import DatasetInfo
from .charts.attribution import column_block
from .frames import words
from .numbers import MINUS, change, percent

__all__ = [
    "target_note",
    "BASELINE_KINDS",
    "baseline_label",
    "starting_point_sentence",
    "little_to_explain_sentence",
    "evidence_sentence",
    "evidence_headline",
    "deletion_sentence",
    "completeness_sentence",
    "randomisation_sentence",
    "steps_note",
    "columns_note",
]

# Cells weaker than this fraction of the strongest one are not named as evidence against the class.
_NEGLIGIBLE = 0.1
# Neighbouring steps of the strongest channel at least this fraction of its peak form the named step range.
_RUN_FRACTION = 0.5


def _name(k: int, info: DatasetInfo) -> str:
    return info.class_names[k - 1]


def _points(share: float) -> str:
    """A threshold on a difference of probabilities (0 to 1) in percentage points: '10 points'."""
    return f"{100 * share:g} points"


# The choices of starting point as the page lists them, by kind: the same words for every data set, so that the
# choice stays shown when the data set changes (a radio whose labels change shows none).
BASELINE_KINDS = ("others", "zero", "mean")  # the starting points the Why page offers, in its order


def baseline_label(kind: str, n_classes: int) -> str:
    """The Why page's name of starting point ``kind`` (one of :data:`BASELINE_KINDS`) for a data set of
    ``n_classes`` classes: "The other classes' average" ("The other class's average" with two)."""
    labels = {
        "others": "The other classes' average" if n_classes > 2 else "The other class's average",
        "zero": "All zeros",
        "mean": "An average recording",
    }
    if kind not in labels:
        raise ValueError(f"kind must be one of {', '.join(BASELINE_KINDS)}; got {kind!r}")
    return labels[kind]


def starting_point_sentence(start: StartingPoint, attr: Attribution, *, info: DatasetInfo | None = None) -> str:
    """What the starting point is, and the network's answer for it (its class and how sure).

    Parameters
    ----------
    start : StartingPoint
        The starting point of ``attr``; its ``values`` have the recording's T_raw steps.
    attr : Attribution
        Its ``probs_baseline`` (C,) give the answer.
    info : DatasetInfo, optional
        The data set's words (Japanese Vowels by default).

    Returns
    -------
    str
        E.g. "**Starting point:** a recording of zeros: every channel is 0 at every step. The network's answer
        for it is speaker 3 (41%); it gives speaker 5 2%."
    """
    info = words(info)
    plural = info.class_word_plural
    if start.kind == "others":
        whose = f"the other {plural}" if start.all_others and len(start.classes) > 1 else _name(start.classes[0], info)
        n_steps = start.values.shape[1]
        what = (
            f"the average of the {start.recordings} training recordings of {whose}, step by step (they all have "
            f"this recording's {n_steps} steps)"
            if start.time_aligned
            else f"each channel's average over every step of the {start.recordings} training recordings of "
            f"{whose}, the same at every step (not all of them have this recording's {n_steps} steps, so they "
            "cannot be averaged step by step)"
        )
        if not start.all_others:
            what += (
                f"; the average of all the other {plural} is not used, because the network takes it for "
                f"{_name(attr.target, info)}"
            )
    elif start.kind == "zero":
        what = "a recording of zeros: every channel is 0 at every step"
    else:
        what = "an average recording: every channel at its training average, the same at every step"
    probs = attr.probs_baseline  # (C,)
    answer = int(np.argmax(probs)) + 1
    said = f"The network's answer for the starting point is {_name(answer, info)} ({percent(probs[answer - 1])})"
    if answer != attr.target:
        said += f"; it gives {_name(attr.target, info)} {percent(probs[attr.target - 1])}"
    return f"**Starting point:** {what}. {said}."


def little_to_explain_sentence(attr: Attribution, *, info: DatasetInfo | None = None) -> str:
    """Why the map has little to explain when the starting point scores the class about as high as the recording
    (:func:`core.analyses.attribution.little_to_explain`)."""
    info = words(info)
    name = _name(attr.target, info)
    probs = attr.probs_baseline
    opening = (
        f"The starting point already gets {name} ({percent(probs[attr.target - 1])}), so there is little to "
        "explain from it"
        if int(np.argmax(probs)) + 1 == attr.target
        else "There is little to explain from this starting point"
    )
    return (
        f"{opening}: the network's score for {name} is {attr.score_baseline:.2f} there and {attr.score_input:.2f} "
        f"on this recording, a difference of only {attr.change:.2f}. The shares add up to that difference, so "
        "every share is close to zero and no cell stands out as evidence. Choose another starting point under "
        "*Compared with*."
    )


def _steps_phrase(first: int, last: int) -> str:
    """'at step 12' or 'around steps 4–6' (1-based)."""
    return f"at step {first}" if first == last else f"around steps {first}–{last}"


def _peak_run(row: np.ndarray, peak: int) -> tuple[int, int]:
    """1-based first and last step of the run around ``peak`` where ``row`` (T,) stays near its peak."""
    strong = row >= _RUN_FRACTION * row[peak]  # (T,)
    first, last = peak, peak
    while first > 0 and strong[first - 1]:
        first -= 1
    while last < len(row) - 1 and strong[last + 1]:
        last += 1
    return first + 1, last + 1


def evidence_sentence(
    attr: Attribution,
    *,
    class_word: str = "speaker",
    class_names: Sequence[str] | None = None,
    channel_names: Sequence[str] | None = None,
) -> str:
    """One plain sentence naming the strongest evidence for and against the target.

    The evidence *for* is the channel holding the largest positive value, with the run of neighbouring steps
    where it stays at least half that strong; the evidence *against* is the most negative single value, named
    only if it is at least a tenth as strong as the strongest value of either sign. The page shows it only when
    there is something to explain (:func:`core.analyses.attribution.little_to_explain` is False).

    Parameters
    ----------
    attr : Attribution
        ``values`` of shape (F, T).
    class_word : str
        What a class is (:attr:`core.compute.data.DatasetInfo.class_word`); the target reads "<class word> k"
        without ``class_names``.
    class_names : sequence of str, length C, optional
        How each class is read (:attr:`core.compute.data.DatasetInfo.class_names`).
    channel_names : sequence of str, length F, optional
        How each channel is read (:attr:`core.compute.data.DatasetInfo.channel_names`); by default "feature k".

    Returns
    -------
    str
        E.g. "The strongest evidence for speaker 3 is feature 2 around steps 4–6; feature 7 at step 12 pointed
        away from it."
    """
    values = attr.values  # (F, T)
    if class_names is not None and len(class_names) < attr.target:
        raise ValueError(f"class {attr.target} has no name: class_names has {len(class_names)}")
    if channel_names is not None and len(channel_names) != values.shape[0]:
        raise ValueError(f"channel_names must name the {values.shape[0]} channels, got {len(channel_names)}")
    target = f"{class_word} {attr.target}" if class_names is None else str(class_names[attr.target - 1])

    def channel(f: int) -> str:
        return f"feature {f + 1}" if channel_names is None else str(channel_names[f])

    strongest = np.abs(values).max()
    if strongest == 0:
        return f"No channel at any step moved the score for {target}."
    f_neg, t_neg = np.unravel_index(np.argmin(values), values.shape)
    has_against = values[f_neg, t_neg] <= -_NEGLIGIBLE * strongest
    if values.max() <= 0:
        return (
            f"Nothing in this recording pointed towards {target}; "
            f"{channel(f_neg)} at step {t_neg + 1} pointed most strongly away from it."
        )
    f_pos, t_pos = np.unravel_index(np.argmax(values), values.shape)
    steps = _steps_phrase(*_peak_run(values[f_pos], int(t_pos)))
    against = (
        f"{channel(f_neg)} at step {t_neg + 1} pointed away from it"
        if has_against
        else "nothing pointed clearly away from it"
    )
    return f"The strongest evidence for {target} is {channel(f_pos)} {steps}; {against}."


def evidence_headline(
    found: Explanation, *, info: DatasetInfo | None = None, learned_little: bool = False
) -> tuple[str, str]:
    """What the page may say about the strongest evidence: only as much as the map's own checks support, and,
    of a network that has ``learned_little``, that the evidence drives its guess and says nothing of the class.

    Returns
    -------
    level : str
        ``"little"``: the starting point leaves little to explain (:attr:`Explanation.little_to_explain`).
        ``"supported"``: the deletion check says the map points at what matters and the shares add up.
        ``"rough"``: the deletion check agrees only in part, or the shares do not add up (approximate colours).
        ``"unsupported"``: the deletion check finds the map no better than chance, cannot tell, or finds nothing.
        ``"guess"``: the evidence of a network that has learned little, said to be about its guess alone.
    text : str
        Markdown: :func:`little_to_explain_sentence`; :func:`evidence_sentence`; that sentence as a rough
        guide; or why no evidence is named.
    """
    info = words(info)
    attr = found.attribution
    if found.little_to_explain:
        return "little", little_to_explain_sentence(attr, info=info)
    verdict, name = found.deletion.verdict, _name(attr.target, info)
    if verdict == "nothing":
        return "unsupported", f"No evidence is named here: no cell of this map pushed towards {name}."
    if verdict == "chance":
        return "unsupported", (
            f"No evidence is named here: taking away the cells this map marks strongest changes the probability of "
            f"{name} no more than taking away random cells (the check below), so the colours may not show what the "
            "network relies on for this recording."
        )
    if verdict == "cannot tell":
        return "unsupported", (
            f"No evidence is named here: taking away the cells this map marks strongest changes the probability of "
            f"{name} by less than {_points(TOO_SMALL)}, as does taking away random cells (the check below). The "
            "answer does not hinge on these cells alone, so read the colours as where the score is most sensitive, "
            "not as the reason for the answer."
        )
    evidence = evidence_sentence(
        attr, class_word=info.class_word, class_names=info.class_names, channel_names=info.channel_names
    )
    if verdict == "points" and not attr.approximate:
        level, text = "supported", evidence
    else:
        why = "the checks below support this map only in part" if verdict == "partly" else "its colours are approximate"
        level, text = "rough", f"**As a rough guide** ({why}): {evidence[0].lower()}{evidence[1:]}"
    if learned_little:
        return "guess", (
            f"{text} This is what drives this network's guess on this recording; the network has learned little, "
            f"so it says nothing about {name} recordings in general."
        )
    return level, text


def deletion_sentence(check: DeletionCheck, n_cells: int, *, target: int, info: DatasetInfo | None = None) -> str:
    """The deletion check's numbers and its verdict (:attr:`DeletionCheck.verdict`) in plain words.

    Parameters
    ----------
    check : DeletionCheck
    n_cells : int
        Cells of the map (channels x steps), for the share replaced.
    target : int
        The class explained (1-based).
    info : DatasetInfo, optional

    Returns
    -------
    str
        Opens with the question "Does the map point at what matters?" in bold.
    """
    info = words(info)
    name = _name(target, info)
    question = "**Does the map point at what matters?**"
    if check.verdict == "nothing":
        return f"{question} No cell pushed towards {name}, so there are no strongest cells to take away."
    cells = f"{check.cells} cell{'s' * (check.cells != 1)}"
    numbers = (
        f"{question} Replacing the {cells} the map marks strongest ({check.cells / n_cells:.0%} of the map) with "
        f"the starting point's values takes the probability of {name} from {percent(check.prob_before)} to "
        f"{percent(check.prob_top)}; replacing {cells} picked at random takes it to {percent(check.prob_random)} on "
        f"average ({len(check.probs_random)} tries)."
    )
    # the changes as a reader works them out from the probabilities shown just before
    top = change(check.prob_before, check.prob_top).verb()
    random = change(check.prob_before, check.prob_random).verb()
    verdicts = {
        "points": f"**This map points at what matters:** taking its strongest cells away {top}, far more than "
        f"taking random cells away, which {random}.",
        "partly": f"**This map points at what matters only in part:** taking its strongest cells away {top}, more "
        f"than taking random cells away, which {random}, but not clearly (that takes {_points(CLEAR_MARGIN)} more, "
        "and twice as much).",
        "chance": f"**This map is no better than chance here:** taking its strongest cells away {top}, less than "
        f"{_points(NO_BETTER)} more than taking random cells away, which {random}.",
        "cannot tell": f"**This check cannot tell here:** neither change moves the probability by "
        f"{_points(TOO_SMALL)} or more.",
    }
    return f"{numbers} {verdicts[check.verdict]}"


def _hundredths(value: float) -> int:
    """``value`` as :func:`completeness_sentence` shows it, in hundredths: 7.9249 -> 792."""
    return round(float(f"{float(value):.2f}") * 100)


def _score(hundredths: int) -> str:
    """Hundredths as a score is shown: 792 -> "7.92", -31 -> "−0.31" (:data:`MINUS`)."""
    return f"{MINUS if hundredths < 0 else ''}{abs(hundredths) / 100:.2f}"


def completeness_sentence(attr: Attribution, *, info: DatasetInfo | None = None) -> str:
    """The check by hand: the shares' sum against the change of the score, and whether the colours are exact.

    The difference and the gap are worked out from the scores and the sum as shown (two decimals), so that a
    reader who does the sum gets the numbers on screen: 7.92 and −0.31 make 8.23, whatever the unrounded scores.

    Returns
    -------
    str
        Says "treat the colours as approximate" when :attr:`Attribution.approximate`, and why.
    """
    info = words(info)
    name = _name(attr.target, info)
    total = _hundredths(attr.values.sum())
    score_input, score_baseline = _hundredths(attr.score_input), _hundredths(attr.score_baseline)
    difference = score_input - score_baseline
    check = (
        f"**A check you can do by hand.** All the shares add up to **{_score(total)}**. The network's score for "
        f"{name} is {_score(score_input)} on this recording and {_score(score_baseline)} at the starting point; "
        f"the difference is **{_score(difference)}**."
    )
    if not attr.approximate:
        if total == difference:
            return f"{check} They agree, so the difference was shared out completely."
        return (
            f"{check} They differ by only {_score(abs(total - difference))}, within {COMPLETENESS_TOLERANCE:.0%} "
            "of the difference, so the difference was shared out completely (up to rounding and the page's "
            "calculation)."
        )
    share = f" ({attr.completeness_error:.0%} of the difference)" if abs(attr.change) >= 1 else ""
    why = (
        "on the way from the starting point to this recording the network's score jumps suddenly, and that "
        "jump was not shared out among the cells (it is too sudden to follow, or too costly to follow on a "
        "recording this long)"
        if attr.switches_left
        else "the network's score moves so unevenly on the way from the starting point to this recording that "
        "the page's calculation cannot follow it exactly"
    )
    return (
        f"{check} They differ by {_score(abs(total - difference))}{share}, more than "
        f"{COMPLETENESS_TOLERANCE:.0%}, so **treat the colours as approximate**: {why}."
    )


def randomisation_sentence(check: RandomisationCheck) -> str:
    """The model-randomisation check (Adebayo et al., 2018) in plain words, with its verdict
    (:attr:`RandomisationCheck.level`)."""
    opening = (
        "**Does the map depend on what the network learned?** The map below is the same calculation for a copy of "
        "the network whose learned numbers (its *weights*) were shuffled into random places: a network that "
        "learned nothing."
    )
    if check.level == "none":
        return f"{opening} The two maps cannot be compared: one of them is the same in every cell."
    numbers = (
        f" How alike the two maps are, from -1 (opposite) through 0 (unrelated) to 1 (the same cells strongest, "
        f"in the same order), is **{check.agreement:.2f}** (the rank correlation of the shares' sizes)."
    )
    verdicts = {
        "high": f"They are much alike ({HIGH_AGREEMENT} or more), so this map shows little of what this network "
        "learned: it may come from the recording and the method alone.",
        "some": f"They are somewhat alike ({LOW_AGREEMENT} to {HIGH_AGREEMENT}): part of this map may come from the "
        "recording and the method rather than from what this network learned.",
        "low": f"They are not alike (below {LOW_AGREEMENT}): this map depends on what the network learned, as it "
        "should.",
    }
    return f"{opening}{numbers} {verdicts[check.level]}"


def steps_note(step_block: int) -> str:
    """For a network that reads averages of blocks of recorded steps: what one step of the map is ('' for 1)."""
    if step_block == 1:
        return ""
    return (
        f"Each step here is {step_block} steps of the recording (their average): this network reads the "
        "recording so, and the map shows what it read."
    )


def columns_note(n_steps: int) -> str:
    """For a map too long for the screen: how many steps each column adds up ('' when every step has a column)."""
    block = column_block(n_steps)
    if block == 1:
        return ""
    return f"Each column of the map adds up the shares of {block} neighbouring steps, so that all {n_steps} steps fit."


def target_note(target: int, answer: int, label: int | None, *, info: DatasetInfo | None = None) -> str:
    """Whose score the map explains, beside the network's answer and the true class, in one sentence."""
    info = words(info)
    name = _name(target, info)
    roles = [
        role
        for role, who in (("the network's answer", answer), (f"the true {info.class_word}", label))
        if who == target
    ]
    if roles:
        return f"{name[:1].upper() + name[1:]} is {' and '.join(roles)}."
    return (
        f"{name[:1].upper() + name[1:]} is not the network's answer (it says {_name(answer, info)}): the colours show "
        f"what spoke for {name} and what spoke against it on this recording."
    )
