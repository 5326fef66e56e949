"""Fixtures for the browser tests: the app served once per session, Debian's Chromium, a fresh page per test.

``app_url``   starts ``streamlit run streamlit_app.py`` (this interpreter's Streamlit) on a free port with
              a fresh disk cache (``LSTM_EXPLORER_CACHE``), waits for ``/_stcore/health`` and stops it at
              the end; its log is ``test-artifacts/browser/server.log``.
``dark_url``  the same with ``--theme.base dark`` and the same cache (started only if a test asks for it);
              its log is ``test-artifacts/browser/server-dark.log``.
``page``      a new browser context (1280x900) per test; on failure its screenshot goes to
              ``test-artifacts/browser/failures/``.

Playwright is driven through its sync API; the browser is ``/usr/bin/chromium`` (never downloaded).
"""

from __future__ import annotations

import re
import shutil

import pytest

from browser_helpers import (BROWSER_LOGS, CHROMIUM, CHROMIUM_ARGS, RUN_COUNTER_JS, UI_TIMEOUT_MS, VIEWPORT,
                             serve_app)


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
    with serve_app(app_cache, BROWSER_LOGS / "server.log") as url:
        yield url


@pytest.fixture(scope="session")
def dark_url(app_cache):
    with serve_app(app_cache, BROWSER_LOGS / "server-dark.log", "--theme.base", "dark") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    shutil.rmtree(BROWSER_LOGS / "failures", ignore_errors=True)  # the last run's

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def new_context(browser, request):
    """A factory of browser contexts (``new_context(viewport=...)``), all closed after the test."""
    from playwright.sync_api import expect

    expect.set_options(timeout=UI_TIMEOUT_MS)
    made = []

    def make(**options):
        context = browser.new_context(**{"viewport": VIEWPORT, **options})
        context.set_default_timeout(UI_TIMEOUT_MS)
        context.add_init_script(RUN_COUNTER_JS)
        made.append(context)
        return context

    yield make
    report = getattr(request.node, "_report_call", None)
    if report is not None and report.failed:
        folder = BROWSER_LOGS / "failures"
        folder.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.name)
        for i, context in enumerate(made):
            for j, open_page in enumerate(context.pages):
                open_page.screenshot(path=folder / f"{name}-{i}{j}.png")
    for context in made:
        context.close()


@pytest.fixture()
def page(new_context):
    """A fresh page in its own browser context (its own Streamlit session); 1280x900."""
    return new_context().new_page()
