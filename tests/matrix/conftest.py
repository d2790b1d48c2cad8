"""A real Synapse for the whole test session, and encrypted Matrix users made on demand per test."""

from __future__ import annotations

import importlib.util
import secrets
from collections.abc import AsyncIterator, Iterator

import pytest

from tests.matrix.people import MakePerson, Person
from tests.matrix.synapse import Synapse


@pytest.fixture(scope="session")
def synapse(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synapse]:
    """One homeserver on 127.0.0.1, started once per test session and stopped at its end."""
    if importlib.util.find_spec("synapse") is None:
        pytest.skip("matrix-synapse is not installed: pip install -e . --group dev")
    with Synapse(tmp_path_factory.mktemp("synapse")) as homeserver:
        yield homeserver


@pytest.fixture
async def people(
    synapse: Synapse, tmp_path_factory: pytest.TempPathFactory
) -> AsyncIterator[MakePerson]:
    """Make started users by first name (`await people("alice")`); all stopped after the test."""
    started: list[Person] = []

    async def make(name: str) -> Person:
        """A registered, logged-in, syncing user with a fresh device and crypto store."""
        localpart = f"{name}-{secrets.token_hex(3)}"  # the homeserver outlives the test
        person = Person(synapse, localpart, tmp_path_factory.mktemp(f"nio-{name}"))
        started.append(person)
        await person.start()
        return person

    yield make
    for person in reversed(started):
        await person.stop()
