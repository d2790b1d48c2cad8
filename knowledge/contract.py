"""The ids of `shared/spec/contract.md` that code relies on; questions and choices are data.

Questions, their choices and when each is asked live in `knowledge/<country>/questions.yaml`
(read through `knowledge/shape.py`); their stable button codes in `knowledge/codes.yaml`.
"""

from __future__ import annotations

JURISDICTIONS: tuple[str, ...] = ("fr", "be")

UNSURE = "unsure"
"""The choice id of « Je ne sais pas », wherever a question offers it."""
