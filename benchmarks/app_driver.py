"""Driving one session of the app in the browser, as a visitor does: its link, the menu at the top, the Activations
time-step slider, uploading a data set and training a network in the Model lab; each action timed inside the page.

Every wait is on a condition in the page (the run an action caused, as the server's messages announce it, and the
screen settled: ``devtools.browser``), never a fixed delay.
"""

from __future__ import annotations

import asyncio
import random
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urlencode, urlparse

from playwright.async_api import TimeoutError as PlaywrightTimeout

from devtools.browser import SETTLED_JS, wait_settled

from .common import Reloaded, answer_ms, count_exceptions, doc_id, event_count, new_page

__all__ = [
    "CHART",
    "DEFAULT_DATASET",
    "cache_env",
    "link",
    "on_dataset",
    "default_steps",
    "n_test",
    "open_app",
    "page_errors",
    "Presses",
    "press_slider",
    "MenuLink",
    "menu_links",
    "PageAnswer",
    "click_page",
    "try_click_page",
    "visit_every_page",
    "upload_dataset",
    "start_training",
    "wait_trained",
    "train_in_lab",
]

CHART = ".vega-embed canvas, .vega-embed svg"
TIME_STEP = "[data-testid='stSlider']:has-text('Time step') input[type='range']"  # the app's and the bare apps'
MENU_SECTION = "[data-testid='stTopNav'] [data-testid='stTopNavSection']"
MENU_POPOVER = "[data-testid='stTopNavPopover']"
MENU_LINK = f"{MENU_POPOVER} [data-testid='stTopNavDropdownLink']"
LINK_NOTICE = "The link's value"  # how a notice of a link value the app could not use begins (ui/state/link.py)
TRAINING_TIMEOUT_MS = 900_000  # a network trained in the Model lab on a loaded machine

# ms from click ``n`` to the screen settled (devtools.browser.SETTLED_JS: no run going, nothing stale, every chart
# drawn), measured inside the page; false while it has not settled.
_SETTLED_SINCE_CLICK_JS = f"""
([n]) => {{
  const settled = ({SETTLED_JS})();
  return settled ? performance.now() - window.__bench.clicks[n] : false;
}}
"""


def cache_env(tmp: Path) -> dict[str, str]:
    """A new, empty disk-cache folder, so the app never reads or writes the repo's cache/."""
    folder = Path(tempfile.mkdtemp(prefix="cache-", dir=tmp))
    return {"LSTM_EXPLORER_CACHE": str(folder)}


DEFAULT_DATASET = "japanese_vowels"  # core.DEFAULT_DATASET, without importing torch into the benchmark process


def link(dataset: str, **params) -> str:
    """A link's parameters for ``dataset`` and ``params`` (e.g. ``obs=3``): ``"?data=BasicMotions&obs=3"``.

    The link holds the labels the sidebar shows (the data set's title); the default data set is left out, as the
    app leaves it out.
    """
    import core

    items = ([("data", core.dataset_info(dataset).title)] if dataset != DEFAULT_DATASET else []) + list(params.items())
    return "?" + urlencode(items) if items else ""


def on_dataset(dataset: str) -> str:
    """A figure name's suffix for a data set other than the default: ``", BasicMotions"``."""
    if dataset == DEFAULT_DATASET:
        return ""
    import core

    return f", {core.dataset_info(dataset).title}"


def default_steps(dataset: str = DEFAULT_DATASET) -> int:
    """Time steps of test recording 1 of ``dataset``, the recording the app opens on."""
    import core

    return int(core.load_dataset(dataset).test.sequences[0].shape[1])


def n_test(dataset: str) -> int:
    import core

    return len(core.load_dataset(dataset).test)


async def page_errors(page) -> int:
    """Exceptions the app shows on ``page`` (stException) and errors the browser raised in it."""
    return await count_exceptions(page) + len(page._bench_errors)


async def _check_link_taken(page) -> None:
    """Raise AssertionError if the app says it could not use a value of the link it was opened with."""
    notices = [t for t in await page.get_by_test_id("stAlert").all_inner_texts() if LINK_NOTICE in t]
    if notices:
        raise AssertionError(f"the app did not take the link {page.url}: " + " | ".join(notices))


async def open_app(browser, url: str, *, chart: bool = True, timeout: float = 180_000):
    """A new browser context on ``url``, once its first chart is visible (``chart``) and the app has settled.

    Raises AssertionError if the app did not take a value of the link (so a figure never measures another data
    set or recording than its name says).
    """
    context, page = await new_page(browser)
    await page.goto(url)
    if chart:
        await page.locator(CHART).first.wait_for(state="visible", timeout=timeout)
    await wait_settled(page, timeout)
    await _check_link_taken(page)
    return context, page


# --------------------------------------------------------------------------- the time-step slider


@dataclass
class Presses:
    total: list[float] = field(default_factory=list)  # key press -> idle again, ms
    to_running: list[float] = field(default_factory=list)  # key press -> run starts (debounce + round trip)
    unchanged: int = 0  # presses after which the slider value did not move
    unanswered: list[str] = field(default_factory=list)  # presses with no answer in time (only when tolerated)

    @property
    def run(self) -> list[float]:
        return [t - r for t, r in zip(self.total, self.to_running, strict=True)]

    def extend(self, other: Presses) -> None:
        self.total += other.total
        self.to_running += other.to_running
        self.unchanged += other.unchanged
        self.unanswered += other.unanswered


async def press_slider(
    page,
    n: int,
    *,
    pause: float = 0.15,
    rng: random.Random | None = None,
    timeout: float = 60_000,
    tolerate: bool = False,
) -> Presses:
    """Press ArrowRight (ArrowLeft at the end) on the time-step slider's thumb ``n`` times (Activations, or a bare
    app's); time each to idle.

    ``pause`` seconds (times a random 0.5-1.5 with ``rng``) pass between an answer and the next press: a visitor's
    pace, not a synchronisation. With ``tolerate``, a press that gets no answer within ``timeout`` ms is recorded
    in ``unanswered`` (and counts as a failure of the figure) instead of ending the measurement.
    """
    out = Presses()
    thumb = page.locator(TIME_STEP).first
    for _ in range(n):
        value, high = int(await thumb.input_value()), int(await thumb.get_attribute("max"))
        direction = getattr(page, "_bench_direction", 1)
        if value >= high:
            direction = -1
        elif value <= int(await thumb.get_attribute("min")):
            direction = 1
        page._bench_direction = direction
        await thumb.focus()
        n0, doc = await event_count(page, "keys"), await doc_id(page)
        await page.keyboard.press("ArrowRight" if direction > 0 else "ArrowLeft")
        try:
            total, to_running = await answer_ms(page, "keys", n0, doc, timeout=timeout)
        except (TimeoutError, Reloaded) as exc:
            if not tolerate:
                raise
            out.unanswered.append(f"{type(exc).__name__}: {exc}")
            await wait_settled(page, timeout)
            await page.locator(TIME_STEP).first.wait_for(timeout=timeout)
            continue
        out.total.append(total)
        out.to_running.append(to_running)
        if int(await thumb.input_value()) == value:
            out.unchanged += 1
        await asyncio.sleep(pause if rng is None else pause * rng.uniform(0.5, 1.5))
    return out


# --------------------------------------------------------------------------- the menu at the top


@dataclass(frozen=True)
class MenuLink:
    """A page's link in the menu at the top: its address, its title and the menu button that lists it."""

    href: str
    title: str
    section: str

    @property
    def path(self) -> str:
        return urlparse(self.href).path or "/"


async def _close_menu(page) -> None:
    if await page.locator(MENU_POPOVER).count():
        await page.keyboard.press("Escape")
        await page.locator(MENU_POPOVER).wait_for(state="detached")


async def menu_links(page) -> list[MenuLink]:
    """Every page's link in the menu at the top, in the menu's order (each section's dropdown opened in turn)."""
    out = []
    sections = page.locator(MENU_SECTION)
    for i in range(await sections.count()):
        button = sections.nth(i)
        if not await button.is_visible():
            continue
        section = (await button.inner_text()).strip()
        await button.click()
        links = page.locator(MENU_LINK)
        await links.first.wait_for(state="visible")
        for j in range(await links.count()):
            title = (await links.nth(j).inner_text()).split("\n")[-1].strip()  # after the icon's name
            out.append(MenuLink(await links.nth(j).get_attribute("href"), title, section))
        await _close_menu(page)
    if not out:
        raise AssertionError(f"no page links in the menu at the top of {page.url}")
    return out


class PageAnswer(NamedTuple):
    """How the app answered a click on a page's link in the menu."""

    ms: float  # click -> the app idle on the page; with ``drawn``, and the screen settled (every chart drawn)
    to_running: float  # click -> the page's run starts; NaN when unknown
    idle_ms: float  # click -> the app idle on the page (its run ended; charts may still be drawing)
    reloaded: bool  # the browser loaded a new document (a new session) instead of switching pages


async def _show_link(page, target: MenuLink):
    """The menu's link to ``target``, visible: its section's dropdown opened if it was not."""
    entry = page.locator(f"{MENU_LINK}[href='{target.href}']")
    if not await entry.is_visible():
        await _close_menu(page)
        await page.locator(MENU_SECTION).filter(has=page.get_by_text(target.section, exact=True)).first.click()
        await entry.wait_for(state="visible")
    return entry


async def click_page(page, target: MenuLink, timeout: float = 60_000, *, drawn: bool = False) -> PageAnswer:
    """Click the menu's link to ``target`` and time the answer (:class:`PageAnswer`).

    The click is the one on the page's link (the section's dropdown is opened before, untimed). With ``drawn``,
    the time runs on to the screen settled: every chart drawn, nothing stale. The start is unknown (NaN) when a
    new document was loaded or when the page's run came after another one (the time is then the wall clock from
    the click to the page idle).
    """
    entry = await _show_link(page, target)
    n0, doc = await event_count(page, "clicks"), await doc_id(page)
    start = time.perf_counter()
    await entry.click()
    reloaded = False
    try:
        total, to_running = await answer_ms(page, "clicks", n0, doc, timeout=timeout)
    except Reloaded:
        await wait_settled(page, timeout)
        total, to_running, reloaded = (time.perf_counter() - start) * 1000, float("nan"), True

    def left() -> float:  # ms of the timeout not used yet
        return max(timeout - (time.perf_counter() - start) * 1000, 1)

    if urlparse(page.url).path != target.path:
        # Under load, the run that ended first can be one the previous page queued before the click; the page
        # asked for is then the next run. Its time counts from the click (the start is then unknown: NaN).
        try:
            await page.wait_for_url(lambda url: urlparse(url).path == target.path, timeout=left())
            await wait_settled(page, left())
        except Exception as exc:
            raise AssertionError(
                f"clicked {target.href} but the page is still {page.url} after {timeout / 1000:.0f} s"
            ) from exc
        total, to_running = (time.perf_counter() - start) * 1000, float("nan")
    settled = total
    if drawn and not reloaded:
        handle = await page.wait_for_function(_SETTLED_SINCE_CLICK_JS, arg=[n0], timeout=left(), polling="raf")
        settled = max(total, float(await handle.json_value()))
    return PageAnswer(settled, to_running, total, reloaded)


async def try_click_page(
    page, target: MenuLink, problems: list[str], timeout: float = 30_000, *, drawn: bool = False
) -> PageAnswer | None:
    """:func:`click_page`, but a click that gets no answer in ``timeout`` ms is noted in ``problems`` and the
    page is then opened by its address (a new session) so the measurement can go on; returns None then. A click
    that loaded a new document is noted in ``problems`` too."""
    try:
        answer = await click_page(page, target, timeout=timeout, drawn=drawn)
    except (TimeoutError, PlaywrightTimeout, AssertionError) as exc:
        problems.append(f"{type(exc).__name__}: {str(exc)[:400]}")
        await page.goto(target.href)
        await wait_settled(page, 120_000)
        return None
    if answer.reloaded:
        problems.append(f"the click on {target.href} loaded a new document (a new session) instead of switching")
    return answer


async def visit_every_page(page, links: list[MenuLink], problems: list[str]) -> None:
    for target in links:
        await try_click_page(page, target, problems, timeout=60_000)


# --------------------------------------------------------------------------- your own data set, the Model lab


async def upload_dataset(page, files: list[tuple[str, bytes]], title: str, timeout: float = 180_000) -> None:
    """On the page "Your own data set" (open in ``page``), upload ``files`` (name, contents) through its file box,
    as a visitor picks them; wait until the sidebar's *Data set* shows it chosen (``title`` "(yours)")."""
    box = page.locator("[class*='st-key-upd_files'] input[type=file]")
    await box.set_input_files([{"name": n, "mimeType": "application/octet-stream", "buffer": b} for n, b in files])
    chosen = page.locator("[data-testid='stSidebar'] .st-key-data [data-selected='true']")
    refused = page.get_by_test_id("stAlert").filter(has_text="could not be used")
    await chosen.filter(has_text=f"{title} (yours)").or_(refused).first.wait_for(state="visible", timeout=timeout)
    if await refused.count():
        raise AssertionError(f"the app refused the upload: {await refused.first.inner_text()}")
    await wait_settled(page, timeout)


async def start_training(page, *, seed: int | None = None, smallest: bool = False) -> int:
    """On the Model lab (open in ``page``), press *Train this network* with its settings: its defaults, or
    the fewest hidden units and 10 epochs (``smallest``), and ``seed`` typed into its seed box if given.

    Returns the count of ended run chains before the press, for :func:`wait_trained`.
    """
    for key, presses in (("lab_hidden", ("Home",)), ("lab_epochs", ("Home", "ArrowRight"))) if smallest else ():
        thumb = page.locator(f".st-key-{key} input[type='range']")  # 10 units, 10 epochs (the first is automatic)
        await thumb.focus()
        before = int(await page.evaluate("window.__stWire.finished"))
        for press in presses:
            await thumb.press(press)
        await page.wait_for_function(  # each slider's change reruns the page: wait for that run to end
            "n => window.__stWire.finished > n && !window.__stWire.running", arg=before, timeout=60_000, polling=100
        )
        await wait_settled(page, 60_000)
    if seed is not None:
        await page.locator(".st-key-lab_seed input").fill(str(seed))
    finished = int(await page.evaluate("window.__stWire.finished"))
    await page.get_by_role("button", name="Train this network").click()
    return finished


async def wait_trained(page, finished: int, timeout: float = TRAINING_TIMEOUT_MS) -> bool:
    """Wait for the run chain the press of :func:`start_training` caused to end and the page to settle; True if the
    lab says the network was trained, False if it says it was loaded at once (trained before with these settings).

    Raises AssertionError if the lab says neither.
    """
    await page.wait_for_function(
        "n => window.__stWire.finished > n && !window.__stWire.running", arg=finished, timeout=timeout, polling=100
    )
    await wait_settled(page, timeout)
    alerts = page.get_by_test_id("stAlert")
    if await alerts.filter(has_text="Training finished").count():
        return True
    if await alerts.filter(has_text="loaded at once").count():
        return False
    raise AssertionError(f"the Model lab did not say the training finished; it shows {await alerts.all_inner_texts()}")


async def train_in_lab(page, *, smallest: bool = False, timeout: float = TRAINING_TIMEOUT_MS) -> float:
    """:func:`start_training` and :func:`wait_trained`; the seconds from the press to the page settled after it.
    Raises AssertionError if the network was not trained (loaded at once, or not at all)."""
    start = time.perf_counter()
    if not await wait_trained(page, await start_training(page, smallest=smallest), timeout):
        raise AssertionError("the Model lab loaded the network at once instead of training it")
    return time.perf_counter() - start
