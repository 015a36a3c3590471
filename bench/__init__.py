"""Reproducible benchmarks; results and how to run them are in docs/benchmarks.md."""
