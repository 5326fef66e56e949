"""Fixtures for the browser tests: the app served once per session, Debian's Chromium, a fresh page per test.

``app_url``   starts ``streamlit run streamlit_app.py`` (this interpreter's Streamlit) on a free port with
              a fresh disk cache (``LSTM_EXPLORER_CACHE``), waits for ``/_stcore/health`` and stops it at
              the end (``devtools.browser.Server``); its log is ``test-artifacts/browser/server.log``.
``dark_url``  the same with ``--theme.base dark`` and the same cache (started only if a test asks for it);
              its log is ``test-artifacts/browser/server-dark.log``.
``page``      a new browser context (1280x900) per test; on failure its screenshot and state go to
              ``test-artifacts/browser/failures/``. ``web_errors`` lists the uncaught JavaScript errors.

Playwright is driven through its sync API; the browser is ``/usr/bin/chromium`` (never downloaded).
"""

from __future__ import annotations

import re
import shutil

import pytest
from browser_helpers import BROWSER_LOGS, UI_TIMEOUT_MS, VIEWPORT, app_server

from devtools.browser import STREAMLIT_WIRE_JS, launch_chromium


def pytest_collection_modifyitems(items):
    """Every test in this folder is a browser test, whatever its module says."""
    for item in items:
        if "tests/browser/" in item.nodeid.replace("\\", "/"):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"_report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def app_cache(tmp_path_factory):
    """A fresh, empty disk cache for the servers of this test session (shared by both)."""
    return tmp_path_factory.mktemp("app-cache")


@pytest.fixture(scope="session")
def app_url(app_cache):
    with app_server(app_cache, "server") as server:
        yield server.url


@pytest.fixture(scope="session")
def dark_url(app_cache):
    with app_server(app_cache, "server-dark", "--theme.base", "dark") as server:
        yield server.url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    shutil.rmtree(BROWSER_LOGS / "failures", ignore_errors=True)  # the last run's

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture()
def web_errors() -> list[str]:
    """The uncaught JavaScript errors of this test's pages, so far."""
    return []


@pytest.fixture()
def new_context(browser, web_errors, request):
    """A factory of browser contexts (``new_context(viewport=...)``), all closed after the test."""
    from playwright.sync_api import expect

    expect.set_options(timeout=UI_TIMEOUT_MS)
    made, errors = [], web_errors

    def make(**options):
        context = browser.new_context(**{"viewport": VIEWPORT, **options})
        context.set_default_timeout(UI_TIMEOUT_MS)
        context.add_init_script(STREAMLIT_WIRE_JS)
        context.on("weberror", lambda error: errors.append(str(error.error)))
        made.append(context)
        return context

    yield make
    report = getattr(request.node, "_report_call", None)
    if report is not None and report.failed:
        _save_failure(request.node.name, made, errors)
    for context in made:
        context.close()


def _save_failure(test_name: str, contexts, errors: list[str]) -> None:
    """Screenshot and state of every page the failed test had open, in test-artifacts/browser/failures/."""
    folder = BROWSER_LOGS / "failures"
    folder.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", test_name)
    notes = [f"uncaught page errors: {errors or 'none'}", f"server log: {BROWSER_LOGS / 'server.log'}"]
    for i, context in enumerate(contexts):
        for j, open_page in enumerate(context.pages):
            try:
                open_page.screenshot(path=folder / f"{name}-{i}{j}.png")
                state = open_page.evaluate("""() => [JSON.stringify(window.__stWire), (document.querySelector(
                    "[data-testid='stApp']") || {getAttribute: () => null}).getAttribute('data-test-script-state')]""")
                notes.append(f"page {i}{j}: {open_page.url} runs {state[0]}, script state {state[1]}")
            except Exception as exc:
                notes.append(f"page {i}{j}: no screenshot ({exc})")
    (folder / f"{name}.txt").write_text("\n".join(notes) + "\n")


@pytest.fixture()
def page(new_context):
    """A fresh page in its own browser context (its own Streamlit session); 1280x900."""
    return new_context().new_page()
