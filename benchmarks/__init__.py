"""``python -m benchmarks``: speed and memory of the LSTM Activation Explorer against baselines measured in the
same run.

See ``benchmarks/__main__.py`` for the figures and ``benchmarks/RESULTS.md`` for the last full run.
"""
