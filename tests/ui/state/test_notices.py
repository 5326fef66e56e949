"""ui.state.notices: a notice shows once, at the top of the page, and is gone after the next run."""

from __future__ import annotations

from app_helpers import open_app

from ui import navigation


def test_a_notice_shows_once_at_the_top_of_the_page():
    at = open_app({"obs": "abc"})
    (notice,) = at.warning
    assert "“obs”" in notice.value
    first, second = list(at.main.children.values())[:2]
    assert (first.type, second.type) == ("warning", "title"), "at the top of the page, above its title"
    at.run()
    assert not at.warning
    at.switch_page(navigation.page("dataset").file).run()
    assert not at.warning
