"""The "What a unit responds to" page through AppTest: its numbers against core, the slider, the ranking and search."""

import numpy as np
import pytest
from app_helpers import STACKED, choose_stacked_variant, open_app, open_link, screen_text, send_selection, table_with

import core
from core.analyses import ablation, units
from core.analyses.lab import train_variant
from core.presentation import describe

N_CHARTS = 3  # activation lines, per-speaker means, selectivity ranking


@pytest.fixture(scope="module")
def reference():
    model, data = core.load_model(), core.load_dataset()
    batch = core.split_traces(model, "test")
    stats = describe.unit_stats(model, "test", batch)
    table = describe.unit_table(stats)
    classes = units.class_units(units.selectivity(batch, data.test.labels))
    ranking = classes.ranking()  # 0-based: the units that single out a class first, strongest first
    return dict(
        model=model,
        data=data,
        batch=batch,
        stats=stats,
        table=table,
        ranking=ranking,
        classes=classes,
        means=units.class_means(batch, data.test.labels),
    )


def shown_unit(at) -> int:
    return at.slider(key="units_unit").value


def assert_page_shows_unit(at, ref, unit):
    means = table_with(at, "speaker", "mean activation")
    np.testing.assert_allclose(means["mean activation"].to_numpy(), ref["means"][:, unit - 1], atol=1e-6)
    lines = table_with(at, "recording", "speaker", "step", "activation")
    batch = ref["batch"]
    assert len(lines) == int(batch.lengths.sum())
    pivot = lines.pivot(index="recording", columns="step", values="activation").to_numpy()  # (370, T_max)
    expected = np.where(
        np.arange(batch.hidden.shape[1])[None] < batch.lengths[:, None], batch.hidden[:, :, unit - 1], np.nan
    )
    np.testing.assert_allclose(pivot, expected, atol=1e-6)
    assert describe.describe_unit(ref["stats"][unit - 1]) in at.info[0].value
    assert table_with(at, "unit")["unit"].tolist() == [unit]  # the ranking's marker


def test_page_runs_and_opens_on_the_most_selective_unit(reference):
    at = open_app(page="pages/units.py")
    assert len(at.get("vega_lite_chart")) == N_CHARTS
    assert at.title[0].value == "What a unit responds to"
    top = int(reference["ranking"][0]) + 1
    assert shown_unit(at) == top
    assert_page_shows_unit(at, reference, top)
    ranking = table_with(at, "rank", "unit", "strength", "speaker", "singles out")
    assert ranking["unit"].tolist() == (reference["ranking"] + 1).tolist()
    np.testing.assert_allclose(ranking["strength"], reference["classes"].strength[reference["ranking"]])
    speakers = table_with(at, "recording", "speaker", "step", "activation").groupby("recording")["speaker"].first()
    assert speakers.tolist() == reference["data"].test.labels.tolist()
    highlight = table_with(at, "step", "activation", "speaker")  # the chosen observation, drawn thick
    np.testing.assert_allclose(highlight["activation"], reference["batch"][0].hidden[:, top - 1], atol=1e-6)


def test_the_unit_slider_changes_every_view(reference):
    at = open_app(page="pages/units.py")
    at.slider(key="units_unit").set_value(5).run()
    assert not at.exception
    assert_page_shows_unit(at, reference, 5)
    assert describe.effect_words(reference["stats"][4]) in [m.value for m in at.metric]


def test_clicking_a_bar_of_the_ranking_opens_that_unit(reference):
    at = open_app(page="pages/units.py")
    send_selection(at, "units_rank", {"pick": [{"unit": 23}]})
    assert shown_unit(at) == 23
    assert_page_shows_unit(at, reference, 23)


def test_a_link_opens_its_unit(reference):
    at = open_link("pages/units.py", {"units_unit": "42"})
    assert shown_unit(at) == 42 and not at.warning
    assert_page_shows_unit(at, reference, 42)


def test_every_unit_is_in_the_table_in_ranking_order(reference):
    at = open_app(page="pages/units.py")
    shown = at.dataframe(key="units_table").value
    assert shown["unit"].tolist() == (reference["ranking"] + 1).tolist()
    expected = reference["table"].iloc[reference["ranking"]]
    assert shown["description"].tolist() == expected["description"].tolist()
    np.testing.assert_allclose(shown["strength"], expected["strength"])
    assert shown["singles out"].tolist() == expected["singles out"].tolist()


def test_picking_a_row_of_the_ranking_opens_that_unit_once(reference):
    at = open_app(page="pages/units.py")
    send_selection(at, "units_table", {"rows": [2], "columns": []})
    third = int(reference["ranking"][2]) + 1
    assert shown_unit(at) == third
    assert_page_shows_unit(at, reference, third)
    # The pick stays in the table's state; moving the slider afterwards must win over it.
    at.slider(key="units_unit").set_value(40).run()
    assert shown_unit(at) == 40
    assert_page_shows_unit(at, reference, 40)


def test_search_filters_the_table_and_picks_refer_to_the_shown_rows(reference):
    at = open_app(page="pages/units.py")
    at.text_input(key="units_search").input("off for speaker 1 ").run()
    shown = at.dataframe(key="units_table").value
    expected = reference["table"].iloc[reference["ranking"]]
    expected = expected[expected["description"].str.casefold().str.contains("off for speaker 1", regex=False)]
    assert 0 < len(shown) < 100
    assert shown["unit"].tolist() == expected["unit"].tolist()
    send_selection(at, "units_table", {"rows": [1], "columns": []})
    assert shown_unit(at) == int(expected["unit"].iloc[1])
    # A new search makes the old pick point at other rows: it must not open anything.
    at.text_input(key="units_search").input("last third").run()
    assert shown_unit(at) == int(expected["unit"].iloc[1])


def test_a_search_without_matches_says_so():
    at = open_app(page="pages/units.py")
    at.text_input(key="units_search").input("no such words").run()
    assert at.dataframe(key="units_table").value.empty
    assert any(w.value == "No unit matches." for w in at.warning)


def test_the_unit_holds_across_pages(reference):
    at = open_app(page="pages/units.py")
    at.slider(key="units_unit").set_value(17).run()
    at.switch_page("pages/trajectory.py").run()
    at.switch_page("pages/units.py").run()
    assert shown_unit(at) == 17
    assert_page_shows_unit(at, reference, 17)


def test_a_stacked_network_shows_the_units_of_the_chosen_layer(fresh_cache, reference):
    test = reference["data"].test
    stacked = train_variant(STACKED, cache=fresh_cache).model
    batch = core.run_batch(stacked, test.sequences)
    at = choose_stacked_variant(open_app(), "pages/units.py")
    for layer in (0, 1):
        at.sidebar.radio(key="layer").set_value(layer).run()
        at.slider(key="units_unit").set_value(4).run()
        means = table_with(at, "speaker", "mean activation")["mean activation"].to_numpy()
        np.testing.assert_allclose(means, units.class_means(batch.layer(layer), test.labels)[:, 3], atol=1e-6)
        shown = at.dataframe(key="units_table").value.sort_values("unit")
        effects = ablation.single_unit_effects(stacked, test, layer=layer, cache=fresh_cache)
        words = [describe.answers_change_words(int(c)) for c in effects.cost]
        assert shown["answers when silenced"].tolist() == words


@pytest.mark.parametrize("unit", [5, 9, 23])
def test_a_unit_s_effect_on_its_class_has_one_form_in_the_box_the_table_and_the_banner(reference, unit):
    at = open_app(page="pages/units.py")
    at.slider(key="units_unit").set_value(unit).run()
    stats = reference["stats"][unit - 1]
    words = describe.class_change_words(stats)
    box = next(m for m in at.metric if m.label == "Its speaker if silenced")
    assert box.value == words
    row = at.dataframe(key="units_table").value.set_index("unit").loc[unit]
    assert row["class if silenced"] == words
    banner = at.info[0].value
    if stats.klass:
        number = words.lstrip("−+")
        assert f"by {number} on average" in banner or f"({number})" in banner
        assert f"(strength {stats.strength:.2f}, a " in banner  # the box's strength, in the banner
    assert next(m for m in at.metric if m.label == "Strength").value == f"{stats.strength:.2f}"
    assert all(len(m.label) <= 26 for m in at.metric)


def test_the_page_speaks_of_an_activity_with_its_article():
    at = open_app({"data": "BasicMotions"}, page="pages/units.py")
    text = screen_text(at)
    assert "a activity" not in text and "stands out above the others is an activity" in text
