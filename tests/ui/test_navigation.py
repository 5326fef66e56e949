"""The page registry: every page file listed once, with its title, section and summary; the menu at the top."""

from pathlib import Path

import pytest

from ui import navigation


def test_the_registry_lists_every_page_file_once():
    root = Path(__file__).resolve().parents[2]
    files = [p.file for p in navigation.PAGES]
    assert sorted(files) == sorted(f"pages/{p.name}" for p in (root / "pages").glob("*.py"))
    assert len({p.title for p in navigation.PAGES}) == len(files) and navigation.HOME.address == "/"
    assert all(p.summary and p.section for p in navigation.PAGES)


def test_a_page_is_found_by_its_address():
    assert navigation.page("") == navigation.page("home") == navigation.HOME
    units = navigation.page("units")
    assert (units.file, units.url_path, units.address) == ("pages/units.py", "units", "/units")
    with pytest.raises(KeyError, match="no page 'nosuchpage'; the pages are home, dataset, model"):
        navigation.page("nosuchpage")


def test_each_section_of_the_menu_is_one_run_of_pages():
    """The menu at the top has one dropdown per section: a section's pages follow each other in the registry."""
    sections = [p.section for p in navigation.PAGES]
    runs = [s for k, s in enumerate(sections) if k == 0 or s != sections[k - 1]]
    assert len(runs) == len(set(runs)) and runs[0] == navigation.HOME.section
