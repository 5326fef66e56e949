"""Why did it decide? Integrated gradients: how much each channel at each time step pushed one class's score."""

import hashlib

import streamlit as st

from core.presentation import charts, frames
from core.presentation.attribution import evidence_sentence
from core.presentation.glossary import glossary_markdown
from core.presentation.summary import observation_summary, summary_facts
from ui import display, state

sel = state.selection()
info = sel.info
word = info.class_word
trace = sel.trace()
facts = summary_facts(trace, sel.label)
n_classes = sel.model.config.n_classes

BASELINE_LABELS = {
    "zero": f"All zeros (all {info.n_channels} numbers zero)",
    "mean": "An average recording (every number at its training average)",
}
BASELINE_WORDS = {"zero": "a recording of zeros (all numbers zero)", "mean": "an average recording"}
# link parameters: name, widget key, values, default, what a good value is
LINK = (
    state.LinkParam("baseline", "why_baseline", state.one_of(BASELINE_LABELS), "zero", "zero or mean"),
    # A new recording (or network) starts on the class the network chose for it.
    state.LinkParam(
        "target",
        "why_target",
        state.int_in(1, n_classes),
        facts.predicted,
        f"{info.a_class_word} from 1 to {n_classes}",
        follows=(sel.model_key, sel.split, sel.index, hashlib.sha1(sel.x.tobytes()).hexdigest()),
    ),
)


def name(k: int) -> str:
    """Class ``k`` (1-based) as people read it."""
    return info.class_names[k - 1]


def class_label(k: int) -> str:
    """Class ``k`` for the list: its name, and whether it is the network's answer or the true class."""
    notes = [
        note for note, who in (("the network's answer", facts.predicted), (f"the true {word}", sel.label)) if who == k
    ]
    return name(k)[:1].upper() + name(k)[1:] + (f" ({' and '.join(notes)})" if notes else "")


st.title("Why did it decide?")
st.info(observation_summary(trace, sel.label, info=info), icon=":material/insights:")
st.markdown(
    "Which parts of the recording made the network choose its answer? This page gives every one of the "
    "recording's numbers (each **channel** at each **time step**) a share of the credit: how much it "
    f"**pushed the network towards** {info.a_class_word}, or **away from** that {word}. These shares are called "
    "**attributions**. Here they are worked out with a method called **integrated gradients**, which slides "
    "the input step by step from a featureless starting recording (the *baseline*) to the real one and "
    f"records how the {word}'s score moves along the way."
)
with st.expander("What do these words mean?"):
    st.markdown(
        glossary_markdown(
            ["attribution", "integrated gradients", "channel", "time step", "heatmap", "class", "softmax"], info=info
        )
    )
    st.markdown(
        "- **baseline**: the featureless recording the comparison starts from: either all zeros (every number "
        "zero) or an average recording.\n"
        f"- **score**: the number the network gives each {word} just before the softmax turns the "
        f"{info.n_classes} scores into probabilities; a higher score means a higher probability."
    )

state.use_link(LINK)


@st.fragment
def explainer():
    """The two choices and everything they change: a choice reruns only this part."""
    c1, c2 = st.columns(2)
    target = c1.selectbox(
        "Explain the score of",
        list(range(1, n_classes + 1)),
        format_func=class_label,
        key="why_target",
        help=f"Which {word}'s score to explain. It starts on the network's answer; pick another {word} to "
        "see what spoke against it.",
    )
    baseline = c2.radio(
        "Compared with",
        list(BASELINE_LABELS),
        format_func=BASELINE_LABELS.get,
        key="why_baseline",
        horizontal=True,
        help="The baseline: the featureless recording the comparison starts from. The shares explain the "
        f"difference between the {word}'s score on the real recording and on this one, so a different "
        "starting point gives different shares.",
    )
    attr = sel.attribution(baseline, target)

    evidence = evidence_sentence(attr, class_word=word, class_names=info.class_names, channel_names=info.channel_names)
    st.markdown(f"#### :material/lightbulb: {evidence}")
    if target != facts.predicted:
        st.caption(
            f"{name(target)[:1].upper() + name(target)[1:]} is not the network's answer (it says "
            f"{name(facts.predicted)}). The colours show what spoke for {name(target)} and what spoke against it "
            "on this recording."
        )

    left, right = st.columns(2)
    with left:
        display.altair(
            charts.attribution_chart(
                attr.values, sel.x, target=target, title=f"What pushed the score of {name(target)}", info=info
            ),
            key="why_map",
        )
        st.caption(
            f"Each row is one channel, each column one time step. **Green** cells pushed the network towards "
            f"{name(target)}, **purple** cells pushed it away; white cells hardly mattered. The stronger the "
            "colour, the bigger the push. Point at a cell to see its number."
        )
    with right:
        display.altair(
            charts.features_chart(
                sel.x, title=f"The recording itself: its {info.n_channels} channels", legend_columns=1, info=info
            ).properties(height=440),  # as tall as the map beside it, with room for a dozen names
            key="why_features",
        )
        st.caption(
            "The same recording as numbers: each line is one channel, left to right is time, as on the "
            "Dataset page. Compare a green or purple cell on the left with the same channel and time step "
            "here."
        )

    total, change = float(attr.values.sum()), attr.score_input - attr.score_baseline
    agree = (
        "They agree, so the credit was shared out completely."
        if attr.completeness_error < 0.01
        else f"They differ by {attr.completeness_error:.1%}, so treat the colours as approximate."
    )
    st.markdown(
        f":material/calculate: **A check you can do by hand.** All the shares add up to **{total:.2f}**. "
        f"The network's score for {name(target)} is {attr.score_input:.2f} on this recording and "
        f"{attr.score_baseline:.2f} on {BASELINE_WORDS[baseline]}; the difference is **{change:.2f}**. {agree}"
    )

    with st.expander("Keep in mind: attribution is one way of explaining, and it has limits", icon=":material/info:"):
        st.markdown(
            '- Attribution is **one way of explaining** a decision, not a look at the network\'s "reasons". '
            "Other methods can colour the same recording differently.\n"
            "- The shares depend on the **baseline**: switch between all zeros and an average recording to see "
            "which parts hold up under both.\n"
            "- They describe **this one recording** only. To see what a hidden unit does across all recordings, "
            "open *What a unit responds to*.\n"
            "- A strong colour says the score is **sensitive** to that number here; it does not say the number "
            f"is what makes the {word} special."
        )
    with st.expander(f"The shares as numbers ({sel.n_steps} time steps × {info.n_channels} channels)"):
        table = frames.features_frame(attr.values, info=info)
        st.dataframe(table, hide_index=True, key="why_table")
        st.download_button(
            "Download the shares as CSV",
            table.to_csv(index=False),
            file_name=f"attribution_{word}{target}_{baseline}.csv",
            mime="text/csv",
            key="why_download",
        )
    state.write_url(LINK)


explainer()
