"""The app's pages, listed once: each page's file, title, icon, address, menu section and summary.

The entry point builds the navigation menu from here (:func:`menu`); Home, the tour, the pages that link to
other pages and the tests take their page names, icons and files from :data:`PAGES`. A page's address is its
file's name (``pages/units.py`` -> ``/units``): Streamlit names a page's run after its address, so a page that
Streamlit's older ``pages/`` mode ran on its own (see :func:`ui.state.selection`) is the same page here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath

import streamlit as st

__all__ = ["Page", "PAGES", "HOME", "PHONE_MENU_PAGES", "page", "menu"]


@dataclass(frozen=True)
class Page:
    """One page of the app.

    Attributes
    ----------
    file : str
        The page's script, relative to the entry point, e.g. ``"pages/units.py"``.
    title : str
        Its name in the navigation menu.
    icon : str
        A Material icon, e.g. ``":material/tune:"``.
    section : str
        The heading of the menu it is listed under.
    summary : str
        What it shows, in a few plain words.
    needs_network : bool
        False for a page that works on a data set no network has been trained on yet (an upload).
    """

    file: str
    title: str
    icon: str
    section: str
    summary: str
    needs_network: bool = True

    @property
    def url_path(self) -> str:
        """The page's name in its address: its file's name without ``.py`` (``"units"``)."""
        return PurePosixPath(self.file).stem

    @property
    def address(self) -> str:
        """The path in the address bar: ``/`` for Home, the default page; ``/<url_path>`` for every other page."""
        return "/" if self == HOME else f"/{self.url_path}"


# In menu order; Home, the first, is the default page.
PAGES = (
    Page(
        "pages/home.py",
        "Home",
        ":material/home:",
        "Start",
        "what the app shows, where to start, and a five-step guided tour",
        needs_network=False,
    ),
    Page(
        "pages/dataset.py",
        "Dataset",
        ":material/dataset:",
        "The data and the network",
        "see what one recording looks like as numbers",
        needs_network=False,
    ),
    Page(
        "pages/model.py",
        "Model",
        ":material/neurology:",
        "The data and the network",
        "the network's layers and how often it is right",
    ),
    Page(
        "pages/mistakes.py",
        "Where it goes wrong",
        ":material/report:",
        "The data and the network",
        "the recordings the network misnames, chosen from a clickable table",
    ),
    Page(
        "pages/activations.py",
        "Activations",
        ":material/grid_on:",
        "Inside the network",
        "the network's hidden units, step by step",
    ),
    Page(
        "pages/trajectory.py",
        "Class trajectory",
        ":material/show_chart:",
        "Inside the network",
        "how the decision forms as the recording comes in",
    ),
    Page(
        "pages/why.py",
        "Why did it decide?",
        ":material/lightbulb:",
        "Inside the network",
        "which parts of the recording pushed the answer",
    ),
    Page(
        "pages/units.py",
        "What a unit responds to",
        ":material/tune:",
        "Inside the network",
        "one hidden unit over every test recording, and every unit in plain words",
    ),
    Page(
        "pages/ablation.py",
        "Silence units",
        ":material/volume_off:",
        "Inside the network",
        "switch hidden units off and see what the network loses",
    ),
    Page(
        "pages/whatif.py",
        "What if?",
        ":material/edit_note:",
        "Inside the network",
        "edit a recording and watch the answer change; how much an edit takes to flip it",
    ),
    Page(
        "pages/patterns.py",
        "Pattern search",
        ":material/manage_search:",
        "Across the data set",
        "hidden units that are on together, and where else that happens",
    ),
    Page(
        "pages/paths.py",
        "Hidden-state paths",
        ":material/timeline:",
        "Across the data set",
        "every recording's path through the network's memory, on a flat map",
    ),
    Page(
        "pages/compare.py",
        "Compare two",
        ":material/compare:",
        "Across the data set",
        "two recordings side by side, on the same scales",
    ),
    Page(
        "pages/upload.py",
        "Your own sequence",
        ":material/upload_file:",
        "Your turn",
        "numbers of your own, and what the network makes of them",
    ),
    Page(
        "pages/upload_data.py",
        "Your own data set",
        ":material/folder_zip:",
        "Your turn",
        "upload recordings of your own, train a network on them, and explore it",
        needs_network=False,
    ),
    Page(
        "pages/lab.py",
        "Model lab",
        ":material/science:",
        "Your turn",
        "train your own network on the chosen data set",
        needs_network=False,
    ),
    Page(
        "pages/networks.py",
        "Two networks",
        ":material/difference:",
        "Your turn",
        "two networks on the same recordings: how often each is right, and where they disagree",
    ),
    Page(
        "pages/glossary.py",
        "Glossary",
        ":material/menu_book:",
        "Help",
        "every technical word of the app in plain words",
        needs_network=False,
    ),
)
HOME = PAGES[0]


def page(url_path: str) -> Page:
    """The page whose address is ``/<url_path>``, e.g. ``page("units")``; ``page("home")`` and ``page("")`` are
    :data:`HOME`."""
    for candidate in PAGES:
        if candidate.url_path == (url_path or HOME.url_path):
            return candidate
    raise KeyError(f"no page {url_path!r}; the pages are {', '.join(p.url_path for p in PAGES)}")


PHONE_MENU_PAGES = 4  # pages listed before "View more" where Streamlit puts the menu in the side panel (a phone)


def menu():
    """Declare the navigation menu (``st.navigation``) at the top of the page: every page of :data:`PAGES`,
    grouped in a menu per section, so that the sidebar holds only the shared choices. On a narrow screen (a
    phone) Streamlit puts the menu at the top of the side panel instead: there it lists the first
    :data:`PHONE_MENU_PAGES` pages and the rest behind "View more", so that the shared choices below it, the
    recording's number box among them, show as the panel opens.

    Returns the ``st.Page`` to run: the one the address names, Home if it names none.
    """
    sections: dict[str, list] = {}
    for entry in PAGES:
        sections.setdefault(entry.section, []).append(
            st.Page(entry.file, title=entry.title, icon=entry.icon, url_path=entry.url_path, default=entry == HOME)
        )
    return st.navigation(sections, position="top", expanded=PHONE_MENU_PAGES)
