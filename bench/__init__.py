"""Benchmarks for versus (``make bench``): the default site, a synthetic universe, and QuantStats.

A benchmark, not a test: ``make test`` only runs ``python -m bench --quick`` once to check it works.
"""
