"""The Model lab through AppTest: training with a progress bar, this session's list, using a variant everywhere."""

import io
import zipfile

import numpy as np
from app_helpers import open_app, screen_text, table_with

import core
from core.analyses.lab import LabSettings, train_variant, variant_key, variant_label
from core.presentation import honesty
from ui import state

TINY = LabSettings(hidden_size=10, epochs=10, seed=3)
KEY = variant_key(TINY)  # "lab-h10-e10-s3"


def submit(at, hidden_size: int, epochs: int, seed: int, layers: int = 1):
    at.slider(key="lab_hidden").set_value(hidden_size)
    at.select_slider(key="lab_epochs").set_value(epochs)
    at.number_input(key="lab_seed").set_value(seed)
    at.selectbox(key="lab_layers").set_value(layers)
    at.button(key="lab_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]


def test_page_explains_itself_before_any_training():
    at = open_app(page="pages/lab.py")
    assert at.title[0].value == "Model lab"
    assert len(at.get("vega_lite_chart")) == 0
    assert any("not trained a network" in i.value for i in at.info)
    assert any("yours alone" in i.value for i in at.info)


def test_training_registers_the_variant_and_the_model_page_shows_it(fresh_cache):
    at = open_app(page="pages/lab.py")
    submit(at, TINY.hidden_size, TINY.epochs, TINY.seed)
    bar = at.get("progress")
    assert len(bar) == 1 and bar[0].value == 100 and bar[0].text.startswith("Finished in ")
    assert bar[0].text.endswith(f"test accuracy {100 * train_variant(TINY, cache=fresh_cache).test_accuracy:.1f}%")
    result = train_variant(TINY, cache=fresh_cache)
    assert result.from_cache  # the page stored what it trained
    lab = state.stores.lab_networks("japanese_vowels", at.session_state)[KEY]
    assert lab.result.settings == TINY and lab.label == variant_label(TINY)
    label = lab.label
    assert len(at.get("vega_lite_chart")) == 1  # its training curve
    accuracy = next(m for m in at.metric if m.label == "Test accuracy")
    assert accuracy.value == f"{100 * result.test_accuracy:.1f}%"
    shipped = core.load_checkpoint(core.checkpoint_path())[1]["history"][-1]["test_accuracy"]
    points = round(100 * result.test_accuracy, 1) - round(100 * shipped, 1)  # the two accuracies as shown
    assert accuracy.delta == f"{'+' if points > 0 else '−'}{abs(points):.1f} points"
    assert accuracy.proto.delta_description == "vs pretrained"
    kept = next(m for m in at.metric if m.label == "Kept after epoch").value
    assert kept == core.presentation.training.kept_epoch_text(result.summary)
    assert core.presentation.training.kept_sentence(result.summary) in [m.value for m in at.markdown]
    # beside it, how good it is next to the two simple rules, as on the Model page
    predictions = core.run_batch(result.model, core.load_dataset().test.sequences).final_predictions
    skill = honesty.skill(predictions, core.load_dataset())
    nearest = core.analyses.baselines.nearest_neighbour_accuracy(core.load_dataset().train, core.load_dataset().test)
    verdict = honesty.rules_sentence(skill.accuracy, skill, nearest, class_word="speaker")
    assert f"names **{accuracy.value}** of the test recordings right" in verdict
    assert verdict in [m.value for m in at.markdown] if not skill.learned_little else verdict in at.warning[-1].value
    assert at.dataframe[0].value["network"].tolist() == [label]

    at.sidebar.selectbox(key="net").set_value(KEY).run()
    at.switch_page("pages/model.py").run()
    assert not at.exception
    shown = next(m for m in at.metric if m.label == "This network").value
    assert shown == f"{100 * result.test_accuracy:.1f}%"
    for kept_epoch in (result.summary["kept_epoch"], 4):  # this training's (its last epoch), and an earlier one
        lab.result.summary["kept_epoch"] = kept_epoch
        at.run()
        curve = next(c.proto.spec for c in at.get("vega_lite_chart") if "training loss" in c.proto.spec)
        earlier = kept_epoch < max(row["epoch"] for row in result.history)
        assert ('"type": "rule"' in curve) is earlier, "the lab's dashed line, here too"
        caption = core.presentation.training.curve_caption(result.history, kept_epoch)
        assert caption in [c.value for c in at.caption] and ("dashed line marks epoch 4" in caption) is earlier

    # The same settings again come from the disk at once, without a progress bar.
    at.switch_page("pages/lab.py").run()
    submit(at, TINY.hidden_size, TINY.epochs, TINY.seed)
    assert not at.get("progress")
    assert any("loaded at once" in s.value for s in at.success)
    assert list(state.stores.lab_networks("japanese_vowels", at.session_state)) == [KEY]


def test_the_layers_choice_trains_a_stacked_variant(fresh_cache):
    at = open_app(page="pages/lab.py")
    assert at.selectbox(key="lab_layers").value == 1 and at.selectbox(key="lab_layers").options == ["1", "2", "3"]
    assert "each one reads what the layer below passes on" in at.selectbox(key="lab_layers").help
    submit(at, TINY.hidden_size, TINY.epochs, TINY.seed, layers=2)
    stacked = LabSettings(hidden_size=TINY.hidden_size, epochs=TINY.epochs, seed=TINY.seed, num_layers=2)
    result = train_variant(stacked, cache=fresh_cache)
    assert result.from_cache and result.model.config.num_layers == 2
    lab = state.stores.lab_networks("japanese_vowels", at.session_state)[variant_key(stacked)]
    assert lab.result.settings == stacked and lab.label.startswith("Lab: 2 layers of 10 units")
    assert next(m for m in at.metric if m.label == "Layers").value == "2"
    assert at.dataframe[0].value["layers"].tolist() == [2]


def test_the_use_button_switches_every_page_to_the_variant(fresh_cache):
    at = open_app(page="pages/lab.py")
    submit(at, TINY.hidden_size, TINY.epochs, TINY.seed)
    at.button(key="lab_use").click().run()
    assert at.session_state["net"] == KEY
    assert at.sidebar.selectbox(key="net").value == KEY
    assert any("shown on every page" in s.value for s in at.success)
    at.switch_page("pages/activations.py").run()
    assert not at.exception
    at.switch_page("pages/lab.py").run()
    at.button(key="lab_back").click().run()
    assert at.session_state["net"] == "lstm"


def test_the_page_says_what_the_recipe_will_do_with_the_settings_shown():
    at = open_app(page="pages/lab.py")
    assert at.select_slider(key="lab_epochs").value == 0 and at.slider(key="lab_hidden").value == 100
    plan = core.plan_training(LabSettings().to_train_config(), core.load_dataset().train)
    said = next(c.value for c in at.caption if c.value.startswith("How it trains with these settings"))
    assert core.presentation.training.plan_sentences(plan, 270) in said
    assert "54 of the 270 training recordings are held out" in said and "for 750 epochs" in said
    at.select_slider(key="lab_epochs").set_value(20).run()
    said = next(c.value for c in at.caption if c.value.startswith("How it trains with these settings"))
    assert "for 20 epochs" in said


def test_the_units_and_ablation_pages_follow_a_smaller_variant(fresh_cache):
    at = open_app(page="pages/ablation.py")
    at.multiselect(key="abl_units").set_value([3, 64, 93]).run()
    at.switch_page("pages/units.py").run()
    at.slider(key="units_unit").set_value(80).run()
    at.switch_page("pages/lab.py").run()
    submit(at, TINY.hidden_size, TINY.epochs, TINY.seed)
    at.button(key="lab_use").click().run()
    model = train_variant(TINY, cache=fresh_cache).model
    at.switch_page("pages/units.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.slider(key="units_unit").max == 10 and at.slider(key="units_unit").value == 10
    means = table_with(at, "speaker", "mean activation")
    batch = core.split_traces(model, "test")
    expected = core.analyses.units.class_means(batch, core.load_dataset().test.labels)[:, 9]
    np.testing.assert_allclose(means["mean activation"].to_numpy(), expected, atol=1e-6)
    at.switch_page("pages/ablation.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.multiselect(key="abl_units").value == [3]
    test = core.load_dataset().test
    expected = core.accuracy(core.run_batch(model, test.sequences, silenced=[2]).final_predictions, test.labels, 9)
    assert next(m for m in at.metric if m.label.startswith("Test accuracy")).value == f"{expected:.1%}"


def noise_zip(seed: int = 0) -> bytes:
    """A zip of CSV files whose two classes are the same noise: 20 training and 50 test recordings of 10 steps
    per class, nothing to learn (and enough test recordings to tell)."""
    rng = np.random.default_rng(seed)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for split, count in (("train", 20), ("test", 50)):
            for name in ("heads", "tails"):
                for k in range(count):
                    rows = ["a,b"] + [f"{a:.4f},{b:.4f}" for a, b in rng.standard_normal((10, 2))]
                    entry = zipfile.ZipInfo(f"{split}/{name}/{k:02d}.csv", date_time=(2026, 1, 1, 0, 0, 0))
                    archive.writestr(entry, "\n".join(rows) + "\n")
    return buffer.getvalue()


def test_a_network_that_learned_little_is_told_so_beside_its_result_with_what_to_try():
    at = open_app(page="pages/upload_data.py")
    (uploader,) = at.file_uploader
    uploader.set_value([("noise.zip", noise_zip(), "application/zip")]).run()
    at.switch_page("pages/lab.py").run()
    assert "pretrained" not in screen_text(at).lower()  # an upload ships no network to compare with
    submit(at, 10, 10, 1)
    (lab,) = state.stores.lab_networks(at.session_state["data"], at.session_state).values()
    data = state.stores.own_dataset(at.session_state)
    skill = honesty.skill(core.run_batch(lab.result.model, data.test.sequences).final_predictions, data)
    assert skill.learned_little
    accuracy = next(m for m in at.metric if m.label == "Test accuracy")
    assert accuracy.value == f"{100 * skill.accuracy:.1f}%" and not accuracy.delta
    advice = next(w.value for w in at.warning if "To try:" in w.value)
    assert f"names **{accuracy.value}** of the test recordings right" in advice
    assert "it has learned little" in advice
    assert advice.endswith(honesty.lab_advice(LabSettings(hidden_size=10, epochs=10, seed=1)))
    assert "automatic epochs (the recipe's own count)" in advice
    assert "pretrained" not in screen_text(at).lower()
