"""The guided first visit (issue 9.4): five steps from one recording to the hidden units that carry its class.

Every destination is computed from the data and the chosen network, and every sentence names the chosen data
set's own classes and channels: the recording is test observation 1 (MATLAB's example for Japanese Vowels);
its class ``S`` is read from the data; the unit to meet is the strongest of the units that single out ``S``
(``core.analyses.units.class_units``, the meaning the units table and Silence units share), described by
``core.presentation.describe``; the units to silence are up to :data:`N_SILENCED` of them.

Progress is per session, in ``st.session_state``: ``tour_at`` is the last step
opened (0 before the first) and ``tour_skipped`` hides the tour. A step's button
sets the sidebar choice and the destination page's widgets (through
``ui.state``, so that they stick), then opens the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import streamlit as st

from core.analyses.units import ClassUnits, class_units
from core.compute.checks import counted
from core.presentation.describe import describe_unit
from core.presentation.summary import decision_words, summary_facts
from ui import computed, navigation, state
from ui.selection import Selection

__all__ = [
    "N_STEPS",
    "TOUR_SPLIT",
    "TOUR_OBSERVATION",
    "N_SILENCED",
    "STEP_PAGES",
    "Stop",
    "progress",
    "is_skipped",
    "stop",
    "go",
    "skip",
    "restart",
    "tour_panel",
    "tour_hint",
]

N_STEPS = 5
TOUR_SPLIT = "test"
TOUR_OBSERVATION = 1  # 1-based: the recording MATLAB's example shows
N_SILENCED = 10  # units silenced in the last step: fewer barely change the network's answers
_WINDOW = 10  # hidden units shown on the Activations page
_AT, _SKIPPED = "tour_at", "tour_skipped"

# step -> the page it opens
STEP_PAGES = {
    step: navigation.page(name)
    for step, name in enumerate(("dataset", "trajectory", "activations", "units", "ablation"), start=1)
}


@dataclass(frozen=True)
class Stop:
    """One step of the tour: where it goes, what it says, and the settings it opens the page with.

    Attributes
    ----------
    number : int
        1 to :data:`N_STEPS`.
    page : ui.navigation.Page
        The page it opens.
    title : str
        A few words, for the list of steps.
    sentence : str
        What to look at there, in plain words.
    settings : dict
        Widget key -> value: the page's widgets as the step opens it (the sidebar shows
        :data:`TOUR_OBSERVATION` of :data:`TOUR_SPLIT`).
    """

    number: int
    page: navigation.Page
    title: str
    sentence: str
    settings: dict = field(default_factory=dict)


def progress() -> int:
    """The last step opened: 0 before the first, :data:`N_STEPS` when the tour is done."""
    return int(st.session_state.get(_AT, 0))


def is_skipped() -> bool:
    return bool(st.session_state.get(_SKIPPED, False))


def _tour_class(sel: Selection) -> int:
    """The class (1-based) of the tour's recording."""
    return int(sel.dataset.split(TOUR_SPLIT).labels[TOUR_OBSERVATION - 1])


def _of_class(name: str, class_word: str) -> str:
    """A class for "a recording of …": "speaker 3" as it is, "activity “walking”" with its class word."""
    return name if name.startswith(class_word) else f"{class_word} “{name}”"


def _titles(name: str, own: bool) -> dict[int, str]:
    """The steps' titles, for the tour's recording of the class called ``name``; ``own``: some unit singles it
    out (:func:`_tour_units`)."""
    return {
        1: "See one recording as numbers",
        2: "Watch the decision form",
        3: "Look inside the network",
        4: f"Meet a unit that singles out {name}" if own else "Meet the unit that stands out most",
        5: f"Silence the units that single out {name}" if own else "Silence it and see what changes",
    }


def _tour_units(sel: Selection) -> tuple[np.ndarray, bool, ClassUnits]:
    """The units steps 3 to 5 look at (1-based, strongest first), whether they single out the tour's class, and
    every unit's class. Without such a unit: the one unit that singles out any class most strongly, or, when none
    does, the one whose class differs most (:meth:`ClassUnits.ranking`)."""
    classes = class_units(computed.selectivity(sel, TOUR_SPLIT))
    chosen = classes.for_class(_tour_class(sel))[:N_SILENCED] + 1
    if chosen.size:
        return chosen, True, classes
    return classes.ranking()[:1] + 1, False, classes


def stop(number: int, sel: Selection) -> Stop:
    """Step ``number`` of the tour for the data set, network and layer of ``sel``, computed from the data."""
    if number not in STEP_PAGES:
        raise ValueError(f"the tour has steps 1 to {N_STEPS}, got {number!r}")
    info = sel.info
    part = sel.dataset.split(TOUR_SPLIT)
    index = TOUR_OBSERVATION - 1
    label = _tour_class(sel)
    name = info.class_names[label - 1]
    model, layer = sel.model, sel.layer
    x = part.sequences[index]  # (F, T)
    n_steps = x.shape[1]
    settings = {}
    page = STEP_PAGES[number]
    where = f"test recording {TOUR_OBSERVATION}"
    units = _tour_units(sel) if number >= 3 else None  # (chosen, own, classes)
    title = _titles(name, own=units is None or units[1])[number]
    if number == 1:
        sentence = (
            f"Start with the data: {where} is a recording of {_of_class(name, info.class_word)}, cut into {n_steps} "
            f"short time steps, each described by {counted(info.n_channels, 'number')}. The chart draws "
            f"{'those numbers' if info.n_channels > 1 else 'that number'} over "
            "time."
        )
        return Stop(number, page, title, sentence, settings)
    trace = computed.split_traces(sel, TOUR_SPLIT)[index]
    if number == 2:
        facts = summary_facts(trace, label)
        verdict = f"the right {info.class_word}" if facts.correct else f"but the recording is {name}"
        sentence = (
            f"The network reads {where} one time step at a time and, after each one, says how likely "
            f"each {info.class_word} is. Its final answer is {info.class_names[facts.predicted - 1]} ({verdict}). "
            + decision_words(facts)
        )
        settings["traj_step"] = facts.settling_step
        return Stop(number, page, title, sentence, settings)
    n_units = model.config.hidden_size
    chosen, own, classes = units
    unit = int(chosen[0])
    if number == 3:
        where_units = f"layer {layer + 1} of the network has" if model.config.num_layers > 1 else "the network has"
        first = max(1, min(unit - _WINDOW // 2 + 1, n_units - _WINDOW + 1))
        last = min(n_units, first + _WINDOW - 1)
        sentence = (
            f"Inside, {where_units} {n_units} hidden units. Each row of the heatmap is one unit, each "
            f"column a time step of {where}; the colour is the unit's value at that moment. Units "
            f"{first} to {last} are shown, among them unit {unit}, the one the next step looks at."
        )
        settings.update(act_q="hidden", act_order="number", act_units=(first, last))
        return Stop(number, page, title, sentence, settings)
    if number == 4:
        description = describe_unit(computed.unit_stats(sel, TOUR_SPLIT)[unit - 1], info=info)
        n_recordings = len(part)
        lead = (
            f"Over all {n_recordings} test recordings, unit {unit} is the one that singles out {name} most strongly."
            if own
            else f"No unit singles out {name} clearly; over all {n_recordings} test recordings, unit {unit} singles "
            f"out {info.class_names[classes.klass[unit - 1] - 1]} most strongly."
            if classes.klass[unit - 1]
            else f"No unit singles out any {info.class_word} clearly in this network; unit {unit} comes closest."
        )
        sentence = f"{lead} In words: {description}"
        settings["units_unit"] = unit
        return Stop(number, page, title, sentence, settings)
    units = [int(u) for u in chosen]
    listed = ", ".join(str(u) for u in units[:-1]) + f" and {units[-1]}" if len(units) > 1 else str(units[0])
    which = (
        f"the {len(units)} units that single out {name} (units {listed})"
        if own and len(units) > 1
        else f"unit {listed}, the one that singles out {name}"
        if own
        else f"unit {listed}"
    )
    sentence = (
        f"Does the network need {'those units' if len(units) > 1 else 'it'}? Silence {which} and see how the "
        f"answer for {where} changes, and how many of the recordings of {name} the network still gets right."
    )
    settings["abl_units"] = units
    return Stop(number, page, title, sentence, settings)


def go(target: Stop) -> None:
    """Button callback: set the sidebar to the tour's recording and ``target``'s settings, note its step as
    reached and open its page.

    It runs before the script, when the sidebar and page widgets can still be set; the entry point opens the
    page early in the run the click starts (``ui.state.running.follow_page_request``).
    """
    st.session_state.update(target.settings)
    state.open_page(target.page, split=TOUR_SPLIT, obs=TOUR_OBSERVATION)
    st.session_state[_AT] = target.number
    st.session_state[_SKIPPED] = False


def _button(where, label: str, key: str, target: Stop, **kwargs) -> None:
    """A button (in ``where``: ``st`` or a column) that opens ``target``'s page with its settings."""
    where.button(label, key=key, on_click=go, args=(target,), icon=":material/arrow_forward:", **kwargs)


def skip() -> None:
    """Button callback: hide the tour (Home keeps a button to restart it)."""
    st.session_state[_SKIPPED] = True


def restart() -> None:
    """Button callback: show the tour again from step 1."""
    st.session_state[_AT] = 0
    st.session_state[_SKIPPED] = False


def _step_list(current: int, titles: dict[int, str]) -> str:
    """The five steps as Markdown lines: done, current (bold) and still to come."""
    lines = []
    for k in range(1, N_STEPS + 1):
        text = f"Step {k}: {titles[k]} ({STEP_PAGES[k].title})"
        if k < current:
            lines.append(f":material/check_circle: {text}")
        elif k == current:
            lines.append(f":material/arrow_forward: **{text}**")
        else:
            lines.append(f":material/radio_button_unchecked: {text}")
    return "  \n".join(lines)


def tour_panel(sel) -> None:
    """The tour box on Home: the step list, the next step's sentence and button, skip and restart.

    Buttons: ``tour_go_<k>`` for the next step ``k``, ``tour_skip``, ``tour_restart``.
    """
    if sel.model is None:
        st.caption("The guided tour looks inside a network: it starts once one is trained on this data set.")
        return
    if is_skipped():
        c1, c2 = st.columns([3, 1], vertical_alignment="center")
        c1.caption(
            "The guided tour is hidden. It takes five short steps from one recording to the hidden units "
            f"that recognise its {sel.info.class_word}."
        )
        c2.button("Restart the tour", key="tour_restart", on_click=restart, icon=":material/replay:")
        return
    at = progress()
    with st.container(border=True):
        st.markdown("### :material/tour: New here? Take the five-step tour")
        if at >= N_STEPS:
            st.markdown(
                "You have finished the tour. Every page is open to you now: pick one in the menu at the "
                "top, or choose another recording in the sidebar and look at it the same way."
            )
            st.button("Start the tour again", key="tour_restart", on_click=restart, icon=":material/replay:")
            return
        current = at + 1
        target = stop(current, sel)
        st.progress(at / N_STEPS, text=f"Step {current} of {N_STEPS}")
        st.markdown(_step_list(current, _titles(sel.info.class_names[_tour_class(sel) - 1], _tour_units(sel)[1])))
        st.markdown(target.sentence)
        _button(st, f"Step {current}: open “{target.page.title}”", f"tour_go_{current}", target, type="primary")
        c1, c2 = st.columns(2)
        c1.button("Skip the tour", key="tour_skip", on_click=skip, icon=":material/close:", type="tertiary")
        if at > 0:
            c2.button(
                "Start again from step 1",
                key="tour_restart",
                on_click=restart,
                icon=":material/replay:",
                type="tertiary",
            )


def tour_hint(sel) -> None:
    """A short box at the top of the page the tour just opened: where you are and a button for the next step.

    Shows nothing unless the tour is running and this is the page of the step last opened. Meant to be
    called from the entry point after the sidebar. Buttons: ``tour_next``, ``tour_end``.
    """
    at, page = progress(), state.running.current_page()
    if sel.model is None or is_skipped() or not 1 <= at <= N_STEPS or page != STEP_PAGES[at].url_path:
        return
    here = stop(at, sel)
    with st.container(border=True):
        st.markdown(f":material/tour: **Guided tour, step {at} of {N_STEPS}: {here.title}.** {here.sentence}")
        c1, c2 = st.columns([1, 1])
        if at < N_STEPS:
            following = stop(at + 1, sel)
            _button(c1, f"Next, step {at + 1}: {following.title}", "tour_next", following, type="primary")
            c2.button("End the tour", key="tour_end", on_click=skip, icon=":material/close:", type="tertiary")
        else:
            c1.markdown("That was the last step. Look around on any page; the tour can be restarted on Home.")
            c2.page_link(navigation.HOME.file, label="Back to Home", icon=navigation.HOME.icon)
