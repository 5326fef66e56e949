"""ui.state.running through AppTest: a page opened first reaches the entry point; the page on show; a page that
needs a network says how to get one; a button opens another page with its choices."""

from __future__ import annotations

from app_helpers import APP, open_app, table_with, upload_small_dataset
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from ui import navigation
from ui.state import running


def test_a_page_opened_first_reruns_through_the_entry_point(monkeypatch):
    """With a ``pages/`` folder, Streamlit runs the first page a session opens on its own (its older multipage
    mode); the page declares the menu (``st.navigation``, which ends that mode) and reruns through the entry point."""
    modes = []  # the older mode's flag at each call of the menu
    declare_menu = navigation.menu
    monkeypatch.setattr(navigation, "menu", lambda: modes.append(PagesManager.uses_pages_directory) or declare_menu())
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"obs": "3", "act_units": ["5", "25"]})
    at.switch_page(navigation.page("activations").file).run()
    assert not at.exception, [e.value for e in at.exception]
    assert modes == [True, False], "the page ran on its own, then through the entry point"
    assert at.sidebar.number_input(key="obs").value == 3, "the entry point's sidebar, with the link's recording"
    assert at.slider(key="act_units").value == (5, 25), "the link opened this page, so its own parameters apply"
    assert at.title[0].value == "Activations" and not at.warning


def test_the_page_on_show_is_known():
    at = open_app()
    assert running.current_page(at.session_state) == ""
    for name in ("units", "glossary", "home"):
        at.switch_page(navigation.page(name).file).run()
        expected = "" if navigation.page(name) == navigation.HOME else name
        assert running.current_page(at.session_state) == expected


def test_a_button_opens_its_page_with_its_choices():
    """Pattern search's "Open recording" (in a fragment) makes the match the sidebar's recording on Activations."""
    at = open_app(page=navigation.page("patterns").file)
    key = next(b.key for b in at.button if b.key.startswith("pat_open_test_"))
    number = int(key.split("_")[3])
    at.button(key=key).click().run()
    assert not at.exception
    assert running.current_page(at.session_state) == "activations" and at.title[0].value == "Activations"
    assert at.session_state["split"] == "test" and at.sidebar.number_input(key="obs").value == number
    assert table_with(at, "unit", "step", "value")["step"].max() == at.session_state["_selection"].n_steps


def test_pages_that_need_a_network_say_how_to_get_one(fresh_cache):
    at = upload_small_dataset(open_app(), train=False)
    for page in navigation.PAGES:
        at.switch_page(page.file).run()
        assert not at.exception and not at.error, page.url_path
        waiting = any("No network has been trained on small yet" in i.value for i in at.info)
        assert waiting == page.needs_network, page.url_path
        if waiting:
            assert at.title[0].value == page.title and not at.get("vega_lite_chart")
