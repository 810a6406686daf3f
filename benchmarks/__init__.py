"""Benchmarks of the engine (`python benchmarks/run.py`); not run in CI."""
