"""Plain words for the What if? page: what each kind of edit does, one edit in a sentence, a sweep's outcome, and
the smallest change that flips the answer."""

from __future__ import annotations

from collections.abc import Sequence

from ..analyses.flip import Flip
from ..analyses.whatif import KINDS, Edit, Sweep
from ..compute.data import DatasetInfo
from .describe import class_name
from .numbers import percent

__all__ = ["EDIT_HELP", "SWEEP_TITLES", "describe_edit", "sweep_sentence", "flip_sentences"]

# kind -> one line for someone who has never programmed
EDIT_HELP = {
    "cut_start": "Cut the first steps: the network gets the recording from a later step on.",
    "cut_end": "Cut the last steps: the recording stops early, before the network has heard all of it.",
    "keep": "Keep only a stretch: everything before and after it is thrown away.",
    "speed": "Play it faster or slower: fewer or more steps, the values in between filled in along straight lines.",
    "scale": "Make one channel louder or quieter: its values are multiplied (0 makes it silent).",
    "flat": "Make one channel flat: it keeps its average value at every step and no longer changes.",
    "noise": "Add noise: small random changes to every value, the same ones each time for the same seed.",
    "splice": "Splice in a stretch of another recording: those steps are replaced by the other recording's.",
}
# sweep kind -> the strength axis's title, short enough for a phone's plot (NARROWEST_PLOT_PX)
SWEEP_TITLES = {
    "noise": "Noise strength (typical change size)",
    "cut_start": "Steps cut from the start",
    "cut_end": "Steps cut from the end",
    "scale": "Channel multiplied by",
    "speed": "Speed (2 = twice as fast)",
}


def describe_edit(edit: Edit, *, channel_names: Sequence[str] | None = None) -> str:
    """One edit in a short sentence, e.g. "Cut the first 3 steps" or "Make feature 2 quieter (× 0.5)".

    Parameters
    ----------
    edit : Edit
    channel_names : sequence of str, optional
        The data set's channels (:attr:`core.compute.data.DatasetInfo.channel_names`); by default "feature k".

    Returns
    -------
    str
    """
    if not isinstance(edit, Edit) or edit.kind not in KINDS:
        raise ValueError(f"edit must be an Edit of one of the kinds {', '.join(KINDS)}, got {edit!r}")
    if edit.kind in ("scale", "flat"):
        if channel_names is not None and not 1 <= edit.channel <= len(channel_names):
            raise ValueError(f"channel {edit.channel} has no name: channel_names has {len(channel_names)}")
        channel = channel_names[edit.channel - 1] if channel_names is not None else f"feature {edit.channel}"
    steps = int(edit.amount)
    if edit.kind == "cut_start":
        return f"Cut the first {steps} step{'s' * (steps != 1)}"
    if edit.kind == "cut_end":
        return f"Cut the last {steps} step{'s' * (steps != 1)}"
    if edit.kind == "keep":
        return f"Keep only steps {edit.first} to {edit.last}"
    if edit.kind == "speed":
        pace = "faster" if edit.amount > 1 else "slower" if edit.amount < 1 else "at the same speed"
        return f"Play it {pace} (× {edit.amount:g})"
    if edit.kind == "scale":
        if edit.amount == 0:
            return f"Silence {channel} (× 0)"
        louder = "louder" if edit.amount > 1 else "quieter" if edit.amount < 1 else "unchanged"
        return f"Make {channel} {louder} (× {edit.amount:g})"
    if edit.kind == "flat":
        return f"Make {channel} flat"
    if edit.kind == "noise":
        return f"Add noise of strength {edit.amount:g} (seed {edit.seed})"
    whose = f"training recording {edit.source}" if edit.from_training else f"recording {edit.source}"
    return f"Replace steps {edit.first} to {edit.last} with those of {whose}"


def sweep_sentence(result: Sweep, *, class_word: str = "speaker", class_names: Sequence[str] | None = None) -> str:
    """What a sweep found, e.g. "The answer stays speaker 3 up to a noise strength of 0.9; from 0.94 on ..."

    Parameters
    ----------
    result : Sweep
    class_word, class_names
        How classes are named (see :func:`core.presentation.describe.class_name`).

    Returns
    -------
    str
    """
    if not isinstance(result, Sweep):
        raise TypeError(f"result must be a Sweep, got {type(result).__name__}")
    answer = class_name(result.answer, class_word, class_names)
    what = SWEEP_TITLES[result.kind].split(" (")[0].lower()
    low, high = float(result.strengths.min()), float(result.strengths.max())
    if result.first_flip is None:
        return f"The answer stays {answer} over the whole range ({what} from {low:g} to {high:g})."
    first = int((result.predictions != result.answer).argmax())
    new = class_name(int(result.predictions[first]), class_word, class_names)
    return (
        f"The answer changes from {answer} to {new} at {what} {result.first_flip:.3g} "
        f"(of {low:g} to {high:g}); it changes {len(result.flips)} time{'s' * (len(result.flips) != 1)} in all."
    )


def flip_sentences(flip: Flip, *, info: DatasetInfo) -> list[str]:
    """What the search for the smallest change found, in a few plain sentences (Markdown), every one of them
    true of ``flip``.

    Parameters
    ----------
    flip : Flip
    info : DatasetInfo
        Names the classes.

    Returns
    -------
    list of str
        The neighbour and the outcome first; when a stretch flips the answer, what the network then says and
        where its memory parts from the original's.
    """
    if not isinstance(flip, Flip):
        raise TypeError(f"flip must be a Flip, got {type(flip).__name__}")
    target, answer = (class_name(k, info.class_word, info.class_names) for k in (flip.target, flip.answer))
    neighbour = (
        f"The training recording of {target} most like this one is training recording {flip.neighbour_number}; "
        f"the network answers {class_name(flip.neighbour_answer, info.class_word, info.class_names)} for it."
    )
    blocks = f" (in blocks of {flip.step_block} steps, as the network reads it)" if flip.step_block > 1 else ""
    if not flip.found:
        why = {
            "none": f"no stretch of it{blocks}, not even all of its first {flip.overlap} steps, makes the network "
            f"answer {target}: the answer {answer} holds against this change.",
            "not found": f"no stretch of up to {flip.searched_steps} steps{blocks} of it, nor all of its first "
            f"{flip.overlap} steps, makes the network answer {target}; longer stretches were not all tried.",
        }[flip.outcome]
        return [neighbour, f"Copying its steps into this recording, {why}"]
    length = flip.last - flip.first + 1
    stretch = (
        f"step {flip.first} (one of this recording's steps{blocks})"
        if length == 1
        else f"steps {flip.first}–{flip.last} ({length} of this recording's steps{blocks})"
    )
    found = (
        f"Copying its {stretch} into this "
        f"recording makes the network answer **{target}** instead of {answer}: the probability of {target} goes "
        f"from {percent(flip.probs_before[flip.target - 1])} to {percent(flip.probs_after[flip.target - 1])}."
    )
    if flip.outcome == "shortest":
        found += " No shorter stretch does it."
    else:
        found += (
            f" No stretch of up to {flip.searched_steps} steps does it; a stretch between that and this one may, "
            "but they were not all tried."
        )
    sentences = [neighbour, found]
    if flip.parting is not None and flip.parting.step is not None:
        sentences.append(
            f"Inside the network: from step {flip.answer_step} on, the edited recording's answer is {target}; from "
            f"step {flip.parting.step} on, its memory (hidden state) stays apart from the original's."
        )
    return sentences
