"""The knowledge base as the flows see it: every country's law (each read on first use), the
country question, the merged order of the questions and the version of the data."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass

from knowledge.models import Jurisdiction, Question
from knowledge.shape import Outline


class KnowledgeError(Exception):
    """A knowledge file is broken; the message says where and what to fix."""


class Laws(Mapping[str, Jurisdiction]):
    """Each country's law by id, read on first use: a French question never reads Belgium's."""

    def __init__(
        self,
        ids: tuple[str, ...],
        read: Callable[[str], Jurisdiction],
        known: Mapping[str, Jurisdiction] | None = None,
    ) -> None:
        self._ids = ids
        self._read = read
        self._found: dict[str, Jurisdiction] = dict(known or {})
        self._lock = threading.Lock()

    def __getitem__(self, jurisdiction_id: str) -> Jurisdiction:
        """The law of one country, read now if it was not yet."""
        found = self._found.get(jurisdiction_id)
        if found is not None:
            return found
        if jurisdiction_id not in self._ids:
            raise KeyError(jurisdiction_id)
        with self._lock:
            if jurisdiction_id not in self._found:
                self._found[jurisdiction_id] = self._read(jurisdiction_id)
            return self._found[jurisdiction_id]

    def __contains__(self, jurisdiction_id: object) -> bool:
        """True for a country of the knowledge, read or not."""
        return jurisdiction_id in self._ids

    def __iter__(self) -> Iterator[str]:
        """The countries' ids, in the contract's order."""
        return iter(self._ids)

    def __len__(self) -> int:
        """How many countries the knowledge has."""
        return len(self._ids)

    def read(self) -> tuple[str, ...]:
        """The countries already read, in the contract's order."""
        return tuple(
            jurisdiction_id for jurisdiction_id in self._ids if jurisdiction_id in self._found
        )


@dataclass(frozen=True)
class KnowledgeBase:
    """Every jurisdiction's law, the jurisdiction question and the version of the data."""

    jurisdictions: Mapping[str, Jurisdiction]
    jurisdiction_question: Question
    version: str
    order: tuple[str, ...] = ()
    """Every country's questions in the order they are asked (`knowledge/shape.py`)."""
    outlines: tuple[Outline, ...] = ()
    """What the conversation machine needs of every country, read or not (`flows/machine.py`)."""

    def get(self, jurisdiction_id: str) -> Jurisdiction:
        """Return one jurisdiction's knowledge."""
        return self.jurisdictions[jurisdiction_id]
