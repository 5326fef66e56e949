"""Home through AppTest: what it says of the data set and of the way round the app."""

from app_helpers import open_app


def test_home_names_the_sidebar_s_arrow_as_a_phone_shows_it():
    at = open_app()
    caption = next(c.value for c in at.caption if c.value.startswith("Now showing:"))
    assert "the » arrow at the top left" in caption  # Streamlit's collapsed sidebar shows », not ›


def test_home_describes_japanese_vowels_in_plain_words():
    at = open_app()
    text = next(m.value for m in at.markdown if m.value.startswith("**The data: Japanese Vowels.**"))
    assert "the two vowels “a” and “e”" in text and "worked out from how the mouth and throat colour" in text
    assert "each step 12 numbers" in text
