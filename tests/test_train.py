"""python -m core.train: the checkpoint, its training log and its shipped results, for any number of layers."""

import core
from core import train


def test_the_command_trains_a_stacked_network_and_writes_its_files(tmp_path, tmp_cache, monkeypatch, capsys):
    monkeypatch.setattr(core.compute.cache, "_default", tmp_cache)  # not the project's cache/
    out = tmp_path / "out" / "m.pt"
    out.parent.mkdir()
    train.main(["--epochs", "2", "--hidden-size", "5", "--layers", "2", "--threads", "1", "--out", str(out)])
    model, meta = core.load_checkpoint(out)
    assert model.config.num_layers == 2 and model.config.hidden_size == 5
    assert meta["train_config"]["num_layers"] == 2 and len(meta["history"]) == 2
    assert sorted(p.name for p in out.parent.iterdir()) == ["m.log.csv", "m.pt", "m.results.json"]
    printed = capsys.readouterr().out
    assert "epoch   2/2" in printed and f"test accuracy {meta['history'][-1]['test_accuracy']:.2%}" in printed
