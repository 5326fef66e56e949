"""Every page holds for a data set at the edges of what an upload may hold: 50 classes, one channel, recordings of
2,000 steps, unequal lengths, class names that are numbers (``tests/edge_datasets.py``). Each is uploaded on the
page "Your own data set" as a visitor would, a small network is trained in the Model lab, then every page is
visited: none may raise or show an error, and each speaks of the data set's own classes (a class named by a bare
number as "class 0")."""

import pytest
from edge_datasets import EDGE_SETS, ts_pair
from streamlit.testing.v1 import AppTest

from core.compute.dataset_upload import read_uploaded_dataset
from ui import navigation, state

APP = str(__import__("pathlib").Path(__file__).resolve().parents[2] / "streamlit_app.py")


def uploaded_and_trained(edge) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=300)
    at.run()
    at.switch_page("pages/upload_data.py").run()
    (uploader,) = at.file_uploader
    uploader.set_value([(name, data, "application/octet-stream") for name, data in ts_pair(edge)]).run()
    assert not at.exception and not at.error, [e.value for e in (*at.exception, *at.error)]
    assert at.sidebar.radio(key="data").value.startswith("upload-")
    at.switch_page("pages/lab.py").run()
    at.slider(key="lab_hidden").set_value(10)
    at.select_slider(key="lab_epochs").set_value(10)
    at.button(key="lab_submit").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.sidebar.selectbox(key="net").value.startswith("lab-")
    return at


def check_listed_lengths(at: AppTest, edge) -> None:
    """Where it goes wrong gives each listed recording's length as recorded, not in the network's blocks."""
    lengths = [x.shape[1] for x in read_uploaded_dataset(ts_pair(edge)).test.sequences]
    listed = [m.value for m in at.markdown if m.value.startswith("**Test recording ")]
    for line in listed:
        number = int(line.split("**Test recording ")[1].split("**")[0])
        assert f"** ({lengths[number - 1]:,} time steps): " in line, line
    assert listed or edge.name != "unequal", "the unequal set's small network makes mistakes: the check must run"


@pytest.mark.parametrize("edge", EDGE_SETS, ids=repr)
def test_every_page_holds_on_a_data_set_at_the_edges(edge):
    at = uploaded_and_trained(edge)
    for page in navigation.PAGES:
        at.switch_page(page.file).run()
        assert not at.exception, (page.url_path, [e.value for e in at.exception][:1])
        assert not at.error, (page.url_path, [e.value for e in at.error][:1])
        if page.url_path == "mistakes":
            check_listed_lengths(at, edge)
    at.switch_page("pages/upload.py").run()  # Your own sequence takes a recording of the data set as it stands
    at.button(key="up_example").click().run()
    at.button(key="up_paste").click().run()
    assert not at.exception and not at.error, [e.value for e in (*at.exception, *at.error)][:1]
    key = at.sidebar.radio(key="data").value
    assert state.stores.own_sequence(key, at.session_state) is not None
    at.switch_page("pages/trajectory.py").run()
    named = at.sidebar.caption[0].value  # the recording's class, as the sidebar names it
    as_read = {name if not name.lstrip("-").replace(".", "", 1).isdigit() else f"class {name}" for name in edge.names}
    assert named.split(" · ")[0].lower() in {name.lower() for name in as_read}, "a bare number reads 'class 0'"
