"""The page "The network" (pages/model.py) through AppTest: what it says of the network's layout is true of the
network on screen."""

from app_helpers import open_app, upload_small_dataset

PAGE = "pages/model.py"
MATLAB_SIZE = "This is the layout of MATLAB's example network, at its size"


def test_the_shipped_network_has_the_layout_and_size_of_matlab_s_example():
    at = open_app(page=PAGE)
    assert MATLAB_SIZE in at.markdown[0].value


def test_a_network_trained_on_an_upload_is_said_to_be_of_another_size(fresh_cache):
    at = upload_small_dataset(open_app())  # 3 channels, 2 classes; a network of 10 units
    at.switch_page(PAGE).run()
    intro = at.markdown[0].value
    assert MATLAB_SIZE not in intro
    assert (
        "at another size: it reads 3 channels with 1 LSTM layer of 10 hidden units and gives 2 scores, one per class"
        in intro
    )
