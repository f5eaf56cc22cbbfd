"""Benchmarks: `make bench` (or `python -m bench.run [names...]`) measures, tests assert correctness."""
