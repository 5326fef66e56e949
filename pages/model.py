"""Model: the layers, how often the network is right beside two simple rules, where it errs, and how it learnt."""

import streamlit as st

import core
from core.presentation import charts, frames
from core.presentation.describe import describe_network
from core.presentation.glossary import explain
from core.presentation.honesty import rules_sentence
from core.presentation.numbers import accuracy_percent
from core.presentation.training import curve_caption
from ui import computed, display, loaders, state
from ui.header import network_skill, page_header

sel = state.selection()
data = sel.dataset
info = sel.info
score = core.score_split(computed.split_traces(sel, "test"), data.test.labels)
skill = network_skill(sel)
nearest = loaders.nearest_neighbour_accuracy(data, data.fingerprint)

page_header(
    sel,
    "The network",
    "The network reads a recording one time step at a time. An **LSTM layer** (long short-term memory: a layer of "
    "hidden units that keeps a running memory of what it has read) updates its memory at every step; after the "
    f"last step a **fully connected** layer turns that memory into {info.n_classes} scores, and a **softmax** "
    f"turns the scores into probabilities, one per {info.class_word}. " + describe_network(sel.model.config, info=info),
    ["LSTM", "layer", "hidden unit", "fully connected layer", "softmax", "parameter", "accuracy", "confusion matrix"]
    + ["score", "epoch", "loss", "test set", "training set", "validation set", "nearest neighbour"],
)

c1, c2, c3, c4 = st.columns(4)
c1.metric(
    "This network",
    accuracy_percent(score.accuracy),
    help="Its test accuracy: the share of the test recordings it names right. " + explain("accuracy", info=info),
)
c2.metric(
    f"Most common {info.class_word}",
    accuracy_percent(skill.majority),
    help=f"A simple rule to compare with: answer {skill.majority_name}, the training set's most common "
    f"{info.class_word}, every time. "
    "This is the share of the test recordings it would name right.",
)
c3.metric(
    "Nearest recording",
    accuracy_percent(nearest),
    help=explain("nearest neighbour", info=info) + " This is the share of the test recordings it names right.",
)
c4.metric("Learnt numbers", f"{core.parameter_count(sel.model):,}", help=explain("parameter", info=info))
st.markdown(rules_sentence(score.accuracy, skill, nearest, class_word=info.class_word))

st.subheader("Layers")
st.caption(
    "The layers in the order a time step's numbers pass through them, and how many numbers each one learnt in training."
)
layers = frames.layers_frame(sel.model, info=info)
st.table(layers.style.format({"learnt numbers": "{:,}"}), hide_index=True)  # 45,600 as in the box above

left, right = st.columns([1, 1])
with left:
    st.subheader("Where it goes right and wrong")
    display.altair(charts.confusion_chart(score.confusion, info=info), key="model_confusion")
    st.caption(
        f"Each row is the true {info.class_word}, each column the network's answer, on the {len(data.test)} test "
        "recordings. Green squares on the diagonal are right answers"
        + ("; red squares off it are mistakes." if score.n_wrong else ", and every answer is right.")
    )
with right:
    st.subheader("How it learnt")
    if sel.history:
        display.altair(charts.training_curve_chart(sel.history, sel.kept_epoch), key="model_training")
        st.caption(curve_caption(sel.history, sel.kept_epoch))
    else:
        st.info("This network's checkpoint has no training log.")
