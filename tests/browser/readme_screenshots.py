"""Take the README's screenshots (docs/*.png, 1280x900) from a freshly served app.

Run from the repository root: ``python tests/browser/readme_screenshots.py``. It is not a test; it reuses the
browser tests' helpers, and writes PNG files of well under 400 KB each.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path[:0] = [str(Path(__file__).resolve().parent), str(Path(__file__).resolve().parents[2])]
from browser_helpers import ROOT, VIEWPORT, app_server, open_path, wait_idle  # noqa: E402

from devtools.browser import STREAMLIT_WIRE_JS, launch_chromium  # noqa: E402

# file name -> (link, pixels to scroll the main area down)
SHOTS = {
    "home": ("/", 0),
    "activations": ("/activations?obs=5&act_units=1&act_units=20&act_step=6", 330),
    "trajectory": ("/trajectory?obs=41&traj_step=6", 300),
    "units": ("/units", 240),
}


def main() -> None:
    docs = ROOT / "docs"
    with (
        tempfile.TemporaryDirectory() as cache,
        app_server(Path(cache), "server-readme") as server,
        sync_playwright() as p,
    ):
        browser = launch_chromium(p)
        for name, (link, scroll) in SHOTS.items():
            context = browser.new_context(viewport=VIEWPORT)
            context.add_init_script(STREAMLIT_WIRE_JS)
            page = context.new_page()
            open_path(page, server.url, link)
            page.evaluate("y => document.querySelector(\"[data-testid='stMain']\").scrollTo(0, y)", scroll)
            wait_idle(page)
            path = docs / f"{name}.png"
            page.screenshot(path=path)
            print(f"{path.relative_to(ROOT)}: {path.stat().st_size // 1024} KB")
            context.close()
        browser.close()


if __name__ == "__main__":
    main()
