"""The guided first visit on Home: every step opens the right page with the right state; skip and restart."""

import numpy as np
import pytest
from app_helpers import STACKED, open_app

import core
from core.analyses.lab import train_variant, variant_key
from core.analyses.units import Selectivity, class_units, selectivity
from core.presentation.describe import describe_unit, unit_stats
from core.presentation.summary import summary_facts
from ui import navigation, state, tour
from ui.selection import Selection

HOME = navigation.HOME.file


def tour_units(sel, speaker: int):
    """The units the tour meets and silences (1-based): those that single out the speaker, strongest first, at
    most N_SILENCED; the one that singles out any class most strongly where none singles out the speaker."""
    classes = class_units(sel)
    own = classes.for_class(speaker)[: tour.N_SILENCED]
    return (own if own.size else classes.ranking()[:1]) + 1


@pytest.fixture(scope="module")
def expected():
    """What the tour should open, computed here from core: the speaker, its units, the settling step."""
    model, test = core.load_model(), core.load_dataset().test
    index = tour.TOUR_OBSERVATION - 1
    speaker = int(test.labels[index])
    batch = core.split_traces(model, "test")
    units = tour_units(selectivity(batch, test.labels), speaker)
    return {
        "speaker": speaker,
        "unit": int(units[0]),
        "silenced": [int(u) for u in units],
        "settling_step": summary_facts(batch[index], speaker).settling_step,
        "description": describe_unit(unit_stats(model, "test", batch)[units[0] - 1]),
    }


def page_of(at) -> str:
    """The url path of the page the last run showed ("" for Home)."""
    return state.running.current_page(at.session_state)


def tour_keys(at) -> set:
    return {b.key for b in at.button if b.key and b.key.startswith("tour_")}


def go(at, step: int):
    """From Home, press step ``step``'s button."""
    at.switch_page(HOME).run()
    assert tour_keys(at) >= {f"tour_go_{step}", "tour_skip"}
    assert any(f"Step {step} of 5" in p.proto.text for p in at.get("progress"))
    at.button(key=f"tour_go_{step}").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.session_state["split"] == "test" and at.session_state["obs"] == tour.TOUR_OBSERVATION
    assert at.sidebar.number_input(key="obs").value == tour.TOUR_OBSERVATION
    return at


def test_home_starts_the_tour_at_step_one():
    at = open_app()
    assert tour_keys(at) == {"tour_go_1", "tour_skip"}
    assert any("Step 1 of 5" in p.proto.text for p in at.get("progress"))
    assert len(at.get("vega_lite_chart")) == 0
    assert any(e.label == "What do these words mean?" for e in at.expander)


def test_every_step_opens_its_page_with_the_right_state(expected):
    at = open_app({"obs": "8"})  # the tour brings the sidebar back to test observation 1
    go(at, 1)
    assert page_of(at) == "dataset" and at.title[0].value == "The Japanese Vowels data"

    go(at, 2)
    assert page_of(at) == "trajectory" and at.title[0].value == "Class trajectory"
    assert at.slider(key="traj_step").value == expected["settling_step"]

    go(at, 3)
    assert page_of(at) == "activations" and at.title[0].value == "Activations"
    first, last = at.slider(key="act_units").value
    assert first <= expected["unit"] <= last and last - first == 9
    assert at.selectbox(key="act_q").value == "hidden" and at.radio(key="act_order").value == "number"

    at.switch_page(HOME).run()
    assert any(expected["description"] in m.value for m in at.markdown), "step 4 quotes core.presentation.describe"
    go(at, 4)
    assert page_of(at) == "units" and at.session_state["units_unit"] == expected["unit"]

    go(at, 5)
    assert page_of(at) == "ablation" and at.session_state["abl_units"] == expected["silenced"]
    at.switch_page(navigation.page("units").file).run()  # what the steps set holds after their pages were left
    assert at.slider(key="units_unit").value == expected["unit"]
    at.switch_page(navigation.page("ablation").file).run()
    assert at.multiselect(key="abl_units").value == expected["silenced"]

    at.switch_page(HOME).run()
    assert tour_keys(at) == {"tour_restart"}
    assert any("finished the tour" in m.value for m in at.markdown)


def selection_of(model, model_key: str, layer: int | None = None) -> Selection:
    """The sidebar's choice as the tour starts: test observation 1 of Japanese Vowels, ``model`` (named
    ``model_key``), its ``layer`` (the top by default)."""
    data = core.load_dataset()
    layer = model.config.num_layers - 1 if layer is None else layer
    return Selection(
        data, "test", 0, data.test.sequences[0], int(data.test.labels[0]), model_key, model_key, model, [], layer
    )


def test_the_destination_unit_is_cores_most_selective_for_the_speaker(expected):
    model = core.load_model()
    assert tour.stop(4, selection_of(model, "lstm")).settings["units_unit"] == expected["unit"]
    assert tour.stop(5, selection_of(model, "lstm")).settings["abl_units"] == expected["silenced"]
    assert f"speaker {expected['speaker']}" in tour.stop(4, selection_of(model, "lstm")).title


def test_the_tour_of_a_stacked_network_follows_the_chosen_layer(expected, fresh_cache):
    stacked, test = train_variant(STACKED, cache=fresh_cache).model, core.load_dataset().test
    batch = core.run_batch(stacked, test.sequences)
    for layer in (0, 1):
        chosen = tour_units(selectivity(batch.layer(layer), test.labels), expected["speaker"])
        stop = tour.stop(5, selection_of(stacked, variant_key(STACKED), layer))
        assert stop.settings["abl_units"] == [int(u) for u in chosen]
        assert (
            f"layer {layer + 1} of the network has 10 hidden units"
            in tour.stop(3, selection_of(stacked, variant_key(STACKED), layer)).sentence
        )
    assert (
        tour.stop(5, selection_of(stacked, variant_key(STACKED))).settings
        == tour.stop(5, selection_of(stacked, variant_key(STACKED), 1)).settings
    )


def test_skip_hides_the_tour_and_restart_brings_it_back_at_step_one():
    at = open_app()
    go(at, 1)
    go(at, 2)
    at.switch_page(HOME).run()
    assert tour_keys(at) == {"tour_go_3", "tour_skip", "tour_restart"}
    at.button(key="tour_skip").click().run()
    assert tour_keys(at) == {"tour_restart"} and not at.get("progress")
    at.switch_page("pages/dataset.py").run()
    at.switch_page(HOME).run()
    assert tour_keys(at) == {"tour_restart"}, "skipping holds across pages"
    at.button(key="tour_restart").click().run()
    assert tour_keys(at) == {"tour_go_1", "tour_skip"}
    assert any("Step 1 of 5" in p.proto.text for p in at.get("progress"))


def test_restart_in_the_middle_goes_back_to_step_one():
    at = open_app()
    go(at, 1)
    at.switch_page(HOME).run()
    at.button(key="tour_restart").click().run()
    assert tour_keys(at) == {"tour_go_1", "tour_skip"}


@pytest.fixture()
def app_with_hint():
    """The app on Home; the entry point shows the tour hint on the page a tour step opened."""
    return open_app()


def test_the_hint_says_where_you_are_and_goes_on_to_the_next_step(app_with_hint, expected):
    at = app_with_hint
    assert "tour_next" not in tour_keys(at), "no hint on Home"
    at.button(key="tour_go_1").click().run()
    assert page_of(at) == "dataset"
    assert any("Guided tour, step 1 of 5" in m.value for m in at.markdown)
    at.button(key="tour_next").click().run()
    assert page_of(at) == "trajectory" and at.slider(key="traj_step").value == expected["settling_step"]
    assert any("Guided tour, step 2 of 5" in m.value for m in at.markdown)
    at.button(key="tour_next").click().run()
    at.button(key="tour_next").click().run()
    assert page_of(at) == "units" and at.session_state["units_unit"] == expected["unit"]
    at.button(key="tour_next").click().run()
    assert page_of(at) == "ablation" and any("step 5 of 5" in m.value for m in at.markdown)
    assert "tour_next" not in tour_keys(at)
    at.switch_page("pages/dataset.py").run()
    assert not any("Guided tour" in m.value for m in at.markdown), "the hint shows only on the page the tour opened"


def test_ending_the_tour_from_the_hint(app_with_hint):
    at = app_with_hint
    at.button(key="tour_go_1").click().run()
    at.button(key="tour_end").click().run()
    assert not any("Guided tour" in m.value for m in at.markdown)
    at.switch_page(HOME).run()
    assert tour_keys(at) == {"tour_restart"}


def made_up_selectivity(n_classes: int, n_units: int, singled: tuple[int, int] | None = None) -> Selectivity:
    """Contrasts under a weak difference for every unit, unit 4 the least weak; ``singled`` (class, 0-based unit)
    clearly singles out that class."""
    contrast = np.full((n_classes, n_units), 0.1)
    contrast[0, 3] = 0.5
    if singled:
        contrast[singled[0] - 1, singled[1]] = 2.0
    zeros = np.zeros(n_units)
    return Selectivity(zeros, zeros, zeros.astype(int), zeros.astype(int), contrast, contrast, contrast * 0.2)


@pytest.mark.parametrize("singled", [None, "another class"])
def test_the_tour_says_so_when_no_unit_singles_out_its_class(monkeypatch, expected, singled):
    model = core.load_model()
    other = expected["speaker"] % 9 + 1
    made_up = made_up_selectivity(9, 100, (other, 7) if singled else None)
    monkeypatch.setattr(tour.computed, "selectivity", lambda sel, split: made_up)
    sel = selection_of(model, "lstm")
    meet, silence = tour.stop(4, sel), tour.stop(5, sel)
    assert (meet.title, silence.title) == ("Meet the unit that stands out most", "Silence it and see what changes")
    if singled:
        assert meet.settings["units_unit"] == 8 and silence.settings["abl_units"] == [8]
        assert f"No unit singles out speaker {expected['speaker']} clearly" in meet.sentence
        assert f"unit 8 singles out speaker {other} most strongly" in meet.sentence
    else:
        assert meet.settings["units_unit"] == 4 and silence.settings["abl_units"] == [4]
        assert "No unit singles out any speaker clearly in this network; unit 4 comes closest." in meet.sentence
