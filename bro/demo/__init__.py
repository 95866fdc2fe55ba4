"""Deterministic demo data for Bro: ``python -m bro.demo --help``; the generator is ``bro.demo.generator``."""
