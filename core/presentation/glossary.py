"""Plain-words definitions of the terms the app uses, one sentence each."""

from __future__ import annotations

__all__ = ["GLOSSARY", "explain", "glossary_markdown"]

GLOSSARY: dict[str, str] = {
    "hidden unit": (
        "One of the network's small internal dials (the shipped network has 100), each of which learns to "
        "react to some pattern in the sound."
    ),
    "hidden state": (
        "The list of all the hidden units' readings at one moment, which is everything the network passes on "
        "to the next moment and to its final answer."
    ),
    "cell state": (
        "The network's longer-term memory, a second list of numbers that can carry information across many "
        "moments with little change."
    ),
    "gate": (
        "A valve inside the network, set between fully closed and fully open at every moment, that decides "
        "how much information is let through."
    ),
    "input gate": "The valve that decides how much of what was just heard is written into the memory.",
    "forget gate": "The valve that decides how much of the old memory is kept and how much is wiped.",
    "cell candidate": (
        "The new information the network proposes to write into its memory at this moment, before the input "
        "gate decides how much of it gets in."
    ),
    "output gate": "The valve that decides how much of the memory is shown as the hidden state at this moment.",
    "softmax": "The network's final stage, which turns its nine scores into nine chances that add up to 100%.",
    "probability": "How likely the network thinks something is, from 0% (certainly not) to 100% (certainly yes).",
    "time step": (
        "One very short slice of the recording, a small fraction of a second long; the network reads the "
        "slices one after another."
    ),
    "feature": "One of the 12 numbers that describe the sound in each slice of the recording.",
    "LPC cepstrum coefficient": (
        "One of the 12 numbers used here to describe the shape of the speaker's voice in a slice of sound, "
        "worked out from how the mouth and throat colour the sound."
    ),
    "ablation": "Switching off some hidden units on purpose to see how much the network's answer depends on them.",
    "attribution": (
        "A score for each number in the recording that says how much it pushed the network towards or away "
        "from its answer."
    ),
    "integrated gradients": (
        "A way of working out attributions by sliding the input gradually from a blank recording to the real "
        "one and adding up how each number moves the answer along the way."
    ),
    "selectivity": "How much more strongly a hidden unit reacts to one speaker than to the others.",
    "PCA / projection": (
        "A way of drawing all the hidden units' readings at one moment as a single point on a flat picture, "
        "keeping as much of their differences visible as possible."
    ),
    "confusion matrix": (
        "A table that counts, for each true speaker, how often the network named each of the nine speakers, "
        "so that mix-ups stand out."
    ),
    "heatmap": (
        "A picture of a table of numbers in which each number is shown as a colour, so that large and small "
        "values can be spotted at a glance."
    ),
    "epoch": "One complete pass of the network through all the training recordings while it is learning.",
    "accuracy": "The share of recordings for which the network names the right speaker.",
    "LSTM": (
        "Long short-term memory: a kind of recurrent neural network whose units each have a memory cell and "
        "gates that decide what to remember, what to forget and what to show."
    ),
    "recurrent neural network": (
        "A network that reads a sequence one step at a time and carries a memory from each step to the next, "
        "so that its answer can depend on everything heard so far."
    ),
    "layer": (
        "One stage of the network that takes numbers in, transforms them, and passes the result to the next stage."
    ),
    "fully connected layer": (
        "A layer in which every output is a weighted sum of all the inputs; here it turns the 100 hidden "
        "units' readings into one score per speaker."
    ),
    "parameter": (
        "One of the numbers the network learns during training, such as the strength of a connection between two units."
    ),
    "loss": (
        "A number that measures how wrong the network's answers still are during training; training tries to "
        "make it small."
    ),
    "activation": "The value a hidden unit takes at one moment, between -1 and 1 for the hidden state.",
    "observation": (
        'One recording in the data set, that is one speaker saying "a-e" once, seen as a sequence of time steps.'
    ),
    "training set": "The 270 recordings the network learnt from.",
    "test set": (
        "The 370 recordings kept apart while the network learnt, used to check how well it does on sound it "
        "has never heard."
    ),
    "baseline": (
        "The blank reference recording that attributions are measured against, either all zeros or the "
        "average sound of the training set at every step."
    ),
    "score": (
        "The number the network gives a speaker just before the softmax turns the nine scores into "
        "probabilities; higher means more likely."
    ),
    "principal component": (
        "One of the directions along which the hidden states differ the most, used as an axis of the flat map"
        " of hidden states (PC 1 is the direction of greatest difference)."
    ),
    "pattern": "A group of hidden units that are all switched on together for a stretch of time steps.",
    "threshold": "The level above which a hidden unit counts as switched on.",
    "match": "Another place in the data where the same hidden units are switched on together as in the chosen pattern.",
    "speaker": (
        'One of the nine men whose voices were recorded saying the Japanese vowels "a" and "e", numbered 1 to 9.'
    ),
}

_BY_FOLDED_NAME = {term.casefold(): term for term in GLOSSARY}


def explain(term: str) -> str:
    """The definition of ``term``, ignoring case and surrounding spaces.

    Raises
    ------
    ValueError
        Listing the known terms, if ``term`` is not one of them.
    """
    key = _BY_FOLDED_NAME.get(str(term).strip().casefold())
    if key is None:
        raise ValueError(f"unknown glossary term {term!r}; known terms: {', '.join(GLOSSARY)}")
    return GLOSSARY[key]


def glossary_markdown(terms=None) -> str:
    """A Markdown list "**term**: definition", one line per term, for an expander.

    Parameters
    ----------
    terms : iterable of str, optional
        Which terms, in this order (any case); all of them by default.

    Returns
    -------
    str
    """
    names = GLOSSARY if terms is None else [_BY_FOLDED_NAME.get(str(t).strip().casefold(), t) for t in terms]
    return "\n".join(f"- **{name}**: {explain(name)}" for name in names)
