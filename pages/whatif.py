"""What if?: edit the chosen recording and watch the network's answer change; find how much an edit takes."""

import streamlit as st

from core.analyses import whatif
from core.compute import upload
from core.presentation import charts, frames
from core.presentation.edits import EDIT_HELP, SWEEP_TITLES, describe_edit, flip_sentences, sweep_sentence
from core.presentation.glossary import explain
from core.presentation.numbers import change, percent
from core.presentation.summary import summary_facts
from ui import computed, display, loaders, state
from ui.header import page_header

sel = state.selection()
data = sel.dataset
info = sel.info
H = sel.model.config.hidden_size
F = sel.x.shape[0]
# a splice takes from the sidebar's split (the test set for an own sequence), or from the training set
other = data.split(sel.split if sel.split in ("test", "train") else "test").sequences
training = data.train.sequences
LIMIT = loaders.edit_limit(data, data.fingerprint)  # how far from 0 an edit may take the values
EDITS_TEXT = "a list of edits such as cut_start:3,noise:0.5:seed7"
if (linked := state.link.take_start("whatif_edits", whatif.edits_from_text, EDITS_TEXT)) is not None:
    st.session_state["whatif_edits"] = tuple(linked)
st.session_state.setdefault("whatif_edits", ())


def name_of(k: int) -> str:
    """Class ``k`` (1-based) as people read it."""
    return info.class_names[k - 1]


def _add() -> None:
    """Button callback: append the edit the widgets describe, if it fits the edited recording."""
    kind, get = st.session_state["whatif_kind"], st.session_state.get
    st.session_state.pop("whatif_refused", None)
    try:
        edit = {
            "cut_start": lambda: whatif.cut_start(get("whatif_steps")),
            "cut_end": lambda: whatif.cut_end(get("whatif_steps")),
            "keep": lambda: whatif.keep(get("whatif_first"), get("whatif_last")),
            "speed": lambda: whatif.speed(get("whatif_speed")),
            "scale": lambda: whatif.scale(get("whatif_channel"), get("whatif_factor")),
            "flat": lambda: whatif.flat(get("whatif_channel")),
            "noise": lambda: whatif.noise(get("whatif_noise"), get("whatif_seed")),
            "splice": lambda: whatif.splice(get("whatif_source"), get("whatif_first"), get("whatif_last")),
        }[kind]()
        edits = (*st.session_state["whatif_edits"], edit)
        whatif.apply_edits(sel.x, edits, other=other, training=training, limit=LIMIT)  # refused if it does not fit
    except ValueError as exc:
        st.session_state["whatif_refused"] = str(exc)
        return
    st.session_state["whatif_edits"] = edits


def _remove(number: int) -> None:
    """Button callback: drop edit ``number`` (0-based)."""
    edits = st.session_state["whatif_edits"]
    st.session_state["whatif_edits"] = edits[:number] + edits[number + 1 :]


def _open_as_own(x) -> None:
    """Button callback: make the edited recording this session's own sequence, shown on every page."""
    state.stores.keep_sequence(data.key, x.copy())
    state.choose(split="upload")
    st.session_state["whatif_edits"] = ()


def _keep_flip(edit) -> None:
    """Button callback: add the edit that flips the answer to the list of edits."""
    st.session_state["whatif_edits"] = (*st.session_state["whatif_edits"], edit)


page_header(
    sel,
    "What if?",
    f"Change the recording chosen in the sidebar and watch what the network makes of it. Cut it, play it faster, "
    f"make one channel louder, add noise or splice in a stretch of another recording: next to the original you "
    f"see how the answer forms, what the hidden units do, and how each {info.class_word}'s final probability "
    "moves. Or let the app find **the smallest change that flips the answer**.",
    ["time step", "channel", "hidden unit", "hidden state", "heatmap", "probability", "class"],
    drawn="both",
)

edits = list(st.session_state["whatif_edits"])
state.link.carry("whatif_edits", whatif.edits_to_text(edits))
try:
    edited = whatif.apply_edits(sel.x, edits, other=other, training=training, limit=LIMIT)  # (F, T')
except ValueError as exc:
    st.warning(
        f"These edits do not fit this recording: {exc}. Remove that edit below; meanwhile the original is shown.",
        icon=":material/warning:",
    )
    edited = sel.x

st.markdown("#### Your edits")
if not edits:
    st.caption("No edits yet: the edited recording is the original. Add one below; they are applied in order.")
for number, edit in enumerate(edits):
    c1, c2 = st.columns([5, 1])
    c1.markdown(f"{number + 1}. {describe_edit(edit, channel_names=info.channel_names)}")
    c2.button("Remove", key=f"whatif_remove_{number}", on_click=_remove, args=(number,), icon=":material/close:")

T = edited.shape[1]
# the builder's whole-number inputs, kept within this recording's current range
with st.container(border=True):
    kind = st.selectbox(
        "Add an edit",
        whatif.KINDS,
        format_func=lambda k: EDIT_HELP[k].split(":")[0],
        key="whatif_kind",
        help="Each edit applies to the recording as the edits above left it.",
    )
    st.caption(EDIT_HELP[kind])
    if kind in ("cut_start", "cut_end"):
        st.number_input("Steps to cut", 1, max(1, T - 2), value=1, key="whatif_steps")
    elif kind in ("keep", "splice"):
        if kind == "splice":
            st.number_input(
                f"From recording number (same set, 1 to {len(other)})", 1, len(other), value=1, key="whatif_source"
            )
        c1, c2 = st.columns(2)
        c1.number_input("First step", 1, T, value=1, key="whatif_first")
        c2.number_input("Last step", 1, T, value=min(T, 5), key="whatif_last")
    elif kind == "speed":
        st.slider("Speed (2 = twice as fast)", *whatif.SPEED_RANGE, 1.5, 0.05, key="whatif_speed")
    elif kind in ("scale", "flat"):
        st.selectbox("Channel", range(1, F + 1), format_func=lambda c: info.channel_names[c - 1], key="whatif_channel")
        if kind == "scale":
            st.slider("Multiply by (0 silences it)", 0.0, 3.0, 0.5, 0.05, key="whatif_factor")
    elif kind == "noise":
        c1, c2 = st.columns(2)
        c1.slider("Noise strength", 0.0, 2.0, 0.3, 0.05, key="whatif_noise", help="The typical size of the changes.")
        c2.number_input("Seed", 0, 10_000, 0, key="whatif_seed", help="Another seed gives other random changes.")
    st.button("Add this edit", key="whatif_add", on_click=_add, icon=":material/add:", type="primary")
    if refused := st.session_state.get("whatif_refused"):
        st.warning(f"That edit was not added: {refused}.", icon=":material/warning:")

original_trace = computed.trace(sel)
unedited = not edits or edited is sel.x  # no edit, or edits that do not fit: the original is shown
edited_trace = original_trace if unedited else computed.sequence_trace(sel, edited)
before, after = summary_facts(original_trace, sel.label), summary_facts(edited_trace, sel.label)
edited_title = f"Edited ({T} steps)"

st.markdown("#### What the network answers")
c1, c2, c3 = st.columns(3)
sure = {"delta_color": "off", "delta_arrow": "off"}  # how sure, not a change: no arrow
c1.metric("Original answer", name_of(before.predicted), f"{percent(before.confidence)} sure", **sure)
c2.metric("Edited answer", name_of(after.predicted), f"{percent(after.confidence)} sure", **sure)
kept = (original_trace.probs[-1][before.predicted - 1], edited_trace.probs[-1][before.predicted - 1])
moved = change(*kept)  # worked out from the two probabilities as shown
c3.metric(
    f"Probability of {name_of(before.predicted)}",
    percent(kept[1]),
    moved.signed,
    delta_color="off",
    delta_arrow=moved.arrow,
    help=f"After the last step of the edited recording, and how much it moved from the original's {percent(kept[0])}.",
)
if edits and edited is not sel.x:
    display.altair(
        charts.answer_change_chart(
            original_trace.probs[-1], edited_trace.probs[-1], class_word=info.class_word, class_names=info.class_names
        ),
        key="whatif_change",
    )
else:
    st.caption(
        f"No edit is applied, so nothing has changed yet: add one above to see how each {info.class_word}'s "
        "final probability moves."
    )

st.markdown("#### The recording")
if charts.scales_apart(sel.x, edited):
    st.caption(charts.pair_reading(info.n_channels, apart=True))
feat_a, feat_b = charts.features_pair_charts(sel.x, edited, titles=(sel.title, edited_title), info=info)
left, right = st.columns(2)
display.altair(feat_a, key="whatif_features_a", where=left)
display.altair(feat_b, key="whatif_features_b", where=right)
left.download_button(
    "Download the edited recording (CSV)",
    upload.template_csv(edited, channel_names=info.channel_names),
    file_name="edited_recording.csv",
    mime="text/csv",
    key="whatif_download",
    icon=":material/download:",
)
right.button(
    "Open it on every page as “My own sequence”",
    key="whatif_open",
    on_click=_open_as_own,
    args=(edited,),
    icon=":material/explore:",
    help="Keeps the edited recording as your own sequence and chooses it in the sidebar; the edits start afresh.",
)

st.markdown("#### How the answer forms")
left, right = st.columns(2)
for where, trace, title, key in (
    (left, original_trace, sel.title, "whatif_trajectory_a"),
    (right, edited_trace, edited_title, "whatif_trajectory_b"),
):
    display.altair(
        charts.trajectory_chart(trace.probs, true_label=sel.label, title=title, info=info),
        key=key,
        where=where,
    )


@st.fragment
def inside():
    """The hidden-unit range and the heatmaps: a slider move reruns only this part."""
    st.markdown("#### Inside the network")
    first, last = state.bound(
        st.slider,
        "Hidden units",
        1,
        H,
        value=(1, min(20, H)),
        key="whatif_units",
        help="Which units (rows) to show. " + explain("hidden unit"),
    )
    shown = list(range(first - 1, last))
    units = [u + 1 for u in shown]
    heat_a, heat_b = charts.heatmap_pair_charts(
        original_trace.hidden[:, shown],
        edited_trace.hidden[:, shown],
        units,
        titles=(f"{sel.title}: hidden state", f"{edited_title}: hidden state"),
    )
    left, right = st.columns(2)
    display.altair(heat_a, key="whatif_heatmap_a", where=left)
    display.altair(heat_b, key="whatif_heatmap_b", where=right)
    if not edits:
        st.caption(
            "Once you add an edit, a third map shows the difference, edited minus original, step by step; with no "
            "edit there is none."
        )
    elif len(edited_trace) == len(original_trace):
        display.altair(
            charts.difference_heatmap_chart(edited_trace.hidden[:, shown] - original_trace.hidden[:, shown], units),
            key="whatif_difference",
        )
        st.caption("Red: the edit raised the unit's value at that step; blue: it lowered it; white: no change.")
    else:
        st.caption("The edited recording has another length than the original, so no step-by-step difference is drawn.")


inside()


@st.fragment
def how_much():
    """One edit at 50 strengths: where the answer flips."""
    st.markdown("#### How much does it take?")
    st.markdown(
        "Make one edit stronger and stronger, starting from the recording as edited above, and follow the "
        "probability of the answer the network gives without it. Dashed lines mark where the answer changes."
    )
    c1, c2 = st.columns([3, 2])
    with c1:
        kind = state.bound(
            st.radio, "Edit", whatif.SWEEP_KINDS, format_func=SWEEP_TITLES.get, key="whatif_sweep", horizontal=True
        )
    channel = 1
    if kind == "scale":
        channel = c2.selectbox(
            "Channel",
            range(1, F + 1),
            format_func=lambda c: info.channel_names[c - 1],
            key="whatif_sweep_channel",
        )
    result = loaders.whatif_sweep(sel.model, sel.model_id, edited, kind, channel, 0, LIMIT)
    display.altair(
        charts.sweep_chart(
            result, strength_title=SWEEP_TITLES[kind], class_word=info.class_word, class_names=info.class_names
        ),
        key="whatif_sweep",
    )
    st.info(sweep_sentence(result, class_word=info.class_word, class_names=info.class_names), icon=":material/tune:")


how_much()


@st.fragment
def smallest_change():
    """The smallest stretch of the nearest training recording of a chosen class that flips the answer."""
    st.markdown("#### The smallest change that flips the answer")
    st.markdown(
        f"Which {info.class_word} should the network answer instead? The app takes the training recording of that "
        f"{info.class_word} most like this one and looks for the shortest stretch of it that, copied into this "
        "recording over the same steps, makes the network change its answer. It tries every stretch, shortest "
        "first."
    )
    targets = [k for k in range(1, info.n_classes + 1) if k != after.predicted]
    target = st.selectbox(
        f"Make it answer this {info.class_word}",
        targets,
        format_func=name_of,
        key="whatif_flip_target",
        persist_state="session",
    )
    flip = loaders.smallest_flip(sel.model, sel.model_id, edited, target, data, data.fingerprint)
    for sentence in flip_sentences(flip, info=info):
        st.markdown(sentence)
    if not flip.found:
        return
    st.button(
        "Keep this change as an edit",
        key="whatif_flip_keep",
        on_click=_keep_flip,
        args=(flip.edit,),
        icon=":material/add:",
        help="Adds it to your edits above (and to the link), so every chart of the page shows it.",
    )
    display.altair(charts.parting_chart(flip.parting), key="whatif_parting")
    st.caption(
        "How far apart the network's memory (its hidden state) is on the edited and on the original recording, "
        "after every step. The dashed line is how far the memory typically moves in one step."
    )
    st.dataframe(frames.changed_units_frame(flip.parting), hide_index=True, key="whatif_flip_units")
    st.caption(
        "The hidden units whose value after the last step changed most between the original and the edited recording."
    )


smallest_change()
