"""The page "The network" (pages/model.py) through AppTest: what it says of the network's layout is true of the
network on screen."""

import numpy as np
from app_helpers import open_app, screen_text, upload_small_dataset

import core

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


def test_the_boxes_have_short_labels_and_the_accuracies_the_sentence_gives(model, dataset):
    at = open_app(page=PAGE)
    labels = [m.label for m in at.metric]
    assert labels == ["This network", "Most common speaker", "Nearest recording", "Learnt numbers"]
    assert all(len(label) <= 24 for label in labels)  # four columns at 1280 px: nothing is cut
    values = [m.value for m in at.metric]
    sentence = next(m.value for m in at.markdown if m.value.startswith("The network names"))
    assert f"**{values[0]}**" in sentence and f"names {values[1]} right" in sentence and f"{values[2]}." in sentence
    predictions = core.run_batch(model, dataset.test.sequences).final_predictions
    assert values[0] == f"{100 * np.mean(predictions == dataset.test.labels):.1f}%" == "98.4%"
    assert values[3] == f"{core.parameter_count(model):,}"


def test_the_layers_are_listed_in_plain_words(model):
    at = open_app(page=PAGE)
    (table,) = at.table
    frame = table.value
    assert frame["layer"].tolist() == ["Input", "LSTM", "Fully connected", "Softmax", "Answer"]
    assert frame["learnt numbers"].sum() == core.parameter_count(model)
    assert frame["numbers out"].tolist() == ["12 per time step", "100 per time step", "9", "9", "1"]
    text = screen_text(at)
    for jargon in ("net.Layers", "sequenceinput", "12 x T", "classoutput"):
        assert jargon not in text and jargon not in frame.to_string()


def test_the_confusion_caption_speaks_of_the_data_set_s_classes_only():
    at = open_app({"data": "BasicMotions"}, page=PAGE)
    caption = next(c.value for c in at.caption if c.value.startswith("Each row is the true activity"))
    assert " class" not in caption and "speaker" not in caption
    assert caption.endswith("and every answer is right.")  # the shipped BasicMotions network makes no mistake
