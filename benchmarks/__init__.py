"""Benchmarks of timeline against eventsourcing and raw SQLite; run ``python benchmarks/run.py``."""
