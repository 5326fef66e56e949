"""The layout: the sidebar's shared choices in view on a laptop screen; on a phone, the side panel out of the way
after a page is chosen, the recording typed in two actions, every chart within the width of the screen; and
Activations in Streamlit's dark theme (screenshots for a look by eye)."""

from __future__ import annotations

import pytest
from browser_helpers import (
    PHONE,
    PHONE_USER_AGENT,
    alerts,
    chart_with_title,
    exceptions,
    heatmap,
    heatmap_row_height,
    keyed,
    nav_link,
    open_path,
    open_sidebar,
    recording,
    rerun,
    screenshot,
    sidebar_is_open,
    wait_idle,
)
from playwright.sync_api import expect

from ui import navigation

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}
SHARED_CHOICES = ("data", "split", "obs_slider", "obs", "net")  # the sidebar's widgets, by key

OVERFLOW_JS = """() => {
  const main = document.querySelector("[data-testid='stMain']");
  const charts = [...document.querySelectorAll("[data-testid='stVegaLiteChart']")];
  return {body: document.body.scrollWidth, window: window.innerWidth, main: main.scrollWidth,
          mainClient: main.clientWidth, charts: charts.length,
          chartRight: Math.max(0, ...charts.map(c => c.getBoundingClientRect().right)),
          chartWidest: Math.max(0, ...charts.map(c => c.getBoundingClientRect().width))};
}"""

# True once the closed side panel has slid out of the window.
PANEL_GONE_JS = "() => document.querySelector(\"[data-testid='stSidebar']\").getBoundingClientRect().right <= 0.5"

LUMINANCE_JS = """(selector) => {
  const rgb = getComputedStyle(document.querySelector(selector)).backgroundColor.match(/[\\d.]+/g).map(Number);
  return (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255;
}"""


def phone(new_context):
    """A page on a phone: 390 x 844, touch, a phone's user agent."""
    return new_context(viewport=PHONE, is_mobile=True, has_touch=True, user_agent=PHONE_USER_AGENT).new_page()


def in_view(page, key: str) -> bool:
    """Whether the sidebar widget ``key`` lies wholly inside the window, as the page is (nothing scrolled)."""
    box = keyed(page, key, sidebar=True).bounding_box()
    size = page.viewport_size
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= size["width"]
        and (box["y"] + box["height"] <= size["height"])
    )


def assert_charts_fit(page) -> dict:
    """No chart, and nothing else on the page, is wider than the window; returns the measures."""
    widths = page.evaluate(OVERFLOW_JS)
    assert widths["body"] <= widths["window"] + 1, widths
    assert widths["main"] <= widths["mainClient"] + 1, widths
    assert widths["chartRight"] <= widths["window"] + 1 and widths["chartWidest"] <= widths["window"], widths
    return widths


@pytest.mark.parametrize("path", ["/", "/whatif"], ids=["home", "whatif"])
def test_the_shared_choices_are_in_view_on_a_laptop_screen(new_context, app_url, path):
    """At 1280 x 800 the data set, the recordings, the recording (slider and number box) and the network are all
    visible without scrolling, on Home and on a long page."""
    page = new_context(viewport=LAPTOP).new_page()
    open_path(page, app_url, path)
    assert page.get_by_test_id("stSidebarContent").evaluate("e => e.scrollTop") == 0
    if path != "/":
        assert page.get_by_test_id("stMain").evaluate("e => e.scrollHeight > 3 * e.clientHeight"), "a long page"
    hidden = [key for key in SHARED_CHOICES if not in_view(page, key)]
    assert not hidden, f"out of view at 1280 x 800 on {path}: {hidden}"
    assert sidebar_is_open(page) and exceptions(page) == []


@pytest.mark.parametrize("name", ["activations", "units", "whatif"])
def test_on_a_phone_a_page_chosen_in_the_menu_closes_the_side_panel(new_context, app_url, name):
    """On a phone Streamlit puts the menu in the side panel, which covers the page while open: choosing a page
    there closes it, so the page is what shows."""
    page = phone(new_context)
    open_path(page, app_url, "/")
    assert not sidebar_is_open(page), "closed as the app opens on a phone"
    title = navigation.page(name).title
    link = nav_link(page, title)  # opens the side panel
    assert sidebar_is_open(page)
    with rerun(page, path=f"/{name}"):
        link.tap()
    expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true")
    page.wait_for_function(PANEL_GONE_JS)
    expect(page.get_by_role("heading", level=1).first).to_have_text(title)
    heading = page.get_by_role("heading", level=1).first.bounding_box()
    panel = page.get_by_test_id("stSidebar").bounding_box()
    assert panel is None or panel["x"] + panel["width"] <= heading["x"] + 1, "the panel no longer covers the page"
    assert exceptions(page) == []


@pytest.mark.parametrize("name", ["activations", "trajectory", "dataset"])
def test_on_a_phone_recording_123_takes_two_actions_and_every_chart_fits(new_context, app_url, name):
    """Open the side panel (1), type 123 in the number box beside the recording's slider and press Enter (2): the
    page shows test recording 123, and no chart is wider than the screen."""
    page = phone(new_context)
    open_path(page, app_url, f"/{name}")
    assert_charts_fit(page)
    open_sidebar(page)  # action 1: a tap on the › button at the top left
    box, slider = keyed(page, "obs", sidebar=True), keyed(page, "obs_slider", sidebar=True)
    expect(box).to_be_in_viewport()
    assert in_view(page, "obs") and in_view(page, "obs_slider"), "the box and its slider show as the panel opens"
    box_at, slider_at = box.bounding_box(), slider.bounding_box()
    assert box_at["x"] >= slider_at["x"] + slider_at["width"] - 1, "the box is beside the slider, to its right"
    assert box_at["y"] < slider_at["y"] + slider_at["height"] and slider_at["y"] < box_at["y"] + box_at["height"]
    field = box.locator("input")
    with rerun(page):
        field.fill("123")  # action 2: type 123 and press Enter
        field.press("Enter")
    assert recording(page) == 123
    assert exceptions(page) == [] and not [a for a in alerts(page) if "link's value" in a]
    chart_with_title(page, "Test recording 123 ")
    page.mouse.click(PHONE["width"] - 20, PHONE["height"] // 2)  # a tap beside the panel closes it
    expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true")
    page.wait_for_function(PANEL_GONE_JS)
    wait_idle(page)
    assert assert_charts_fit(page)["charts"] > 0
    screenshot(page, f"{name}-phone-123", full=False)


def test_activations_fits_a_phone_screen(new_context, app_url):
    page = phone(new_context)
    open_path(page, app_url, "/activations")
    assert exceptions(page) == []
    assert heatmap(page)["units"] == list(range(1, 11)), "the heatmap is drawn"
    assert heatmap_row_height(page) >= 8, "a row of the heatmap is at least 8 px tall"
    assert_charts_fit(page)
    screenshot(page, "activations-phone")


def test_activations_in_the_dark_theme(page, dark_url):
    open_path(page, dark_url, "/activations?act_units=1&act_units=30&act_step=5")
    assert exceptions(page) == []
    assert page.evaluate(LUMINANCE_JS, "[data-testid='stApp']") < 0.3, "the dark theme is on"
    assert heatmap(page)["units"] == list(range(1, 31))
    screenshot(page, "activations-dark")
