"""Two visitors at once, in two browser contexts of one Chromium against one server: neither ever sees the
other's observation, sliders, trained network or uploaded sequence. Also, from a visitor's seat, what the server
refuses: uploads larger than the limit or without the XSRF token, and link text rendered as a link.

The AppTest version (two sessions in one process) is ``tests/test_isolation.py``.
"""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest
from browser_helpers import (
    RUN_TIMEOUT_MS,
    alerts,
    exceptions,
    keyed,
    nav_link,
    open_path,
    query,
    recording,
    slider_values,
    train_smallest_network,
)
from playwright.sync_api import expect

from core.compute.dataset_upload import MAX_DATASET_MB
from core.compute.upload import MAX_UPLOAD_MB
from devtools.browser import wait_settled
from ui import navigation

pytestmark = pytest.mark.browser

SHIPPED = ["Pretrained, 100 units", "Small, 20 units"]  # the shipped networks of Japanese Vowels
PATHS = {p.title: p.address for p in navigation.PAGES}  # title in the menu -> path in the address bar
STATE_JS = """([path, params]) => {
  const url = new URL(location.href);
  return url.pathname === path && Object.entries(params).every(([k, v]) => url.searchParams.get(k) === v);
}"""


# These tests wait for the state an action must produce (the address bar, a text), then for the page to settle,
# rather than counting finished runs: with two sessions busy on a loaded machine the browser may handle a run's
# start and end in one frame, and a run that never showed "running" is not counted.


def settle(page, path: str | None = None, **params: str) -> None:
    if path is not None:
        page.wait_for_function(STATE_JS, arg=[path, params], timeout=RUN_TIMEOUT_MS, polling=100)
    wait_settled(page, RUN_TIMEOUT_MS, polling=100)


def go(page, title: str) -> None:
    nav_link(page, title).click()
    settle(page, PATHS[title])


def press(page, key: str, keys: str, *, sidebar: bool = False, **expected: str) -> None:
    """Press ``keys`` on slider ``key``; wait until the address bar holds ``expected``."""
    thumb = keyed(page, key, sidebar=sidebar).get_by_role("slider")
    thumb.focus()
    thumb.press(keys)
    settle(page, page.evaluate("location.pathname"), **expected)


MY_SEQUENCE = "My own sequence"
ROW = ",".join(["0.5"] * 12)


def network_choices(page) -> list[str]:
    """The options of the sidebar's Network list, as a visitor sees them when opening it."""
    box = keyed(page, "net", sidebar=True)
    for _ in range(5):  # the first click after a rerun may land before the list can open: then try again
        box.get_by_role("button", name="Open").click()
        try:
            expect(page.get_by_role("option").first).to_be_visible(timeout=3000)
            break
        except AssertionError:
            page.keyboard.press("Escape")
    options = [o.inner_text().strip() for o in page.get_by_role("option").all()]
    page.keyboard.press("Escape")
    expect(page.get_by_role("option")).to_have_count(0)
    return options


def data_choices(page) -> list[str]:
    return [
        r.inner_text().strip() for r in keyed(page, "split", sidebar=True).locator("label:has(input[type=radio])").all()
    ]


def upload(page, name: str, data: bytes) -> None:
    go(page, "Your own sequence")
    keyed(page, "up_file").locator("input[type=file]").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": data}
    )
    expect(page.get_by_text("What the network makes of it")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    settle(page)


def test_two_visitors_never_see_each_others_choices(new_context, app_url):
    a, b = new_context().new_page(), new_context().new_page()
    open_path(a, app_url, "/activations?split=Training+set&obs=37&act_units=5&act_units=25")
    open_path(b, app_url, "/activations?obs=5")

    last_step = keyed(a, "act_step").get_by_role("slider").get_attribute("max")
    press(a, "act_step", "End", act_step=last_step)
    press(b, "obs_slider", "ArrowRight", sidebar=True, obs="6")
    go(a, "Model lab")
    train_smallest_network(a)
    settle(a)
    upload(a, "mine.csv", ("\n".join([ROW] * 9) + "\n").encode())
    expect(a.get_by_text("What the network makes of it")).to_be_visible()
    assert MY_SEQUENCE in data_choices(a)
    assert network_choices(a)[:2] == SHIPPED and len(network_choices(a)) == 3

    # B, after all of that: its own observation, its own sliders, nothing of A's in its lists.
    go(b, "Activations")
    assert recording(b) == 6
    assert slider_values(b, "act_units") == [1, 10] and slider_values(b, "act_step") == [1]
    assert data_choices(b) == ["Test set", "Training set"]
    assert network_choices(b) == SHIPPED
    assert query(b) == {"obs": "6"}
    go(b, "Your own sequence")
    expect(b.get_by_text("No sequence yet")).to_be_visible()

    # A, after B moved: exactly its own choices.
    go(a, "Activations")
    assert recording(a) == 37
    assert slider_values(a, "act_units") == [5, 25] and slider_values(a, "act_step") == [int(last_step)]
    assert query(a)["obs"] == "37" and query(a)["split"] == "Training set"
    assert exceptions(a) == [] and exceptions(b) == []

    # A new visitor opening A's address (with A's network in it) gets the pretrained network and a notice.
    lab_network = network_choices(a)[2]
    c = new_context().new_page()
    open_path(c, app_url, f"/activations?split=Training+set&obs=37&net={quote(lab_network)}")
    assert network_choices(c) == SHIPPED
    assert any("“net”" in text for text in alerts(c))
    assert recording(c) == 37


def test_the_server_refuses_oversized_uploads_and_uploads_without_the_xsrf_token(page, app_url):
    """The upload widget's own request, replayed: the limit and the XSRF check hold on the server itself."""
    open_path(page, app_url, "/upload")
    sent = []
    page.on("request", lambda r: sent.append(r) if "/_stcore/upload_file/" in r.url and r.method == "PUT" else None)
    keyed(page, "up_file").locator("input[type=file]").set_input_files(
        {"name": "ok.csv", "mimeType": "text/csv", "buffer": (ROW + "\n").encode() * 9}
    )
    expect(page.get_by_text("What the network makes of it")).to_be_visible(timeout=RUN_TIMEOUT_MS)
    assert sent, "the widget uploads with a PUT"
    url, headers = sent[0].url, {k: v for k, v in sent[0].headers.items() if k.lower() == "x-xsrftoken"}
    assert headers, "the browser sends the XSRF token"
    api = page.context.request

    def put(size: int, with_token: bool = True) -> int:
        response = api.put(
            url,
            headers=headers if with_token else {},
            multipart={"file": {"name": "f.csv", "mimeType": "text/csv", "buffer": b"1" * size}},
            timeout=60_000,
        )
        return response.status

    assert put(1000) == 204, "the replay itself is accepted"
    assert put((MAX_DATASET_MB + 1) * 1024 * 1024) == 413, "over server.maxUploadSize (MAX_DATASET_MB)"
    assert put(50 * 1024 * 1024) == 413
    assert put(1000, with_token=False) == 403, "no XSRF token, no upload"
    assert exceptions(page) == []


def test_an_oversized_file_in_the_widget_is_refused_and_nothing_is_stored(page, app_url):
    open_path(page, app_url, "/upload")
    rows = MAX_UPLOAD_MB * 1_000_000 // len(ROW + "\n") + 10_000  # over the sequence uploader's limit
    keyed(page, "up_file").locator("input[type=file]").set_input_files(
        {"name": "big.csv", "mimeType": "text/csv", "buffer": (ROW + "\n").encode() * rows}
    )
    expect(keyed(page, "up_file")).to_contain_text(re.compile(r"(too large|must be|exceeds|limit).*MB", re.I))
    expect(page.get_by_text("No sequence yet")).to_be_visible()
    assert data_choices(page) == ["Test set", "Training set"]
    assert exceptions(page) == []


@pytest.mark.parametrize("text", ["[Log in again](https://evil.example/login)", "![x](https://evil.example/t.png)"])
def test_link_text_never_becomes_a_link_or_an_image_on_screen(page, app_url, text):
    open_path(page, app_url, f"/?obs={quote(text)}")
    notice = page.get_by_test_id("stAlert").filter(has_text="“obs”")
    expect(notice).to_have_count(1)
    expect(notice.locator("code")).to_contain_text(text[:30])
    assert page.locator("a[href*='evil.example'], img[src*='evil.example']").count() == 0
    assert exceptions(page) == []
