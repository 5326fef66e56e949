"""The page registry: every page file listed once, and a page opened first reaching the entry point."""

from pathlib import Path

from app_helpers import APP
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from ui import navigation


def test_the_registry_lists_every_page_file_once():
    root = Path(__file__).resolve().parents[2]
    files = [p.file for p in navigation.PAGES]
    assert sorted(files) == sorted(f"pages/{p.name}" for p in (root / "pages").glob("*.py"))
    assert len({p.title for p in navigation.PAGES}) == len(files) and navigation.HOME.address == "/"
    assert all(p.summary and p.section for p in navigation.PAGES)


def test_a_page_opened_first_reruns_through_the_entry_point(monkeypatch):
    """With a ``pages/`` folder, Streamlit runs the first page a session opens on its own (its older multipage
    mode); the page declares the menu (``st.navigation``, which ends that mode) and reruns through the entry point."""
    modes = []  # the older mode's flag at each call of the menu
    declare_menu = navigation.menu
    monkeypatch.setattr(navigation, "menu", lambda: modes.append(PagesManager.uses_pages_directory) or declare_menu())
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"obs": "3", "units": "5-25"})
    at.switch_page(navigation.page("activations").file).run()
    assert not at.exception, [e.value for e in at.exception]
    assert modes == [True, False], "the page ran on its own, then through the entry point"
    assert at.sidebar.slider(key="sel_obs_japanese_vowels_test").value == 3, (
        "the entry point's sidebar, with the link's observation"
    )
    assert at.slider(key="act_units").value == (5, 25), "the link opened this page, so its own parameters apply"
    assert at.query_params["obs"] == "3" and at.query_params["units"] == "5-25"
