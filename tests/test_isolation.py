"""Sessions are isolated: two sessions in one process share the cached objects but never each other's choices,
and no session changes the shared model, data or cached traces.

Two AppTest sessions run in this one process, so they share every ``st.cache_resource`` object exactly as two
visitors of one server do. The browser version is ``tests/browser/test_isolation_browser.py``.
"""

from __future__ import annotations

import hashlib
import shutil

import numpy as np
import pytest
import streamlit as st
from app_helpers import open_app, upload_small_dataset
from streamlit.testing.v1 import AppTest

import core
import core.compute.cache
from core.analyses.lab import LabSettings, variant_key
from core.compute.upload import template_csv
from ui import loaders, navigation, state

LAB = LabSettings(hidden_size=10, epochs=10, seed=3)  # the cheapest variant the lab page trains
SPLITS = [state.sidebar.SPLIT_LABELS["test"], state.sidebar.SPLIT_LABELS["train"]]  # the sidebar's choices, as shown
SHIPPED = ["Pretrained, 100 units", "Small, 20 units"]  # the networks of Japanese Vowels every session has


@pytest.fixture(scope="module")
def lab_cache(tmp_path_factory):
    """Lab variants (and everything else) go to a temporary disk cache, not the project's, shared by this
    module's tests (so the lab network is trained once); the project's slow results (the ablation costs behind the
    units page, the PCA), where it has them, are copied in."""
    folder = tmp_path_factory.mktemp("isolation") / "cache"
    folder.mkdir()
    for name in (".secret", "single_unit_effects", "hidden_pca"):
        source = core.CACHE_DIR / name
        if source.is_dir():
            shutil.copytree(source, folder / name)
        elif source.is_file():
            shutil.copy2(source, folder / name)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("LSTM_EXPLORER_CACHE", str(folder))
        mp.setattr(core.compute.cache, "_default", None)
        yield folder
    st.cache_resource.clear()
    st.cache_data.clear()


def sidebar_state(at: AppTest) -> dict:
    """What the sidebar shows: data choices and network choices (as labelled), the chosen values."""
    split = at.sidebar.radio(key="split")
    network = at.sidebar.selectbox(key="net")
    boxes = [b for b in at.sidebar.number_input if b.key == "obs"]
    return {
        "splits": list(split.options),
        "split": split.value,
        "obs": boxes[0].value if boxes else None,
        "networks": list(network.options),
        "network": network.value,
    }


def train_in_lab(at: AppTest, settings: LabSettings = LAB) -> str:
    """Use the Model lab page as a visitor does: set the sliders, press Train, then use the network."""
    at.switch_page("pages/lab.py").run()
    at.slider(key="lab_hidden").set_value(settings.hidden_size)
    at.select_slider(key="lab_epochs").set_value(settings.epochs)
    at.number_input(key="lab_seed").set_value(settings.seed)
    at.selectbox(key="lab_layers").set_value(settings.num_layers)
    at.button(key="lab_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    key = variant_key(settings)
    assert key in state.stores.lab_networks("japanese_vowels", at.session_state)
    at.button(key="lab_use").click().run()
    assert at.session_state["net"] == key
    return key


def test_two_sessions_never_see_each_others_choices(lab_cache):
    a, b = open_app(), open_app()

    # A: the training split, observation 37, its own slider values, a trained variant and an uploaded sequence.
    a.sidebar.radio(key="split").set_value("train").run()
    a.sidebar.number_input(key="obs").set_value(37).run()
    a.switch_page("pages/activations.py").run()
    a.slider(key="act_units").set_range(3, 8).run()  # within the lab network's 10 units (see the last test)
    a.slider(key="act_step").set_value(5).run()
    a_variant = train_in_lab(a)
    a.switch_page("pages/upload.py").run()
    a.text_area(key="up_text").input(template_csv(core.load_dataset().train.sequences[36]))
    a.button(key="up_paste").click().run()
    assert state.stores.own_sequence("japanese_vowels", a.session_state).shape[0] == 12

    # B, opened before and after A's choices, sees none of them.
    b.run()
    assert sidebar_state(b) == {
        "splits": SPLITS,
        "split": "test",
        "obs": 1,
        "networks": SHIPPED,
        "network": "lstm",
    }
    b.switch_page("pages/activations.py").run()
    assert b.slider(key="act_units").value == (1, 10) and b.slider(key="act_step").value == 1
    assert state.stores.own_sequence("japanese_vowels", b.session_state) is None
    assert not state.stores.lab_networks("japanese_vowels", b.session_state)
    assert dict(b.query_params) == {}, "every choice at its default: nothing of A's in B's link"
    late = open_app()  # a session started after A trained and uploaded
    assert sidebar_state(late)["networks"] == SHIPPED and sidebar_state(late)["splits"] == SPLITS

    # B moves on; A still sees exactly its own choices.
    b.sidebar.number_input(key="obs").set_value(5).run()
    b.slider(key="act_units").set_range(50, 60).run()
    a.switch_page("pages/activations.py").run()
    assert sidebar_state(a) == {
        "splits": SPLITS + [state.sidebar.SPLIT_LABELS["upload"]],
        "split": "train",
        "obs": 37,
        "networks": [*SHIPPED, state.stores.lab_networks("japanese_vowels", a.session_state)[a_variant].label],
        "network": a_variant,
    }
    assert a.slider(key="act_units").value == (3, 8) and a.slider(key="act_step").value == 5
    assert b.session_state["obs"] == 5 and b.session_state["net"] == "lstm"
    assert b.slider(key="act_units").value == (50, 60)


def test_a_link_to_another_sessions_lab_network_does_not_open_it(lab_cache):
    a = open_app()
    a_variant = train_in_lab(a)
    label = state.stores.lab_networks("japanese_vowels", a.session_state)[a_variant].label
    b = open_app({"net": label, "obs": "9"})  # A shares its address bar with B
    assert sidebar_state(b)["networks"] == SHIPPED and b.session_state["net"] == "lstm"
    assert any("“net”" in w.value for w in b.warning)
    assert b.session_state["obs"] == 9, "the rest of the link still applies"


# ---------------------------------------------------------------------------------------------------------------------
# Nothing a session does changes the shared objects
# ---------------------------------------------------------------------------------------------------------------------

HOSTILE_TEXT = "../../etc/passwd\n=cmd|' /C calc'!A0\n[x](https://evil.example) \u202e 五"


def weights(model: core.LSTMClassifier) -> dict[str, bytes]:
    return {name: t.detach().cpu().contiguous().numpy().tobytes() for name, t in model.state_dict().items()}


def data_digest(dataset: core.Dataset) -> str:
    digest = hashlib.sha256()
    for split in (dataset.train, dataset.test):
        for x in split.sequences:
            digest.update(x.tobytes())
        digest.update(split.labels.tobytes())
    return digest.hexdigest()


# The lab's Train button is pressed by ``train_in_lab`` with the cheapest settings; pressed here it would train
# whatever the form's sliders were last sent as (up to the page's budget: a minute of the shared cores).
SKIP = ("lab_submit",)


def raw_options(widget) -> list:
    """The values behind a choice widget's labels, where its ``format_func`` can be inverted (else [])."""
    f = widget.format_func
    owner = getattr(f, "__self__", None)
    if isinstance(owner, dict):  # format_func=LABELS.get
        inverse = {str(label): value for value, label in owner.items()}
    else:
        inverse = {}
        for candidate in [*range(-1, 1001), *widget.options]:
            try:
                inverse.setdefault(str(f(candidate)), candidate)
            except Exception:
                pass
    values = [inverse.get(label) for label in widget.options]
    return values if all(v is not None for v in values) else []


def poke_every_widget(at: AppTest, max_per_page: int = 8) -> int:
    """Move every slider of the page to its ends, pick the last option of every choice, type hostile text, and
    press every button: the page's own widgets only (the sidebar keeps the session on test observation 1).
    Sliders end at their minimum, so a lab training started by a button is the cheapest one."""
    done = 0
    widgets = []
    for kind in (
        "slider",
        "select_slider",
        "selectbox",
        "radio",
        "multiselect",
        "checkbox",
        "toggle",
        "text_input",
        "text_area",
        "number_input",
        "button",
    ):
        widgets += [(kind, w.key) for w in at.main.get(kind) if getattr(w, "key", None) not in (None, *SKIP)]
    for kind, key in widgets[:max_per_page]:
        found = [w for w in at.main.get(kind) if w.key == key]
        if not found:  # the page changed (a button opened another page): nothing left to poke here
            continue
        widget = found[0]
        if kind == "slider" and isinstance(widget.value, tuple):
            widget.set_range(widget.min, widget.max).run()
            [w for w in at.main.get(kind) if w.key == key][0].set_range(widget.min, widget.min).run()
        elif kind == "slider":
            widget.set_value(widget.max).run()
            [w for w in at.main.get(kind) if w.key == key][0].set_value(widget.min).run()
        elif kind in ("selectbox", "radio", "select_slider") and raw_options(widget):
            widget.set_value(raw_options(widget)[-1]).run()
        elif kind == "multiselect" and raw_options(widget):
            widget.set_value(raw_options(widget)[:3]).run()
        elif kind in ("checkbox", "toggle"):
            widget.set_value(not widget.value).run()
        elif kind in ("text_input", "text_area"):
            widget.input(HOSTILE_TEXT).run()
        elif kind == "number_input":
            widget.set_value(widget.min if widget.min is not None else 0).run()
        elif kind == "button":
            widget.click().run()
        else:
            continue
        assert not at.exception, (kind, key, [e.value for e in at.exception])
        done += 1
    return done


def test_a_session_using_every_page_leaves_the_shared_model_and_data_bit_for_bit_unchanged(lab_cache):
    model, data = loaders.shipped_network("japanese_vowels", "lstm")[0], loaders.dataset()
    before = (core.model_fingerprint(model), weights(model), data_digest(data))
    traces = loaders.split_traces(model, loaders.network_id(model), data, data.fingerprint, "test")

    at = open_app()
    interactions = 0
    for page in navigation.PAGES:
        at.switch_page(page.file).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        interactions += poke_every_widget(at)
    # The ablation and the model lab, through their pages and directly, on the shared model.
    at.switch_page("pages/ablation.py").run()
    at.multiselect(key="abl_units").set_value([1, 2, 3, 50, 100]).run()
    at.slider(key="abl_from").set_value(3).run()
    train_in_lab(at)
    at.switch_page("pages/activations.py").run()  # every page on the lab network too
    core.run_batch(model, data.test.sequences, silenced=list(range(50)), silence_from=2)
    core.analyses.ablation.compare_trajectories(model, data.test.sequences[0], [0, 1, 2])
    core.analyses.attribution.integrated_gradients(model, data.test.sequences[0], baseline="mean")
    assert not at.exception and interactions >= 30

    assert loaders.shipped_network("japanese_vowels", "lstm")[0] is model, "the shared model object is the same one"
    assert core.model_fingerprint(model) == before[0]
    assert weights(model) == before[1], "every parameter tensor, byte for byte"
    assert data_digest(data) == before[2]
    assert not model.training and not any(p.requires_grad for p in model.parameters())
    assert loaders.split_traces(model, loaders.network_id(model), data, data.fingerprint, "test") is traces
    for array in (traces.hidden, traces.cell, traces.gates, traces.probs, traces.lengths, *data.test.sequences):
        assert not array.flags.writeable, "shared arrays are read-only, so no page can change them in place"
    with pytest.raises(ValueError, match="read-only"):
        traces.hidden[0, 0, 0] = 1.0
    # A fresh run agrees (to float rounding: torch may split the work across threads differently).
    np.testing.assert_allclose(traces.probs, core.run_batch(model, data.test.sequences).probs, rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize(
    "page, set_high",
    [
        ("pages/activations.py", lambda at: at.slider(key="act_units").set_range(21, 40)),
        ("pages/patterns.py", lambda at: at.slider(key="pat_units").set_range(50, 90)),
        ("pages/compare.py", lambda at: at.slider(key="cmp_units").set_range(50, 90)),
        ("pages/units.py", lambda at: at.slider(key="units_unit").set_value(80)),
        ("pages/ablation.py", lambda at: at.multiselect(key="abl_units").set_value([50, 90])),
    ],
)
def test_a_page_survives_switching_to_a_smaller_lab_network(lab_cache, page, set_high):
    """Units chosen on the 100-unit network, then a 10-unit lab network: the page must still run."""
    at = open_app(page=page)
    set_high(at).run()
    train_in_lab(at)
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]


def test_shared_traces_are_read_only_also_when_they_come_from_the_disk_cache(lab_cache, model):
    core.split_traces(model, "train")  # now on disk
    st.cache_resource.clear()
    hit = core.split_traces(model, "train")  # unpickled from the disk cache
    shipped, data = loaders.shipped_network("japanese_vowels", "lstm")[0], loaders.dataset()
    shared = loaders.split_traces(shipped, loaders.network_id(shipped), data, data.fingerprint, "train")
    assert core.model_fingerprint(shipped) == core.model_fingerprint(model)
    np.testing.assert_array_equal(shared.probs, hit.probs)
    for array in (shared.hidden, shared.cell, shared.gates, shared.probs, shared.lengths):
        assert not array.flags.writeable


def test_an_uploaded_data_set_and_its_networks_stay_in_their_session(fresh_cache):
    a = upload_small_dataset(open_app())
    key = a.session_state["data"]
    a_network = a.session_state["net"]
    assert key.startswith("upload-") and a_network.startswith("lab-")
    a.switch_page("pages/model.py").run()
    link = {**a.query_params, "net": a.sidebar.selectbox(key="net").options[0]}  # the first network is left out
    assert link["data"] == "small (yours)" and link["net"].startswith("Lab: ")

    b = open_app(link)  # another visitor opens A's address: A's data and network are not there
    assert b.sidebar.radio(key="data").options == ["Japanese Vowels", "BasicMotions"]
    assert b.session_state["data"] == "japanese_vowels" and b.session_state["net"] == "lstm"
    assert state.stores.own_dataset(b.session_state) is None
    assert any("“data”" in w.value for w in b.warning)
    b.switch_page("pages/upload_data.py").run()
    assert "No data set of yours yet" in b.info[0].value

    a.switch_page("pages/activations.py").run()  # A still has both
    assert a.session_state["data"] == key and a.session_state["net"] == a_network
    assert state.stores.own_dataset(a.session_state).info.key == key
