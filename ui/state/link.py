"""The link: every widget whose value the address bar holds, listed once, and what Streamlit's binding lacks.

A widget in :data:`LINK_PARAMS` is drawn through :func:`bound`: Streamlit then keeps its value in the link
(``bind="query-params"``: the key is the parameter's name, a value equal to the widget's default is left out)
and across page switches (``persist_state="session"``). What Streamlit lacks is said here: a link value it
could not use (out of range, not an option) is dropped without a word, so :func:`bound` compares the value shown
with the link the session was opened with and gives a notice naming the parameter. A page's own parameters
apply on the page the link opened; the sidebar's on every page.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import streamlit as st

from .notices import notice

__all__ = [
    "LinkParam",
    "LINK_PARAMS",
    "SIDEBAR",
    "remember_start",
    "bound",
    "start_value",
    "carry",
    "take_start",
    "restart_when",
    "keep_in_range",
]

SIDEBAR = ""  # the page of the sidebar's parameters: every page


@dataclass(frozen=True)
class LinkParam:
    """One value the link holds.

    Attributes
    ----------
    key : str
        The widget's key and the parameter's name in the link (``?obs=7``).
    page : str
        The url path of the page whose widget it is; :data:`SIDEBAR` for the shared choices.
    what : str
        What a good value is, for a notice: "… is not a recording of this set".
    """

    key: str
    page: str
    what: str


LINK_PARAMS = (
    LinkParam("data", SIDEBAR, "a data set of this app"),
    LinkParam("split", SIDEBAR, "a set of recordings of this data set"),
    LinkParam("obs", SIDEBAR, "a recording of the chosen set"),
    LinkParam("net", SIDEBAR, "a network of this data set"),
    LinkParam("layer", SIDEBAR, "a layer of the chosen network"),
    LinkParam("act_q", "activations", "one of the quantities shown"),
    LinkParam("act_units", "activations", "a range of the network's units"),
    LinkParam("act_step", "activations", "a time step of this recording"),
    LinkParam("act_order", "activations", "an order of the rows"),
    LinkParam("traj_step", "trajectory", "a time step of this recording"),
    LinkParam("why_target", "why", "a class of this data set"),
    LinkParam("why_baseline", "why", "one of the starting points"),
    LinkParam("units_unit", "units", "a unit of the network"),
    LinkParam("abl_units", "ablation", "units of the network"),
    LinkParam("abl_from", "ablation", "a time step of this recording"),
    LinkParam("whatif_edits", "whatif", "a list of edits such as cut_start:3,noise:0.5:seed7"),
    LinkParam("whatif_units", "whatif", "a range of the network's units"),
    LinkParam("whatif_sweep", "whatif", "one of the edits swept"),
    LinkParam("pat_steps", "patterns", "a range of this recording's time steps"),
    LinkParam("pat_level", "patterns", "a level from 0 to 1"),
    LinkParam("pat_units", "patterns", "a range of the network's units"),
    LinkParam("pat_where", "patterns", "the test or the training set"),
    LinkParam("paths_step", "paths", "a time step of this recording"),
    LinkParam("paths_bg", "paths", "the test or the training set"),
    LinkParam("cmp_split", "compare", "a set of recordings"),
    LinkParam("cmp_obs", "compare", "a recording of that set"),
    LinkParam("cmp_units", "compare", "a range of the network's units"),
    LinkParam("cmp_q", "compare", "hidden or cell state"),
    LinkParam("mis_cell", "mistakes", "a square of the table that holds mistakes"),
    LinkParam("nets_other", "networks", "another network of this data set"),
    LinkParam("nets_split", "networks", "the test or the training set"),
    LinkParam("glo_search", "glossary", "a search text"),
)
_BY_KEY = {param.key: param for param in LINK_PARAMS}
_START = "_link_at_start"  # (url path, {name: [values]}): the link the session was opened with
_CHECKED = "_link_checked"  # names whose start value has been compared with what is shown
_FOLLOWED = "_link_followed"  # {keys: what their values belong to}, see restart_when
_RANGES = "_link_ranges"  # {key: (min, max)} of the sliders and number boxes, as last drawn
_RESTART = "_link_restart"  # keys of the link's widgets to set to their defaults when next drawn, see restart_when


def remember_start(page: str) -> None:
    """Keep the link the session was opened with (its page and parameters); the entry point's first step.

    Dropped from the link then, and the run started again without them: another page's own parameters (they
    apply only on the page the link opened), and a value that reads as an infinite number (``inf``, ``1e999``, a
    hundred thousand 9s), on which Streamlit's whole-number box raises instead of ignoring it. The notice for the
    latter still comes, from the kept start link.
    """
    if _START not in st.session_state:
        params = {name: st.query_params.get_all(name) for name in st.query_params}
        st.session_state[_START] = (page, params)
        dropped = [
            name
            for name, values in params.items()
            if name in _BY_KEY and (_BY_KEY[name].page not in (SIDEBAR, page) or any(map(_infinite, values)))
        ]
        for name in dropped:
            del st.query_params[name]
        if dropped:
            st.rerun()


def _infinite(text: str) -> bool:
    """True if ``text`` reads as a number (as Python's ``float`` reads it) that is infinite."""
    try:
        return abs(float(text)) == float("inf")
    except ValueError:
        return False


def start_value(key: str) -> list[str] | None:
    """The values the session's starting link gave parameter ``key``, if it applies here (the sidebar's on every
    page, a page's own on the page the link opened); None otherwise."""
    page, params = st.session_state.get(_START, ("", {}))
    param = _BY_KEY[key]
    if key not in params or param.page not in (SIDEBAR, page):
        return None
    return params[key]


def _link_text(value, format_func: Callable | None) -> list[str]:
    """How Streamlit writes ``value`` in the link: each item of a range or list, an option by its label."""
    items = list(value) if isinstance(value, (tuple, list)) else [value]
    return [str(format_func(item) if format_func else item) for item in items]


def _same(raw: list[str], shown: list[str]) -> bool:
    """True if the link's text ``raw`` says what is shown: the same text, or the same numbers."""
    if len(raw) != len(shown):
        return False
    try:
        return all(abs(float(a) - float(b)) < 1e-9 for a, b in zip(raw, shown, strict=True))
    except ValueError:
        return raw == shown


def bound(widget: Callable, label: str, *args, key: str, **kwargs):
    """Draw Streamlit ``widget`` (``st.slider``, ``st.radio``… or a column's) with its value in the link and kept
    across pages, and name a link value that it could not use; returns the widget's value.

    ``key`` must be one of :data:`LINK_PARAMS`; ``args`` and ``kwargs`` go to the widget. Give the default as
    ``value=``, ``index=`` or ``default=``, on every call: it applies only while the widget has no value of its
    own, and it is the value the link leaves out (a value set from a callback wins over it). A slider's or number
    box's value is kept when its range changes (another recording, another network), moved into the new range.
    """
    if key not in _BY_KEY:
        raise KeyError(f"{key!r} is not in LINK_PARAMS: list every widget of the link there")
    if key in st.session_state.get(_RESTART, ()):
        st.session_state[_RESTART].discard(key)
        st.session_state[key] = _default(args, kwargs)
    keep_in_range(key, *(args[:2] if len(args) >= 2 else (kwargs.get("min_value"), kwargs.get("max_value"))))
    value = widget(label, *args, key=key, bind="query-params", persist_state="session", **kwargs)
    raw = start_value(key)
    checked = st.session_state.setdefault(_CHECKED, set())
    if raw is not None and key not in checked:
        checked.add(key)
        shown = _link_text(value, kwargs.get("format_func"))
        if not _same(raw, shown):
            _warn(key, raw, ", ".join(shown) or "none")
    return value


def _default(args: tuple, kwargs: dict):
    """The value a widget drawn with ``args`` and ``kwargs`` starts from: its ``value=`` or ``default=``, or the
    option at ``index=`` (0 if not given) of its options ``args[0]``."""
    if "value" in kwargs:
        return kwargs["value"]
    if "default" in kwargs:
        return kwargs["default"]
    return list(args[0])[kwargs.get("index", 0)]


def keep_in_range(key: str, low, high) -> None:
    """Keep the value of slider or number box ``key`` when its range changes, moved into the new range ``low`` to
    ``high``; call before drawing it. (Streamlit starts a widget whose range changed again from its default, and
    raises on a kept value outside the range.) :func:`bound` does it for the widgets of the link."""
    if not all(isinstance(end, (int, float)) and not isinstance(end, bool) for end in (low, high)):
        return
    ranges = st.session_state.setdefault(_RANGES, {})
    if key in st.session_state and ranges.get(key, (low, high)) != (low, high):
        kept = st.session_state[key]  # a number, or a (first, last) range

        def fit(number):
            return min(max(number, low), high)

        st.session_state[key] = tuple(map(fit, kept)) if isinstance(kept, tuple) else fit(kept)
    ranges[key] = (low, high)


def _warn(key: str, raw: list[str], shown: str) -> None:
    # Link text is shown in a code span: a link's text never becomes Markdown on someone else's screen.
    text = repr(" ".join(raw)[:40]).replace("`", "'")
    notice(f"The link's value for “{key}” (`{text}`) is not {_BY_KEY[key].what}; showing {shown} instead.")


def take_start(key: str, parse: Callable[[str], object]):
    """The starting link's value for ``key``, a page's value that no widget holds, read by ``parse`` once per
    session (None after that, when the link has none or ``parse`` raises ``ValueError``: then with a notice)."""
    raw = start_value(key)
    checked = st.session_state.setdefault(_CHECKED, set())
    if raw is None or key in checked:
        return None
    checked.add(key)
    try:
        return parse(raw[0])
    except ValueError:
        _warn(key, raw, "none")
        return None


def carry(key: str, text: str | None) -> None:
    """Write a page's value that no widget holds (``key`` of :data:`LINK_PARAMS`) into the link as ``text``; None
    or "" leaves it out."""
    if key not in _BY_KEY:
        raise KeyError(f"{key!r} is not in LINK_PARAMS: list every value of the link there")
    if text:
        if st.query_params.get(key) != text:
            st.query_params[key] = text
    elif key in st.query_params:
        del st.query_params[key]


def restart_when(keys: tuple[str, ...], token) -> None:
    """Let widgets ``keys`` start again from their defaults when ``token`` (what their values belong to, e.g. the
    recording shown) differs from the last call's; call before drawing them.

    A widget of the link is set to its default as :func:`bound` draws it (forgotten, it would take its value from
    the link again); another one is forgotten.
    """
    followed = st.session_state.setdefault(_FOLLOWED, {})
    if keys in followed and followed[keys] != token:
        for key in keys:
            if key in _BY_KEY:
                st.session_state.setdefault(_RESTART, set()).add(key)
            else:
                st.session_state.pop(key, None)
    followed[keys] = token
