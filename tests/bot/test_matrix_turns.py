"""The Matrix adapter's turns, without a homeserver: what a worker types, what the bot sends."""

from __future__ import annotations

import pytest

from bot.codec import GROUP, Codec, State
from bot.matrix.content import ANSWERS_KEY, STATE_KEY
from bot.matrix.texts import KEYCAPS
from bot.matrix.turns import Turn, Turns
from flows.consultation import Consultation
from knowledge.loader import load_knowledge

POLICE_AT_A_SHELTER = {
    "profession": "social",
    "setting": "shelter",
    "requester": "police",
    "risk": "none",
    "consent": "not_asked",
}
"""tests/cases/fr: a police officer asks a CHRS whether a man lives there, without requisition."""


@pytest.fixture(scope="module")
def turns() -> Turns:
    """Turns for a French instance."""
    kb = load_knowledge()
    return Turns(Codec("a-secret", kb.version), kb, ("fr",))


def state_of(turns: Turns, turn: Turn) -> State:
    """The state the last message of a turn carries."""
    state = turns.read(turn.contents[-1][STATE_KEY])
    assert state is not None
    return state


def number_for(turn: Turn, choice_label: str) -> str:
    """The number of the line `N. label` of the question shown."""
    for line in turn.contents[-1]["body"].splitlines():
        number, _, label = line.partition(". ")
        if number.isdigit() and label == choice_label:
            return number
    raise AssertionError(f"no choice {choice_label!r} in {turn.contents[-1]['body']!r}")


def label_of(turns: Turns, question_id: str, choice_id: str) -> str:
    """The French label of a choice."""
    question = turns.knowledge.get("fr").question(question_id)
    assert question is not None
    choice = question.choice(choice_id)
    assert choice is not None
    return choice.label


def typed_to_verdict(turns: Turns, answers: dict[str, str], by_keycap: bool = False) -> Turn:
    """Answer each question asked by typing its number (or its keycap) until the verdict."""
    turn = turns.opening(Consultation(("fr",), knowledge=turns.knowledge))
    for _ in range(20):
        state = state_of(turns, turn)
        outcome = Consultation(("fr",), state.answers, knowledge=turns.knowledge).current()
        question = getattr(outcome, "question", None)
        if question is None:
            return turn
        number = number_for(turn, label_of(turns, question.id, answers[question.id]))
        typed = KEYCAPS[int(number) - 1] if by_keycap else number
        turn = turns.play(state, typed, after=f"$event{number}")
    raise AssertionError("no verdict after 20 answers")


def test_numbers_typed_reach_the_verdict_with_its_articles_in_the_body(turns: Turns) -> None:
    """The plain body names the verdict and cites `CP 226-13`, as external checks read it."""
    turn = typed_to_verdict(turns, POLICE_AT_A_SHELTER)
    body = "\n".join(content["body"] for content in turn.contents)
    assert "Vous devez garder le secret" in body
    assert "CP 226-13" in body
    html = "".join(content.get("formatted_body", "") for content in turn.contents)
    assert "<b>CP 226-13</b>" in html
    assert "<a href=" in html
    assert [event.kind for event in turn.events] == ["completed"]
    assert turn.events[0].channel == "matrix"


def test_keycap_reactions_answer_like_numbers(turns: Turns) -> None:
    """1️⃣ … answer exactly as typed numbers do."""
    typed = typed_to_verdict(turns, POLICE_AT_A_SHELTER)
    reacted = typed_to_verdict(turns, POLICE_AT_A_SHELTER, by_keycap=True)
    assert reacted.contents[-1]["body"] == typed.contents[-1]["body"]


def test_a_question_lists_its_choices_as_numbered_lines(turns: Turns) -> None:
    """`N. label` for every choice, in order, and the keys to type."""
    turn = turns.opening(Consultation(("fr",), knowledge=turns.knowledge))
    body = turn.contents[-1]["body"]
    question = turns.knowledge.get("fr").question("profession")
    assert question is not None
    for number, choice in enumerate(question.choices, start=1):
        assert f"\n{number}. {choice.label}\n" in f"\n{body}\n"
    assert "r retour" in body


def test_back_restart_help_and_urgence_are_typed_letters(turns: Turns) -> None:
    """r goes back a step, n restarts, a shows the help, u gives the emergency card."""
    first = turns.opening(Consultation(("fr",), knowledge=turns.knowledge))
    state = state_of(turns, first)
    answered = turns.play(state, "1")
    assert state_of(turns, answered).answers
    back = turns.play(state_of(turns, answered), "r")
    assert state_of(turns, back).answers == {}
    helped = turns.play(state, "a")
    assert "❓" in helped.contents[-1]["body"]
    urgent = turns.play(state, "u")
    assert "112" in urgent.contents[-1]["body"] or "17" in urgent.contents[-1]["body"]
    restarted = turns.play(state_of(turns, answered), "n")
    assert state_of(turns, restarted).answers == {}
    assert [event.kind for event in restarted.events] == ["abandoned"]


def test_the_note_for_the_file_and_a_change_at_the_verdict(turns: Turns) -> None:
    """d gives the note (no state moved), m3 asks the third answer again."""
    verdict = typed_to_verdict(turns, POLICE_AT_A_SHELTER)
    state = state_of(turns, verdict)
    note = turns.play(state, "d")
    assert note.contents[-1]["body"].startswith("📝 Note pour le dossier")
    assert STATE_KEY not in note.contents[-1]
    changed = turns.play(state, "m3")
    assert "requester" not in state_of(turns, changed).answers


def test_free_text_gets_a_reminder_or_the_guard_never_repeating_it(turns: Turns) -> None:
    """A name or a phone number is never echoed; other text gets the keys to type."""
    state = state_of(turns, turns.opening(Consultation(("fr",), knowledge=turns.knowledge)))
    guarded = turns.play(state, "Mme Martin au 06 12 34 56 78 nous appelle")
    body = guarded.contents[-1]["body"]
    assert "⚠️" in body
    assert "Martin" not in body
    assert "06 12" not in body
    assert STATE_KEY not in guarded.contents[-1]
    reminder = turns.play(state, "bonjour " * 2500)
    assert "Tapez un numéro de 1 à" in reminder.contents[-1]["body"]


def test_a_forged_state_is_refused_kindly(turns: Turns) -> None:
    """A state signed by another key reads as nothing."""
    kb = turns.knowledge
    other = Turns(Codec("another-secret", kb.version), kb, ("fr",))
    packed = other.opening(Consultation(("fr",), knowledge=kb)).contents[-1][STATE_KEY]
    assert turns.read(packed) is None
    assert turns.read(None) is None


def test_a_quick_check_carries_its_owner_and_counts_as_a_room(turns: Turns) -> None:
    """In a room's thread the state names its owner (a keyed hash) and the room channel."""
    owner = turns.codec.owner_tag("@camille:example.org")
    turn = turns.opening(Consultation(("fr",), knowledge=turns.knowledge), GROUP, owner, "$cmd")
    state = state_of(turns, turn)
    assert state.owner == owner
    assert "camille" not in turn.contents[-1][STATE_KEY]
    assert turn.contents[-1][ANSWERS_KEY] == "$cmd"
    answered = turns.play(state, "1")
    assert answered.events[0].channel == "matrix_room"


def test_a_thumb_on_the_verdict_is_counted_as_feedback(turns: Turns) -> None:
    """👍 (any skin tone) or 👎 on a verdict: thanks and one feedback event; elsewhere nothing."""
    verdict = typed_to_verdict(turns, POLICE_AT_A_SHELTER)
    state = state_of(turns, verdict)
    liked = turns.feedback(state, "👍🏽")
    assert "Merci" in liked.contents[-1]["body"]
    assert [(event.kind, event.feedback) for event in liked.events] == [("feedback", "up")]
    disliked = turns.feedback(state, "👎")
    assert [event.feedback for event in disliked.events] == ["down"]
    question = state_of(turns, turns.opening(Consultation(("fr",), knowledge=turns.knowledge)))
    assert turns.feedback(question, "👍") == Turn(())
    assert turns.feedback(state, "🎉") == Turn(())
