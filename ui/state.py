"""Per-session state: the sidebar choices, the link (URL) parameters, and page widgets that persist.

Everything here lives in ``st.session_state``, so two users never see each
other's choices. A link's parameters are read once, when the session starts,
and bad values fall back to defaults with a short notice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np
import streamlit as st

import core
from core.presentation.glossary import explain
from ui import loaders, navigation

__all__ = [
    "SPLIT_LABELS",
    "Selection",
    "start_session",
    "sidebar",
    "selection",
    "run_page",
    "url_param",
    "persistent",
    "write_url",
    "url_written",
    "int_in",
    "range_in",
    "one_of",
    "clamp_persistent",
    "model_options",
    "show_notices",
    "notice",
]

SPLIT_LABELS = {"test": "Test set (370)", "train": "Training set (270)", "upload": "My own sequence"}
_URL = "_url_at_start"
_PAGE = "_page"
_URL_WRITTEN = "_url_written"
_IN_ENTRY_RUN = "_in_entry_run"
_PERSISTENT = "_persistent_keys"
_NOTICES = "_notices"
_NOTICES_SHOWN = "_notices_shown"


@dataclass(frozen=True)
class Selection:
    """The observation and model that every page shows.

    Attributes
    ----------
    split : {"test", "train", "upload"}
    index : int
        0-based position in the split (0 for an upload).
    x : ndarray of shape (12, T)
        Raw features.
    label : int or None
        True speaker, None for an upload.
    model_key : str
        ``"shipped"`` or a lab variant's key.
    model : core.LSTMClassifier
    history : list of dict
        The model's training log, one dict per epoch.
    """

    split: str
    index: int
    x: np.ndarray
    label: int | None
    model_key: str
    model: core.LSTMClassifier
    history: list[dict]

    @property
    def title(self) -> str:
        if self.split == "upload":
            return "Your uploaded sequence"
        name = "Test" if self.split == "test" else "Training"
        return f"{name} observation {self.index + 1} (speaker {self.label})"

    @property
    def n_steps(self) -> int:
        return self.x.shape[1]

    def trace(self) -> core.Trace:
        """Hidden state, cell state, gates and probabilities after every step."""
        if self.split == "upload":
            return loaders.sequence_trace(self.model, self.model_key, self.x)
        return loaders.split_traces(self.model, self.model_key, self.split)[self.index]


def notice(text: str) -> None:
    """Show a short message once: queued for the top of the page, or at once if the page is already running."""
    if st.session_state.get(_NOTICES_SHOWN):  # a page's own link parameter: the queue was shown already
        st.warning(text, icon=":material/warning:")
    else:
        st.session_state.setdefault(_NOTICES, []).append(text)


def show_notices() -> None:
    for text in st.session_state.pop(_NOTICES, []):
        st.warning(text, icon=":material/warning:")
    st.session_state[_NOTICES_SHOWN] = True


def start_session(page_url_path: str) -> None:
    """Remember the link the session was opened with (its page and parameters), once; note the page."""
    if _URL not in st.session_state:
        st.session_state[_URL] = (page_url_path, st.query_params.to_dict())
    st.session_state[_PAGE] = page_url_path
    st.session_state[_NOTICES_SHOWN] = False


def url_param(name: str, parse: Callable[[str], object], default, describe: str, *, shared: bool = False):
    """A parameter of the link the session started with, parsed; ``default`` if absent or bad.

    A page's own parameters (``shared=False``) only apply on the page the link
    opened. ``parse`` raises ``ValueError`` for a bad value; the user then gets
    a notice that says what was expected (``describe``) and what is shown instead.
    """
    start_page, params = st.session_state.get(_URL, ("", {}))
    if name not in params or not (shared or start_page == st.session_state.get(_PAGE)):
        return default
    raw = params[name]
    try:
        return parse(raw)
    except (ValueError, TypeError):
        # The value is shown inside a code span: notices are Markdown, and text from a link must not become a link,
        # an image or a colour directive on the screen of whoever opens it.
        shown = repr(raw[:40]).replace("`", "'")
        warned = st.session_state.setdefault("_url_warned", set())  # pages read their parameters on every run
        if name not in warned:
            warned.add(name)
            notice(f"The link's value for “{name}” (`{shown}`) is not {describe}; showing {default!r} instead.")
        return default


def int_in(low: int, high: int) -> Callable[[str], int]:
    """A parser for whole numbers from ``low`` to ``high``."""
    def parse(raw: str) -> int:
        value = int(raw)
        if not low <= value <= high:
            raise ValueError(raw)
        return value
    return parse


def range_in(low: int, high: int) -> Callable[[str], tuple[int, int]]:
    """A parser for ``"a-b"`` ranges with ``low <= a <= b <= high``."""
    def parse(raw: str) -> tuple[int, int]:
        a, b = (int(v) for v in raw.split("-"))
        if not low <= a <= b <= high:
            raise ValueError(raw)
        return a, b
    return parse


def one_of(options) -> Callable[[str], str]:
    def parse(raw: str) -> str:
        if raw not in options:
            raise ValueError(raw)
        return raw
    return parse


def persistent(key: str, initial) -> None:
    """Give widget ``key`` a value that survives page switches.

    Streamlit forgets a widget's value when its page is left; the value is
    mirrored under ``_keep_<key>`` and restored on return. ``initial`` is used
    the first time (typically from :func:`url_param`).
    """
    keep = f"_keep_{key}"
    if key not in st.session_state:
        st.session_state[key] = st.session_state.get(keep, initial)
    st.session_state[keep] = st.session_state[key]
    st.session_state.setdefault(_PERSISTENT, set()).add(key)


def _remember_persistent() -> None:
    """Mirror every persistent widget's current value; fragment reruns skip :func:`persistent`, so
    :func:`write_url` (which every page and fragment calls last) does this too."""
    for key in st.session_state.get(_PERSISTENT, ()):
        if key in st.session_state:
            st.session_state[f"_keep_{key}"] = st.session_state[key]


def clamp_persistent(key: str, low, high) -> None:
    """Keep a persistent slider value inside a range that may have shrunk (a shorter observation)."""
    value = st.session_state.get(key)
    if isinstance(value, tuple):
        a, b = (min(max(v, low), high) for v in value)
        st.session_state[key] = (a, b)
    elif value is not None:
        st.session_state[key] = min(max(value, low), high)
    st.session_state[f"_keep_{key}"] = st.session_state[key]


def _lab_variants() -> dict:
    """This session's trained variants: key -> (label, LabSettings)."""
    return st.session_state.setdefault("lab_variants", {})


def model_options() -> dict[str, str]:
    options = {"shipped": "Pretrained (shipped, 100 units)"}
    options.update({key: label for key, (label, _) in _lab_variants().items()})
    return options


def sidebar() -> Selection:
    """Draw the shared sidebar choices and return the current :class:`Selection`."""
    data = loaders.dataset()
    uploaded = st.session_state.get("uploaded_sequence")
    splits = ["test", "train"] + (["upload"] if uploaded is not None else [])
    if "sel_split" not in st.session_state:
        st.session_state["sel_split"] = url_param("split", one_of(splits), "test", "test or train", shared=True)
    if st.session_state["sel_split"] not in splits:
        st.session_state["sel_split"] = "test"
    options = model_options()
    if "sel_model" not in st.session_state:
        st.session_state["sel_model"] = url_param("model", one_of(options), "shipped", "a network trained in this session",
                                                  shared=True)
    if st.session_state["sel_model"] not in options:
        st.session_state["sel_model"] = "shipped"

    with st.sidebar:
        st.markdown("### What to look at")
        split = st.radio("Data", splits, format_func=SPLIT_LABELS.get, key="sel_split",
                         help="Which utterances to choose from. " + explain("speaker"))
        if split == "upload":
            index, x, label = 0, uploaded, None
            st.caption(f"Your sequence: {uploaded.shape[1]} time steps.")
        else:
            part = data.split(split)
            obs_key = f"sel_obs_{split}"
            if obs_key not in st.session_state:
                start_split = st.session_state[_URL][1].get("split", "test")
                initial = url_param("obs", int_in(1, len(part)), 1, f"a number from 1 to {len(part)}", shared=True) \
                    if start_split == split else 1
                st.session_state[obs_key] = initial
            number = st.slider("Observation", 1, len(part), key=obs_key,
                               help="Which utterance to show. Each one is a speaker saying “ae”.")
            index, x, label = number - 1, part.sequences[number - 1], int(part.labels[number - 1])
            st.caption(f"Speaker {label} · {x.shape[1]} time steps")
        model_key = st.selectbox("Network", list(options), format_func=options.get, key="sel_model",
                                 help="The pretrained network, or one you trained in the Model lab.")
    if model_key == "shipped":
        model, history = loaders.shipped_model(), loaders.shipped_meta()["history"]
    else:
        variant = loaders.lab_variant(_lab_variants()[model_key][1])
        model, history = variant.model, variant.history
    return Selection(split, index, x, label, model_key, model, history)


def selection() -> Selection:
    """The selection the entry point computed for this run; call it at the top of every page.

    With a folder named ``pages/`` next to the entry point, Streamlit starts
    in its older multipage mode and runs a linked page's file directly, without
    the entry point, until some session calls ``st.navigation`` (so it does on
    every first run under AppTest). A page run that way declares the app's
    menu, a call to ``st.navigation`` that ends the older mode for every
    session of the server, and reruns: the rerun goes through the entry point
    to the same page (Streamlit names a page's run after its address, which is
    its file's name in both modes, see ``ui.navigation``).
    """
    if not st.session_state.get(_IN_ENTRY_RUN):
        navigation.menu()
        st.rerun()
    return st.session_state["_selection"]


def run_page(navigation, sel: Selection) -> None:
    """Run the chosen page with ``sel`` as this run's selection (the entry point's last step)."""
    st.session_state["_selection"] = sel
    st.session_state[_IN_ENTRY_RUN] = True
    try:
        navigation.run()
    finally:
        st.session_state[_IN_ENTRY_RUN] = False


def write_url(**page_params) -> None:
    """Make the address bar reproduce this view: the shared choices plus the page's own ``page_params``.

    Pages (and their fragments) call it with their parameters; the entry point
    calls it without any for pages that have none (see :func:`url_written`).
    """
    sel = st.session_state["_selection"]  # also called from fragment reruns, which skip the entry point
    params = {"split": sel.split, "obs": str(sel.index + 1)} if sel.split != "upload" else {"split": "upload"}
    if sel.model_key != "shipped":
        params["model"] = sel.model_key
    params.update({k: str(v) for k, v in page_params.items()})
    if st.query_params.to_dict() != params or any(len(st.query_params.get_all(k)) > 1 for k in params):
        st.query_params.from_dict(params)  # (a repeated parameter, ?obs=1&obs=2, is written back once)
    st.session_state[_URL_WRITTEN] = bool(page_params)
    _remember_persistent()


def url_written() -> bool:
    """True if the page wrote its own parameters during this run (and resets the flag)."""
    return st.session_state.pop(_URL_WRITTEN, False)
