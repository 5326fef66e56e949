"""Two networks: the sidebar's network and another one on the same recordings, their scores and disagreements."""

import pandas as pd
import streamlit as st

from core.analyses.side_by_side import compare_networks
from core.presentation import charts
from core.presentation.glossary import explain, glossary_markdown
from ui import display, loaders, navigation, state

sel = state.selection()
data = loaders.dataset()
info = data.info  # the data set's words; sel.dataset.info once the Selection has it
options = state.model_options()
others = [key for key in options if key != sel.model_key]
SPLITS = {"test": "Test set", "train": "Training set"}

st.title("Two networks")
st.markdown(
    "Put the network chosen in the sidebar next to another one, on the same recordings: how often is each one "
    "right, where does each go wrong, and on which recordings do their answers differ?"
)
with st.expander("What do these words mean?"):
    st.markdown(glossary_markdown(["accuracy", "confusion matrix", "test set", "training set", "speaker"]))

if not others:
    st.info(
        "There is only one network so far. Train another one in the Model lab; it then appears here.",
        icon=":material/science:",
    )
    lab = navigation.page("lab")
    st.page_link(lab.file, label=lab.title, icon=lab.icon)
    st.stop()

# link parameters: name, widget key, values, default, what a good value is
LINK = (
    state.LinkParam("other", "nets_other", state.one_of(others), others[0], "a network trained in this session"),
    state.LinkParam("on", "nets_split", state.one_of(SPLITS), "test", "test or train"),
)
state.use_link(LINK)
c1, c2 = st.columns([3, 2])
other_key = c1.selectbox("The other network", others, format_func=options.get, key="nets_other")
split = c2.radio(
    "Recordings", list(SPLITS), format_func=SPLITS.get, key="nets_split", horizontal=True, help=explain("test set")
)
other_model = (
    loaders.shipped_model() if other_key == "shipped" else loaders.lab_variant(state.lab_variants()[other_key][1]).model
)
result = compare_networks(
    loaders.split_traces(sel.model, sel.model_key, split),
    loaders.split_traces(other_model, other_key, split),
    data.split(split).labels,
)
name_a, name_b = options[sel.model_key], options[other_key]

c1, c2, c3 = st.columns(3)
c1.metric(f"A: {name_a}", f"{result.a.accuracy:.1%}", help="Accuracy of the sidebar's network. " + explain("accuracy"))
c2.metric(f"B: {name_b}", f"{result.b.accuracy:.1%}", help="Accuracy of the other network.")
c3.metric(
    "Answers differ on",
    f"{len(result.disagree)} of {len(result.labels)}",
    help=f"A alone is right on {len(result.only_a_right)}, B alone on {len(result.only_b_right)}.",
)
left, right = st.columns(2)
left.markdown(f"**A: {name_a}**")
display.altair(charts.confusion_chart(result.a.confusion), key="nets_confusion_a", where=left)
right.markdown(f"**B: {name_b}**")
display.altair(charts.confusion_chart(result.b.confusion), key="nets_confusion_b", where=right)

st.markdown("#### Where they disagree")
if len(result.disagree):
    st.dataframe(
        pd.DataFrame(
            {
                "recording": result.disagree + 1,
                f"true {info.class_word}": result.labels[result.disagree],
                "A answers": result.a.predicted[result.disagree],
                "B answers": result.b.predicted[result.disagree],
            }
        ),
        hide_index=True,
        key="nets_table",
    )
else:
    st.caption("The two networks give the same final answer on every recording.")
state.write_url(LINK)
