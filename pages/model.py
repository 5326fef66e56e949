"""Model: the layers, how often the network is right, where it errs, and how it learnt."""

import streamlit as st

import core
from core.presentation import charts
from core.presentation.describe import describe_network
from core.presentation.glossary import explain, glossary_markdown
from ui import display, state

sel = state.selection()
data = sel.dataset
info = sel.info
score = core.score_split(sel.split_traces("test"), data.test.labels)

st.title("The network")
st.markdown(
    "The network reads a recording one time step at a time. An **LSTM layer** of hidden units keeps a running "
    f"memory of what it has read; after the last step a **fully connected** layer turns that memory into "
    f"{info.n_classes} scores, and a **softmax** turns the scores into probabilities, one per {info.class_word}. "
    + describe_network(sel.model.config, info=info)
)

with st.expander("What do these words mean?"):
    st.markdown(
        glossary_markdown(
            [
                "LSTM",
                "layer",
                "hidden unit",
                "fully connected layer",
                "softmax",
                "parameter",
                "accuracy",
                "confusion matrix",
                "epoch",
                "loss",
                "test set",
                "training set",
            ],
            info=info,
        )
    )

c1, c2, c3 = st.columns(3)
c1.metric("Test accuracy", f"{score.accuracy:.1%}", help=explain("accuracy", info=info))
c2.metric("Test recordings it gets wrong", f"{score.n_wrong} of {len(data.test)}")
c3.metric("Learnable numbers (parameters)", f"{core.parameter_count(sel.model):,}")

st.subheader("Layers")
st.caption("The same table MATLAB prints for `net.Layers`: what each layer does and how many numbers it learnt.")
st.dataframe(core.layer_table(sel.model, class_word=sel.info.class_word), hide_index=True, key="model_layers")

left, right = st.columns([1, 1])
with left:
    st.subheader("Where it goes right and wrong")
    display.altair(charts.confusion_chart(score.confusion, info=info), key="model_confusion")
    st.caption(
        f"Each row is the true {info.class_word}, each column the network's answer, on the {len(data.test)} test "
        "recordings. Green squares on the diagonal are right answers; red squares off it are mistakes. "
        + explain("confusion matrix", info=info)
    )
with right:
    st.subheader("How it learnt")
    if sel.history:
        display.altair(charts.training_curve_chart(sel.history), key="model_training")
        st.caption(
            f"Each epoch is one pass over the {len(data.train)} training recordings. The loss measures how wrong the "
            "network still is (lower is better); accuracy is the share of recordings it names right."
        )
    else:
        st.info("This network's checkpoint has no training log.")
