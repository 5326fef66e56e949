"""The sidebar and the Activations sliders drive the charts, the link follows, and choices survive page switches."""

from __future__ import annotations

import re

import pytest
from browser_helpers import (
    UI_TIMEOUT_MS,
    chart_image,
    chart_table,
    chart_with_title,
    click_nav,
    exceptions,
    heatmap,
    heatmap_row_height,
    keyed,
    label_number,
    open_path,
    parse_label,
    press_on_slider,
    query,
    recording,
    slider_values,
    wait_idle,
)
from playwright.sync_api import expect

import core
from core.analyses.side_by_side import compare_networks

pytestmark = pytest.mark.browser


def param(name: str, *values) -> re.Pattern:
    """A URL pattern for ``name=value`` in the query string (``name=first&name=last`` for a range)."""
    text = "&".join(f"{name}={value}" for value in values)
    return re.compile(rf"[?&]{re.escape(text)}(&|$)")


def sidebar_steps(page) -> int:
    """The observation's number of time steps, as the sidebar's caption says it."""
    caption = page.get_by_test_id("stSidebar").get_by_text(re.compile(r"\d+ time steps"))
    return int(re.search(r"(\d+) time steps", caption.inner_text())[1])


def trajectory(page) -> tuple[str, list[dict]]:
    """The class trajectory's title and its points (step, speaker, probability)."""
    return chart_table(page, "step", "speaker", "probability")


def test_sidebar_observation_changes_the_heatmap_and_the_trajectory(page, app_url):
    open_path(page, app_url, "/activations")
    before, image = heatmap(page), chart_image(page)
    assert "Test recording 1 " in before["title"] and before["units"] == list(range(1, 11))

    press_on_slider(page, "obs_slider", "End", sidebar=True)
    expect(page).to_have_url(param("obs", 370))
    assert recording(page) == 370
    after = heatmap(page)
    assert "Test recording 370 " in after["title"]
    assert after["steps"] == list(range(1, sidebar_steps(page) + 1))
    assert after["values"] != before["values"]
    assert chart_image(page) != image, "the heatmap looks different"

    click_nav(page, "Class trajectory")
    title, points = trajectory(page)
    assert "Test recording 370 " in title
    press_on_slider(page, "obs_slider", "Home", sidebar=True)
    expect(page).not_to_have_url(re.compile(r"[?&]obs="))  # recording 1, the default, is left out of the link
    assert recording(page) == 1
    new_title, new_points = trajectory(page)
    assert "Test recording 1 " in new_title and new_points != points
    assert max(int(p["step"]) for p in new_points) == sidebar_steps(page)
    assert exceptions(page) == []


def test_unit_range_and_time_step_sliders_change_the_heatmap(page, app_url):
    open_path(page, app_url, "/activations")
    start = heatmap(page)
    assert start["units"] == list(range(1, 11)) and start["marker"] == [1]
    assert heatmap_row_height(page) >= 8, "MATLAB's ten rows are readable: at least 8 px each"
    image = chart_image(page)

    press_on_slider(page, "act_units", "End", thumb=1)  # the range's end thumb: 1-100
    expect(page).to_have_url(param("act_units", 1, 100))
    assert slider_values(page, "act_units") == [1, 100]
    assert heatmap(page)["units"] == list(range(1, 101))
    press_on_slider(page, "act_units", "ArrowRight", thumb=0)  # the start thumb: 2-100
    expect(page).to_have_url(param("act_units", 2, 100))
    assert heatmap(page)["units"] == list(range(2, 101))
    widened = chart_image(page)
    assert widened != image

    n_steps = len(start["steps"])
    press_on_slider(page, "act_step", "End")
    expect(page).to_have_url(param("act_step", n_steps))
    assert slider_values(page, "act_step") == [n_steps]
    moved = heatmap(page)
    assert moved["marker"] == [n_steps] and moved["values"] == heatmap(page)["values"]
    bars = chart_with_title(page, "Values at the chosen time step")
    bar_values = {
        int(r["unit"]): label_number(r["value"])
        for labels in bars["marks"].values()
        for r in map(parse_label, labels)
        if "step" not in r
    }
    assert sorted(bar_values) == moved["units"]
    for unit, value in bar_values.items():  # the heatmap's labels are rounded to 3 decimals
        assert abs(value - label_number(moved["values"][(unit, n_steps)])) <= 5e-4, (
            f"unit {unit}: not the last step's value"
        )
    assert chart_image(page) != widened, "the outline moved"
    assert exceptions(page) == []


def test_switching_pages_keeps_the_recording(page, app_url):
    open_path(page, app_url, "/activations?obs=7")
    assert recording(page) == 7
    press_on_slider(page, "obs_slider", "ArrowRight", sidebar=True)  # chosen in the sidebar: 8
    expect(page).to_have_url(param("obs", 8))
    for title, path in [
        ("Class trajectory", "trajectory"),
        ("Dataset", "dataset"),
        ("Home", ""),
        ("Activations", "activations"),
    ]:
        click_nav(page, title)
        expect(page).to_have_url(re.compile(rf"/{path}\?"))
        assert recording(page) == 8, title
        assert query(page) == {"obs": "8"}, title
        assert exceptions(page) == [], title
        if path == "trajectory":
            assert "Test recording 8 " in trajectory(page)[0]
    assert "Test recording 8 " in heatmap(page)["title"]


def test_a_pages_own_slider_survives_a_page_switch(page, app_url):
    """Moved in a fragment rerun, then the page left at once: the value comes back, in the link too."""
    open_path(page, app_url, "/activations")
    press_on_slider(page, "act_units", "End", thumb=1)  # a fragment rerun only
    expect(page).to_have_url(param("act_units", 1, 100))
    click_nav(page, "Dataset")
    click_nav(page, "Activations")
    assert slider_values(page, "act_units") == [1, 100]
    expect(page).to_have_url(param("act_units", 1, 100))
    assert heatmap(page)["units"] == list(range(1, 101))


def test_a_disagreement_clicked_on_two_networks_opens_that_recording(page, app_url):
    """Two networks: a click on a row of the disagreement table makes that recording the sidebar's choice."""
    open_path(page, app_url, "/networks")  # A: the pretrained network, B: the small one
    table = keyed(page, "nets_table")
    expect(table).to_be_visible()
    data = core.load_dataset()
    small = core.load_checkpoint(core.checkpoint_path(network="small"))[0]
    disagree = compare_networks(
        core.split_traces(core.load_model(), "test"), core.run_batch(small, data.test.sequences), data.test.labels
    ).disagree
    second = int(disagree[1]) + 1  # the table's second row: the second recording on which the answers differ
    assert recording(page) == 1 != second, "the click must be what changes the sidebar's recording"
    table.scroll_into_view_if_needed()
    box = table.bounding_box()
    page.mouse.click(box["x"] + 18, box["y"] + 35 + 35 + 17)  # the second row's selection box (rows of 35 px)
    page.wait_for_function(
        f"() => new URL(location.href).searchParams.get('obs') === '{second}'", timeout=UI_TIMEOUT_MS
    )
    wait_idle(page)
    assert recording(page) == second
    assert exceptions(page) == []
