"""Chaise vide's knowledge: the law as data, read from strict YAML."""

__version__ = "0.1.0"
"""The package version (pyproject.toml reads it from here)."""
