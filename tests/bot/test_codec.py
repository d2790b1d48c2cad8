"""The state in a button: round trips, stays under 64 bytes, refuses anything altered."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.codec import (
    CHANNELS,
    DIGITS,
    GROUP,
    INLINE,
    MAX_BYTES,
    PRIVATE,
    Action,
    BadButtonError,
    Codec,
    State,
    answer_argument,
    choices_of,
    read_answer,
    slots,
)
from knowledge import contract
from tests.bot.fakeapi import TOKEN

CODEC = Codec(TOKEN, "a1b2c3d4")
LONGEST_ACTIONS = [(Action.ANSWER, "7c"), (Action.DELETE, "zzzzzzz"), (Action.REASON, "2")]


@st.composite
def states(draw: st.DrawFn) -> State:
    """Any state a button may carry: some answers, some back steps, any channel and owner."""
    jurisdiction = draw(st.sampled_from(contract.JURISDICTIONS))
    answers = {}
    for question_id in slots():
        choices = choices_of(jurisdiction, question_id)  # none: not a question of that country
        if choices and draw(st.booleans()):
            answers[question_id] = draw(st.sampled_from(choices))
    channel = draw(st.sampled_from(sorted(CHANNELS)))
    owner = CODEC.owner_tag(draw(st.integers(1, 10**13))) if channel == GROUP else ""
    back = draw(st.integers(0, 35))
    return State(CODEC.kb, jurisdiction, answers, back, channel, owner, draw(settled(jurisdiction)))


@st.composite
def settled(draw: st.DrawFn, jurisdiction: str) -> dict[str, str] | None:
    """None, or the answers of a verdict already shown, in their own country's choices."""
    if draw(st.booleans()):
        return None
    country = draw(st.sampled_from(contract.JURISDICTIONS))
    answers = {"jurisdiction": country} if country != jurisdiction or draw(st.booleans()) else {}
    for question_id in slots()[1:]:
        choices = choices_of(country, question_id)
        if choices and draw(st.booleans()):
            answers[question_id] = draw(st.sampled_from(choices))
    return answers


@settings(deadline=None)  # deterministic on a busy CI machine
@given(states(), st.sampled_from(LONGEST_ACTIONS))
def test_any_state_round_trips_within_64_bytes(state: State, action: tuple[str, str]) -> None:
    """pack → unpack gives the same state and action back, in at most 64 bytes."""
    data = CODEC.pack(state, *action)
    assert len(data.encode()) <= MAX_BYTES
    press = CODEC.unpack(data)
    assert (press.state, press.action, press.argument) == (state, *action)


@settings(deadline=None)
@given(states(), st.integers(0, 38), st.characters(codec="ascii"))
def test_any_altered_character_is_refused(state: State, position: int, char: str) -> None:
    """Changing one character anywhere breaks the signature."""
    data = CODEC.pack(state, Action.BACK)
    position %= len(data)
    altered = data[:position] + char + data[position + 1 :]
    if altered != data:
        with pytest.raises(BadButtonError):
            CODEC.unpack(altered)


def test_the_longest_button_fits_with_room_to_spare() -> None:
    """A group state with every question answered and a delete action: under 45 bytes."""
    answers = {q: choices_of("fr", q)[-1] for q in slots() if choices_of("fr", q)}
    state = State(CODEC.kb, "fr", answers, 35, GROUP, CODEC.owner_tag(10**13))
    assert len(CODEC.pack(state, Action.DELETE, "zzzzzzz")) <= 45


def test_another_token_cannot_read_or_forge_buttons() -> None:
    """Keys come from the bot token: another bot's buttons are refused."""
    other = Codec("999:another-token", "a1b2c3d4")
    data = other.pack(State(CODEC.kb, "fr"), Action.RESTART)
    with pytest.raises(BadButtonError):
        CODEC.unpack(data)


def test_owner_tag_is_stable_and_never_the_id() -> None:
    """The same user always gets the same short tag; the tag does not contain the id."""
    tag = CODEC.owner_tag(987654321)
    assert tag == Codec(TOKEN, "ffff0000").owner_tag(987654321)
    assert tag != CODEC.owner_tag(987654322)
    assert "987654321" not in tag
    assert len(tag) == 8


@pytest.mark.parametrize(
    "data", [None, "", "x", "é" * 10, "1" * 65, "2abcd" + "-" * 30, "1abcd" + "?" * 30]
)
def test_garbage_is_refused(data: str | None) -> None:
    """Missing, foreign, oversized or badly formed data is a BadButtonError, never a crash."""
    with pytest.raises(BadButtonError):
        CODEC.unpack(data)


@settings(deadline=None)
@given(states())
def test_deep_link_payload_round_trips_its_answers(state: State) -> None:
    """A payload carries the answers in Telegram's deep-link alphabet, 64 chars at most."""
    payload = CODEC.payload(State(state.kb, state.jurisdiction, state.answers, 0, INLINE))
    assert len(payload) <= 64
    assert payload.replace("-", "").replace("_", "").isalnum()
    read = CODEC.read_payload(payload)
    assert read.answers == state.answers
    assert read.channel == INLINE


@pytest.mark.parametrize("payload", ["", "hello", "1abcd0--------0p!", "1abcd9--------0p"])
def test_bad_payloads_are_refused(payload: str) -> None:
    """A /start parameter that is not ours is refused (the bot then starts a blank one)."""
    with pytest.raises(BadButtonError):
        CODEC.read_payload(payload)


def test_private_payload_of_a_state_uses_the_private_channel() -> None:
    """A private state keeps its channel in the payload."""
    payload = CODEC.payload(State(CODEC.kb, "fr", {}, 0, PRIVATE))
    assert CODEC.read_payload(payload).channel == PRIVATE


@settings(deadline=None)
@given(states())
def test_settled_answers_never_go_into_a_deep_link(state: State) -> None:
    """Deep links carry answers only; an upper-case channel (settled answers) is not a payload."""
    payload = CODEC.payload(state)
    assert CODEC.read_payload(payload).settled is None
    upper = payload[:-1] + payload[-1].upper()
    with pytest.raises(BadButtonError):
        CODEC.read_payload(upper)


def test_old_buttons_without_settled_answers_still_read() -> None:
    """Buttons sent before settled answers existed (lower-case channel) read as before."""
    state = State(CODEC.kb, "fr", {"profession": "ass"}, 2, PRIVATE)
    press = CODEC.unpack(CODEC.pack(state, Action.BACK))
    assert press.state == state
    assert press.state.settled is None


def test_a_button_with_settled_answers_and_an_owner_fits() -> None:
    """Every question answered twice over, an owner and the longest action: within 64 bytes."""
    answers = {q: choices_of("fr", q)[-1] for q in slots()[1:] if choices_of("fr", q)}
    settled = {"jurisdiction": "fr", **answers}
    state = State(CODEC.kb, "fr", answers, 35, GROUP, CODEC.owner_tag(10**13), settled)
    data = CODEC.pack(state, Action.DELETE, "zzzzzzz")
    assert len(data) <= MAX_BYTES
    assert CODEC.unpack(data).state == state


def legacy_button(state: State, action: str, argument: str = "") -> str:
    """Callback data as format 1 made it: eight slots by position, the action after the owner."""
    positions = {"fr": "0", "be": "1"}

    def slots_of(jurisdiction: str, answers: dict[str, str]) -> str:
        chars = ""
        for question_id in slots()[:8]:
            choice = answers.get(question_id)
            ids = list(choices_of(jurisdiction, question_id))
            chars += "-" if choice is None else "0123456789abc"[ids.index(choice)]
        return chars

    channel = state.channel.upper() if state.settled is not None else state.channel
    answers = slots_of(state.jurisdiction, state.answers)
    body = f"1{state.kb}{positions[state.jurisdiction]}{answers}"
    body += f"{state.back_steps}{channel}"
    if state.settled is not None:
        body += slots_of(state.settled.get("jurisdiction", state.jurisdiction), state.settled)
    body += f"{state.owner}{action}{argument}"
    return body + CODEC._mac(body)


def test_format_1_buttons_still_read_as_they_were_meant() -> None:
    """A button sent before stable codes gives back its answers, settled ones and owner."""
    answers = {"profession": "ass", "setting": "shelter", "requester": "police", "risk": "none"}
    settled = {"jurisdiction": "be", "profession": "as", "requester": "nobody", "risk": "child"}
    state = State(CODEC.kb, "fr", answers, 3, GROUP, CODEC.owner_tag(42), settled)
    press = CODEC.unpack(legacy_button(state, Action.ANSWER, "71"))
    assert (press.state, press.action, press.argument) == (state, Action.ANSWER, "71")
    assert read_answer("fr", press.argument) == ("consent", "refused")


def test_format_1_deep_links_still_read() -> None:
    """A deep link of format 1 (sixteen chars) prefills the same answers."""
    payload = f"1{CODEC.kb}0-06-----0i"
    assert CODEC.read_payload(payload).answers == {"profession": "ass", "setting": "private"}


def test_the_action_char_leads_the_data_and_is_signed() -> None:
    """Handlers are routed on the first char; changing it breaks the signature."""
    data = CODEC.pack(State(CODEC.kb, "fr"), Action.BACK)
    assert data[0] == Action.BACK
    with pytest.raises(BadButtonError):
        CODEC.unpack(Action.RESTART + data[1:])


def test_an_answer_button_names_its_choice_by_code_not_by_position() -> None:
    """The argument of « Police » is its recorded code, wherever it sits in the list."""
    argument = answer_argument("fr", "requester", "police")
    assert argument[1] == "6"
    assert read_answer("fr", argument) == ("requester", "police")
    with pytest.raises(BadButtonError):
        read_answer("fr", argument[0] + "y")


def test_a_button_made_before_a_question_was_added_reads_with_fewer_slots() -> None:
    """Slots missing at the end (a button older than a new question) read as unanswered."""
    state = State(CODEC.kb, "fr", {"profession": "ass"}, 0, PRIVATE)
    payload = CODEC.payload(state)
    count = int(payload[6], 36)
    shorter = payload[:6] + DIGITS[count - 2] + payload[7 : 7 + count - 2] + payload[7 + count :]
    assert CODEC.read_payload(shorter).answers == {"profession": "ass"}
