"""The sitrep benchmark: dataset generator, servers, load driver and result writers.

Run it with `python -m bench` (or `make bench`); see bench/RESULTS.md for figures.
"""
