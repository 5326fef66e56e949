"""Model lab: train your own version of the network with another size, length of training or seed."""

import pandas as pd
import streamlit as st

import core
from core.analyses.lab import (
    EPOCH_CHOICES,
    SETTING_RANGES,
    LabSettings,
    train_variant,
    variant_key,
    variant_label,
)
from core.presentation import charts
from core.presentation.glossary import explain
from core.presentation.honesty import lab_advice, rules_sentence
from core.presentation.numbers import accuracy_percent, change
from core.presentation.training import curve_caption, kept_epoch_help, kept_epoch_text, kept_sentence, plan_sentences
from ui import display, loaders, state
from ui.header import network_skill, page_header

sel = state.selection()
data = sel.dataset
info = sel.info
# The pretrained network's training settings and test accuracy, for comparison; None for an uploaded data set,
# which has no pretrained network.
SHIPPED_META = loaders.shipped_network(data.key, core.shipped_networks(data.key)[0].key)[1] if data.shipped else None
SHIPPED_ACCURACY = None if SHIPPED_META is None else float(SHIPPED_META["history"][-1]["test_accuracy"])
SHIPPED_CONFIG = {} if SHIPPED_META is None else SHIPPED_META["train_config"]
UNITS_NOTE = f" The pretrained network has {SHIPPED_CONFIG['hidden_size']}." if SHIPPED_CONFIG else ""
EPOCHS_NOTE = f" The pretrained network was trained for {SHIPPED_CONFIG['epochs']}." if SHIPPED_CONFIG else ""
NEXT_TO = ", next to the pretrained one" if SHIPPED_META is not None else ""
(H_MIN, H_MAX), (S_MIN, S_MAX), (L_MIN, L_MAX) = (SETTING_RANGES[k] for k in ("hidden_size", "seed", "num_layers"))
RECIPE = LabSettings()

page_header(
    sel,
    "Model lab",
    f"""
**Training** is how a network learns. It starts with random numbers inside, goes through the {len(data.train)}
training recordings of **{info.title}**, and after each one nudges its numbers a little so that it would have
named the {info.class_word} better. One pass through all the training recordings is an **epoch**. Here you can
train your own version of the network and then look inside it on every page{NEXT_TO}.

- **Hidden units**: how many internal dials the network has.{UNITS_NOTE} More units can learn more, but take
  longer to train.
- **Epochs**: how many times it goes through the training recordings.{EPOCHS_NOTE} *Automatic* lets the recipe
  choose (about 6,000 small steps of learning); too few, and it has not learnt enough yet.
- **Layers**: how many LSTM layers are stacked. Each layer reads what the layer below passes on; the top one's
  hidden units are what the network's answer is read from.
- **Seed**: the number that sets the random starting point. The same settings and seed always give the same
  network; another seed gives a different one, which on a small data set can be clearly better or worse.

After training, the network is tested on the {len(data.test)} test recordings it never saw while learning: its
**test accuracy** says how often it names the right {info.class_word}. The test recordings are only used to
report. To choose how to train, a part of the training recordings is held out; the chosen way is then trained
again on all of them (what it does with this data set is said below, before you train).
""",
    ["epoch", "hidden unit", "layer", "LSTM", "accuracy"],
)
st.info(
    "The networks you train are **yours alone**: they appear in the sidebar's *Network* list only in your "
    "browser tab, and other visitors never see them. "
    + (
        "The server keeps each network trained on a shipped data set on its disk under its settings, so asking "
        "again for exactly the same settings shows it at once instead of training again."
        if data.shipped
        else "A network trained on your own data set is kept in your session only, never on the server's disk."
    ),
    icon=":material/lock:",
)


def request_training() -> None:
    """The form's button: train on this run. A callback rather than the button's return value, which a page
    rerun (see ``state.selection``) would reset."""
    st.session_state["lab_requested"] = True


def train(settings: LabSettings):
    """Train (or load) a variant with a progress bar; returns the LabResult."""
    bar = st.progress(0.0, text="Starting…")

    def report(epoch: core.EpochReport) -> None:
        stage = f"{epoch.candidate_number} of {epoch.candidates}"
        tries = f"try {stage} · " if epoch.candidates > 1 else ""
        tries = f"final training on all recordings ({stage}) · " if epoch.final else tries
        bar.progress(
            ((epoch.candidate_number - 1) * epoch.epochs + epoch.epoch) / (epoch.candidates * epoch.epochs),
            text=f"Training: {tries}epoch {epoch.epoch} of {epoch.epochs} · loss {epoch.loss:.3f} · "
            f"test accuracy {accuracy_percent(epoch.test_accuracy)}",
        )

    slot = loaders.lab_training_slot()
    if not slot.acquire(blocking=False):
        with st.spinner("Another visitor's network is training right now; yours starts as soon as it is done…"):
            slot.acquire()
    try:
        result = train_variant(settings, callback=report, dataset=sel.dataset)
    finally:
        slot.release()
    if result.from_cache:
        report_text = None
        message = (
            "This network had been trained before with exactly these settings, so it was loaded at once. "
            "It is now in the sidebar's *Network* list too."
        )
    else:
        report_text = (
            f"Finished in {result.summary['seconds']:.0f} s · test accuracy {accuracy_percent(result.test_accuracy)}"
        )
        message = "Training finished. It is now in the sidebar's *Network* list too."
    # Shown after the rerun below, which redraws the sidebar with the new network in its list.
    st.session_state["lab_done"] = (report_text, message)
    return result


st.subheader("Train a network")
with st.container(border=True):  # not a form: the plan below follows every change at once
    c1, c2, c3, c4 = st.columns([3, 3, 2, 2])
    kept = {"persist_state": "session"}  # the settings hold across page switches
    hidden = c1.slider(
        "Hidden units",
        H_MIN,
        H_MAX,
        value=RECIPE.hidden_size,
        key="lab_hidden",
        help=explain("hidden unit", info=info) + UNITS_NOTE,
        **kept,
    )
    epochs = c2.select_slider(
        "Epochs",
        EPOCH_CHOICES,
        value=RECIPE.epochs,
        format_func=lambda n: "automatic" if n == 0 else str(n),
        key="lab_epochs",
        help=explain("epoch", info=info) + EPOCHS_NOTE,
        **kept,
    )
    seed = c3.number_input(
        "Seed",
        S_MIN,
        S_MAX,
        value=RECIPE.seed,
        step=1,
        key="lab_seed",
        help="Sets the random starting point; the same seed gives the same network again.",
        **kept,
    )
    layers = c4.selectbox(
        "Layers",
        list(range(L_MIN, L_MAX + 1)),
        key="lab_layers",
        help="How many LSTM layers are stacked: each one reads what the layer below passes on.",
        **kept,
    )
    SETTINGS = LabSettings(hidden_size=hidden, epochs=epochs, seed=int(seed), num_layers=layers)  # within range
    planned = core.plan_training(SETTINGS.to_train_config(data), data.train)
    st.caption(
        f"How it trains with these settings: {plan_sentences(planned, len(data.train))} Training takes about "
        "a minute when the server is not busy (longer with more units or layers); please stay on this page while "
        "it trains: changing anything else stops the training."
    )
    st.button(
        "Train this network",
        key="lab_submit",
        type="primary",
        icon=":material/model_training:",
        on_click=request_training,
    )

if st.session_state.pop("lab_requested", False):
    result = train(SETTINGS)
    key = variant_key(SETTINGS)
    state.stores.keep_lab_network(data.key, key, state.stores.LabNetwork(variant_label(SETTINGS), result))
    if sel.model is None:  # the data set's first network: every page shows it at once
        state.choose(net=key)
    st.session_state["lab_show"] = key
    st.rerun()
if "lab_done" in st.session_state:
    report_text, message = st.session_state.pop("lab_done")
    if report_text:
        st.progress(1.0, text=report_text)
    st.success(message, icon=":material/check_circle:" if report_text else ":material/bolt:")

st.subheader("Your networks")
variants = state.stores.lab_networks(data.key)
if not variants:
    st.info(
        "You have not trained a network in this session yet. Choose the settings above and press "
        "**Train this network**.",
        icon=":material/science:",
    )
else:
    keys = list(variants)
    if st.session_state.get("lab_show") not in keys:
        st.session_state["lab_show"] = keys[-1]
    shown = st.selectbox(
        "Look at",
        keys,
        format_func=lambda k: variants[k].label,
        key="lab_show",
        help="The networks you trained in this session.",
    )
    result = variants[shown].result
    settings = result.settings

    c1, c2, c3, c4 = st.columns(4)
    if SHIPPED_ACCURACY is None:
        c1.metric("Test accuracy", accuracy_percent(result.test_accuracy), help=explain("accuracy", info=info))
    else:
        moved = change(SHIPPED_ACCURACY, result.test_accuracy, 1)  # from the two accuracies as shown
        c1.metric(
            "Test accuracy",
            accuracy_percent(result.test_accuracy),
            delta=moved.signed,
            delta_arrow=moved.arrow,
            delta_color=moved.colour,
            delta_description="vs pretrained",
            help=f"The pretrained network names {accuracy_percent(SHIPPED_ACCURACY)} of the test recordings right. "
            + explain("accuracy", info=info),
        )
    c2.metric("Hidden units", settings.hidden_size, help=explain("hidden unit", info=info))
    c3.metric(
        "Kept after epoch",
        kept_epoch_text(result.summary),
        help=f"{explain('epoch', info=info)} {kept_epoch_help(result.summary)}",
    )
    c4.metric("Layers", settings.num_layers, help="How many LSTM layers are stacked, each reading the one below.")
    # How good it is, beside the two simple rules the Model page compares every network with
    lab_view = sel.with_network(
        shown, variants[shown].label, result.model, result.history, result.summary["kept_epoch"]
    )
    skill = network_skill(lab_view)
    verdict = rules_sentence(
        skill.accuracy, skill, loaders.nearest_neighbour_accuracy(data, data.fingerprint), class_word=info.class_word
    )
    if skill.learned_little:  # ahead on too few test recordings to tell: other settings would not tell better
        advice = "" if skill.too_few else f" {lab_advice(settings)}"
        st.warning(f"{verdict}{advice}", icon=":material/lightbulb:")
    else:
        st.markdown(verdict)

    if sel.network == shown:
        st.success(
            "This network is now shown on every page (see *Network* in the sidebar).", icon=":material/check_circle:"
        )
        if SHIPPED_ACCURACY is not None:
            st.button(
                "Go back to the pretrained network",
                key="lab_back",
                on_click=state.choose,
                kwargs={"net": core.shipped_networks(data.key)[0].key},
            )
    else:
        st.button(
            "Use this network on every page",
            key="lab_use",
            on_click=state.choose,
            kwargs={"net": shown},
            type="primary",
            icon=":material/swap_horiz:",
            help="Switches the sidebar's Network choice to this one; you can switch back there at any time.",
        )

    st.markdown(kept_sentence(result.summary))
    display.altair(
        charts.training_curve_chart(result.history, result.summary["kept_epoch"]), key="lab_curve", width="content"
    )  # legends fit
    st.caption(curve_caption(result.history, result.summary["kept_epoch"]))

    st.markdown("**All your networks in this session**")
    st.dataframe(
        pd.DataFrame(
            [
                {
                    "network": lab.label,
                    "test accuracy": accuracy_percent(lab.result.test_accuracy),
                    "hidden units": lab.result.settings.hidden_size,
                    "kept after epoch": kept_epoch_text(lab.result.summary),
                    "layers": lab.result.settings.num_layers,
                    "seed": lab.result.settings.seed,
                    "in use": "yes" if k == sel.network else "",
                }
                for k, lab in variants.items()
            ]
        ),
        hide_index=True,
        key="lab_table",
    )
