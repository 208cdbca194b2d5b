"""Benchmarks: ``make bench`` runs them and writes BENCHMARKS.md (never part of the test suite)."""
