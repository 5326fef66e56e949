"""The Activations page on a phone-sized screen, and in Streamlit's dark theme (screenshots for a look by eye)."""

from __future__ import annotations

import pytest
from browser_helpers import PHONE, exceptions, heatmap, heatmap_row_height, open_path, screenshot

pytestmark = pytest.mark.browser

OVERFLOW_JS = """() => {
  const main = document.querySelector("[data-testid='stMain']");
  const charts = [...document.querySelectorAll("[data-testid='stVegaLiteChart']")];
  return {body: document.body.scrollWidth, window: window.innerWidth, main: main.scrollWidth,
          mainClient: main.clientWidth, chartRight: Math.max(0, ...charts.map(c => c.getBoundingClientRect().right))};
}"""

LUMINANCE_JS = """(selector) => {
  const rgb = getComputedStyle(document.querySelector(selector)).backgroundColor.match(/[\\d.]+/g).map(Number);
  return (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255;
}"""


def test_activations_fits_a_phone_screen(new_context, app_url):
    page = new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    open_path(page, app_url, "/activations")
    assert exceptions(page) == []
    assert heatmap(page)["units"] == list(range(1, 11)), "the heatmap is drawn"
    assert heatmap_row_height(page) >= 8, "a row of the heatmap is at least 8 px tall"
    widths = page.evaluate(OVERFLOW_JS)
    assert widths["body"] <= widths["window"] + 1, widths
    assert widths["main"] <= widths["mainClient"] + 1, widths
    assert widths["chartRight"] <= widths["window"] + 1, widths
    screenshot(page, "activations-phone")


def test_activations_in_the_dark_theme(page, dark_url):
    open_path(page, dark_url, "/activations?units=1-30&step=5")
    assert exceptions(page) == []
    assert page.evaluate(LUMINANCE_JS, "[data-testid='stApp']") < 0.3, "the dark theme is on"
    assert heatmap(page)["units"] == list(range(1, 31))
    screenshot(page, "activations-dark")
