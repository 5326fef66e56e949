"""Why did it decide? Integrated gradients: how much each feature at each time step pushed one speaker's score."""

import hashlib

import streamlit as st

from core.analyses.attribution import BASELINES, evidence_sentence
from core.presentation import charts, frames
from core.presentation.glossary import glossary_markdown
from core.presentation.summary import observation_summary, summary_facts
from ui import display, state

sel = state.selection()
trace = sel.trace()
facts = summary_facts(trace, sel.label)
n_classes = sel.model.config.n_classes

BASELINE_LABELS = {
    "zero": "Silence (all 12 numbers zero)",
    "mean": "An average recording (every number at its training average)",
}
BASELINE_WORDS = {"zero": "a silent recording (all numbers zero)", "mean": "an average recording"}
# link parameters: name, widget key, values, default, what a good value is
LINK = (
    state.LinkParam("baseline", "why_baseline", state.one_of(BASELINES), "zero", "zero or mean"),
    # A new recording (or network) starts on the speaker the network chose for it.
    state.LinkParam(
        "target",
        "why_target",
        state.int_in(1, n_classes),
        facts.predicted,
        f"a speaker from 1 to {n_classes}",
        follows=(sel.model_key, sel.split, sel.index, hashlib.sha1(sel.x.tobytes()).hexdigest()),
    ),
)


def speaker_label(speaker: int) -> str:
    notes = [
        note
        for note, who in (("the network's answer", facts.predicted), ("the true speaker", sel.label))
        if who == speaker
    ]
    return f"Speaker {speaker}" + (f" ({' and '.join(notes)})" if notes else "")


st.title("Why did it decide?")
st.info(observation_summary(trace, sel.label), icon=":material/record_voice_over:")
st.markdown(
    "Which parts of the recording made the network choose its answer? This page gives every one of the "
    "recording's numbers (each **feature** at each **time step**) a share of the credit: how much it "
    "**pushed the network towards** a speaker, or **away from** that speaker. These shares are called "
    "**attributions**. Here they are worked out with a method called **integrated gradients**, which slides "
    "the input step by step from a featureless starting recording (the *baseline*) to the real one and "
    "records how the speaker's score moves along the way."
)
with st.expander("What do these words mean?"):
    st.markdown(
        glossary_markdown(
            ["attribution", "integrated gradients", "feature", "time step", "heatmap", "speaker", "softmax"]
        )
    )
    st.markdown(
        "- **baseline**: the featureless recording the comparison starts from: either silence (all numbers "
        "zero) or an average recording.\n"
        "- **score**: the number the network gives each speaker just before the softmax turns the nine scores "
        "into probabilities; a higher score means a higher probability."
    )

state.use_link(LINK)


@st.fragment
def explainer():
    """The two choices and everything they change: a choice reruns only this part."""
    c1, c2 = st.columns(2)
    target = c1.selectbox(
        "Explain the score of",
        list(range(1, n_classes + 1)),
        format_func=speaker_label,
        key="why_target",
        help="Which speaker's score to explain. It starts on the network's answer; pick another speaker to "
        "see what spoke against them.",
    )
    baseline = c2.radio(
        "Compared with",
        list(BASELINE_LABELS),
        format_func=BASELINE_LABELS.get,
        key="why_baseline",
        horizontal=True,
        help="The baseline: the featureless recording the comparison starts from. The shares explain the "
        "difference between the speaker's score on the real recording and on this one, so a different "
        "starting point gives different shares.",
    )
    attr = sel.attribution(baseline, target)

    st.markdown(f"#### :material/lightbulb: {evidence_sentence(attr)}")
    if target != facts.predicted:
        st.caption(
            f"Speaker {target} is not the network's answer (it says speaker {facts.predicted}). The colours "
            f"show what spoke for speaker {target} and what spoke against them on this recording."
        )

    left, right = st.columns(2)
    with left:
        display.altair(
            charts.attribution_chart(
                attr.values, sel.x, target=target, title=f"What pushed the score of speaker {target}"
            ),
            key="why_map",
        )
        st.caption(
            f"Each row is one feature, each column one time step. **Green** cells pushed the network towards "
            f"speaker {target}, **purple** cells pushed it away; white cells hardly mattered. The stronger the "
            "colour, the bigger the push. Point at a cell to see its number."
        )
    with right:
        display.altair(
            charts.features_chart(sel.x, title="The recording itself: its 12 features", legend_columns=1).properties(
                height=440
            ),  # as tall as the map beside it, with room for all 12 names
            key="why_features",
        )
        st.caption(
            "The same recording as numbers: each line is one feature, left to right is time, as on the "
            "Dataset page. Compare a green or purple cell on the left with the same feature and time step "
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
        f"The network's score for speaker {target} is {attr.score_input:.2f} on this recording and "
        f"{attr.score_baseline:.2f} on {BASELINE_WORDS[baseline]}; the difference is **{change:.2f}**. {agree}"
    )

    with st.expander("Keep in mind: attribution is one way of explaining, and it has limits", icon=":material/info:"):
        st.markdown(
            '- Attribution is **one way of explaining** a decision, not a look at the network\'s "reasons". '
            "Other methods can colour the same recording differently.\n"
            "- The shares depend on the **baseline**: switch between silence and an average recording to see "
            "which parts hold up under both.\n"
            "- They describe **this one recording** only. To see what a hidden unit does across all recordings, "
            "open *What a unit responds to*.\n"
            "- A strong colour says the score is **sensitive** to that number here; it does not say the number "
            "is what makes the speaker's voice special."
        )
    with st.expander(f"The shares as numbers ({sel.n_steps} time steps × 12 features)"):
        table = frames.features_frame(attr.values)
        st.dataframe(table, hide_index=True, key="why_table")
        st.download_button(
            "Download the shares as CSV",
            table.to_csv(index=False),
            file_name=f"attribution_speaker{target}_{baseline}.csv",
            mime="text/csv",
            key="why_download",
        )
    state.write_url(LINK)


explainer()
