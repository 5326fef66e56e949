"""No control ever shows no choice: after a data-set switch, an upload, a network change, a bad link value or a page
switch, every radio group in the sidebar and on the page has a checked option, and every selectbox and number box
shows a value (read from the page itself)."""

from __future__ import annotations

import pytest
from app_helpers import small_dataset_zip
from browser_helpers import (
    RUN_TIMEOUT_MS,
    click_nav,
    exceptions,
    keyed,
    open_path,
    rerun,
    train_smallest_network,
    wait_idle,
)
from playwright.sync_api import expect

from ui import navigation

pytestmark = pytest.mark.browser

# Every radio group, selectbox and number box on the page, and those that show no choice (by widget key).
CHOICES_JS = """() => {
  const key = el => ((el.closest("[class*='st-key-']") || {className: ''}).className.match(/st-key-(\\S+)/) || [])[1];
  const found = {radios: [], selects: [], numbers: [], empty: []};
  for (const group of document.querySelectorAll("[data-testid='stRadio'] [role='radiogroup']")) {
    found.radios.push(key(group));
    if (!group.querySelector("input[type='radio']:checked")) found.empty.push(`radio ${key(group)}`);
  }
  for (const input of document.querySelectorAll("[data-testid='stSelectbox'] input")) {
    found.selects.push(key(input));
    if (!input.value.trim()) found.empty.push(`selectbox ${key(input)}`);
  }
  for (const input of document.querySelectorAll("[data-testid='stNumberInput'] input")) {
    found.numbers.push(key(input));
    if (!input.value.trim()) found.empty.push(`number box ${key(input)}`);
  }
  return found;
}"""


def assert_every_choice_shown(page, *expected: str) -> dict:
    """No radio group without a checked option, no empty selectbox or number box; the widgets ``expected`` (keys)
    are among them. Returns what was found."""
    wait_idle(page)
    found = page.evaluate(CHOICES_JS)
    assert not found["empty"], (page.url, found)
    shown = set(found["radios"] + found["selects"] + found["numbers"])
    assert set(expected) <= shown, (page.url, set(expected) - shown)
    assert exceptions(page) == [], page.url
    return found


def choose_radio(page, key: str, label: str, *, sidebar: bool = True) -> None:
    with rerun(page):
        keyed(page, key, sidebar=sidebar).get_by_text(label, exact=True).click()


def choose_option(page, key: str, label: str, *, sidebar: bool = True) -> None:
    """Open selectbox ``key`` and pick the option ``label``; wait for the run it causes."""
    keyed(page, key, sidebar=sidebar).get_by_role("combobox").click()
    option = page.get_by_role("option").filter(has_text=label)
    expect(option.first).to_be_visible()
    with rerun(page):
        option.first.click()


SIDEBAR = ("data", "split", "obs", "net")


def test_after_a_data_set_switch(page, app_url):
    open_path(page, app_url, "/activations?obs=200")
    assert_every_choice_shown(page, *SIDEBAR, "act_q", "act_order")
    choose_radio(page, "data", "BasicMotions")
    assert_every_choice_shown(page, *SIDEBAR, "act_q", "act_order")
    assert keyed(page, "obs", sidebar=True).locator("input").input_value() == "40", "200 moved into its 40"
    click_nav(page, "Why did it decide?")
    assert_every_choice_shown(page, *SIDEBAR, "why_target", "why_baseline")
    choose_radio(page, "data", "Japanese Vowels")
    assert_every_choice_shown(page, *SIDEBAR, "why_target", "why_baseline")


def test_after_an_upload(page, app_url):
    open_path(page, app_url, "/upload_data")  # the uploader of the first attempt: upd_files_0
    keyed(page, "upd_files_0").locator("input[type=file]").set_input_files(
        {"name": "small.zip", "mimeType": "application/zip", "buffer": small_dataset_zip()}
    )
    expect(keyed(page, "data", sidebar=True).get_by_role("radio", name="small (yours)")).to_be_checked(
        timeout=RUN_TIMEOUT_MS
    )
    assert_every_choice_shown(page, "data", "split", "obs")
    click_nav(page, "Activations")  # no network yet: the page says how to get one
    assert_every_choice_shown(page, "data", "split", "obs")
    click_nav(page, "Model lab")
    train_smallest_network(page)
    assert_every_choice_shown(page, *SIDEBAR)
    click_nav(page, "Activations")
    assert_every_choice_shown(page, *SIDEBAR, "act_q", "act_order")
    choose_radio(page, "split", "Training set")
    assert_every_choice_shown(page, *SIDEBAR, "act_q", "act_order")


def test_after_a_network_change(page, app_url):
    open_path(page, app_url, "/lab")
    train_smallest_network(page)
    wait_idle(page)
    click_nav(page, "Activations")
    choose_option(page, "net", "Lab: ")
    assert keyed(page, "net", sidebar=True).get_by_role("combobox").input_value().startswith("Lab: ")
    assert_every_choice_shown(page, *SIDEBAR, "act_q", "act_order")
    click_nav(page, "Two networks")
    assert_every_choice_shown(page, *SIDEBAR, "nets_other", "nets_split")
    choose_option(page, "net", "Pretrained, 100 units")
    assert_every_choice_shown(page, *SIDEBAR, "nets_other", "nets_split")
    click_nav(page, "Silence units")
    assert_every_choice_shown(page, *SIDEBAR, "abl_speaker")


@pytest.mark.parametrize(
    "link, page_choices",
    [
        ("/activations?data=nope&split=nope&net=nope&obs=abc&act_q=nope&act_order=nope", ("act_q", "act_order")),
        ("/why?obs=99999&why_target=nope&why_baseline=nope", ("why_target", "why_baseline")),
        ("/compare?split=Training+set&cmp_split=nope&cmp_q=nope", ("cmp_split", "cmp_q")),
        ("/patterns?pat_where=nope&layer=nope", ("pat_where",)),
    ],
    ids=["activations", "why", "compare", "patterns"],
)
def test_after_a_bad_link_value(page, app_url, link, page_choices):
    open_path(page, app_url, link)
    assert_every_choice_shown(page, *SIDEBAR, *page_choices)


def test_after_every_page_switch(page, app_url):
    open_path(page, app_url, "/")
    assert_every_choice_shown(page, *SIDEBAR)
    for entry in [*navigation.PAGES[1:], navigation.HOME]:
        click_nav(page, entry.title)
        assert_every_choice_shown(page, *SIDEBAR)
