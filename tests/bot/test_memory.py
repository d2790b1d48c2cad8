"""Memory that does not grow with the people served: the bot keeps nothing per chat or user."""

from __future__ import annotations

from collections.abc import Sized

from bot.buttons import MAX_KEPT, RecentPresses
from tests.bot.conftest import Harness
from tests.bot.updates import Person

TYPED = "/consulter requester=family risk=none consent=refused"


def attribute_names(holder: object) -> set[str]:
    """Every attribute an object may hold: its `__dict__` and the slots of its classes."""
    names = set(getattr(holder, "__dict__", {}))
    for cls in type(holder).__mro__:
        slots = cls.__dict__.get("__slots__", ())
        for slot in (slots,) if isinstance(slots, str) else slots:
            private = slot.startswith("__") and not slot.endswith("__")
            names.add(f"_{cls.__name__.lstrip('_')}{slot}" if private else slot)
    return names


def sizes(holder: object) -> dict[str, int]:
    """The length of every collection the object holds directly (strings aside)."""
    found = {}
    for name in attribute_names(holder):
        value = getattr(holder, name, None)
        if isinstance(value, Sized) and not isinstance(value, str | bytes):
            found[name] = len(value)
    return found


async def consult(bot: Harness, people: range) -> None:
    """Each person opens a consultation with three answers typed, then answers one question."""
    for number in people:
        person = Person(number, "Soak")
        await bot.command(TYPED, person)
        await bot.answer("profession", "ass", person)


async def test_no_collection_of_the_application_grows_with_the_people_served(
    bot: Harness,
) -> None:
    """After 5 people and after 50 more, the Application and its Bot hold the same amounts."""
    await consult(bot, range(20_000, 20_005))
    before = {"application": sizes(bot.app), "bot": sizes(bot.app.bot)}
    await consult(bot, range(30_000, 30_050))
    after = {"application": sizes(bot.app), "bot": sizes(bot.app.bot)}
    assert after == before
    assert bot.app.chat_data == {}
    assert bot.app.user_data == {}


def test_the_double_tap_guard_keeps_a_bounded_number_of_presses() -> None:
    """However many presses come within its window, it keeps at most MAX_KEPT (+ the new one)."""
    recent = RecentPresses(window=3600)
    for number in range(MAX_KEPT + 50):
        assert recent.first_time(f"chat{number}", "data")
    assert len(recent.seen) <= MAX_KEPT + 1
    assert not recent.first_time(f"chat{MAX_KEPT + 49}", "data")  # the latest is still known


def test_the_double_tap_guard_forgets_presses_older_than_its_window() -> None:
    """Presses out of the window are dropped when the next one comes."""
    recent = RecentPresses(window=-1)  # every earlier press is already out of the window
    for number in range(100):
        assert recent.first_time(f"chat{number}", "data")
    assert len(recent.seen) == 1
