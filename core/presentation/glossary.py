"""Plain-words definitions of the terms the app uses, one sentence each.

The definitions hold for any data set; where they give Japanese Vowels's or BasicMotions's words, they say
these are examples. Given a :class:`~core.compute.data.DatasetInfo`, :func:`explain` speaks of that data set
only: it names its own classes in the definition of "class", its own channels in those of "feature" and
"channel", and leaves the other data sets' examples out; :func:`terms_for` leaves out the terms that belong to
another data set ("speaker" and "LPC cepstrum coefficient" are Japanese Vowels's).
"""

from __future__ import annotations

from ..compute.data import DatasetInfo

__all__ = ["GLOSSARY", "DATASET_TERMS", "terms_for", "own_terms", "explain", "glossary_markdown"]

_NAMES_SHOWN = 6  # a longer list of classes shows its first five, "…" and its last

GLOSSARY: dict[str, str] = {
    "hidden unit": (
        "One of the network's small internal dials (the Japanese Vowels network has 100, for example), each of "
        "which learns to react to some pattern in the recordings."
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
    "input gate": "The valve that decides how much of what was just read is written into the memory.",
    "forget gate": "The valve that decides how much of the old memory is kept and how much is wiped.",
    "cell candidate": (
        "The new information the network proposes to write into its memory at this moment, before the input "
        "gate decides how much of it gets in."
    ),
    "output gate": "The valve that decides how much of the memory is shown as the hidden state at this moment.",
    "softmax": (
        "The network's final stage, which turns its scores, one per class, into as many chances that add up to 100%."
    ),
    "probability": "How likely the network thinks something is, from 0% (certainly not) to 100% (certainly yes).",
    "time step": (
        "One short slice of the recording, one row of numbers (a small fraction of a second of sound in "
        "Japanese Vowels, for example); the network reads the slices one after another."
    ),
    "feature": (
        "One of the numbers measured at each time step of a recording, also called a channel (12 in Japanese "
        "Vowels, 6 in BasicMotions, for example)."
    ),
    "channel": (
        "One of the series of numbers a recording holds, one value per time step, such as a sensor's reading "
        "(for example BasicMotions's gyroscope z)."
    ),
    "LPC cepstrum coefficient": (
        "In the Japanese Vowels example data set, one of the 12 channels describing the shape of the speaker's "
        "voice in a slice of sound, worked out from how the mouth and throat colour the sound."
    ),
    "ablation": "Switching off some hidden units on purpose to see how much the network's answer depends on them.",
    "attribution": (
        "A score for each number in the recording that says how much it pushed the network towards or away "
        "from its answer."
    ),
    "integrated gradients": (
        "A way of working out attributions by sliding the input gradually from a starting point (the baseline) "
        "to the real recording and adding up how each number moves the score along the way."
    ),
    "selectivity": "How much more strongly a hidden unit reacts to the recordings of one class than to the others.",
    "strength": (
        "How clearly a hidden unit singles out a class: the gap between its average on that class's recordings and "
        "its average on the others', counted in spreads (how much the recordings' own averages vary anyway); 2 or "
        "more is called strong, 1.5 or more moderate, 1 or more weak."
    ),
    "PCA / projection": (
        "A way of drawing all the hidden units' readings at one moment as a single point on a flat picture, "
        "keeping as much of their differences visible as possible."
    ),
    "confusion matrix": (
        "A table that counts, for each true class, how often the network named each of the classes, so that "
        "mix-ups stand out."
    ),
    "heatmap": (
        "A picture of a table of numbers in which each number is shown as a colour, so that large and small "
        "values can be spotted at a glance."
    ),
    "epoch": "One complete pass of the network through all the training recordings while it is learning.",
    "accuracy": "The share of recordings for which the network names the right class.",
    "LSTM": (
        "Long short-term memory: a kind of recurrent neural network whose units each have a memory cell and "
        "gates that decide what to remember, what to forget and what to show."
    ),
    "recurrent neural network": (
        "A network that reads a sequence one step at a time and carries a memory from each step to the next, "
        "so that its answer can depend on everything read so far."
    ),
    "layer": (
        "One stage of the network that takes numbers in, transforms them, and passes the result to the next stage."
    ),
    "fully connected layer": (
        "A layer in which every output is a weighted sum of all the inputs; here it turns the hidden units' "
        "readings into one score per class."
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
        "One recording in the data set, seen as a sequence of time steps (in Japanese Vowels, for example, one "
        'speaker saying "a" and "e" once).'
    ),
    "training set": "The recordings the network learnt from.",
    "validation set": (
        "A part of the training set held back while the network learns, to judge on recordings it has not learnt "
        "from which way of training does best, and at which epoch; the test set plays no part in that choice."
    ),
    "nearest neighbour": (
        "A simple rule to compare a network with: answer the class of the training recording that is most "
        "alike, number by number (after stretching both recordings to one length)."
    ),
    "test set": (
        "The recordings kept apart while the network learnt, used to check how well it does on recordings it "
        "has never seen."
    ),
    "baseline": (
        "The starting point that attributions are measured against: another recording, such as the average of "
        "the other classes' training recordings, a recording of zeros or an average recording."
    ),
    "weights": (
        "The numbers a network learns in training, such as the strength of each connection; the same as its parameters."
    ),
    "rank correlation": (
        "How alike two lists are in their order, from -1 (opposite orders) through 0 (unrelated) to 1 (the same order)."
    ),
    "score": (
        "The number the network gives a class just before the softmax turns the scores into probabilities; "
        "higher means more likely."
    ),
    "principal component": (
        "One of the directions along which the hidden states differ the most, used as an axis of the flat map"
        " of hidden states (PC 1 is the direction of greatest difference)."
    ),
    "pattern": "A group of hidden units that are all switched on together for a stretch of time steps.",
    "threshold": "The level above which a hidden unit counts as switched on.",
    "match": "Another place in the data where the same hidden units are switched on together as in the chosen pattern.",
    "class": (
        "One of the groups the network sorts recordings into, such as a speaker in Japanese Vowels or an "
        "activity (standing, running, walking, badminton) in BasicMotions."
    ),
    "recording": (
        "One example in the data set: a few series of numbers (channels) over time, with the class it belongs to."
    ),
    "speaker": (
        "In the Japanese Vowels example data set, a class: one of the nine men whose voices were recorded "
        'saying the vowels "a" and "e", numbered 1 to 9.'
    ),
}

_BY_FOLDED_NAME = {term.casefold(): term for term in GLOSSARY}

# term -> key of the one data set it belongs to; the other terms hold for every data set
DATASET_TERMS = {"speaker": "japanese_vowels", "LPC cepstrum coefficient": "japanese_vowels"}

# The definitions, in the words of one data set, of the terms whose general definition gives examples.
_OWN_WORDS = {
    "hidden unit": lambda info: (
        "One of the network's small internal dials, each of which learns to react to some pattern in the recordings."
    ),
    "time step": lambda info: (
        "One short slice of the recording, one row of numbers; the network reads the slices one after another."
    ),
    "feature": lambda info: (
        "One of the numbers measured at each time step of a recording, also called a channel "
        f"({info.n_channels} in {info.title})."
    ),
    "channel": lambda info: (
        f"One of the series of numbers a recording holds, one value per time step (in {info.title}: "
        f"{_listed(info.channel_names, 'and')})."
    ),
    "observation": lambda info: "One recording in the data set, seen as a sequence of time steps.",
    "class": lambda info: _class_definition(info),
}


def terms_for(info: DatasetInfo | None = None) -> list[str]:
    """The glossary's terms that hold for the data set ``info`` (every term without one), in glossary order."""
    if info is None:
        return list(GLOSSARY)
    return [term for term in GLOSSARY if DATASET_TERMS.get(term, info.key) == info.key]


def own_terms(info: DatasetInfo) -> list[str]:
    """The terms that belong to the data set ``info`` alone (``["speaker", "LPC cepstrum coefficient"]`` for Japanese
    Vowels, none for most)."""
    return [term for term, key in DATASET_TERMS.items() if key == info.key]


def _listed(names, last_word: str) -> str:
    """``names`` as words: "a, b or c"; a list of eight or more shows its first five, "…" and its last."""
    names = list(names)
    if len(names) > _NAMES_SHOWN + 1:  # "…" stands for two names at least
        return ", ".join([*names[: _NAMES_SHOWN - 1], "…", names[-1]])
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} {last_word} {names[-1]}"


def _class_definition(info: DatasetInfo) -> str:
    """The definition of "class" in the words of one data set, e.g. BasicMotions's four activities."""
    listed = _listed(info.class_names, "or")
    if info.class_word == "class":
        return f"One of the groups the network sorts recordings into; {info.title} has {info.n_classes}: {listed}."
    return (
        f"One of the groups the network sorts recordings into; in {info.title} a class is {info.a_class_word}, one "
        f"of {info.n_classes}: {listed}."
    )


def explain(term: str, *, info: DatasetInfo | None = None) -> str:
    """The definition of ``term``, ignoring case and surrounding spaces.

    Parameters
    ----------
    term : str
    info : DatasetInfo, optional
        The data set on show: "class", "feature" and "channel" are then defined with its own names, and
        definitions that give other data sets' examples without them.

    Returns
    -------
    str
        One sentence.

    Raises
    ------
    ValueError
        Listing the known terms, if ``term`` is not one of them.
    """
    key = _BY_FOLDED_NAME.get(str(term).strip().casefold())
    if key is None:
        raise ValueError(f"unknown glossary term {term!r}; known terms: {', '.join(GLOSSARY)}")
    if info is not None and key in _OWN_WORDS:
        return _OWN_WORDS[key](info)
    return GLOSSARY[key]


def glossary_markdown(terms=None, *, info: DatasetInfo | None = None) -> str:
    """A Markdown list "**term**: definition", one line per term, for an expander.

    Parameters
    ----------
    terms : iterable of str, optional
        Which terms, in this order (any case); by default all those that hold for ``info`` (see :func:`terms_for`).
    info : DatasetInfo, optional
        The data set on show, as for :func:`explain`.

    Returns
    -------
    str
    """
    names = terms_for(info) if terms is None else [_BY_FOLDED_NAME.get(str(t).strip().casefold(), t) for t in terms]
    return "\n".join(f"- **{name}**: {explain(name, info=info)}" for name in names)
