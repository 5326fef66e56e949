"""The link: every value the address bar holds, listed once. A widget of :data:`LINK_PARAMS`, drawn through
:func:`bound`, keeps its value in the link (``bind="query-params"``) and across pages (``persist_state``). Added here
what the binding lacks: notices naming link values it cannot use, a page's values applying on the page the link
opened only, slider values kept when ranges change, and values no widget holds (:func:`carry`, :func:`take_start`)."""

from collections.abc import Callable

import streamlit as st

from .notices import notice

__all__ = ["SIDEBAR", "LINK_PARAMS", "remember_start", "bound", "keep_in_range", "restart_when", "take_start", "carry"]

SIDEBAR = ""  # the "page" of the sidebar's shared choices: every page
LINK_PARAMS = {  # page (url path) -> the keys of its widgets whose values the link holds
    SIDEBAR: ("data", "split", "obs", "net", "layer"),
    "activations": ("act_q", "act_units", "act_step", "act_order"),
    "trajectory": ("traj_step",),
    "why": ("why_target", "why_baseline"),
    "units": ("units_unit",),
    "ablation": ("abl_units", "abl_from"),
    "whatif": ("whatif_edits", "whatif_units", "whatif_sweep"),
    "patterns": ("pat_steps", "pat_level", "pat_units", "pat_where"),
    "paths": ("paths_step", "paths_bg"),
    "compare": ("cmp_split", "cmp_obs", "cmp_units", "cmp_q"),
    "mistakes": ("mis_cell",),
    "networks": ("nets_other", "nets_split"),
    "glossary": ("glo_search",),
}
_PAGE_OF = {key: page for page, keys in LINK_PARAMS.items() for key in keys}
_START, _CHECKED = "_link_start", "_link_checked"  # (page, {name: [values]}) of the opening link; names checked
_RANGES, _FOLLOWED, _RESTART = "_link_ranges", "_link_followed", "_link_restart"  # see keep_in_range, restart_when


def _value(text: str) -> float | str:
    """``text`` as a number if it reads as one (a link writes 7 as "7" or "7.0")."""
    try:
        return float(text)
    except ValueError:
        return text


def remember_start(page: str) -> None:
    """Keep the link the session was opened with (the entry point's first step), dropping another page's own
    values from it and any value that reads as infinite (Streamlit's number box raises on it)."""
    if _START not in st.session_state:
        st.session_state[_START] = page, {name: st.query_params.get_all(name) for name in st.query_params}
        dropped = [
            name
            for name, values in st.session_state[_START][1].items()
            if _PAGE_OF.get(name, SIDEBAR) not in (SIDEBAR, page)
            or (name in _PAGE_OF and float("inf") in [abs(v) for v in map(_value, values) if isinstance(v, float)])
        ]
        for name in dropped:
            del st.query_params[name]
        if dropped:
            st.rerun()


def _first_look(key: str) -> list[str] | None:
    """The opening link's values for ``key`` where they apply, the first time only."""
    page, params = st.session_state.get(_START, ("", {}))
    if key in st.session_state.setdefault(_CHECKED, set()) or _PAGE_OF[key] not in (SIDEBAR, page):
        return None
    st.session_state[_CHECKED].add(key)
    return params.get(key)


def _warn(key: str, raw: list[str], what: str, shown: str) -> None:
    text = repr(" ".join(raw)[:40]).replace("`", "'")  # in a code span: a link's text never becomes Markdown
    notice(f"The link's value for “{key}” (`{text}`) is not {what}; showing {shown} instead.")


def _what(args: tuple, kwargs: dict) -> str:
    """What a good value of a widget drawn with ``args`` and ``kwargs`` is, in words."""
    if args and not isinstance(args[0], (int, float)):  # options
        labels = [str(kwargs.get("format_func", str)(option)) for option in args[0]]
        return "one of " + ", ".join(labels) if len(labels) <= 6 else f"one of its {len(labels)} choices"
    low, high = args[:2] if len(args) >= 2 else (kwargs.get("min_value"), kwargs.get("max_value"))
    return "a value it can show" if None in (low, high) else f"a number from {low} to {high}"


def bound(widget: Callable, label: str, *args, key: str, **kwargs):
    """Draw Streamlit ``widget`` (``st.slider``, ``st.radio``...) with its value in the link and kept across pages;
    returns its value. ``key`` is one of :data:`LINK_PARAMS`. Give the default (``value=``, ``index=`` or
    ``default=``) on every call: the link leaves it out, and a value set from a callback wins over it."""
    if key not in _PAGE_OF:
        raise KeyError(f"{key!r} is not in LINK_PARAMS: list every widget of the link there")
    if key in st.session_state.get(_RESTART, ()):
        st.session_state[_RESTART].discard(key)
        first = kwargs.get("value", kwargs.get("default"))
        st.session_state[key] = list(args[0])[kwargs.get("index", 0)] if first is None else first
    keep_in_range(key, *(args[:2] if len(args) >= 2 else (kwargs.get("min_value"), kwargs.get("max_value"))))
    value = widget(label, *args, key=key, bind="query-params", persist_state="session", **kwargs)
    items = value if isinstance(value, (tuple, list)) else [value]
    shown = [str(kwargs.get("format_func", str)(item)) for item in items]  # as the link writes them
    if (raw := _first_look(key)) is not None and list(map(_value, raw)) != list(map(_value, shown)):
        _warn(key, raw, _what(args, kwargs), ", ".join(shown) or "none")
    return value


def keep_in_range(key: str, low, high) -> None:
    """Keep slider or number box ``key``'s value when its range changes, moved into ``low`` to ``high`` (Streamlit
    would start it again from its default); call before drawing it. :func:`bound` does it for the link's."""
    if not all(isinstance(end, (int, float)) and not isinstance(end, bool) for end in (low, high)):
        return
    ranges = st.session_state.setdefault(_RANGES, {})
    if key in st.session_state and ranges.get(key, (low, high)) != (low, high):
        fit = lambda number: min(max(number, low), high)  # noqa: E731
        kept = st.session_state[key]  # a number, or a (first, last) range
        st.session_state[key] = tuple(map(fit, kept)) if isinstance(kept, tuple) else fit(kept)
    ranges[key] = (low, high)


def restart_when(keys: tuple[str, ...], token) -> None:
    """Let widgets ``keys`` start again from their defaults when ``token`` (what they belong to, e.g. the recording
    shown) changes; call before drawing them. One of the link's gets its default as :func:`bound` draws it
    (forgotten, it would take the link's old value again); another is forgotten."""
    followed = st.session_state.setdefault(_FOLLOWED, {})
    if keys in followed and followed[keys] != token:
        st.session_state.setdefault(_RESTART, set()).update(key for key in keys if key in _PAGE_OF)
        for key in set(keys) - set(_PAGE_OF):
            st.session_state.pop(key, None)
    followed[keys] = token


def take_start(key: str, parse: Callable[[str], object], what: str):
    """The opening link's value for ``key`` (one no widget holds) read by ``parse``, the first time only; None after
    that, without one, or when ``parse`` raises ``ValueError`` (then with a notice: it is not ``what``)."""
    if (raw := _first_look(key)) is not None:
        try:
            return parse(raw[0])
        except ValueError:
            _warn(key, raw, what, "none")
    return None


def carry(key: str, text: str | None) -> None:
    """Write a value that no widget holds (``key`` of :data:`LINK_PARAMS`) into the link; None or "" leaves it out."""
    if key not in _PAGE_OF:
        raise KeyError(f"{key!r} is not in LINK_PARAMS: list every value of the link there")
    if text and st.query_params.get(key) != text:
        st.query_params[key] = text
    elif not text and key in st.query_params:
        del st.query_params[key]
