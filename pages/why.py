"""Why did it decide? Integrated gradients: how much each channel at each time step pushed one class's score,
from a chosen starting point, with two checks of the map."""

import streamlit as st

from core.compute.checks import counted
from core.presentation import attribution as words
from core.presentation import charts, frames
from core.presentation.summary import observation_summary, summary_facts
from ui import computed, display, loaders, state
from ui.header import network_skill, page_header

sel = state.selection()
info = sel.info
word = info.class_word
trace = computed.trace(sel)
facts = summary_facts(trace, sel.label)
n_classes = sel.model.config.n_classes


def name(k: int) -> str:
    """Class ``k`` (1-based) as people read it."""
    return info.class_names[k - 1]


page_header(
    sel,
    "Why did it decide?",
    "Which parts of the recording made the network choose its answer? This page gives every one of the "
    "recording's numbers (each **channel** at each **time step**) a share of the credit: how much it "
    f"**pushed the network towards** {info.a_class_word}, or **away from** that {word}. These shares are called "
    "**attributions**. Here they are worked out with a method called **integrated gradients**: it slides the "
    "input step by step from a **starting point** (another recording, also called the *baseline*) to the real "
    f"recording and records how the {word}'s **score** moves along the way. The score is the number the network "
    f"gives each {word} before the *softmax* turns the scores into probabilities; the shares add up to the "
    "difference between the score on the recording and on the starting point. Under the map, checks say how far "
    "to trust it.",
    ["attribution", "integrated gradients", "baseline", "score", "channel", "time step", "heatmap", "class"]
    + ["hidden unit"]
    + ["softmax", "probability", "weights", "rank correlation"],
)
st.info(observation_summary(trace, sel.label, info=info), icon=":material/insights:")
# A new recording (or network) starts on the class the network chose for it.
state.link.restart_when(("why_target",), (sel.model_id, sel.dataset.key, sel.split, sel.index, sel.x.shape))


@st.fragment
def explainer():
    """The two choices and everything they change: a choice reruns only this part."""
    c1, c2 = st.columns(2)
    with c1:
        target = state.bound(
            st.selectbox,
            "Explain the score of",
            list(range(1, n_classes + 1)),
            index=facts.predicted - 1,
            format_func=name,
            key="why_target",
            help=f"Which {word}'s score to explain. It starts on the network's answer; pick another {word} to "
            "see what spoke against it.",
        )
        st.caption(words.target_note(target, facts.predicted, sel.label, info=info))
    with c2:
        kind = state.bound(
            st.radio,
            "Compared with (the starting point)",
            list(words.BASELINE_KINDS),
            format_func=lambda k: words.baseline_label(k, info.n_classes),
            key="why_baseline",
            horizontal=True,
            help="The recording the comparison starts from. The shares explain the difference between the "
            f"{word}'s score on the real recording and on this one, so a different starting point gives different "
            f"shares. *{words.baseline_label('others', info.n_classes)}*: the average recording of the "
            + (f"{info.class_word_plural} other than" if info.n_classes > 2 else f"{info.class_word} that is not")
            + " the one explained.",
        )
    found = loaders.explanation(sel.model, sel.model_id, sel.x, kind, target, sel.dataset, sel.dataset.fingerprint)
    attr = found.attribution

    st.markdown(words.starting_point_sentence(found.start, attr, info=info))
    level, headline = words.evidence_headline(found, info=info, learned_little=network_skill(sel).learned_little)
    if level == "supported":
        st.markdown(f"#### :material/lightbulb: {headline}")
    elif level in ("rough", "guess"):
        st.markdown(f":material/lightbulb: {headline}")
    elif level == "unsupported":
        st.info(headline, icon=":material/help:")
    else:
        st.warning(headline, icon=":material/do_not_disturb_on:")

    notes = " ".join(
        note
        for note in (words.steps_note(sel.model.config.step_block), words.columns_note(attr.values.shape[1]))
        if note
    )
    shares_map = charts.attribution_chart(
        attr.values, attr.inputs, target=target, title=f"What pushed the score of {name(target)}", info=info
    )
    if info.n_channels == 1:
        display.altair(shares_map, key="why_map")
        st.caption(
            "On top the recording, below each time step's share (a *cell* of the map): **green** bars pushed the "
            "network towards "
            f"{name(target)}, **purple** bars pushed it away; the longer the bar, the bigger the push. Point at a "
            f"bar to see its number. {notes}"
        )
    else:
        left, right = st.columns(2)
        with left:
            display.altair(shares_map, key="why_map")
            st.caption(
                "Each row is one channel, each column one time step, each *cell* one number of the recording. "
                f"**Green** cells pushed the network towards "
                f"{name(target)}, **purple** cells pushed it away; white cells hardly mattered. The stronger the "
                f"colour, the bigger the push. Point at a cell to see its number. {notes}"
            )
        with right:
            display.altair(
                charts.features_chart(
                    attr.inputs,
                    title=f"The recording itself: {counted(info.n_channels, 'channel')}",
                    height=440,  # as tall as the map beside it, and its legend's rows below
                    info=info,
                ),
                key="why_features",
            )
            block = sel.model.config.step_block
            same = (
                "The same recording as numbers, as on the Dataset page."
                if block == 1
                else f"The same recording as the network reads it: each time step here is the average of {block} "
                "recorded steps (the Dataset page draws every recorded step)."
            )
            st.caption(
                f"{same} {charts.features_reading(info.n_channels, apart=charts.scales_apart(attr.inputs))} Compare "
                "a green or purple cell on the left with the same channel and time step here."
            )

    st.markdown(
        ":material/fact_check: " + words.deletion_sentence(found.deletion, attr.values.size, target=target, info=info)
    )
    st.markdown(":material/calculate: " + words.completeness_sentence(attr, info=info))

    with st.expander("Keep in mind: attribution is one way of explaining, and it has limits", icon=":material/info:"):
        st.markdown(
            '- Attribution is **one way of explaining** a decision, not a look at the network\'s "reasons". '
            "Other methods can colour the same recording differently.\n"
            "- The shares depend on the **starting point**: switch between the three to see which parts hold up "
            "under all of them.\n"
            "- They describe **this one recording** only. To see what a hidden unit does across all recordings, "
            "open *What a unit responds to*.\n"
            "- A strong colour says the score is **sensitive** to that number here; it does not say the number "
            f"is what makes the {word} special."
        )
        st.markdown(words.randomisation_sentence(found.randomisation))
        display.altair(
            charts.attribution_chart(
                found.randomisation.values,
                target=target,
                title=f"The same map for a network with shuffled weights ({name(target)})",
                info=info,
            ),
            key="why_shuffled",
        )
    shape = f"{counted(attr.values.shape[1], 'time step')} × {counted(info.n_channels, 'channel')}"
    with st.expander(f"The shares as numbers ({shape})"):
        table = frames.features_frame(attr.values, info=info)
        st.dataframe(table, hide_index=True, key="why_table")
        st.download_button(
            "Download the shares as CSV",
            table.to_csv(index=False),
            file_name=f"attribution_{word}{target}_{kind}.csv",
            mime="text/csv",
            key="why_download",
        )


explainer()
