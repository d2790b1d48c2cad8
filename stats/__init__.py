"""Anonymised usage statistics: a SQLite file of categorical rows, and ways to read it."""
