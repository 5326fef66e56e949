"""Helpers for the browser tests: wait for Streamlit to settle, drive widgets, read charts, take screenshots.

Everything waits on a condition in the page (Playwright's auto-waiting and ``wait_for_function``), never on
a fixed delay. An init script installed in every browser context (``devtools.browser.STREAMLIT_WIRE_JS``,
shared with the benchmark) follows the script runs in the messages the server sends, so a test waits for
*the* run its action caused (and the whole chain of runs, when a button's callback switches pages) rather
than for an idle state that may be the one before it; ``devtools.browser.SETTLED_JS`` then waits for the
screen: Streamlit's ``[data-testid='stApp']`` is ``data-test-script-state='notRunning'``, nothing is stale or
still loading, and every chart has drawn. Servers and Chromium come from :mod:`devtools.browser`.
"""

from __future__ import annotations

import contextlib
import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import expect

from devtools.browser import Server, wait_settled
from ui import navigation

__all__ = [
    "ROOT",
    "ENTRY",
    "ARTIFACTS",
    "SCREENSHOTS",
    "BROWSER_LOGS",
    "VIEWPORT",
    "PHONE",
    "PHONE_USER_AGENT",
    "RUN_TIMEOUT_MS",
    "UI_TIMEOUT_MS",
    "app_server",
    "runs_done",
    "wait_idle",
    "open_path",
    "rerun",
    "nav_link",
    "click_nav",
    "open_sidebar",
    "sidebar_is_open",
    "keyed",
    "recording",
    "type_recording",
    "slider_thumbs",
    "slider_values",
    "press_on_slider",
    "query",
    "url_path",
    "alerts",
    "exceptions",
    "charts",
    "parse_label",
    "drawn_charts",
    "chart_with_title",
    "label_number",
    "chart_table",
    "train_smallest_network",
    "heatmap",
    "heatmap_row_height",
    "chart_image",
    "screenshot",
]

ROOT = Path(__file__).resolve().parents[2]
ENTRY = ROOT / "streamlit_app.py"
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
BROWSER_LOGS = ARTIFACTS / "browser"
VIEWPORT = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
# A phone's user agent (Android Chrome): Streamlit closes its side panel after a menu link is tapped on a phone only.
PHONE_USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 7) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)

RUN_TIMEOUT_MS = 90_000  # a script run, including a first computation of every trace
UI_TIMEOUT_MS = 30_000  # anything else the page should show

# True once the open side panel has slid in: its left edge at the window's, and its box as at the last check.
SIDEBAR_IN_PLACE_JS = """() => {
  const r = document.querySelector("[data-testid='stSidebar']").getBoundingClientRect();
  const box = `${r.left},${r.width}`, same = window.__sidebarBox === box;
  window.__sidebarBox = box;
  return same && Math.abs(r.left) < 0.5;
}"""

# Per Vega chart on the page: its title and the aria-labels of its data marks ("key: value; key: value").
CHART_DATA_JS = """
() => [...document.querySelectorAll("[data-testid='stVegaLiteChart']")].map(chart => ({
  title: [...chart.querySelectorAll('.role-title-text text')].map(t => t.textContent).join(' '),
  marks: Object.fromEntries([...chart.querySelectorAll('g.role-mark')].map(g => [
    g.getAttribute('class').replace(/^.*role-mark\\s*/, ''),
    [...g.querySelectorAll('[aria-label]')].map(m => m.getAttribute('aria-label')),
  ])),
}))
"""


# ---------------------------------------------------------------------------------------------- the server


def app_server(cache_dir: Path, name: str, *extra_args: str) -> Server:
    """The app's server (``streamlit_app.py``) with its own disk cache, logging to
    ``test-artifacts/browser/<name>.log``.

    Use it as ``with app_server(...) as server:``; ``server.url`` is its base URL.
    """
    return Server(ENTRY, name=name, log_dir=BROWSER_LOGS, env={"LSTM_EXPLORER_CACHE": str(cache_dir)}, args=extra_args)


# ------------------------------------------------------------------------------------------------- waiting


def runs_done(page) -> int:
    """How many run chains have ended since the page was loaded (by the server's messages)."""
    return page.evaluate("window.__stWire.finished")


def wait_idle(page, after: int | None = None, path: str | None = None, timeout: int = RUN_TIMEOUT_MS) -> None:
    """Wait until Streamlit has finished running and every chart has drawn.

    ``after``: a :func:`runs_done` count taken before an action; then also wait until a run chain has ended
    since (the action's own, not the idle state before it). ``path``: and until the address bar shows that
    path (the destination of a page switch).
    """
    if after is not None or path is not None:
        page.wait_for_function(
            "([n, p]) => window.__stWire.finished > n && !window.__stWire.running && "
            "(p === null || location.pathname === p)",
            arg=[-1 if after is None else after, path],
            timeout=timeout,
        )
    wait_settled(page, timeout, polling=100)


def open_path(page, base_url: str, path: str) -> None:
    """Load ``base_url + path`` in ``page``; wait for the app's run to finish and its charts to draw.

    The first session of a fresh server that opens a page directly runs that page's file alone (Streamlit's
    older ``pages/`` mode) and reruns through the entry point (see ``ui.state.running``); the app is ready once
    the entry point's sidebar (the ``split`` choice) is drawn and that run has ended.
    """
    page.goto(base_url + path)
    wait_idle(page, after=0)
    page.get_by_test_id("stSidebar").locator(".st-key-split").wait_for(state="attached", timeout=RUN_TIMEOUT_MS)
    wait_idle(page)


@contextlib.contextmanager
def rerun(page, path: str | None = None, timeout: int = RUN_TIMEOUT_MS):
    """``with rerun(page): <action>`` waits, after the action, for the run it caused to end and settle.

    ``path``: the action switches to the page at that path; wait for the run there.
    """
    before = runs_done(page)
    yield
    wait_idle(page, after=before, path=path, timeout=timeout)


# -------------------------------------------------------------------------------------------- the widgets


def sidebar_is_open(page) -> bool:
    """Whether the side panel is open (on a narrow screen it starts closed and covers the page when open)."""
    return page.get_by_test_id("stSidebar").get_attribute("data-collapsed") == "false"


def open_sidebar(page) -> None:
    """Open the side panel if it is closed (its › button at the top left)."""
    if not sidebar_is_open(page):
        page.get_by_test_id("stExpandSidebarButton").click()
        expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "false")
    page.wait_for_function(SIDEBAR_IN_PLACE_JS, timeout=UI_TIMEOUT_MS, polling=50)  # it slides in


def nav_link(page, title: str):
    """The menu's link to the page titled ``title``, made visible: in its section's dropdown of the menu at the top
    (a section beyond the width of the screen is under "N more"), or, on a narrow screen, where Streamlit puts the
    menu, in the side panel (opened, "View N more" expanded if needed)."""
    top = page.get_by_test_id("stTopNav")
    if top.count():
        section = next(p.section for p in navigation.PAGES if p.title == title)
        link = page.get_by_test_id("stTopNavDropdownLink").filter(has=page.get_by_text(title, exact=True))
        if not link.is_visible():
            button = top.get_by_test_id("stTopNavSection").filter(has=page.get_by_text(section, exact=True))
            if not button.count() or not button.first.is_visible():
                button = top.get_by_test_id("stTopNavSection").filter(has_text=re.compile(r"^\d+ more$"))
            button.first.click()
        expect(link).to_be_visible()
        return link
    open_sidebar(page)
    nav = page.get_by_test_id("stSidebarNav")
    link = nav.locator("a").filter(has=page.get_by_text(title, exact=True))
    more = nav.get_by_test_id("stSidebarNavViewButton").filter(has_text=re.compile(r"View \d+ more"))
    if link.count() == 0 and more.count():
        more.click()
    return link


def click_nav(page, title: str) -> None:
    """Open the page ``title`` by clicking its link in the menu, and wait for it to settle."""
    link = nav_link(page, title)
    with rerun(page, path=urlparse(link.get_attribute("href")).path):
        link.click()


def keyed(page, key: str, *, sidebar: bool = False):
    """The element container of the widget with ``key`` (Streamlit gives it the class ``st-key-<key>``)."""
    scope = page.get_by_test_id("stSidebar") if sidebar else page.get_by_test_id("stMain")
    return scope.locator(f".st-key-{key}")


def recording(page) -> int:
    """The recording chosen in the sidebar: its number box's value (the slider beside it must show the same)."""
    box = keyed(page, "obs", sidebar=True).locator("input")
    number = int(box.input_value())
    assert slider_values(page, "obs_slider", sidebar=True) == [number], "the slider follows the number box"
    return number


def type_recording(page, number: int) -> None:
    """Type ``number`` into the sidebar's recording box and press Enter; wait for the run it causes."""
    box = keyed(page, "obs", sidebar=True).locator("input")
    box.fill(str(number))
    with rerun(page):
        box.press("Enter")


def slider_thumbs(page, key: str, *, sidebar: bool = False):
    """The thumb(s) of slider ``key``: its ``<input type=range>`` elements (ARIA role slider)."""
    return keyed(page, key, sidebar=sidebar).get_by_role("slider")


def slider_values(page, key: str, *, sidebar: bool = False) -> list[int]:
    """The value shown on each thumb of slider ``key`` (from the thumbs' ARIA value text)."""
    thumbs = slider_thumbs(page, key, sidebar=sidebar)
    return [int(thumbs.nth(i).get_attribute("aria-valuetext")) for i in range(thumbs.count())]


def press_on_slider(page, key: str, keys: str, *, thumb: int = 0, sidebar: bool = False) -> None:
    """Focus a slider thumb, press ``keys`` (e.g. ``"End"``) and wait for the rerun it causes."""
    handle = slider_thumbs(page, key, sidebar=sidebar).nth(thumb)
    handle.focus()
    with rerun(page):
        handle.press(keys)


def query(page) -> dict[str, str]:
    """The page URL's query parameters (one value each)."""
    return {k: v[-1] for k, v in parse_qs(urlparse(page.url).query).items()}


def url_path(page) -> str:
    return urlparse(page.url).path


def alerts(page) -> list[str]:
    return [a.inner_text() for a in page.get_by_test_id("stAlert").all()]


def exceptions(page) -> list[str]:
    return [e.inner_text() for e in page.get_by_test_id("stException").all()]


# --------------------------------------------------------------------------------------------- the charts


def charts(page) -> list[dict]:
    """Every Vega chart on the page: ``{"title": str, "marks": {mark group: [aria-label, ...]}}``."""
    return page.evaluate(CHART_DATA_JS)


def parse_label(label: str) -> dict[str, str]:
    """``"Time step: 1; Hidden unit: 3; value: 0.5"`` -> ``{"Time step": "1", ...}``."""
    return dict(part.split(": ", 1) for part in label.split("; ") if ": " in part)


def drawn_charts(page) -> int:
    """How many Vega charts have drawn (a canvas or an svg of marks)."""
    return page.locator("[data-testid='stVegaLiteChart']").filter(has=page.locator("canvas, svg.marks")).count()


def chart_with_title(page, text: str) -> dict:
    for chart in charts(page):
        if text in chart["title"]:
            return chart
    raise AssertionError(f"no chart titled with {text!r}; titles: {[c['title'] for c in charts(page)]}")


def label_number(text: str) -> float:
    """A number as Vega writes it in a mark's label (a typographic minus, U+2212)."""
    return float(text.replace("\u2212", "-"))


def chart_table(page, *columns: str) -> tuple[str, list[dict]]:
    """The largest drawn mark group whose marks all carry the fields ``columns`` (tooltip titles come too).

    Returns its chart's title and one dict per mark (values as text), in drawing order. The largest, because
    a line draws one mark per series but its points one per row.
    """
    found = []
    for chart in charts(page):
        for labels in chart["marks"].values():
            rows = [parse_label(m) for m in labels]
            if rows and all(set(columns) <= set(r) for r in rows):
                found.append((len(rows), chart["title"], rows))
    if not found:
        raise AssertionError(f"no chart draws marks with fields {columns}")
    _, title, rows = max(found, key=lambda f: f[0])
    return title, rows


def heatmap(page) -> dict:
    """The Activations heatmap read from its drawn marks.

    Returns ``{"title", "units": sorted units (rows), "steps": sorted steps (columns), "marker": outlined
    step(s), "values": {(unit, step): value text}}``.
    """
    title, cells = chart_table(page, "unit", "step", "value")
    marker = []
    for chart in charts(page):
        if chart["title"] == title:
            for labels in chart["marks"].values():
                rows = [parse_label(m) for m in labels]
                if rows and all(set(r) == {"step"} for r in rows):
                    marker = [int(r["step"]) for r in rows]
    return {
        "title": title,
        "units": sorted({int(c["unit"]) for c in cells}),
        "steps": sorted({int(c["step"]) for c in cells}),
        "marker": marker,
        "values": {(int(c["unit"]), int(c["step"])): c["value"] for c in cells},
    }


def heatmap_row_height(page) -> float:
    """The drawn height of one heatmap row (one cell), in CSS pixels."""
    return page.evaluate("""() => {
      const cell = [...document.querySelectorAll("[data-testid='stVegaLiteChart'] [aria-label]")]
        .find(m => /(^|; )unit: .*; step: .*; value: /.test(m.getAttribute('aria-label')));
      return cell ? cell.getBoundingClientRect().height : 0;
    }""")


def chart_image(page, index: int = 0) -> bytes:
    """A PNG of the ``index``-th Vega chart as drawn."""
    return page.locator("[data-testid='stVegaLiteChart']").nth(index).screenshot()


# ------------------------------------------------------------------------------------------- screenshots


def screenshot(page, name: str, *, full: bool = True) -> Path:
    """Save ``test-artifacts/screenshots/<name>.png``: the whole page, however long, or the viewport.

    Streamlit scrolls its main area inside ``stMain``, so Playwright's ``full_page`` would stop at the
    viewport; the viewport is made as tall as the content for the shot, then put back.
    """
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    size = page.viewport_size
    height = page.evaluate("""() => Math.max(...["stMain", "stSidebarContent"].map(id => {
        const e = document.querySelector(`[data-testid='${id}']`), box = e && e.getBoundingClientRect();
        return box && box.right > 0 && box.width > 0 ? e.scrollHeight : 0; }))""")  # a collapsed sidebar: 0
    if full and height > size["height"]:
        page.set_viewport_size({"width": size["width"], "height": min(height, 8000)})
        wait_idle(page)
        page.screenshot(path=path)
        page.set_viewport_size(size)
        wait_idle(page)
    else:
        page.screenshot(path=path)
    return path


def train_smallest_network(page) -> None:
    """On the Model lab page: the fewest units and 10 epochs, then Train; wait until the network is trained."""
    for key, presses in (("lab_hidden", ["Home"]), ("lab_epochs", ["Home", "ArrowRight"])):  # 10 units, 10 epochs
        thumb = keyed(page, key).get_by_role("slider")
        thumb.focus()
        with rerun(page):  # each slider reruns the page, whose plan of the training follows it
            for press in presses:
                thumb.press(press)
    expect(keyed(page, "lab_hidden").get_by_role("slider")).to_have_attribute("aria-valuetext", "10")
    expect(keyed(page, "lab_epochs").get_by_role("slider")).to_have_attribute("aria-valuetext", "10")
    page.get_by_role("button", name="Train this network").click()
    expect(page.get_by_text("Training finished").or_(page.get_by_text("loaded at once"))).to_be_visible(
        timeout=RUN_TIMEOUT_MS
    )
